"""Pre-flight for untrusted files: what format the bytes are, and refuse what is encrypted or built to exhaust memory.

The format is read from the content, not the name (an old .xls renamed .xlsx is read as the .xls it is):
`sniff`. Every file is bounded in size (`MAX_FILE_BYTES`). The zip-based formats (.xlsx, .xlsm, .xlsb, .ods) have
their declared sizes checked (zip bombs) and any XML part that declares a DTD refused (entity expansion: "billion
laughs", external entities), using defusedxml's parsers on the small structural parts and a prolog scan on the
others. Then each format's cell positions are scanned before any grid is built (a stray value far away):
`extent` for .xlsx/.xlsm, `extent_formats` for .ods, .xls and .xlsb, whose scans also find the error cells
(`Checked.scans`). A .csv is bounded while it is read (`csvgrid`).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..problems import Code, Problem, problem
from . import extent, extent_formats
from .engines import error_cells_in, zip_encrypted

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and legacy .xls are OLE compound files
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 2 * 1024**3  # 2 GiB of XML is far beyond any monthly export
MAX_RATIO = 200  # real sheet XML compresses ~10-20x; bombs compress thousands of times
RATIO_FLOOR = 50 * 1024**2  # the ratio limit applies to parts over 50 MiB uncompressed
STRUCTURAL = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
              "META-INF/manifest.xml")
PROLOG_BYTES = 4096
MAX_FILE_BYTES = 512 * 1024**2  # a monthly export is a few hundred KB; 1.25 million lines of .csv are ~200 MB
ZIP_KINDS = ("xlsx", "xlsb", "ods")
# what each format is called in messages
FORMAT_NAMES = {"xlsx": "Excel workbook (.xlsx)", "xlsb": "Excel binary workbook (.xlsb)",
                "ods": "OpenDocument spreadsheet (.ods)", "xls": "Excel 97-2003 workbook (.xls)", "csv": "CSV file"}


def sniff(data: bytes, name: str) -> str:
    """The format of a file's bytes: xlsx (also .xlsm), xlsb, ods, xls, encrypted (an encrypted .xlsx), csv (by
    its name, for bytes that are none of the others), or unknown."""
    if data.startswith(OLE_MAGIC):
        return "encrypted" if _is_encrypted_ooxml(data) else "xls"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError):  # (a zip version it
            # cannot extract): the zip checks say what is wrong with it
            return "xlsx" if not name.lower().endswith((".ods", ".xlsb", ".csv")) else name.lower().rsplit(".", 1)[-1]
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names or "mimetype" in names:
            return "ods"
        return "xlsx"
    return "csv" if name.lower().endswith(".csv") else "unknown"


def _unsafe(label: str, message: str, hint: str) -> list[Problem]:
    return [problem(Code.FILE_UNSAFE, message, file=label, hint=hint)]


def _is_encrypted_ooxml(data: bytes) -> bool:
    # An encrypted .xlsx is an OLE file with an "EncryptionInfo" stream (its name is stored in UTF-16LE).
    return "EncryptionInfo".encode("utf-16-le") in data[: 64 * 1024 * 1024]


def _far_cells(label: str, member: str, found: extent.Extent) -> Problem:
    where = " and ".join(found.far_cells)
    return problem(Code.SHEET_TOO_FAR, f"a value at {where} ({member}) lies far outside any table: the sheet "
                   f"would span {found.rows:,} rows by {found.columns:,} columns ({found.cells:,} cells)",
                   file=label, value=where,
                   hint=f"delete the stray cell(s) {where} (Ctrl+End in Excel goes to the last cell) and save again")


@dataclass(frozen=True)
class Checked:
    """What pre-flight found: the format, the problems (none: the file may be parsed), and for .ods, .xls and
    .xlsb each sheet's scan (its error cells, which calamine would read as empty)."""

    kind: str
    problems: list[Problem]
    scans: dict[str, extent_formats.Scan] = field(default_factory=dict)
    error_cells: bool | None = None  # an .xlsx: whether a worksheet holds error cells (None: not known)
    hidden_rows: dict[str, tuple[int, ...]] = field(default_factory=dict)  # an .xlsx: sheet name -> rows hidden


