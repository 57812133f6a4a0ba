"""Read one IOM export into validated lines, keeping provenance: every row accounted for.

Reading never modifies an input. Every problem is returned as a `Problem` naming file, sheet, row and
column; nothing here raises for a user's mistake.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schemas as S
from ..problems import Code, Problem, problem, show_value
from .folder import not_a_file
from .footing import check_footing, read_footing
from .grid import HEADER_SEARCH_ROWS, Grid, find_header, map_header, open_workbook, sheet_grid, validate
from .preflight import preflight
from .values import (ParseError, as_code, as_text, normalize_name, parse_amount, parse_date, parse_document_no,
                     parse_whole)

# ---------------------------------------------------------------- exports


@dataclass(frozen=True)
class ExportFile:
    """One export as read: its valid lines (index = spreadsheet row) and how every row was accounted for."""

    file: str
    path: Path
    sha256: str
    sheet: str
    header_row: int  # 1-based
    lines: pd.DataFrame
    rows_read: int
    rejected_rows: tuple[int, ...]
    problems: tuple[Problem, ...]
    footing: int | None = None  # the Total row's Amount (USD) in cents: the system's own sum of the lines
    total_row: int | None = None  # 1-based spreadsheet row of the Total row


def _is_total_label(value) -> bool:
    if not isinstance(value, str):
        return False
    text = normalize_name(value).rstrip(":")
    return text in S.TOTAL_LABELS or text.startswith(("total ", "grand total"))


def _is_total_row(values: list, columns: dict[str, int]) -> bool:
    """A row labelled Total / Grand Total (in any cell) with no Document No., Item or Posting Date besides."""
    if not any(_is_total_label(v) for v in values):
        return False
    for column in (S.ExportLine.document_no, S.ExportLine.item, S.ExportLine.posting_date):
        idx = columns[column]
        if idx < len(values) and values[idx] is not None and not _is_total_label(values[idx]):
            return False
    return True


_PARSERS = {
    S.ExportLine.document_no: parse_document_no,
    S.ExportLine.item: parse_whole,
    S.ExportLine.posting_date: parse_date,
    S.ExportLine.doc_type: lambda v: as_code(v).upper(),
    S.ExportLine.fund: lambda v: as_code(v).upper(),
    S.ExportLine.gl_account: as_code,
    S.ExportLine.partner: as_code,
    S.ExportLine.assignment: as_code,
    S.ExportLine.currency: lambda v: as_code(v).upper(),
    S.ExportLine.amount_doc: parse_amount,
    S.ExportLine.amount_usd: parse_amount,
    S.ExportLine.text: as_text,
}
_NULLABLE_NUMBERS = (S.ExportLine.item, S.ExportLine.amount_doc, S.ExportLine.amount_usd)


_AMOUNTS = (S.ExportLine.amount_doc, S.ExportLine.amount_usd)
_KEY_COLUMNS = (S.ExportLine.document_no, S.ExportLine.item, S.ExportLine.posting_date)
_MISSING = object()


def read_export(path: Path, label: str | None = None, engine: str = "auto") -> ExportFile:
    """Read one IOM export. Problems are collected, never raised.

    ``engine`` is ``auto`` (python-calamine, openpyxl where calamine would read differently), ``calamine`` or
    ``openpyxl``. The SHA-256 is that of the bytes read.
    """
    label = label or path.name
    if not path.is_file() and path.exists():
        return export_from_grid(None, [not_a_file(label)], label, path, "")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return export_from_grid(None, [problem(Code.FILE_UNREADABLE, "the file cannot be read", file=label,
                                             value=show_value(f"{type(exc).__name__}: {exc}"),
                                             hint="check that the file exists and that you may read it")],
                                label, path, "")
    digest = hashlib.sha256(data).hexdigest()
    problems = preflight(data, label)
    if problems:
        return export_from_grid(None, problems, label, path, digest)
    book, problems = open_workbook(data, label, engine)
    if book is None:
        return export_from_grid(None, problems, label, path, digest)
    if _looks_like_reference(book.names):
        return export_from_grid(None, [problem(
            Code.REFERENCE_IN_EXPORTS, f"this is a reference workbook (sheets {', '.join(book.names)}), not an "
            "export", file=label, hint="move it out of the exports folder: the folder holds the monthly exports "
                                       "only, and the reference workbook is given with --reference")],
            label, path, digest)
    grid, problems = sheet_grid(book, S.EXPORT_SHEET, label)
    return export_from_grid(grid, problems, label, path, digest)


def _looks_like_reference(sheets: list[str]) -> bool:
    names = {normalize_name(s) for s in sheets}
    required = {normalize_name(s) for s, (_m, _h, needed) in S.REFERENCE_SHEETS.items() if needed}
    return required <= names and normalize_name(S.EXPORT_SHEET) not in names


def export_from_grid(grid: Grid | None, problems: list[Problem], label: str, path: Path, digest: str
                     ) -> ExportFile:
    """The lines of an export's sheet, column by column; every row accounted for, every problem located."""
    problems = list(problems)
    empty = _empty_lines()
    if grid is None:
        return ExportFile(label, path, digest, "", 0, empty, 0, (), tuple(problems))
    where = {"file": label, "sheet": grid.sheet}
    for hidden in grid.hidden_sheets:
        if hidden == grid.sheet:
            problems.append(problem(Code.SHEET_HIDDEN_READ, f"the sheet {hidden!r} is hidden; it is read all the same",
                                    **where, hint="unhide it if that is a surprise"))
        else:
            problems.append(problem(Code.SHEET_HIDDEN_SKIPPED, f"hidden sheet {hidden!r} is not read", file=label, sheet=hidden))
    cells = grid.cells
    head = find_header(grid, S.EXPORT_HEADER_KEYS)
    if head is None:
        if not grid.filled.any():
            problems.append(problem(Code.SHEET_EMPTY, "the sheet is empty", **where,
                                  hint="export the line items again; an empty file holds no lines"))
        else:
            problems.append(problem(
                Code.HEADER_NOT_FOUND,
                f"no header row with {' and '.join(map(repr, S.EXPORT_HEADER_KEYS))} in the first "
                f"{HEADER_SEARCH_ROWS} rows", **where,
                hint="the header row names the columns; check that this is an IOM line-item export",
            ))
        return ExportFile(label, path, digest, grid.sheet, 0, empty, 0, (), tuple(problems))
    columns, extras, header_problems = map_header(
        cells[head].tolist(), S.EXPORT_HEADERS, set(S.EXPORT_OPTIONAL), {**where, "row": head + 1})
    problems += header_problems
    body = cells[head + 1:]
    first_row = head + 2  # spreadsheet row number of body[0]
    filled = np.flatnonzero(grid.filled[head + 1:])
    if any(p.severity == "error" for p in header_problems):
        data = tuple((filled + first_row).tolist())
        return ExportFile(label, path, digest, grid.sheet, head + 1, empty, len(data), data, tuple(problems))

    total = _total_row(body, filled, columns, grid.texts)
    after = filled[filled > total] if total is not None else filled[:0]
    kept = filled[filled < total] if total is not None else filled
    rows = (kept + first_row).tolist()
    located: list[tuple[int, int, Problem]] = []  # (row, column order, problem): reported row by row
    footing, total_row = None, None
    if total is not None:
        total_row = total + first_row
        usd = columns[S.ExportLine.amount_usd]
        footing, found = read_footing(body[total, usd] if usd < body.shape[1] else None, where, total_row)
        located += [(total_row, 99, p) for p in found]
    for i in after.tolist():
        located.append((i + first_row, -1, problem(
            Code.ROW_AFTER_TOTAL, f"data below the total row (row {total + first_row})", **where, row=i + first_row,
            hint="the Total row must be the last row; delete it or move it down")))
    data = body[kept]
    values: dict[str, list] = {}
    for order, column in enumerate(_PARSERS):
        idx = columns.get(column)
        raw = data[:, idx].tolist() if idx is not None and idx < data.shape[1] else [None] * len(rows)
        values[column], failures = _parse_column(column, raw)
        header = S.EXPORT_HEADERS[column]
        for pos, exc, cell in failures:
            located.append((rows[pos], order, problem(
                Code.INVALID_VALUE, f"{header}: {exc.message}", **where, row=rows[pos], column=header,
                value=show_value(cell), hint=exc.hint)))
    values[S.ExportLine.extra] = _extra_column(data, extras)
    located.sort(key=lambda t: (t[0], t[1]))
    problems += [p for _r, _o, p in located]
    rejected: set[int | None] = {r for r, _o, _p in located}
    rows_read = len(kept) + len(after)

    frame = _lines_frame(values, rows)
    schema_problems = validate(S.ExportLine, frame, label, grid.sheet, S.EXPORT_HEADERS)
    # a cell that failed to parse is already reported; pandera would only repeat "is empty"
    parsed_bad = {(p.row, p.column) for p in problems}
    for p in schema_problems:
        if (p.row, p.column) not in parsed_bad:
            problems.append(p)
        rejected.add(p.row)
    if rows_read == 0:
        problems.append(problem(Code.EXPORT_NO_LINES, "the export has a header but no lines", **where))
    rejected.discard(total_row)  # a bad Total cell is reported, but the Total row is not a line
    lines = frame.loc[~frame.index.isin(rejected)]
    problems += check_footing(footing, total_row, lines, rejected, where)
    return ExportFile(label, path, digest, grid.sheet, head + 1, lines, rows_read,
                      tuple(sorted(r for r in rejected if r is not None)), tuple(problems), footing, total_row)


