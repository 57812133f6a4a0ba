"""--template applies whole: a letterhead whose body font is DejaVu Serif, with 3 cm margins, gives tables,
captions and notes in DejaVu Serif, column widths within its page, and table headers that never break inside a
word (LibreOffice's rendering read back with pdftotext)."""
from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tests.convert import soffice
from tests.document.docread import tables as named_tables

FONT = "DejaVu Serif"


@pytest.fixture(scope="module")
def letterhead(tmp_path_factory):
    folder = tmp_path_factory.mktemp("letterhead")
    mine = docx.Document()
    normal = mine.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for section in mine.sections:
        section.left_margin = section.right_margin = Cm(3)
        section.header.paragraphs[0].text = "RCM LETTERHEAD"
    path = folder / "letterhead.docx"
    mine.save(str(path))
    return path


@pytest.fixture(scope="module")
def written(sample_report, letterhead, tmp_path_factory):
    from rcm_tables.document import write_document

    folder = tmp_path_factory.mktemp("templated")
    out = {}
    for lang in ("en", "es"):
        out[lang] = folder / f"report.{lang}.docx"
        write_document(sample_report, out[lang], lang=lang, template=letterhead)
    return out


def _style_font(document, style) -> str | None:
    while style is not None:
        if style.font.name:
            return style.font.name
        style = style.base_style
    return None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_run_in_a_table_caption_or_note_names_another_font(written, lang):
    document = docx.Document(str(written[lang]))
    named = set()
    for table in document.tables:
        for element in table._tbl.iter(qn("w:rFonts")):
            named |= {v for k, v in element.attrib.items() if not k.endswith("Theme")}
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    assert _style_font(document, para.style) == FONT, para.style.name
    assert named <= {FONT}
    for name in ("RCM Caption", "RCM Table Note", "RCM Table Text"):
        assert _style_font(document, document.styles[name]) == FONT


@pytest.mark.parametrize("lang", ["en", "es"])
def test_columns_hold_their_widest_word_within_the_page(written, lang):
    from rcm_tables.document.fit import CELL_MARGINS, word_width

    document = docx.Document(str(written[lang]))
    page = max(section.page_width for section in document.sections)  # Tables 4 and 5 are on landscape pages
    for name, found in named_tables(written[lang]).items():
        for table in found:
            grid = [int(c.get(qn("w:w"))) * 635 for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
            assert sum(grid) <= page - 2 * Cm(1.5) + 635 * len(grid), name  # the grid is in whole twips
            size = table.rows[-1].cells[0].paragraphs[0].runs[0].font.size.pt
            header = table.rows[0]
            for j, cell in enumerate(header.cells[:len(grid)]):
                for word in re.split(r"[ \n]+", cell.text):
                    if word and cell.text == header.cells[j].text:
                        assert word_width(word, size, True, "wide") + CELL_MARGINS <= grid[j] * 1.01, (name, word)


@pytest.mark.slow
def test_libreoffice_breaks_no_table_header_inside_a_word(written, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([soffice("libreoffice-writer-nogui"), f"-env:UserInstallation=file://{tmp_path / 'p'}",
                           "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, written.values())],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for lang, source in written.items():
        pdf = tmp_path / f"{source.stem}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        document = docx.Document(str(source))
        words = set(re.findall(r"\w+", "\n".join(p.text for p in document.paragraphs)))
        headers = set()
        for table in document.tables:
            for row in table.rows[:3]:
                for cell in row.cells:
                    headers |= set(re.findall(r"\w+", cell.text))
        words |= {w for t in document.tables for r in t.rows for c in r.cells for w in re.findall(r"\w+", c.text)}
        tokens = set(re.findall(r"\w+", text))
        broken = {t for t in tokens - words if len(t) >= 3 and any(h.startswith(t) and h != t for h in headers)}
        assert not broken, (lang, sorted(broken))
        assert "RCM LETTERHEAD" in text
