"""Table 1: approved budgets against incomes and expenditures, one row per period up to the as-of date."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..reference import Reference
from . import common

T = S.Table1


def build(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    received = common.received(ledger, ref, as_of)
    costs = common.operating_costs(ledger, ref, as_of)
    records = []
    pending_acc = balance_acc = 0
    for label in ref.periods_up_to(as_of):
        approved = ref.approved_budget(label)
        got = received.get(label, 0)
        spent = costs.get(label, 0)
        pending = approved - got
        net = got - spent
        pending_acc += pending
        balance_acc += net
        records.append({
            T.period: label, T.approved_budget: approved, T.contributions_received: got,
            T.contributions_pending: pending, T.contributions_pending_accumulated: pending_acc,
            T.operating_costs: spent, T.net_balance: net, T.accumulated_balance: balance_acc,
        })
    return common.to_frame(T, records)
