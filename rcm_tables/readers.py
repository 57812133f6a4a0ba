"""Read IOM exports and the reference workbook into validated frames, keeping provenance.

Reading never modifies an input. Every problem is returned as a `Problem` naming file, sheet, row and
column; nothing here raises for a user's mistake.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import schemas as S
from .parsing import ParseError, as_code, as_text, normalize_name, parse_amount, parse_date, parse_whole
from .problems import Problem, error, note, show_value, warning
from .safety import preflight

HEADER_SEARCH_ROWS = 30  # the contract allows a title block of up to 15 rows; allow some slack


# ---------------------------------------------------------------- cells


@dataclass(frozen=True)
class Grid:
    """The cell values of one sheet; rows[i] is spreadsheet row i + 1, empty cells are None."""

    sheet: str
    rows: list[list]
    visible_sheets: tuple[str, ...] = ()
    hidden_sheets: tuple[str, ...] = ()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _clean(value):
    # calamine gives '' for an empty cell; strings of spaces are empty too
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _pick_sheet(names: list[str], visible: list[str], wanted: str | None) -> str | None:
    if wanted is not None:
        for name in names:
            if normalize_name(name) == normalize_name(wanted):
                return name
    if len(visible) == 1:
        return visible[0]
    return None


def read_grid(path: Path, wanted_sheet: str | None, label: str) -> tuple[Grid | None, list[Problem]]:
    """Read one sheet's values with python-calamine (cached values of formula cells).

    ``wanted_sheet`` is matched case-insensitively; without it, or when it is absent and the workbook has one
    visible sheet, that sheet is read.
    """
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
        meta = workbook.sheets_metadata
        names = [m.name for m in meta]
        visible = [m.name for m in meta if m.visible == pc.SheetVisibleEnum.Visible
                   and m.typ == pc.SheetTypeEnum.WorkSheet]
        sheet = _pick_sheet(names, visible, wanted_sheet)
        if sheet is None:
            return None, [error(
                "sheet-missing",
                f"no sheet named {wanted_sheet!r} and more than one sheet to choose from",
                file=label, value=", ".join(names),
                hint=f"name the sheet with the line items {wanted_sheet!r}",
            )]
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except pc.PasswordError:
        return None, [error("file-protected", "the workbook is password-protected", file=label,
                            hint="save an unprotected copy of the export into the folder")]
    except Exception as exc:  # any failure of the file format is the user's file, not our bug
        return None, [error("file-unreadable", "not a readable .xlsx workbook", file=label,
                            value=show_value(f"{type(exc).__name__}: {exc}"),
                            hint="export the report again as an Excel workbook (.xlsx)")]
    grid = Grid(sheet, [[_clean(v) for v in row] for row in rows], tuple(visible),
                tuple(n for n in names if n not in visible))
    return grid, []


def find_header(grid: Grid, keys: tuple[str, ...], limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """0-based index of the first row that holds every key (trimmed, case-insensitive)."""
    wanted = {normalize_name(k) for k in keys}
    for i, row in enumerate(grid.rows[:limit]):
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


def _validate(model, frame: pd.DataFrame, file: str, sheet: str, headers: dict[str, str]) -> list[Problem]:
    try:
        model.validate(frame, lazy=True)
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


def read_export(path: Path, label: str | None = None) -> ExportFile:
    """Read one IOM export. Problems are collected, never raised."""
    label = label or path.name
    digest = sha256_of(path)
    empty = _empty_lines()
    problems = preflight(path, label)
    if problems:
        return ExportFile(label, path, digest, "", 0, empty, 0, (), tuple(problems))
    grid, problems = read_grid(path, S.EXPORT_SHEET, label)
    if grid is None:
        return ExportFile(label, path, digest, "", 0, empty, 0, (), tuple(problems))
    where = {"file": label, "sheet": grid.sheet}
    for hidden in grid.hidden_sheets:
        if hidden == grid.sheet:
            problems.append(warning("sheet-hidden", f"the sheet {hidden!r} is hidden; it is read all the same",
                                    **where, hint="unhide it if that is a surprise"))
        else:
            problems.append(note("sheet-hidden", f"hidden sheet {hidden!r} is not read", file=label, sheet=hidden))
    head = find_header(grid, S.EXPORT_HEADER_KEYS)
    if head is None:
        non_blank = sum(1 for r in grid.rows if any(v is not None for v in r))
        if non_blank == 0:
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
        grid.rows[head], S.EXPORT_HEADERS, set(S.EXPORT_OPTIONAL), {**where, "row": head + 1})
    problems += header_problems
    if any(p.severity == "error" for p in header_problems):
        data = [i + 1 for i in range(head + 1, len(grid.rows)) if any(v is not None for v in grid.rows[i])]
        return ExportFile(label, path, digest, grid.sheet, head + 1, empty, len(data),
                          tuple(data), tuple(problems))

    records: list[dict] = []
    rows: list[int] = []
    rejected: set[int] = set()
    total_seen: int | None = None
    rows_read = 0
    for i in range(head + 1, len(grid.rows)):
        values = grid.rows[i]
        row_no = i + 1
        if all(v is None for v in values):
            continue
        if total_seen is None and _is_total_row(values, columns):
            total_seen = row_no
            continue
        rows_read += 1
        if total_seen is not None:
            rejected.add(row_no)
            problems.append(error("row-after-total", f"data below the total row (row {total_seen})",
                                  **where, row=row_no,
                                  hint="the Total row must be the last row; delete it or move it down"))
            continue
        record, row_problems = _parse_row(values, columns, extras, where, row_no)
        problems += row_problems
        if row_problems:
            rejected.add(row_no)
        records.append(record)
        rows.append(row_no)

    frame = _lines_frame(records, rows)
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


def _parse_row(values, columns, extras, where, row_no) -> tuple[dict, list[Problem]]:
    record: dict = {}
    problems: list[Problem] = []
    for column, parser in _PARSERS.items():
        idx = columns.get(column)
        raw = values[idx] if idx is not None and idx < len(values) else None
        if raw is None and column in S.EXPORT_OPTIONAL:
            record[column] = pd.NA if column in _NULLABLE_NUMBERS else ""
            continue
        try:
            record[column] = parser(raw)
        except ParseError as exc:
            record[column] = pd.NA
            problems.append(error("invalid-value", f"{S.EXPORT_HEADERS[column]}: {exc.message}", **where,
                                  row=row_no, column=S.EXPORT_HEADERS[column], value=show_value(raw),
                                  hint=exc.hint))
    extra = {name: as_text(values[idx]) for idx, name in extras.items()
             if idx < len(values) and values[idx] is not None}
    record[S.ExportLine.extra] = json.dumps(extra, ensure_ascii=False) if extra else ""
    return record, problems


def _lines_frame(records: list[dict], rows: list[int]) -> pd.DataFrame:
    cols = S.columns(S.ExportLine)
    frame = pd.DataFrame.from_records(records, columns=cols)
    frame.index = pd.Index(rows, name="row", dtype="int64")  # from_records drops the name when empty
    for column in cols:
        if column in _NULLABLE_NUMBERS:
            frame[column] = frame[column].astype("Int64")
        elif column == S.ExportLine.posting_date:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def _empty_lines() -> pd.DataFrame:
    return _lines_frame([], [])


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
    import python_calamine as pc

    label = label or path.name
    digest = sha256_of(path)
    problems: list[Problem] = preflight(path, label)
    if problems:
        return _no_sheets(), digest, problems
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
        names = {normalize_name(n): n for n in workbook.sheet_names}
    except pc.PasswordError:
        return _no_sheets(), digest, [error("file-protected", "the reference workbook is password-protected",
                                            file=label, hint="save an unprotected copy")]
    except Exception as exc:
        return _no_sheets(), digest, [error(
            "file-unreadable", "not a readable .xlsx workbook", file=label,
            value=show_value(f"{type(exc).__name__}: {exc}"),
            hint="point --reference at the Secretariat's reference workbook (.xlsx)")]
    sheets: dict[str, ReferenceSheet] = {}
    for sheet, (model, headers, required) in S.REFERENCE_SHEETS.items():
        cols = list(headers)
        if normalize_name(sheet) not in names:
            if required:
                problems.append(error("sheet-missing", f"the reference workbook has no sheet {sheet!r}",
                                      file=label, value=", ".join(workbook.sheet_names),
                                      hint=f"add the sheet {sheet!r} with columns "
                                           f"{', '.join(headers.values())}"))
            sheets[sheet] = ReferenceSheet(sheet, _typed(model, [], []), 0, False)
            continue
        real = names[normalize_name(sheet)]
        grid, grid_problems = read_grid(path, real, label)
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

