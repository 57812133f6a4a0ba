"""Read IOM exports and the reference workbook into validated frames, keeping provenance.

Reading never modifies an input. Every problem is returned as a `Problem` naming file, sheet, row and
column; nothing here raises for a user's mistake.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import schemas as S
from .cells import Book, PasswordProtected, open_book
from .parsing import ParseError, as_code, as_text, normalize_name, parse_amount, parse_date, parse_whole
from .problems import Problem, error, note, show_value, warning
from .safety import preflight

HEADER_SEARCH_ROWS = 30  # the contract allows a title block of up to 15 rows; allow some slack


# ---------------------------------------------------------------- cells


@dataclass(frozen=True)
class Grid:
    """The cell values of one sheet; cells[i, j] is spreadsheet row i + 1, column j + 1; empty cells are None.

    Build it with `make_grid`, which also notes which rows hold anything and the distinct texts.
    """

    sheet: str
    cells: np.ndarray  # 2-D, dtype object
    filled: np.ndarray  # per row: does it hold any value?
    texts: frozenset[str]  # every distinct text in the sheet
    visible_sheets: tuple[str, ...] = ()
    hidden_sheets: tuple[str, ...] = ()
    engine: str = "calamine"

    @cached_property
    def rows(self) -> list[list]:
        return self.cells.tolist()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_grid(sheet: str, rows: list[list], visible: tuple[str, ...] = (), hidden: tuple[str, ...] = (),
              engine: str = "calamine") -> Grid:
    """A sheet's rows of cell values as a `Grid`: blanks ('', strings of spaces) become None."""
    width = max((len(r) for r in rows), default=0)
    cells = np.empty((len(rows), width), dtype=object)
    if rows and len(set(map(len, rows))) == 1:
        cells[:] = rows
    else:
        for i, row in enumerate(rows):
            cells[i, : len(row)] = row
    distinct = set(cells.ravel().tolist())
    texts = {v for v in distinct if isinstance(v, str)}
    blank = np.zeros(cells.shape, dtype=bool)
    # calamine gives '' for an empty cell; strings of spaces are empty too
    for text in [t for t in texts if not t.strip()]:
        blank |= cells == text
        texts.discard(text)
    if None in distinct:
        blank |= np.equal(cells, None)
    cells[blank] = None
    filled = ~blank.all(axis=1) if width else np.zeros(len(rows), dtype=bool)
    return Grid(sheet, cells, filled, frozenset(texts), tuple(visible), tuple(hidden), engine)


def _pick_sheet(names: list[str], visible: list[str], wanted: str | None) -> str | None:
    if wanted is not None:
        for name in names:
            if normalize_name(name) == normalize_name(wanted):
                return name
    if len(visible) == 1:
        return visible[0]
    return None


def read_grid(source: Path | bytes, wanted_sheet: str | None, label: str, engine: str = "auto"
              ) -> tuple[Grid | None, list[Problem]]:
    """Read one sheet's values (cached values of formula cells) from a workbook's path or bytes.

    ``wanted_sheet`` is matched case-insensitively; without it, or when it is absent and the workbook has one
    visible sheet, that sheet is read. python-calamine reads it, or openpyxl where calamine would read it
    differently (see `rcm_tables.cells`).
    """
    book, problems = open_workbook(source, label, engine)
    if book is None:
        return None, problems
    return sheet_grid(book, wanted_sheet, label)


EXPORT_HINTS = ("save an unprotected copy of the export into the folder",
                "export the report again as an Excel workbook (.xlsx)")


