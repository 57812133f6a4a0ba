"""The book: one report written into one workbook. Formats, defined names, and the registry of where each
table figure went, so that Checks, Published vs computed and the Cover can link to it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_range_abs

from .. import __version__
from ..tables.spec import CellKey
from .formats import Formats
from .sheet import Sheet

FIXED_DATE = dt.datetime(2000, 1, 1)  # document properties are fixed so the same inputs give the same bytes
TITLE = "RCM Technical Secretariat: financial tables"


@dataclass(frozen=True)
class Place:
    sheet: Sheet
    row: int
    col: int


@dataclass(frozen=True)
class Region:
    """A block of cells that another sheet refers to (e.g. the Checks' Holds column, counted on the Cover)."""

    sheet: Sheet
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def ref(self) -> str:
        return f"{quote_sheetname(self.sheet.name)}!" + xl_range_abs(self.first_row, self.first_col, self.last_row,
                                                                     self.last_col)


@dataclass(frozen=True)
class Options:
    published: Path | None = None  # a folder of the published tables: adds "Published vs computed"
    ledger_detail: str = "auto"  # as asked: what the Ledger sheet holds (the Cover records it)
    ledger_lines: object = None  # what the Ledger sheet holds (every line, or expenses summarised)
    detail_csv: Path | None = None  # where every line is, when the Ledger sheet is summarised
    since: dt.date | None = None  # the date of the last report: adds the Changes sheet


class Book:
    """Writes one report into one workbook; remembers where each figure went."""

    def __init__(self, report, path: Path, options: Options):
        self.report = report
        self.options = options
        self.ref = report.reference
        self.as_of: dt.date = report.as_of
        self.period = self.ref.period_of(self.as_of)
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"title": TITLE, "subject": f"As of {self.as_of.isoformat()}",
                                "author": "rcm-tables", "company": "RCM Technical Secretariat",
                                "comments": f"rcm-tables {__version__}", "created": FIXED_DATE})
        self.fmt = Formats(self.wb)
        self.sheets: dict[str, Sheet] = {}
        self.cells: dict[CellKey, Place] = {}
        self.regions: dict[str, Region] = {}
        self.checks: list = []  # the reconciliations, as the Checks sheet wrote them (`checks_sheet.Check`)

    def add_sheets(self, names: list[str]) -> None:
        """Create the sheets in reading order (they are filled later, in dependency order)."""
        for name in names:
            self.sheets[name] = Sheet(self, name)

    def place(self, key: CellKey, sheet: Sheet, row: int, col: int) -> None:
        self.cells[key] = Place(sheet, row, col)

    def xref(self, key: CellKey) -> str:
        """An absolute reference, from any sheet, to the cell that holds a figure."""
        place = self.cells[key]
        return place.sheet.xref(place.row, place.col)

    def define(self, name: str, sheet: Sheet, first_row: int, col: int, count: int) -> None:
        """A defined name over exactly ``count`` cells of a column (one blank cell when there are none)."""
        last = first_row + max(count, 1) - 1
        self.wb.define_name(name, f"={quote_sheetname(sheet.name)}!{xl_range_abs(first_row, col, last, col)}")

    def close(self) -> None:
        from ..outputs import close_xlsx

        close_xlsx(self.wb)
