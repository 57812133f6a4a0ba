"""A .csv export as a `Grid` of text: row i of the grid is line i + 1 of the file, so messages give line numbers.

- Encoding: UTF-8 with a byte-order mark, UTF-16 with one (Excel's "Unicode text"), UTF-8 without one, else
  Windows-1252 (with a warning: the file was not UTF-8, so its accents are a guess).
- Separator: comma, semicolon or tab, whichever splits some line of the first rows into the most fields (the
  header row names a dozen columns; a title line or a decimal comma splits into far fewer).
- A record whose quoted text spans several lines is placed at its first line; the lines it continues are empty.
- Bounded while it is read: trailing empty fields are dropped, and a file whose farthest value would make the grid
  larger than `extent.MAX_CELLS` is refused naming that value's line and column (a line of 16,000 separators
  costs nothing; a value in field 16,000 of line 1,000,000 is `sheet-too-far`).

The decimal mark (point or comma) is decided per file from its amounts, once the header says which columns
those are: `decimal_mark` and `normalise`, called by the export reader.
"""
from __future__ import annotations

import codecs
import csv
import io
import re

from ..problems import Code, Problem, problem, show_value
from .extent import MAX_CELLS
from .extent_formats import column_letters
from .grid import HEADER_SEARCH_ROWS, Grid, make_grid

SEPARATORS = (",", ";", "\t")
_SNIFF_LINES = HEADER_SEARCH_ROWS + 5


def decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """The text of a CSV file, and a warning when its encoding is guessed (or an error: none fits)."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            return data.decode("utf-8"), []
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, [problem(Code.FILE_UNREADABLE, f"the CSV file is neither UTF-8 nor Windows-1252 (byte "
                              f"{exc.start + 1:,})", file=label, value=show_value(repr(data[exc.start:exc.start + 8])),
                              hint="export it again as CSV UTF-8, or save it as an Excel workbook (.xlsx)")]
    if encoding == "cp1252":
        return text, [problem(Code.CSV_ENCODING_GUESSED, "the CSV file is not UTF-8: it is read as Windows-1252",
                              file=label, hint="check accented names in the lines; export CSV UTF-8 to be sure")]
    return text, []


def separator(text: str) -> str:
    """The separator that splits some early line into the most fields (ties: comma, then semicolon, then tab)."""
    head = "\n".join(text[: 1 << 20].splitlines()[:_SNIFF_LINES])
    best, most = ",", 0
    for sep in SEPARATORS:
        try:
            widest = max((len(r) for r in csv.reader(io.StringIO(head), delimiter=sep)), default=0)
        except csv.Error:
            continue
        if widest > most:
            best, most = sep, widest
    return best


def csv_grid(data: bytes, label: str) -> tuple[Grid | None, list[Problem]]:
    """The file's records as a grid of text (None for empty fields); problems for what cannot be read."""
    text, problems = decode(data, label)
    if text is None:
        return None, problems
    sep = separator(text)
    rows: list[list] = []
    width = far_line = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        line = 1
        for record in reader:
            while record and not record[-1].strip():
                record.pop()
            while len(rows) < line - 1:  # the lines a multi-line record continued
                rows.append([])
            rows.append(record)
            if len(record) > width:
                width, far_line = len(record), line
            if len(rows) * width > MAX_CELLS:
                return None, problems + [_too_far(label, far_line, width, len(rows))]
            line = reader.line_num + 1
    except csv.Error as exc:
        return None, problems + [problem(Code.FILE_UNREADABLE, f"the CSV file cannot be read at line "
                                         f"{reader.line_num:,}", file=label, row=reader.line_num,
                                         value=show_value(str(exc)),
                                         hint="export it again, or save it as an Excel workbook (.xlsx)")]
    problems += _spanning(rows, sep, label) + _other_separator(rows, sep, label)
    return make_grid("", rows, engine="csv"), problems


