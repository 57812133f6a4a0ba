"""How far a sheet's cells reach, found from the sheet XML's cell references before any dense grid is built.

python-calamine (and openpyxl) build a sheet as a dense grid from A1 to its farthest cell: one stray value at
XFD1048576 in a 6 KB file would ask for 17 billion cells. This scan reads the XML as a stream, in chunks, and
looks only at references that can be far away (a column of two or three letters, a row of six or seven
digits), so a normal export is scanned at the speed of decompression. A sheet whose grid would exceed
`MAX_CELLS` is refused, naming its farthest cells.
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
# find the few far references at the speed of a byte search. A window where some cell or row tag does not start
# with its reference (another producer, or a file built to slip past) is scanned with the general patterns.
FAST = (re.compile(rb'<c r="([A-Z]{2,3})(\d{1,7})"'),  # a cell in column AA or beyond (rare in exports)
        re.compile(rb'<c r="([A-Z]{1,3})(\d{6,7})"'),  # a cell in row 100,000 or beyond, even without a row tag
        re.compile(rb'<row r="(\d{1,7})"'))  # one per row, not per cell: cheap to take them all
GENERAL = (re.compile(rb'<c\s[^>]*?\br="([A-Z]{2,3})(\d{1,7})"'),
           re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})(\d{6,7})"'),
           re.compile(rb'<row\s[^>]*?\br="(\d{1,7})"'))


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


@dataclass(frozen=True)
class Extent:
    columns: int  # the farthest column (1 = A): at least as far as the sheet really reaches
    rows: int
    far_cells: tuple[str, ...]  # the cell references that set columns and rows, where they are far

    @property
    def cells(self) -> int:
        return self.columns * self.rows


def _patterns(window: bytes):
    """The patterns a window needs: none where no tag carries a reference (positions are then implicit, and a
    cell can only be as far as the cells before it, which the file's size bounds)."""
    if b'r="' not in window:
        return None
    # a tag name may be followed by any XML white space: a tab or a line break is another producer's, not FAST's
    regular = (window.count(b"<c ") == window.count(b'<c r="') and window.count(b"<row ") == window.count(b'<row r="')
               and not any(tag + space in window for tag in (b"<c", b"<row") for space in (b"\t", b"\n", b"\r")))
    return FAST if regular else GENERAL


def scan(archive: zipfile.ZipFile, member: str) -> Extent:
    """The extent of one worksheet part, reading it as a stream."""
    with archive.open(member) as part:
        return _reach(iter(lambda: part.read(CHUNK), b""))


def scan_bytes(part: bytes) -> Extent:
    """`scan` of a part already in memory: the same chunks (a stream's ``read(CHUNK)`` returns whole chunks)."""
    return _reach(part[i: i + CHUNK] for i in range(0, len(part), CHUNK))


def _reach(chunks) -> Extent:
    columns = rows = 0
    col_ref = row_ref = ""
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        tail = window[-OVERLAP:]
        patterns = _patterns(window)
        if patterns is None:
            continue
        far_column, far_row, row_tag = patterns
        for letters, digits in far_column.findall(window):
            number = column_number(letters)
            if number > columns:
                columns, col_ref = number, (letters + digits).decode()
            rows = max(rows, int(digits))
        for letters, digits in far_row.findall(window):
            if int(digits) > rows:
                rows, row_ref = int(digits), (letters + digits).decode()
        found = row_tag.findall(window)
        if found:
            rows = max(rows, max(map(int, found)))
    far = tuple(dict.fromkeys(ref for ref in (col_ref, row_ref) if ref))
    return Extent(max(columns, NEAR_COLUMNS), max(rows, 1), far)


# A cell or row tag that does not start with a near reference (column A to Z, row 1 to 99,999). A window without
# one is regular (every tag starts with its reference: `FAST`), and `FAST` finds in it no cell beyond column Z or
# row 99,999 and no row tag beyond row 99,999: one search each instead of the four counts and three patterns.
NEAR_ROWS = 99_999
_NOT_NEAR = (re.compile(rb'<c\s(?!r="[A-Z][0-9]{1,5}")'), re.compile(rb'<row\s(?!r="[0-9]{1,5}")'))


def near(part: bytes) -> bool:
    """True when `scan_bytes` of this part would find it within column Z and row 99,999, so far inside
    `MAX_CELLS`; False when it may reach further (then ask `scan_bytes`). Window by window, as `scan` reads."""
    tail = b""
    for i in range(0, len(part), CHUNK):
        window = tail + part[i: i + CHUNK]
        tail = window[-OVERLAP:]
        if b'r="' in window and any(p.search(window) for p in _NOT_NEAR):
            reach = _reach((window,))  # this window alone, exactly (a tag cut at its end, another producer)
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