def _total_row(body: np.ndarray, filled: np.ndarray, columns: dict[str, int], texts: frozenset[str]) -> int | None:
    """Index in ``body`` of the first Total row, or None: only rows holding a total label get the full test."""
    labelled = np.zeros(body.shape[0], dtype=bool)
    for label in [t for t in texts if _is_total_label(t)]:
        labelled |= (body == label).any(axis=1)
    for i in filled[labelled[filled]].tolist():
        if _is_total_row(body[i].tolist(), columns):
            return i
    return None


def _parse_column(column: str, raw: list) -> tuple[list, list[tuple[int, ParseError, object]]]:
    """Parse one column's cells: (values, [(position, error, cell)]); failed cells are NA.

    Each distinct cell is parsed once (numbers equal as int and float parse alike; True is kept apart from 1),
    and amounts that are plain number cells are converted in bulk.
    """
    parser = _PARSERS[column]
    blank = pd.NA if column in _NULLABLE_NUMBERS else ""
    keyed = bool in set(map(type, raw))
    memo: dict = {}
    if column in S.EXPORT_OPTIONAL:
        memo[(type(None), None) if keyed else None] = blank
    bad: set = set()
    if column in _AMOUNTS:
        values, rest = _bulk_amounts(raw)
    else:
        values, rest = [None] * len(raw), range(len(raw))
    for pos in rest:
        cell = raw[pos]
        key = (cell.__class__, cell) if keyed else cell
        hit = memo.get(key, _MISSING)
        if hit is _MISSING:
            try:
                hit = parser(cell)
            except ParseError as exc:
                hit = exc
                bad.add(key)
            memo[key] = hit
        values[pos] = hit
    failures = []
    if bad:
        for pos in rest:
            if isinstance(values[pos], ParseError):
                failures.append((pos, values[pos], raw[pos]))
                values[pos] = pd.NA
    return values, failures


