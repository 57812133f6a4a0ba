"""Published vs computed: each published figure beside the computed one (a link to the table cell), the
difference as a formula, and the rule that explains it (`rcm_tables.published`)."""
from __future__ import annotations

import pandas as pd
from xlsxwriter.utility import xl_range

from ..published import compare, notes
from .formats import PERCENT
from .sheet import printed_title_only
from .. import money as M

NAME = "Published vs computed"
HEADERS = ["Table", "Row", "Column", "Unit", "Published", "Computed", "Difference", "Rule", "Label"]
(COL_TABLE, COL_ROW, COL_COLUMN, COL_UNIT, COL_PUBLISHED, COL_COMPUTED, COL_DIFFERENCE, COL_RULE,
 COL_LABEL) = range(9)


NOTES = "Published notes"


def write(book) -> None:
    s = book.sheets[NAME]
    folder = book.options.published
    frame = compare(book.report, folder)
    s.titles([(NAME, "heading"),
              ("The published tables beside the figures computed here. Computed links to the table cell; "
               "Difference = Computed − Published. Rule and Label: what explains a difference, or flags the "
               "published report's own inconsistency." + (f" The notes that came with them: sheet {NOTES}."
                                                           if notes(folder) else "")
               + printed_title_only(len(frame), "figures"), "note")])
    header = 3
    s.headers(header, HEADERS)
    row = header
    for rec in frame.itertuples(index=False):
        row += 1
        _row(book, s, row, rec)
    _summary(book, s, header + 1, max(row, header + 1), frame)
    s.ws.autofilter(header, 0, max(row, header + 1), len(HEADERS) - 1)
    for col, most in ((COL_ROW, 24), (COL_COLUMN, 20), (COL_RULE, 16), (COL_LABEL, 26)):  # wrap: the page's width
        s.widths.cap(col, most)
    s.finish(header_last=header, freeze=(header + 1, 3), keep_columns=3, print_rows=3)


def _summary(book, s, first: int, last: int, frame) -> None:
    """Row 3: how many figures were compared, equal, explained by a rule, and left unexplained (formulas)."""
    f = book.fmt
    rows = xl_range(first, COL_TABLE, last, COL_TABLE)
    diff = xl_range(first, COL_DIFFERENCE, last, COL_DIFFERENCE)
    rules = xl_range(first, COL_RULE, last, COL_RULE)
    unexplained = int(frame["rules"].str.contains("unexplained").sum())
    equal = int((frame["difference"].notna() & (frame["difference"] == 0)).sum())
    counts = (("Compared", f"=COUNTA({rows})", len(frame)), ("Equal", f"=COUNTIF({diff},0)", equal),
              ("Unexplained", f'=COUNTIF({rules},"*unexplained*")', unexplained))
    col = 0
    for label, formula, value in counts:
        s.text(2, col, label, f.bold, fit=0)
        s.formula(2, col + 1, formula, value, f.count)
        col += 2
    s.text(2, col, "Explained", f.bold, fit=0)
    s.formula(2, col + 1, f"={s.cell(2, 1)}-{s.cell(2, 3)}-{s.cell(2, 5)}", len(frame) - equal - unexplained, f.count)


NOTES_WIDTH = 120


def write_notes(book) -> None:
    """The notes listed with the published tables (DISCREPANCIES.md), on a sheet of their own."""
    s = book.sheets[NOTES]
    extra = notes(book.options.published)
    s.titles([(NOTES, "heading"), (f"As listed with the published tables ({extra[0]}).", "note")])
    for i, line in enumerate(extra[1:]):
        s.text(3 + i, 0, line, fit=0)
    s.widths.widths[0] = NOTES_WIDTH  # the lines wrap in one wide column: the page's width
    s.finish()


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
        s.formula(row, COL_DIFFERENCE, f"=ROUND({s.cell(row, COL_COMPUTED)}-{s.cell(row, COL_PUBLISHED)},2)",
                  float(rec.difference), fmt, num_format)
    else:
        s.blank(row, COL_COMPUTED, fmt)
        s.blank(row, COL_DIFFERENCE, fmt)
    s.text(row, COL_RULE, rec.rules, f.wrap, fit=0.8)
    s.text(row, COL_LABEL, rec.label, f.wrap, fit=0.35)
