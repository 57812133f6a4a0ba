"""The cell values of a workbook's sheets: python-calamine, or openpyxl where calamine would read differently.

calamine is about ten times faster than openpyxl and gives the same values, with two exceptions handled here:

- error cells (``#N/A``, ``#DIV/0!``): calamine reads them as empty cells, which would let a broken formula
  pass as a missing optional value. A workbook holding any is read with openpyxl, which gives the error text,
  so the cell is reported.
- a workbook calamine cannot open at all (other than a password) is tried with openpyxl.
- a number in a date or time cell beyond any date (-1e12 as a date; 1e9 as a duration): calamine cannot convert
  it, and a very negative one makes its Rust code panic, which prints to the console. A workbook whose sheets
  hold a negative number of eleven digits or more, or a negative one written with an exponent of ten or more, or
  -inf (`_BEYOND_DATES`), is read with openpyxl
  (it gives ``#VALUE!``, reported at its cell); a cell calamine fails to convert all the same (a positive duration
  of 1e9 days overflows Python's) is read again with openpyxl (an .xlsx), or makes the sheet unreadable (.xls,
  .xlsb, .ods: calamine is the only reader).

Only the readers' own errors for a bad file become `UnreadableWorkbook`; anything else is a bug and propagates.

openpyxl's values are brought to calamine's conventions, so that a file reads the same either way: numbers
are floats, a date-time at midnight is a date, and ``_xHHHH_`` escapes in text are decoded (as the OOXML
standard says, and as calamine does).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import Callable

from .datesystem import serial_epoch
from .extent import outside_data
from .values import EXCEL_EPOCH

ENGINES = ("auto", "calamine", "openpyxl")
# an error cell's type attribute, as Excel writes it (t="e") and as calamine also reads it (t = 'e', t=\n"e")
_ERROR_CELL = re.compile(rb"""\st\s*=\s*["']e["']""")
_NO_VALUE = re.compile(rb"(</f>|<f\b[^>]*/>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>")  # a formula cell with no <v>: no saved result
# a value whose conversion as a date or time cell makes calamine's Rust code panic (below -1.07e11 days): negative,
# with eleven digits or more before any point, an exponent of ten or more (not -1.1368683772161603E-13), or -inf
_BEYOND_DATES = re.compile(rb"<v>-(?:[0-9]{11}|[0-9.]*[eE]\+?0*[1-9][0-9]|[iI])")
_SCAN_CHUNK = 1 << 16


@dataclass(frozen=True)
class Book:
    """An open workbook: its sheet names, the visible worksheets, a way to read one sheet's rows, and the day its
    serial numbers count from (`rcm_tables.inputs.datesystem`)."""

    names: list[str]
    visible: list[str]
    read_rows: Callable[[str], list[list]]
    engine: str
    epoch: dt.date = EXCEL_EPOCH


class PasswordProtected(Exception):
    pass


class UnreadableWorkbook(Exception):
    """The reader could not make sense of the file: a damaged or foreign workbook (``cause``: the reader's error)."""

    def __init__(self, cause: BaseException):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause


class UnconvertibleCell(UnreadableWorkbook):
    """calamine read a sheet but could not convert one of its cells to a Python value: a date or time cell beyond
    any date (its Rust code panics, or Python's timedelta overflows)."""

    def __str__(self) -> str:
        return f"a date or time cell holds a number beyond any date ({self.cause})"


def _panicked(exc: BaseException) -> bool:
    """A Rust panic inside python-calamine, raised as pyo3's PanicException (a BaseException: not an Exception)."""
    kind = type(exc)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


# What the zip layer raises for a damaged member (a corrupt deflate stream, a bad CRC, a method it lacks).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError)


def zip_encrypted(package: zipfile.ZipFile) -> bool:
    """A part encrypted with a zip tool's password (flag bit 0), where Python's zip reader stops with a RuntimeError.
    No Office program writes one: Excel and Word encrypt a whole document as an OLE file instead."""
    return any(info.flag_bits & 0x1 for info in package.infolist())


@functools.cache
def calamine_errors() -> tuple[type[BaseException], ...]:
    """python-calamine's errors for a bad file: CalamineError and its subclasses (XmlError, ZipError, ...)."""
    import python_calamine as pc

    return (pc.CalamineError,)


@functools.cache
def openpyxl_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl's load_workbook raises for a damaged file, found by feeding it damaged files
    (tests/xlsx.py DAMAGES): a missing part is a KeyError, a malformed part an XML ParseError, a bad cell a
    ValueError ("Unable to read workbook"), a missing styles part an IndexError, a cell's empty style (s="") a
    TypeError; plus its InvalidFileException and the zip layer's errors."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    errors: tuple[type[BaseException], ...] = (InvalidFileException, ParseError, KeyError, ValueError, IndexError,
                                               TypeError, *ZIP_ERRORS)
    try:
        from lxml.etree import LxmlError  # openpyxl parses with lxml when it is installed

        errors += (LxmlError,)
    except ImportError:
        pass
    return errors


