"""Issue #26: --template accepts .docx, .dotx and .docm (macros dropped, never run or copied) or refuses with
exit 2 and a reason; only the parts a document uses are copied (a 20 MB picture in the template's body is in no
statement)."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.convert import soffice
from tests.document.docread import CONTRACT, all_text

from rcm_tables.cli import main
from rcm_tables.document.template import TemplateError, usable

INPUTS = ["build", "--no-cache", "--exports", str(CONTRACT / "exports"), "--reference", str(CONTRACT / "reference.xlsx")]
TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_DOC = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
BIG = 3 * 1024**2  # the picture in the body: incompressible bytes


def _letterhead(path: Path, main_type: str = DOCUMENT, macros: bool = False, picture: bool = False) -> Path:
    mine = docx.Document()
    mine.sections[0].header.paragraphs[0].text = "RCM Technical Secretariat letterhead"
    mine.add_paragraph("Sample text of the template, which the report replaces.")
    if picture:
        import os
        import struct
        import zlib

        def png(width: int) -> bytes:  # a real PNG padded with an incompressible private chunk
            raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(width))
            chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(  # noqa: E731
                ">I", zlib.crc32(kind + data))
            return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, width, 8, 2, 0, 0, 0))
                    + chunk(b"prIv", os.urandom(BIG)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
        mine.add_picture(io.BytesIO(png(4)))
    plain = io.BytesIO()
    mine.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(DOCUMENT.encode(), main_type.encode())
                if macros:
                    data = data.replace(b"</Types>", b'<Override PartName="/word/vbaProject.bin" ContentType="appli'
                                        b'cation/vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "word/_rels/document.xml.rels" and macros:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft'
                                    b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            zout.writestr(item, data)
        if macros:
            zout.writestr("word/vbaProject.bin", b"MACRO: Sub AutoOpen() Shell \"calc\" End Sub")
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("name, main_type, macros", [("t.docx", DOCUMENT, False), ("t.dotx", TEMPLATE, False),
                                                     ("t.docm", MACRO_DOC, True)])
def test_docx_dotx_and_docm_templates_are_accepted_without_their_macros(tmp_path, capsys, name, main_type, macros):
    template = _letterhead(tmp_path / name, main_type, macros)
    before = template.read_bytes()
    out = tmp_path / "out"
    assert main(INPUTS + ["--out", str(out / "r.xlsx"), "--docx", str(out / "r.docx"), "--template", str(template),
                          "--statements", str(out / "st")]) == 0, capsys.readouterr().err
    assert template.read_bytes() == before  # the input untouched
    for written in [out / "r.docx", *sorted((out / "st").glob("*.docx"))]:
        with zipfile.ZipFile(written) as z:
            assert not [n for n in z.namelist() if "vba" in n.lower()], written
            assert DOCUMENT in z.read("[Content_Types].xml").decode()
        assert "RCM Technical Secretariat letterhead" in docx.Document(str(written)).sections[0].header.paragraphs[0].text
    assert "Sample text of the template" not in all_text(out / "r.docx")


def test_an_unused_picture_of_the_template_is_in_no_statement(tmp_path):
    template = _letterhead(tmp_path / "t.docx", picture=True)
    assert template.stat().st_size > BIG
    cleaned = usable(template)
    assert len(cleaned) < 100_000  # the picture was only in the template's body, which no document keeps
    with zipfile.ZipFile(io.BytesIO(cleaned)) as z:
        assert "word/header1.xml" in z.namelist() or any("header" in n for n in z.namelist())
    doc = docx.Document(io.BytesIO(cleaned))
    assert [p.text for p in doc.paragraphs] == []


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "is a folder, not a Word document"),
    (lambda p: p.write_bytes(b"not a zip"), "is not a Word document"),
    (lambda p: _letterhead(p, "application/vnd.ms-excel.sheet.main+xml"), "is not a Word document or template"),
    (lambda p: _strict(_letterhead(p)), "is saved as a Strict Open XML document, which cannot be read: in Word, save"),
])
def test_a_template_that_cannot_be_used_is_refused_with_the_reason(tmp_path, capsys, make, message):
    template = tmp_path / "t.dotx"
    make(template)
    code = main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(tmp_path / "r.docx"), "--template",
                          str(template)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "r.xlsx").exists()
    with pytest.raises(TemplateError):
        usable(template)


def _strict(path: Path) -> Path:
    """``path`` as Word's "Strict Open XML Document" saves it: the ISO namespaces (python-docx finds no main part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            for transitional, strict in ((b"schemas.openxmlformats.org/wordprocessingml/2006/main",
                                          b"purl.oclc.org/ooxml/wordprocessingml/main"),
                                         (b"schemas.openxmlformats.org/officeDocument/2006/relationships",
                                          b"purl.oclc.org/ooxml/officeDocument/relationships")):
                data = data.replace(transitional, strict)
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def _with_styles(path: Path, change) -> Path:
    """A letterhead whose styles part is passed through ``change`` (bytes -> bytes)."""
    source = _letterhead(path.with_name("source.docx"))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == "word/styles.xml" else data)
    path.write_bytes(out.getvalue())
    return path


