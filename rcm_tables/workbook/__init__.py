"""The auditor's workbook, written with xlsxwriter (the blank reference workbook of `rcm-tables init` is
written by `rcm_tables.init.workbook`; the tables' formula text uses xlsxwriter's cell names, `tables.formulas`).

Every table figure that comes from the ledger is a live formula over the Ledger sheet (SUMIFS on defined
names over exact ranges, limited to lines posted on or before the named cell ``AsOf``); totals are SUMs;
derived columns are formulas over the cells beside them. Each formula carries the value pandas computed as
its cached result, so viewers that do not recalculate show the right figures. Every text from an export is
written with `write_string`: nothing a user typed can become a formula. Decisions: docs/workbook.md.

`book` (formats, defined names, where each figure went), `sheet` (the facade layouts write through), one
module per sheet that is not a table (the tables lay out their own sheets through `book` and `sheet`, with the
formula text of `rcm_tables.tables.formulas`, and import nothing of this package), and `packager`, which runs
them in a fixed order.
"""
from __future__ import annotations

from .detail import LEDGER_DETAILS, SUMMARY_THRESHOLD  # noqa: F401  (the command line's help reads them here)


def write_workbook(report, path, published=None, ledger_detail: str = "auto", outputs=None, since=None):
    """Write the report workbook atomically (`packager.write_workbook`)."""
    from .packager import write_workbook as write

    return write(report, path, published=published, ledger_detail=ledger_detail, outputs=outputs, since=since)


__all__ = ["write_workbook"]
