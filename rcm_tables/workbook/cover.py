"""The Cover, one printed page: the as-of date (the named cell AsOf that every formula reads) and whether it was
given, the checks by status, how the workbook was built (the command's options and the versions), and how to
read it. The inputs, with their SHA-256, are on the Sources sheet; `rcm-tables verify` reads them there and
the build options here.
"""
from __future__ import annotations

import datetime as dt
import platform
from importlib import metadata

from .. import __version__
from .book import TITLE

NAME = "Cover"
COL_LABEL, COL_VALUE, COL_NOTE = 0, 1, 2
ROW_AS_OF, ROW_GIVEN, ROW_PERIOD = 3, 4, 5
ROW_CHECKS = 7  # the title; OK, EXPLAINED, FAILED and the row counts below it
ROW_BUILD = 13  # the title; command, versions, inputs, verify below it
LIBRARIES = ("pandas", "openpyxl", "xlsxwriter", "pandera", "python-calamine")
LABELS = {"as_of": "As of (named cell AsOf)", "given": "As-of date", "period": "Budget period of the as-of date",
          "command": "Command", "versions": "Versions", "inputs": "Inputs", "verify": "Verify",
          "record": "Build record (for verify)"}
RECORD_NAME = "BuildRecord"  # the defined name of the cell that holds the build's options as JSON (`record`)
RECORD_FORMAT = 1
WIDTHS = {COL_LABEL: 34, COL_VALUE: 14, COL_NOTE: 58}  # the Cover's texts wrap inside the page's width


def versions() -> str:
    """rcm-tables, Python and the libraries that read and write, as `rcm-tables verify` compares them."""
    parts = [f"rcm-tables {__version__}", f"Python {platform.python_version()}"]
    for name in LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} ?")
    return ", ".join(parts)


def command(book) -> str:
    """The build's options that shape the workbook (input paths are not: they differ from machine to machine)."""
    options = book.options
    parts = ["rcm-tables build --exports DIR --reference FILE"]
    if book.report.as_of_given:
        parts.append(f"--as-of {book.as_of.isoformat()}")
    parts.append(f"--ledger-detail {options.ledger_detail}")
    if options.published is not None:
        parts.append("--published DIR")
    if options.since is not None:
        parts.append(f"--since {options.since.isoformat()}")
    return " ".join(parts)


def record(book) -> str:
    """The build's options that shape the workbook, as JSON (what `rcm-tables verify` reads back)."""
    import json

    options = book.options
    return json.dumps({"format": RECORD_FORMAT, "as_of": book.as_of.isoformat(),
                       "as_of_given": bool(book.report.as_of_given), "ledger_detail": options.ledger_detail,
                       "published": options.published is not None,
                       "since": None if options.since is None else options.since.isoformat()},
                      sort_keys=True, separators=(", ", ": "))


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    s.text(0, 0, TITLE, f.heading, fit=0)
    s.text(1, 0, "Regional Conference on Migration (RCM): the financial tables of the Technical Secretariat's "
                 f"report, built by rcm-tables {__version__} from IOM's monthly line-item exports.", f.subtitle, fit=0)
    s.text(ROW_AS_OF, COL_LABEL, LABELS["as_of"], f.bold)
    s.widths.see(COL_LABEL, "Exports whose rows add up (Sources)")
    s.ws.write_datetime(ROW_AS_OF, COL_VALUE, dt.datetime.combine(book.as_of, dt.time()), f.date_cell)
    s.widths.see(COL_VALUE, "EXPLAINED  ")
    book.wb.define_name("AsOf", f"={s.xref(ROW_AS_OF, COL_VALUE)}")
    s.text(ROW_GIVEN, COL_LABEL, LABELS["given"], f.bold)
    s.text(ROW_GIVEN, COL_VALUE, "given (--as-of)" if book.report.as_of_given else
           "the latest posting date in the exports (no --as-of)", f.text, fit=0)
    s.text(ROW_PERIOD, COL_LABEL, LABELS["period"], f.bold)
    s.text(ROW_PERIOD, COL_VALUE, book.period, f.text)
    _checks(book, s)
    _build(book, s)
    row = ROW_BUILD + 7
    s.text(row, 0, "How to read this workbook", f.title)
    for line in _guide(book):
        row += 1
        s.text(row, 0, line, fit=0)
    for col, width in WIDTHS.items():
        s.widths.widths[col] = max(s.widths.widths.get(col, 0), width)
    s.finish(one_page=True)


