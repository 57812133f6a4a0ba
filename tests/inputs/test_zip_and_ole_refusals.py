"""Packages that Python's zip reader or calamine cannot open, found by mutating the headers of exports, the
reference workbook, a template and a workbook given to verify. Each was an internal error; each is now the
file's problem, said as such:

- a zip whose central directory names a zip version above 6.3 (``NotImplementedError`` as the zip opens);
- a part encrypted with a zip tool's password (flag bit 0: ``RuntimeError`` when the part is read);
- an .xls whose directory is damaged so that olefile (the pre-flight's reader) reads it but calamine's Rust code
  panics as it opens it (pyo3's ``PanicException``, a BaseException: it escaped everything). Found by mutating an
  .xls byte by byte (1 of 300); ``files/xls-that-calamine-panics-on.xls`` is the sample's first export saved as
  .xls by LibreOffice 7.4, with 13 bytes of its last sector deleted (the one change of the five that matters).
  The pre-flight refuses an .xls cut short before calamine sees it."""
from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from tests.convert import convert
from tests.measured import run_cli
from tests.xlsx import row, write_export, write_reference

from rcm_tables.cli import main
from rcm_tables.inputs.exports import read_export

SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "sample"


def _patched(data: bytes, field: str, value: int, member: str | None = None) -> bytes:
    """``data`` with each central directory entry (and its local header) of ``member`` (None: every part) given
    ``value``: ``version`` needed to extract, or ``flags`` or'ed in."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        size = struct.unpack_from("<H", out, at + 28)[0]
        if member is None or bytes(out[at + 46:at + 46 + size]).decode() == member:
            local = struct.unpack_from("<I", out, at + 42)[0]
            for pos, head in ((at + 6, local + 4), (at + 8, local + 6)):
                if (field == "version") == (pos == at + 6):
                    struct.pack_into("<H", out, pos, value if field == "version" else
                                     struct.unpack_from("<H", out, pos)[0] | value)
                    struct.pack_into("<H", out, head, struct.unpack_from("<H", out, pos)[0])
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


ODD = [("version", 208, None), ("version", 208, "xl/worksheets/sheet1.xml"), ("flags", 0x1, None),
       ("flags", 0x1, "xl/worksheets/sheet1.xml")]


@pytest.mark.parametrize("field,value,member", ODD)
def test_an_export_python_cannot_unzip_is_the_files_problem(tmp_path, field, value, member):
    path = write_export(tmp_path / "e.xlsx", [row(doc="S1", usd=600)])
    path.write_bytes(_patched(path.read_bytes(), field, value, member))
    export = read_export(path)
    (error,) = export.problems
    if field == "version":
        assert (error.code, error.message) == ("file-unreadable", "corrupt .xlsx (damaged zip archive)")
        assert error.value == "NotImplementedError: zip file version 20.8"
    else:
        assert (error.code, error.message) == ("file-protected", "the workbook's parts are encrypted (a zip password)")
    assert export.rows_read == 0 and export.lines.empty


@pytest.mark.parametrize("field,value,member", ODD[::3])
def test_a_reference_workbook_python_cannot_unzip_is_a_located_error(tmp_path, capsys, field, value, member):
    (tmp_path / "exports").mkdir()
    write_export(tmp_path / "exports" / "e.xlsx", [row(doc="S1", usd=600)])
    reference = write_reference(tmp_path / "reference.xlsx")
    reference.write_bytes(_patched(reference.read_bytes(), field, value, member))
    code = main(["build", "--exports", str(tmp_path / "exports"), "--reference", str(reference), "--out",
                 str(tmp_path / "out.xlsx"), "--no-cache"])
    out = capsys.readouterr()
    assert code == 1 and "internal error" not in out.err
    assert "reference.xlsx" in out.out and ("damaged zip archive" in out.out or "encrypted" in out.out)
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("field,value", [("version", 208), ("flags", 0x1)])
def test_a_template_python_cannot_unzip_is_refused_before_anything_is_written(tmp_path, field, value):
    from docx import Document

    template = tmp_path / "letterhead.docx"
    Document().save(template)
    template.write_bytes(_patched(template.read_bytes(), field, value))
    done = run_cli(["build", "--template", str(template), "--docx", str(tmp_path / "r.docx"), "--out",
                    str(tmp_path / "r.xlsx"), "--no-cache"], timeout=300)
    assert done.returncode == 2, done.output[-2000:]
    said = ("zip file version 20.8" if field == "version" else "its parts are encrypted (a zip password)")
    assert f"--template {str(template)!r}" in done.output and said in done.output
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "r.docx").exists()


def test_verify_on_a_workbook_with_encrypted_parts_says_so(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out / "r.xlsx"), "--no-cache", "-q"]) == 0
    damaged = tmp_path / "copy.xlsx"
    for member in (None, "xl/worksheets/sheet3.xml"):  # every part; a sheet verify reads only in its comparison
        damaged.write_bytes(_patched((out / "r.xlsx").read_bytes(), "flags", 0x1, member))
        capsys.readouterr()
        assert main(["verify", str(damaged), str(SAMPLE)]) == 2
        err = capsys.readouterr().err
        assert "its parts are encrypted (a zip password)" in err and "internal error" not in err


def test_an_xls_that_calamine_panics_on_is_unreadable_with_the_reason():
    export = read_export(Path(__file__).parent / "files" / "xls-that-calamine-panics-on.xls")  # raised PanicException
    (error,) = export.problems
    assert (error.code, error.message) == ("file-unreadable", "not a readable .xls workbook")
    assert error.value  # calamine's reason (python-calamine 0.9.1: "PanicException: range start index 116 ...")
    assert export.rows_read == 0 and export.lines.empty


def test_an_xls_cut_short_anywhere_is_unreadable_or_read_whole(tmp_path, lo_profile):
    """calamine panics opening the sample's first export as an .xls cut after 10,240 of its 11,776 bytes (and at
    every cut after that); the pre-flight refuses such a file first (olefile: the directory out of range)."""
    source = tmp_path / "IOM_LineItems_2012-01.xlsx"
    shutil.copy(SAMPLE / "exports" / source.name, source)
    (xls,) = convert([source], "xls", tmp_path / "xls", lo_profile)
    whole = xls.read_bytes()
    lines = read_export(xls).lines
    assert len(lines) == 20
    cut = tmp_path / "cut.xls"
    unreadable = 0
    for size in range(512, len(whole), 128):
        cut.write_bytes(whole[:size])
        export = read_export(cut)  # raised PanicException
        errors = [p for p in export.problems if p.severity == "error"]
        if errors:
            assert errors[0].code == "file-unreadable" and export.lines.empty, (size, export.problems)
            unreadable += 1
        else:  # only sectors that no stream uses were cut off: every line is read
            assert export.lines.equals(lines), size
    assert unreadable >= 10
