"""Published vs computed: each published figure beside the computed one (a link to the table cell), the
difference as a formula, and the rule that explains it (`rcm_tables.published`)."""
from __future__ import annotations

import pandas as pd

from ..published import compare, notes
from .formats import PERCENT
from .. import money as M

NAME = "Published vs computed"
HEADERS = ["Table", "Row", "Column", "Unit", "Published", "Computed", "Difference", "Rule", "Label"]
(COL_TABLE, COL_ROW, COL_COLUMN, COL_UNIT, COL_PUBLISHED, COL_COMPUTED, COL_DIFFERENCE, COL_RULE,
 COL_LABEL) = range(9)


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    folder = book.options.published
    frame = compare(book.report, folder)
    s.titles([(NAME, "heading"),
              (f"The published tables ({folder.name}) beside the figures computed here. Computed "
               "links to the table cell; Difference = Computed − Published. Label: the rule that explains a "
               "difference, or flags the published report's own inconsistency.", "note")])
    header = 3
    s.headers(header, HEADERS)
    row = header
    for rec in frame.itertuples(index=False):
        row += 1
        _row(book, s, row, rec)
    extra = notes(folder)
    if extra:
        row += 2
        s.text(row, 0, f"As listed with the published tables ({extra[0]}):", f.title, fit=0)
        for line in extra[1:]:
            row += 1
            s.text(row, 0, line, fit=0)
    s.finish(header_last=header, freeze=(header + 1, 3))


def _row(book, s, row: int, rec) -> None:
    f = book.fmt
    num_format = PERCENT if rec.unit == "%" else M.MONEY
    fmt = f.money(num_format)
    for col, value in ((COL_TABLE, rec.table), (COL_ROW, rec.row), (COL_COLUMN, rec.column), (COL_UNIT, rec.unit)):
        s.text(row, col, value, f.text)
    if pd.notna(rec.published):
        s.number(row, COL_PUBLISHED, float(rec.published), fmt, num_format)
    else:
        s.blank(row, COL_PUBLISHED, fmt)
    if pd.notna(rec.computed):
        # every computed figure is a table cell of this workbook: a missing key is our bug, never a number
        if rec.cell not in book.cells:
            raise KeyError(f"published figure {rec.table} / {rec.row} / {rec.column}: no cell {rec.cell}")
        s.formula(row, COL_COMPUTED, f"={book.xref(rec.cell)}", float(rec.computed), fmt, num_format)
        s.formula(row, COL_DIFFERENCE, f"={s.cell(row, COL_COMPUTED)}-{s.cell(row, COL_PUBLISHED)}",
                  float(rec.difference), fmt, num_format)
    else:
        s.blank(row, COL_COMPUTED, fmt)
        s.blank(row, COL_DIFFERENCE, fmt)
    s.text(row, COL_RULE, rec.rules, f.wrap, fit=0.8)
    s.text(row, COL_LABEL, rec.label, f.wrap, fit=0.35)
