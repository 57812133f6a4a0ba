"""Table 4: contributions to the Secretariat's budget, country x period, for the last four periods.

Each cell holds the payments (amount and date of receipt) and the pending amount (assessed - received),
shown wherever a payment is partial, missing or above the assessment.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..reference import Reference
from . import common

T = S.Table4
P = S.Table4Payments
L = S.Ledger
PERIODS_SHOWN = 4


def _lines(ledger: pd.DataFrame, ref: Reference, as_of: dt.date,
           periods: list[str] | None) -> tuple[list[str], pd.DataFrame]:
    periods = common.last_periods(ref, as_of, PERIODS_SHOWN) if periods is None else periods
    income = common.fund_lines(ledger, as_of, "TS", "income")
    return periods, income.loc[income[L.period].isin(periods)]


def match_reversals(entries: list[tuple[pd.Timestamp, int]]) -> list[tuple[pd.Timestamp, int]]:
    """Net a partner's lines for one period into the receipts the report lists.

    Lines of the same day are netted. A negative entry (reversal, refund) first cancels the latest earlier
    receipt of exactly its amount, otherwise it reduces the latest earlier receipts; what remains unmatched
    stays as a negative entry. The sum is unchanged, so the receipts always add up to "received".
    """
    by_day: dict[pd.Timestamp, int] = {}
    for day, amount in sorted(entries):
        by_day[day] = by_day.get(day, 0) + amount
    kept: list[list] = []
    for day, amount in sorted(by_day.items()):
        if amount >= 0:
            if amount:
                kept.append([day, amount])
            continue
        earlier = [k for k in kept if k[0] <= day and k[1] > 0]
        exact = [k for k in earlier if k[1] == -amount]
        if exact:
            kept.remove(exact[-1])
            continue
        rest = -amount
        for k in reversed(earlier):
            take = min(rest, k[1])
            k[1] -= take
            rest -= take
            if not rest:
                break
        kept = [k for k in kept if k[1] != 0]
        if rest:
            kept.append([day, -rest])
    return [(d, a) for d, a in sorted(kept)]


def build_payments(ledger: pd.DataFrame, ref: Reference, as_of: dt.date,
                   periods: list[str] | None = None) -> pd.DataFrame:
    """Every receipt shown in Table 4, after reversals are matched (``periods``: default the last four)."""
    periods, lines = _lines(ledger, ref, as_of, periods)
    # only the columns used below: each selection in the loop then copies 4 columns, not the whole ledger's
    keyed = lines[[L.period, L.posting_date, L.amount_usd]].assign(_who=common.partner_key(lines))
    records = []
    rows = common.partner_rows(list(ref.scale_of("TS")[S.Scale.country]), lines)
    for who in rows:
        for period in periods:
            mine = keyed.loc[(keyed["_who"] == who) & (keyed[L.period] == period)]
            entries = list(zip(mine[L.posting_date], mine[L.amount_usd].astype(int)))
            for day, amount in match_reversals(entries):
                records.append({P.country: who, P.period: period, P.amount: amount, P.received_on: day})
    return common.to_frame(P, records)


def build(ledger: pd.DataFrame, ref: Reference, as_of: dt.date, periods: list[str] | None = None) -> pd.DataFrame:
    """Country x period: assessed, received, pending and dates of receipt (``periods``: default the last four)."""
    periods, lines = _lines(ledger, ref, as_of, periods)
    scale = ref.scale_of("TS")
    assessed = dict(zip(scale[S.Scale.country], scale[S.Scale.assessed].astype(int)))
    payments = build_payments(ledger, ref, as_of, periods)
    records = []
    for who in common.partner_rows(list(scale[S.Scale.country]), lines):
        for period in periods:
            mine = payments.loc[(payments[P.country] == who) & (payments[P.period] == period)]
            got = int(mine[P.amount].sum())
            due = assessed.get(who, 0)
            dates = ";".join(d.date().isoformat() for d in sorted(mine[P.received_on]))
            records.append({T.country: who, T.period: period, T.assessed: due, T.received: got,
                            T.pending: due - got, T.receipt_dates: dates})
    return common.to_frame(T, records)
