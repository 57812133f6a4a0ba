"""Notes of the reference workbook's optional ``Notes`` sheet, attached to the document's tables by their marks.

A note names its table (``Table 4``, ``Annex 1`` or the registry name ``table4``), and optionally a row (a country,
period or budget line, as in the inputs or as printed) and a column (a period, or the English column header). Its
mark ("*", "**"; by default one more star per note of the table) follows the cell's first line (row and column),
the row's label (row only), the column's header (column only) or the table's title (neither); the note itself
is printed under the table, in Spanish from ``Note (es)`` where that is filled in.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import schemas as S
from ..inputs.values import normalize_name
from ..problems import Code, Problem, problem
from ..tables import TABLES
from .i18n import Lang
from .writer import Table

N = S.Notes


@dataclass(frozen=True)
class Note:
    table: str  # registry name
    row: str
    column: str
    mark: str
    text: str
    where: int  # the Notes sheet's row, for problems


def _table_names() -> dict[str, str]:
    """Every way a note may name a table -> its registry name ('table 4', 'table4', 'annex 1')."""
    names = {}
    for spec in TABLES:
        if spec.docx is not None:
            for name in (spec.name, spec.title):
                names[normalize_name(name).replace(" ", "")] = spec.name
    return names


def read_notes(ref, lang: Lang) -> tuple[list[Note], list[Problem]]:
    """The notes of the reference workbook in ``lang``, and the problems with them (absent sheet: a note)."""
    if not ref.has_sheet(S.NOTES_SHEET):
        return [], [problem(Code.NOTES_ABSENT, "the reference workbook has no Notes sheet: the document's tables "
                            "carry no notes", file=ref.file,
                            hint="add a Notes sheet (Table, Row, Column, Mark, Note, Note (es)): see the README")]
    names = _table_names()
    notes, problems, counts = [], [], {}
    for row, rec in ref.notes.iterrows():
        table = names.get(normalize_name(rec[N.table]).replace(" ", ""))
        if table is None:
            problems.append(problem(Code.NOTE_TABLE_UNKNOWN, f"no table {rec[N.table]!r} in the document",
                                    file=ref.file, sheet=S.NOTES_SHEET, row=int(row), column="Table",
                                    value=rec[N.table], hint="name a table as the document does: Table 1 … "
                                    "Table 5, Annex 1"))
            continue
        counts[table] = counts.get(table, 0) + 1
        text = rec[N.note_es] if lang.code == "es" and rec[N.note_es] else rec[N.note]
        notes.append(Note(table, rec[N.row], rec[N.column], rec[N.mark] or "*" * counts[table], text, int(row)))
    return notes, problems


def attach(model: Table, notes: list[Note], file: str) -> tuple[str, list[str], list[Problem]]:
    """Put each note's mark into ``model`` (changed in place); returns the title's marks, the lines to print under
    the table, and a warning for each note whose row or column the table does not show."""
    title, lines, problems = "", [], []
    for note in (n for n in notes if n.table == model.name):
        row = _find_row(model, note.row) if note.row else None
        col = _find_column(model, note.column) if note.column else None
        if (note.row and row is None) or (note.column and col is None):
            problems.append(problem(Code.NOTE_UNATTACHED, f"{model.name}: no row {note.row!r} or column "
                                    f"{note.column!r} in the table; the note is printed without a mark in the table",
                                    file=file, sheet=S.NOTES_SHEET, row=note.where,
                                    hint="write the row and column as the table prints them, in English"))
        elif row is not None and col is not None:
            first, *rest = (row.cells[col] or "").split("\n")
            row.cells[col] = "\n".join([first + note.mark, *rest])
        elif row is not None:
            row.cells[0] = f"{row.cells[0]}{note.mark}"
        elif col is not None:
            column = model.columns[col]
            last = max(i for i, text in enumerate(column.header) if text is not None)
            column.header = tuple(t + note.mark if i == last else t for i, t in enumerate(column.header))
        else:
            title += note.mark
        line = f"{note.mark} {note.text}"
        if line not in lines:
            lines.append(line)
    return title, lines, problems


def _find_row(model: Table, name: str):
    key = normalize_name(name)
    return next((r for r in model.rows if key in (normalize_name(r.key), normalize_name(r.cells[0] or ""))), None)


def _find_column(model: Table, name: str) -> int | None:
    key = normalize_name(name)
    for i, column in enumerate(model.columns):
        if key == normalize_name(column.key) or key in {normalize_name(t) for t in column.header if t}:
            return i
    return None
