"""The report's tables: one module per table, each holding its whole story (see `spec.Spec`).

`TABLES` is the one registry, in the order of the workbook's sheets and the CSV files: the command line, the
CSV writer, the workbook, the published comparison and the tests all iterate it. Adding a table means its model
in `rcm_tables.schemas.tables`, one module here (model, build, sheet, document and published layouts) and one
line in `TABLES`; and, if it reconciles with other tables, its checks in `rcm_tables.workbook.checks_list`.

Besides the tables, this package holds the vocabulary they declare with, which the writers interpret:
`formulas` (a sheet's formula text), `layout` and `cells` (a Word table and its cells' words), `comparison` (a
published figure and the rules of a comparison). None of them imports a writer (docs/architecture.md).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..ledger import clamp
from ..reference import Reference
from . import annex1, common, fund_account, table1, table2, table3, table4, table5
from .spec import CellKey, DocxLayout, Frame, Spec

TABLES: tuple[Spec, ...] = (
    table1.SPEC,
    table2.SPEC,
    table3.SPEC,
    table4.SPEC,
    table5.SPEC,
    annex1.SPEC,
    fund_account.SPEC,  # not in the published report: the Return Fund's receipts against its spending
)
FRAMES: tuple[Frame, ...] = tuple(frame for spec in TABLES for frame in spec.frames)


def frame_spec(name: str) -> Frame:
    """The frame called ``name`` (a ``report.tables`` key)."""
    for frame in FRAMES:
        if frame.name == name:
            return frame
    raise KeyError(f"no table {name!r}; the tables are {', '.join(f.name for f in FRAMES)}")


def build_all(ledger: pd.DataFrame, ref: Reference, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """Every frame of every table, from the ledger clamped to the as-of date once (`ledger.clamp`)."""
    # the builders read only these columns: each selection of lines then copies them, not the whole ledger
    lines = clamp(ledger[common.LEDGER_COLUMNS], as_of)
    # fund and kind are compared a dozen times (`common.fund_lines`): as categories, each is a compare of codes
    lines = lines.astype({S.Ledger.fund: "category", S.Ledger.kind: "category"})
    try:
        return {frame.name: frame.build(lines, ref, as_of) for frame in FRAMES}
    finally:
        common.forget()


__all__ = ["CellKey", "DocxLayout", "FRAMES", "Frame", "Spec", "TABLES", "build_all", "frame_spec"]
