"""Issue #26: --template accepts .docx, .dotx and .docm (macros dropped, never run or copied) or refuses with
exit 2 and a reason; only the parts a document uses are copied (a 20 MB picture in the template's body is in no
statement)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

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
