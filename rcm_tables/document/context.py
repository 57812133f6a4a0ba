"""What a table's Word layout (``spec.docx.write(doc, report)``) writes through: the writer, the language, the
numbers of sections and tables, the notes, and the problems found while writing."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem
from . import numbering
from .i18n import Lang
from .labels import Labels
from .organization import Organization, ordinal
from .notes import Note, attach
from .writer import Table, Writer


@dataclass
class Context:
    w: Writer
    lang: Lang
    notes: list[Note]
    file: str  # the reference workbook (problems with notes point at it)
    section: int = 2  # Section 2: Financial Report
    subsection: int = 0
    problems: list[Problem] = field(default_factory=list)
    labels: Labels | None = None  # the reference's budget lines and sections in the language (`labels`)
    org: Organization | None = None  # who the report is from, in the language (`organization`)

    def line(self, period: str, name: str) -> str:
        """A budget line of ``period`` in the document's language (its Budget Line (es) in Spanish)."""
        return self.labels.line(period, name) if self.labels is not None else name

    def ordinal(self, ref, period: str) -> str | None:
        """'Seventh' for ``period`` where the Organization sheet numbers the periods, else None."""
        return ordinal(self.org, ref, period, self.lang.code) if self.org is not None else None

    def section_name(self, period: str, name: str) -> str:
        return self.labels.section(period, name) if self.labels is not None else name

    def _(self, message: str, **values) -> str:
        return self.lang._(message, **values)

    def money(self, cents, places: int = 0) -> str:
        return self.lang.money(cents, places)

    def label(self, name: str) -> str:
        """'Table 4' for the registry name 'table4' (`numbering`)."""
        return numbering.label(name, self.lang)

    def section_heading(self, title: str) -> None:
        """'2.4 Contributions to …': numbered in the order written."""
        self.subsection += 1
        self.w.heading(f"{self.section}.{self.subsection} {title}", 2)

    def annex_heading(self, name: str, title: str) -> None:
        self.w.heading(f"{self.label(name)}: {title}", 1)

    def lead(self, text: str) -> None:
        """A sentence that introduces a table: kept on the page of what follows."""
        self.w.paragraph(text, keep=True)

    def table(self, model: Table, title: list[str], source: str | None = None, rounding: bool | str = False,
              after: list[str] = (), caption: bool = True) -> None:
        """The caption ('Table 4' and ``title``), the table with its notes' marks, then the source, the rounding
        note (``rounding``: the rows do not add up to a printed total; a text says it in the table's own words),
        ``after`` and the notes."""
        marks, lines, problems = attach(model, self.notes, self.file)
        self.problems += problems
        title = list(title)
        if marks and title:
            title[0] += marks
        if caption:
            self.w.caption(self.label(model.name), *title)
        elif title:
            for line in title:
                self.w.paragraph(line, bold=True, keep=True)
        self.w.table(model)
        if source:
            self.w.note(source)
        if isinstance(rounding, str):
            self.w.note(rounding)
        elif rounding:
            self.w.note(self._("Figures are rounded from exact cents to whole dollars, so some rows do not add "
                               "up to the totals printed."))
        for line in [*after, *lines]:
            self.w.note(line)
        self.w.paragraph()
