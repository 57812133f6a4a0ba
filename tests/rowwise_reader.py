"""The first, row-by-row export reader, kept as the oracle for the column-wise one in `rcm_tables.readers`.

This is the reader as it was before it was vectorised (one parser call per cell, records into a frame), taking
a `Grid` instead of a path. Tests assert that `readers.export_from_grid` returns exactly what this returns.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from rcm_tables import schemas as S
from rcm_tables.inputs.values import ParseError, as_text
from rcm_tables.problems import Code, Problem, problem, show_value
import pandera.pandas as pa

from rcm_tables.inputs.footing import check_footing, read_footing
from rcm_tables.inputs.exports import (_LINE_KEYS, _NULLABLE_NUMBERS, _PARSERS, ExportFile, _blank,
                                       _is_total_row, _not_a_line, doc_amount_not_kept, doc_amount_warning)
from rcm_tables.inputs.grid import (HEADER_SEARCH_ROWS, Grid,
                                find_header, map_header, pandera_problems)


def export_from_grid_rowwise(grid: Grid | None, problems: list[Problem], label: str, path: Path, digest: str
                             ) -> ExportFile:
    problems = list(problems)
    empty = _lines_frame([], [])
    if grid is None:
        return ExportFile(label, path, digest, "", 0, empty, 0, (), tuple(problems))
    where = {"file": label, "sheet": grid.sheet}
    for hidden in grid.hidden_sheets:
        problems.append(problem(Code.SHEET_HIDDEN_SKIPPED, f"hidden sheet {hidden!r} is not read", **where))
    head = find_header(grid, S.EXPORT_HEADER_KEYS)
    if head is None:
        non_blank = sum(1 for r in grid.rows if any(v is not None for v in r))
        if non_blank == 0:
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
    footing: int | None = None
    rows_read = 0
    for i in range(head + 1, len(grid.rows)):
        values = grid.rows[i]
        row_no = i + 1
        if all(v is None for v in values):
            continue
        if total_seen is None and _is_total_row(values, columns):
            total_seen = row_no
            usd = columns[S.ExportLine.amount_usd]
            footing, found = read_footing(values[usd] if usd < len(values) else None, where, row_no)
            problems += found
            continue
        if total_seen is not None and _is_total_row(values, columns):
            continue  # a Grand Total below a Total
        rows_read += 1
        if total_seen is not None:
            rejected.add(row_no)
            problems.append(problem(Code.ROW_AFTER_TOTAL, f"data below the total row (row {total_seen})",
                                  **where, row=row_no,
                                  hint="the Total row must be the last row; delete it or move it down"))
            continue
        keys = [values[columns[c]] if columns.get(c) is not None and columns[c] < len(values) else None
                for c in _LINE_KEYS]
        if all(_blank(v) for v in keys):
            rejected.add(row_no)
            problems.append(_not_a_line(next((v for v in values if not _blank(v)), None), where, row_no))
            continue
        record, row_problems = _parse_row(values, columns, extras, where, row_no)
        if any(p.severity == "error" for p in row_problems):
            rejected.add(row_no)
            row_problems = [p for p in row_problems if p.code is not Code.DOC_AMOUNT_NOT_KEPT]
        problems += row_problems
        records.append(record)
        rows.append(row_no)

    frame = _lines_frame(records, rows)
    schema_problems = _validate(S.ExportLine, frame, label, grid.sheet, S.EXPORT_HEADERS)
    parsed_bad = {(p.row, p.column) for p in problems}
    for p in schema_problems:
        if (p.row, p.column) not in parsed_bad:
            problems.append(p)
        rejected.add(p.row)
    if rows_read == 0:
        problems.append(problem(Code.EXPORT_NO_LINES, "the export has a header but no lines", **where))
    lines = frame.loc[~frame.index.isin(rejected)]
    problems += check_footing(footing if total_seen else None, total_seen, lines, rejected, where)
    return ExportFile(label, path, digest, grid.sheet, head + 1, lines, rows_read,
                      tuple(sorted(r for r in rejected if r is not None)), tuple(problems),
                      footing if total_seen else None, total_seen)


def _validate(model, frame: pd.DataFrame, file: str, sheet: str, headers: dict[str, str]) -> list[Problem]:
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return pandera_problems(exc, file, sheet, headers, frame, S.money_columns(model))
    return []


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
            if doc_amount_not_kept(column, exc):
                problems.append(doc_amount_warning(raw, where, row_no))
                continue
            problems.append(problem(Code.INVALID_VALUE, f"{S.EXPORT_HEADERS[column]}: {exc.message}", **where,
                                  row=row_no, column=S.EXPORT_HEADERS[column], value=show_value(raw),
                                  hint=exc.hint))
    extra = {name: as_text(values[idx]) for idx, name in extras.items()
             if idx < len(values) and values[idx] is not None}
    record[S.ExportLine.extra] = json.dumps(extra, ensure_ascii=False) if extra else ""
    return record, problems


def _lines_frame(records: list[dict], rows: list[int]) -> pd.DataFrame:
    cols = S.columns(S.ExportLine)
    frame = pd.DataFrame.from_records(records, columns=cols, index=pd.Index(rows, name="row", dtype="int64"))
    for column in cols:
        if column in _NULLABLE_NUMBERS:
            frame[column] = frame[column].astype("Int64")
        elif column == S.ExportLine.posting_date:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    frame.index.name = "row"  # the one change: an empty frame's index is named too (combine() relies on it)
    return frame


def assert_same_export(a: ExportFile, b: ExportFile) -> None:
    """Two reads of an export are the same: every field, and the lines to the value and dtype."""
    for name in ("file", "path", "sha256", "sheet", "header_row", "rows_read", "rejected_rows", "problems", "footing",
                 "total_row"):
        assert getattr(a, name) == getattr(b, name), name
    pd.testing.assert_frame_equal(a.lines, b.lines, check_exact=True)
