"""What the data does not cover: gaps that would otherwise show as silent zeros.

Each check is a pure function of the ledger lines clamped to the as-of date, the reference and the as-of date.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .. import schemas as S
from ..problems import Code, Problem, problem
from ..reference import Reference

L = S.Ledger
STALE_DAYS = 31  # an as-of date further than this after the last line is probably not what was meant


def _month_ranges(months: list[pd.Period]) -> str:
    """'2012-03 to 2012-05, 2012-08': consecutive months as one range."""
    ranges: list[list[pd.Period]] = []
    for month in months:
        if ranges and month == ranges[-1][-1] + 1:
            ranges[-1].append(month)
        else:
            ranges.append([month])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in ranges)


def check_months_without_lines(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> list[Problem]:
    """Every calendar month between the first line and the as-of date that no export line falls in."""
    if lines.empty:
        return []
    # the distinct months first: a Period object per line costs seconds over a decade
    months = np.unique(lines[L.posting_date].to_numpy(dtype="datetime64[ns]").astype("datetime64[M]"))
    have = set(pd.DatetimeIndex(months).to_period("M"))
    span = pd.period_range(min(have), pd.Period(as_of, "M"), freq="M")
    missing = [m for m in span if m not in have]
    if not missing:
        return []
    return [problem(Code.MONTHS_WITHOUT_LINES, f"{len(missing)} month(s) between the first export line "
                    f"({min(have)}) and the as-of date have no line at all: {_month_ranges(missing)}",
                    value=_month_ranges(missing),
                    hint="add the exports of those months, or check that nothing was posted then")]


def check_periods_without_data(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> list[Problem]:
    """Every period the tables show that has neither a ledger line nor an opening balance: its zeros say nothing."""
    with_lines = set(lines[L.period].unique())
    with_opening = set(ref.opening[S.OpeningBalances.period])
    return [problem(Code.PERIOD_WITHOUT_DATA, f"period {label} is shown in the tables but has neither export lines "
                    "nor an opening balance: its receipts and costs show as zero", file=ref.file,
                    sheet=S.PERIODS_SHEET, value=label,
                    hint=f"add the exports of {label}, or its totals to the Opening Balances sheet")
            for label in ref.periods_up_to(as_of) if label not in with_lines and label not in with_opening]


def check_stale_as_of(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> list[Problem]:
    """An as-of date far after the last line: the report would claim a date the data does not reach."""
    if lines.empty:
        return []
    last = lines[L.posting_date].max().date()
    if (as_of - last).days <= STALE_DAYS:
        return []
    return [problem(Code.AS_OF_AFTER_DATA, f"the as-of date {as_of} is {(as_of - last).days} days after the last "
                    f"posting date in the exports ({last})", value=str(as_of),
                    hint="add the latest exports, or pass an earlier --as-of")]


COVERAGE_CHECKS = (check_months_without_lines, check_periods_without_data, check_stale_as_of)


def check_coverage(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> list[Problem]:
    return [p for check in COVERAGE_CHECKS for p in check(lines, ref, as_of)]
