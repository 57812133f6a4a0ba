"""Activities registers for the tests: a good row, and a register workbook written from rows."""
from __future__ import annotations

import datetime as dt

from dev.xlsxout import Properties, Sheet, table_rows, write

HEADER = ["Section", "Title", "Place", "Start", "End", "Description"]
GOOD = ["1.2", "Seminar", "Panama City", dt.date(2012, 9, 3), dt.date(2012, 9, 4), "What happened."]


def register_file(path, rows, header=HEADER, sheet="Activities"):
    write(path, [Sheet(sheet, table_rows(header, rows, bold_header=True))],
          properties=Properties(dt.datetime(2012, 1, 1)))
    return path