def has_error_cells(data: bytes) -> bool:
    """True if any worksheet of the .xlsx package holds an error cell (``t="e"``), a formula with no saved value, or
    a number calamine may fail to convert (`_BEYOND_DATES`): what openpyxl reads instead."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return False  # not a zip: calamine decides what it is
    with package:
        for name in package.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            try:
                if _part_has_error_cells(package, name):
                    return True
            except ZIP_ERRORS:
                return False  # a damaged part: calamine reports it
    return False


def _part_has_error_cells(package: zipfile.ZipFile, name: str) -> bool:
    """Error cells, or formula cells with no saved value (calamine reads both as empty cells), or a number calamine
    may fail to convert."""
    with package.open(name) as part:
        tail = b""
        while chunk := part.read(_SCAN_CHUNK):
            window = tail + chunk
            if _ERROR_CELL.search(window) or _NO_VALUE.search(window) or _BEYOND_DATES.search(window):
                return True
            tail = chunk[-256:]
    return False


def error_cells_in(part: bytes) -> bool:
    """`_part_has_error_cells` of a worksheet part already in memory (the pre-flight reads it whole)."""
    # where the cell data holds no "e" (one memchr), an error cell's type can only be in the few hundred bytes
    # around it (`outside_data`), where the pattern sees it whole; else the pattern reads the whole part
    pieces = outside_data(part, b"e")
    if any(_ERROR_CELL.search(piece) for piece in ((part,) if pieces is None else pieces)):
        return True
    if _BEYOND_DATES.search(part):  # a match is at most a cell's value long: a window's overlap holds it
        return True
    # (`_holds` searches with rfind: where nothing is found, CPython's search from the end is about twice as fast)
    if (not _holds(part, b"</f>", b"f") and not _holds(part, b"<f", b"f")) or not _NO_VALUE.search(part):
        return False  # each window is a piece of the part: none can hold what the part does not
    # a match in the part may span more than a window's overlap: look window by window, as the stream does
    tail = b""
    for i in range(0, len(part), _SCAN_CHUNK):
        chunk = part[i: i + _SCAN_CHUNK]
        if _NO_VALUE.search(tail + chunk):
            return True
        tail = chunk[-256:]
    return False


def _holds(part: bytes, text: bytes, byte: bytes) -> bool:
    """``text in part``, for a ``text`` holding ``byte``: looked for outside the cell data only, when the data
    holds no ``byte`` (`extent.outside_data`)."""
    pieces = outside_data(part, byte)
    return part.rfind(text) >= 0 if pieces is None else any(text in piece for piece in pieces)


def open_calamine(data: bytes, errors: dict[str, list] | None = None) -> Book:
    """``errors``: per sheet, the error cells a pre-flight scan found (blocks of
    `rcm_tables.inputs.extent_formats.Scan.errors`), put back as their text where calamine reads an empty cell."""
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = workbook.sheets_metadata
    except pc.PasswordError as exc:
        raise PasswordProtected() from exc
    except calamine_errors() + ZIP_ERRORS as exc:
        raise UnreadableWorkbook(exc) from exc
    except BaseException as exc:  # a damaged .xls container can make calamine's Rust code panic as it opens
        if not _panicked(exc):
            raise
        raise UnreadableWorkbook(exc) from None
    visible = [m.name for m in meta
               if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet]

    def read_rows(sheet: str) -> list[list]:
        try:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except calamine_errors() + ZIP_ERRORS as exc:
            raise UnreadableWorkbook(exc) from exc
        except (OverflowError, ValueError) as exc:  # a cell's value Python cannot hold (a duration of 1e9 days)
            raise UnconvertibleCell(exc) from exc
        except BaseException as exc:
            if not _panicked(exc):
                raise
            raise UnconvertibleCell(exc) from None
        return with_errors(rows, (errors or {}).get(sheet, ()))

    return Book([m.name for m in meta], visible, read_rows, "calamine")


def with_errors(rows: list[list], blocks) -> list[list]:
    """The rows with each error block's cells set to its text (rows and cells added where calamine ended)."""
    for first_row, last_row, first_column, last_column, text in blocks:
        while len(rows) <= last_row:
            rows.append([])
        for r in range(first_row, last_row + 1):
            row = rows[r]
            if len(row) <= last_column:
                row.extend([""] * (last_column + 1 - len(row)))
            row[first_column: last_column + 1] = [text] * (last_column + 1 - first_column)
    return rows


