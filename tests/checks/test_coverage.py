"""Gaps in the data are said, not shown as silent zeros; an as-of date that cannot be honoured is an error."""
from __future__ import annotations

import datetime as dt

from tests.fixtures import ledger, pay, reference, spend

from rcm_tables.checks import check_as_of_opening, check_coverage
from rcm_tables.ledger import clamp


def coverage(lines, as_of, **ref_kw):
    ref = reference(**ref_kw)
    day = dt.date.fromisoformat(as_of)
    return check_coverage(clamp(ledger(lines, ref), day), ref, day)


def test_months_without_any_line_are_named_as_ranges():
    found = coverage([pay("2012-01-10", 1, "A", "2012"), spend("2012-02-29", 1), pay("2012-05-02", 1, "B", "2012"),
                      spend("2012-07-31", 1)], "2012-08-15", opening=[(str(y), dt.date(y, 12, 31), 0, 0)
                                                                      for y in (2010, 2011)])
    [gap] = found
    assert (gap.code, gap.severity) == ("months-without-lines", "warning")
    assert gap.value == "2012-03 to 2012-04, 2012-06, 2012-08"


def test_a_period_shown_with_neither_lines_nor_opening_balance_is_a_warning():
    found = coverage([pay("2012-01-10", 1, "A", "2012")], "2012-01-31",
                     opening=[("2010", dt.date(2010, 12, 31), 0, 0)])
    assert [(p.code, p.value) for p in found] == [("period-without-data", "2011")]


def test_an_as_of_date_long_after_the_last_line_is_a_warning():
    lines = [pay("2012-03-10", 1, "A", "2012")]
    opening = [(str(y), dt.date(y, 12, 31), 0, 0) for y in (2010, 2011)]
    assert [p.code for p in coverage(lines, "2012-04-10", opening=opening)] == ["months-without-lines"]  # April
    stale = [p for p in coverage(lines, "2012-04-11", opening=opening) if p.code == "as-of-after-data"]
    assert len(stale) == 1 and "32 days" in stale[0].message


def test_an_as_of_date_before_an_opening_balance_as_of_is_an_error():
    ref = reference(opening=[("2012", dt.date(2012, 12, 31), 100000, 80000)])
    [error] = check_as_of_opening(ref, dt.date(2012, 6, 30))
    assert (error.code, error.severity, error.sheet, error.row) == ("as-of-before-opening", "error",
                                                                     "Opening Balances", 2)
    assert "2012-12-31" in error.hint
    assert check_as_of_opening(ref, dt.date(2012, 12, 31)) == []
    assert [p.code for p in check_as_of_opening(ref, dt.date(2012, 1, 1))] == ["as-of-before-opening"]  # shown
    assert check_as_of_opening(ref, dt.date(2011, 6, 30)) == []  # 2012 is not shown then
