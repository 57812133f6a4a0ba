"""Checks of the figures: what the tables show that a reader should be told (surfaced, not hidden)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..ledger import expenses_cutoff
from ..money import dollars_text
from ..money import grouped as _money
from ..problems import Code, Problem, problem

L = S.Ledger


def check_receipt_cutoff(lines: pd.DataFrame, as_of: dt.date) -> list[Problem]:
    """Receipts booked after the expenses' cut-off: the tables mix two cut-offs (DISCREPANCIES 4).

    ``lines``: the ledger clamped to the as-of date.
    """
    cutoff = expenses_cutoff(lines, as_of)
    if cutoff is None:
        return []
    # masks over three columns, then the two columns used: a selection of the whole ledger copies every column
    late = ((lines[L.fund] == "TS") & (lines[L.kind] == "contribution")
            & (lines[L.posting_date] > pd.Timestamp(cutoff))).to_numpy(dtype=bool)
    if not late.any():
        return []
    dates, amounts = lines[L.posting_date].to_numpy()[late], lines[L.amount_usd].to_numpy(dtype="int64")[late]
    return [problem(
        Code.RECEIPTS_AFTER_EXPENSES,
        f"{int(late.sum())} receipt(s) posted after the expenses' cut-off ({cutoff}: the month end of the last "
        f"expense line), up to {pd.Timestamp(dates.max()).date()}: contributions are counted to the as-of date "
        f"{as_of}, expenses only as far as they have been booked", value=dollars_text(int(amounts.sum())),
        hint=f"pass --as-of {cutoff} to use one cut-off for both")]


def check_overpayments(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Payments above the assessment make pending negative (DISCREPANCIES 7): say so, do not hide it."""
    t1 = tables["table1"]
    over = t1.loc[t1[S.Table1.contributions_pending] < 0]
    return [problem(Code.OVERPAID, f"{row[S.Table1.period]}: members paid {_money(-row[S.Table1.contributions_pending])} "
                 "more than the approved budget; Contributions Pending is negative",
                 value=dollars_text(int(row[S.Table1.contributions_pending]))) for _, row in over.iterrows()]
