"""A workbook's date system (`rcm_tables.inputs.datesystem`): a date given as a serial number counts from the day
its workbook's system says, as a date cell of the same workbook does. A workbook saved by Excel for the Mac in
the 1904 system holds 1 March 2012 as serial 39507, which the 1900 system reads as 29 February 2008: a whole
export four years early, silently. The contract allows a Posting Date as an Excel serial, so the serial is read
in its workbook's system: in the exports, in the reference workbook (Periods) and in the activities register."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tests.convert import convert
from tests.xlsx import HEADER, row, write_reference

from rcm_tables import schemas as S
from rcm_tables.inputs.datesystem import EPOCH_1904, serial_epoch
from rcm_tables.inputs.exports import read_export
from rcm_tables.inputs.values import EXCEL_EPOCH, ParseError, parse_date
from rcm_tables.reference import load_reference

DAY = dt.date(2012, 3, 1)
SERIAL_1900, SERIAL_1904 = 40969, 39507  # 1 March 2012 in each system (Excel's own DATEVALUE gives these)


def _export(path: Path, mac: bool) -> Path:
    """The same day four ways: a date cell, a serial number, a serial as text, and dd/mm/yyyy text."""
    wb = openpyxl.Workbook()
    if mac:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Line Items"
    ws.append(HEADER)
    serial = SERIAL_1904 if mac else SERIAL_1900
    for doc, day in (("1", DAY), ("2", serial), ("3", str(serial)), ("4", "01/03/2012")):
        ws.append(row(doc=doc, date=day))
    wb.save(path)
    return path


@pytest.mark.parametrize("mac", [False, True], ids=["1900", "1904"])
def test_a_serial_posting_date_counts_from_its_workbooks_date_system(tmp_path, mac):
    path = _export(tmp_path / "e.xlsx", mac)
    assert (b'date1904="1"' in zipfile.ZipFile(path).read("xl/workbook.xml")) is mac  # the file says which
    export = read_export(path)
    assert [p.code for p in export.problems] == ["no-control-total"]
    assert export.lines["posting_date"].tolist() == [pd.Timestamp(DAY)] * 4


def test_the_openpyxl_reader_counts_the_same_way(tmp_path):
    path = _export(tmp_path / "e.xlsx", mac=True)
    export = read_export(path, engine="openpyxl")
    assert export.lines["posting_date"].tolist() == [pd.Timestamp(DAY)] * 4


def test_parse_date_takes_the_epoch_and_keeps_every_serial_within_9999():
    assert parse_date(SERIAL_1904, EPOCH_1904) == DAY == parse_date(SERIAL_1900) == parse_date(str(SERIAL_1904),
                                                                                                 EPOCH_1904)
    assert parse_date(SERIAL_1900, EXCEL_EPOCH) == DAY
    # the last day a serial may stand for is 31 December 9999 in either system (not an overflow)
    last = (dt.date(9999, 12, 31) - EPOCH_1904).days
    with pytest.raises(ParseError, match="out of range"):  # a real day, beyond what the ledger's dates hold
        parse_date(last, EPOCH_1904)
    with pytest.raises(ParseError, match="not a valid Excel date serial"):
        parse_date(last + 1, EPOCH_1904)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("workbook,expected", [
    (b'<workbook><workbookPr date1904="1"/><sheets/></workbook>', EPOCH_1904),
    (b"<workbook><workbookPr codeName='x' date1904 = 'true' /><sheets/></workbook>", EPOCH_1904),
    (b'<x:workbook xmlns:x="s"><x:workbookPr date1904="1"/></x:workbook>', EPOCH_1904),  # a prefixed namespace
    (b'<workbook><workbookPr date1904="0"/><sheets/></workbook>', EXCEL_EPOCH),
    (b'<workbook><workbookPr date1904="false"/></workbook>', EXCEL_EPOCH),
    (b'<workbook><workbookPr/><workbookProtection date1904="1"/></workbook>', EXCEL_EPOCH),  # not workbookPr's
    (b'<workbook><sheets/></workbook>', EXCEL_EPOCH),
])
def test_an_xlsx_says_its_date_system_in_workbookPr(workbook, expected):
    assert serial_epoch(_zip({"xl/workbook.xml": workbook}), "xlsx") == expected


def test_an_xlsx_whose_workbook_part_has_another_name_is_found_by_its_relationship():
    rels = (b'<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="/book/main.xml"/></Relationships>')
    data = _zip({"_rels/.rels": rels, "book/main.xml": b'<workbook><workbookPr date1904="1"/></workbook>'})
    assert serial_epoch(data, "xlsx") == EPOCH_1904


def _xlsb_book(flags: int) -> bytes:
    """A minimal xl/workbook.bin: BrtBeginBook, then BrtWbProp (record 0x99) whose first flag bit is f1904."""
    return (bytes([0x83, 0x01, 0x00])  # BrtBeginBook, no body
            + bytes([0x99, 0x01, 0x08]) + flags.to_bytes(4, "little") + (0).to_bytes(4, "little"))


def test_an_xlsb_says_its_date_system_in_its_workbook_properties():
    assert serial_epoch(_zip({"xl/workbook.bin": _xlsb_book(1)}), "xlsb") == EPOCH_1904
    assert serial_epoch(_zip({"xl/workbook.bin": _xlsb_book(0)}), "xlsb") == EXCEL_EPOCH
    assert serial_epoch(_zip({"xl/workbook.bin": b"\x99"}), "xlsb") == EXCEL_EPOCH  # cut short: the reader says


@pytest.mark.parametrize("kind", ["xlsx", "xls", "xlsb", "ods", "csv", "unknown"])
def test_bytes_that_say_nothing_or_are_damaged_are_read_in_the_1900_system(kind):
    for data in (b"", b"PK\x03\x04 not a zip", _zip({"other.xml": b"<x/>"})):
        assert serial_epoch(data, kind) == EXCEL_EPOCH


def test_a_reference_workbooks_serial_dates_count_from_its_date_system(tmp_path):
    path = write_reference(tmp_path / "reference.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.epoch = CALENDAR_MAC_1904  # its date cells are saved as 1904 serials
    ws = wb["Periods"]
    ws["B3"] = SERIAL_1904 - 60  # 2012's start as a plain number: 1 January 2012 in the 1904 system
    ws["B3"].number_format = "General"  # (a date format would make it a date cell, which the readers convert)
    wb.save(path)
    ref, problems = load_reference(path)
    assert [p for p in problems if p.severity == "error"] == []
    periods = ref.periods.set_index(S.Periods.period)
    assert periods.at["2012", S.Periods.start] == pd.Timestamp(2012, 1, 1)
    assert periods.at["2011", S.Periods.end] == pd.Timestamp(2011, 12, 31)  # a date cell, read as it was


@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_a_1904_workbook_saved_as_xls_or_ods_reads_the_same_days(tmp_path, lo_profile, kind):
    """LibreOffice keeps the workbook's date system: the DATEMODE record of an .xls, the null date of an .ods."""
    source = _export(tmp_path / "mac.xlsx", mac=True)
    (converted,) = convert([source], kind, tmp_path / kind, lo_profile)
    assert serial_epoch(converted.read_bytes(), kind) == EPOCH_1904
    export = read_export(converted)
    assert export.lines["posting_date"].tolist() == [pd.Timestamp(DAY)] * 4


def test_an_activities_registers_serial_dates_count_from_its_date_system(tmp_path):
    from tests.document.activities_register import GOOD, register_file

    from rcm_tables.document import read_register

    path = register_file(tmp_path / "register.xlsx", [GOOD])
    wb = openpyxl.load_workbook(path)
    wb.epoch = CALENDAR_MAC_1904
    ws = wb["Activities"]
    start = next(c for c in ws[2] if isinstance(c.value, dt.datetime))
    start.value, start.number_format = (GOOD[3] - EPOCH_1904).days, "General"  # the start as a 1904 serial
    wb.save(path)
    register, problems = read_register(path)
    assert problems == []
    (activity,) = register.activities
    assert (activity.start, activity.end) == (GOOD[3], GOOD[4])
