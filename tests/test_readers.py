"""The export reader, quirk by quirk: title block, Total row, dates and amounts in every allowed form."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from tests.xlsx import HEADER, row, write_export

from rcm_tables.inputs.values import ParseError, parse_amount, parse_date
from rcm_tables.inputs.exports import read_export


@pytest.mark.parametrize("text,cents", [
    (1234.56, 123456), (5000, 500000), ("1,234.56", 123456), ("(1,234.56)", -123456), ("-1,234.56", -123456),
    ("1,234.56-", -123456), (" 12,345,678.9 ", 1234567890), ("0.10", 10), (0.1 + 0.2, 30), ("$1,000", 100000),
    ("\u22121,000.00", -100000),
])
def test_amount_forms(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("bad", ["12a", "1,23.00", "(5", "--5", "1.234,56", "", None, True, 1.234, "1.001"])
def test_amounts_that_are_not_money(bad):
    with pytest.raises(ParseError):
        parse_amount(bad)


@pytest.mark.parametrize("value,expected", [
    (dt.datetime(2012, 11, 6, 0, 0), dt.date(2012, 11, 6)), (dt.date(2012, 11, 6), dt.date(2012, 11, 6)),
    (41219, dt.date(2012, 11, 6)), (41219.0, dt.date(2012, 11, 6)), ("41219", dt.date(2012, 11, 6)),
    ("06/11/2012", dt.date(2012, 11, 6)), ("6/11/2012", dt.date(2012, 11, 6)), ("2012-11-06", dt.date(2012, 11, 6)),
    ("2012-11-06 00:00:00", dt.date(2012, 11, 6)),
])
def test_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("bad", ["31/02/2012", "2012-13-01", "11/6/12", "June 2012", -5, None, ""])
def test_dates_that_are_not_dates(bad):
    with pytest.raises(ParseError):
        parse_date(bad)


def test_title_block_header_total_row_and_provenance(tmp_path):
    path = write_export(tmp_path / "e.xlsx", [row(doc="A1"), row(doc="A2", usd=2.5)],
                        title=("IOM Financial Systems", "Projects: TS", "Period: 01/03/2012 - 31/03/2012",
                               "Run date: 05/04/2012", ""))
    export = read_export(path)
    assert export.problems == ()
    assert export.header_row == 6
    assert export.rows_read == 2
    assert list(export.lines.index) == [7, 8]  # spreadsheet rows, as Excel numbers them
    assert export.lines["amount_usd"].tolist() == [100000, 250]
    assert export.lines["document_no"].tolist() == ["A1", "A2"]


def test_no_title_block_and_no_total_row(tmp_path):
    export = read_export(write_export(tmp_path / "e.xlsx", [row()], title=(), total=None))
    assert [p.code for p in export.problems] == ["no-control-total"]  # a note: nothing to check the lines against
    assert export.header_row == 1 and list(export.lines.index) == [2] and export.footing is None


def test_every_date_form_in_one_file(tmp_path):
    rows = [row(doc=str(i), date=d) for i, d in enumerate(
        [dt.datetime(2012, 3, 1), 40969, "01/03/2012", "2012-03-01"], start=1)]
    export = read_export(write_export(tmp_path / "e.xlsx", rows))
    assert export.problems == ()
    assert set(export.lines["posting_date"]) == {pd.Timestamp("2012-03-01")}


def test_every_amount_form_in_one_file(tmp_path):
    rows = [row(doc=str(i), usd=u) for i, u in enumerate([1234.56, "1,234.56", "(1,234.56)", "-1,234.56"], 1)]
    export = read_export(write_export(tmp_path / "e.xlsx", rows))
    assert export.problems == ()
    assert export.lines["amount_usd"].tolist() == [123456, 123456, -123456, -123456] and export.footing == 0


def test_numbers_as_codes_and_columns_in_any_order_with_extras(tmp_path):
    order = [11, 0, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10]
    header = [HEADER[i] for i in order] + ["Cost Center"]
    base = row(doc=1900012345, item=2.0, account=400100, assignment=2012)
    rows = [[base[i] for i in order] + ["TS01"]]
    header = [h.upper() if i % 2 else f"  {h} " for i, h in enumerate(header)]  # case and spaces ignored
    export = read_export(write_export(tmp_path / "e.xlsx", rows, header=header))
    assert export.problems == ()
    line = export.lines.iloc[0]
    assert (line["document_no"], line["item"], line["gl_account"], line["assignment"]) == (
        "1900012345", 2, "400100", "2012")
    assert json.loads(line["extra"]) == {"Cost Center": "TS01"}


def test_total_label_in_any_column(tmp_path):
    export = read_export(write_export(tmp_path / "e.xlsx", [row()], total="Total"))
    assert export.problems == () and export.rows_read == 1


def test_single_sheet_with_another_name_is_read(tmp_path):
    export = read_export(write_export(tmp_path / "e.xlsx", [row()], sheet="Sheet1"))
    assert export.problems == () and export.sheet == "Sheet1"


def test_bad_cells_are_located_and_the_row_rejected(tmp_path):
    rows = [row(doc="A1"), row(doc="A2", usd="12abc", amount_doc=12.0), row(doc="A3", date="31/02/2012"), row(doc="A4", item=0),
            row(doc="A5", doc_type="ZZ")]
    export = read_export(write_export(tmp_path / "e.xlsx", rows, total=None))
    located = {(p.row, p.column) for p in export.problems if p.severity == "error"}
    assert located == {(6, "Amount (USD)"), (7, "Posting Date"), (8, "Item"), (9, "Doc. Type")}
    assert all(p.file == "e.xlsx" and p.sheet == "Line Items" for p in export.problems)
    assert export.rejected_rows == (6, 7, 8, 9)
    assert list(export.lines.index) == [5]
    assert export.rows_read == 5


def test_missing_column_names_the_closest_header(tmp_path):
    header = [h if h != "Amount (USD)" else "Amount USD" for h in HEADER]
    export = read_export(write_export(tmp_path / "e.xlsx", [row()], header=header, total=None))
    [problem] = [p for p in export.problems if p.severity == "error"]
    assert problem.code == "header-missing" and problem.column == "Amount (USD)" and problem.row == 4
    assert "'amount usd'" in problem.hint
    assert export.lines.empty and export.rows_read == 1 and export.rejected_rows == (5,)
