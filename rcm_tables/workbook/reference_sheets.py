"""The reference workbook inside the auditor's workbook: Periods, Budget Lines, Accounts, Scale, Opening Balances
and every optional sheet that was read, each row with the row it came from.

Every reference figure of a table (approved budgets, budget lines, the scale) is a formula over these sheets'
defined names, so an auditor can check that account 760100 maps to "Travel and per diem" without the reference
workbook, and a changed approved budget here moves the tables and the checks.
"""
from __future__ import annotations

import pandas as pd

from .. import money as M
from .. import schemas as S
from ..tables.spec import CellKey
from .formats import PERCENT
from .sheet import LISTED_ROWS, printed_title_only

# Defined names over the columns that formulas use: sheet -> {column: name}
NAMES = {
    S.PERIODS_SHEET: {S.Periods.period: "Periods_Period", S.Periods.start: "Periods_Start",
                      S.Periods.end: "Periods_End", S.Periods.approved_budget: "Periods_Approved"},
    S.BUDGET_LINES_SHEET: {S.BudgetLines.period: "BudgetLines_Period", S.BudgetLines.section: "BudgetLines_Section",
                           S.BudgetLines.budget_line: "BudgetLines_Line", S.BudgetLines.approved: "BudgetLines_Approved"},
    S.ACCOUNTS_SHEET: {S.Accounts.period: "Accounts_Period", S.Accounts.gl_account: "Accounts_Account",
                       S.Accounts.budget_line: "Accounts_Line"},
    S.SCALE_SHEET: {S.Scale.fund: "Scale_Fund", S.Scale.country: "Scale_Country", S.Scale.share_pct: "Scale_Share",
                    S.Scale.assessed: "Scale_Assessed"},
    S.OPENING_SHEET: {S.OpeningBalances.period: "Opening_Period", S.OpeningBalances.as_of: "Opening_AsOf",
                      S.OpeningBalances.contributions_received: "Opening_Received",
                      S.OpeningBalances.operating_costs: "Opening_Costs"},
}
SOURCE_ROW = "Source row"
FIRST_ROW = 4  # titles, a blank row, the header; the data starts on row 5
WRAP_FROM = 32  # characters: a longer text (a note, an instruction) wraps in a column this wide


def key(sheet: str, row: int, column: str) -> CellKey:
    """A reference cell: the sheet, the row in the reference workbook, the schema column."""
    return CellKey(f"reference:{sheet}", row, column)


def sheets(ref) -> list[str]:
    """The reference sheets the workbook shows: the required ones, and the optional ones that hold rows (an
    empty optional sheet, Opening Balances included, is no tab and no page: no formula names its ranges)."""
    return [name for name, (_model, _headers, required) in S.REFERENCE_SHEETS.items()
            if required or not ref.frame(name).empty]


def write(book, sheet: str) -> None:
    s = book.sheets[sheet]
    f = book.fmt
    model, headers, _required = S.REFERENCE_SHEETS[sheet]
    frame = book.ref.frame(sheet)
    listing = len(frame) > LISTED_ROWS
    s.titles([(sheet, "heading"),
              (f"As read from {book.ref.file}, sheet {sheet}. {SOURCE_ROW}: the row there."
               + (printed_title_only(len(frame)) if listing else ""), "note")])
    header = 3
    columns = list(headers)
    s.headers(header, [SOURCE_ROW, *headers.values()])
    money, dates = set(S.money_columns(model)), set(S.date_columns(model))
    first = header + 1
    wrapped: set[int] = set()
    for i, (source_row, rec) in enumerate(frame.iterrows()):
        row = first + i
        s.number(row, 0, int(source_row), f.count)
        for col, column in enumerate(columns, start=1):
            value = rec[column]
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                s.blank(row, col, f.text)
            elif column in money:
                s.money(row, col, int(value), M.money_format_for([int(value)]))
            elif column in dates:
                s.date(row, col, value.date(), f.date_text)
            elif isinstance(value, float):
                s.number(row, col, float(value), f.money(PERCENT), PERCENT)
            elif len(str(value)) > WRAP_FROM:  # a long text wraps: the sheet stays one page wide
                s.text(row, col, value, f.wrap)
                wrapped.add(col)
            else:
                s.text(row, col, value, f.text)
            book.place(key(sheet, int(source_row), column), s, row, col)
    if frame.empty:
        s.text(first, 0, "(none)", f.note)
    for column, name in NAMES.get(sheet, {}).items():
        book.define(name, s, first, columns.index(column) + 1, len(frame))
    for col in wrapped:
        s.widths.cap(col, WRAP_FROM + 2)
    s.finish(header_last=header, freeze=(first, 1), print_rows=2 if listing else None)
