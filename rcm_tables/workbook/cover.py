"""The Cover: the as-of date (the named cell AsOf that every formula reads), how many checks hold, how to read
the workbook, and the inputs with their SHA-256 and row counts."""
from __future__ import annotations

import datetime as dt

from .. import __version__
from .book import TITLE

NAME = "Cover"
INPUT_HEADERS = ["File", "Sheet", "SHA-256", "Rows read", "In the Ledger", "Identical duplicates", "Rejected"]
COL_LABEL, COL_VALUE, COL_NOTE = 0, 1, 2
ROW_AS_OF, ROW_PERIOD, ROW_CHECKS, ROW_GUIDE = 3, 4, 5, 7


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    s.text(0, 0, TITLE, f.heading, fit=0)
    s.text(1, 0, "Regional Conference on Migration (RCM): the financial tables of the Technical Secretariat's "
                 f"report, built by rcm-tables {__version__} from IOM's monthly line-item exports.", f.subtitle, fit=0)
    s.text(ROW_AS_OF, COL_LABEL, "As of (named cell AsOf)", f.bold)
    s.widths.see(COL_LABEL, "Budget period of the as-of date")
    s.ws.write_datetime(ROW_AS_OF, COL_VALUE, dt.datetime.combine(book.as_of, dt.time()), f.date_cell)
    book.wb.define_name("AsOf", f"={s.xref(ROW_AS_OF, COL_VALUE)}")
    s.text(ROW_PERIOD, COL_LABEL, "Budget period of the as-of date", f.bold)
    s.text(ROW_PERIOD, COL_VALUE, book.period, f.text)
    s.text(ROW_CHECKS, COL_LABEL, "Checks that hold", f.bold)
    holds = sum(c.holds for c in book.checks)
    s.formula(ROW_CHECKS, COL_VALUE, f"=COUNTIF({book.regions['checks.holds'].ref()},TRUE)", holds, f.count)
    s.text(ROW_CHECKS, COL_NOTE, f"of {len(book.checks)}: see the Checks sheet, which explains those that do not "
                                 "hold", f.note, fit=0)
    row = ROW_GUIDE
    s.text(row, 0, "How to read this workbook", f.title)
    for line in _guide(book):
        row += 1
        s.text(row, 0, line, fit=0)
    _inputs(book, s, row + 2)
    s.finish()


def _inputs(book, s, row: int) -> None:
    f = book.fmt
    ref = book.ref
    s.text(row, 0, "Inputs", f.title)
    row += 1
    s.headers(row, INPUT_HEADERS)
    inputs = [(ref.file, sheet, ref.sha256, (count,)) for sheet, count in ref.rows_read.items()]
    inputs += [(x.file, x.sheet, x.sha256, (x.rows_read, x.used, x.duplicates, x.rejected))
               for x in book.report.sources]
    for file, sheet, sha256, counts in inputs:
        row += 1
        s.text(row, 0, file, f.text)
        s.text(row, 1, sheet, f.text)
        s.text(row, 2, sha256, f.text)
        for col, value in enumerate(counts, start=3):
            s.number(row, col, value, f.count)


def _guide(book) -> list[str]:
    detail_csv = book.options.detail_csv
    return [
        "• Tables 1 to 5 and Annex 1 are laid out like the published report. Amounts are US dollars to the "
        "cent (the report prints whole dollars).",
        "• Every figure that comes from the IOM exports is a formula over the Ledger sheet: SUMIFS over "
        "named columns (Ledger_USD, Ledger_Fund, Ledger_Kind, Ledger_Period, Ledger_Partner, "
        "Ledger_BudgetLine), counting only lines posted on or before AsOf.",
        "• Totals are SUM formulas; pending, net balance and the accumulated columns are formulas over the "
        "cells beside them. Approved budgets, budget lines and the scale are typed from the reference workbook.",
        "• Periods older than the exports come from the Opening Balances sheet, which Table 1's formulas add.",
        "• Ledger: one row per line used, with the export file, sheet and row it came from. Lines posted after "
        "AsOf are listed (in grey) but left out by every formula.",
        "• Checks: each reconciliation is a TRUE/FALSE formula with its two figures beside it. Sources: how "
        "every row of every export was accounted for.",
        "• Changing AsOf recalculates the figures, not the layout: the periods shown and Table 4's receipt "
        "dates are those of the build. Rebuild with rcm-tables build --as-of for another cut-off.",
    ] + ([
        "• This ledger is large: on the Ledger sheet, expense lines are summarised (one row per file, period, "
        f"account and budget line) and contributions stay line by line; every line is in "
        f"{detail_csv.name}, beside this workbook. The formulas give the same figures either way.",
    ] if detail_csv is not None else [])
