"""How far a sheet's cells reach, found from the sheet XML's cell references before any dense grid is built.

python-calamine (and openpyxl) build a sheet as a dense grid from A1 to its farthest cell: one stray value at
XFD1048576 in a 6 KB file would ask for 17 billion cells, and calamine aborts the whole process when it cannot
have the memory. This scan reads the XML as a stream, in chunks, and looks only at references that can be far
away (a column of two letters or more, a row of six digits or more), so a normal export is scanned at the speed
of decompression. A sheet whose grid would exceed `MAX_CELLS` is refused, naming its farthest cells.

The fast patterns read only what Excel, LibreOffice, XlsxWriter and openpyxl write: ``<c r="B7" ...>`` and
``<row r="7" ...>``. calamine reads more: a reference in single quotes or after other white space, element names
with a namespace prefix (``<x:c>``), lower-case letters, leading zeros, any number of letters and digits (its
arithmetic wraps round), and cells or rows without a reference (the next position). A window that holds any of
these is not read by pattern: the whole part is parsed (`_parsed`, expat), every cell's place found as calamine
finds it. So is a sheet whose columns are so many that a cell below its row tags would matter (`_rows_unsure`).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

CHUNK = 1 << 20
OVERLAP = 64  # a tag cut by a chunk boundary is seen whole in the next chunk
MAX_CELLS = 40_000_000  # 1.25 million lines of 12 columns is 15 million; a grid this size takes gigabytes
NEAR_COLUMNS = 26  # a sheet without a cell in a two-letter column reaches column Z at most
# Excel, XlsxWriter, openpyxl and LibreOffice write the reference first (<c r="B7" ...>): literal patterns then
# find the few far references at the speed of a byte search. A window where some cell or row tag is written
# otherwise (another producer, or a file built to slip past) makes the part parsed instead (`_regular`).
FAST = (re.compile(rb'<c r="([A-Za-z]{2,})([0-9]+)"'),  # a cell in column AA or beyond (rare in exports)
        re.compile(rb'<c r="([A-Za-z]+)([0-9]{6,})"'),  # a cell in row 100,000 or beyond, even without a row tag
        re.compile(rb'<row r="([0-9]+)"'))  # one per row, not per cell: cheap to take them all
# a reference too long to lie whole in a window's overlap with the next (`_regular`)
_LONG = re.compile(rb'<(?:c|row) r="[^"]{24}')
# a cell or row tag followed by other white space than a space, or with no attribute at all (`_regular`)
_OTHER_TAG = re.compile(rb"<(?:c|row)[\t\n\r>/]")
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")  # <x:c r="..."> (calamine reads it as a cell): 0.4 ms a sheet


def column_number(letters: bytes | str) -> int:
    """A column's number (A = 1), as calamine reads it: letters of either case."""
    number = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def _whole(digits: bytes | str) -> int:
    """A row number, however many digits (beyond any sheet: `_BEYOND`)."""
    digits = digits.lstrip(b"0" if isinstance(digits, bytes) else "0")
    return int(digits or 0) if len(digits) <= 15 else _BEYOND


_BEYOND = 10**15  # a row or column this far is refused whatever the other; int() of it stays cheap


class ScanRefused(ValueError):
    """The file cannot be scanned: damaged, encrypted (``protected``) or built to slip past the scan (also for the
    other formats: `extent_formats`)."""

    def __init__(self, message: str, protected: bool = False):
        super().__init__(message)
        self.protected = protected


@dataclass(frozen=True)
class Extent:
    columns: int  # the farthest column (1 = A): at least as far as the sheet really reaches
    rows: int
    far_cells: tuple[str, ...]  # the cell references that set columns and rows, where they are far

    @property
    def cells(self) -> int:
        return self.columns * self.rows


class _Irregular(Exception):
    """A window the fast patterns cannot read (`_regular`): the part is parsed instead (`_parsed`)."""


def _regular(window: bytes) -> bool:
    """Every cell and row tag in the window is written as the fast patterns read it: ``<c r="..."`` and
    ``<row r="..."``, with no other white space, no namespace prefix, no tag without a reference, and no reference
    longer than a window's overlap can hold whole."""
    return (window.count(b"<c ") == window.count(b'<c r="') and window.count(b"<row ") == window.count(b'<row r="')
            and _OTHER_TAG.search(window) is None and _PREFIXED.search(window) is None
            and _LONG.search(window) is None)


