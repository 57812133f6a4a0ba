"""Bad files are located problems; our own bugs are not: they reach the user as one "internal error" line and a log.

The readers' errors for a damaged file are caught where the reader is called, by their own classes; anything
else (a RuntimeError of ours here) propagates to the command line, which logs the traceback and exits 3.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.xlsx import DAMAGES, row, write_export, write_reference

import rcm_tables
from rcm_tables import schemas as S
from rcm_tables.cli import INTERNAL_ERROR, LOG_ENV, main
from rcm_tables.inputs.cache import ExportCache
from rcm_tables.inputs.exports import read_export


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx")
    write_export(tmp_path / "exports" / "good.xlsx", [row(doc="G1")])
    return tmp_path


def run(folder: Path, command: str = "validate", *extra: str) -> int:
    return main([command, "--no-cache", "--exports", str(folder / "exports"), "--reference",
                 str(folder / "reference.xlsx"), *extra])


def errors_of(report: Path) -> list[tuple[str, str]]:
    with open(report, newline="", encoding="utf-8-sig") as fh:
        return [(r["code"], r["file"]) for r in csv.DictReader(fh) if r["severity"] == "error"]


# ------------------------------------------------------------------ a damaged file is still the user's problem


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_export_is_a_located_unreadable_file(inputs, capsys, damage):
    DAMAGES[damage](write_export(inputs / "exports" / "bad.xlsx", [row(doc="B1"), row(doc="B2")]))
    code = run(inputs, "validate", "--report", str(inputs / "problems.csv"))
    out = capsys.readouterr()
    assert code == 1, out.out + out.err
    assert errors_of(inputs / "problems.csv") == [("file-unreadable", "bad.xlsx")]
    assert "Traceback" not in out.out + out.err and "internal error" not in out.err


@pytest.mark.parametrize("damage", ["corrupt-deflate-stream", "unknown-compression-method", "sheet-xml-garbage"])
def test_a_damaged_reference_workbook_is_a_located_unreadable_file(inputs, capsys, damage):
    DAMAGES[damage](inputs / "reference.xlsx")
    code = run(inputs, "validate", "--report", str(inputs / "problems.csv"))
    out = capsys.readouterr()
    assert code == 1, out.out + out.err
    assert ("file-unreadable", "reference.xlsx") in errors_of(inputs / "problems.csv")
    assert "Traceback" not in out.out + out.err


READER_CASES = [(damage, engine) for damage in sorted(DAMAGES) for engine in ("calamine", "openpyxl")]


@pytest.mark.parametrize("damage,engine", READER_CASES + [("styles-part-missing", "openpyxl")])
def test_each_reader_reports_a_damaged_file_as_unreadable(tmp_path, damage, engine):
    path = write_export(tmp_path / "bad.xlsx", [row()])
    if damage == "styles-part-missing":  # openpyxl fails with an IndexError (calamine needs no styles)
        from tests.xlsx import _rebuild

        _rebuild(path, drop=("xl/styles.xml",))
    else:
        DAMAGES[damage](path)
    [p] = read_export(path, engine=engine).problems
    assert (p.code, p.file) == ("file-unreadable", "bad.xlsx"), p


# ------------------------------------------------------------------ our own bug is an internal error


INTERNAL = [
    "rcm_tables.inputs.engines.open_calamine",      # was hidden: openpyxl read the file instead
    "rcm_tables.inputs.grid.make_grid",
    "rcm_tables.inputs.reference_sheets.check",      # was "not a readable .xlsx workbook"
    "rcm_tables.inputs.engines._like_calamine",     # the openpyxl path; was "sheet cannot be read"
]


def _boom(*args, **kwargs):
    raise RuntimeError("boom: a bug in rcm-tables")


@pytest.mark.parametrize("target", INTERNAL)
def test_a_bug_of_ours_is_an_internal_error_with_a_logged_traceback(inputs, capsys, monkeypatch, target):
    monkeypatch.setattr(target, _boom)
    if target.endswith("_like_calamine"):
        monkeypatch.setattr("rcm_tables.inputs.engines.has_error_cells", lambda data: True)  # read with openpyxl
    out = inputs / "out.xlsx"
    code = run(inputs, "build", "--out", str(out))
    printed = capsys.readouterr()
    assert code == INTERNAL_ERROR == 3
    [line] = printed.err.strip().splitlines()[-1:]
    assert line.startswith("rcm-tables: internal error, please report it (RuntimeError: boom: a bug in rcm-tables)")
    log = Path(re.search(r"the details are in (.+\.log)$", line).group(1))
    assert log.parent == Path(__import__("os").environ[LOG_ENV])  # the tests' private log folder
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom: a bug in rcm-tables" in text
    assert "_boom" in text and "rcm-tables build" in text  # where it happened, and what was run
    assert "Traceback" not in printed.out + printed.err
    for bad_input_words in ("file-unreadable", "not a readable", "cannot be read", "Problems found"):
        assert bad_input_words not in printed.out + printed.err
    assert not out.exists()


def test_the_log_goes_to_the_temporary_folder_when_the_log_folder_cannot_be_written(inputs, capsys, monkeypatch):
    blocker = inputs / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(LOG_ENV, str(blocker / "logs"))
    monkeypatch.setattr("rcm_tables.inputs.grid.make_grid", _boom)
    assert run(inputs) == 3
    line = capsys.readouterr().err.strip().splitlines()[-1]
    log = Path(re.search(r"the details are in (.+\.log)$", line).group(1))
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    log.unlink()


def test_a_library_user_gets_our_bug_as_the_exception_itself(inputs, monkeypatch):
    monkeypatch.setattr("rcm_tables.inputs.reference_sheets.check", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        rcm_tables.load(inputs / "exports", inputs / "reference.xlsx")


def test_the_cache_ignores_a_bad_entry_but_not_a_bug_of_ours(tmp_path, monkeypatch):
    export = read_export(write_export(tmp_path / "e.xlsx", [row(), row(doc="2", usd="x", amount_doc=1)]))
    assert export.problems  # kept in the entry, read back with Problem.from_dict
    cache = ExportCache(tmp_path / "cache")
    assert cache.put(export)
    monkeypatch.setattr("rcm_tables.inputs.cache.Problem.from_dict", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        cache.get(export.sha256, export.path, export.file)
    monkeypatch.undo()
    monkeypatch.setattr("rcm_tables.inputs.cache._key_digest", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        cache.put(export)


def test_the_fast_schema_checks_let_our_bugs_through(monkeypatch):
    frame = pd.DataFrame({"country": ["Canada"], "share_pct": [60.0], "assessed_usd": [600]})
    assert S.surely_valid(S.Annex1, frame) and S.dtypes_match(S.Annex1, frame)
    scale = pd.DataFrame({"fund": ["TS"], "country": ["Canada"], "share_pct": [60.0], "assessed": [600]})
    scale = scale.astype({"assessed": "Int64"})
    assert S.surely_valid(S.Scale, scale)  # its checks (isin, str_length, ge, le) computed here
    monkeypatch.setattr(S.model, "_BUILTIN_CHECKS", {name: _boom for name in S.model._BUILTIN_CHECKS})
    with pytest.raises(RuntimeError, match="boom"):
        S.surely_valid(S.Scale, scale)
    monkeypatch.undo()
    monkeypatch.setattr(S.model, "_same_dtype", _boom)  # the dtypes compared without pandera
    with pytest.raises(RuntimeError, match="boom"):
        S.dtypes_match(S.Annex1, frame)


def test_ctrl_c_is_one_line_and_exit_130(inputs, capsys, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("rcm_tables.inputs.grid.make_grid", interrupt)
    assert run(inputs) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("rcm-tables: interrupted") and "Traceback" not in err


def test_an_empty_cell_style_is_read_by_calamine_and_unreadable_to_openpyxl(tmp_path):
    """s="" on a cell: calamine ignores it; openpyxl (which reads a workbook holding error cells) looks the style up
    as given and raises a TypeError, once an internal error. Found by fuzzing exports' XML."""
    from tests.xlsx import SHEET_PART, _rebuild, _sheet

    path = write_export(tmp_path / "styled.xlsx", [row(doc="B1"), row(doc="B2")])
    _rebuild(path, {SHEET_PART: _sheet(path).replace(b'<c r="A1"', b'<c s="" r="A1"', 1)})
    assert not read_export(path).problems and read_export(path).rows_read == 2
    [p] = read_export(path, engine="openpyxl").problems
    assert (p.code, p.file) == ("file-unreadable", "styled.xlsx") and "TypeError" in p.value
