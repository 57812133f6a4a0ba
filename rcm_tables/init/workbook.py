"""The reference workbook `rcm-tables init` writes (xlsxwriter): an Instructions sheet, then every sheet of
`schemas.REFERENCE_SHEETS` in its order.

Each sheet keeps three rows of instructions above its header (`HEADER_ROW`): its name, what it holds (the model's
docstring) and how to fill it. The reader finds a header as the first row holding its first two names
(`inputs.grid.find_header`, within the first 30 rows) and reads only the rows below it, so the instructions are
never read as data, and a keeper who deletes them loses nothing. The header row is frozen, each header cell
shows what its column means (the schema's description) when selected, and the data cells carry the data
validation of `rules`.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .. import schemas as S
from ..outputs import close_xlsx
from . import guide, rules

HEADER_ROW = 3  # 0-based: rows 1-3 are instructions, row 4 the header, data from row 5
FIRST_DATA = HEADER_ROW + 1
DATA_ROWS = 5000  # the rows the validation covers
WIDTH_MIN, WIDTH_MAX = 12, 60


def write_reference(path: Path, rows: dict[str, list[tuple]], notes: dict[str, str]) -> None:
    """Write the workbook to ``path``: ``rows`` per sheet (in its header's order), ``notes`` the sheet's
    instruction row (what is pre-filled, or what to type)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": "Reference workbook of the RCM Technical Secretariat's financial tables",
                         "author": "rcm-tables init"})
    formats = _formats(book)
    write_instructions(book.add_worksheet(guide.INSTRUCTIONS_SHEET), formats, rows)
    for sheet in S.REFERENCE_SHEETS:
        _write_sheet(book, sheet, rows.get(sheet, []), notes.get(sheet, ""), formats)
    _define_lists(book)
    close_xlsx(book)


def _formats(book) -> dict:
    return {"title": book.add_format({"bold": True, "font_size": 14}),
            "heading": book.add_format({"bold": True, "font_size": 12}),
            "note": book.add_format({"italic": True, "font_color": "#44546A", "text_wrap": True, "valign": "top"}),
            "header": book.add_format({"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True,
                                       "valign": "top"}),
            "text": book.add_format({"num_format": "@"}),
            "bold": book.add_format({"bold": True}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
            "cache": {}}


def _cell_format(book, formats: dict, number_format: str | None):
    if number_format is None:
        return None
    cache = formats["cache"]
    if number_format not in cache:
        cache[number_format] = book.add_format({"num_format": number_format})
    return cache[number_format]


def _write_sheet(book, sheet: str, rows: list[tuple], note: str, formats: dict) -> None:
    model, headers, required = S.REFERENCE_SHEETS[sheet]
    ws = book.add_worksheet(sheet)
    widths = [_width(header, [row[col] for row in rows], column) for col, (column, header) in enumerate(headers.items())]
    ws.write_string(0, 0, f"{sheet} ({'required' if required else 'optional'})", formats["title"])
    paragraph(ws, 1, " ".join((model.__doc__ or "").split()), widths, formats["note"])
    paragraph(ws, 2, note or guide.EMPTY_NOTE, widths, formats["note"])
    for col, (column, header) in enumerate(headers.items()):
        cell_format = _cell_format(book, formats, rules.number_format(sheet, column))
        ws.set_column(col, col, widths[col], cell_format)
        ws.write_string(HEADER_ROW, col, header, formats["header"])
        _validate(ws, sheet, column, header, col)
        for i, row in enumerate(rows):
            _write_value(ws, FIRST_DATA + i, col, row[col], cell_format)
    ws.freeze_panes(FIRST_DATA, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
    ws.repeat_rows(HEADER_ROW)


def paragraph(ws, row: int, text: str, widths: list[float], cell_format) -> None:
    """A line of text across the sheet's columns, wrapped, its row as tall as its lines (merged cells do not
    grow by themselves)."""
    fmt = cell_format
    if len(widths) > 1:
        ws.merge_range(row, 0, row, len(widths) - 1, text, fmt)
    else:
        ws.write_string(row, 0, text, fmt)
    per_line = max(sum(widths) * 1.1, 20)  # characters a line holds, about
    ws.set_row(row, 15 * max(1, math.ceil(len(text) / per_line)))


def _write_value(ws, row: int, col: int, value, cell_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), cell_format)
    elif isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)


