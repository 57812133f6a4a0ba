"""How far the sheets of an .ods, .xls or .xlsb reach, and where their error cells are, before calamine reads them.

python-calamine builds every sheet of these formats as a dense grid when it opens the workbook: one stray value
far away would ask for billions of cells (on an .xls it aborts the process; on an .ods it refuses beyond 100
million cells, after allocating up to that). Each scan here reads the file's own cell positions as a stream,
without building anything, so a sheet beyond `extent.MAX_CELLS` is refused first (the same rule as for .xlsx).

The same pass notes the error cells (``#N/A``, ``#DIV/0!``): calamine reads them in these formats as empty
cells, so the engine puts their text back (`Scan.errors`) and the cell is reported like any other bad value.

- .ods: the ``content.xml`` part, with expat (no tree): rows and cells carry ``number-rows-repeated`` and
  ``number-columns-repeated``, which LibreOffice writes routinely for empty areas; only filled cells count.
- .xls: the BIFF records of the ``Workbook`` stream (a sheet's cell records carry row and column).
- .xlsb: the records of each worksheet part (row headers, cells and the declared dimension).
"""
from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from .extent import MAX_CELLS, ScanRefused

ODS_NS = "urn:oasis:names:tc:opendocument:xmlns:"
TABLE = ODS_NS + "table:1.0"
OFFICE = ODS_NS + "office:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
MAX_ERROR_BLOCKS = 100_000  # beyond this many error cells the sheet is refused as unreadable
BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
               0x2A: "#N/A"}