# What to do about a file that cannot be read: an export's hints (the reference workbook, the Secretariat's own,
# replaces the ones in `REEXPORT_HINTS` with its own: inputs/reference_sheets.py)
EXPORT_AGAIN = "export the report again as an Excel workbook (.xlsx)"
COPY_AGAIN = "copy or export the file again"
CUT_SHORT = "the file was cut short or damaged: copy or export it again"
REEXPORT_HINTS = (EXPORT_AGAIN, COPY_AGAIN, CUT_SHORT)


def preflight(data: bytes, label: str) -> list[Problem]:
    """Problems that make a file's bytes unsafe or impossible to read; empty when they may be parsed."""
    return check(data, label).problems


def check(data: bytes, label: str, kind: str | None = None) -> Checked:
    """The format of ``data`` (sniffed from ``label``'s name when not given) and what makes it unsafe."""
    kind = kind or sniff(data, label)
    if len(data) > MAX_FILE_BYTES:
        return Checked(kind, _unsafe(label, f"the file is {len(data) / 1024**2:,.0f} MB", "a monthly export is "
                                     f"far smaller; refusing to read more than {MAX_FILE_BYTES // 1024**2} MB"))
    if kind == "encrypted":
        return Checked(kind, [problem(Code.FILE_PROTECTED, "the workbook is password-protected", file=label,
                                      hint="open it in Excel, remove the password (File > Info > Protect "
                                           "Workbook) and save")])
    if kind == "xls":
        return _check_xls(data, label)
    if kind == "csv":
        return Checked(kind, [])
    if kind == "unknown":
        suffix = "." + label.rsplit(".", 1)[-1].lower() if "." in label else ""
        what = "not an OLE file" if suffix == ".xls" else "not a zip archive"
        return Checked(kind, [problem(Code.FILE_UNREADABLE, f"not an {suffix or 'export'} workbook ({what})",
                                      file=label, hint=EXPORT_AGAIN)])
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        return Checked(kind, [problem(Code.FILE_UNREADABLE, f"corrupt {_dotted(kind)} (damaged zip archive)",
                                      file=label, hint=CUT_SHORT)])
    return _check_zip(buffer, label, kind)


def _dotted(kind: str) -> str:
    return f".{kind}"


def _check_xls(data: bytes, label: str) -> Checked:
    try:
        scans = extent_formats.scan_xls(data)
    except extent_formats.ScanRefused as exc:
        if exc.protected:
            return Checked("xls", [problem(Code.FILE_PROTECTED, "the workbook is password-protected", file=label,
                                           hint="open it in Excel, remove the password and save")])
        return Checked("xls", [problem(Code.FILE_UNREADABLE, "corrupt .xls workbook", file=label,
                                       value=str(exc)[:80], hint=COPY_AGAIN)])
    return Checked("xls", _too_far(label, scans), scans)


def _too_far(label: str, scans: dict[str, extent_formats.Scan]) -> list[Problem]:
    for sheet, scan in scans.items():
        if scan.cells > extent.MAX_CELLS:
            found = extent.Extent(scan.columns, scan.rows, (scan.far_cell,))
            return [_far_cells(label, f"sheet {sheet!r}", found)]
    return []


