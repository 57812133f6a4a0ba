"""Table 3: the next period's approved budget by section (subtotals and total are sums of these rows)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..reference import Reference
from . import common

T = S.Table3


def build(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    nxt = ref.next_period(common.as_of_period(ref, as_of))
    records = []
    if nxt is not None:
        for _, line in ref.lines_of(nxt).iterrows():
            records.append({T.section: line[S.BudgetLines.section], T.budget_line: line[S.BudgetLines.budget_line],
                            T.amount: int(line[S.BudgetLines.approved])})
    return common.to_frame(T, records)


def next_period(ref: Reference, as_of: dt.date) -> str | None:
    return ref.next_period(common.as_of_period(ref, as_of))