@dataclass
class Scan:
    """One sheet: its extent (1-based farthest row and column holding a value) and its error cells as blocks
    (first row, last row, first column, last column, text), 0-based and inclusive."""

    rows: int = 0
    columns: int = 0
    far_cell: str = ""
    errors: list[tuple[int, int, int, int, str]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def reach(self, row: int, column: int) -> None:
        """A value at 0-based (row, column)."""
        if row + 1 > self.rows or column + 1 > self.columns:
            self.rows, self.columns = max(self.rows, row + 1), max(self.columns, column + 1)
            self.far_cell = f"{column_letters(column + 1)}{row + 1}"

    def error(self, block: tuple[int, int, int, int, str]) -> None:
        if len(self.errors) >= MAX_ERROR_BLOCKS:
            raise ScanRefused(f"more than {MAX_ERROR_BLOCKS:,} error cells")
        self.errors.append(block)


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- .ods


class _OdsScanner:
    """expat handlers: position of each cell from the repeat counts; a cell with a value type or a paragraph
    is filled."""

    def __init__(self):
        self.sheets: dict[str, Scan] = {}
        self.scan: Scan | None = None
        self.row = self.column = 0
        self.row_repeat = 1
        self.cell: tuple[int, bool, bool] | None = None  # (repeat, filled, error)
        self.error_text: list[str] = []
        self.depth_text = 0

    def start(self, name: str, attrs: dict) -> None:
        if name == f"{TABLE} table":
            self.scan = self.sheets.setdefault(attrs.get(f"{TABLE} name", ""), Scan())
            self.row = 0
        elif name == f"{TABLE} table-row":
            self.column, self.row_repeat = 0, _count(attrs.get(f"{TABLE} number-rows-repeated"))
        elif name in (f"{TABLE} table-cell", f"{TABLE} covered-table-cell"):
            kind = attrs.get(f"{OFFICE} value-type")
            error = attrs.get(f"{CALCEXT} value-type") == "error"
            self.cell = (_count(attrs.get(f"{TABLE} number-columns-repeated")), kind is not None, error)
            self.error_text = []
        elif self.cell is not None:  # a paragraph or other content inside the cell: it shows something
            self.cell = (self.cell[0], True, self.cell[2])

    def text(self, data: str) -> None:
        if self.cell is not None and self.cell[2] and sum(map(len, self.error_text)) < 64:
            self.error_text.append(data)

    def end(self, name: str) -> None:
        if name in (f"{TABLE} table-cell", f"{TABLE} covered-table-cell") and self.cell is not None:
            repeat, filled, error = self.cell
            if (filled or error) and self.scan is not None:
                last_row, last_column = self.row + self.row_repeat - 1, self.column + repeat - 1
                self.scan.reach(last_row, last_column)
                if error:
                    self.scan.error((self.row, last_row, self.column, last_column,
                                     "".join(self.error_text).strip() or "#VALUE!"))
            self.column += repeat
            self.cell = None
        elif name == f"{TABLE} table-row":
            self.row += self.row_repeat


def _count(value) -> int:
    try:
        number = int(value) if value is not None else 1
    except ValueError:
        raise ScanRefused(f"a repeat count that is not a number ({value!r:.20})") from None
    if not 1 <= number <= 1 << 24:
        raise ScanRefused(f"a repeat count out of range ({number})")
    return number


def scan_ods(archive: zipfile.ZipFile) -> dict[str, Scan]:
    """Each sheet of an .ods (by name): extent and error cells, from ``content.xml`` as a stream. Scanning stops
    as soon as a sheet passes `MAX_CELLS` (the extent then returned is past the bound)."""
    scanner = _OdsScanner()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = scanner.start, scanner.end
    parser.CharacterDataHandler = scanner.text

    def refuse(*_args):
        raise ScanRefused("the XML declares a DTD or an entity")

    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    try:
        with archive.open("content.xml") as part:
            while chunk := part.read(1 << 20):
                parser.Parse(chunk, False)
                if any(scan.cells > MAX_CELLS for scan in scanner.sheets.values()):
                    return scanner.sheets
        parser.Parse(b"", True)
    except KeyError:
        raise ScanRefused("no content.xml part") from None
    except expat.ExpatError as exc:
        raise ScanRefused(f"malformed XML ({exc})") from None
    return scanner.sheets


# ---------------------------------------------------------------- .xls (BIFF5/BIFF8 in an OLE compound file)

_CELL_RECORDS = {0x0006, 0x0205, 0x0203, 0x00FD, 0x0204, 0x027E, 0x0201, 0x00D6}  # row, column first
_MULTI_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column
BOF, EOF, BOUNDSHEET, FILEPASS, FORMULA, BOOLERR = 0x0809, 0x000A, 0x0085, 0x002F, 0x0006, 0x0205


def xls_stream(data: bytes) -> bytes:
    """The BIFF records of an .xls: its Workbook stream (BIFF8; Book in BIFF5). `ScanRefused` when the OLE file
    is damaged or has no such stream."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise ScanRefused("no Workbook stream (not an Excel workbook)")
            return ole.openstream(name).read()
    except (OSError, ValueError, IndexError, struct.error) as exc:  # olefile's errors for a damaged file
        raise ScanRefused(f"damaged OLE file ({type(exc).__name__}: {exc})") from None


def scan_xls(data: bytes) -> dict[str, Scan]:
    """Each worksheet of an .xls (by name): extent and error cells, from its BIFF records."""
    stream = xls_stream(data)
    names, by_offset = {}, {}
    scan: Scan | None = None
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4: pos + 4 + size]
        if kind == FILEPASS:
            raise ScanRefused("the workbook is password-protected", protected=True)
        if kind == BOUNDSHEET and len(body) >= 8:
            names[struct.unpack_from("<I", body)[0]] = _sheet_name(body)
        elif kind == BOF:
            scan = by_offset.setdefault(pos, Scan())
        elif scan is not None and len(body) >= 4:
            _xls_cell(scan, kind, body)
        pos += 4 + size
    return {names.get(offset, f"#{offset}"): found for offset, found in by_offset.items()}


def _xls_cell(scan: Scan, kind: int, body: bytes) -> None:
    if kind in _CELL_RECORDS:
        row, column = struct.unpack_from("<HH", body)
        scan.reach(row, column)
        code = None
        if kind == FORMULA and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
            code = body[8]
        elif kind == BOOLERR and len(body) >= 8 and body[7] == 1:
            code = body[6]
        if code is not None:
            scan.error((row, row, column, column, BIFF_ERRORS.get(code, "#VALUE!")))
    elif kind in _MULTI_RECORDS and len(body) >= 6:
        row, _first = struct.unpack_from("<HH", body)
        scan.reach(row, struct.unpack_from("<H", body, len(body) - 2)[0])


def _sheet_name(body: bytes) -> str:
    """BOUNDSHEET: offset, state, type, then the name (BIFF8: length, flags, characters; BIFF5: length, bytes)."""
    length = body[6]
    if len(body) >= 8 + length and len(body) in (8 + length, 8 + 2 * length):
        wide = body[7] & 1
        raw = body[8: 8 + length * (2 if wide else 1)]
        return raw.decode("utf-16-le" if wide else "latin-1")
    return body[7: 7 + length].decode("latin-1")


# ---------------------------------------------------------------- .xlsb


_XLSB_ROW, _XLSB_DIM = 0x0000, 0x0094
_XLSB_CELLS = range(0x01, 0x0C)  # BrtCellBlank .. BrtFmlaError: column first
_XLSB_ERRORS = (0x03, 0x0B)  # BrtCellError, BrtFmlaError


def scan_xlsb(archive: zipfile.ZipFile, member: str) -> Scan:
    """One worksheet part of an .xlsb: its extent (rows, cells, the declared dimension) and error cells."""
    data = archive.read(member)
    scan, row, pos = Scan(), 0, 0
    while pos < len(data):
        kind, pos = _varint(data, pos, 2)
        size, pos = _varint(data, pos, 4)
        body = data[pos: pos + size]
        pos += size
        if kind == _XLSB_ROW and len(body) >= 4:
            row = struct.unpack_from("<I", body)[0]
        elif kind in _XLSB_CELLS and len(body) >= 4:
            column = struct.unpack_from("<I", body)[0]
            scan.reach(row, column)
            if kind in _XLSB_ERRORS and len(body) >= 9:
                scan.error((row, row, column, column, BIFF_ERRORS.get(body[8], "#VALUE!")))
        elif kind == _XLSB_DIM and len(body) >= 16:
            _first_row, last_row, _first_column, last_column = struct.unpack_from("<IIII", body)
            scan.reach(last_row, last_column)
        if scan.cells > MAX_CELLS:
            break
    return scan


def _varint(data: bytes, pos: int, most: int) -> tuple[int, int]:
    value = 0
    for shift in range(most):
        if pos >= len(data):
            raise ScanRefused("a record cut short")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << (7 * shift)
        if not byte & 0x80:
            break
    return value, pos
