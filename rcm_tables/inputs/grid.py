"""A sheet's cells as a grid, its header row, and pandera's failures as located problems.

Shared by the readers of exports and of the reference workbook. Nothing here raises for a user's mistake.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import difflib
import functools
import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schemas as S
from ..problems import Code, Problem, problem, show_value
from ..money import grouped
from .engines import Book, PasswordProtected, UnreadableWorkbook, open_book
from .preflight import EXPORT_AGAIN
from .values import EXCEL_EPOCH, as_text, normalize_name

if TYPE_CHECKING:  # pandera is imported where a validation fails (`validate`)
    import pandera.pandas as pa



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
    epoch: dt.date = EXCEL_EPOCH  # the day serial 0 stands for in the sheet's workbook (`inputs.datesystem`)

    @cached_property
    def rows(self) -> list[list]:
        return self.cells.tolist()


def make_grid(sheet: str, rows: list[list], visible: tuple[str, ...] = (), hidden: tuple[str, ...] = (),
              engine: str = "calamine", epoch: dt.date = EXCEL_EPOCH) -> Grid:
    """A sheet's rows of cell values as a `Grid`: blanks ('', strings of spaces) become None."""
    width = max((len(r) for r in rows), default=0)
    if rows and len(set(map(len, rows))) == 1:  # a sheet from calamine: a full rectangle
        cells = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width
                            ).reshape(len(rows), width)
        distinct = set(itertools.chain.from_iterable(rows))
    else:
        cells = np.empty((len(rows), width), dtype=object)
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
    return Grid(sheet, cells, filled, frozenset(texts), tuple(visible), tuple(hidden), engine, epoch)


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
    differently (see `rcm_tables.inputs.engines`).
    """
    book, problems = open_workbook(source, label, engine)
    if book is None:
        return None, problems
    return sheet_grid(book, wanted_sheet, label)


EXPORT_HINTS = ("save an unprotected copy of the export into the folder", EXPORT_AGAIN)


def open_workbook(source: Path | bytes, label: str, engine: str = "auto", hints: tuple[str, str] = EXPORT_HINTS,
                  kind: str = "xlsx", errors: dict | None = None, error_cells: bool | None = None
                  ) -> tuple[Book | None, list[Problem]]:
    """Open a workbook; a protected or unreadable file is a problem (``hints``: what to do about each).
    ``kind``, ``errors`` and ``error_cells``: the format and error cells the pre-flight found
    (`engines.open_book`)."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        return open_book(data, engine, kind, errors, error_cells), []
    except PasswordProtected:
        return None, [problem(Code.FILE_PROTECTED, "the workbook is password-protected", file=label, hint=hints[0])]
    except (UnreadableWorkbook, OSError) as exc:  # the file's fault; any other exception is our bug
        return None, [problem(Code.FILE_UNREADABLE, f"not a readable {'.' + kind if kind != 'xlsx' else '.xlsx'} "
                              "workbook", file=label,
                            value=show_value(str(exc) if isinstance(exc, UnreadableWorkbook)
                                             else f"{type(exc).__name__}: {exc}"), hint=hints[1])]


def sheet_grid(book: Book, wanted_sheet: str | None, label: str) -> tuple[Grid | None, list[Problem]]:
    """One sheet of an open workbook as a `Grid`."""
    if not book.names:  # Excel cannot save a workbook without a sheet
        return None, [problem(Code.FILE_UNREADABLE, "the workbook holds no sheet (a damaged file?)", file=label,
                              hint="save the workbook again as an Excel workbook (.xlsx)")]
    sheet = _pick_sheet(book.names, book.visible, wanted_sheet)
    if sheet is None:
        return None, [problem(
            Code.SHEET_MISSING,
            f"no sheet named {wanted_sheet!r} and more than one sheet to choose from",
            file=label, value=", ".join(book.names),
            hint=f"name the sheet with the line items {wanted_sheet!r}",
        )]
    try:
        rows = book.read_rows(sheet)
    except UnreadableWorkbook as exc:  # the reader's error for a damaged sheet; any other is our bug
        return None, [problem(Code.FILE_UNREADABLE, f"sheet {sheet!r} cannot be read", file=label, sheet=sheet,
                            value=show_value(str(exc)),
                            hint="save the workbook again as an Excel workbook (.xlsx)")]
    hidden = tuple(n for n in book.names if n not in book.visible)
    return make_grid(sheet, rows, tuple(book.visible), hidden, book.engine, book.epoch), []


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
            problems.append(problem(Code.HEADER_DUPLICATE, f"column {as_text(value).strip()!r} appears twice",
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
        problems.append(problem(Code.HEADER_MISSING, f"required column {header!r} is missing", **where,
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
    "greater_than_or_equal_to(0)": "is negative",
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
                     frame: pd.DataFrame, money: tuple[str, ...] = ()) -> list[Problem]:
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
        if column in money and value is not None and not pd.isna(value):
            value = grouped(int(value))  # cents inside, dollars for the person reading
        problems.append(problem(
            Code.INVALID_VALUE, f"{headers.get(column, column)} {words}", file=file, sheet=sheet, row=row,
            column=headers.get(column, str(column)), value=show_value(None if pd.isna(value) else value),
            hint=_COLUMN_HINTS.get(column, ""),
        ))
    return problems


@functools.cache
def _without_dtypes(model) -> pa.DataFrameSchema:
    """The model's schema without its dtype checks (built once: building takes longer than validating)."""
    schema = S.schema(model)
    return schema.update_columns({name: {"dtype": None} for name in schema.columns})


def validate(model, frame: pd.DataFrame, file: str, sheet: str, headers: dict[str, str]) -> list[Problem]:
    if S.surely_valid(model, frame):
        return []
    import pandera.pandas as pa  # here: only to find and word what fails (it takes a quarter of a second)

    # pandera's dtype check of a text column costs more than all the other checks together; where the dtypes
    # are right it can only pass, so the schema without it finds exactly the same failures
    chosen = _without_dtypes(model) if S.dtypes_match(model, frame) else S.schema(model)
    try:
        chosen.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return pandera_problems(exc, file, sheet, headers, frame, S.money_columns(model))
    return []