def _check_zip(buffer: io.BytesIO, label: str, kind: str) -> Checked:
    """The zip checks (sizes, DTDs), then the format's extent scan."""
    scans: dict[str, extent_formats.Scan] = {}
    sheets: dict[str, tuple[extent.Extent | None, bool]] = {}  # the worksheets read whole by the count scan
    looked: dict[str, bool] = {}  # every part read whole: whether it holds sheet data
    try:
        with zipfile.ZipFile(buffer) as archive:
            found = _zip_problems(archive, label, sheets, looked)
            if found:
                return Checked(kind, found)
            if kind == "xlsx":
                members = extent.worksheets(archive)
                for member in members + extent.elsewhere(archive, looked):
                    reach = sheets[member][0] if member in sheets else extent.scan(archive, member)
                    if reach is not None and reach.cells > extent.MAX_CELLS:
                        return Checked(kind, [_far_cells(label, member, reach)])
                errors = [sheets[m][1] for m in members if m in sheets]
                hidden = {m: sheets[m][2] for m in members if m in sheets and sheets[m][2]}
                return Checked(kind, [], hidden_rows=_by_sheet(archive, hidden) if hidden else {},
                               error_cells=True if any(errors) else
                               False if len(errors) == len(members) else None)
            elif kind == "ods":
                scans = extent_formats.scan_ods(archive)
            else:
                scans = {m: extent_formats.scan_xlsb(archive, m) for m in sorted(archive.namelist())
                         if m.startswith("xl/worksheets/") and m.endswith(".bin")}
    except DefusedXmlException as exc:
        return Checked(kind, _unsafe(label, f"XML with a DTD or entities ({type(exc).__name__})",
                                     "spreadsheet XML never needs a DTD; refusing to open it (XML bomb?)"))
    except extent_formats.ScanRefused as exc:
        return Checked(kind, [problem(Code.FILE_UNREADABLE, f"corrupt {_dotted(kind)} workbook", file=label,
                                      value=str(exc)[:80], hint=COPY_AGAIN)])
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, ValueError) as exc:
        return Checked(kind, [problem(Code.FILE_UNREADABLE, f"corrupt {_dotted(kind)} (damaged zip archive)",
                                      file=label, value=f"{type(exc).__name__}: {exc}"[:80],
                                      hint=COPY_AGAIN)])
    except SafeET.ParseError as exc:
        return Checked(kind, [problem(Code.FILE_UNREADABLE, f"corrupt {_dotted(kind)} (malformed XML)", file=label,
                                      value=str(exc)[:80], hint=COPY_AGAIN)])
    return Checked(kind, _too_far(label, scans), scans)


def _zip_problems(archive: zipfile.ZipFile, label: str, sheets: dict, looked: dict) -> list[Problem]:
    """Zip bombs and XML parts with a DTD, and impossible counts (``sheets``: each worksheet read whole then,
    its extent (None: near) and whether it holds error cells; ``looked``: each part read whole then, whether it
    holds sheet data)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return _unsafe(label, f"the workbook has {len(members)} parts", "this is not a line-item export")
    if zip_encrypted(archive):
        return [problem(Code.FILE_PROTECTED, "the workbook's parts are encrypted (a zip password)", file=label,
                        hint="a zip tool encrypted it: export or copy the file again, without the password")]
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        return _unsafe(label, f"the workbook would expand to {total / 1024**3:.1f} GiB",
                       "this is not a plausible export; refusing to open it (zip bomb?)")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return _unsafe(label, f"part {m.filename} expands {m.file_size // max(m.compress_size, 1)}"
                           " times", "refusing to open a zip bomb")
    names = {m.filename for m in members}
    for name in STRUCTURAL:
        if name in names:
            SafeET.fromstring(archive.read(name), forbid_dtd=True)
    for m in members:
        if m.filename.endswith((".xml", ".rels")) and m.filename not in STRUCTURAL:
            with archive.open(m) as part:
                prolog = part.read(PROLOG_BYTES).lower()
            if b"<!doctype" in prolog or b"<!entity" in prolog:
                return _unsafe(label, f"part {m.filename} declares a DTD (XML entity expansion)",
                               "spreadsheet XML never needs a DTD; refusing to open it (XML bomb?)")
    for m in members:
        if m.filename.startswith("xl/") and m.filename.endswith(".xml"):  # an OOXML workbook's parts
            found = _impossible_count(archive, m, label, sheets, looked)
            if found:
                return found
    return []


# an OOXML count attribute (<sst count="…" uniqueCount="…">, <cellXfs count="…">): a whole attribute name, not
# OpenDocument's meta:cell-count or table:number-columns-repeated
_COUNT = re.compile(rb"""(?<=\s)(uniqueCount|count)\s*=\s*["']\s*(\d{1,30})""")
# in the shared strings, ``count`` is how many cells refer to a string (Excel writes it: 12,000 references to a
# few dozen country names is an ordinary export); only ``uniqueCount`` counts the items a reader reserves for
_SST = "xl/sharedStrings.xml"
COUNT_SCAN_BYTES = 8 * 1024**2  # a part this small is scanned whole; a larger one, its first PROLOG_BYTES


