"""`rcm-tables verify`: the same inputs rebuild the same bytes; a changed, missing or added input is named; a
workbook edited by hand is caught cell by cell."""
from __future__ import annotations

import re
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
    differs = [line for line in out.splitlines() if line.startswith("differs: ")]
    # each names the sheet, the cell, the workbook's content and the rebuild's; the rest are counted
    assert differs and all(re.match(r"differs: [\w ]+![A-Z]+\d+: .+ in the workbook, .+ rebuilt$", line)
                           for line in differs[:-1])
    assert re.match(r"differs: … and \d+ more cell\(s\): Ledger \d+, ", differs[-1])
    assert len(out.splitlines()) <= 20


def test_a_workbook_edited_by_hand_is_caught_cell_by_cell(inputs, built, tmp_path, capsys):
    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    book["Table 3"]["A9"] = "Unit Coordinator (edited)"
    book.save(edited)
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    # openpyxl dropped the cached values: said once, and no cell is reported for it
    assert lines[0] == "note: saved by a program that drops cached values: formulas compared, values recalculated"
    assert lines[1] == "differs: Table 3!A9: 'Unit Coordinator (edited)' in the workbook, 'Unit Coordinator' rebuilt"
    assert len(lines) == 3 and "NOT verified: 0 input(s) differ; the rebuild differs" in lines[2]


def test_a_file_that_is_not_our_workbook_is_a_usage_error(inputs, tmp_path, capsys):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    assert verify(other, inputs / "exports", inputs / "reference.xlsx") == 2
    assert "not a workbook rcm-tables wrote" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"rcm-tables {__version__}"


@pytest.mark.parametrize("label, text, said", [
    ("Command", "rcm-tables build --exports DIR --reference FILE --ledger-detail", "--ledger-detail ''"),
    ("Command", "rcm-tables build --exports DIR --reference FILE --ledger-detail everything",
     "--ledger-detail 'everything'"),
    ("Build record (for verify)", '{"format": 1, "ledger_detail": "everything"}', "ledger_detail 'everything'"),
    ("Build record (for verify)", '{"format": 1, "ledger_detail": "auto", "since": "last May"}', "since 'last May'"),
    ("Build record (for verify)", "--as-of 2012-10-31", "is not JSON"),
])
def test_a_cover_recording_an_option_rcm_tables_never_writes_is_a_usage_error(inputs, built, tmp_path, label, text,
                                                                              said, capsys):
    """A tampered Cover: '--ledger-detail' as the command's last word was an internal error (IndexError), an
    unknown value was passed on to the rebuild. The command is read when there is no build record (a workbook
    written before it)."""
    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    cover = book["Cover"]
    if label == "Command":  # an older workbook: no build record
        cover.delete_rows(next(r for r in range(1, 40) if cover.cell(r, 1).value == "Build record (for verify)"))
    row = next(r for r in range(1, 40) if cover.cell(r, 1).value == label)
    cover.cell(row, 2).value = text
    book.save(edited)
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 2
    err = capsys.readouterr().err
    assert said in err and "its Cover does not record a build" in err and "internal error" not in err


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
    assert "Table 3!ZZ20000: 'typed far away' in the workbook, None rebuilt" in capsys.readouterr().out


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
    assert "differs: Cover!B16: 'rcm-tables " in out and "the rebuild differs" in out


def test_a_workbook_built_with_the_published_tables_asks_for_them(inputs, built, capsys):
    assert main(["verify", str(built), "--no-cache", "--exports", str(inputs / "exports"), "--reference",
                 str(inputs / "reference.xlsx")]) == 1
    out = capsys.readouterr().out
    count = len([p for p in PUBLISHED.iterdir() if p.is_file()])
    assert (f"input missing: the {count} published table file(s) the workbook was built with: give their folder "
            "with --published DIR") in out
    assert "the published file" not in out and "NOT verified: 1 input(s) differ" in out


def test_one_ledger_amount_changed_by_openpyxl_is_named_first(inputs, built, tmp_path, capsys):
    """The auditor's trial: one amount on the Ledger changed with openpyxl (which also drops every cached value):
    NOT verified, the cell named within the first 5 lines, no line per dropped value, at most 20 lines."""
    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    ws = book["Ledger"]
    header = [c.value for c in ws[4]]
    col = header.index("Amount (USD)") + 1
    row = 120
    was = ws.cell(row, col).value
    ws.cell(row, col).value = round(was + 270, 2)  # as the auditor did: one amount moved by $270
    book.save(edited)
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 1
    lines = capsys.readouterr().out.splitlines()
    cell = f"Ledger!{openpyxl.utils.get_column_letter(col)}{row}"
    assert f"differs: {cell}: {round(was + 270, 2)!r} in the workbook, {was!r} rebuilt" in lines[:5]
    assert "note: saved by a program that drops cached values: formulas compared, values recalculated" in lines
    assert len(lines) <= 20 and not [line for line in lines if "None" in line]
    assert lines[-1].endswith("NOT verified: 0 input(s) differ; the rebuild differs (above: sheet!cell, the "
                              "workbook's content, the rebuild's)")


