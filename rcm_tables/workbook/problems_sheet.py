"""The Problems sheet: the warnings and notes found while reading and checking the inputs."""
from __future__ import annotations

NAME = "Problems"
HEADERS = ["Severity", "Code", "File", "Sheet", "Row", "Column", "Value", "Problem", "How to fix"]
COL_ROW, COL_VALUE, COL_MESSAGE = 4, 6, 7


def shown(report) -> list:
    """The problems the sheet lists: not the notes about the machine that built it (a cache that could not be
    written or read), which say nothing of the inputs and would make the same inputs give another workbook
    (they are printed on the console)."""
    from ..problems import Code

    return [p for p in report.problem_list if p.code not in (Code.CACHE_NOT_WRITTEN, Code.CACHE_ENTRY_CORRUPT)]


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    s.titles([(NAME, "heading"), ("Warnings and notes found while reading and checking the inputs.", "note")])
    header = 3
    s.headers(header, HEADERS)
    for i, p in enumerate(shown(book.report)):
        row = header + 1 + i
        values = (p.severity, str(p.code), p.file, p.sheet, p.row, p.column, p.value, p.message, p.hint)
        for col, value in enumerate(values):
            if col == COL_ROW:
                if value is None:
                    s.blank(row, col, f.text)
                else:
                    s.number(row, col, int(value), f.text)
            else:
                s.text(row, col, value, f.wrap if col >= COL_MESSAGE else f.text, fit=0.5 if col >= COL_VALUE else 1)
    s.finish(header_last=header, freeze=(header + 1, 0))