def open_workbook(source: Path | bytes, label: str, engine: str = "auto", hints: tuple[str, str] = EXPORT_HINTS
                  ) -> tuple[Book | None, list[Problem]]:
    """Open a workbook; a protected or unreadable file is a problem (``hints``: what to do about each)."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        return open_book(data, engine), []
    except PasswordProtected:
        return None, [error("file-protected", "the workbook is password-protected", file=label, hint=hints[0])]
    except Exception as exc:  # any failure of the file format is the user's file, not our bug
        return None, [error("file-unreadable", "not a readable .xlsx workbook", file=label,
                            value=show_value(f"{type(exc).__name__}: {exc}"), hint=hints[1])]


def sheet_grid(book: Book, wanted_sheet: str | None, label: str) -> tuple[Grid | None, list[Problem]]:
    """One sheet of an open workbook as a `Grid`."""
    sheet = _pick_sheet(book.names, book.visible, wanted_sheet)
    if sheet is None:
        return None, [error(
            "sheet-missing",
            f"no sheet named {wanted_sheet!r} and more than one sheet to choose from",
            file=label, value=", ".join(book.names),
            hint=f"name the sheet with the line items {wanted_sheet!r}",
        )]
    try:
        rows = book.read_rows(sheet)
    except Exception as exc:
        return None, [error("file-unreadable", f"sheet {sheet!r} cannot be read", file=label, sheet=sheet,
                            value=show_value(f"{type(exc).__name__}: {exc}"),
                            hint="save the workbook again as an Excel workbook (.xlsx)")]
    hidden = tuple(n for n in book.names if n not in book.visible)
    return make_grid(sheet, rows, tuple(book.visible), hidden, book.engine), []


def find_header(grid: Grid, keys: tuple[str, ...], limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """0-based index of the first row that holds every key (trimmed, case-insensitive)."""
    wanted = {normalize_name(k) for k in keys}
    for i, row in enumerate(grid.cells[:limit].tolist()):
        cells = {normalize_name(v) for v in row if isinstance(v, str)}
        if wanted <= cells:
            return i
    return None


def map_header(row: list, expected: dict[str, str], optional: set[str], where: dict
               ) -> tuple[dict[str, int], dict[int, str], list[Problem]]:
    """Match header cells to expected columns. Returns (column -> index, extra index -> header, problems)."""
    by_name: dict[str, int] = {}
    problems: list[Problem] = []
    for idx, value in enumerate(row):
        if value is None:
            continue
        key = normalize_name(as_text(value))
        if key in by_name:
            problems.append(error("header-duplicate", f"column {as_text(value).strip()!r} appears twice",
                                  **where, hint="delete or rename one of the two columns"))
            continue
        by_name[key] = idx
    found: dict[str, int] = {}
    for column, header in expected.items():
        idx = by_name.pop(normalize_name(header), None)
        if idx is not None:
            found[column] = idx
    for column, header in expected.items():
        if column in found or column in optional:
            continue
        close = _closest_header(header, list(by_name))
        hint = (f"a column {close!r} is there: rename it {header!r}" if close
                else f"add the column {header!r} (headers are matched ignoring case and spaces)")
        problems.append(error("header-missing", f"required column {header!r} is missing", **where,
                              column=header, hint=hint))
    extra = {idx: as_text(row[idx]).strip() for idx in by_name.values()}
    return found, extra, problems


def _words(text: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"[a-z0-9]+", normalize_name(text))))


def _closest_header(header: str, found: list[str]) -> str | None:
    """The header cell most likely meant for ``header``: same words in any order, else a close spelling."""
    for candidate in found:
        if _words(candidate) == _words(header):
            return candidate
    squeezed = {"".join(_words(c)): c for c in found}
    close = difflib.get_close_matches("".join(_words(header)), list(squeezed), n=1, cutoff=0.6)
    return squeezed[close[0]] if close else None


# ---------------------------------------------------------------- pandera failures -> problems


_CHECK_WORDS = {
    "isin": "is not one of the allowed values",
    "str_matches": "does not have the expected form",
    "greater_than_or_equal_to": "is too small",
    "less_than_or_equal_to": "is too large",
    "str_length": "is empty",
    "not_nullable": "is empty",
    "field_uniqueness": "appears more than once",
}
_COLUMN_HINTS = {
    S.ExportLine.doc_type: "Doc. Type is DZ, KR, SA or AB",
    S.ExportLine.fund: "Fund is TS or RF",
    S.ExportLine.gl_account: "a G/L account has six digits, e.g. 400100 or 710100",
    S.ExportLine.currency: "an ISO 4217 code such as USD or EUR",
    S.ExportLine.item: "Item is a whole number of at least 1",
    S.ExportLine.document_no: "every line needs its document number",
    S.ExportLine.amount_usd: "every line needs its amount in US dollars",
}


def pandera_problems(exc: pa.errors.SchemaErrors, file: str, sheet: str, headers: dict[str, str],
                     frame: pd.DataFrame) -> list[Problem]:
    problems = []
    cases = exc.failure_cases
    for case in cases.to_dict("records"):
        column = case.get("column")
        check = str(case.get("check") or "")
        words = next((w for k, w in _CHECK_WORDS.items() if check.startswith(k)), f"fails check {check}")
        index = case.get("index")
        row = int(index) if index is not None and not pd.isna(index) else None
        value = case.get("failure_case")
        if row is not None and column in frame.columns and row in frame.index:
            value = frame.at[row, column]
        problems.append(error(
            "invalid-value", f"{headers.get(column, column)} {words}", file=file, sheet=sheet, row=row,
            column=headers.get(column, str(column)), value=show_value(None if pd.isna(value) else value),
            hint=_COLUMN_HINTS.get(column, ""),
        ))
    return problems


@functools.cache
def _without_dtypes(model) -> pa.DataFrameSchema:
    """The model's schema without its dtype checks (built once: building takes longer than validating)."""
    schema = S.schema(model)
    return schema.update_columns({name: {"dtype": None} for name in schema.columns})


