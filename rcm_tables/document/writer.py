"""The facade over python-docx that every part of the document writes through: headings, paragraphs, captions,
tables (a header row repeated on each page, rows that never split), portrait and landscape sections, and a
reproducible save. Text is always written as text runs: nothing from the inputs is read as a field or markup.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.section import Section
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Cm, Pt
from lxml.etree import SubElement
from docx.table import _Cell
from docx.text.paragraph import Paragraph as _Paragraph
from docx.text.run import Run

from ..tables.layout import Table  # what a table declares; this writer prints it
from . import fit, package, styles

DEFAULT_TEMPLATE, ZIP_TIME = package.DEFAULT_TEMPLATE, package.ZIP_TIME
# Characters XML 1.0 (and so Word) cannot hold: C0 controls other than tab, newline and carriage return, lone
# surrogates, U+FFFE and U+FFFF. A vertical tab or form feed (Word's line and page breaks, pasted into Excel)
# becomes a line break; the others, invisible anyway, are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` as Word can hold it: see _NOT_XML."""
    return _NOT_XML.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", text)


ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


class Writer:
    """One .docx being written, from the default template or the Secretariat's own (``template``)."""

    def __init__(self, template: Path | None = None):
        # the template without its text, with the styles it lacks and a page number (`package.blank`)
        self.doc, self._style_ids = package.blank(template)
        self.landscape = False
        self.font = styles.body_font(self.doc)  # the font a table's words are measured in (`fit`)
        self.author, self.subject = "", ""  # the core properties' author (the Secretariat) and subject (symbol)

    def style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """The id python-docx writes for the style ``name`` (None for the default style), looked up once: each
        lookup by name scans every style of the template."""
        key = (name, kind)
        if key not in self._style_ids:
            self._style_ids[key] = self.doc.part.get_style_id(name, kind)
        return self._style_ids[key]

    def _add_paragraph(self, style: str | None = None, text: str = ""):
        """``doc.add_paragraph(text, style)``, with the style's id looked up once, and the paragraph put before the
        body's last section properties directly (python-docx searches the body's children for them)."""
        body = self.doc.element.body
        p = OxmlElement("w:p")
        last = body[-1] if len(body) else None
        if last is not None and last.tag == _SECT_PR:
            last.addprevious(p)
        else:
            body.append(p)
        para = _Paragraph(p, self.doc._body)
        if text:
            para.add_run(text)
        if style is not None:
            p.style = self.style_id(style)
        return para

    # ------------------------------------------------------------ text
    def heading(self, text: str, level: int = 1):
        if not 0 <= level <= 9:
            raise ValueError(f"level must be in range 0-9, got {level}")
        return self._add_paragraph("Title" if level == 0 else f"Heading {level}", printable(text))

    def paragraph(self, text: str = "", style: str | None = None, bold: bool = False, keep: bool = False,
                  align: str | None = None, size: float | None = None):
        para = self._add_paragraph(style)
        if text:
            self.run(para, text, bold=bold, size=size)
        if keep or align:  # as paragraph_format.keep_with_next and alignment write them: after w:pStyle, in order
            para_pr = para._p.get_or_add_pPr()
            if keep:
                SubElement(para_pr, _KEEP_NEXT)
            if align:
                SubElement(para_pr, _JC).set(_VAL, _JC_VALUES[align])
        return para

    @staticmethod
    def run(paragraph, text: str, bold: bool = False, italic: bool = False, size: float | None = None):
        """A run of ``text`` at the end of ``paragraph``, as python-docx's add_run, bold, italic and font.size
        write it (line breaks and tabs as such, the rest plain text), made with lxml directly."""
        run = SubElement(paragraph._p, _R)
        run_pr = SubElement(run, _RPR)
        if bold:
            SubElement(run_pr, _B)
        if italic:
            SubElement(run_pr, _I)
        if size is not None:
            SubElement(run_pr, _SZ).set(_VAL, ST_HpsMeasure.convert_to_xml(Pt(max(size, styles.SMALLEST_PT))))
        _run_text(run, printable(text))
        return Run(run, paragraph)

    def caption(self, label: str, *lines: str) -> None:
        """'Table 4' and the table's title lines, centred, kept with the table."""
        para = self._add_paragraph(styles.CAPTION)
        self.run(para, label)
        for line in lines:
            para = self._add_paragraph(styles.CAPTION)
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
        section = self._last_section()
        return section.page_width - section.left_margin - section.right_margin

    def page_room(self) -> int:
        """The widest a table may be when its words do not fit the text width: the page less 1.5 cm a side."""
        return self._last_section().page_width - 2 * Cm(1.5)

    def _last_section(self) -> Section:
        """``doc.sections[-1]``: the body's own section properties, found without python-docx's search of every
        paragraph for the sections before it."""
        sect_pr = self.doc.element.body.sectPr
        return Section(sect_pr, self.doc.part) if sect_pr is not None else self.doc.sections[-1]

    # ------------------------------------------------------------ tables
    def table(self, model: Table):
        """Write ``model``: its header rows repeated on every page, rows that never split across pages."""
        heads = len(model.columns[0].header)  # 0: a table without a header row (Table 2's first part)
        table = self.doc.add_table(rows=heads + len(model.rows), cols=len(model.columns))
        table._tbl.tblStyle_val = self.style_id(styles.TABLE, WD_STYLE_TYPE.TABLE)
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
        # The cells, row by row, straight from the XML: python-docx's table.cell(r, c) rebuilds the whole grid
        # on every call. Only vertical merges are made (a header None), and they keep one w:tc per column.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for i, row in enumerate(table.rows):
            _row_properties(row, header=i < heads)
            for j, cell in enumerate(grid[i]):
                cell._tc.tcPr.tcW.width = widths[j]  # cell.width, on the w:tcW that add_table writes in each cell
        for j, column in enumerate(model.columns):
            for i, text in enumerate(column.header):
                if text is None:
                    grid[i - 1][j].merge(grid[i][j])
                    continue
                self._cell(grid[i][j], text, model.font, "center", bold=True, shade=True)
        for i, row in enumerate(model.rows, start=heads):
            for j, (column, text) in enumerate(zip(model.columns, row.cells)):
                align = "left" if j == 0 or row.heading else column.align
                self._cell(grid[i][j], text, model.font, align, bold=row.total or row.heading,
                           keep=model.keep_together and i < heads + len(model.rows) - 1)
        return table

    def _cell(self, cell, text: str, font: float, align: str, bold: bool = False, shade: bool = False,
              keep: bool = False) -> None:
        """The cell's paragraph, as python-docx's style, alignment, keep_with_next and `run` would write it, made
        with lxml directly: python-docx's setters search each element's children for where a new one goes."""
        para = cell._tc.p_lst[0]
        para_pr = para.get_or_add_pPr()
        style = self.style_id(styles.TABLE_TEXT)
        if style is not None:
            SubElement(para_pr, _PSTYLE).set(_VAL, style)
        if keep:
            SubElement(para_pr, _KEEP_NEXT)
        SubElement(para_pr, _JC).set(_VAL, _JC_VALUES[align])
        if text:
            self.run(_Paragraph(para, cell), text, bold=bold, size=font)
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
        data = package.save(self.doc)
        if isinstance(target, (str, Path)):
            Path(target).write_bytes(data)
        else:
            target.write(data)


_PSTYLE, _KEEP_NEXT, _JC, _VAL, _SECT_PR = (qn(f"w:{tag}") for tag in ("pStyle", "keepNext", "jc", "val", "sectPr"))
_R, _RPR, _B, _I, _SZ, _T, _TAB, _BR = (qn(f"w:{tag}") for tag in ("r", "rPr", "b", "i", "sz", "t", "tab", "br"))
_JC_VALUES = {name: WD_ALIGN_PARAGRAPH.to_xml(value) for name, value in ALIGN.items()}
_PIECES = re.compile(r"[\t\r\n]|[^\t\r\n]+")


def _run_text(run, text: str) -> None:
    """``text`` in ``run`` as python-docx writes it: a tab a w:tab, a line break a w:br, the rest w:t (kept
    whole, xml:space="preserve", when it begins or ends with a space)."""
    for piece in _PIECES.findall(text):
        if piece == "\t":
            SubElement(run, _TAB)
        elif piece in "\r\n":
            SubElement(run, _BR)
        else:
            t = SubElement(run, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(qn("xml:space"), "preserve")


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
