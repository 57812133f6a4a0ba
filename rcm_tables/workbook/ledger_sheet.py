"""The Ledger sheet: every line the formulas add up, with the export file, sheet and row it came from.

Its named columns (Ledger_USD, Ledger_Fund, ...) are what every SUMIFS of the tables selects on. For large
histories the expense lines are summarised (`ledger_sheet_lines`), and every line goes to a CSV beside the
workbook.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from .. import schemas as S
from .detail import SUMMARY_THRESHOLD
from .fastsheet import DATE, NUMBER, TEXT, write_block
from .formats import AMOUNT
from .ledger_summary import summarise, summary_text
from .sheet import printed_title_only, shown_width

L = S.Ledger
NAME = "Ledger"
LEDGER_PRINT_SCALE = 70  # 7.7 points: twenty-two columns, readable (LibreOffice 7.4 adds blank pages at 65 %)
WIDTH_SAMPLE_ROWS = 300  # Ledger column widths are fitted on its first rows (the sheet may hold 240k lines)


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    column: str  # Ledger schema column
    kind: str  # text | int | date | money
    name: str = ""  # defined name over the column's cells, for the columns the formulas use


# The Ledger sheet's columns, in order. Provenance first, so an auditor sees where each line came from.
LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("File", L.file, "text", "Ledger_File"),
    LedgerColumn("Sheet", L.sheet, "text"),
    LedgerColumn("Row", L.row, "int"),
    LedgerColumn("Document No.", L.document_no, "text"),
    LedgerColumn("Item", L.item, "int"),
    LedgerColumn("Posting Date", L.posting_date, "date", "Ledger_Date"),
    LedgerColumn("Doc. Type", L.doc_type, "text"),
    LedgerColumn("Fund", L.fund, "text", "Ledger_Fund"),
    LedgerColumn("G/L Account", L.gl_account, "text", "Ledger_Account"),
    LedgerColumn("Partner", L.partner, "text", "Ledger_Partner"),
    LedgerColumn("Partner (as written)", L.partner_as_written, "text", "Ledger_PartnerWritten"),
    LedgerColumn("Assignment", L.assignment, "text", "Ledger_Assignment"),
    LedgerColumn("Currency", L.currency, "text"),
    LedgerColumn("Amount (Doc. Curr.)", L.amount_doc, "money"),
    LedgerColumn("Amount (USD)", L.amount_usd, "money", "Ledger_USD"),
    LedgerColumn("Kind", L.kind, "text", "Ledger_Kind"),
    LedgerColumn("Period", L.period, "text", "Ledger_Period"),
    LedgerColumn("Budget Line", L.budget_line, "text", "Ledger_BudgetLine"),
    LedgerColumn("Copies", L.copies, "int"),
    LedgerColumn("Lines", S.LEDGER_LINES, "int", "Ledger_Lines"),
    LedgerColumn("Text", L.text, "text"),
    LedgerColumn("Other columns", L.extra, "text"),
)


# Above SUMMARY_THRESHOLD ledger lines the Ledger sheet summarises expense lines. XlsxWriter writes some 12,000
# ledger rows a second here (make bench's writer probe, benchmarks/RESULTS.md): a decade of exports (240,000
# lines) would add 20 seconds to a build of 4, a year's 24,000 lines two.
SUMMARY_KEYS = (L.file, L.sheet, L.period, L.fund, L.kind, L.gl_account, L.budget_line)


def ledger_sheet_lines(report, detail: str = "auto") -> tuple[pd.DataFrame, bool]:
    """What the Ledger sheet holds, with a ``lines`` count per row, and whether it is summarised.

    ``detail``: ``all`` every line; ``summary`` expense lines posted on or before the as-of date become one row
    per file, period, fund, account and budget line (all that the Table 1 and Table 2 formulas select on), while
    every contribution line stays line by line (Tables 4 and 5 print receipts one by one), and so does every
    line posted after the as-of date; ``auto`` summarises above `SUMMARY_THRESHOLD` lines. Every formula gives
    the same figure either way; the full ledger is then written as CSV beside the workbook.
    """
    ledger = report.ledger_cents
    if detail == "all" or (detail == "auto" and len(ledger) <= SUMMARY_THRESHOLD):
        return ledger.assign(**{S.LEDGER_LINES: 1}), False
    rows = summarise(ledger, report.as_of, SUMMARY_KEYS)
    return (summarised_lines(ledger, report.as_of) if rows is None else rows), True


def summarised_lines(ledger: pd.DataFrame, as_of) -> pd.DataFrame:
    """The summarised Ledger sheet's rows in plain pandas: what `ledger_summary.summarise` computes faster."""
    ledger = ledger.assign(**{S.LEDGER_LINES: 1})
    folded = (ledger[L.kind] == "expense") & (ledger[L.posting_date] <= pd.Timestamp(as_of))
    groups = ledger.loc[folded].groupby(list(SUMMARY_KEYS), sort=False, dropna=False)
    summary = groups.agg(**{
        L.amount_usd: (L.amount_usd, "sum"), L.posting_date: (L.posting_date, "max"),
        S.LEDGER_LINES: (L.row, "size"), L.copies: (L.copies, "sum"), "first_row": (L.row, "min"),
        "last_row": (L.row, "max"), "currency_min": (L.currency, "min"), "currency_max": (L.currency, "max"),
    }).reset_index()
    summary[L.currency] = summary["currency_min"].where(summary["currency_min"] == summary["currency_max"], "")
    summary[L.row] = summary["first_row"]  # sorts the summary where its first line was
    summary[L.text] = [summary_text(n, a, b) for n, a, b in zip(summary[S.LEDGER_LINES], summary["first_row"],
                                                                summary["last_row"])]
    for column in (L.document_no, L.doc_type, L.partner, L.partner_as_written, L.assignment, L.extra):
        summary[column] = ""
    summary[L.item] = pd.NA
    summary[L.amount_doc] = pd.NA
    summary["is_summary"] = True
    detail_lines = ledger.loc[~folded].assign(is_summary=False)
    rows = pd.concat([summary[detail_lines.columns.intersection(summary.columns)], detail_lines], ignore_index=True)
    rows = rows.sort_values([L.file, L.row, "is_summary"], ascending=[True, True, False], kind="stable")
    rows.loc[rows["is_summary"], L.row] = pd.NA  # a summary has no single row of its own
    return rows.drop(columns=["is_summary"]).reset_index(drop=True)


