"""`rcm-tables verify`: the same inputs rebuild the same bytes; a changed, missing or added input is named; a
workbook edited by hand is caught cell by cell."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from rcm_tables import __version__
from rcm_tables.cli import main
from rcm_tables.paths import SAMPLE_EXPORTS, SAMPLE_REFERENCE

PUBLISHED = Path(__file__).resolve().parent / "published" / "report-2012"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("verify")
    shutil.copytree(SAMPLE_EXPORTS, folder / "exports")
    shutil.copy(SAMPLE_REFERENCE, folder / "reference.xlsx")
    return folder


@pytest.fixture(scope="module")
def built(inputs) -> Path:
    out = inputs / "out" / "report.xlsx"
    assert main(["build", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx"), "--as-of", "2012-10-31", "--published", str(PUBLISHED),
                 "--out", str(out)]) == 0
    return out


def verify(built: Path, exports: Path, reference: Path, *extra: str) -> int:
    return main(["verify", str(built), "--no-cache", "--exports", str(exports), "--reference", str(reference),
                 "--published", str(PUBLISHED), *extra])


def test_the_same_inputs_rebuild_the_same_bytes(inputs, built, capsys):
    assert verify(built, inputs / "exports", inputs / "reference.xlsx") == 0
    assert "verified: the same inputs, and the rebuild is identical byte for byte" in capsys.readouterr().out


def test_a_changed_and_a_missing_and_an_added_input_are_named(inputs, built, tmp_path, capsys):
    exports = tmp_path / "exports"
    shutil.copytree(inputs / "exports", exports)
    (exports / "IOM_LineItems_2012-06_rerun.xlsx").unlink()
    changed = exports / "IOM_LineItems_2012-10.xlsx"
    book = openpyxl.load_workbook(changed)
    book.active["A1"] = "IOM Financial Systems (printed again)"  # the same lines, other bytes
    book.save(changed)
    shutil.copy(exports / "IOM_LineItems_2012-09.xlsx", exports / "IOM_LineItems_2012-09 copy.xlsx")
    assert verify(built, exports, inputs / "reference.xlsx") == 1
    out = capsys.readouterr().out
    assert "input missing: the export file IOM_LineItems_2012-06_rerun.xlsx" in out
    assert "input changed: the export file IOM_LineItems_2012-10.xlsx" in out
    assert "input added: the export file IOM_LineItems_2012-09 copy.xlsx" in out
    assert "NOT verified: 3 input(s) differ" in out
    assert "differs: Sources: " in out  # the rebuild records the new SHA-256


def test_a_workbook_edited_by_hand_is_caught_cell_by_cell(inputs, built, tmp_path, capsys):
    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    book["Table 3"]["A9"] = "Unit Coordinator (edited)"
    book.save(edited)
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 1
    out = capsys.readouterr().out
    assert "differs: Table 3: " in out  # openpyxl also dropped the cached values it saved without
    assert "Table 3!A9 (cell): 'Unit Coordinator (edited)' -> 'Unit Coordinator'" in out
    assert "the rebuild differs" in out


def test_a_file_that_is_not_our_workbook_is_a_usage_error(inputs, tmp_path, capsys):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    assert verify(other, inputs / "exports", inputs / "reference.xlsx") == 2
    assert "not a workbook rcm-tables wrote" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"rcm-tables {__version__}"


@pytest.mark.parametrize("command", [
    "rcm-tables build --exports DIR --reference FILE --ledger-detail",
    "rcm-tables build --exports DIR --reference FILE --ledger-detail everything",
])
def test_a_cover_recording_an_option_rcm_tables_never_writes_is_a_usage_error(inputs, built, tmp_path, command,
                                                                              capsys):
    """A tampered Cover: '--ledger-detail' as its last word was an internal error (IndexError), an unknown value
    was passed on to the rebuild."""
    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    cover = book["Cover"]
    row = next(r for r in range(1, 40) if cover.cell(r, 1).value == "Command")
    cover.cell(row, 2).value = command
    book.save(edited)
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 2
    err = capsys.readouterr().err
    assert "--ledger-detail" in err and "its Cover does not record a build" in err and "internal error" not in err


def test_a_far_away_cell_added_by_hand_is_found_without_visiting_every_empty_cell(inputs, built, tmp_path, capsys):
    """One cell typed at ZZ20000 made the comparison visit 14 million empty cells, twice (minutes, gigabytes)."""
    import time

    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    book["Table 3"]["ZZ20000"] = "typed far away"
    book.save(edited)
    started = time.monotonic()
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 1
    assert time.monotonic() - started < 60
    assert "Table 3!ZZ20000 (cell): 'typed far away' -> None" in capsys.readouterr().out


def test_a_workbook_with_a_changes_sheet_is_rebuilt_with_it(inputs, tmp_path, capsys):
    """The monthly report's --since added a Changes sheet that the Cover did not record: verify rebuilt without
    it and said NOT verified of a workbook whose inputs had not changed."""
    out = tmp_path / "report.xlsx"
    assert main(["build", "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx"), "--as-of", "2012-10-31", "--since", "2012-09-30",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["verify", str(out), "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx")]) == 0
    assert "verified: the same inputs, and the rebuild is identical byte for byte" in capsys.readouterr().out


def test_other_versions_than_the_workbook_records_are_said(inputs, built, monkeypatch, capsys):
    from rcm_tables.workbook import cover

    recorded = dict(part.rsplit(" ", 1) for part in cover.versions().split(", "))
    monkeypatch.setattr(cover, "versions", lambda: "rcm-tables 99.0, Python 3.99, " + ", ".join(
        f"{name} {version}" for name, version in recorded.items() if name not in ("rcm-tables", "Python", "pandas")))
    assert verify(built, inputs / "exports", inputs / "reference.xlsx") == 1  # the Cover records the versions
    out = capsys.readouterr().out
    assert (f"note: rebuilt with other versions than the workbook records: rcm-tables 99.0 (the workbook: "
            f"{recorded['rcm-tables']}), Python 3.99 (the workbook: {recorded['Python']}), pandas not installed "
            f"(the workbook: {recorded['pandas']}); other versions may give other bytes") in out
    assert "openpyxl" not in out.split("note:")[1].split("\n")[0]  # the same version: not named
    assert "differs: Cover: " in out and "the rebuild differs" in out


def test_a_workbook_built_with_the_published_tables_asks_for_them(inputs, built, capsys):
    assert main(["verify", str(built), "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx")]) == 1
    out = capsys.readouterr().out
    count = len([p for p in PUBLISHED.iterdir() if p.is_file()])
    assert (f"input missing: the {count} published table file(s) the workbook was built with: give their folder "
            "with --published DIR") in out
    assert "the published file" not in out and "NOT verified: 1 input(s) differ" in out
