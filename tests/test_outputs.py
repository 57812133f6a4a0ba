"""Outputs never touch inputs, and a run's outputs are replaced together or not at all."""
from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import openpyxl
import pytest

from tests.xlsx import row, write_export, write_reference

from rcm_tables import csvfiles
from rcm_tables.cli import main
from rcm_tables.outputs import OutputSet


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def inputs(tmp_path) -> Path:
    (tmp_path / "exports").mkdir()
    write_export(tmp_path / "exports" / "2012-03.xlsx", [row(doc="S1", usd=600), row(doc="S2", partner="Mexico")])
    write_reference(tmp_path / "reference.xlsx")
    return tmp_path


def run(inputs: Path, *options: str) -> int:
    return main(["build", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx"), *options])


@pytest.mark.parametrize("options", [
    ["--out", "{exports}/2012-03.xlsx", "--force"],
    ["--out", "{exports}/new.xlsx"],
    ["--out", "{reference}", "--force"],
    ["--out", "{exports}/../exports/sub/new.xlsx"],
    ["--out", "{root}/r.xlsx", "--csv", "{exports}"],
    ["--out", "{root}/r.xlsx", "--csv", "{exports}/csv"],
    ["--out", "{root}/r.xlsx", "--csv", "{reference}"],
])
def test_an_output_on_an_input_is_a_usage_error_and_nothing_changes(inputs, options, capsys):
    before = digest(inputs)
    filled = [o.format(exports=inputs / "exports", reference=inputs / "reference.xlsx", root=inputs)
              for o in options]
    assert run(inputs, *filled) == 2
    err = capsys.readouterr().err
    assert "rcm-tables:" in err and "Traceback" not in err
    assert "Rows read" not in err  # refused before any reading
    assert digest(inputs) == before


def test_validate_report_never_replaces_the_reference(inputs, capsys):
    before = digest(inputs)
    code = main(["validate", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx"), "--report", str(inputs / "reference.xlsx")])
    assert code == 2 and "is an input" in capsys.readouterr().err
    assert digest(inputs) == before


def test_an_existing_folder_as_out_is_a_usage_error(inputs, tmp_path, capsys):
    (tmp_path / "out.xlsx").mkdir()
    assert run(inputs, "--out", str(tmp_path / "out.xlsx"), "--force") == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_failing_csv_leaves_the_previous_outputs_whole_and_no_temporary_file(inputs, tmp_path, monkeypatch,
                                                                                capsys):
    out = tmp_path / "out"
    assert run(inputs, "--out", str(out / "r.xlsx"), "--csv", str(out / "csv")) == 0
    before = digest(out)
    calls = []
    real = csvfiles.tidy

    def disk_full_at_the_fifth(frame, table):
        calls.append(frame.name)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(frame, table)

    monkeypatch.setattr(csvfiles, "tidy", disk_full_at_the_fifth)
    assert run(inputs, "--as-of", "2012-03-31", "--out", str(out / "r.xlsx"), "--csv", str(out / "csv"),
               "--force") == 2
    assert "No space left" in capsys.readouterr().err
    assert digest(out) == before  # the workbook too: it waits for the CSVs
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_a_stale_full_ledger_csv_is_removed_but_a_foreign_file_is_kept(inputs, tmp_path):
    out = tmp_path / "r.xlsx"
    assert run(inputs, "--out", str(out), "--ledger-detail", "summary") == 0
    ledger = tmp_path / "r-ledger.csv"
    assert ledger.exists()
    assert run(inputs, "--out", str(out), "--ledger-detail", "all", "--force") == 0
    assert not ledger.exists()  # it belonged to the summarised workbook, which is gone
    ledger.write_text("my own notes\n")
    assert run(inputs, "--out", str(out), "--ledger-detail", "all", "--force") == 0
    assert ledger.read_text() == "my own notes\n"


def test_a_commit_that_fails_halfway_puts_every_previous_file_back(tmp_path, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    b.write_text("old b")
    outputs = OutputSet()
    outputs.stage(a).write_text("new a")
    staged_b = outputs.stage(b)
    staged_b.write_text("new b")
    real = os.replace
    moves = []

    def fail_on_the_last(src, dst):
        moves.append((Path(src).name, Path(dst).name))
        if Path(src) == staged_b and Path(dst) == b:  # the new b cannot be moved in
            raise OSError(errno.EIO, "the disk went away")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_the_last)
    with pytest.raises(OSError):
        outputs.commit()
    monkeypatch.setattr(os, "replace", real)
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert ("a.txt" in [dst for _src, dst in moves])  # a had been replaced before b failed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("options", [
    ["--out", "{root}/o/r.xlsx", "--csv", "{root}/o/r.xlsx"],
    ["--out", "{root}/o/r.xlsx", "--csv", "{root}/o/r.xlsx/csv"],
    ["--out", "{root}/o/r.xlsx", "--statements", "{root}/o/r.xlsx"],
    ["--out", "{root}/o/r.xlsx", "--docx", "{root}/o/r.xlsx/r.docx"],
    ["--out", "{root}/o/r.xlsx", "--docx", "{root}/o/d.docx", "--statements", "{root}/o/d.docx"],
])
def test_two_outputs_on_one_path_are_a_usage_error_and_nothing_is_written(inputs, options, capsys):
    """--csv naming the --out workbook once read every export, then left an empty folder and a temporary file."""
    before = digest(inputs)
    assert run(inputs, *[o.format(root=inputs) for o in options]) == 2
    err = capsys.readouterr().err
    assert "each output needs its own place" in err and "Traceback" not in err
    assert "Rows read" not in err  # refused before any reading
    assert digest(inputs) == before and not (inputs / "o").exists()


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_cache_folder_among_the_inputs_is_a_usage_error(inputs, command, capsys):
    """--cache-dir inside the exports folder once wrote the cache's parquet files there."""
    before = sorted(p.name for p in inputs.rglob("*"))
    code = main([command, "--exports", str(inputs / "exports"), "--reference", str(inputs / "reference.xlsx"),
                 "--cache-dir", str(inputs / "exports" / "cache"), *(["--out", str(inputs / "o" / "r.xlsx")]
                                                                       if command == "build" else [])])
    err = capsys.readouterr().err
    assert code == 2 and "--cache-dir" in err and "exports folder" in err and "Traceback" not in err
    assert sorted(p.name for p in inputs.rglob("*")) == before


def test_an_output_in_the_published_folder_is_refused_naming_that_folder(inputs, published, capsys):
    import shutil

    shutil.copytree(published, inputs / "published")
    before = digest(inputs)
    assert run(inputs, "--out", str(inputs / "published" / "r.xlsx"), "--published", str(inputs / "published")) == 2
    err = capsys.readouterr().err
    assert "is in the input folder" in err and "exports folder" not in err  # it said "the exports folder"
    assert digest(inputs) == before


def test_the_problems_report_never_hands_a_spreadsheet_a_formula(inputs, capsys):
    """--report is a list for a person, opened in a spreadsheet: an export's '=HYPERLINK(...)' or '@SUM(...)' in
    its value column would run there as a formula. Such a value starts with an apostrophe; a negative amount
    stays as it is."""
    import csv

    hostile = ['=HYPERLINK("http://evil","x")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3"]
    rows = [row(doc=f"H{i}", partner=text, usd=5) for i, text in enumerate(hostile)]
    rows.append(row(doc="N1", account="710100", partner=None, assignment=None, usd="-1,234.567"))
    write_export(inputs / "exports" / "2012-04.xlsx", rows)
    report = inputs / "problems.csv"
    assert main(["validate", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx"), "--report", str(report)]) == 1
    capsys.readouterr()
    with report.open(encoding="utf-8-sig") as fh:
        values = [r["value"] for r in csv.DictReader(fh)]
    for text in hostile:
        assert "'" + text in values and text not in values
    assert "-1,234.567" in values
    # as a workbook: every value a text cell as it was read, none a formula
    book = inputs / "problems.xlsx"
    assert main(["validate", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx"), "--report", str(book)]) == 1
    capsys.readouterr()
    sheet = openpyxl.load_workbook(book)["Problems"]
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r if c.column_letter == "G" and c.value is not None]
    assert {c.data_type for c in cells} == {"s"}
    for text in hostile:
        assert text in [c.value for c in cells]


def test_a_failed_run_leaves_no_folder_it_made(inputs, tmp_path):
    """Staging made the outputs' folders; a run that failed after that left them behind, empty."""
    (tmp_path / "kept").mkdir()
    with pytest.raises(RuntimeError):
        with OutputSet() as outputs:
            outputs.stage(tmp_path / "new" / "csv" / "table1.csv").write_text("a")
            outputs.stage(tmp_path / "kept" / "st" / "statement.docx").write_text("b")
            raise RuntimeError("a statement could not be written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports", "kept", "reference.xlsx"]
    assert list((tmp_path / "kept").iterdir()) == []


@pytest.mark.parametrize("existing, options", [
    ("r-ledger.csv", ["--out", "{root}/r.xlsx", "--ledger-detail", "summary"]),
    ("r-ledger.csv", ["--out", "{root}/r.xlsx", "--ledger-detail", "all"]),
    ("csv/table1.csv", ["--out", "{root}/r.xlsx", "--csv", "{root}/csv"]),
    ("st/statements.csv", ["--out", "{root}/r.xlsx", "--statements", "{root}/st"]),
    ("st/statement-canada.docx", ["--out", "{root}/r.xlsx", "--statements", "{root}/st"]),
    ("d.docx", ["--out", "{root}/r.xlsx", "--docx", "{root}/d.docx"]),
])
def test_no_output_is_replaced_without_force(inputs, tmp_path, existing, options, capsys):
    """Every file a build writes or removes, not only the workbook: refused before anything is read (exit 2)."""
    root = tmp_path / "o"
    target = root / existing
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"a previous run's file\n")
    args = [o.format(root=root) for o in options]
    assert run(inputs, *args) == 2
    err = capsys.readouterr().err
    assert "--force" in err and target.name in err and "Traceback" not in err
    assert target.read_bytes() == b"a previous run's file\n" and not (root / "r.xlsx").exists()
    assert run(inputs, *args, "--force") == 0
    if "all" in options:  # a build that writes no ledger CSV removes only its own: this one is foreign, kept
        assert target.read_bytes() == b"a previous run's file\n"
    else:
        assert target.read_bytes() != b"a previous run's file\n"


def test_temporary_files_a_killed_build_left_are_swept_after_an_hour_and_nothing_else(inputs, tmp_path):
    """A build killed outright (kill -9, a power cut) leaves the hidden temporary files it was writing; the next build
    that writes the same output removes those older than an hour (no build takes that long), and nothing else."""
    import time

    from rcm_tables.atomic import STALE_SECONDS

    out = tmp_path / "out"
    out.mkdir()
    hour_ago = time.time() - STALE_SECONDS - 60
    left = {name: hour_ago for name in (".r.xlsx.0123456789ab.tmp", ".r.xlsx.ba9876543210.tmp")}
    kept = {".r.xlsx.fedcba987654.tmp": time.time(),  # a build at work right now
            ".other.xlsx.0123456789ab.tmp": hour_ago,  # another output's: swept when that output is written
            ".r.xlsx.my-notes.tmp": hour_ago,  # not a name rcm-tables makes
            "r.xlsx.0123456789ab.tmp": hour_ago}
    for name, when in {**left, **kept}.items():
        (out / name).write_bytes(b"half a workbook")
        os.utime(out / name, (when, when))
    assert main(["build", "--exports", str(inputs / "exports"), "--reference", str(inputs / "reference.xlsx"),
                 "--out", str(out / "r.xlsx"), "--no-cache", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([*kept, "r.xlsx"])
