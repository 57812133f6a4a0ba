"""Pre-flight for untrusted workbooks: refuse what is not an .xlsx, is encrypted, or is built to exhaust memory.

An .xlsx is a zip of XML parts. Before a parser sees it we check the zip's declared sizes (zip bombs) and
refuse any XML part that declares a DTD (entity expansion: "billion laughs", external entities), using
defusedxml's parsers on the small structural parts and a prolog scan on the large sheet parts.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..problems import Code, Problem, problem
from . import extent

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and legacy .xls are OLE compound files
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 2 * 1024**3  # 2 GiB of XML is far beyond any monthly export
MAX_RATIO = 200  # real sheet XML compresses ~10-20x; bombs compress thousands of times
RATIO_FLOOR = 50 * 1024**2  # the ratio limit applies to parts over 50 MiB uncompressed
STRUCTURAL = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
PROLOG_BYTES = 4096


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


def preflight(data: bytes, label: str) -> list[Problem]:
    """Problems that make a file's bytes unsafe or impossible to read as .xlsx; empty when they may be parsed."""
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_ooxml(data):
            return [problem(Code.FILE_PROTECTED, "the workbook is password-protected", file=label,
                          hint="open it in Excel, remove the password (File > Info > Protect Workbook) and save")]
        return [problem(Code.WRONG_FILE_TYPE, "an old-style .xls workbook, not an .xlsx", file=label,
                      hint="open it in Excel and save it as Excel Workbook (.xlsx)")]
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        if head.startswith(b"PK"):
            return [problem(Code.FILE_UNREADABLE, "corrupt .xlsx (damaged zip archive)", file=label,
                          hint="the file was cut short or damaged: copy or export it again")]
        return [problem(Code.FILE_UNREADABLE, "not an .xlsx workbook (not a zip archive)", file=label,
                      hint="export the report again as an Excel workbook (.xlsx)")]
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return _unsafe(label, f"the workbook has {len(members)} parts", "this is not a line-item export")
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
            for member in extent.worksheets(archive):
                found = extent.scan(archive, member)
                if found.cells > extent.MAX_CELLS:
                    return [_far_cells(label, member, found)]
    except DefusedXmlException as exc:
        return _unsafe(label, f"XML with a DTD or entities ({type(exc).__name__})",
                       "spreadsheet XML never needs a DTD; refusing to open it (XML bomb?)")
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, ValueError) as exc:
        return [problem(Code.FILE_UNREADABLE, "corrupt .xlsx (damaged zip archive)", file=label,
                      value=f"{type(exc).__name__}: {exc}"[:80], hint="copy or export the file again")]
    except SafeET.ParseError as exc:
        return [problem(Code.FILE_UNREADABLE, "corrupt .xlsx (malformed XML)", file=label, value=str(exc)[:80],
                      hint="copy or export the file again")]
    return []