# Columns of names or sentences: as wide as a typical entry even while empty
WIDE = {S.BudgetLines.budget_line: 40, S.Partners.aliases: 40, S.Notes.note: WIDTH_MAX, S.Notes.note_es: WIDTH_MAX,
        S.PaymentInstructions.field: 36, S.PaymentInstructions.field_es: 36,
        S.PaymentInstructions.value: WIDTH_MAX, S.PaymentInstructions.value_es: WIDTH_MAX, S.ColumnAliases.alias: 30}


def _width(header: str, values: list, column: str) -> float:
    longest = max([len(header)] + [len(str(v)) for v in values if v is not None])
    return min(max(longest + 2, WIDTH_MIN, WIDE.get(column, 0)), WIDTH_MAX)


def _validate(ws, sheet: str, column: str, header: str, col: int) -> None:
    """The header cell's input message, and the data cells' validation with the same message."""
    model = S.REFERENCE_SHEETS[sheet][0]
    message = {"input_title": header[:32], "input_message": S.description(model, column)}
    ws.data_validation(HEADER_ROW, col, HEADER_ROW, col, {"validate": "any", **message})
    check = rules.rule(sheet, column)
    if check["validate"] != "any":
        check = {**check, "error_title": f"Not a valid {header}"[:32], "error_message": message["input_message"]}
    ws.data_validation(FIRST_DATA, col, FIRST_DATA + DATA_ROWS - 1, col, {**check, **message})


def _column_range(sheet: str, column: str) -> str:
    headers = S.REFERENCE_SHEETS[sheet][1]
    letter = xl_col_to_name(list(headers).index(column))
    return f"='{sheet}'!${letter}${FIRST_DATA + 1}:${letter}${FIRST_DATA + DATA_ROWS}"


def _define_lists(book) -> None:
    """The names the list validations read: the Periods sheet's labels, the Budget Lines sheet's names."""
    book.define_name(rules.PERIOD_LIST, _column_range(S.PERIODS_SHEET, S.Periods.period))
    book.define_name(rules.LINE_LIST, _column_range(S.BUDGET_LINES_SHEET, S.BudgetLines.budget_line))


def write_instructions(ws, formats: dict, rows: dict[str, list[tuple]]) -> None:
    """The first sheet: how the sheets are laid out, what each holds and holds now, the monthly routine."""
    for col, width in enumerate(guide.WIDTHS):
        ws.set_column(col, col, width, formats["wrap"] if col >= 2 else None)
    ws.write_string(0, 0, "Reference workbook of the RCM Technical Secretariat's financial tables", formats["title"])
    ws.write_string(1, 0, "rcm-tables reads it with the monthly IOM exports to build the report's tables.")
    row = _lines(ws, 3, "How each sheet is laid out", guide.LAYOUT, formats, paragraph)
    ws.write_string(row, 0, "The sheets", formats["heading"])
    for col, text in enumerate(("Sheet", "Required", "What it holds", "In this workbook")):
        ws.write_string(row + 1, col, text, formats["header"])
    row += 2
    for sheet, (model, _headers, required) in S.REFERENCE_SHEETS.items():
        count = len(rows.get(sheet, []))
        ws.write_string(row, 0, sheet, formats["bold"])
        ws.write_string(row, 1, "yes" if required else "optional")
        ws.write_string(row, 2, " ".join((model.__doc__ or "").split()))
        ws.write_string(row, 3, f"{count} row(s) pre-filled" if count else "empty: yours to fill")
        ws.set_row(row, 15 * -(-len(model.__doc__ or "") // guide.WIDTHS[2]))  # wrapped: as tall as its lines
        row += 1
    row = _lines(ws, row + 1, "Every month (FOLDER: the folder holding this workbook)", guide.ROUTINE, formats, paragraph)
    _lines(ws, row, "Where the pre-filled figures come from", (guide.SOURCE,), formats, paragraph)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.activate()


def _lines(ws, row: int, heading: str, lines, formats: dict, paragraph) -> int:
    """A heading and its lines from ``row``; the row after them and a blank one."""
    ws.write_string(row, 0, heading, formats["heading"])
    for i, line in enumerate(lines, start=1):
        paragraph(ws, row + i, line, guide.WIDTHS, formats["wrap"])
    return row + len(lines) + 2
