"""A number in a date or time cell beyond any date. calamine cannot convert it: below -1.07e11 days its Rust code
panics (pyo3's PanicException, a BaseException, escaped as a traceback and printed a Rust panic message), and a
duration of 1e9 days or more overflows Python's timedelta (an OverflowError, the same traceback). Found by
building the sample with an activities register whose Start cell held -9223372036854775808.

Now (`rcm_tables.inputs.engines`): an .xlsx holding such a number is read with openpyxl, which gives ``#VALUE!``,
reported at its cell; a cell calamine fails on all the same is read again with openpyxl; an .xls, .xlsb or .ods
(calamine is their only reader) has its sheet reported unreadable, with the reason."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.convert import convert
from tests.xlsx import row, write_export

from rcm_tables.document.activities import read_register
from rcm_tables.inputs.engines import UnconvertibleCell, error_cells_in, has_error_cells, open_book
from rcm_tables.inputs.exports import read_export

GOOD = dt.date(2012, 3, 1)


def _export(path: Path, value, fmt: str = "dd/mm/yyyy") -> Path:
    """Two lines; the second's Posting Date is ``value`` in a cell of format ``fmt``."""
    return write_export(path, [row(doc="1", date=GOOD), row(doc="2", date=value)], number_formats={"C": fmt})


def _one_cell(value: bytes, fmt: str) -> bytes:
    """A workbook of one cell, A1, of format ``fmt``, whose XML value is ``value`` written as it is."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["A1"].number_format = fmt
    buffer = io.BytesIO()
    wb.save(buffer)
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<v>1</v>", b"<v>" + value + b"</v>", data)
            target.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("value", [-1e12, -9223372036854775808, -1.1e11])
def test_an_export_with_a_date_cell_beyond_any_date_reports_that_cell(tmp_path, capfd, value):
    export = read_export(_export(tmp_path / "e.xlsx", value))
    errors = [p for p in export.problems if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in errors] == [(6, "Posting Date", "#VALUE!")]
    assert export.lines["document_no"].tolist() == ["1"] and export.rejected_rows == (6,)
    assert "panicked" not in capfd.readouterr().err  # the pre-flight sent it to openpyxl: calamine never ran on it


@pytest.mark.parametrize(("value", "fmt"), [(b"-1E+12", "dd/mm/yyyy"), (b"-1e400", "dd/mm/yyyy"), (b"-1000000000000", "h:mm"),
                                            (b"1000000000", "[h]:mm:ss"), (b"1E+20", "[h]:mm:ss")])
def test_a_cell_calamine_cannot_convert_is_read_with_openpyxl(value, fmt):
    data = _one_cell(value, fmt)
    # error_cells=False: as if the pre-flight had not seen it, so that calamine meets the cell
    book = open_book(data, "auto", error_cells=False)
    assert book.read_rows(book.names[0]) == [["#VALUE!"]]
    with pytest.raises(UnconvertibleCell, match="a date or time cell holds a number beyond any date"):
        open_book(data, "calamine").read_rows(book.names[0])


@pytest.mark.parametrize("value", [b"-inf", b"-Infinity"])
def test_a_cell_neither_reader_can_read_makes_its_sheet_unreadable_with_calamines_reason(value):
    book = open_book(_one_cell(value, "dd/mm/yyyy"), "auto", error_cells=False)
    with pytest.raises(UnconvertibleCell, match="a date or time cell holds a number beyond any date"):
        book.read_rows(book.names[0])  # (openpyxl cannot read the workbook at all)


def test_only_numbers_that_make_calamine_panic_send_a_workbook_to_openpyxl():
    assert error_cells_in(b'<c r="A1" s="1"><v>-1000000000000</v></c>')
    assert error_cells_in(b'<c r="A1" s="1"><v>-1e400</v></c>') and error_cells_in(b'<c r="A1" s="1"><v>-inf</v></c>')
    assert error_cells_in(b'<c r="A1" s="1"><v>-1.5E+11</v></c>')
    assert error_cells_in(b'<c r="A1" s="1"><v>-9.2e18</v></c>')
    # what an export holds: a rounding residue, a negative amount, a long code (openpyxl is ten times slower)
    assert not error_cells_in(b'<c r="A1"><v>-1.1368683772161603E-13</v></c><c r="B1"><v>-4397921.3</v></c>')
    assert not error_cells_in(b'<c r="A1"><v>76000000000</v></c><c r="B1"><v>-1999999999.99</v></c>')
    assert has_error_cells(_one_cell(b"-1E+12", "dd/mm/yyyy"))
    assert not has_error_cells(_one_cell(b"-1E-12", "dd/mm/yyyy"))


def test_an_xls_whose_date_cell_is_beyond_any_date_is_unreadable_with_the_reason(tmp_path, lo_profile):
    source = _export(tmp_path / "e.xlsx", -1e12)
    (xls,) = convert([source], "xls", tmp_path / "xls", lo_profile)
    export = read_export(xls)
    (error,) = [p for p in export.problems if p.severity == "error"]
    assert error.code == "file-unreadable" and error.sheet == "Line Items"
    assert "a date or time cell holds a number beyond any date" in error.value
    assert export.rows_read == 0  # nothing read from a sheet that could not be read


def test_an_activities_register_with_a_start_beyond_any_date_reports_that_cell(tmp_path, capfd):
    wb = openpyxl.load_workbook(Path(__file__).parents[2] / "workbooks" / "sample" / "activities.xlsx")
    wb.active.cell(8, 4).value = -9223372036854775808  # the Start column, formatted as a date
    wb.save(tmp_path / "activities.xlsx")
    register, problems = read_register(tmp_path / "activities.xlsx")
    assert [(p.row, p.column, p.value) for p in problems if p.severity == "error"] == [(8, "Start", "#VALUE!")]
    assert "panicked" not in capfd.readouterr().err
