"""Files built to hang or exhaust the reader: a far-away stray cell, a pipe named like an export, a reference
workbook dropped among the exports. Each is a located error within bounded time and memory."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from tests.measured import run_cli
from tests.xlsx import row, write_export, write_reference

import rcm_tables
from rcm_tables.cli import main


@pytest.fixture
def inputs(tmp_path) -> Path:
    (tmp_path / "exports").mkdir()
    write_export(tmp_path / "exports" / "good.xlsx", [row(doc="S1", usd=600)])
    write_reference(tmp_path / "reference.xlsx")
    return tmp_path


def stray(path: Path, cell: str) -> Path:
    write_export(path, [row(doc="S2", usd=400, partner="Mexico")])
    book = openpyxl.load_workbook(path)
    book["Line Items"][cell] = "stray"
    book.save(path)
    return path



@pytest.mark.parametrize("cell", ["XFD1048576", "ZZ200000", "AAA1"])
def test_a_far_away_stray_cell_is_a_located_error_in_bounded_time_and_memory(inputs, cell):
    stray(inputs / "exports" / "far.xlsx", cell)
    assert (inputs / "exports" / "far.xlsx").stat().st_size < 20_000
    done = run_cli(["validate", "--no-cache", "--exports", str(inputs / "exports"),
                    "--reference", str(inputs / "reference.xlsx")], timeout=120)
    out = done.output
    if cell == "AAA1":  # a wide but short sheet is fine: 703 columns by one row
        assert done.returncode == 0, out[-3000:]
        return
    assert done.returncode == 1, out[-3000:]
    assert "far.xlsx" in out and cell in out and "Traceback" not in out
    assert done.seconds < 10 and done.peak_mb < 600, (done.seconds, done.peak_mb)


def test_the_far_cell_check_protects_the_reference_workbook_too(inputs, capsys):
    path = inputs / "reference.xlsx"
    book = openpyxl.load_workbook(path)
    book["Scale"]["XFD1048576"] = 1
    book.save(path)
    report = rcm_tables.load(inputs / "exports", path, strict=False)
    [error] = report.errors
    assert (error.code, error.file, error.value) == ("sheet-too-far", "reference.xlsx", "XFD1048576")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_pipe_named_like_an_export_is_an_error_and_never_opened(inputs, capsys):
    os.mkfifo(inputs / "exports" / "pipe.xlsx")
    started = time.monotonic()
    code = main(["validate", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx")])
    out = capsys.readouterr().out
    assert code == 1 and time.monotonic() - started < 30
    assert "pipe.xlsx" in out and "not a regular file" in out
    report = rcm_tables.load([inputs / "exports" / "good.xlsx", inputs / "exports" / "pipe.xlsx"],
                             inputs / "reference.xlsx", strict=False)
    assert [(p.code, p.file) for p in report.errors] == [("not-a-file", "pipe.xlsx")]


def test_a_broken_link_among_the_exports_is_said_to_be_one(inputs, capsys):
    (inputs / "exports" / "2012-10.xlsx").symlink_to(inputs / "moved-away.xlsx")
    code = main(["validate", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx")])
    out = capsys.readouterr().out
    assert code == 1 and "2012-10.xlsx" in out and "broken link" in out and "pipe" not in out
    report = rcm_tables.load(inputs / "exports", inputs / "reference.xlsx", strict=False)
    assert [(p.code, p.file) for p in report.errors] == [("file-unreadable", "2012-10.xlsx")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_pipe_as_the_reference_is_a_usage_error(inputs, capsys):
    os.mkfifo(inputs / "ref.xlsx")
    assert main(["validate", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "ref.xlsx")]) == 2
    assert "not a file" in capsys.readouterr().err
    report = rcm_tables.load(inputs / "exports", inputs / "ref.xlsx", strict=False)
    assert [(p.code, p.file) for p in report.errors] == [("not-a-file", "ref.xlsx")]


def test_a_copy_of_the_reference_in_the_exports_folder_has_its_own_message(inputs):
    shutil.copy(inputs / "reference.xlsx", inputs / "exports" / "reference.xlsx")
    shutil.copy(inputs / "reference.xlsx", inputs / "exports" / "budget 2012.xlsx")
    report = rcm_tables.load(inputs / "exports", inputs / "reference.xlsx", strict=False)
    found = sorted((p.code, p.file) for p in report.errors)
    assert found == [("reference-in-exports", "budget 2012.xlsx"), ("reference-in-exports", "reference.xlsx")]
    # the reference itself is fine: the lines of the real export were checked against it
    assert not [p for p in report.problem_list if p.code == "ledger-checks-skipped"]


def test_a_far_cell_whose_reference_is_not_the_first_attribute_is_found(tmp_path):
    """Producers write <c r="A1" ...>; a file that puts the reference later is scanned with the general patterns."""
    import io
    import zipfile

    from rcm_tables.inputs import extent

    sheet = (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             b'<row spans="1:1" r="1048576"><c t="s" s="0" r="XFD1048576"><v>0</v></c></row></sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(buffer) as archive:
        found = extent.scan(archive, "xl/worksheets/sheet1.xml")
    assert (found.columns, found.rows, found.far_cells) == (16384, 1048576, ("XFD1048576",))


@pytest.mark.parametrize("space", [b"\t", b"\n", b"\r\n"])
def test_a_far_cell_after_other_white_space_than_a_space_is_found(tmp_path, space):
    """<c\tr="XFD1048576"> is well-formed XML (any white space may follow a tag's name): the fast scans, which look
    for '<c r="', must not take the sheet for a near one, or calamine would build a grid of billions of cells."""
    import io
    import zipfile

    from rcm_tables.inputs import extent, preflight

    plain = tmp_path / "far.xlsx"
    stray(plain, "XFD1048576")
    source, out = zipfile.ZipFile(plain), io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if extent.is_worksheet(info.filename):
                assert b'<c r="XFD1048576"' in data
                data = data.replace(b'<c r="XFD1048576"', b"<c" + space + b'r="XFD1048576"')
                data = data.replace(b'<row r="1048576"', b"<row" + space + b'r="1048576"')
            archive.writestr(info, data)
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = extent.worksheets(archive)[0]
        found = extent.scan(archive, member)
        whole = archive.read(member)
    assert (found.columns, found.rows) == (16384, 1048576)
    assert not extent.near(whole)
    problems = preflight.check(data, "far.xlsx").problems
    assert [p.code for p in problems] == ["sheet-too-far"] and "XFD1048576" in problems[0].message
