"""Parse an export's columns: each distinct cell once, plain number amounts in bulk, into the ExportLine frame."""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import schemas as S
from ..money import MAX_CENTS
from .values import (FormulaWithoutValue, ParseError, as_code, as_text, day_month, no_saved_value, parse_amount,
                     parse_date, parse_document_no, parse_whole)

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
_TEXT_COLUMNS = frozenset(_PARSERS) - {*_NULLABLE_NUMBERS, S.ExportLine.posting_date}


class Texts(list):
    """A column's values every one of which is a `str` (known from its distinct values): `_lines_frame` gives
    them to pandas as one pyarrow array, without looking at each."""


def _parse_column(column: str, raw: list, parser=None) -> tuple[list, list[tuple[int, ParseError, object]]]:
    """Parse one column's cells: (values, [(position, error, cell)]); failed cells are NA. ``parser``: another
    for the column's (a Posting Date in a workbook of the 1904 date system).

    Each distinct cell is parsed once (numbers equal as int and float parse alike; True is kept apart from 1),
    and amounts that are plain number cells, or plain text like 1,234.56, are converted in bulk.
    """
    parser = parser or _PARSERS[column]
    blank = pd.NA if column in _NULLABLE_NUMBERS else ""
    keyed = bool in set(map(type, raw))
    memo: dict = {}
    if column in S.EXPORT_OPTIONAL:
        memo[(type(None), None) if keyed else None] = blank
    if column in _AMOUNTS:
        values, rest = _bulk_amounts(raw)
        cells = [raw[pos] for pos in rest]
    else:
        values, rest, cells = [], range(len(raw)), raw
    keys = [(cell.__class__, cell) for cell in cells] if keyed else cells
    bad = False
    for key in dict.fromkeys(keys):  # each distinct cell, in the order of its first appearance
        if key in memo:
            continue
        cell = key[1] if keyed else key
        try:
            if isinstance(cell, FormulaWithoutValue):
                raise no_saved_value(cell)
            memo[key] = parser(cell)
        except ParseError as exc:
            memo[key] = exc
            bad = True
    text = not bad and column in _TEXT_COLUMNS and all(v.__class__ is str for v in memo.values())
    parsed = (Texts if text else list)(map(memo.__getitem__, keys))
    if column in _AMOUNTS:
        for pos, value in zip(rest, parsed):
            values[pos] = value
    else:
        values = parsed
    failures = []
    if bad:
        for pos in rest:
            if isinstance(values[pos], ParseError):
                failures.append((pos, values[pos], raw[pos]))
                values[pos] = pd.NA
    return values, failures


MONTH_FIRST_HINT = "export the file again with dates as dd/mm/yyyy, or as date cells"


def month_first(raw: list, values: list, failures: list) -> list:
    """The failures of a Posting Date column, for a file that writes its text dates month first (10/18/2012, as a
    computer set to the United States exports a CSV): such a date is impossible as dd/mm/yyyy, and one whose day
    is 12 or less (10/03/2012) would be read, silently, as another date (10 March). Then each of those is an
    error too (its value NA, as a failed cell's), and every one of them says why. ``values``: changed in place."""
    texts = {cell for cell in set(raw) if cell.__class__ is str}
    pairs = {text: pair for text in texts if (pair := day_month(text)) is not None}
    if not any(first <= 12 < second <= 31 for first, second in pairs.values()):
        return failures
    impossible = {text for text, (_first, second) in pairs.items() if second > 12}  # as dd/mm/yyyy
    ambiguous = {text for text, (first, second) in pairs.items() if first <= 12 and second <= 12
                 and first != second}  # (03/03/2012 is the same date either way)
    failed = {pos for pos, _exc, _cell in failures}
    out = [(pos, ParseError(f"{exc.message}: this file writes its dates month first (mm/dd/yyyy)", MONTH_FIRST_HINT)
            if cell.__class__ is str and cell in impossible else exc, cell)
           for pos, exc, cell in failures]
    for pos, cell in enumerate(raw):
        if cell.__class__ is str and cell in ambiguous and pos not in failed:
            first, second = pairs[cell]
            out.append((pos, ParseError(f"{cell.strip()} would be read as day {first} of month {second}, but this "
                                        "file writes its dates month first (mm/dd/yyyy)", MONTH_FIRST_HINT), cell))
            values[pos] = pd.NA
    return sorted(out, key=lambda failure: failure[0])


_BULK_LIMIT = 1e7  # below it a float's cents are exact in float arithmetic (error < 3e-7 cent)
# text `parse_amount` reads as it is: ASCII digits (grouped by commas or not), up to two decimals, a leading minus
_PLAIN_AMOUNT = re.compile(r"(-?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?")


