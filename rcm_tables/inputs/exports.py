"""Read one IOM export into validated lines, keeping provenance: every row accounted for.

Reading never modifies an input. Every problem is returned as a `Problem` naming file, sheet, row and
column; nothing here raises for a user's mistake.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schemas as S
from ..money import MORE_THAN_TWO_DECIMALS
from ..problems import ERROR, Code, Problem, file_label, problem, show_value
from .folder import not_a_file
from .footing import check_footing, read_footing
from .grid import HEADER_SEARCH_ROWS, Grid, map_header, open_workbook, sheet_grid, validate
from .aliases import BUILT_IN, ColumnNames, find_header, rename_header
from .csvgrid import csv_grid, decimal_mark, normalise
from .preflight import MAX_FILE_BYTES, check, hidden_rows_read
from .columns import _NULLABLE_NUMBERS, _PARSERS, _empty_lines, _extra_column, _lines_frame, _parse_column  # noqa: F401
from .columns import month_first
from .extent_formats import column_letters
from .values import EXCEL_EPOCH, ParseError, normalize_name, parse_date

HIDDEN_LINES_HINT = ("every line of an export counts, hidden or not: unhide the rows (or clear the filter) to see "
                     "them; a line to correct needs a corrected export or an adjustment")

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


def read_export(path: Path, label: str | None = None, engine: str = "auto", names: ColumnNames = BUILT_IN
                ) -> ExportFile:
    """Read one IOM export (.xlsx, .xlsm, .xls, .xlsb, .ods or .csv, by its content). Problems are collected,
    never raised.

    ``engine`` is ``auto`` (python-calamine, openpyxl where calamine would read an .xlsx differently),
    ``calamine`` or ``openpyxl``; ``names`` the column aliases in force. The SHA-256 is that of the bytes read.
    """
    label = label or file_label(path)
    if not path.is_file() and path.exists():
        return export_from_grid(None, [not_a_file(label)], label, path, "")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return export_from_grid(None, _too_big(label, path), label, path, "")
        data = path.read_bytes()
    except OSError as exc:
        return export_from_grid(None, [problem(Code.FILE_UNREADABLE, "the file cannot be read", file=label,
                                             value=show_value(f"{type(exc).__name__}: {exc}"),
                                             hint="check that the file exists and that you may read it")],
                                label, path, "")
    digest = hashlib.sha256(data).hexdigest()
    checked = check(data, label)
    if checked.problems:
        return export_from_grid(None, checked.problems, label, path, digest)
    if checked.kind == "csv":
        grid, problems = csv_grid(data, label)
        return export_from_grid(grid, problems, label, path, digest, names)
    errors = {sheet: scan.errors for sheet, scan in checked.scans.items() if scan.errors}
    if checked.kind == "xlsb" and errors:
        return export_from_grid(None, [problem(
            Code.FILE_UNREADABLE, "the .xlsb workbook holds error cells (#N/A, #DIV/0!, ...)", file=label,
            value=", ".join(sorted({b[4] for blocks in errors.values() for b in blocks}))[:80],
            hint="open it in Excel, fix the formulas and save it as an Excel workbook (.xlsx)")], label, path, digest)
    book, problems = open_workbook(data, label, engine, kind=checked.kind, errors=errors,
                                   error_cells=checked.error_cells)
    if book is None:
        return export_from_grid(None, problems, label, path, digest)
    if _looks_like_reference(book.names):
        return export_from_grid(None, [problem(
            Code.REFERENCE_IN_EXPORTS, f"this is a reference workbook (sheets {', '.join(book.names)}), not an "
            "export", file=label, hint="move it out of the exports folder: the folder holds the monthly exports "
                                       "only, and the reference workbook is given with --reference")],
            label, path, digest)
    grid, problems = sheet_grid(book, S.EXPORT_SHEET, label)
    hidden = checked.hidden_rows.get(grid.sheet, ()) if grid is not None else ()
    return export_from_grid(grid, problems, label, path, digest, names, hidden)


def _too_big(label: str, path: Path) -> list[Problem]:
    return [problem(Code.FILE_UNSAFE, f"the file is {path.stat().st_size / 1024**2:,.0f} MB", file=label,
                    hint=f"a monthly export is far smaller; refusing to read more than {MAX_FILE_BYTES // 1024**2} MB")]


def _looks_like_reference(sheets: list[str]) -> bool:
    names = {normalize_name(s) for s in sheets}
    required = {normalize_name(s) for s, (_m, _h, needed) in S.REFERENCE_SHEETS.items() if needed}
    return required <= names and normalize_name(S.EXPORT_SHEET) not in names


def export_from_grid(grid: Grid | None, problems: list[Problem], label: str, path: Path, digest: str,
                     names: ColumnNames = BUILT_IN, hidden: tuple[int, ...] = ()) -> ExportFile:
    """The lines of an export's sheet, column by column; every row accounted for, every problem located.
    ``hidden``: the sheet's rows hidden in Excel (an .xlsx's: `preflight.hidden_rows`), read all the same."""
    problems = list(problems)
    if grid is None:
        return ExportFile(label, path, digest, "", 0, _empty_lines(), 0, (), tuple(problems))
    where = {"file": label, "sheet": grid.sheet}
    problems += _hidden_notes(grid, where)
    head = find_header(grid, names)
    if head is None:
        problems.append(_no_header(grid, where))
        return ExportFile(label, path, digest, grid.sheet, 0, _empty_lines(), 0, (), tuple(problems))
    header, renamed = rename_header(grid.cells[head].tolist(), names, {**where, "row": head + 1})
    columns, extras, header_problems = map_header(header, S.EXPORT_HEADERS, set(S.EXPORT_OPTIONAL),
                                                  {**where, "row": head + 1})
    header_problems = renamed + header_problems
    problems += header_problems + hidden_rows_read(hidden, head + 1, where, HIDDEN_LINES_HINT)
    if any(p.severity == "error" for p in header_problems):
        data = tuple((np.flatnonzero(grid.filled[head + 1:]) + head + 2).tolist())
        return ExportFile(label, path, digest, grid.sheet, head + 1, _empty_lines(), len(data), data,
                          tuple(problems))
    return _read_body(grid, head, columns, extras, problems, where, (label, path, digest))


def _hidden_notes(grid: Grid, where: dict) -> list[Problem]:
    notes = []
    for hidden in grid.hidden_sheets:
        if hidden == grid.sheet:
            notes.append(problem(Code.SHEET_HIDDEN_READ, f"the sheet {hidden!r} is hidden; it is read all the same",
                                 **where, hint="unhide it if that is a surprise"))
        else:
            notes.append(problem(Code.SHEET_HIDDEN_SKIPPED, f"hidden sheet {hidden!r} is not read",
                                 file=where["file"], sheet=hidden))
    return notes


def _no_header(grid: Grid, where: dict) -> Problem:
    if not grid.filled.any():
        return problem(Code.SHEET_EMPTY, "the sheet is empty" if grid.engine != "csv" else "the file is empty",
                       **where, hint="export the line items again; an empty file holds no lines")
    return problem(Code.HEADER_NOT_FOUND, f"no header row with {' and '.join(map(repr, S.EXPORT_HEADER_KEYS))} "
                   f"(or their other names) in the first {HEADER_SEARCH_ROWS} rows", **where,
                   hint="the header row names the columns; check that this is an IOM line-item export, or add "
                        "its column names to the reference's Column Aliases sheet")


def _read_body(grid: Grid, head: int, columns: dict, extras: dict, problems: list[Problem], where: dict,
               file: tuple[str, Path, str]) -> ExportFile:
    """Everything below the header: the Total row, the lines parsed column by column, the footing checked."""
    body = grid.cells[head + 1:]
    first_row = head + 2  # spreadsheet row number (a .csv's line number) of body[0]
    filled = np.flatnonzero(grid.filled[head + 1:])
    total = _total_row(body, filled, columns, grid.texts)
    after = filled[filled > total] if total is not None else filled[:0]
    # a Total followed by a Grand Total: the further total rows are not data either (the first one is the footing)
    after = np.array([i for i in after.tolist() if not _is_total_row(body[i].tolist(), columns)], dtype=filled.dtype)
    kept = filled[filled < total] if total is not None else filled
    rows = (kept + first_row).tolist()
    data = body[kept]
    total_row = total + first_row if total is not None else None
    total_cell = _cell(body[total], columns[S.ExportLine.amount_usd]) if total is not None else None
    located: list[tuple[int, int, Problem]] = []  # (row, column order, problem): reported row by row
    if grid.engine == "csv":
        total_cell = _decimal_mark(data, rows, columns, total_row, total_cell, where, located)
    footing = None
    if total_row is not None:
        footing, found = read_footing(total_cell, where, total_row)
        located += [(total_row, 99, p) for p in found]
    for i in after.tolist():
        located.append((i + first_row, -1, problem(
            Code.ROW_AFTER_TOTAL, f"data below the total row (row {total_row})", **where, row=i + first_row,
            hint="the Total row must be the last row; delete it or move it down")))
    values = _parse_columns(data, rows, columns, where, located, grid.epoch)
    notes = _not_lines(data, rows, columns)
    unnamed = _without_header(data, rows, columns, extras, grid.engine, where, located, notes)
    values[S.ExportLine.extra] = _extra_column(data, {**extras, **unnamed})
    if notes:  # one error for a note typed among the lines, not one per empty column
        located = [t for t in located if t[0] not in notes] + [(r, -1, _not_a_line(cell, where, r))
                                                               for r, cell in notes.items()]
    located.sort(key=lambda t: (t[0], t[1]))
    rejected: set[int | None] = {r for r, _o, p in located if p.severity == ERROR}
    # a row rejected for an error needs no word about its document amount
    problems += [p for r, _o, p in located if p.code is not Code.DOC_AMOUNT_NOT_KEPT or r not in rejected]
    rows_read = len(kept) + len(after)
    known: dict = {}
    frame = _lines_frame(values, rows, known)
    schema_problems = ([] if S.surely_valid_values(S.ExportLine, frame, known) else
                       validate(S.ExportLine, frame, where["file"], grid.sheet, S.EXPORT_HEADERS))
    # a cell that failed to parse is already reported; pandera would only repeat "is empty"
    parsed_bad = {(p.row, p.column) for p in problems}
    for p in schema_problems:
        if (p.row, p.column) not in parsed_bad and p.row not in notes:
            problems.append(p)
        rejected.add(p.row)
    if rows_read == 0:
        problems.append(problem(Code.EXPORT_NO_LINES, "the export has a header but no lines", **where))
    rejected.discard(total_row)  # a bad Total cell is reported, but the Total row is not a line
    lines = frame.loc[~frame.index.isin(rejected)]
    problems += check_footing(footing, total_row, lines, rejected, where)
    return ExportFile(*file, grid.sheet, head + 1, lines, rows_read, tuple(sorted(r for r in rejected if r is not None)),
                      tuple(problems), footing, total_row)


_LINE_KEYS = (S.ExportLine.document_no, S.ExportLine.item, S.ExportLine.posting_date, S.ExportLine.amount_usd)


def _blank(cell) -> bool:
    return cell is None or (cell.__class__ is str and not cell.strip())


def _not_lines(data: np.ndarray, rows: list[int], columns: dict) -> dict[int, object]:
    """Rows (spreadsheet numbers) with none of a line's keys and amount, each with its first filled cell."""
    empty = np.arange(len(rows))  # the rows whose keys seen so far are all blank: fewer at each key
    for column in _LINE_KEYS:
        idx = columns.get(column)
        if idx is not None and idx < data.shape[1]:
            empty = empty[np.array([_blank(c) for c in data[empty, idx].tolist()], dtype=bool)]
    return {rows[i]: next((c for c in data[i].tolist() if not _blank(c)), None) for i in empty.tolist()}


