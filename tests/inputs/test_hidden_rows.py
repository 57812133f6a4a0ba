"""Rows of an export hidden in Excel (by hand, or filtered out) are read as every row is (the readers know nothing
of it): before, without a word, so that a line hidden to leave it out was counted silently. Now one warning,
`rows-hidden-read`, names them (an .xlsx's: the pre-flight reads its sheets' row tags)."""
from __future__ import annotations

import datetime as dt

import openpyxl

from tests.xlsx import row, write_export, write_reference

from rcm_tables.inputs.exports import read_export
from rcm_tables.inputs.preflight import hidden_rows
from rcm_tables.reference import load_reference

LINES = [row(doc=f"D{i}", usd=100.0 + i, date=dt.date(2012, 3, 1 + i)) for i in range(6)]


def _hide(path, rows, sheet="Line Items", other: str | None = None):
    book = openpyxl.load_workbook(path)
    target = book[sheet] if other is None else book.create_sheet(other)
    if other is not None:
        for i in range(1, 12):
            target.cell(i, 1).value = f"note {i}"
    for r in rows:
        target.row_dimensions[r].hidden = True
    book.save(path)
    return path


def test_hidden_lines_are_read_with_one_warning_naming_them(tmp_path):
    path = _hide(write_export(tmp_path / "e.xlsx", LINES), [1, 6, 7])  # row 1: the title block, not a line
    export = read_export(path)
    [warning] = [p for p in export.problems if p.code == "rows-hidden-read"]
    assert (warning.severity, warning.row, warning.sheet) == ("warning", 6, "Line Items")
    assert warning.message == "2 rows hidden in Excel (or filtered out) are read all the same: rows 6, 7"
    assert len(export.lines) == len(LINES) and export.rejected_rows == ()  # every line counted, as before


def test_rows_hidden_on_another_sheet_say_nothing_of_the_export(tmp_path):
    path = _hide(write_export(tmp_path / "e.xlsx", LINES), [2, 3], other="My notes")
    assert [p.code for p in read_export(path).problems] == []


def test_an_export_without_hidden_rows_has_no_warning(tmp_path):
    assert read_export(write_export(tmp_path / "e.xlsx", LINES)).problems == ()


def test_a_row_hidden_in_the_reference_workbook_is_read_with_a_warning(tmp_path):
    """A member of the scale hidden to drop it from the report is still assessed: said so, at its sheet."""
    scale = [["TS", "Canada", 60, 600], ["TS", "Mexico", 40, 400], ["RF", "Canada", 60, 60], ["RF", "Mexico", 40, 40]]
    path = _hide(write_reference(tmp_path / "r.xlsx", scale=scale), [3], sheet="Scale")
    reference, problems = load_reference(path)
    [warning] = [p for p in problems if p.code == "rows-hidden-read"]
    assert (warning.sheet, warning.row, warning.severity) == ("Scale", 3, "warning")
    assert warning.message == "1 row hidden in Excel (or filtered out) is read all the same: row 3"
    assert "delete a row that should not count" in warning.hint
    assert list(reference.scale["country"]) == ["Canada", "Mexico", "Canada", "Mexico"]  # read, as before


def test_the_row_tags_as_each_program_writes_them():
    data = (b'<worksheet><sheetData><row r="2" spans="1:3" hidden="1"><c r="A2"/></row><row r="3" hidden="false"/>'
            b'<row r="4" ht="9" customHeight="1" hidden="true"/><row hidden="1"/><row r="5" hidden=\'1\'/>'
            b'</sheetData><cols><col min="1" max="1" hidden="1"/></cols></worksheet>')
    # Excel's 1, LibreOffice's true (and false on every other row), single quotes; a row without its number is
    # not counted; a hidden column is not a hidden row
    assert hidden_rows(data) == (2, 4, 5)
    assert hidden_rows(b'<worksheet><sheetData><row r="2" hidden="false"/></sheetData></worksheet>') == ()
    # a namespace prefix (the OpenXML SDK's), and spaces around "="
    assert hidden_rows(b'<x:worksheet><x:sheetData><x:row r="6" hidden = "1"><x:c r="A6"/></x:row><x:rows/>'
                       b'</x:sheetData></x:worksheet>') == (6,)
