"""python-calamine and openpyxl read every export the same; where calamine would not, openpyxl reads it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tests.rowwise_reader import assert_same_export
from tests.xlsx import HEADER, row, write_export

from rcm_tables.inputs.engines import has_error_cells
from rcm_tables.paths import SAMPLE_EXPORTS
from rcm_tables.inputs.exports import read_export


SAMPLE = sorted(SAMPLE_EXPORTS.glob("*.xlsx"))


def test_the_sample_exports_are_there():
    # the tests parametrized over the sample would silently become one skipped test on an empty folder
    assert len(SAMPLE) == 73 and SAMPLE[0].name == "IOM_LineItems_2007-01.xlsx"


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.name)
def test_both_readers_read_every_sample_export_alike(path):
    assert_same_export(read_export(path, engine="calamine"), read_export(path, engine="openpyxl"))


# The reader tests' quirks (tests/test_readers.py), and a few more, each as a file.
QUIRKS = {
    "title-block-and-total": lambda p: write_export(p, [row(doc="A1"), row(doc="A2", usd=2.5)], title=(
        "IOM Financial Systems", "Projects: TS", "Period: 01/03/2012 - 31/03/2012", "Run date: 05/04/2012", "")),
    "no-title-no-total": lambda p: write_export(p, [row()], title=(), total=None),
    "every-date-form": lambda p: write_export(p, [row(doc=str(i), date=d) for i, d in enumerate(
        [dt.datetime(2012, 3, 1), 40969, "01/03/2012", "2012-03-01", dt.datetime(2012, 3, 1, 14, 30)], 1)]),
    "every-amount-form": lambda p: write_export(p, [row(doc=str(i), usd=u) for i, u in enumerate(
        [1234.56, "1,234.56", "(1,234.56)", "-1,234.56", "1,234.56-", 0.1 + 0.2, 5000], 1)], total=None),
    "numbers-as-codes-any-order-extras": lambda p: write_export(
        p, [[row(doc=1900012345, item=2.0, account=400100, assignment=2012)[i] for i in
             [11, 0, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10]] + ["TS01"]],
        header=[f"  {HEADER[i]} " for i in [11, 0, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10]] + ["Cost Center"]),
    "total-label-total": lambda p: write_export(p, [row()], total="Total"),
    "sheet-with-another-name": lambda p: write_export(p, [row()], sheet="Sheet1"),
    "bad-cells": lambda p: write_export(p, [
        row(doc="A1"), row(doc="A2", usd="12abc", amount_doc=12.0), row(doc="A3", date="31/02/2012"),
        row(doc="A4", item=0), row(doc="A5", doc_type="ZZ"), row(doc="A6", date=dt.date(2300, 1, 1)),
        row(doc="A7", usd=True), row(doc="A8", date=-3)], total=None),
    "missing-column": lambda p: write_export(p, [row()], header=[h if h != "Amount (USD)" else "Amount USD"
                                                                 for h in HEADER], total=None),
    "blank-cells-and-spaces": lambda p: write_export(p, [row(partner="  ", text=" "), [None] * 12,
                                                         row(doc="A2", assignment="")]),
    "escaped-text": lambda p: write_export(p, [row(text="line_x000D_break"), row(doc="A2", text="a\nb")]),
    "row-after-total": lambda p: _after_total(p),
    "empty-sheet": lambda p: write_export(p, [], header=[], title=(), total=None),
}


def _after_total(path: Path) -> Path:
    write_export(path, [row()])
    wb = openpyxl.load_workbook(path)
    wb.active.append(row(doc="LATE"))
    wb.save(path)
    return path


@pytest.mark.parametrize("name", sorted(QUIRKS))
def test_both_readers_read_every_quirk_alike(tmp_path, name):
    path = QUIRKS[name](tmp_path / f"{name}.xlsx")
    calamine = read_export(path, engine="calamine")
    assert_same_export(calamine, read_export(path, engine="openpyxl"))
    assert_same_export(calamine, read_export(path))  # auto: no error cells, so calamine


def test_escaped_text_is_decoded_by_both_readers(tmp_path):
    export = read_export(QUIRKS["escaped-text"](tmp_path / "e.xlsx"), engine="openpyxl")
    assert export.lines["text"].tolist() == ["line\rbreak", "a\nb"]


def _with_error_cells(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Line Items")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ["D1", 1, "01/03/2012", "DZ", "TS", "400100", "Canada", "2012", "USD"])
    ws.write_formula(1, 9, "=NA()", None, "#N/A")  # Amount (Doc. Curr.): optional, so an empty cell would pass
    ws.write_number(1, 10, 1000)
    ws.write_formula(1, 11, "=1/0", None, "#DIV/0!")
    wb.close()
    return path


def test_a_workbook_with_error_cells_is_read_with_openpyxl_so_the_errors_are_reported(tmp_path):
    path = _with_error_cells(tmp_path / "e.xlsx")
    assert has_error_cells(path.read_bytes())
    # calamine reads an error cell as an empty cell: the broken amount would silently be "no amount"
    assert [p.code for p in read_export(path, engine="calamine").problems] == ["no-control-total"]
    export = read_export(path)
    [problem, _no_total] = export.problems
    assert (problem.row, problem.column, problem.value) == (2, "Amount (Doc. Curr.)", "#N/A")
    assert problem.message == "Amount (Doc. Curr.): amount is not a number"
    assert export.rejected_rows == (2,)


def test_no_error_cells_in_the_sample():
    assert len(SAMPLE) == 73
    assert [p.name for p in SAMPLE if has_error_cells(p.read_bytes())] == []


def test_a_file_that_is_no_workbook_is_a_located_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    [problem] = read_export(path).problems
    assert (problem.code, problem.file) == ("file-unreadable", "broken.xlsx")
    assert problem.message == "corrupt .xlsx (damaged zip archive)"  # the pre-flight sees it before any reader


def test_a_file_that_cannot_be_read_is_a_located_error(tmp_path):
    [problem] = read_export(tmp_path / "gone.xlsx").problems
    assert (problem.code, problem.file) == ("file-unreadable", "gone.xlsx")