def _only_the_styles_word_keeps(styles_xml: bytes) -> bytes:
    """The styles part as Word writes it for a letterhead that never used a heading or a title: the built-in
    styles stay latent (named in w:latentStyles, not defined), so only Normal and the defaults are there."""
    kept = ("Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer")
    return re.sub(rb'<w:style [^>]*w:styleId="([^"]+)".*?</w:style>',
                  lambda m: m.group(0) if m.group(1).decode() in kept else b"", styles_xml, flags=re.S)


def test_a_template_made_in_word_without_headings_or_a_title_gets_them(tmp_path):
    """A crash before (KeyError: no style with name 'Heading 1'): Word defines a built-in style in a document
    only once it is used, so a letterhead made in Word has no Heading 1, Heading 2 or Title."""
    template = _with_styles(tmp_path / "word.docx", _only_the_styles_word_keeps)
    assert {s.name for s in docx.Document(str(template)).styles}.isdisjoint({"Title", "Heading 1", "Heading 2"})
    out = tmp_path / "r.docx"
    assert main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(out), "--template", str(template)]) == 0
    document = docx.Document(str(out))
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {p.style.name for p in headings} == {"Heading 1", "Heading 2"}
    assert "Section 2: Financial Report" in [p.text for p in headings if p.style.name == "Heading 1"]
    heading = document.styles["Heading 1"]
    assert heading.font.bold and heading.font.size.pt == 14 and heading.paragraph_format.keep_with_next
    assert heading.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"  # Word's navigation pane
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Regional Conference on Migration "
                                                                               "(RCM)"]
    assert "RCM Technical Secretariat letterhead" in document.sections[0].header.paragraphs[0].text


@pytest.mark.parametrize("change, message", [
    (lambda x: x.replace(b'w:type="paragraph" w:styleId="Heading1"', b'w:type="character" w:styleId="Heading1"'),
     "its style 'Heading 1' is a character style, where the document needs a paragraph style"),
    (lambda x: x[: len(x) // 2], "cannot be used: a part of it cannot be read (XMLSyntaxError"),
])
def test_a_template_whose_styles_cannot_be_used_is_refused_before_anything_is_written(tmp_path, capsys, change,
                                                                                      message):
    """Internal errors before, halfway through the documents (ValueError: assigned style is type CHARACTER)."""
    template = _with_styles(tmp_path / "t.docx", change)
    code = main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(tmp_path / "r.docx"), "--template",
                          str(template)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "internal error" not in err
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "r.docx").exists()


@pytest.mark.parametrize("change, message", [
    (lambda x: re.sub(rb"<w:pgSz [^>]*/>", b'<w:pgSz w:w="12240" w:h="-5"/>', x), "its page size (section 1) is 8.5 by"),
    (lambda x: re.sub(rb"<w:pgSz [^>]*/>", b'<w:pgSz w:w="0" w:h="0"/>', x), "is 0 by 0 inches, not a page Word makes"),
    (lambda x: re.sub(rb"<w:pgSz [^>]*/>", b"", x), "its page size (section 1) is missing"),
    (lambda x: re.sub(rb'w:left="\d+"', b'w:left="12000"', x), "its margins (section 1) leave less than an inch"),
    # found by fuzzing templates: internal errors before (python-docx converts an attribute as it is read; the
    # writer subtracted a missing margin; python-docx's IndexError said nothing of the cause)
    (lambda x: re.sub(rb"<w:pgMar [^>]*/>", b"", x), "its margins (section 1) are missing"),
    (lambda x: re.sub(rb'w:h="\d+"', b'w:h="1e9"', x), "its page set-up (section 1) cannot be read (invalid literal"),
    (lambda x: re.sub(rb'w:top="\d+"', b'w:top="abc"', x), "its page set-up (section 1) cannot be read (could not "),
    (lambda x: re.sub(rb"<w:sectPr\b.*?</w:sectPr>", b"", x, flags=re.S), "it has no page set-up (no section"),
])
def test_a_template_whose_page_is_not_a_page_is_refused_with_the_reason(tmp_path, capsys, change, message):
    """A negative page height was an internal error when the Annex turned its page (python-docx's ValueError)."""
    source = _letterhead(tmp_path / "source.docx")
    template = tmp_path / "t.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == "word/document.xml" else data)
    code = main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(tmp_path / "r.docx"), "--template",
                          str(template)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "set it in Word" in err and "internal error" not in err
    assert not (tmp_path / "r.xlsx").exists()


def _renamed(styles_xml: bytes, names: dict[bytes, bytes]) -> bytes:
    return re.sub(rb'<w:name w:val="([^"]*)"/>', lambda m: b'<w:name w:val="%s"/>' % names.get(m.group(1), m.group(1)),
                  styles_xml)


@pytest.mark.parametrize("names", [
    # LibreOffice saves the built-in headings so (Word writes "heading 1"); python-docx looks up "heading 1" only
    {b"heading 1": b"Heading 1", b"heading 2": b"Heading 2", b"heading 3": b"Heading 3"},
    {b"heading 1": b"HEADING 1", b"Title": b"TITLE", b"Normal": b"normal"},  # Word's names ignore case
])
def test_a_template_whose_style_names_differ_in_case_only_builds_with_its_own_styles(tmp_path, capsys, names):
    """An internal error before (KeyError: no style with name 'Heading 1'), for every template saved by
    LibreOffice: the writer found no heading, and the one it would have added clashed with the template's."""
    template = _with_styles(tmp_path / "t.docx", lambda x: _renamed(x, names))
    written = {s.element.name_val for s in docx.Document(str(template)).styles}
    assert {n.decode() for n in names.values()} <= written and not {n.decode() for n in names} & written
    out = tmp_path / "r.docx"
    assert main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(out), "--template", str(template)]) == 0, \
        capsys.readouterr().err
    document = docx.Document(str(out))
    ids = [s.style_id for s in document.styles]
    assert len(ids) == len(set(ids))  # no second Heading1 beside the template's
    headings = [p.text for p in document.paragraphs if p.style.style_id == "Heading1"]
    assert "Section 2: Financial Report" in headings
    assert [p.text for p in document.paragraphs if p.style.style_id == "Title"] == [
        "Regional Conference on Migration (RCM)"]


