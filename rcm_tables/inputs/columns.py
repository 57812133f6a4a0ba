"""Parse an export's columns: each distinct cell once, plain number amounts in bulk, into the ExportLine frame."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .. import schemas as S
from .values import (FormulaWithoutValue, ParseError, as_code, as_text, no_saved_value, parse_amount, parse_date,
                     parse_document_no, parse_whole)

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
                if isinstance(cell, FormulaWithoutValue):
                    raise no_saved_value(cell)
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