def _without_header(data: np.ndarray, rows: list[int], columns: dict, extras: dict, engine: str, where: dict,
                    located: list, notes: dict) -> dict[int, str]:
    """The columns whose header cell is empty but which hold values in the lines: kept as extra columns named
    "(column N)" (a .csv's "(field N)"), with one warning (in ``located``) naming the first such cells. A note typed
    beside a line, or a stray value far to the right, is then neither used nor lost without a word. Rows that are
    not lines (``notes``) have their own error."""
    named = set(columns.values()) | set(extras)
    free = [j for j in range(data.shape[1]) if j not in named]
    if not free or not data.shape[0]:
        return {}
    filled = np.not_equal(data[:, free], None)
    if notes:
        filled[[i for i, r in enumerate(rows) if r in notes]] = False
    at_rows, at_columns = np.nonzero(filled)
    if not len(at_rows):
        return {}
    place = ((lambda j: f"field {j + 1}") if engine == "csv" else (lambda j: column_letters(j + 1)))
    used = sorted({free[j] for j in at_columns.tolist()})
    order = np.lexsort((at_columns, at_rows))  # row by row, then left to right
    cells = [(rows[at_rows[k]], free[at_columns[k]]) for k in order[:5].tolist()]
    shown = ", ".join(f"{place(j)} row {r}" if engine == "csv" else f"{place(j)}{r}" for r, j in cells)
    more = f" and {len(at_rows) - len(cells)} more" if len(at_rows) > len(cells) else ""
    first_row, first_column = cells[0]
    located.append((first_row, 98, problem(
        Code.CELLS_WITHOUT_HEADER, f"{len(at_rows)} value(s) in {len(used)} column(s) without a header: {shown}"
        f"{more}; kept with their lines (in the ledger's extra column), not used", **where, row=first_row,
        column=f"({place(first_column)})", value=show_value(data[at_rows[order[0]], first_column]),
        hint="give the column a header if it is meant, or delete the values if they are a mistake")))
    return {j: f"({place(j)})" for j in used}