def open_openpyxl(data: bytes) -> Book:
    import openpyxl

    with warnings.catch_warnings():  # openpyxl warns about features it drops; the values are what we read
        warnings.simplefilter("ignore")
        try:  # reads every part and cell now (not read-only): its errors are the file's
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
            # the formulas themselves, where a formula has no saved value (rare: only then read twice)
            formulas = openpyxl.load_workbook(io.BytesIO(data)) if _has_unsaved_formulas(data) else None
        except openpyxl_errors() as exc:
            raise UnreadableWorkbook(exc) from exc
    visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]

    def read_rows(sheet: str) -> list[list]:
        ws = workbook[sheet]
        if ws.max_row == 1 and ws.max_column == 1 and ws.cell(1, 1).value is None:
            return []
        rows = [[_like_calamine(v) for v in row]
                for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column,
                                        values_only=True)]
        return _unsaved(rows, formulas[sheet]) if formulas is not None else rows

    return Book(list(workbook.sheetnames), visible, read_rows, "openpyxl")


def _has_unsaved_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with package.open(name) as part:
                    tail = b""
                    while chunk := part.read(_SCAN_CHUNK):
                        if _NO_VALUE.search(tail + chunk):
                            return True
                        tail = chunk[-256:]
    return False


def _or_openpyxl(book: Book, data: bytes) -> Book:
    """calamine's book, whose sheets are read with openpyxl where calamine cannot convert a cell (`UnconvertibleCell`)."""
    def read_rows(sheet: str) -> list[list]:
        try:
            return book.read_rows(sheet)
        except UnconvertibleCell as failed:
            try:
                return open_openpyxl(data).read_rows(sheet)
            except UnreadableWorkbook:  # (openpyxl cannot read -inf): calamine's reason is the clearer
                raise failed from None

    return replace(book, read_rows=read_rows)


def _unsaved(rows: list[list], formulas) -> list[list]:
    """Each empty cell that holds a formula becomes `FormulaWithoutValue` (its problem then says so)."""
    from .values import FormulaWithoutValue

    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                formula = formulas.cell(r + 1, c + 1).value
                if isinstance(formula, str) and formula.startswith("="):
                    row[c] = FormulaWithoutValue(formula)
                elif formula is not None and formula.__class__.__name__ in ("ArrayFormula", "DataTableFormula"):
                    row[c] = FormulaWithoutValue(str(getattr(formula, "text", "") or "=formula"))
    return rows


def _like_calamine(value):
    if value is None:
        return None
    kind = value.__class__
    if kind is int:
        return float(value)
    if kind is dt.datetime and value.tzinfo is None and value.time() == dt.time():
        return value.date()
    if kind is str and "_x" in value:
        from openpyxl.utils.escape import unescape

        return unescape(value)
    return value


def open_book(data: bytes, engine: str = "auto", kind: str = "xlsx", errors: dict[str, list] | None = None,
              error_cells: bool | None = None) -> Book:
    """Open a workbook from its bytes. Raises `PasswordProtected` or `UnreadableWorkbook` (a damaged
    file: with ``auto``, calamine's error when openpyxl cannot read it either); any other error is a bug.

    ``kind`` (`rcm_tables.inputs.preflight.sniff`): an .xlsx may be read by either engine; .xls, .xlsb and .ods
    by calamine, with ``errors`` (the pre-flight's error cells) put back. ``error_cells``: what `has_error_cells`
    would say of an .xlsx, where the pre-flight found it (None: it is asked). The book's ``epoch`` is its date
    system's (`datesystem.serial_epoch`)."""
    return replace(_open_book(data, engine, kind, errors, error_cells), epoch=serial_epoch(data, kind))


def _open_book(data: bytes, engine: str, kind: str, errors: dict[str, list] | None, error_cells: bool | None) -> Book:
    if kind != "xlsx":
        return open_calamine(data, errors)
    if engine == "openpyxl" or (engine == "auto" and (has_error_cells(data) if error_cells is None else error_cells)):
        return open_openpyxl(data)
    try:
        book = open_calamine(data)
        return book if engine == "calamine" else _or_openpyxl(book, data)
    except UnreadableWorkbook:
        if engine == "calamine":
            raise
        try:
            return open_openpyxl(data)
        except UnreadableWorkbook:
            pass
        raise