def test_a_template_without_a_normal_style_gets_one(tmp_path, capsys):
    """An internal error before (KeyError: no style with name 'Normal'): every style added is based on it."""
    template = _with_styles(tmp_path / "t.docx", lambda x: re.sub(
        rb'<w:style [^>]*w:styleId="Normal".*?</w:style>', b"", x, flags=re.S))
    assert "Normal" not in {s.name for s in docx.Document(str(template)).styles}
    out = tmp_path / "r.docx"
    assert main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(out), "--template", str(template)]) == 0, \
        capsys.readouterr().err
    document = docx.Document(str(out))
    assert document.styles["Normal"].element.get(qn("w:default")) == "1"
    assert document.styles["Heading 1"].base_style.name == "Normal"
    assert "Section 2: Financial Report" in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def _with_footer(path: Path, footer: bytes) -> Path:
    """A letterhead whose footer's content is ``footer`` (the WordprocessingML inside w:ftr)."""
    source = _letterhead(path.with_name("source.docx"))
    document = docx.Document(str(source))
    document.sections[0].footer.paragraphs[0].text = "footer"  # so that the letterhead has a footer part
    document.save(str(source))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if re.fullmatch(r"word/footer\d*\.xml", item.filename):
                data = re.sub(rb"(<w:ftr\b[^>]*>).*(</w:ftr>)", lambda m: m.group(1) + footer + m.group(2), data,
                              flags=re.S)
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("footer", [
    b"",  # an empty footer
    b'<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>Address</w:t>'
    b"</w:r></w:p></w:tc></w:tr></w:tbl>",  # a footer holding only a table
])
def test_a_template_whose_footer_has_no_paragraph_gets_a_page_number(tmp_path, capsys, footer):
    """Refused before as unreadable (IndexError: list index out of range): the page number went into the footer's
    first paragraph, and Word's own files always have one, but another program's need not."""
    template = _with_footer(tmp_path / "t.docx", footer)
    assert not docx.Document(str(template)).sections[0].footer.paragraphs
    out = tmp_path / "r.docx"
    assert main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(out), "--template", str(template)]) == 0, \
        capsys.readouterr().err
    footer_xml = docx.Document(str(out)).sections[0].footer._element.xml
    assert footer_xml.count("PAGE") == 1 and ("Address" in footer_xml) == bool(footer)


@pytest.mark.slow
@pytest.mark.xdist_group("libreoffice")  # one soffice at a time (conftest.lo_profile)
def test_a_template_saved_by_libreoffice_builds_with_its_own_headings(tmp_path, lo_profile, capsys):
    """An internal error before (KeyError: no style with name 'Heading 1'): LibreOffice saves Word's built-in
    heading styles as "Heading 1", where Word writes "heading 1", the only name python-docx looks up."""
    source = _letterhead(tmp_path / "letterhead.docx")
    saved = tmp_path / "saved"
    subprocess.run([soffice("libreoffice-writer-nogui"), f"-env:UserInstallation={lo_profile.as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), str(source)],
                   check=True, capture_output=True, timeout=600)
    template = saved / "letterhead.docx"
    assert "Heading 1" in {s.element.name_val for s in docx.Document(str(template)).styles}  # as LibreOffice names it
    out = tmp_path / "r.docx"
    assert main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(out), "--template", str(template)]) == 0, \
        capsys.readouterr().err
    document = docx.Document(str(out))
    assert "Section 2: Financial Report" in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "RCM Technical Secretariat letterhead" in document.sections[0].header.paragraphs[0].text
