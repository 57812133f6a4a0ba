"""The workbook's fast paths give what their plain statements give: each is held here to the slower code it
replaces (the golden parts hold the sample's workbook as a whole)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rcm_tables import schemas as S

L = S.Ledger


def _rows(frame):
    from rcm_tables.workbook.ledger_sheet import ledger_rows

    rows = list(ledger_rows(frame))
    return rows, [[type(v) for v in row] for row in rows]


def _awkward(ledger: pd.DataFrame) -> pd.DataFrame:
    """The sample's ledger with what the sample lacks: two sheets of one file numbered alike (summaries that
    tie on file and first row), a group of mixed currencies, rows out of order."""
    out = ledger.copy()
    n = len(out)
    second = np.arange(n) % 3 == 0
    out[L.sheet] = pd.Series(np.where(second, "Other", out[L.sheet].to_numpy(dtype=object)), index=out.index,
                             dtype=out[L.sheet].dtype)
    out[L.currency] = pd.Series(np.where(np.arange(n) % 7 == 0, "EUR", out[L.currency].to_numpy(dtype=object)),
                                index=out.index, dtype=out[L.currency].dtype)
    out[L.row] = (out[L.row].to_numpy() // 2).astype("int64")
    return out.iloc[::-1].reset_index(drop=True)


@pytest.mark.parametrize("awkward", [False, True])
@pytest.mark.parametrize("as_of", ["2012-11-09", "2010-06-30", "2000-01-01"])
def test_the_summarised_ledger_sheet_is_the_same_fast_or_plain(sample_report, awkward, as_of):
    from rcm_tables.workbook.ledger_sheet import SUMMARY_KEYS, summarised_lines
    from rcm_tables.workbook.ledger_summary import summarise

    ledger = _awkward(sample_report.ledger_cents) if awkward else sample_report.ledger_cents
    fast = summarise(ledger, dt.date.fromisoformat(as_of), SUMMARY_KEYS)
    plain = summarised_lines(ledger, dt.date.fromisoformat(as_of))
    assert fast is not None
    assert list(fast.columns) == list(plain.columns)
    assert _rows(fast) == _rows(plain)


def test_a_missing_key_leaves_the_summary_to_pandas(sample_report):
    from rcm_tables.workbook.ledger_sheet import SUMMARY_KEYS
    from rcm_tables.workbook.ledger_summary import summarise

    ledger = sample_report.ledger_cents.copy()
    ledger.loc[ledger.index[3], L.budget_line] = None
    assert summarise(ledger, sample_report.as_of, SUMMARY_KEYS) is None


@pytest.mark.parametrize("dtype", ["Int64", "float64", "object"])
def test_dollars_as_text_are_the_same_from_python_or_arrow(dtype):
    from rcm_tables import money as M

    values = [0, 5, -5, 99, -100, 100, 12345, -12345, 10**11, -(10**11), None, 7, -1, 250]
    cents = pd.Series((values * 200)[: M.ARROW_FROM + 3], dtype=dtype)
    expected = ["" if pd.isna(v) else M.dollars_text(v) for v in cents.tolist()]
    assert M.dollars_text_column(cents).tolist() == expected  # Arrow's kernels (a long column)
    short = cents.iloc[:40]
    assert M.dollars_text_column(short).tolist() == expected[:40]  # Python (a table's column)
    assert M.dollars_text_arrow(short).to_pylist() == expected[:40]


def test_the_ledger_csv_is_what_pandas_would_write(sample_report, tmp_path):
    """`write_ledger_csv` converts with Arrow's kernels; the plain statement converts with pandas."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    from rcm_tables.csvfiles import write_ledger_csv
    from rcm_tables.money import dollars_text_column

    ledger = sample_report.ledger_cents.copy()
    ledger.loc[ledger.index[:3], L.amount_doc] = pd.NA
    ledger.loc[ledger.index[4], L.posting_date] = pd.NaT
    ledger.loc[ledger.index[5], L.posting_date] = pd.Timestamp("1969-12-31 18:00")
    ledger.loc[ledger.index[6], L.amount_usd] = -7
    plain = ledger[S.columns(S.Ledger)].copy()
    for column in (L.amount_usd, L.amount_doc):
        plain[column] = dollars_text_column(plain[column])
    plain[L.posting_date] = plain[L.posting_date].dt.strftime("%Y-%m-%d")
    pacsv.write_csv(pa.Table.from_pandas(plain, preserve_index=False), str(tmp_path / "plain.csv"),
                    pacsv.WriteOptions(quoting_style="needed"))
    write_ledger_csv(ledger, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()


# ------------------------------------------------------------------------------------------------ xlsxwriter


def _workbook_parts(path, fill, worksheet_class) -> dict[str, bytes]:
    import zipfile

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    fill(wb, lambda name: wb.add_worksheet(name, worksheet_class=worksheet_class))
    wb.close()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _every_kind_of_cell(wb, add):
    bold, money = wb.add_format({"bold": True}), wb.add_format({"num_format": "#,##0.00", "border": 1})
    column_format, row_format = wb.add_format({"italic": True}), wb.add_format({"font_color": "#808080"})
    ws = add("Cells")
    ws.set_column(3, 3, 12, column_format)
    ws.set_column(0, 1, 30)
    ws.set_row(2, 30)
    ws.set_row(5, None, row_format)
    ws.set_row(40, 45)  # a row with a height and no cell
    texts = ["plain", "a & b < c > d \"q\"", "line\nbreak", "_x0041_ escaped", "control\x01char", " padded ",
             "ünïcödé ✓", "x" * 20_000]
    for i, text in enumerate(texts):
        ws.write_string(i, 0, text, bold if i % 2 else None)
        ws.write_number(i, 1, [0, -1.5, 1e15, 123456789.123, 2**53, 1 / 3, -0.0, 7][i], money if i % 3 else None)
        ws.write_datetime(i, 2, dt.datetime(2012, 1, 1) + dt.timedelta(days=i * 40, hours=i), money)
        ws.write_string(i, 3, f"column format {i}")  # no cell format: the column's
        ws.write_blank(i, 4, None, money)
        ws.write_boolean(i, 5, bool(i % 2))
    formulas = [("=SUM(B1:B8)", 12.5), ('=IF(A1="x","a","b")', "b"), ("=B1>0", False), ("=1/0", "#DIV/0!"),
                ("=A1", ""), ("=XLOOKUP(1,B1:B8,A1:A8)", 0), ('=SORT(B1:B8)', 0), ('="SINGLE(x"&A1', "s"),
                ("SUMIFS(Ledger_USD,Ledger_File,\"a&b\")", 3.0), ("=_xlfn.STDEV.S(B1:B8)", 1.25)]
    for i, (formula, value) in enumerate(formulas):
        ws.write_formula(10 + i, 0, formula, money if i % 2 else None, value)
    ws.write_formula(5, 6, "=B6*2", None, 4)  # a formula in the formatted row
    ws.write_number(5, 7, 3)  # a number in the formatted row, no format of its own
    ws.merge_range(25, 0, 25, 3, "", bold)
    ws.write_string(25, 0, "merged across", bold)
    ws.write_rich_string(26, 0, "rich ", bold, "text")
    ws.write_array_formula(27, 0, 27, 0, "{=SUM(B1:B8*2)}", None, 30)
    ws.write_url(28, 0, "https://example.org/a?b=1&c=2")
    for row in range(100, 140):  # rows past the first block of 16, columns scattered
        ws.write_number(row, row % 9, row)
    ws.conditional_format(0, 0, 8, 2, {"type": "formula", "criteria": "=$C1>DATE(2012,6,30)", "format": bold})
    ws.conditional_format(0, 1, 8, 1, {"type": "cell", "criteria": "==", "value": '"OK"', "format": money})
    ws.conditional_format(0, 3, 8, 3, {"type": "formula", "criteria": "=$C$1>AsOf", "format": bold})
    ws.conditional_format(0, 4, 8, 4, {"type": "formula", "criteria": "=XOR($A1,STDEV.S($B1:$B2)>1)", "format": bold})
    ws.conditional_format(0, 5, 8, 5, {"type": "cell", "criteria": "==", "value": '"XOR(x"', "format": bold})
    ws.data_validation(30, 0, 30, 0, {"validate": "custom", "value": "=LEN(A31)<10"})
    commented = add("Comments")  # a sheet with comments: XlsxWriter's own rows
    commented.write_string(0, 0, "noted")
    commented.write_comment(0, 0, "a comment")
    commented.write_number(3, 2, 5)
    add("Empty")
    future = add("Future")  # future functions on: XlsxWriter's own formulas
    future.use_future_functions = True
    future.write_formula(0, 0, "=STDEV.S(A2:A3)", None, 0)


def test_the_fast_worksheet_writes_the_bytes_xlsxwriter_writes(tmp_path):
    from xlsxwriter.worksheet import Worksheet

    from rcm_tables.workbook.fastsheet import FastWorksheet

    stock = _workbook_parts(tmp_path / "stock.xlsx", _every_kind_of_cell, Worksheet)
    fast = _workbook_parts(tmp_path / "fast.xlsx", _every_kind_of_cell, FastWorksheet)
    assert sorted(fast) == sorted(stock)
    assert [name for name in stock if fast[name] != stock[name]] == []


def test_the_fast_worksheet_is_used_with_the_xlsxwriter_it_was_compared_with():
    import xlsxwriter

    from rcm_tables.workbook import fastsheet

    assert fastsheet.ENABLED == (xlsxwriter.__version__ in fastsheet.TESTED)


def _blocks(wb, add, block: bool):
    from rcm_tables.workbook import fastsheet

    money, date = wb.add_format({"num_format": "#,##0.00"}), wb.add_format({"num_format": "yyyy-mm-dd"})
    kinds = [fastsheet.TEXT, fastsheet.NUMBER, fastsheet.NUMBER, fastsheet.DATE, fastsheet.TEXT]
    formats = [None, money, None, date, None]
    rows = [("a", 1.5, 3, dt.date(2012, 1, 31), "x"), ("", None, 0, None, None), (None, None, None, None, None),
            ("a", -2.25, 10**12, dt.datetime(2012, 2, 1, 12, 0), "y" * 20_000),
            ("b & <c>", 0.0, -7, dt.date(1900, 2, 28), "a")]
    ws = add("Block")
    ws.write_string(0, 0, "before")  # strings shared with the block: their order is the shared strings' order
    ws.write_string(1, 6, "a")
    if block:
        fastsheet.write_block(ws, 3, rows, kinds, formats)
    else:
        fastsheet._write_block_slowly(ws, 3, rows, kinds, formats)
    fastsheet.write_block(add("Empty block"), 5, [(None, None, None, None, None)], kinds, formats)
    ws.write_string(20, 1, "after")


@pytest.mark.parametrize("worksheet", ["stock", "fast"])
def test_a_block_of_rows_is_stored_as_the_cells_one_by_one(tmp_path, worksheet):
    from xlsxwriter.worksheet import Worksheet

    from rcm_tables.workbook.fastsheet import FastWorksheet

    cls = FastWorksheet if worksheet == "fast" else Worksheet
    one_by_one = _workbook_parts(tmp_path / "cells.xlsx", lambda wb, add: _blocks(wb, add, False), Worksheet)
    block = _workbook_parts(tmp_path / "block.xlsx", lambda wb, add: _blocks(wb, add, True), cls)
    assert [name for name in one_by_one if block[name] != one_by_one[name]] == []


def test_a_column_is_as_wide_as_the_plain_rule_makes_it():
    from rcm_tables.workbook.formats import MAX_WIDTH, MIN_WIDTH
    from rcm_tables.workbook.sheet import Widths, shown_width

    def plain_shown(value):
        return max((len(line) for line in str(value).split("\n")), default=0)

    texts = ["", "a", "two\nlines here", "\n", "x" * 90, "tail\n"]
    assert [shown_width(t) for t in texts] == [plain_shown(t) for t in texts]
    widths, plain = Widths(), {}
    seen = [(0, "ab", 1.0), (0, "a much longer text", 0.5), (1, "", 1.0), (2, "x" * 100, 1.0), (0, "abc", 1.0)]
    for i, (col, value, weight) in enumerate(seen):
        if i == 3:
            widths.cap(0, 4)  # a cap below the least width, then a wider text
            plain[0] = min(plain.get(0, 10), 4)
        widths.see(col, value, weight=weight)
        plain[col] = max(plain.get(col, MIN_WIDTH), min(int(shown_width(value) * weight) + 2, MAX_WIDTH))
        assert widths.widths == plain


def _sheet_rows(path, block: bool):
    import zipfile
    from types import SimpleNamespace

    import xlsxwriter

    from rcm_tables import money as M
    from rcm_tables.workbook.fastsheet import NUMBER, TEXT
    from rcm_tables.workbook.formats import Formats
    from rcm_tables.workbook.sheet import Sheet

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    book = SimpleNamespace(wb=wb)
    book.fmt = Formats(wb)
    s = Sheet(book, "Rows")
    s.text(0, 0, "a title", book.fmt.heading, fit=0)
    rows = [("doc 1", 1, "f.xlsx", 12.5), ("", 2, "f.xlsx", -3.25), ("a\nlonger text", 30, "", 1e6)]
    kinds, shown = [TEXT, NUMBER, TEXT, NUMBER], ["", "", "", M.MONEY]
    if block:
        s.rows(2, rows, kinds, [book.fmt.text, book.fmt.text, book.fmt.text, book.fmt.money(M.MONEY)], shown)
    else:
        for row, values in enumerate(rows, start=2):
            for col, value in enumerate(values):
                if kinds[col] == TEXT:
                    s.text(row, col, value, book.fmt.text)
                elif shown[col]:
                    s.money(row, col, round(value * 100))
                else:
                    s.number(row, col, value, book.fmt.text)
    state = (dict(s.widths.widths), {r: set(c) for r, c in s.filled.items()}, s.last_row, s.last_col)
    s.finish()
    wb.close()
    with zipfile.ZipFile(path) as archive:
        return state, {name: archive.read(name) for name in archive.namelist()}


def test_a_block_of_rows_on_a_sheet_counts_as_its_cells_one_by_one(tmp_path):
    one_by_one = _sheet_rows(tmp_path / "cells.xlsx", False)
    block = _sheet_rows(tmp_path / "block.xlsx", True)
    assert block[0] == one_by_one[0]
    assert [name for name in one_by_one[1] if block[1][name] != one_by_one[1][name]] == []