def _checks(book, s) -> None:
    f = book.fmt
    s.text(ROW_CHECKS, 0, "Checks (Checks sheet)", f.title)
    region = book.regions["checks.status"].ref()
    for i, status in enumerate(("OK", "EXPLAINED", "FAILED")):
        row = ROW_CHECKS + 1 + i
        s.text(row, COL_LABEL, status, f.bold)
        count = sum(c.status == status for c in book.checks)
        s.formula(row, COL_VALUE, f'=COUNTIF({region},"{status}")', count, f.count)
    s.formula(ROW_CHECKS + 1, COL_NOTE, f'="of "&COUNTA({region})&" checks"', f"of {len(book.checks)} checks", f.note)
    row = ROW_CHECKS + 4
    s.text(row, COL_LABEL, "Exports whose rows add up (Sources)", f.bold)
    sources = book.report.source_counts
    s.formula(row, COL_VALUE, '=COUNTIF(Sources_Status,"OK")',
              sum(x.rows_read == x.used + x.duplicates + x.rejected for x in sources), f.count)
    s.formula(row, COL_NOTE, '="of "&COUNTA(Sources_Status)&" exports"', f"of {len(sources)} exports", f.note)


def _build(book, s) -> None:
    f = book.fmt
    s.text(ROW_BUILD, 0, "How it was built", f.title)
    exports = len(book.report.source_counts)
    lines = [("command", command(book)), ("versions", versions()),
             ("inputs", f"{exports} export(s) and {book.ref.file}, each with its SHA-256 on the Sources sheet"),
             ("verify", "rcm-tables verify THIS-WORKBOOK.xlsx DIR (a folder made by rcm-tables init), or "
                        "--exports DIR --reference FILE, checks the inputs and rebuilds it"),
             ("record", record(book))]
    for i, (name, text) in enumerate(lines, start=1):
        s.text(ROW_BUILD + i, COL_LABEL, LABELS[name], f.bold_top)
        s.text(ROW_BUILD + i, COL_VALUE, text, fit=0)
    book.wb.define_name(RECORD_NAME, f"={s.xref(ROW_BUILD + len(lines), COL_VALUE)}")


def _guide(book) -> list[str]:
    detail_csv = book.options.detail_csv
    return [
        "• Tables 1 to 5 and Annex 1 are laid out like the published report. Amounts are US dollars to the "
        "cent (the report prints whole dollars).",
        "• Every figure from the IOM exports is a formula over the Ledger sheet (SUMIFS over named columns, "
        "counting only lines posted on or before AsOf); every figure from the reference workbook is a formula "
        "over its sheets (Periods, Budget Lines, Accounts, Scale, Opening Balances).",
        "• Totals are SUM formulas; pending, net balance and the accumulated columns are formulas over the "
        "cells beside them. Periods older than the exports come from Opening Balances.",
        "• Ledger: one row per line, with the export file, sheet and row it came from. Lines posted after "
        "AsOf are listed (in grey) but left out by every formula.",
        "• Checks: each reconciliation as two formulas and a status (OK, EXPLAINED, FAILED). Any change on "
        "the Ledger or a reference sheet that moves a figure turns a check FAILED on recalculation.",
        "• Sources: how every row of every export was accounted for, each input's SHA-256, each export's own "
        "Total row. Changing AsOf recalculates the figures, not the layout: rebuild for another cut-off.",
    ] + ([
        "• This ledger is large: on the Ledger sheet, expense lines are summarised (one row per file, period, "
        f"account and budget line) and contributions stay line by line; every line is in {detail_csv.name}, "
        "beside this workbook. The formulas give the same figures either way.",
    ] if detail_csv is not None else [])
