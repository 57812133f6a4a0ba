"""A far cell written so that the pre-flight's fast patterns do not see it, where calamine reads it all the same.

calamine builds a sheet as a dense grid to its farthest cell, and when it cannot have the memory it aborts the
whole process (a build, or the page's server, gone without a word). Found by fuzzing exports' XML: each way below
made a file of a few kilobytes ask for 5 to 3,600 GB. Each is now refused by the pre-flight as a located
`sheet-too-far`, before calamine sees the file (`rcm_tables.inputs.extent`). The cells are rewritten in the XML
as another program could write them; the pre-flight is asked in this process (it never calls calamine), and a
few cases go through the command line in another process, whose memory is measured.
"""
from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.measured import run_cli
from tests.xlsx import SHEET_PART, _rebuild, _sheet, row, write_export, write_reference

from rcm_tables.inputs import extent, preflight


def _export(path: Path) -> Path:
    """A one-line export with a text at B1 and C1 (rewritten by the cases below)."""
    write_export(path, [row(doc="S2", usd=400)])
    book = openpyxl.load_workbook(path)
    book["Line Items"]["B1"] = "stray"
    book["Line Items"]["C1"] = "stray"
    book.save(path)
    return path


def _cells(sheet: bytes, b1: bytes, c1: bytes | None = None) -> bytes:
    """The sheet with the tags of B1 (and C1) replaced by these opening tags."""
    sheet = sheet.replace(b'<c r="B1" t="inlineStr">', b1, 1)
    return sheet.replace(b'<c r="C1" t="inlineStr">', c1, 1) if c1 is not None else sheet


def _prefixed(sheet: bytes) -> bytes:
    """Every element of the sheet with the prefix x: (the OpenXML SDK writes sheets so)."""
    sheet = re.sub(rb"<(/?)([A-Za-z])", rb"<\1x:\2", sheet)
    sheet = sheet.replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="', 1)
    return sheet.replace(b'<x:c r="B1"', b'<x:c r="ZZZZZZ1"', 1)


# name -> (how the sheet is rewritten, the cell the problem names)
CASES = {
    # the fast patterns read a row from a cell only from row 100,000: below its row tag, a column of ZZZ makes
    # 1.8 billion cells
    "a far column and a cell below its row tag": (
        lambda s: _cells(s, b'<c r="ZZZ1" t="inlineStr">', b'<c r="A99999" t="inlineStr">'), "A99999"),
    "a row of eight digits": (lambda s: _cells(s, b'<c r="B12345678" t="inlineStr">'), "B12345678"),
    "a row beyond 2**32 (calamine's arithmetic wraps round)": (
        lambda s: _cells(s, b'<c r="B99999999999" t="inlineStr">'), "B99999999999"),
    "leading zeros": (lambda s: _cells(s, b'<c r="B' + b"0" * 40 + b'99999999" t="inlineStr">'), "B000"),
    "six letters": (lambda s: _cells(s, b'<c r="ZZZZZZ1" t="inlineStr">'), "ZZZZZZ1"),
    "lower-case letters": (lambda s: _cells(s, b'<c r="zzzzzz1" t="inlineStr">'), "zzzzzz1"),
    "single quotes": (lambda s: _cells(s, b"<c r='ZZZZZZ1' t=\"inlineStr\">"), "ZZZZZZ1"),
    "white space around the equals sign": (lambda s: _cells(s, b'<c r = "ZZZZZZ1" t="inlineStr">'), "ZZZZZZ1"),
    "a '>' in an attribute before the reference": (
        lambda s: _cells(s, b'<c t="inlineStr" x=">" r="ZZZZZZ1">'), "ZZZZZZ1"),
    "a namespace prefix on every element": (_prefixed, "ZZZZZZ1"),
    # cells without a reference follow the cell before them: 20,000 of them reach column 20,002, and a row tag
    # at 5,000 makes 100 million cells
    "cells without a reference": (
        lambda s: s.replace(b"</sheetData>", b'<row r="5000">' + b"<c/>" * 20_000 + b"</row></sheetData>"), ""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_far_cell_the_fast_patterns_cannot_read_is_refused(tmp_path, case):
    rewrite, named = CASES[case]
    path = _export(tmp_path / "far.xlsx")
    _rebuild(path, {SHEET_PART: rewrite(_sheet(path))})
    [found] = preflight.check(path.read_bytes(), "far.xlsx").problems
    assert found.code == "sheet-too-far", found
    assert named in found.message and "far.xlsx" == found.file, found.message
    with zipfile.ZipFile(path) as archive:
        part = archive.read(SHEET_PART)
        assert not extent.near(part)
        assert extent.scan_bytes(part) == extent.scan(archive, SHEET_PART)
        assert extent.scan_bytes(part).cells > extent.MAX_CELLS


def test_a_sheet_outside_the_worksheets_folder_is_scanned_too(tmp_path):
    """The workbook's relationships may name any part as a worksheet, and calamine reads it as one."""
    path = _export(tmp_path / "moved.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = _cells(parts.pop(SHEET_PART), b'<c r="ZZZZZZ1" t="inlineStr">')
    rels = parts["xl/_rels/workbook.xml.rels"]
    assert b"/xl/worksheets/sheet1.xml" in rels
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"/xl/worksheets/sheet1.xml", b"/data/cells.xml")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"/xl/worksheets/sheet1.xml",
                                                                        b"/data/cells.xml")
    parts["data/cells.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    [found] = preflight.check(path.read_bytes(), "moved.xlsx").problems
    assert (found.code, found.value) == ("sheet-too-far", "ZZZZZZ1") and "data/cells.xml" in found.message


@pytest.mark.parametrize("case", ["a far column and a cell below its row tag", "a namespace prefix on every element",
                                  "a row beyond 2**32 (calamine's arithmetic wraps round)"])
def test_the_command_line_refuses_it_in_bounded_memory(tmp_path, case):
    """Before, calamine aborted the process ("memory allocation of 58489015104 bytes failed")."""
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx")
    write_export(tmp_path / "exports" / "good.xlsx", [row(doc="S1", usd=600)])
    path = _export(tmp_path / "exports" / "far.xlsx")
    _rebuild(path, {SHEET_PART: CASES[case][0](_sheet(path))})
    done = run_cli(["validate", "--no-cache", "--exports", str(tmp_path / "exports"), "--reference",
                    str(tmp_path / "reference.xlsx"), "--report", str(tmp_path / "problems.csv")], timeout=120)
    assert done.returncode == 1, done.output[-3000:]
    with open(tmp_path / "problems.csv", newline="", encoding="utf-8-sig") as f:
        errors = [(r["code"], r["file"]) for r in csv.DictReader(f) if r["severity"] == "error"]
    assert errors == [("sheet-too-far", "far.xlsx")] and "Traceback" not in done.output
    assert done.peak_mb < 600, done.peak_mb


def test_an_irregular_sheet_that_is_near_is_read_as_before(tmp_path):
    """Another producer's way of writing (attributes in another order, a prefix) is parsed, not refused."""
    path = _export(tmp_path / "ok.xlsx")
    _rebuild(path, {SHEET_PART: _prefixed(_sheet(path)).replace(b'<x:c r="ZZZZZZ1"', b'<x:c r="B1"')})
    assert preflight.check(path.read_bytes(), "ok.xlsx").problems == []
    with zipfile.ZipFile(path) as archive:
        assert extent.scan(archive, SHEET_PART).columns == extent.NEAR_COLUMNS