def _not_a_line(cell, where: dict, row: int) -> Problem:
    keys = ", ".join(S.EXPORT_HEADERS[c] for c in _LINE_KEYS[:-1]) + f" or {S.EXPORT_HEADERS[_LINE_KEYS[-1]]}"
    return problem(Code.ROW_NOT_A_LINE, f"not a line: no {keys} (a note typed among the lines?)", **where, row=row,
                   value=show_value(cell), hint="delete the row from the export, or put the note in a line's Text")


def _cell(row: np.ndarray, idx: int | None):
    return row[idx] if idx is not None and idx < row.shape[0] else None


def _parse_columns(data: np.ndarray, rows: list[int], columns: dict, where: dict, located: list,
                   epoch: dt.date = EXCEL_EPOCH) -> dict[str, list]:
    """``epoch``: the day serial 0 stands for in the file's workbook (a Posting Date given as a serial)."""
    values: dict[str, list] = {}
    for order, column in enumerate(_PARSERS):
        idx = columns.get(column)
        raw = data[:, idx].tolist() if idx is not None and idx < data.shape[1] else [None] * len(rows)
        parser = functools.partial(parse_date, epoch=epoch) if column == S.ExportLine.posting_date else None
        values[column], failures = _parse_column(column, raw, parser)
        if column == S.ExportLine.posting_date:
            failures = month_first(raw, values[column], failures)
        header = S.EXPORT_HEADERS[column]
        for pos, exc, cell in failures:
            if doc_amount_not_kept(column, exc):
                located.append((rows[pos], order, doc_amount_warning(cell, where, rows[pos])))
                continue
            located.append((rows[pos], order, problem(
                Code.INVALID_VALUE, f"{header}: {exc.message}", **where, row=rows[pos], column=header,
                value=show_value(cell), hint=exc.hint)))
    return values


