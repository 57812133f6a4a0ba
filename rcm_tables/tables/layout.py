"""What a table declares of its part of the report document, as data: a Word table (`Table`: its columns, rows
and cells as text) and the language it asks for its words (`Lang`). The document's writer
(`rcm_tables.document.writer`) prints these; a table module imports nothing of the document (docs/architecture.md).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Lang(Protocol):
    """What a table's document layout asks of a language (`rcm_tables.document.i18n.Lang` is one)."""

    def _(self, message: str, **values) -> str: ...

    def money(self, cents, places: int = 0) -> str: ...

    def day(self, day: dt.date) -> str: ...

    def long_date(self, day: dt.date) -> str: ...

    def country(self, name: str) -> str: ...


@dataclass
class Column:
    """A column of a Word table: ``key`` is what a note's Column names (a period label or the English header),
    ``header`` one text per header row (None: merged with the cell above), ``width`` relative."""

    key: str
    header: tuple
    width: float = 1.0
    align: str = "right"


@dataclass
class Row:
    """A row: ``key`` is what a note's Row names (a country, period or budget line as in the inputs)."""

    key: str
    cells: list[str]
    total: bool = False
    heading: bool = False  # a section heading inside the table (Table 3), bold, left


@dataclass
class Table:
    """A Word table as the document prints it, before notes are attached (`notes.attach`)."""

    name: str  # the registry name: which notes belong to it
    columns: list[Column]
    rows: list[Row]
    font: float = 9
    keep_together: bool = False  # a short table that should not break across pages
    span: float = 1.0  # the share of the text width the table takes
