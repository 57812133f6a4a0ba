"""Every user-facing complaint is a `Problem`: located, explained, never a traceback."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Iterable

ERROR = "error"
WARNING = "warning"
NOTE = "note"


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem with the inputs (or, for checks, with the figures).

    ``row`` is the spreadsheet row number a person sees in Excel (1-based), or None.
    """

    severity: str
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    hint: str = ""

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.where()
        text = f"{self.severity.upper()} [{self.code}] {loc + ': ' if loc else ''}{self.message}"
        if self.value:
            text += f" (value: {self.value!r})"
        if self.hint:
            text += f" Hint: {self.hint}"
        return text

    def as_dict(self) -> dict:
        return asdict(self)


def error(code: str, message: str, **where) -> Problem:
    return Problem(ERROR, code, message, **where)


def warning(code: str, message: str, **where) -> Problem:
    return Problem(WARNING, code, message, **where)


def note(code: str, message: str, **where) -> Problem:
    return Problem(NOTE, code, message, **where)


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def show_value(value) -> str:
    """A cell value as short, printable text for a message."""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


class InputError(Exception):
    """Raised by `load` when the inputs have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errs = errors_in(self.problems)
        super().__init__(f"{len(errs)} input error(s); first: {errs[0] if errs else '-'}")


@dataclass
class ProblemLog:
    """Collects problems during one run (the only mutable piece, local to a run)."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)
