"""The reference's own words in the document's language: budget lines and sections of the `Budget Lines` sheet.

English prints them as given. Spanish prints the optional `Section (es)` / `Budget Line (es)`; where that cell is
empty the name is printed as given and a warning names the sheet, row and column to fill (once per cell).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import schemas as S
from ..problems import Code, Problem, problem

_HEADERS = S.REFERENCE_SHEETS[S.BUDGET_LINES_SHEET][1]


@dataclass
class Labels:
    reference: object
    lang_code: str
    problems: list[Problem] = field(default_factory=list)
    _warned: set = field(default_factory=set)

    def line(self, period: str, name: str) -> str:
        """A budget line of ``period`` as the document's language prints it."""
        return self._name(period, S.BudgetLines.budget_line, S.BudgetLines.budget_line_es, name)

    def section(self, period: str, name: str) -> str:
        """A section heading of ``period`` (the first Section (es) given on one of its rows)."""
        return self._name(period, S.BudgetLines.section, S.BudgetLines.section_es, name)

    def _name(self, period: str, column: str, spanish: str, name: str) -> str:
        if self.lang_code == "en" or not str(name).strip():
            return name
        lines = self.reference.lines_of(period)
        rows = lines.loc[lines[column] == name]
        if rows.empty:  # not a name of the reference (e.g. a line the ledger found without a budget)
            return name
        given = [str(v).strip() for v in rows[spanish] if str(v).strip()]
        if given:
            return given[0]
        row = int(rows.index[0])
        if (row, spanish) not in self._warned:
            self._warned.add((row, spanish))
            self.problems.append(problem(
                Code.SPANISH_NAME_MISSING, f"the Spanish document prints {name!r} ({period}) in English",
                file=self.reference.file, sheet=S.BUDGET_LINES_SHEET, row=row, column=_HEADERS[spanish],
                value=name, hint=f"type its Spanish name in column {_HEADERS[spanish]!r} of that row"))
        return name