def doc_amount_not_kept(column: str, exc: ParseError) -> bool:
    """A currency with three decimals (KWD, JOD, OMR, ...): the figures use Amount (USD), so the line is used; its
    document amount, which money in cents cannot hold, is left out, and said so (`doc_amount_warning`)."""
    return column == S.ExportLine.amount_doc and exc.message == MORE_THAN_TWO_DECIMALS


def doc_amount_warning(cell, where: dict, row: int) -> Problem:
    header = S.EXPORT_HEADERS[S.ExportLine.amount_doc]
    return problem(Code.DOC_AMOUNT_NOT_KEPT, f"{header} {show_value(cell)} has more than two decimals: it is not kept "
                   "in the ledger (the line is used: the report's figures are its Amount (USD))", **where, row=row,
                   column=header, value=show_value(cell), hint="nothing to do; the export keeps the exact document "
                                                               "amount")


def _decimal_mark(data: np.ndarray, rows: list[int], columns: dict, total_row: int | None, total_cell,
                  where: dict, located: list):
    """A .csv's amounts (in ``data``, in place) and Total cell (returned) in decimal-point form; when the file's
    amounts cannot tell the decimal mark, an error at an example cell (its row is then rejected)."""
    amounts = [(c, columns[c]) for c in (S.ExportLine.amount_doc, S.ExportLine.amount_usd)
               if columns.get(c) is not None and columns[c] < data.shape[1]]
    cells = []
    for column, idx in amounts:
        cells += [(row, S.EXPORT_HEADERS[column], cell) for row, cell in zip(rows, data[:, idx].tolist())]
    if total_row is not None:  # last: an example is a line's cell where there is one
        cells.append((total_row, S.EXPORT_HEADERS[S.ExportLine.amount_usd], total_cell))
    mark, example, why = decimal_mark(cells)
    if example is not None:
        row, header, cell = example
        located.append((row, -2, problem(
            Code.DECIMAL_MARK_AMBIGUOUS, f"the decimal mark of this CSV file cannot be told: {why}", **where,
            row=row, column=header, value=show_value(cell),
            hint="export the file again with amounts showing two decimals (1,234.00 or 1.234,00)")))
    for _column, idx in amounts:
        data[:, idx] = [normalise(cell, mark) for cell in data[:, idx].tolist()]
    return normalise(total_cell, mark)


def _total_row(body: np.ndarray, filled: np.ndarray, columns: dict[str, int], texts: frozenset[str]) -> int | None:
    """Index in ``body`` of the first Total row, or None: only rows holding a total label get the full test."""
    labelled = np.zeros(body.shape[0], dtype=bool)
    # an ASCII text is a total label only if it holds "total" (its normal form only folds case and spaces):
    # a month's 30,000 distinct texts are not all normalised
    maybe = [t for t in texts if not t.isascii() or "total" in t.lower()]
    for label in [t for t in maybe if _is_total_label(t)]:
        labelled |= (body == label).any(axis=1)
    for i in filled[labelled[filled]].tolist():
        if _is_total_row(body[i].tolist(), columns):
            return i
    return None


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