def _spanning(rows: list[list], sep: str, label: str) -> list[Problem]:
    """A quoted field that spans line breaks: a warning (a Text typed over lines), or an error where a line it
    swallowed holds a line's worth of separators (a stray quote ate the next lines: their amounts in no table)."""
    width = max((len(r) for r in rows), default=0)
    found = []
    for i, record in enumerate(rows):
        for j, field in enumerate(record):
            if "\n" not in field and "\r" not in field:
                continue
            parts = field.splitlines()[1:]
            where = dict(file=label, row=i + 1, column=column_letters(j + 1), value=show_value(field[:60]))
            lines = f"lines {i + 1:,} to {i + 1 + len(parts):,}"
            if any(part.count(sep) >= max(3, (width - 1) // 2) for part in parts):
                found.append(problem(
                    Code.CSV_QUOTE_SWALLOWS_LINES, f"a quote opened in field {j + 1} of line {i + 1:,} is closed "
                    f"only {len(parts):,} line(s) later ({lines}): the lines it swallowed hold separators, so they "
                    "are lines of the export read as text", **where,
                    hint="remove the stray quote (\") in that field, or export the file again"))
            else:
                found.append(problem(
                    Code.CSV_QUOTE_SPANS_LINES, f"a quoted field spans {lines}: read as one text with line breaks",
                    **where, hint="nothing to do if the text has line breaks; otherwise check for a stray quote"))
    return found


def _other_separator(rows: list[list], sep: str, label: str) -> list[Problem]:
    """A line that another separator would split into the fields the file's lines have: typed or pasted with
    ';' in a file split by ',' (its values otherwise read as one field, with a problem per missing column)."""
    width = max((len(r) for r in rows), default=0)
    if width < 4:
        return []
    found = []
    for i, record in enumerate(rows):
        if not record or len(record) > width // 2:
            continue
        joined = sep.join(record)
        for other in SEPARATORS:
            if other != sep and joined.count(other) + 1 >= width - 1:
                found.append(problem(
                    Code.CSV_OTHER_SEPARATOR, f"line {i + 1:,} is split by {_name(other)}, the file by "
                    f"{_name(sep)}: its {joined.count(other) + 1} values are read as {len(record)} field(s)",
                    file=label, row=i + 1, value=show_value(joined[:60]),
                    hint=f"split that line by {_name(sep)} like the others, or export the file again"))
                break
    return found


def _name(sep: str) -> str:
    return {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs"}[sep]


def _too_far(label: str, line: int, width: int, rows: int) -> Problem:
    where = f"line {line:,}, field {width:,} ({column_letters(width)})"
    return problem(Code.SHEET_TOO_FAR, f"a value at {where} lies far outside any table: the file would span "
                   f"{rows:,}+ lines by {width:,} fields", file=label, row=line, value=column_letters(width),
                   hint="delete the stray separators or values and export the file again")


# ---------------------------------------------------------------- the decimal mark

_NUMBER = re.compile(r"[\d.,]*\d[\d.,]*")


def _mark_of(text: str) -> str | None:
    """'.' or ',' when the amount's digits show its decimal mark, '?' when they read either way, None when
    they show none (whole numbers)."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    digits = found.group()
    points, commas = digits.count("."), digits.count(",")
    if points and commas:
        return "." if digits.rfind(".") > digits.rfind(",") else ","
    if not points and not commas:
        return None
    mark, count = (".", points) if points else (",", commas)
    if count > 1:  # 1,234,567 or 1.234.567: the mark repeated is the thousands separator
        return "," if mark == "." else "."
    tail = digits.rsplit(mark, 1)[1]
    return mark if len(tail) != 3 else "?"


def decimal_mark(cells: list[tuple[int, str, object]]) -> tuple[str, tuple[int, str, object] | None, str]:
    """The file's decimal mark from its amount cells ((line, column, cell)): ('.' or ',', None, ''), or when it
    cannot be told, ('.', an example cell, why)."""
    seen: dict[str, tuple[int, str, object]] = {}
    for cell in cells:
        if isinstance(cell[2], str):
            mark = _mark_of(cell[2])
            if mark is not None:
                seen.setdefault(mark, cell)
    if "." in seen and "," in seen:
        return ".", seen[","], f"amounts with a decimal point (line {seen['.'][0]}) and a decimal comma"
    if "." in seen or "," in seen:
        return ("." if "." in seen else ","), None, ""
    if "?" in seen:
        return ".", seen["?"], "no amount shows whether the comma or the point is the decimal mark"
    return ".", None, ""


def normalise(cell, mark: str):
    """An amount cell of a decimal-comma file in the decimal-point form `parse_amount` reads (1.234,56 ->
    1234.56); other cells as they are."""
    if mark != "," or not isinstance(cell, str):
        return cell
    return cell.replace(".", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
