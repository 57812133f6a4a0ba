"""XlsxWriter's worksheet, with its per-cell costs taken out where the bytes it writes stay the same.

XlsxWriter spends most of a large workbook's time per cell: each ``write_*`` call goes through a decorator that
accepts "A1" references, each formula through 29 regular-expression substitutions (future functions none of ours
use), and each cell of the XML through an attribute list, escaping and a lookup of its class's name. `FastWorksheet`
keeps XlsxWriter's code for everything but these paths, each giving the bytes XlsxWriter gives (the tests compare
the two on every kind of cell this package writes):

- `FastWorksheet._prepare_formula`: one search for the names XlsxWriter rewrites; XlsxWriter's own code when one
  is there;
- `FastWorksheet._write_rows`: number, date, string and blank cells written as XlsxWriter writes them, every
  other cell (formulas included) by XlsxWriter's `_write_cell`;
- `write_block`: many rows of plain values stored as XlsxWriter's ``write_*`` would store them;
- `writers`: the methods XlsxWriter's ``write_*`` call, for `Sheet` (which gives row and column numbers only).

It is used only with the XlsxWriter versions it was compared with (`TESTED`); any other gets XlsxWriter's
worksheet, and the same bytes more slowly.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Callable, NamedTuple

import xlsxwriter
from xlsxwriter import worksheet as W
from xlsxwriter.utility import xl_col_to_name

TESTED = ("3.3.1",)
ENABLED = xlsxwriter.__version__ in TESTED

# The names `Worksheet._prepare_formula` prefixes with _xlfn. when future functions are off (its "\SINGLE\("
# matches any character before INGLE(); a name inside a string literal counts too: XlsxWriter rewrites those)
_REWRITTEN = re.compile(r"(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|"
                        r"MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|INGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|"
                        r"TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\(")
TEXT, NUMBER, DATE = "text", "number", "date"  # the kinds of a column of `write_block`


class FastWorksheet(W.Worksheet):
    """XlsxWriter's worksheet with the per-cell paths above made cheaper."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        # every name XlsxWriter rewrites is followed by "(": without one there is nothing to rewrite (a
        # conditional format asks for the future functions too: 155 patterns, compiled once, 35 ms a build)
        if "(" in formula and (self.use_future_functions or expand_future_functions or _REWRITTEN.search(formula)):
            return super()._prepare_formula(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    def _write_rows(self) -> None:
        if self.constant_memory or self.comments:
            super()._write_rows()
            return
        self._fast_spans()
        table, row_info, spans = self.table, self.row_info, self.row_spans
        low, high = self.dim_colmin, self.dim_colmax
        names = {col: xl_col_to_name(col) for col in range(low, high + 1)}
        formatted = {col for col, info in self.col_info.items() if info.column_format is not None}
        styles: dict = {}  # format -> its ' s="N"' attribute
        # a row without a height or a format of its own: <row r="N" spans="a:b">, as `_write_row` writes it
        plain_rows = self.default_row_height == self.original_row_height and self.excel_version == 2007
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table[row_num]
            if not cells:
                if row_num in row_info:  # a row with a height or a format but no cell
                    self._write_empty_row(row_num, spans.get(row_num // 16), row_info[row_num])
                continue
            info = row_info.get(row_num)
            span = spans.get(row_num // 16)
            if info is None and plain_rows:
                self.fh.write(f'<row r="{row_num + 1}" spans="{span}">' if span else f'<row r="{row_num + 1}">')
            else:
                self._write_row(row_num, span, info)
            plain_row = not (info is not None and info.row_format)
            self.fh.write(self._cells(row_num, cells, names, plain_row, formatted, styles) + "</row>")

    def _cells(self, row_num: int, cells: dict, names: dict, plain_row: bool, formatted: set, styles: dict) -> str:
        """One row's cells, in column order, as `Worksheet._write_cell` writes them (the XML of other cells than
        numbers, dates, strings and blanks by `_write_cell` itself)."""
        number_cls, date_cls, string_cls, blank_cls = (W.CellNumberTuple, W.CellDatetimeTuple, W.CellStringTuple,
                                                       W.CellBlankTuple)
        parts: list[str] = []
        number = str(row_num + 1)
        for col in sorted(cells):
            name = names.get(col)
            if name is None:  # outside the sheet's dimensions: never written
                continue
            cell = cells[col]
            kind, fmt = cell.__class__, cell.format
            if fmt is not None:
                style = styles.get(fmt)
                if style is None:
                    style = styles[fmt] = f' s="{fmt._get_xf_index()}"'
            elif plain_row and col not in formatted:
                style = ""
            else:
                kind = None  # the row's or the column's format: XlsxWriter's own code
            if kind is number_cls or kind is date_cls:
                parts.append(f'<c r="{name}{number}"{style}><v>{cell.number:.16G}</v></c>')
            elif kind is string_cls:
                parts.append(f'<c r="{name}{number}"{style} t="s"><v>{cell.string}</v></c>')
            elif kind is blank_cls:
                parts.append(f'<c r="{name}{number}"{style}/>')
            else:
                self.fh.write("".join(parts))
                parts.clear()
                self._write_cell(row_num, col, cell)
        return "".join(parts)

    def _fast_spans(self) -> None:
        """`Worksheet._calculate_spans` (the first and last column of each block of 16 rows), from each row's
        columns rather than from every column of every row."""
        low, high = self.dim_colmin, self.dim_colmax
        first, last = self.dim_rowmin, self.dim_rowmax
        blocks: dict[int, list[int]] = {}
        for row_num, cells in self.table.items():
            if not cells or row_num < first or row_num > last:
                continue
            cols = [c for c in cells if low <= c <= high]
            if not cols:
                continue
            block = blocks.get(row_num // 16)
            lo, hi = min(cols), max(cols)
            if block is None:
                blocks[row_num // 16] = [lo, hi]
            else:
                block[0], block[1] = min(block[0], lo), max(block[1], hi)
        self.row_spans = {index: f"{lo + 1}:{hi + 1}" for index, (lo, hi) in blocks.items()}


def add_worksheet(wb, name: str):
    """A new sheet of ``wb``: a `FastWorksheet` with a tested XlsxWriter, else XlsxWriter's own."""
    return wb.add_worksheet(name, worksheet_class=FastWorksheet) if ENABLED else wb.add_worksheet(name)


class Writers(NamedTuple):
    string: Callable
    number: Callable
    blank: Callable
    datetime: Callable
    formula: Callable


def writers(ws) -> Writers:
    """The worksheet's ``write_string``, ``write_number``, ... (row and column numbers only): on a
    `FastWorksheet` the methods they call, without the wrapper that accepts "A1" references."""
    if isinstance(ws, FastWorksheet):
        return Writers(ws._write_string, ws._write_number, ws._write_blank, ws._write_datetime, ws._write_formula)
    return Writers(ws.write_string, ws.write_number, ws.write_blank, ws.write_datetime, ws.write_formula)


def write_block(ws, first_row: int, rows: list, kinds: list[str], formats: list) -> None:
    """Rows of plain values from ``first_row`` down, as the ``write_*`` calls cell by cell would store them (in
    the same order, which is the order of the shared strings): a text with ``write_string`` (an empty one or None
    with ``write_blank``: a formatted blank, or no cell), a number with ``write_number``, a date (at midnight) or
    a datetime with ``write_datetime``, each column in its format; a number or date None is no cell."""
    if (not isinstance(ws, FastWorksheet) or ws.constant_memory or first_row < 0
            or first_row + len(rows) > ws.xls_rowmax
            or len(kinds) > ws.xls_colmax):
        _write_block_slowly(ws, first_row, rows, kinds, formats)
        return
    texts = [(col, fmt) for col, (kind, fmt) in enumerate(zip(kinds, formats)) if kind == TEXT]
    numbers = [(col, fmt) for col, (kind, fmt) in enumerate(zip(kinds, formats)) if kind == NUMBER]
    days = [(col, fmt if fmt is not None else ws.default_date_format)
            for col, (kind, fmt) in enumerate(zip(kinds, formats)) if kind == DATE]
    table, shared = ws.table, ws.str_table
    index, longest, new = shared.string_table, ws.xls_strmax // 2, tuple.__new__
    string_cell, number_cell, date_cell, blank_cell = (W.CellStringTuple, W.CellNumberTuple, W.CellDatetimeTuple,
                                                       W.CellBlankTuple)
    serials: dict = {}
    counted = 0  # texts given to the shared strings (`SharedStringTable._get_shared_string_index` counts each)
    for row, values in enumerate(rows, start=first_row):
        cells = table[row]
        for col, fmt in texts:  # first, in column order: the order of the shared strings
            value = values[col]
            if not value:
                if fmt is not None:
                    cells[col] = new(blank_cell, (fmt,))
                continue
            if len(value) > longest:  # XlsxWriter may truncate it
                ws._write_string(row, col, value, fmt)
                continue
            at = index.get(value)
            if at is None:
                at = index[value] = shared.unique_count
                shared.unique_count += 1
            counted += 1
            cells[col] = new(string_cell, (at, fmt))
        for col, fmt in numbers:
            value = values[col]
            if value is None:
                continue
            if not -math.inf < value < math.inf:
                ws._write_number(row, col, value, fmt)  # XlsxWriter's NaN and infinity rules
                continue
            cells[col] = new(number_cell, (value, fmt))
        for col, fmt in days:
            value = values[col]
            if value is None:
                continue
            serial = serials.get(value)
            if serial is None:
                serial = serials[value] = ws._convert_date_time(_moment(value))
            cells[col] = new(date_cell, (serial, fmt))
        if not cells:
            del table[row]
    shared.count += counted
    _extend(ws, first_row, first_row + len(rows) - 1)


def _extend(ws, first_row: int, last_row: int) -> None:
    """The worksheet's dimensions extended to the cells of rows ``first_row`` to ``last_row``."""
    table = ws.table
    written = [r for r in range(first_row, last_row + 1) if table.get(r)]
    if written:
        ws._check_dimensions(written[0], min(min(table[r]) for r in written))
        ws._check_dimensions(written[-1], max(max(table[r]) for r in written))


def _write_block_slowly(ws, first_row: int, rows: list, kinds: list[str], formats: list) -> None:
    for row, values in enumerate(rows, start=first_row):
        for col, (kind, fmt, value) in enumerate(zip(kinds, formats, values)):
            if value is None and kind != TEXT:
                continue
            if kind == TEXT:
                if value:
                    ws.write_string(row, col, value, fmt)
                else:
                    ws.write_blank(row, col, None, fmt)
            elif kind == NUMBER:
                ws.write_number(row, col, value, fmt)
            else:
                ws.write_datetime(row, col, _moment(value), fmt)


def _moment(day):
    """A date as the datetime of its midnight (a datetime as it is)."""
    return day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time())
