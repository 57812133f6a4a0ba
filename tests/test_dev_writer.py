"""dev/xlsxout.py, the writer the sample, the synthetic history and these tests share: one description of an
export, three engines, the same export read back; fixed properties give fixed bytes."""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from tests.xlsx import HEADER

from dev.xlsxout import (MONEY, Cell, Properties, Sheet, amount_cell, code_cell, date_cell, export_rows, table_rows,
                         total_row, write)
from rcm_tables.inputs.exports import read_export

LATER = ["Posting Date", "Doc. Type", "Document No.", "Item", "Fund", "Cost Center", "G/L Account", "Text",
         "Partner", "Assignment", "Currency", "Amount (Doc. Curr.)", "Amount (USD)"]


def lines(dates: str, amounts: str, numeric: bool) -> list[dict]:
    spec = [("1400000001", dt.date(2012, 3, 1), "DZ", "400100", "Canada", "2012", 60000, "=HYPERLINK(\"x\",\"y\")"),
            ("1900000002", dt.date(2012, 3, 2), "KR", "710100", "", "", -1250, "+ bank charges")]
    return [{"Document No.": code_cell(doc, numeric), "Item": 1, "Posting Date": date_cell(day, dates),
             "Doc. Type": kind, "Fund": "TS", "Cost Center": "TS01", "G/L Account": code_cell(gl, numeric),
             "Partner": partner or None, "Assignment": assignment or None, "Currency": "USD",
             "Amount (Doc. Curr.)": amount_cell(cents, amounts), "Amount (USD)": amount_cell(cents, amounts),
             "Text": text} for doc, day, kind, gl, partner, assignment, cents, text in spec]


def export(header, rows, styled: bool = True) -> list[Sheet]:
    """A title block, the header, the lines and the total; styled: a bold title and the total as money."""
    title = [Cell("IOM Financial Systems", bold=styled), "Run date: 05/04/2012", ""]
    amount = amount_cell(58750, number_format=MONEY if styled else None)
    total = total_row("Grand Total", header.index("Amount (USD)"), amount)
    return [Sheet("Line Items", export_rows(header, rows, title, total))]


@pytest.mark.parametrize("header", [HEADER, LATER], ids=["contract-order", "later-order"])
def test_every_engine_writes_an_export_the_reader_reads_alike(tmp_path, header):
    read = {}
    for engine, dates, amounts in [("openpyxl", "cell", "number"), ("xlsxwriter", "dmy_text", "paren_text"),
                                   ("stream", "serial", "minus_text")]:
        rows = lines(dates, amounts, numeric=engine == "xlsxwriter")
        styled = engine != "stream"  # the stream engine writes no styles
        read[engine] = read_export(write(tmp_path / f"{engine}.xlsx", export(header, rows, styled), engine=engine))
    first, *others = read.values()
    assert first.rows_read == 2 and not first.problems and not first.rejected_rows
    assert first.lines["amount_usd"].tolist() == [60000, -1250]
    for other in others:
        assert (other.header_row, other.rows_read, other.problems) == (first.header_row, 2, first.problems)
        assert other.lines.equals(first.lines)


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_fixed_properties_give_the_same_bytes_at_any_time(tmp_path, monkeypatch, engine):
    properties = Properties(dt.datetime(2012, 11, 9, 18), author="rcm-tables", title="t",
                            zip_time=(2012, 11, 9, 0, 0, 0))

    def sheets():  # anew for each write: a sheet's rows may be a generator, consumed once
        periods = table_rows(["Period", "Start"], [["2012", dt.date(2012, 1, 1)]], {"Start": "yyyy-mm-dd"},
                             bold_header=True)
        return export(HEADER, lines("cell", "number", False)) + [Sheet("Periods", periods, freeze=(1, 0))]

    first = write(tmp_path / "a.xlsx", sheets(), engine, properties)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 86_400 * 400)  # a year later, as far as zip stamps go
    second = write(tmp_path / "b.xlsx", sheets(), engine, properties)
    assert first.read_bytes() == second.read_bytes()


def test_the_stream_engine_refuses_what_it_cannot_write(tmp_path):
    for cells in ([Cell(1, "0.00")], [dt.date(2012, 1, 1)], [Cell("x", bold=True)]):
        with pytest.raises((ValueError, TypeError)):
            write(tmp_path / "s.xlsx", [Sheet("S", [cells])], engine="stream")
    with pytest.raises(ValueError):
        write(tmp_path / "s.xlsx", [Sheet("S", [[1]])], engine="stream", properties=Properties(dt.datetime(2012, 1, 1)))


def test_cell_forms():
    assert amount_cell(-123456, "paren_text") == "(1,234.56)"
    assert amount_cell(-123456, "minus_text") == "-1,234.56"
    assert amount_cell(5, "number") == Cell(Decimal("0.05"), "#,##0.00")
    assert amount_cell(100, number_format=None) == Decimal("1.00")
    assert date_cell(dt.date(2012, 3, 1), "serial") == 40969
    assert date_cell(dt.date(2012, 3, 1), "dmy_text") == "01/03/2012"
    assert date_cell(dt.date(2012, 3, 1), "iso_text") == "2012-03-01"
    assert (code_cell("400100", True), code_cell(1400000001, False)) == (400100, "1400000001")