def test_verify_takes_a_folder_made_by_init(tmp_path, capsys):
    from tests.initfolder import SAMPLE, copy_with, make_folder, paste_sample_accounts

    folder = copy_with(make_folder(tmp_path / "new"), tmp_path / "RCM", paste_sample_accounts)
    for export in (SAMPLE / "exports").iterdir():
        shutil.copy(export, folder / "exports")
    assert main(["build", str(folder), "--no-cache"]) == 0
    capsys.readouterr()
    workbook = folder / "output" / "rcm-report.xlsx"
    assert main(["verify", str(workbook), str(folder), "--no-cache"]) == 0
    assert "verified: the same inputs, and the rebuild is identical byte for byte" in capsys.readouterr().out
    assert main(["verify", str(workbook), str(folder), "--exports", str(folder / "exports")]) == 2
    assert "give either a folder DIR or --exports and --reference, not both" in capsys.readouterr().err
    assert main(["verify", str(workbook)]) == 2
    assert "rcm-tables verify WORKBOOK.xlsx DIR" in capsys.readouterr().err


def test_a_workbook_built_while_the_cache_could_not_be_written_verifies(inputs, tmp_path):
    """The cache note is about the machine, not the inputs: it stays on the console, off the workbook."""
    import rcm_tables
    from rcm_tables.verify import verify as verify_workbook
    from rcm_tables.workbook import write_workbook

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    report = rcm_tables.load(inputs / "exports", inputs / "reference.xlsx", strict=False, cache=blocker)
    assert "cache-not-written" in {str(p.code) for p in report.problem_list}
    workbook = write_workbook(report, tmp_path / "report.xlsx")
    assert "cache-not-written" not in {c.value for ws in openpyxl.load_workbook(workbook) for row in ws.iter_rows()
                                       for c in row}
    verdict = verify_workbook(workbook, inputs / "exports", inputs / "reference.xlsx", cache=False)
    assert verdict.ok and verdict.identical, verdict


@pytest.mark.slow
def test_a_workbook_opened_and_saved_again_in_libreoffice_verifies(inputs, built, tmp_path, capsys):
    """LibreOffice rewrites every part (styles, strings, widths, its own cached values) and changes no meaning."""
    import os
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    saved = tmp_path / "saved"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(saved), str(built)], check=True, capture_output=True,
                   timeout=600)
    again = saved / built.name
    assert again.read_bytes() != built.read_bytes()
    assert verify(again, inputs / "exports", inputs / "reference.xlsx") == 0
    assert ("verified: the same inputs, and the rebuild holds the same values and formulas in every cell"
            in capsys.readouterr().out)
    # and a change made there is still found
    book = openpyxl.load_workbook(again)
    book["Table 3"]["A9"] = "Unit Coordinator (edited)"
    book.save(tmp_path / built.name)
    assert verify(tmp_path / built.name, inputs / "exports", inputs / "reference.xlsx") == 1
    assert "differs: Table 3!A9: 'Unit Coordinator (edited)' in the workbook" in capsys.readouterr().out


def _damaged(built: Path, target: Path, sheet: str, damage) -> Path:
    """``built`` with the XML of its sheet named ``sheet`` passed through ``damage`` (bytes -> bytes)."""
    import zipfile

    with zipfile.ZipFile(built) as source:
        workbook = source.read("xl/workbook.xml").decode()
        rels = source.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet name="{sheet}" sheetId="\d+" r:id="(rId\d+)"', workbook).group(1)
        part = "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels).group(1)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info.filename)
                out.writestr(info, damage(data) if info.filename == part else data)
    return target


@pytest.mark.parametrize("sheet, damage, said", [
    ("Cover", lambda xml: xml[: len(xml) // 2], "ParseError"),  # cut short: read as the Cover's rows are read
    ("Cover", lambda xml: re.sub(rb"<v>[0-9.]+</v>", b"<v>inf</v>", xml, count=1), "ValueError"),
    ("Sources", lambda xml: xml.replace(b"</row>", b"\x01</row>", 1), "ParseError"),
    ("Table 1", lambda xml: xml[: len(xml) // 2], "ParseError"),  # found when the cells are compared
])
def test_a_damaged_workbook_is_a_usage_error_that_says_what_the_reader_met(inputs, built, tmp_path, sheet, damage,
                                                                          said, capsys):
    """A sheet's XML damaged (a copy cut short, a bad number, a control character): an internal error before,
    raised as the read-only reader parsed the Cover's rows, or as the comparison loaded the workbook."""
    damaged = _damaged(built, tmp_path / built.name, sheet, damage)
    assert verify(damaged, inputs / "exports", inputs / "reference.xlsx") == 2
    err = capsys.readouterr().err
    assert f"cannot be read as a workbook ({said}" in err and "a damaged copy?" in err and "internal error" not in err


def test_a_cover_whose_as_of_date_lost_its_date_format_still_records_the_build(inputs, built, tmp_path, capsys):
    """A program that drops number formats leaves the as-of date as its serial number: still a date."""
    edited = tmp_path / built.name
    book = openpyxl.load_workbook(built)
    cover = book["Cover"]
    row = next(r for r in range(1, 40) if cover.cell(r, 1).value == "As of (named cell AsOf)")
    assert cover.cell(row, 2).value.date().isoformat() == "2012-10-31"
    cover.cell(row, 2).value = 41213  # 31 October 2012
    cover.cell(row, 2).number_format = "General"
    book.save(edited)
    # a date and its serial number are the same value (`verify._same`): the workbook verifies
    assert verify(edited, inputs / "exports", inputs / "reference.xlsx") == 0
    captured = capsys.readouterr()
    assert "differs:" not in captured.out and "does not record a build" not in captured.err