def _validate(model, frame: pd.DataFrame, file: str, sheet: str, headers: dict[str, str]) -> list[Problem]:
    if S.surely_valid(model, frame):
        return []
    # pandera's dtype check of a text column costs more than all the other checks together; where the dtypes
    # are right it can only pass, so the schema without it finds exactly the same failures
    chosen = _without_dtypes(model) if S.dtypes_match(model, frame) else S.schema(model)
    try:
        chosen.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return pandera_problems(exc, file, sheet, headers, frame)
    return []


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
    S.ExportLine.document_no: as_code,
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        return export_from_grid(None, [error("file-unreadable", "the file cannot be read", file=label,
                                             value=show_value(f"{type(exc).__name__}: {exc}"),
                                             hint="check that the file exists and that you may read it")],
                                label, path, "")
    digest = hashlib.sha256(data).hexdigest()
    problems = preflight(data, label)
    if problems:
        return export_from_grid(None, problems, label, path, digest)
    grid, problems = read_grid(data, S.EXPORT_SHEET, label, engine)
    return export_from_grid(grid, problems, label, path, digest)


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
            problems.append(warning("sheet-hidden", f"the sheet {hidden!r} is hidden; it is read all the same",
                                    **where, hint="unhide it if that is a surprise"))
        else:
            problems.append(note("sheet-hidden", f"hidden sheet {hidden!r} is not read", file=label, sheet=hidden))
    cells = grid.cells
    head = find_header(grid, S.EXPORT_HEADER_KEYS)
    if head is None:
        if not grid.filled.any():
            problems.append(error("sheet-empty", "the sheet is empty", **where,
                                  hint="export the line items again; an empty file holds no lines"))
        else:
            problems.append(error(
                "header-not-found",
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
    for i in after.tolist():
        located.append((i + first_row, -1, error(
            "row-after-total", f"data below the total row (row {total + first_row})", **where, row=i + first_row,
            hint="the Total row must be the last row; delete it or move it down")))
    data = body[kept]
    values: dict[str, list] = {}
    for order, column in enumerate(_PARSERS):
        idx = columns.get(column)
        raw = data[:, idx].tolist() if idx is not None and idx < data.shape[1] else [None] * len(rows)
        values[column], failures = _parse_column(column, raw)
        header = S.EXPORT_HEADERS[column]
        for pos, exc, cell in failures:
            located.append((rows[pos], order, error(
                "invalid-value", f"{header}: {exc.message}", **where, row=rows[pos], column=header,
                value=show_value(cell), hint=exc.hint)))
    values[S.ExportLine.extra] = _extra_column(data, extras)
    located.sort(key=lambda t: (t[0], t[1]))
    problems += [p for _r, _o, p in located]
    rejected: set[int | None] = {r for r, _o, _p in located}
    rows_read = len(kept) + len(after)

    frame = _lines_frame(values, rows)
    schema_problems = _validate(S.ExportLine, frame, label, grid.sheet, S.EXPORT_HEADERS)
    # a cell that failed to parse is already reported; pandera would only repeat "is empty"
    parsed_bad = {(p.row, p.column) for p in problems}
    for p in schema_problems:
        if (p.row, p.column) not in parsed_bad:
            problems.append(p)
        rejected.add(p.row)
    if rows_read == 0:
        problems.append(warning("no-lines", "the export has a header but no lines", **where))
    lines = frame.loc[~frame.index.isin(rejected)]
    return ExportFile(label, path, digest, grid.sheet, head + 1, lines, rows_read,
                      tuple(sorted(r for r in rejected if r is not None)), tuple(problems))


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
    cents = number * 100
    whole = np.rint(cents)
    with np.errstate(invalid="ignore"):
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


# ---------------------------------------------------------------- the reference workbook


def _reference_parser(model, column):
    annotation = model.__annotations__.get(column, "")
    text = str(annotation)
    if "DateTime" in text:
        return parse_date
    if "Int64" in text:
        return parse_amount
    if "float" in text:
        return _parse_share
    return as_code


def _parse_share(value) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = as_code(value).rstrip("%").strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ParseError("share is not a number", "write shares as percentages, e.g. 1.77") from None


@dataclass(frozen=True)
class ReferenceSheet:
    name: str
    frame: pd.DataFrame
    rows_read: int
    present: bool


def read_reference_sheets(path: Path, label: str | None = None
                          ) -> tuple[dict[str, ReferenceSheet], str, list[Problem]]:
    """Read every sheet of the reference workbook into typed frames (money columns in cents)."""
    label = label or path.name
    problems: list[Problem] = []
    try:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        problems = preflight(data, label)
        if problems:
            return _no_sheets(), digest, problems
        book = open_book(data)
        names = {normalize_name(n): n for n in book.names}
    except PasswordProtected:
        return _no_sheets(), digest, [error("file-protected", "the reference workbook is password-protected",
                                            file=label, hint="save an unprotected copy")]
    except Exception as exc:
        return _no_sheets(), "", [error(
            "file-unreadable", "not a readable .xlsx workbook", file=label,
            value=show_value(f"{type(exc).__name__}: {exc}"),
            hint="point --reference at the Secretariat's reference workbook (.xlsx)")]
    sheets: dict[str, ReferenceSheet] = {}
    for sheet, (model, headers, required) in S.REFERENCE_SHEETS.items():
        cols = list(headers)
        if normalize_name(sheet) not in names:
            if required:
                problems.append(error("sheet-missing", f"the reference workbook has no sheet {sheet!r}",
                                      file=label, value=", ".join(book.names),
                                      hint=f"add the sheet {sheet!r} with columns "
                                           f"{', '.join(headers.values())}"))
            sheets[sheet] = ReferenceSheet(sheet, _typed(model, [], []), 0, False)
            continue
        real = names[normalize_name(sheet)]
        grid, grid_problems = sheet_grid(book, real, label)
        problems += grid_problems
        if grid is None:
            sheets[sheet] = ReferenceSheet(sheet, _typed(model, [], []), 0, False)
            continue
        where = {"file": label, "sheet": real}
        keys = tuple(headers[c] for c in cols[:2])
        head = find_header(grid, keys)
        if head is None:
            problems.append(error("header-not-found", f"no header row with {' and '.join(map(repr, keys))}",
                                  **where, hint=f"the first row names the columns: {', '.join(headers.values())}"))
            sheets[sheet] = ReferenceSheet(sheet, _typed(model, [], []), 0, True)
            continue
        optional = {c for (s, c) in S.REFERENCE_OPTIONAL if s == sheet}
        found, _extra, header_problems = map_header(grid.rows[head], headers, optional, {**where, "row": head + 1})
        problems += header_problems
        if header_problems:
            sheets[sheet] = ReferenceSheet(sheet, _typed(model, [], []), 0, True)
            continue
        records, rows = [], []
        bad: set[int] = set()
        for i in range(head + 1, len(grid.rows)):
            values = grid.rows[i]
            if all(v is None for v in values):
                continue
            record = {}
            for column in cols:
                idx = found.get(column)
                raw = values[idx] if idx is not None and idx < len(values) else None
                parser = _reference_parser(model, column)
                if raw is None:
                    record[column] = pd.NA if parser in (parse_amount, _parse_share, parse_date) else ""
                    if column not in optional:
                        problems.append(error("invalid-value", f"{headers[column]} is empty", **where,
                                              row=i + 1, column=headers[column]))
                        bad.add(i + 1)
                    continue
                try:
                    record[column] = parser(raw)
                except ParseError as exc:
                    record[column] = pd.NA
                    bad.add(i + 1)
                    problems.append(error("invalid-value", f"{headers[column]}: {exc.message}", **where,
                                          row=i + 1, column=headers[column], value=show_value(raw),
                                          hint=exc.hint))
            records.append(record)
            rows.append(i + 1)
        frame = _typed(model, records, rows)
        frame = frame.loc[~frame.index.isin(bad)]
        schema_problems = _validate(model, frame, label, real, headers)
        problems += schema_problems
        # keep only valid rows: every bad one is reported, and later steps may rely on the types
        frame = frame.loc[~frame.index.isin({p.row for p in schema_problems})]
        sheets[sheet] = ReferenceSheet(sheet, frame, len(rows), True)
    return sheets, digest, problems


def _no_sheets() -> dict[str, ReferenceSheet]:
    return {name: ReferenceSheet(name, _typed(model, [], []), 0, False)
            for name, (model, _h, _r) in S.REFERENCE_SHEETS.items()}


def _typed(model, records: list[dict], rows: list[int]) -> pd.DataFrame:
    cols = S.columns(model)
    frame = pd.DataFrame.from_records(records, columns=cols)
    frame.index = pd.Index(rows, name="row", dtype="int64")
    for column in cols:
        parser = _reference_parser(model, column)
        if parser is parse_amount:
            frame[column] = frame[column].astype("Int64")
        elif parser is _parse_share:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        elif parser is parse_date:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


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
    kind: str = "export"
    notes: tuple[str, ...] = field(default_factory=tuple)