def scan(archive: zipfile.ZipFile, member: str) -> Extent:
    """The extent of one worksheet part, reading it as a stream. `ScanRefused` for a part that
    cannot be parsed where it had to be (malformed XML, a DTD)."""
    try:
        with archive.open(member) as part:
            found = _reach(iter(lambda: part.read(CHUNK), b""))
        if not _rows_unsure(found):
            return found
    except _Irregular:
        pass
    with archive.open(member) as part:
        return _parsed(iter(lambda: part.read(CHUNK), b""))


def scan_bytes(part: bytes) -> Extent:
    """`scan` of a part already in memory: the same chunks (a stream's ``read(CHUNK)`` returns whole chunks)."""
    try:
        found = _reach(part[i: i + CHUNK] for i in range(0, len(part), CHUNK))
        if not _rows_unsure(found):
            return found
    except _Irregular:
        pass
    return _parsed(part[i: i + CHUNK] for i in range(0, len(part), CHUNK))


def _rows_unsure(found: Extent) -> bool:
    """The fast patterns see a cell's row only from row 100,000 on (and the row tags): a cell in a lower row than
    its row tag says is not seen. That is harmless while the sheet's columns times `NEAR_ROWS` stay within
    `MAX_CELLS`; beyond, every cell is parsed: a cell at ZZZ3 and one at A99999 are 1.8 billion cells."""
    return found.columns * max(found.rows, NEAR_ROWS) > MAX_CELLS


def _reach(chunks) -> Extent:
    """The extent by the fast patterns, window by window; `_Irregular` at a window they cannot read."""
    columns = rows = 0
    col_ref = row_ref = ""
    tail = b""
    far_column, far_row, row_tag = FAST
    for chunk in chunks:
        window = tail + chunk
        tail = window[-OVERLAP:]
        if not _regular(window):
            raise _Irregular()
        if b'r="' not in window:
            continue  # no reference: nothing is placed by one here
        for letters, digits in far_column.findall(window):
            number = column_number(letters)
            if number > columns:
                columns, col_ref = number, (letters + digits).decode()
            rows = max(rows, _whole(digits))
        for letters, digits in far_row.findall(window):
            row = _whole(digits)
            if row > rows:
                rows, row_ref = row, (letters + digits).decode()
        found = row_tag.findall(window)
        if found:
            rows = max(rows, max(map(_whole, found)))
    far = tuple(dict.fromkeys(ref for ref in (col_ref, row_ref) if ref))
    return Extent(max(columns, NEAR_COLUMNS), max(rows, 1), far)


_REFERENCE = re.compile(r"([A-Za-z]+)([0-9]+)")


