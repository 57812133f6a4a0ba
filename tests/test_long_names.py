"""A path with a name longer than the file system allows (255 bytes on Linux and macOS) is a usage error naming
it (exit 2), wherever it is given: pathlib's exists() and is_dir() let ENAMETOOLONG out, and each was an internal
error (found by giving every option a 300-character name)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rcm_tables.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows says a long path another way (error 206)")
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"
LONG = "x" * 300


@pytest.mark.parametrize("args", [
    ["build", "--exports", "{long}", "--reference", str(SAMPLE / "reference.xlsx")],
    ["build", "--reference", "{long}.xlsx"],
    ["build", "{long}"],
    ["validate", "{long}"],
    ["build", "--published", "{long}"],
    ["build", "--cache-dir", "{long}"],
    ["build", "--activities", "{long}.xlsx", "--docx", "{tmp}/r.docx"],
    ["build", "--template", "{long}.docx", "--docx", "{tmp}/r.docx"],
    ["verify", "{long}.xlsx", str(SAMPLE)],
])
def test_an_input_whose_name_is_too_long_is_a_usage_error(tmp_path, capsys, args):
    given = [a.format(long=tmp_path / LONG, tmp=tmp_path) for a in args]
    if given[0] == "build":
        given += ["--out", str(tmp_path / "r.xlsx")]
    assert main(given) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "is too long for this computer's file system" in err
    assert LONG in err
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("option", ["--out", "--csv", "--docx", "--statements"])
def test_an_output_whose_name_is_too_long_is_refused_before_anything_is_read(tmp_path, capsys, option):
    target = tmp_path / (LONG + (".xlsx" if option == "--out" else ".docx" if option == "--docx" else ""))
    args = ["build", option, str(target)] + (["--out", str(tmp_path / "r.xlsx")] if option != "--out" else [])
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"rcm-tables: cannot write {option} {str(target)!r}: File name too long"
    assert sorted(p.name for p in tmp_path.iterdir()) == []
