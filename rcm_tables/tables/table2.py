"""Table 2: the as-of period's budget execution, by budget line, and its summary of contributions."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..reference import Reference
from . import common

T = S.Table2
L = S.Ledger


def build(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    period = common.as_of_period(ref, as_of)
    expenses = common.fund_lines(ledger, as_of, "TS", "expense")
    spent = expenses.loc[expenses[L.period] == period].groupby(L.budget_line)[L.amount_usd].sum()
    records = []
    for _, line in ref.lines_of(period).iterrows():
        name = line[S.BudgetLines.budget_line]
        approved = int(line[S.BudgetLines.approved])
        used = int(spent.get(name, 0))
        records.append({T.budget_line: name, T.approved_budget: approved, T.expenses: used,
                        T.balance: approved - used})
    return common.to_frame(T, records)


def build_summary(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    """Approved budget, received, pending, total expenses and balance (received - expenses) of the period."""
    period = common.as_of_period(ref, as_of)
    approved = ref.approved_budget(period)
    got = common.received(ledger, ref, as_of).get(period, 0)
    spent = common.operating_costs(ledger, ref, as_of).get(period, 0)
    items = {
        "approved_budget": approved,
        "contributions_received": got,
        "contributions_pending": approved - got,
        "total_expenses": spent,
        "balance": got - spent,
    }
    T2 = S.Table2Summary
    return common.to_frame(T2, [{T2.item: k, T2.amount: v} for k, v in items.items()])