def _impossible_count(archive: zipfile.ZipFile, m: zipfile.ZipInfo, label: str, sheets: dict, looked: dict
                      ) -> list[Problem]:
    """A part that declares more items (shared strings, styles, formats) than its bytes can hold: the readers
    reserve memory for the declared count before reading one item (a shared-strings bomb aborts the process).
    A worksheet read whole is scanned here for its extent and error cells too (``sheets``), not read again; a part
    read whole is noted with whether it holds sheet data (``looked``)."""
    whole = m.file_size <= COUNT_SCAN_BYTES
    with archive.open(m) as part:
        head = part.read(COUNT_SCAN_BYTES if whole else PROLOG_BYTES)
    if whole:  # (`extent.elsewhere`: a part other than a worksheet that holds sheet data is scanned as one)
        looked[m.filename] = b"sheetData" in head
    if whole and extent.is_worksheet(m.filename) and archive.getinfo(m.filename) is m:  # the part `scan` reads
        sheets[m.filename] = (None if extent.near(head) else extent.scan_bytes(head), error_cells_in(head),
                              hidden_rows(head))
    most = min(m.file_size // 4 + 16, extent.MAX_CELLS)  # an item takes at least four bytes (<b/>)
    # a count attribute holds a "u" and no ">": where the sheet's data holds no "u", each lies whole in a tag
    # before or after the data
    pieces = extent.outside_data(head, b"u") if whole else None
    for match in (_counts(head) if pieces is None else (found for piece in pieces for found in _counts(piece))):
        if match.group(1) == b"count" and m.filename == _SST:
            continue
        count = int(match.group(2))
        if count > most:
            return _unsafe(label, f"part {m.filename} declares {count:,} items in {m.file_size:,} bytes, which "
                           f"can hold at most {most:,}: a reader would reserve memory for them all (memory bomb)",
                           COPY_AGAIN)
    return []


def _counts(head: bytes):
    """`_COUNT.finditer(head)`, found from each "ount" (matches cannot overlap): a search for a fixed string
    instead of a pattern tried at every byte."""
    at = head.find(b"ount") if head.rfind(b"ount") >= 0 else -1  # rfind: the faster search where there is none
    while at >= 0:
        for start in (at - 1, at - 7):  # count, uniqueCount
            match = _COUNT.match(head, start) if start >= 1 else None
            if match:
                yield match
        at = head.find(b"ount", at + 4)


_ROW_TAG = re.compile(rb"<(?:[^\s<>/!?:]+:)?row\b[^>]*>")  # with a namespace prefix too (<x:row>), as calamine reads it
_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d{1,7})["']""")


def hidden_rows(part: bytes) -> tuple[int, ...]:
    """The rows (1-based) a worksheet part marks hidden: hidden by hand, or filtered out, in Excel. The readers
    read them as any other row (calamine knows nothing of it), so the finance officer is told (`rows-hidden-read`).
    A row without its number (``r``, which Excel always writes) is not counted."""
    # rows are in the sheet's data: where the data holds no "h" (one memchr), no row says hidden; else one search
    # for a true value (not for "hidden" alone: LibreOffice writes hidden="false" on every row)
    if extent.outside_data(part, b"h") is not None or _HIDDEN.search(part) is None:
        return ()
    found = []
    for tag in _ROW_TAG.finditer(part):
        text = tag.group(0)
        if b"hidden" in text and _HIDDEN.search(text):
            number = _ROW_NUMBER.search(text)
            if number is not None:
                found.append(int(number.group(1)))
    return tuple(found)


def _by_sheet(archive: zipfile.ZipFile, hidden: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """``hidden`` (worksheet part -> rows) by sheet name, through the workbook part and its relationships (both
    parsed already by `_zip_problems`, so known to be safe XML)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relationship = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = SafeET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except (KeyError, SafeET.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    found = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(relationship), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in hidden and sheet.get("name"):
            found[sheet.get("name")] = hidden[part]
    return found


def hidden_rows_read(hidden: tuple[int, ...], header_row: int, where: dict, hint: str) -> list[Problem]:
    """One warning for the rows below a sheet's header (``header_row``, 1-based) that Excel hides (by hand, or a
    filter): they are read, and a row hidden to leave it out would otherwise count without a word."""
    rows = sorted(r for r in hidden if r > header_row)
    if not rows:
        return []
    shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
    many = len(rows) > 1
    return [problem(Code.ROWS_HIDDEN_READ, f"{len(rows)} row{'s' if many else ''} hidden in Excel (or filtered out) "
                    f"{'are' if many else 'is'} read all the same: row{'s' if many else ''} {shown}", **where,
                    row=rows[0], hint=hint)]
