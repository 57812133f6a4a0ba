"""Pure layout helpers for the workbook: number formats, the Ledger's columns and rows, criteria, widths.

Nothing here touches xlsxwriter (`workbook.py` is the only module that does); these are plain values and
functions so that they can be tested and reused.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

from . import schemas as S
from .money import AMOUNT, MONEY, MONEY_WHOLE, dollars, money_format_for, money_text  # noqa: F401

L = S.Ledger

# Number formats: negatives in parentheses, as the report prints them.
PERCENT = '0.00"%"'  # shares are held as percentage points (1.77), as the reference workbook gives them
DATE = "yyyy-mm-dd"
COUNT = "#,##0"

MIN_WIDTH, MAX_WIDTH = 6, 68  # a SHA-256 (64 characters) fits
WILDCARDS = ("~", "*", "?")  # SUMIFS/COUNTIFS treat these as wildcards; "~" escapes


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
    LedgerColumn("G/L Account", L.gl_account, "text"),
    LedgerColumn("Partner", L.partner, "text", "Ledger_Partner"),
    LedgerColumn("Partner (as written)", L.partner_as_written, "text"),
    LedgerColumn("Assignment", L.assignment, "text"),
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


# Above this many ledger lines the Ledger sheet summarises expense lines. XlsxWriter writes some 4,000 ledger
# rows a second here: a decade of exports (240,000 lines) would take a minute, a year's 24,000 lines six seconds.
SUMMARY_THRESHOLD = 50_000
SUMMARY_KEYS = (L.file, L.sheet, L.period, L.fund, L.kind, L.gl_account, L.budget_line)


def ledger_sheet_lines(report, detail: str = "auto") -> tuple[pd.DataFrame, bool]:
    """What the Ledger sheet holds, with a ``lines`` count per row, and whether it is summarised.

    ``detail``: ``all`` every line; ``summary`` expense lines posted on or before the as-of date become one row
    per file, period, fund, account and budget line (all that the Table 1 and Table 2 formulas select on), while
    every contribution line stays line by line (Tables 4 and 5 print receipts one by one), and so does every
    line posted after the as-of date; ``auto`` summarises above `SUMMARY_THRESHOLD` lines. Every formula gives
    the same figure either way; the full ledger is then written as CSV beside the workbook.
    """
    ledger = report.ledger.assign(**{S.LEDGER_LINES: 1})
    if detail == "all" or (detail == "auto" and len(ledger) <= SUMMARY_THRESHOLD):
        return ledger, False
    folded = (ledger[L.kind] == "expense") & (ledger[L.posting_date] <= pd.Timestamp(report.as_of))
    groups = ledger.loc[folded].groupby(list(SUMMARY_KEYS), sort=False, dropna=False)
    summary = groups.agg(**{
        L.amount_usd: (L.amount_usd, "sum"), L.posting_date: (L.posting_date, "max"),
        S.LEDGER_LINES: (L.row, "size"), L.copies: (L.copies, "sum"), "first_row": (L.row, "min"),
        "last_row": (L.row, "max"), "currency_min": (L.currency, "min"), "currency_max": (L.currency, "max"),
    }).reset_index()
    summary[L.currency] = summary["currency_min"].where(summary["currency_min"] == summary["currency_max"], "")
    summary[L.row] = summary["first_row"]  # sorts the summary where its first line was
    summary[L.text] = [f"Summary of {n:,} expense lines (rows {a}-{b}); every line is in the ledger CSV beside "
                       "the workbook" for n, a, b in zip(summary[S.LEDGER_LINES], summary["first_row"],
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
    return rows.drop(columns=["is_summary"]).reset_index(drop=True), True


def detail_csv_path(workbook: Path) -> Path:
    """Where the full ledger is written when the Ledger sheet is summarised: beside the workbook."""
    return workbook.with_name(workbook.stem + "-ledger.csv")


def ledger_rows(ledger: pd.DataFrame) -> Iterator[tuple]:
    """The Ledger sheet's rows, one tuple per line in `LEDGER_COLUMNS` order (the sheet's only row source).

    Values are plain Python: str, int, dt.date, dollars as float (exact cents / 100), or None for empty.
    Rows come in ledger order (file by name, then row), one at a time, so a streaming writer can take them.
    """
    columns = [c.column for c in LEDGER_COLUMNS]
    kinds = [c.kind for c in LEDGER_COLUMNS]
    for values in ledger[columns].itertuples(index=False, name=None):
        yield tuple(_plain(v, k) for v, k in zip(values, kinds))


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


def needs_escape(label: str) -> bool:
    return any(ch in label for ch in WILDCARDS)


def receipt_text(payments: list[tuple[int, dt.date]]) -> str:
    """Table 4's 'Date(s) of receipt' cell: one line per receipt, '$5,000.00 (23/02/2012)'."""
    return "\n".join(f"{money_text(amount)} ({day:%d/%m/%Y})" for amount, day in payments)


def long_date(day: dt.date) -> str:
    """'9 November 2012', without platform-specific strftime flags."""
    return f"{day.day} {day:%B %Y}"


def shown_width(value, num_format: str = "") -> int:
    """Roughly how many characters a value takes on screen, to fit the column."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        if num_format == PERCENT:
            return len(f"{value:.2f}%")
        if num_format in (MONEY, MONEY_WHOLE, AMOUNT):
            return len(f"{abs(value):,.2f}") + 3
        return len(f"{value:,}") if isinstance(value, int) else len(f"{value:,.2f}")
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


LINE_HEIGHT = 15  # points per line of the default 11-point font


def lines_needed(text: str, width: int) -> int:
    """How many lines a wrapped text takes in a column ``width`` characters wide."""
    room = max(width - 1, 1)
    return sum(max(1, -(-len(line) // room)) for line in str(text).split("\n"))


class Widths:
    """The widest content of each column of a sheet (headers wrap, so they count less)."""

    def __init__(self):
        self.widths: dict[int, int] = {}

    def see(self, col: int, value, num_format: str = "", weight: float = 1.0) -> None:
        width = int(shown_width(value, num_format) * weight) + 2
        self.widths[col] = max(self.widths.get(col, MIN_WIDTH), min(width, MAX_WIDTH))

    def items(self):
        return sorted(self.widths.items())
