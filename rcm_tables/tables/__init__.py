"""The report's tables: each a pure function of (ledger, reference, as_of) returning a DataFrame.

`BUILDERS` is the registry, an immutable tuple in the order of the workbook and the CSV files.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd

from ..reference import Reference
from . import annex1, common, table1, table2, table3, table4, table5

Builder = Callable[[pd.DataFrame, Reference, dt.date], pd.DataFrame]

BUILDERS: tuple[tuple[str, Builder], ...] = (
    ("table1", table1.build),
    ("table2", table2.build),
    ("table2_summary", table2.build_summary),
    ("table3", table3.build),
    ("table4", table4.build),
    ("table4_payments", table4.build_payments),
    ("table5", table5.build),
    ("annex1", annex1.build),
)


def build_all(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> dict[str, pd.DataFrame]:
    # the builders read only these columns: each selection of lines then copies them, not the whole ledger
    ledger = ledger[common.LEDGER_COLUMNS]
    return {name: build(ledger, ref, as_of) for name, build in BUILDERS}
