"""The date a workbook's serial numbers count from: Excel's 1900 system, its 1904 system, or an .ods null date.

A date cell is read as a date by the readers, whatever the system. A plain number in a date column (the contract
allows an Excel serial) means a day only in its workbook's system: 40969 is 1 March 2012 in the 1900 system
and 2 March 2016 in the 1904 system (the default of Excel for the Mac before 2011, kept by a workbook saved
there). Each format says which it uses in a place of its own; a file that does not say uses the 1900 system.

- .xlsx, .xlsm: ``<workbookPr date1904="1"/>`` in the workbook part;
- .xls: the DATEMODE record of the Workbook stream's globals;
- .xlsb: the first bit of the BrtWbProp record of ``xl/workbook.bin``;
- .ods: ``<table:null-date table:date-value="..."/>`` in ``content.xml`` (serial 0 is that day).

The bytes have passed the pre-flight (`preflight`): sizes are bounded, and no XML part declares a DTD.
Whatever cannot be read here leaves the 1900 system; the readers report a damaged file themselves.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile

from .extent_formats import ScanRefused, _varint, xls_stream
from .values import EXCEL_EPOCH

EPOCH_1904 = dt.date(1904, 1, 1)  # serial 0 in the 1904 system (serial 1 is 2 January 1904)
_WORKBOOK_PR = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?workbookPr\b[^>]*?\sdate1904\s*=\s*(["'])\s*(1|true)\s*\1""")
_OFFICE_DOCUMENT = re.compile(rb"""<Relationship\b[^>]*?\sType\s*=\s*["'][^"']*/officeDocument["'][^>]*>""")
_TARGET = re.compile(rb"""\sTarget\s*=\s*["']/?([^"']+)["']""")
_NULL_DATE = re.compile(rb"""<table:null-date\b[^>]*?\stable:date-value\s*=\s*["'](\d{4})-(\d{2})-(\d{2})""")
_ODS_HEAD = 1 << 16  # the null date is declared before the first table, near the start of content.xml
_DATEMODE, _XLS_EOF = 0x0022, 0x000A
_WB_PROP = 0x0099


def serial_epoch(data: bytes, kind: str) -> dt.date:
    """The day serial number 0 stands for in this workbook (``kind``: `preflight.sniff`'s format)."""
    try:
        if kind == "xlsx":
            return EPOCH_1904 if _xlsx_1904(data) else EXCEL_EPOCH
        if kind == "xls":
            return EPOCH_1904 if _xls_1904(data) else EXCEL_EPOCH
        if kind == "xlsb":
            return EPOCH_1904 if _xlsb_1904(data) else EXCEL_EPOCH
        if kind == "ods":
            return _ods_null_date(data) or EXCEL_EPOCH
    except (ScanRefused, zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, struct.error,
            NotImplementedError):
        pass  # a damaged part: the reader says what is wrong with the file
    return EXCEL_EPOCH


def _xlsx_1904(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        part = "xl/workbook.xml"
        if part not in names and "_rels/.rels" in names:  # the package's own name for its workbook part
            rel = _OFFICE_DOCUMENT.search(package.read("_rels/.rels"))
            target = _TARGET.search(rel.group(0)) if rel else None
            part = target.group(1).decode("utf-8", "replace") if target else part
        if part not in names:
            return False
        with package.open(part) as stream:
            head = stream.read(1 << 20)  # workbookPr comes before the sheets, at the start of the part
    return _WORKBOOK_PR.search(head) is not None


def _xls_1904(data: bytes) -> bool:
    stream = xls_stream(data)
    pos = 0
    while pos + 4 <= len(stream):  # the globals, up to their EOF record
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == _DATEMODE and size >= 2:
            return struct.unpack_from("<H", stream, pos + 4)[0] == 1
        if kind == _XLS_EOF:
            return False
        pos += 4 + size
    return False


def _xlsb_1904(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        book = package.read("xl/workbook.bin")
    pos = 0
    while pos < len(book):
        kind, pos = _varint(book, pos, 2)
        size, pos = _varint(book, pos, 4)
        if kind == _WB_PROP:
            return len(book) >= pos + 4 and bool(book[pos] & 1)
        pos += size
    return False


def _ods_null_date(data: bytes) -> dt.date | None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        with package.open("content.xml") as stream:
            head = stream.read(_ODS_HEAD)
    found = _NULL_DATE.search(head)
    if found is None:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None