def _bulk_amounts(raw: list) -> tuple[list, list[int]]:
    """Cents of the cells whose value is whole cents beyond doubt, and the positions of the other cells.

    For a float with |x| < 1e7, x * 100 is within 3e-7 of the decimal the cell shows, so a product within 1e-6 of
    a whole number is exactly what `parse_amount` returns. Plain text (`_PLAIN_AMOUNT`) is the decimal it spells,
    so its digits are its cents, as `parse_amount` reads them, up to `MAX_CENTS`. Every other cell goes to
    `parse_amount` itself.
    """
    number = np.array([c if c.__class__ is float else np.nan for c in raw], dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):  # huge and non-finite cells go to parse_amount below
        cents = number * 100
        whole = np.rint(cents)
        sure = (np.abs(number) < _BULK_LIMIT) & (np.abs(cents - whole) <= 1e-6)
    values = np.where(sure, whole, 0).astype(np.int64).tolist()
    rest = []
    for pos in np.flatnonzero(~sure).tolist():
        cell = raw[pos]
        match = _PLAIN_AMOUNT.fullmatch(cell) if cell.__class__ is str else None
        if match is not None:
            sign, whole_part, decimals = match.groups()
            amount = int(whole_part.replace(",", "") + (decimals or "").ljust(2, "0"))
            if amount <= MAX_CENTS:
                values[pos] = -amount if sign else amount
                continue
        rest.append(pos)
    return values, rest


def _extra_column(data: np.ndarray, extras: dict[int, str]) -> list[str]:
    """Extra columns of each row as JSON text ({header: text}), '' where a row has none."""
    present = [(idx, name) for idx, name in extras.items() if idx < data.shape[1]]
    if not present:
        return Texts([""] * data.shape[0])
    texts = []
    for idx, _name in present:
        cells = data[:, idx].tolist()
        # each distinct cell once (True is not 1; 1 and 1.0 are the same text)
        keyed = bool in set(map(type, cells))
        keys = [(cell.__class__, cell) for cell in cells] if keyed else cells
        memo = {}
        for key in dict.fromkeys(keys):
            cell = key[1] if keyed else key
            memo[key] = None if cell is None else as_text(cell)
        texts.append(list(map(memo.__getitem__, keys)))
    names = [name for _idx, name in present]
    rows = list(zip(*texts))
    memo_json: dict[tuple, str] = {}
    for row in dict.fromkeys(rows):
        extra = {name: value for name, value in zip(names, row) if value is not None}
        memo_json[row] = json.dumps(extra, ensure_ascii=False) if extra else ""
    return Texts(map(memo_json.__getitem__, rows))


def _lines_frame(values: dict[str, list], rows: list[int], known: dict | None = None) -> pd.DataFrame:
    """Parsed values as the ExportLine frame: Int64 numbers, datetime64[ns] dates, text ('' for none).

    ``known``, when given, gets what `S.surely_valid_values` needs of each column it can tell without looking at
    every cell: whether it holds a missing value, and the distinct values of the columns with checks."""
    index = pd.Index(np.array(rows, dtype=np.int64), name="row")
    known = {} if known is None else known
    checked = S.checked_columns(S.ExportLine)
    columns = {}
    for column in S.columns(S.ExportLine):
        cells = values.get(column, [])
        if column in _NULLABLE_NUMBERS:
            array = columns[column] = pd.array(cells, dtype="Int64")
            missing = array.isna()
            known[column] = (bool(missing.any()),
                             set(array[~missing].tolist()) if column in checked else None)
        elif column == S.ExportLine.posting_date:
            columns[column] = _datetimes(cells)
            known[column] = (bool(np.isnat(columns[column]).any()), None)
        elif cells and (isinstance(cells, Texts) or set(map(type, cells)) == {str}):
            # what pandas makes of them, without its check of each
            columns[column] = pd.array(pa.array(cells, type=pa.large_string()), dtype=str)
            known[column] = (False, set(cells) if column in checked else None)
        else:
            columns[column] = pd.array(cells, dtype=str)
            if not cells:
                known[column] = (False, set())
    return pd.DataFrame(columns, index=index)


_NAT = int(np.datetime64("NaT", "ns").astype(np.int64))


def _datetimes(days: list) -> np.ndarray:
    """Dates (or NA) as datetime64[ns] (NaT): each distinct date converted once."""
    memo = {day: _NAT if day is pd.NA else int(np.datetime64(day, "ns").astype(np.int64))
            for day in dict.fromkeys(days)}
    return np.array(list(map(memo.__getitem__, days)), dtype=np.int64).view("datetime64[ns]")


def _empty_lines() -> pd.DataFrame:
    return _lines_frame({}, [])
