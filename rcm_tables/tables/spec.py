"""What a report table is made of, so that every writer and the published comparison iterate one registry.

A table module (``table1.py`` … ``annex1.py``) holds its whole story and declares it in one `Spec`:

- ``frames``: the tidy frames it builds, each a pure ``build(lines, reference, as_of)`` over the ledger lines
  clamped to the as-of date (`rcm_tables.ledger.clamp`), with its model (`rcm_tables.schemas.tables`); each
  frame is one CSV file;
- ``write_sheet(book)``: its sheet of the auditor's workbook, laid out through the ``book`` and sheet facade it
  is handed (`rcm_tables.workbook.book.Book`, `rcm_tables.workbook.sheet.Sheet`), its formulas written with
  `formulas` (formula text, formats);
- ``docx``: its part of the report document (`DocxLayout`): ``write(doc, report)`` declares the section's words
  and its Word table as data (`layout.Table`, cells worded by `cells`) and hands them to the document context
  ``doc`` it is given (`rcm_tables.document.context.Context`), which prints them;
- ``published``: the files of a published report it is compared with, and the rules of that comparison,
  written with `comparison` (`rcm_tables.published` runs them).

A table module imports none of the writers (workbook, document, published, csvfiles): the writers are handed to
it, or read what it declares; tests/test_architecture.py checks it (docs/architecture.md).

Cell keys (`CellKey`) name a figure of a table: the sheet writer places each figure under its key, and the
published comparison links a published figure to the cell with the same key. Each table module makes its keys
with one function, so that the two sides cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Hashable

import pandas as pd

from ..reference import Reference

Builder = Callable[[pd.DataFrame, Reference, dt.date], pd.DataFrame]


@dataclass(frozen=True)
class CellKey:
    """One figure of a table: ``table`` (a registry name), ``row`` (a label or a tuple of labels), ``column``."""

    table: str
    row: Hashable
    column: str


@dataclass(frozen=True)
class Frame:
    """One tidy frame of a table: its name (``report.tables`` key and CSV file name), model and builder."""

    name: str
    model: type
    build: Builder

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"


@dataclass(frozen=True)
class PublishedFile:
    """A published table as CSV: its file name and the columns it must have."""

    key: str
    file: str
    required: tuple[str, ...]


@dataclass(frozen=True)
class Published:
    """How a table is compared with a published report: its files, and the rows of the comparison.

    ``rows(report, files)`` gets every published file read (None where a file is absent) and returns the
    comparison's rows for this table (`rcm_tables.published.Row`).
    """

    files: tuple[PublishedFile, ...]
    rows: Callable


@dataclass(frozen=True)
class DocxLayout:
    """A table's part of the report document: ``write(doc, report)``; ``kind`` "table" (numbered Table 1, 2, ...)
    or "annex" (numbered Annex 1, ...): the registry's order gives the numbers (`rcm_tables.document.numbering`)."""

    write: Callable
    kind: str = "table"


@dataclass(frozen=True)
class Spec:
    """A report table: registry name, sheet title, frames, sheet layout, published rules."""

    name: str
    title: str
    frames: tuple[Frame, ...]
    write_sheet: Callable
    published: Published | None = None
    depends: tuple[str, ...] = field(default_factory=tuple)  # tables whose cells its sheet links to
    docx: DocxLayout | None = None  # its part of the report document
