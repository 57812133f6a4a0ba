"""Other names for the export's columns: the built-in SAP layouts (`schemas.EXPORT_ALIASES`) and the reference
workbook's optional `Column Aliases` sheet.

Every header is matched normalised (trimmed, inner spaces collapsed, case-folded, Unicode NFC). A header cell
that is an alias is read as its column; the problems list notes, once per file, which aliases it used. An alias
that names two columns (in the sheet, or against a built-in name) is an error on its row of the sheet; an export
whose header names one column twice (say `Document No.` and `Document Number`) is an error on that header.

`ColumnNames` is passed explicitly to every reader (worker processes included: it pickles) and its `digest`
is part of each cache entry's name, so a new alias re-parses every export (simpler than tracking which files
it touches, and a new alias is rare).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from .. import schemas as S
from ..problems import Code, Problem, problem
from .grid import HEADER_SEARCH_ROWS, Grid
from .values import as_text, normalize_name

_HEADERS = {normalize_name(h): column for column, h in S.EXPORT_HEADERS.items()}
_BUILT_IN = {normalize_name(a): column for column, names in S.EXPORT_ALIASES.items() for a in names}


@dataclass(frozen=True)
class ColumnNames:
    """The aliases in force: the built-in ones plus ``extra`` ((alias as written, column) pairs, in the
    reference's order)."""

    extra: tuple[tuple[str, str], ...] = ()

    def names(self) -> dict[str, str]:
        """Normalised alias -> column (the contract's own headers are not in it)."""
        return {**_BUILT_IN, **{normalize_name(alias): column for alias, column in self.extra}}

    def digest(self) -> str:
        """'' for the built-in aliases alone (they are part of the code's fingerprint), else a hash of the extra."""
        if not self.extra:
            return ""
        text = "\n".join(f"{normalize_name(a)}\t{c}" for a, c in sorted(self.extra))
        return hashlib.sha256(text.encode()).hexdigest()[:12]


BUILT_IN = ColumnNames()


def from_sheet(frame: pd.DataFrame, label: str) -> tuple[ColumnNames, list[Problem]]:
    """The `Column Aliases` sheet's valid rows as `ColumnNames`; an unknown column or an alias naming two
    columns is an error on its row (and that alias is not used)."""
    where = {"file": label, "sheet": S.COLUMN_ALIASES_SHEET}
    problems: list[Problem] = []
    chosen: dict[str, tuple[str, str, int]] = {}  # normalised alias -> (alias, column, row)
    refused: set[str] = set()
    for row, column_text, alias in zip(frame.index, frame[S.ColumnAliases.column], frame[S.ColumnAliases.alias]):
        column = _HEADERS.get(normalize_name(column_text))
        if column is None:
            problems.append(problem(Code.INVALID_VALUE, f"Column {column_text!r} is not a column of the exports",
                                    **where, row=int(row), column="Column", value=column_text,
                                    hint=f"one of: {', '.join(S.EXPORT_HEADERS.values())}"))
            continue
        key = normalize_name(alias)
        other = _HEADERS.get(key) or _BUILT_IN.get(key) or (chosen[key][1] if key in chosen else None)
        if other is not None and other != column:
            named = S.EXPORT_HEADERS[other]
            problems.append(problem(Code.COLUMN_ALIAS_CONFLICT, f"the alias {alias!r} would name both "
                                    f"{S.EXPORT_HEADERS[column]!r} and {named!r}", **where, row=int(row),
                                    column="Alias", value=alias,
                                    hint="a header can name one column only: delete one of the two rows"
                                    if key in chosen else f"{alias!r} already names {named!r}: delete this row"))
            refused.add(key)
        elif other is None:
            chosen[key] = (alias.strip(), column, int(row))
    extra = tuple((alias, column) for key, (alias, column, _row) in chosen.items() if key not in refused)
    return ColumnNames(extra), problems


def find_header(grid: Grid, names: ColumnNames, limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """0-based index of the first row naming every key column (`schemas.EXPORT_HEADER_KEYS`), by any name."""
    aliases = names.names()
    wanted = {_HEADERS[normalize_name(k)] for k in S.EXPORT_HEADER_KEYS}
    for i, row in enumerate(grid.cells[:limit].tolist()):
        found = set()
        for value in row:
            if isinstance(value, str):
                key = normalize_name(value)
                found.add(_HEADERS.get(key) or aliases.get(key))
        if wanted <= found:
            return i
    return None


def rename_header(row: list, names: ColumnNames, where: dict) -> tuple[list, list[Problem]]:
    """The header row with each alias replaced by its column's header, a note listing the aliases used, and an
    error for each header cell naming a column another cell already names (that cell is then not read)."""
    aliases = names.names()
    keys = [normalize_name(as_text(v)) if v is not None else None for v in row]
    named = {_HEADERS[k] for k in keys if k in _HEADERS}
    out, used, problems = list(row), [], []
    for idx, (value, key) in enumerate(zip(row, keys)):
        column = aliases.get(key) if key is not None else None
        if column is None or key in _HEADERS:
            continue
        header = S.EXPORT_HEADERS[column]
        if column in named:
            problems.append(problem(Code.ALIAS_CONFLICT_HEADER, f"the columns {as_text(value).strip()!r} and "
                                    f"{header!r} name the same column", **where, column=as_text(value).strip(),
                                    hint=f"keep one of the two columns (the contract's name is {header!r})"))
            out[idx] = None
            continue
        named.add(column)
        out[idx] = header
        used.append(f"{as_text(value).strip()!r} as {header!r}")
    if used:
        problems.insert(0, problem(Code.ALIAS_USED, f"columns read under other names: {', '.join(used)}", **where))
    return out, problems
