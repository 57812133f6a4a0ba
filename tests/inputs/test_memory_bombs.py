"""Issue #26: a part that declares more items than it holds (a shared-strings bomb) is refused, naming the file,
before a reader reserves memory for them (calamine aborted the process: SIGABRT, no file named)."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.xlsx import row, write_export, write_reference

ROOT = Path(__file__).resolve().parents[2]


def _with_shared_strings(source: Path, target: Path, declared: int, references: int | None = None) -> Path:
    """``source`` (an openpyxl file, inline strings) with a shared-strings part declaring ``declared`` items
    (uniqueCount) referred to ``references`` times (count: how many cells use them; default ``declared``)."""
    count = declared if references is None else references
    sst = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.'
           b'org/spreadsheetml/2006/main" count="%d" uniqueCount="%d"><si><t>x</t></si></sst>' % (count, declared))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="applicat'
                                    b'ion/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                              b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                              b"</Relationships>", data)
            zout.writestr(item, data)
        zout.writestr("xl/sharedStrings.xml", sst)
    target.write_bytes(out.getvalue())
    return target


@pytest.mark.parametrize("which", ["export", "reference"])
def test_a_shared_strings_bomb_is_a_located_error_not_an_abort(tmp_path, which):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "ref-plain.xlsx")
    write_export(tmp_path / "plain.xlsx", [row(doc="1")])
    export, reference = tmp_path / "exports" / "2012-03.xlsx", tmp_path / "reference.xlsx"
    for plain, target in ((tmp_path / "plain.xlsx", export), (tmp_path / "ref-plain.xlsx", reference)):
        if (which == "export") == (target is export):
            _with_shared_strings(plain, target, 4_000_000_000)
        else:
            target.write_bytes(plain.read_bytes())
    # a process of its own: before the fix, calamine aborted it
    done = subprocess.run([sys.executable, "-m", "rcm_tables", "validate", "--no-cache", "--exports",
                           str(tmp_path / "exports"), "--reference", str(reference)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "file-unsafe" in done.stdout or "declares 4,000,000,000 items" in done.stdout
    assert (export.name if which == "export" else reference.name) in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_an_honest_shared_strings_part_is_read(tmp_path):
    from rcm_tables.inputs.preflight import check

    good = _with_shared_strings(write_export(tmp_path / "a.xlsx", [row(doc="1")]), tmp_path / "b.xlsx", 1)
    assert check(good.read_bytes(), "b.xlsx").problems == []


def test_many_cells_referring_to_few_strings_is_an_ordinary_export(tmp_path):
    """Excel writes count = the cells that refer to a shared string (12,000 cells naming a dozen countries), which
    no reader reserves memory for: only uniqueCount counts the items (calamine reserves for it alone)."""
    from rcm_tables.inputs.preflight import check

    plain = write_export(tmp_path / "a.xlsx", [row(doc="1")])
    many = _with_shared_strings(plain, tmp_path / "b.xlsx", 1, references=4_000_000_000)
    assert check(many.read_bytes(), "b.xlsx").problems == []
    bomb = _with_shared_strings(plain, tmp_path / "c.xlsx", 4_000_000_000, references=1)
    assert [p.code for p in check(bomb.read_bytes(), "c.xlsx").problems] == ["file-unsafe"]
