"""The facade over python-docx that every part of the document writes through: headings, paragraphs, captions,
tables (a header row repeated on each page, rows that never split), portrait and landscape sections, and a
reproducible save. Text is always written as text runs: nothing from the inputs is read as a field or markup.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import fit, styles

DEFAULT_TEMPLATE = Path(__file__).with_name("template.docx")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: every part of every document gets it
# Characters XML 1.0 (and so Word) cannot hold: C0 controls other than tab, newline and carriage return, lone
# surrogates, U+FFFE and U+FFFF. A vertical tab or form feed (Word's line and page breaks, pasted into Excel)
# becomes a line break; the others, invisible anyway, are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` as Word can hold it: see _NOT_XML."""
    return _NOT_XML.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", text)


ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


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


class Writer:
    """One .docx being written, from the default template or the Secretariat's own (``template``)."""

    def __init__(self, template: Path | None = None):
        self.doc = docx.Document(str(template or DEFAULT_TEMPLATE))
        body = self.doc.element.body
        for child in list(body):  # the template's own text goes; its styles, header and footer stay
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        styles.ensure(self.doc)
        styles.ensure_page_numbers(self.doc)
        self.landscape = False
        self.font = styles.body_font(self.doc)  # the font a table's words are measured in (`fit`)
        self.author, self.subject = "", ""  # the core properties' author (the Secretariat) and subject (symbol)

    # ------------------------------------------------------------ text
    def heading(self, text: str, level: int = 1):
        return self.doc.add_heading(printable(text), level)

    def paragraph(self, text: str = "", style: str | None = None, bold: bool = False, keep: bool = False,
                  align: str | None = None, size: float | None = None):
        para = self.doc.add_paragraph(style=style)
        if text:
            self.run(para, text, bold=bold, size=size)
        if keep:
            para.paragraph_format.keep_with_next = True
        if align:
            para.alignment = ALIGN[align]
        return para

    @staticmethod
    def run(paragraph, text: str, bold: bool = False, italic: bool = False, size: float | None = None):
        run = paragraph.add_run(printable(text))  # python-docx writes line breaks and tabs as such; the rest is plain text
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = Pt(max(size, styles.SMALLEST_PT))
        return run

    def caption(self, label: str, *lines: str) -> None:
        """'Table 4' and the table's title lines, centred, kept with the table."""
        para = self.doc.add_paragraph(style=styles.CAPTION)
        self.run(para, label)
        for line in lines:
            para = self.doc.add_paragraph(style=styles.CAPTION)
            self.run(para, line, bold=False)

    def note(self, text: str, keep: bool = False) -> None:
        self.paragraph(text, style=styles.TABLE_NOTE, keep=keep)

    def running_header(self, text: str) -> None:
        """A line of the page header on every page, after the template's own (its letterhead stays)."""
        header = self.doc.sections[0].header
        header.is_linked_to_previous = False
        first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        para = first if not first.text.strip() and not first.runs else header.add_paragraph()
        para.alignment = ALIGN["right"]
        self.run(para, text, size=styles.SMALLEST_PT)

    def page_break(self) -> None:
        self.doc.add_page_break()

    # ------------------------------------------------------------ sections
    def orientation(self, landscape: bool) -> None:
        """Continue on a new page in landscape (or portrait) unless the current section already is."""
        if landscape == self.landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = section.page_width, section.page_height
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if (width < height) == landscape:
            section.page_width, section.page_height = height, width
        self.landscape = landscape

    def text_width(self) -> int:
        section = self.doc.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def page_room(self) -> int:
        """The widest a table may be when its words do not fit the text width: the page less 1.5 cm a side."""
        return self.doc.sections[-1].page_width - 2 * Cm(1.5)

    # ------------------------------------------------------------ tables
    def table(self, model: Table):
        """Write ``model``: its header rows repeated on every page, rows that never split across pages."""
        heads = len(model.columns[0].header)  # 0: a table without a header row (Table 2's first part)
        table = self.doc.add_table(rows=heads + len(model.rows), cols=len(model.columns))
        table.style = self.doc.styles[styles.TABLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        described = OxmlElement("w:tblDescription")  # the table's alt text: which table of the registry it is
        described.set(qn("w:val"), model.name)
        table._tbl.tblPr.append(described)
        total = sum(c.width for c in model.columns)
        widths = [int(self.text_width() * model.span * c.width / total) for c in model.columns]
        widths, size = fit.fit(model, widths, self.text_width(), self.page_room(), self.font, styles.SMALLEST_PT)
        if size != model.font:
            model = dataclasses.replace(model, font=size)
        for j, column in enumerate(table.columns):  # the grid (what LibreOffice reads) and each cell (Word)
            column.width = widths[j]
        for i, row in enumerate(table.rows):
            _row_properties(row, header=i < heads)
            for j, cell in enumerate(row.cells):
                cell.width = widths[j]
        for j, column in enumerate(model.columns):
            for i, text in enumerate(column.header):
                if text is None:
                    table.cell(i - 1, j).merge(table.cell(i, j))
                    continue
                self._cell(table.cell(i, j), text, model.font, "center", bold=True, shade=True)
        for i, row in enumerate(model.rows, start=heads):
            for j, (column, text) in enumerate(zip(model.columns, row.cells)):
                align = "left" if j == 0 or row.heading else column.align
                self._cell(table.cell(i, j), text, model.font, align, bold=row.total or row.heading,
                           keep=model.keep_together and i < heads + len(model.rows) - 1)
        return table

    def _cell(self, cell, text: str, font: float, align: str, bold: bool = False, shade: bool = False,
              keep: bool = False) -> None:
        para = cell.paragraphs[0]
        para.style = self.doc.styles[styles.TABLE_TEXT]
        para.alignment = ALIGN[align]
        para.paragraph_format.keep_with_next = keep or None
        if text:
            self.run(para, text, bold=bold, size=font)
        if shade:
            _shade(cell, "D9E2F3")

    # ------------------------------------------------------------ saving
    def save(self, target, stamp: dt.datetime, title: str, language: str, author: str | None = None,
             subject: str = "") -> None:
        """Write the document to ``target`` (a path or a binary file) with fixed core properties and fixed zip
        dates, so that the same inputs give the same bytes. ``author``: the Secretariat (`self.author` when set,
        else rcm-tables); rcm-tables is always the last to modify it; ``subject``: the symbol."""
        core = self.doc.core_properties
        core.author = printable(author or getattr(self, "author", "") or "rcm-tables")
        core.last_modified_by = "rcm-tables"
        if subject or getattr(self, "subject", ""):
            core.subject = printable(subject or self.subject)
        core.created = core.modified = stamp
        core.last_printed = stamp
        core.revision = 1
        core.title = printable(title)
        core.language = language
        buffer = io.BytesIO()
        self.doc.save(buffer)
        data = reproducible_zip(buffer.getvalue())
        if isinstance(target, (str, Path)):
            Path(target).write_bytes(data)
        else:
            target.write(data)


def reproducible_zip(data: bytes) -> bytes:
    """The same parts in the same order, each with a fixed date and attributes (python-docx stamps the time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def _row_properties(row, header: bool) -> None:
    """Rows never split across pages; header rows repeat at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def cm(value: float) -> int:
    return Cm(value)
