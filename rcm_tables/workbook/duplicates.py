"""The Duplicates sheet (identical copies counted once, each beside the line kept) and the Rejected sheet
(rows read but not used, when a workbook is written despite errors)."""
from __future__ import annotations

from .. import money as M
from .. import schemas as S
from ..problems import ERROR
from .fastsheet import NUMBER, TEXT
from .sheet import printed_title_only

DUPLICATES, REJECTED = "Duplicates", "Rejected"
L = S.Ledger
DUPLICATE_COLUMNS = (("Document No.", L.document_no, "text"), ("Item", L.item, "int"), ("File", L.file, "text"),
                     ("Sheet", L.sheet, "text"), ("Row", L.row, "int"), ("Amount (USD)", L.amount_usd, "money"),
                     ("Kept: file", "kept_file", "text"), ("Kept: sheet", "kept_sheet", "text"),
                     ("Kept: row", "kept_row", "int"))
COL_FILE, COL_USD = 2, 5


def rejected(report) -> list:
    """Errors located on a row: the rows not used (only when a report was built despite errors)."""
    return [p for p in report.problem_list if p.severity == ERROR and p.row is not None]


def write_duplicates(book) -> None:
    s = book.sheets[DUPLICATES]
    f = book.fmt
    d = book.report.duplicates
    s.titles([("Duplicates", "heading"),
              ("Identical copies of a line (same Document No. and Item, same content) counted once: each copy "
               "here, with the line that was kept (on the Ledger sheet)." + printed_title_only(len(d), "copies"),
               "note")])
    header = 3
    s.headers(header, [label for label, _c, _n in DUPLICATE_COLUMNS])
    first = header + 1
    kinds = [kind for _l, _c, kind in DUPLICATE_COLUMNS]
    plain = {"int": int, "money": lambda cents: M.dollars(int(cents)), "text": lambda v: "" if v is None else str(v)}
    # column by column (the values itertuples gives, at a fraction of its cost), then row by row
    rows = list(zip(*([plain[kind](value) for value in d[c].tolist()] for _l, c, kind in DUPLICATE_COLUMNS)))
    if rows:  # one block, as `Sheet.text`, `number` and `money` would write each cell (the money format made here)
        s.rows(first, rows, [TEXT if kind == "text" else NUMBER for kind in kinds],
               [f.money(M.MONEY) if kind == "money" else f.text for kind in kinds],
               [M.MONEY if kind == "money" else "" for kind in kinds])
    book.define("Duplicates_File", s, first, COL_FILE, len(d))
    book.define("Duplicates_USD", s, first, COL_USD, len(d))
    s.finish(header_last=header, freeze=(first, 0), print_rows=2)


def write_rejected(book) -> None:
    s = book.sheets[REJECTED]
    f = book.fmt
    s.titles([("Rejected", "heading"), ("Rows that were read but not used, and why.", "note")])
    header = 3
    s.headers(header, ["File", "Sheet", "Row", "Column", "Value", "Problem", "How to fix"])
    row_col, first_wrapped = 2, 5
    for i, p in enumerate(rejected(book.report)):
        row = header + 1 + i
        for col, value in enumerate((p.file, p.sheet, p.row, p.column, p.value, p.message, p.hint)):
            if col == row_col:
                s.number(row, col, int(value), f.text)
            else:
                wrapped = col >= first_wrapped
                s.text(row, col, value, f.wrap if wrapped else f.text, fit=0.5 if wrapped else 1)
    s.finish(header_last=header, freeze=(header + 1, 0))
