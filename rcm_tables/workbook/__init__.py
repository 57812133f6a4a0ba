"""The auditor's workbook: the only package that touches xlsxwriter.

Every table figure that comes from the ledger is a live formula over the Ledger sheet (SUMIFS on defined
names over exact ranges, limited to lines posted on or before the named cell ``AsOf``); totals are SUMs;
derived columns are formulas over the cells beside them. Each formula carries the value pandas computed as
its cached result, so viewers that do not recalculate show the right figures. Every text from an export is
written with `write_string`: nothing a user typed can become a formula. Decisions: docs/workbook.md.

`book` (formats, defined names, where each figure went), `sheet` (the facade layouts write through),
`formulas`, one module per sheet that is not a table (the tables lay out their own sheets, `rcm_tables.tables`),
and `packager`, which runs them in a fixed order.
"""
from __future__ import annotations

# Above this many ledger lines the Ledger sheet summarises expense lines (`ledger_sheet`). Here, not there, so
# that the command line's help names it without importing pandas.
SUMMARY_THRESHOLD = 50_000
LEDGER_DETAILS = ("auto", "all", "summary")  # what the Ledger sheet may hold: build's --ledger-detail, verify's reading


def write_workbook(report, path, published=None, ledger_detail: str = "auto", outputs=None, since=None):
    """Write the report workbook atomically (`packager.write_workbook`)."""
    from .packager import write_workbook as write

    return write(report, path, published=published, ledger_detail=ledger_detail, outputs=outputs, since=since)


__all__ = ["write_workbook"]
