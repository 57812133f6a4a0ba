"""No cell value can raise a traceback: a property test feeds the readers random values (numbers, text,
specials) in every column and asserts a parsed value or a located problem.

Also the bounds that make money exact: an amount beyond a billion dollars, an Item or Document No. that is
not a finite whole number in range, are located errors.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcm_tables import schemas as S
from rcm_tables.inputs.engines import Book
from rcm_tables.inputs.exports import export_from_grid
from rcm_tables.inputs.grid import make_grid
from rcm_tables.inputs.reference_sheets import _read_sheet
from rcm_tables.inputs.values import parse_amount, parse_whole
from rcm_tables.money import MAX_DOLLARS

HEADER = list(S.EXPORT_HEADERS.values())
GOOD = ["1900000001", 1, dt.date(2012, 3, 1), "DZ", "TS", "400100", "Canada", "2012", "USD", 100.0, 100.0, "text"]
SPECIALS = [math.inf, -math.inf, math.nan, 1e17, 1e308, -1e308, 5e16, 1e20, 2**63, -(2**63) - 1, 10**20, 0.1 + 0.2,
            True, False, "", " ", "Infinity", "-Infinity", "NaN", "sNaN", "1e20", "9" * 20, "-" + "9" * 20,
            "(" + "9" * 20 + ")", "1,234.567", "=1+1", "@SUM(A1)", "+1", "\u2212 5", "١٢٣", "Panama\u0301",
            dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(2012, 3, 1, 13, 45), dt.time(12, 0), Decimal("1E+30"),
            "31/02/2012", "2012-13-01", "00/00/0000", "#N/A", "#DIV/0!", "\x00", "x" * 10_000]
cell = st.one_of(st.sampled_from(SPECIALS), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=30), st.dates(), st.none())


def _accounted(export) -> None:
    assert export.rows_read == len(export.lines) + len(export.rejected_rows)
    for p in export.problems:
        assert p.file == "hostile.xlsx" and p.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=6))
def test_any_cell_values_in_an_export_give_values_or_located_problems(rows):
    grid = make_grid("Line Items", [HEADER] + rows)
    export = export_from_grid(grid, [], "hostile.xlsx", Path("hostile.xlsx"), "0" * 64)
    _accounted(export)
    for p in export.problems:
        if p.severity == "error" and p.code == "invalid-value":
            assert p.row is not None and p.column in HEADER


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=0, max_value=len(HEADER) - 1), st.sampled_from(SPECIALS))
def test_each_special_in_each_column(column, value):
    row = list(GOOD)
    row[column] = value
    export = export_from_grid(make_grid("Line Items", [HEADER, row]), [], "hostile.xlsx", Path("hostile.xlsx"),
                              "0" * 64)
    _accounted(export)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=5))
def test_any_cell_values_in_the_reference_give_values_or_located_problems(rows):
    for sheet, (model, headers, _required) in S.REFERENCE_SHEETS.items():
        values = [list(headers.values())] + [r[: len(headers)] for r in rows]
        book = Book([sheet], [sheet], lambda name, values=values: values, "calamine")
        read, problems = _read_sheet(book, sheet, sheet, "reference.xlsx")
        assert len(read.frame) + len(read.rejected) == read.rows_read
        assert all(p.file == "reference.xlsx" and p.sheet == sheet for p in problems)


@pytest.mark.parametrize("value", [1e17, 1e308, "9" * 20, "(" + "9" * 20 + ")", 5e16, MAX_DOLLARS + 0.01,
                                   f"{MAX_DOLLARS + 1:,}.00"])
def test_amounts_beyond_the_bound_are_located_errors(value):
    row = list(GOOD)
    row[10] = value
    export = export_from_grid(make_grid("Line Items", [HEADER, row]), [], "hostile.xlsx", Path("h.xlsx"), "")
    [error] = [p for p in export.problems if p.severity == "error"]
    assert (error.row, error.column) == (2, "Amount (USD)") and "beyond" in error.message
    assert export.lines.empty


def test_the_bound_itself_is_money():
    assert parse_amount(MAX_DOLLARS) == MAX_DOLLARS * 100
    assert parse_amount(-MAX_DOLLARS) == -MAX_DOLLARS * 100


@pytest.mark.parametrize("value", ["Infinity", "sNaN", "NaN", 1e20, "9" * 20, math.inf, math.nan, 0, -3, 2.5])
def test_items_that_are_not_whole_numbers_in_range_are_errors(value):
    row = list(GOOD)
    row[1] = value
    export = export_from_grid(make_grid("Line Items", [HEADER, row]), [], "hostile.xlsx", Path("h.xlsx"), "")
    [error] = [p for p in export.problems if p.severity == "error"]
    assert (error.row, error.column, error.code) == (2, "Item", "invalid-value")


@pytest.mark.parametrize("value", [math.inf, math.nan, 1e20, -5, 1.5])
def test_document_numbers_typed_as_numbers_must_be_whole_and_in_range(value):
    row = list(GOOD)
    row[0] = value
    export = export_from_grid(make_grid("Line Items", [HEADER, row]), [], "hostile.xlsx", Path("h.xlsx"), "")
    [error] = [p for p in export.problems if p.severity == "error"]
    assert (error.row, error.column) == (2, "Document No.")


def test_whole_numbers_within_range_parse():
    assert parse_whole("7") == 7 and parse_whole(7.0) == 7 and parse_whole(10**9) == 10**9
