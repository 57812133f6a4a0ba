"""Annex 1: the approved scale of contributions to the Secretariat's budget."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..reference import Reference
from . import common

T = S.Annex1


def build(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    scale = ref.scale_of("TS")
    records = [{T.country: row[S.Scale.country], T.share_pct: float(row[S.Scale.share_pct]),
                T.assessed_usd: int(row[S.Scale.assessed])} for _, row in scale.iterrows()]
    return common.to_frame(T, records)
