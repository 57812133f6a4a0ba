"""The Checks sheet: each reconciliation as formulas, with a status: OK when its two figures agree to the cent,
EXPLAINED when they differ by exactly the difference a known rule explains (the Note says which), else FAILED.

The figures are links to table cells or formulas over the Ledger and the reference sheets, so a check follows
the workbook when it is recalculated: changing an amount, a budget line, a partner or a period on the Ledger,
or a figure on a reference sheet, turns at least one check FAILED. The checks are built in `checks_list`.
"""
from __future__ import annotations

from . import checks_list
from .book import Region
from .formats import COUNT
from .sources import status_colours

NAME = "Checks"
HEADERS = ["#", "Group", "Check", "First figure", "Value", "Second figure", "Value", "Status", "Note"]
COL_NO, COL_GROUP, COL_TEXT, COL_A_LABEL, COL_A, COL_B_LABEL, COL_B, COL_STATUS, COL_NOTE = range(9)
CAPS = {COL_NO: 5, COL_GROUP: 11, COL_TEXT: 28, COL_A_LABEL: 16, COL_B_LABEL: 16, COL_NOTE: 27}
CHECKS_PRINT_SCALE = 70  # of the 11-point font: 7.7 points


def _status_formula(s, row: int, explained: float | None) -> str:
    a, b = s.cell(row, COL_A), s.cell(row, COL_B)
    if explained is None:
        return f'=IF(ROUND({a}-{b},2)=0,"OK","FAILED")'
    return f'=IF(ROUND({a}-{b},2)=0,"OK",IF(ROUND({a}-{b}-({explained!r}),2)=0,"EXPLAINED","FAILED"))'


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    book.checks = checks_list.build(book)
    s.titles([(NAME, "heading"),
              ("Each check compares two figures, each a formula over the tables, the Ledger or the reference "
               "sheets. Status: OK when they agree to the cent; EXPLAINED when they differ by exactly what the Note "
               "explains; FAILED otherwise. Row counts per export are on the Sources sheet.", "note")])
    header = 3
    s.headers(header, HEADERS)
    first = header + 1
    for i, c in enumerate(book.checks):
        row = first + i
        s.number(row, COL_NO, i + 1, f.count_top)
        s.text(row, COL_GROUP, c.group, f.wrap, fit=0.8)
        s.text(row, COL_TEXT, c.text, f.wrap, fit=0.55)
        s.text(row, COL_A_LABEL, c.a_label, f.wrap, fit=0.5)
        fmt = f.count_top if c.num_format == COUNT else f.money(c.num_format, valign_top=True)
        for col, formula, value in ((COL_A, c.a_formula, c.a_value), (COL_B, c.b_formula, c.b_value)):
            if formula is None:
                s.number(row, col, value, fmt, c.num_format)
            else:
                s.formula(row, col, formula, value, fmt, c.num_format)
        s.text(row, COL_B_LABEL, c.b_label, f.wrap, fit=0.5)
        s.formula(row, COL_STATUS, _status_formula(s, row, c.explained), c.status, f.status)
        s.text(row, COL_NOTE, c.note, f.wrap, fit=0.35)
    last = first + max(len(book.checks), 1) - 1
    book.regions["checks.status"] = Region(s, first, COL_STATUS, last, COL_STATUS)
    book.define("Checks_Status", s, first, COL_STATUS, len(book.checks))
    status_colours(book, s, first, COL_STATUS, last)
    s.ws.autofilter(header, 0, last, len(HEADERS) - 1)
    for col, most in CAPS.items():  # the texts wrap: one page across, at 7.5 points or more
        s.widths.cap(col, most)
    s.finish(header_last=header, freeze=(first, 3), scale=CHECKS_PRINT_SCALE)

