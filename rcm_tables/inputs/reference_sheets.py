"""Read the reference workbook's sheets into typed frames (money columns in cents), every problem located."""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import schemas as S
from ..problems import Code, Problem, file_label, problem, show_value
from .engines import PasswordProtected, UnreadableWorkbook, open_book
from .folder import not_a_file
from .grid import find_header, map_header, sheet_grid, validate
from .preflight import REEXPORT_HINTS, check, hidden_rows_read
from .values import (FormulaWithoutValue, ParseError, as_code, no_saved_value, normalize_name, parse_amount,
                     parse_date)

HIDDEN_ROWS_HINT = ("every row counts, hidden or not: delete a row that should not count (unhide the rows, or clear "
                    "the filter, to see them)")

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
    if (model, column) == (S.Scale, S.Scale.fund):
        return _fund
    return as_code


def _fund(value) -> str:
    """A fund code, as the exports' Fund column reads it: ' ts ' is TS."""
    return as_code(value).upper()


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
    """One sheet as read: its valid rows (index: spreadsheet row), and the rows rejected with their first
    column's text (a rejected Periods row's label: checks that depend on it wait for it to be fixed)."""

    name: str
    frame: pd.DataFrame
    rows_read: int
    present: bool
    rejected: dict[int, str] = field(default_factory=dict)


def read_reference_sheets(path: Path, label: str | None = None
                          ) -> tuple[dict[str, ReferenceSheet], str, list[Problem]]:
    """Read every sheet of the reference workbook into typed frames (money columns in cents)."""
    label = label or file_label(path)
    book, digest, problems, hidden = _open(path, label)
    if book is None:
        return _no_sheets(), digest, problems
    names = {normalize_name(n): n for n in book.names}
    sheets: dict[str, ReferenceSheet] = {}
    for sheet, (model, headers, required) in S.REFERENCE_SHEETS.items():
        if normalize_name(sheet) not in names:
            if required:
                problems.append(problem(Code.SHEET_MISSING, f"the reference workbook has no sheet {sheet!r}",
                                        file=label, value=", ".join(book.names),
                                        hint=f"add the sheet {sheet!r} with columns {', '.join(headers.values())}"))
            sheets[sheet] = ReferenceSheet(sheet, _typed(model, [], []), 0, False)
            continue
        real = names[normalize_name(sheet)]
        sheets[sheet], found = _read_sheet(book, real, sheet, label, hidden.get(real, ()))
        problems += found
    return sheets, digest, problems


def _as_reference(found: Problem) -> Problem:
    """Pre-flight's hints for a damaged file tell to export it again: the reference workbook is the Secretariat's
    own."""
    if found.hint not in REEXPORT_HINTS:
        return found
    return dataclasses.replace(found, hint="open the reference workbook (or its backup) in Excel and save it again "
                                           "as an Excel workbook (.xlsx)")


def _open(path: Path, label: str):
    """(book, SHA-256, problems, hidden rows by sheet name): the book is None when the file cannot be read as a
    workbook."""
    if path.exists() and not path.is_file():
        return None, "", [not_a_file(label)], {}
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, "", [problem(Code.FILE_UNREADABLE, "the reference workbook cannot be read", file=label,
                                  value=show_value(f"{type(exc).__name__}: {exc}"),
                                  hint="check that the file exists and that you may read it")], {}
    digest = hashlib.sha256(data).hexdigest()
    checked = check(data, label)
    problems = [_as_reference(p) for p in checked.problems]
    if problems:
        return None, digest, problems, {}
    try:
        return open_book(data), digest, [], checked.hidden_rows
    except PasswordProtected:
        return None, digest, [problem(Code.FILE_PROTECTED, "the reference workbook is password-protected",
                                      file=label, hint="save an unprotected copy")], {}
    except UnreadableWorkbook as exc:  # the file's fault; any other exception is our bug
        return None, digest, [problem(
            Code.FILE_UNREADABLE, "not a readable .xlsx workbook", file=label, value=show_value(str(exc)),
            hint="point --reference at the Secretariat's reference workbook (.xlsx)")], {}


def _read_sheet(book, real: str, sheet: str, label: str, hidden: tuple[int, ...] = ()
                ) -> tuple[ReferenceSheet, list[Problem]]:
    model, headers, _required = S.REFERENCE_SHEETS[sheet]
    empty = ReferenceSheet(sheet, _typed(model, [], []), 0, True)
    grid, problems = sheet_grid(book, real, label)
    if grid is None:
        return ReferenceSheet(sheet, _typed(model, [], []), 0, False), problems
    where = {"file": label, "sheet": real}
    keys = tuple(list(headers.values())[:2])
    head = find_header(grid, keys)
    if head is None:
        problems.append(problem(Code.HEADER_NOT_FOUND, f"no header row with {' and '.join(map(repr, keys))}",
                                **where, hint=f"give the sheet a header row (rows above it are skipped) naming the columns: "
                                     f"{', '.join(headers.values())}"))
        return empty, problems
    optional = {c for (s, c) in S.REFERENCE_OPTIONAL if s == sheet}
    found, _extra, header_problems = map_header(grid.rows[head], headers, optional, {**where, "row": head + 1})
    problems += header_problems
    if header_problems:
        return empty, problems
    problems += hidden_rows_read(hidden, head + 1, where, HIDDEN_ROWS_HINT)
    records, rows, bad, raw_keys = _records(grid, head, found, model, headers, optional, where, problems)
    frame = _typed(model, records, rows)
    frame = frame.loc[~frame.index.isin(bad)]
    schema_problems = validate(model, frame, label, real, headers)
    problems += schema_problems
    # keep only valid rows: every bad one is reported, and later steps may rely on the types
    bad |= {p.row for p in schema_problems}
    frame = frame.loc[~frame.index.isin(bad)]
    rejected = {row: raw_keys[row] for row in sorted(r for r in bad if r is not None)}
    return ReferenceSheet(sheet, frame, len(rows), True, rejected), problems


def _records(grid, head: int, found: dict, model, headers: dict, optional: set, where: dict, problems: list):
    """Each non-blank row below the header parsed by its column's type; a cell that fails is located."""
    cols = list(headers)
    records, rows, bad, raw_keys = [], [], set(), {}
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
                    problems.append(problem(Code.INVALID_VALUE, f"{headers[column]} is empty", **where,
                                            row=i + 1, column=headers[column]))
                    bad.add(i + 1)
                continue
            try:
                if isinstance(raw, FormulaWithoutValue):
                    raise no_saved_value(raw)
                # a serial counts from the day its workbook's date system says (`inputs.datesystem`)
                record[column] = parser(raw, grid.epoch) if parser is parse_date else parser(raw)
            except ParseError as exc:
                record[column] = pd.NA
                bad.add(i + 1)
                problems.append(problem(Code.INVALID_VALUE, f"{headers[column]}: {exc.message}", **where,
                                        row=i + 1, column=headers[column], value=show_value(raw), hint=exc.hint))
        first = found.get(cols[0])
        raw_keys[i + 1] = as_code(values[first]) if first is not None and first < len(values) else ""
        records.append(record)
        rows.append(i + 1)
    return records, rows, bad, raw_keys


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