def detail_csv_path(workbook: Path) -> Path:
    """Where the full ledger is written when the Ledger sheet is summarised: beside the workbook."""
    return workbook.with_name(workbook.stem + "-ledger.csv")


def ledger_rows(ledger: pd.DataFrame) -> Iterator[tuple]:
    """The Ledger sheet's rows, one tuple per line in `LEDGER_COLUMNS` order (the sheet's only row source).

    Values are plain Python: str, int, dt.date, dollars as float (exact cents / 100), or None for empty.
    Rows come in ledger order (file by name, then row), one at a time, so a streaming writer can take them.
    """
    # column by column, not cell by cell: the same values as `_plain` gives each cell, at a fraction of the cost
    yield from zip(*(_plain_column(ledger[c.column], c.kind) for c in LEDGER_COLUMNS))


def _plain_column(values: pd.Series, kind: str) -> list:
    missing = values.isna().to_numpy(dtype=bool).tolist()
    if kind == "date" and pd.api.types.is_datetime64_dtype(values.dtype):
        return [None if m else d for d, m in zip(values.dt.date.tolist(), missing)]
    if kind not in ("money", "int", "text"):
        return [_plain(v, kind) for v in values.tolist()]
    if kind == "money":
        return [None if m else int(v) / 100 for v, m in zip(values.tolist(), missing)]
    if kind == "int":
        return [None if m else int(v) for v, m in zip(values.tolist(), missing)]
    return [None if m else (v if v.__class__ is str else str(v)) for v, m in zip(values.tolist(), missing)]


def _plain(value, kind: str):
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if kind == "money":
        return int(value) / 100
    if kind == "int":
        return int(value)
    if kind == "date":
        return pd.Timestamp(value).date()
    return str(value)



def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    lines, detail_csv = book.options.ledger_lines, book.options.detail_csv
    note = ("Every unique line of every export, with the file, sheet and row it was read from. Lines "
            "posted after AsOf are shown in grey and left out of every table.")
    if detail_csv is not None:
        note += (" Expense lines are summarised, one row per file, period, account and budget line (Lines "
                 "says how many); contributions stay line by line; every line is in "
                 f"{detail_csv.name}, beside this workbook.")
    s.titles([("Ledger", "heading"), (note + printed_title_only(len(lines), "ledger rows"), "note")])
    header = 3
    s.headers(header, [c.header for c in LEDGER_COLUMNS])
    first = header + 1
    _rows(s, first, lines)
    n = len(lines)
    last = first + max(n, 1) - 1
    s.extent(last, len(LEDGER_COLUMNS) - 1)
    for col, column in enumerate(LEDGER_COLUMNS):
        if column.name:
            book.define(column.name, s, first, col, n)
    date_col = column_index(L.posting_date)
    s.ws.conditional_format(first, 0, last, len(LEDGER_COLUMNS) - 1, {
        "type": "formula", "criteria": f"={xl_rowcol_to_cell(first, date_col, col_abs=True)}>AsOf",
        "format": f.grey})
    s.ws.autofilter(header, 0, last, len(LEDGER_COLUMNS) - 1)
    s.widths.cap(column_index(L.text), 50)
    # as many pages as it needs, at a size a person can read: provenance repeated on each page across
    s.finish(header_last=header, freeze=(first, 1), keep_columns=3, scale=LEDGER_PRINT_SCALE, print_rows=2)


def _rows(s, first: int, lines: pd.DataFrame) -> None:
    """Every row in one block (`fastsheet.write_block`: thousands of cells, no per-cell helpers); the column
    widths fitted on the first `WIDTH_SAMPLE_ROWS`."""
    kinds = [c.kind for c in LEDGER_COLUMNS]
    rows = list(ledger_rows(lines))
    formats = [s.fmt.amount if kind == "money" else s.fmt.date if kind == "date" else None for kind in kinds]
    write_block(s.ws, first, rows, [TEXT if kind == "text" else DATE if kind == "date" else NUMBER for kind in kinds],
                formats)
    sample = rows[:WIDTH_SAMPLE_ROWS]
    for col, kind in enumerate(kinds):  # `Widths.see` of each value (an empty text too): the widest one's
        shown = AMOUNT if kind == "money" else ""
        values = [values[col] for values in sample if values[col] is not None]
        if values:
            s.widths.see(col, max(values, key=lambda value: shown_width(value, shown)), shown)


def column_index(column: str) -> int:
    """The Ledger sheet's column (0-based) holding a ledger column."""
    return next(i for i, c in enumerate(LEDGER_COLUMNS) if c.column == column)
