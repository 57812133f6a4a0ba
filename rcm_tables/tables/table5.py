"""Table 5: contributions to the Return Fund (RF) by country and period, from its first contribution."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..reference import Reference
from . import common

T = S.Table5
L = S.Ledger


def build(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    lines = common.fund_lines(ledger, as_of, "RF", "income")
    sums = lines.assign(_who=common.partner_key(lines)).groupby(["_who", L.period])[L.amount_usd].sum()
    records = []
    periods = common.periods_with_contributions(ledger, ref, as_of, "RF")
    for who in common.partner_rows(list(ref.scale_of("RF")[S.Scale.country]), lines):
        for period in periods:
            records.append({T.country: who, T.period: period, T.received: int(sums.get((who, period), 0))})
    return common.to_frame(T, records)
