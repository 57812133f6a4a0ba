"""`Reference`'s lookups (a period's row, its budget lines, a fund's scale, an opening balance, the period of a day)
are made once per reference and kept: each answer equals the filter of the sheet written out here, asked again it
is the same, and what a caller does to an answer never reaches the next caller."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rcm_tables import paths
from rcm_tables import schemas as S
from rcm_tables.reference import load_reference


@pytest.fixture(scope="module")
def ref():
    return load_reference(paths.SAMPLE_REFERENCE)[0]


def test_each_lookup_equals_the_filter_of_its_sheet_and_is_the_same_when_asked_again(ref):
    periods, lines, scale, opening = ref.periods, ref.budget_lines, ref.scale, ref.opening
    labels = list(periods[S.Periods.period])
    assert labels  # the sample has periods: the loop below checks something
    for label in labels:
        for _ in range(2):
            pd.testing.assert_series_equal(ref.period_row(label),
                                           periods.loc[periods[S.Periods.period] == label].iloc[0])
            pd.testing.assert_frame_equal(ref.lines_of(label), lines.loc[lines[S.BudgetLines.period] == label])
            hit = opening.loc[opening[S.OpeningBalances.period] == label]
            if hit.empty:
                assert ref.opening_for(label) is None
            else:
                pd.testing.assert_series_equal(ref.opening_for(label), hit.iloc[0])
    assert ref.lines_of("no such period").empty
    assert ref.opening_for("no such period") is None
    with pytest.raises(IndexError):  # as before: a period that is not there has no row
        ref.period_row("no such period")
    for fund in ("TS", "RF", "XX"):
        pd.testing.assert_frame_equal(ref.scale_of(fund), scale.loc[scale[S.Scale.fund] == fund])
    first = periods.iloc[0]
    day = first[S.Periods.start].date()
    for asked in (day, pd.Timestamp(day), dt.datetime.combine(day, dt.time())):
        assert ref.period_of(asked) == first[S.Periods.period]
        assert ref.periods_up_to(asked) == [first[S.Periods.period]]
    assert ref.period_of(dt.date(1900, 1, 1)) is None
    assert ref.periods_up_to(dt.date(1900, 1, 1)) == []
    assert ref.periods_up_to(dt.date(2999, 1, 1)) == labels


def test_what_a_caller_does_to_an_answer_does_not_reach_the_next_caller(ref):
    label = ref.period_labels[-1]
    lines = ref.lines_of(label)
    expected = ref.budget_lines.loc[ref.budget_lines[S.BudgetLines.period] == label]
    lines["added"] = 1
    lines.iloc[0, 0] = "changed"
    pd.testing.assert_frame_equal(ref.lines_of(label), expected)

    row = ref.period_row(label)
    row[S.Periods.approved_budget] = -1
    assert ref.approved_budget(label) == int(
        ref.periods.loc[ref.periods[S.Periods.period] == label, S.Periods.approved_budget].iloc[0])

    scale = ref.scale_of("TS")
    scale[S.Scale.country] = "changed"
    assert "changed" not in set(ref.scale_of("TS")[S.Scale.country])

    up_to = ref.periods_up_to(dt.date(2999, 1, 1))
    up_to.clear()
    assert ref.periods_up_to(dt.date(2999, 1, 1)) == ref.period_labels