_BULK_LIMIT = 1e7  # below it a float's cents are exact in float arithmetic (error < 3e-7 cent)


def _bulk_amounts(raw: list) -> tuple[list, list[int]]:
    """Cents of the float cells whose value is whole cents beyond doubt, and the positions of the other cells.

    For |x| < 1e7, x * 100 is within 3e-7 of the decimal the cell shows, so a product within 1e-6 of a whole
    number is exactly what `parse_amount` returns; every other cell goes to `parse_amount` itself.
    """
    number = np.array([c if c.__class__ is float else np.nan for c in raw], dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):  # huge and non-finite cells go to parse_amount below
        cents = number * 100
        whole = np.rint(cents)
        sure = (np.abs(number) < _BULK_LIMIT) & (np.abs(cents - whole) <= 1e-6)
    values = np.where(sure, whole, 0).astype(np.int64).tolist()
    return values, np.flatnonzero(~sure).tolist()


def _extra_column(data: np.ndarray, extras: dict[int, str]) -> list[str]:
    """Extra columns of each row as JSON text ({header: text}), '' where a row has none."""
    present = [(idx, name) for idx, name in extras.items() if idx < data.shape[1]]
    if not present:
        return [""] * data.shape[0]
    texts = []
    for idx, _name in present:
        memo: dict = {}
        column = []
        for cell in data[:, idx].tolist():
            if cell is None:
                column.append(None)
                continue
            key = (cell.__class__, cell)
            text = memo.get(key)
            if text is None:
                text = memo[key] = as_text(cell)
            column.append(text)
        texts.append(column)
    names = [name for _idx, name in present]
    memo_json: dict[tuple, str] = {}
    out = []
    for row in zip(*texts):
        text = memo_json.get(row)
        if text is None:
            extra = {name: value for name, value in zip(names, row) if value is not None}
            text = memo_json[row] = json.dumps(extra, ensure_ascii=False) if extra else ""
        out.append(text)
    return out


def _lines_frame(values: dict[str, list], rows: list[int]) -> pd.DataFrame:
    """Parsed values as the ExportLine frame: Int64 numbers, datetime64[ns] dates, text ('' for none)."""
    index = pd.Index(rows, name="row", dtype="int64")
    columns = {}
    for column in S.columns(S.ExportLine):
        cells = values.get(column, [])
        if column in _NULLABLE_NUMBERS:
            columns[column] = pd.array(cells, dtype="Int64")
        elif column == S.ExportLine.posting_date:
            columns[column] = _datetimes(cells)
        else:
            columns[column] = pd.array(cells, dtype=str)
    return pd.DataFrame(columns, index=index)


def _datetimes(days: list) -> np.ndarray:
    """Dates (or NA) as datetime64[ns] (NaT): each distinct date converted once."""
    out = np.empty(len(days), dtype="datetime64[ns]")
    memo: dict = {}
    for i, day in enumerate(days):
        value = memo.get(day)
        if value is None:
            value = memo[day] = np.datetime64("NaT") if day is pd.NA else np.datetime64(day, "ns")
        out[i] = value
    return out


def _empty_lines() -> pd.DataFrame:
    return _lines_frame({}, [])



@dataclass(frozen=True)
class SourceCount:
    """How the rows of one input file were accounted for (for the Sources sheet)."""

    file: str
    sha256: str
    sheet: str
    rows_read: int
    used: int = 0
    duplicates: int = 0
    rejected: int = 0
    footing: int | None = None  # the export's Total row in cents (None: no Total, or not an export)