def _parsed(chunks) -> Extent:
    """The extent of every cell and row of a part, parsed as calamine places them: a cell at its reference, or
    after the cell before it; a row at its number, or after the row before it. Element and attribute names are
    taken without their prefix. `ScanRefused` for XML that cannot be parsed, or with a DTD."""
    from xml.parsers import expat

    state = {"row": 0, "column": 0, "rows": 0, "columns": 0, "col_ref": "", "row_ref": "", "tagged": 0}

    def refs(attrs: dict) -> list[str]:
        return [value for name, value in attrs.items() if name.rpartition(":")[2] == "r"]

    def start(name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            numbers = [_whole(v.strip()) for v in refs(attrs) if v.strip().isdigit()]
            state["row"] = max(numbers) if numbers else state["row"] + 1
            state["column"] = 0
            state["rows"] = max(state["rows"], state["row"])
            state["tagged"] = max(state["tagged"], state["row"])
        elif local == "c":
            places = [(column_number(m.group(1)), _whole(m.group(2)), v) for v in refs(attrs)
                      if (m := _REFERENCE.fullmatch(v)) is not None]
            if places:
                column, row, ref = max(places)
                state["column"] = column
                if row > state["rows"]:
                    state["rows"], state["row_ref"] = row, ref
            else:
                column, ref = state["column"] + 1, ""
                state["column"] = column
            if column > state["columns"]:
                state["columns"], state["col_ref"] = column, ref
            state["rows"] = max(state["rows"], state["row"])

    def refuse(*_args) -> None:
        raise ScanRefused("the sheet declares a DTD")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ScanRefused(f"malformed sheet XML ({exc})") from None
    # named: a cell beyond column Z, and the lowest cell where it lies beyond row 99,999 or below every row tag
    col_ref = state["col_ref"] if state["columns"] > NEAR_COLUMNS else ""
    row_ref = state["row_ref"] if state["rows"] > min(state["tagged"], NEAR_ROWS) else ""
    far = tuple(dict.fromkeys(ref for ref in (col_ref, row_ref) if ref))
    return Extent(max(state["columns"], NEAR_COLUMNS), max(state["rows"], 1), far)


# A cell or row tag that does not start with a near reference (column A to Z, row 1 to 99,999). A window without
# one (and a part without a prefixed tag) holds no cell beyond column Z or row 99,999 and no row tag beyond row
# 99,999: one search each instead of the counts and patterns of `_reach`.
NEAR_ROWS = 99_999
# a cell or row tag (not <col>, <cols>) without a near reference first: another producer, or no reference at all
_NOT_NEAR = (re.compile(rb'<c(?! r="[A-Z][0-9]{1,5}")(?=[\s>/])'), re.compile(rb'<row(?! r="[0-9]{1,5}")(?=[\s>/])'))


def near(part: bytes) -> bool:
    """True when `scan_bytes` of this part would find it within column Z and row 99,999, so far inside
    `MAX_CELLS`; False when it may reach further (then ask `scan_bytes`). Window by window, as `scan` reads."""
    if _PREFIXED.search(part):  # (a text holding ":c " too: then the part is parsed, and found near all the same)
        return False
    tail = b""
    for i in range(0, len(part), CHUNK):
        window = tail + part[i: i + CHUNK]
        tail = window[-OVERLAP:]
        if any(p.search(window) for p in _NOT_NEAR):
            try:
                reach = _reach((window,))  # this window alone, exactly (a tag cut at its end, another producer)
            except _Irregular:
                return False
            if reach.columns > NEAR_COLUMNS or reach.rows > NEAR_ROWS:
                return False
    return True


MARGIN = 16  # longer than any text `outside_data` is used to look for


def outside_data(part: bytes, byte: bytes) -> tuple[bytes, bytes] | None:
    """Where in a worksheet part anything holding ``byte`` can be, when its cell data (between ``<sheetData>`` and
    ``</sheetData>``) holds none: the part's text before and after the data (a sheet's few hundred bytes of
    header and footer), each with `MARGIN` bytes of the data. None when the data holds ``byte`` (or the part has
    no such data): look at the whole part.

    One search for a single byte (memchr, 0.06 ms over a 700 KB sheet) instead of one search per text (0.3-0.6
    ms each): a sheet's data holds tags, numbers and references, where letters such as e, f or u are rare. A
    text up to `MARGIN` bytes long that holds ``byte`` lies whole in one of the two pieces: its ``byte`` is
    outside the data, and the rest of it within `MARGIN` bytes of that.
    """
    start = part.find(b"<sheetData")
    start = part.find(b">", start) + 1 if start >= 0 else 0
    end = part.rfind(b"</sheetData>")
    if start <= 0 or end < start or part.find(byte, start, end) >= 0:
        return None
    return part[:start + MARGIN], part[max(end - MARGIN, 0):]


def is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def worksheets(archive: zipfile.ZipFile) -> list[str]:
    return sorted(n for n in archive.namelist() if is_worksheet(n))


def elsewhere(archive: zipfile.ZipFile, known: dict[str, bool]) -> list[str]:
    """Parts outside xl/worksheets/ that hold sheet data: a workbook's relationships may name any part as a
    worksheet, and calamine reads it as one (a file built to slip past `worksheets`). ``known``: whether the parts
    read whole already hold the word; every other part is read for it (a normal export's are a few small ones)."""
    found = [name for name, holds in known.items() if holds and not is_worksheet(name)]
    for info in archive.infolist():
        if is_worksheet(info.filename) or info.is_dir() or info.filename in known:
            continue
        with archive.open(info) as part:
            tail = b""
            while chunk := part.read(CHUNK):
                if b"sheetData" in tail + chunk:
                    found.append(info.filename)
                    break
                tail = chunk[-8:]
    return sorted(found)
