"""Bad input gets one located report of every problem, exit code 1, and nothing written or changed.

Each case runs the real command (`rcm-tables validate` / `build`) on files written here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from tests.measured import run_cli
from tests.xlsx import HEADER, row, write_export, write_reference

from rcm_tables.cli import main


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx")
    return tmp_path


def validate(folder: Path, capsys, *extra) -> tuple[int, str]:
    code = main(["validate", "--exports", str(folder / "exports"), "--reference", str(folder / "reference.xlsx"),
                 *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


def problems_csv(folder: Path, capsys, *extra) -> tuple[int, list[dict]]:
    """Run validate with --report and return the exit code and the problems as CSV rows."""
    import csv

    target = folder / "problems.csv"
    code, _ = validate(folder, capsys, "--report", str(target), *extra)
    assert target.read_bytes().startswith(b"\xef\xbb\xbfseverity,code,")  # a BOM: Excel reads it as UTF-8
    with open(target, newline="", encoding="utf-8-sig") as fh:
        return code, list(csv.DictReader(fh))


def good(folder: Path, name="good.xlsx") -> Path:
    return write_export(folder / "exports" / name, [row(doc="G1")])


# ------------------------------------------------------------------ wrong or broken files


def test_not_a_workbook(inputs, capsys):
    good(inputs)
    (inputs / "exports" / "notes.xlsx").write_text("this is not a spreadsheet")
    code, out = validate(inputs, capsys)
    assert code == 1
    assert "notes.xlsx" in out and "not an .xlsx workbook" in out


def test_corrupt_zip(inputs, capsys):
    data = good(inputs).read_bytes()
    (inputs / "exports" / "cut.xlsx").write_bytes(data[: len(data) // 2])
    code, out = validate(inputs, capsys)
    assert code == 1 and "cut.xlsx" in out and "corrupt .xlsx" in out


def test_password_protected_workbook(inputs, capsys):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_export(inputs / "plain.xlsx", [row()])
    with open(plain, "rb") as fh, open(inputs / "exports" / "locked.xlsx", "wb") as out:
        OOXMLFile(fh).encrypt("secret", out)
    code, out = validate(inputs, capsys)
    assert code == 1 and "locked.xlsx" in out and "password-protected" in out


@pytest.mark.parametrize("name", ["march.numbers", "march.tsv"])
def test_a_spreadsheet_rcm_tables_cannot_read_is_an_error(inputs, capsys, name):
    good(inputs)
    (inputs / "exports" / name).write_bytes(b"Document No.\tItem\n1\t1\n")
    code, out = validate(inputs, capsys)
    assert code == 1 and name in out and "save it as an" in out and "Excel workbook" in out


def test_a_text_file_named_xls_is_not_read_as_one(inputs, capsys):
    good(inputs)
    (inputs / "exports" / "march.xls").write_bytes(b"Document No.,Item\n1,1\n")
    code, out = validate(inputs, capsys)
    assert code == 1 and "march.xls" in out and "not an .xls workbook" in out


def test_hidden_and_system_files_are_skipped_without_a_word(inputs, capsys):
    good(inputs)
    _, before = validate(inputs, capsys)
    for name in ("~$good.xlsx", "desktop.ini", "Thumbs.db", ".DS_Store", "._good.xlsx"):
        (inputs / "exports" / name).write_bytes(b"\x00junk")
    (inputs / "exports" / ".git").mkdir()
    code, out = validate(inputs, capsys)
    assert code == 0 and out == before  # no note, not even a line more
    (inputs / "exports" / "notes.txt").write_text("a stray file is still noted")
    code, out = validate(inputs, capsys)
    assert code == 0 and "notes.txt" in out and "not an export" in out


def test_a_damaged_old_xls_renamed_to_xlsx(inputs, capsys):
    # an intact one is read by its content (tests/inputs/test_formats.py)
    good(inputs)
    (inputs / "exports" / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    code, out = validate(inputs, capsys)
    assert code == 1 and "old.xlsx" in out and "corrupt .xls workbook" in out


# ------------------------------------------------------------------ headers, sheets and folders


def test_missing_or_renamed_column(inputs, capsys):
    header = ["Posting date " if h == "Posting Date" else h for h in HEADER]  # fine: case and spaces
    header = ["Partner Name" if h == "Partner" else h for h in header]  # optional column renamed: kept as extra
    header = ["USD Amount" if h == "Amount (USD)" else h for h in header]
    write_export(inputs / "exports" / "e.xlsx", [row()], header=header)
    code, problems = problems_csv(inputs, capsys)
    assert code == 1
    [p] = [p for p in problems if p["severity"] == "error"]
    assert (p["file"], p["sheet"], p["row"], p["column"]) == ("e.xlsx", "Line Items", "4", "Amount (USD)")
    assert p["message"] == "required column 'Amount (USD)' is missing"
    assert p["hint"] == "a column 'usd amount' is there: rename it 'Amount (USD)'"


def test_header_row_not_found(inputs, capsys):
    write_export(inputs / "exports" / "e.xlsx", [row()], header=[h.replace("Document No.", "Doc #") for h in HEADER])
    code, out = validate(inputs, capsys)
    assert code == 1 and "e.xlsx" in out and "no header row with 'Document No.' and 'Posting Date'" in out


def test_empty_sheet(inputs, capsys):
    good(inputs)
    wb = openpyxl.Workbook()
    wb.active.title = "Line Items"
    wb.save(inputs / "exports" / "empty.xlsx")
    code, out = validate(inputs, capsys)
    assert code == 1 and "empty.xlsx" in out and "the sheet is empty" in out


def test_empty_folder(inputs, capsys):
    code, out = validate(inputs, capsys)
    assert code == 1 and "no exports in the folder" in out


def test_hidden_sheets(inputs, capsys):
    path = good(inputs)
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Document No."
    notes.sheet_state = "hidden"
    wb.save(path)
    code, out = validate(inputs, capsys)
    assert code == 0 and "hidden sheet 'Notes' is not read" in out


def test_hidden_line_items_sheet_is_read_with_a_warning(inputs, capsys):
    path = good(inputs)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Summary")
    wb["Line Items"].sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    code, out = validate(inputs, capsys)
    assert code == 0 and "'Line Items' is hidden; it is read" in out


def test_merged_cells_in_the_title_block(inputs, capsys):
    path = write_export(inputs / "exports" / "m.xlsx", [row(doc="M1", usd=600)])
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("A1:L1")
    wb.active.merge_cells("A2:F3")
    wb.save(path)
    code, out = validate(inputs, capsys)
    assert code == 0 and "0 error(s)" in out


# ------------------------------------------------------------------ cell contents


def test_text_in_amount_impossible_date_and_bad_item_are_located(inputs, capsys):
    write_export(inputs / "exports" / "e.xlsx", [
        row(doc="1"), row(doc="2", usd="twelve", amount_doc=12), row(doc="3", date="30/02/2012"),
        row(doc="4", item=0), row(doc="5", item=-3), row(doc="6", usd=None, amount_doc=5)])
    code, out = validate(inputs, capsys, "--report", str(inputs / "problems.csv"))
    assert code == 1
    import csv

    with open(inputs / "problems.csv", newline="", encoding="utf-8-sig") as fh:
        found = {(r["file"], r["row"], r["column"], r["value"], r["message"]) for r in csv.DictReader(fh)
                 if r["severity"] == "error"}
    assert found == {
        ("e.xlsx", "6", "Amount (USD)", "twelve", "Amount (USD): amount is not a number"),
        ("e.xlsx", "7", "Posting Date", "30/02/2012", "Posting Date: impossible date"),
        ("e.xlsx", "8", "Item", "0", "Item: 0 is out of range (1 to 1,000,000,000)"),
        ("e.xlsx", "9", "Item", "-3", "Item: -3 is out of range (1 to 1,000,000,000)"),
        ("e.xlsx", "10", "Amount (USD)", "", "Amount (USD): amount is missing"),
    }


def test_a_three_decimal_currency_builds_and_a_third_decimal_in_usd_does_not(inputs):
    """KWD, JOD, OMR have three decimals: such a receipt is a valid line (its figure is Amount (USD)); its document
    amount, which cents cannot hold, is left out with a warning. A third decimal in Amount (USD) stays an error."""
    from rcm_tables.inputs.exports import read_export

    path = write_export(inputs / "exports" / "e.xlsx", [
        row(doc="K1", currency="KWD", amount_doc=152.125, usd=500.0, partner="Mexico"),
        row(doc="K2", currency="KWD", amount_doc="1,000.5", usd=3285.1),
        row(doc="U3", usd=10.005)])
    export = read_export(path)
    lines = export.lines.set_index("document_no")
    assert list(lines.index) == ["K1", "K2"] and export.rejected_rows == (7,)
    assert lines.loc["K1", "amount_usd"] == 50000 and pd.isna(lines.loc["K1", "amount_doc"])
    assert lines.loc["K2", "amount_usd"] == 328510 and lines.loc["K2", "amount_doc"] == 100050
    found = {(p.code, p.severity, p.row, p.column, p.value) for p in export.problems if p.severity != "note"}
    assert found == {("doc-amount-not-kept", "warning", 5, "Amount (Doc. Curr.)", "152.125"),
                     ("invalid-value", "error", 7, "Amount (USD)", "10.005")}
    path.unlink()
    write_export(path, [row(doc="K1", currency="KWD", amount_doc=152.125, usd=500.0, partner="Mexico")])
    out = inputs / "out" / "r.xlsx"
    assert main(["build", "--exports", str(inputs / "exports"), "--reference", str(inputs / "reference.xlsx"),
                 "--out", str(out), "--csv", str(inputs / "out" / "csv"), "--no-cache"]) == 0
    ledger = openpyxl.load_workbook(out, read_only=True)["Ledger"]
    cells = [[c.value for c in r] for r in ledger.iter_rows()]
    header = next(r for r in cells if "Amount (Doc. Curr.)" in r)
    line = next(r for r in cells if "K1" in r)
    assert line[header.index("Amount (USD)")] == 500 and line[header.index("Amount (Doc. Curr.)")] is None


def test_formula_cells_use_their_cached_values(inputs, capsys):
    path = inputs / "exports" / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Line Items")
    ws.write_row(0, 0, HEADER)
    values = row(doc="F1", usd=0)
    ws.write_row(1, 0, values[:10])
    ws.write_datetime(1, 2, dt.datetime(2012, 3, 1), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_formula(1, 9, "=600+0.5", None, 600.5)
    ws.write_formula(1, 10, "=J2", None, 600.5)
    ws.write_string(1, 11, "formula amounts")
    wb.close()
    import rcm_tables

    report = rcm_tables.load(inputs / "exports", inputs / "reference.xlsx")
    assert report.ledger_cents["amount_usd"].tolist() == [60050]
    code, out = validate(inputs, capsys)
    assert code == 0 and "│ f.xlsx" in out and "0 error(s)" in out


def test_text_that_looks_like_a_formula_stays_text(inputs, capsys):
    texts = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)"]
    write_export(inputs / "exports" / "t.xlsx", [row(doc=str(i), text=t) for i, t in enumerate(texts)])
    import rcm_tables

    report = rcm_tables.load(inputs / "exports", inputs / "reference.xlsx")
    assert sorted(report.ledger_cents["text"]) == sorted(texts)
    code, out = validate(inputs, capsys)
    assert code == 0 and "0 error(s)" in out  # text is data: nothing to complain about, nothing evaluated


def test_accented_and_spaced_names_resolve_through_aliases_or_fail_clearly(inputs, capsys):
    write_export(inputs / "exports" / "n.xlsx", [
        row(doc="1", partner="México"), row(doc="2", partner="Mexico "), row(doc="3", partner="  CANADA"),
        row(doc="4", partner="Canadá")])
    code, out = validate(inputs, capsys)
    assert code == 1
    assert "unknown partner 'Canadá'" in out and "did you mean 'Canada'" in out
    assert out.count("unknown partner") == 1


# ------------------------------------------------------------------ hostile files

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">
<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def _replace_part(src: Path, dest: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == part else zin.read(item.filename))
    return dest


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_bomb_is_refused_quickly_with_bounded_memory(inputs, part):
    src = write_export(inputs / "src.xlsx", [row()])
    _replace_part(src, inputs / "exports" / "bomb.xlsx", part, BOMB.encode())
    done = run_cli(["validate", "--exports", str(inputs / "exports"), "--reference", str(inputs / "reference.xlsx")],
                   timeout=120)
    assert done.returncode == 1, done.output
    assert "bomb.xlsx" in done.stdout and "DTD" in done.stdout
    assert done.seconds < 10
    assert done.peak_mb < 500  # the interpreter and pandas alone take ~200 MB; an expansion, gigabytes


def test_zip_bomb_is_refused(inputs, capsys):
    src = write_export(inputs / "src.xlsx", [row()])
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(inputs / "exports" / "zbomb.xlsx", "w",
                                                       zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        with zout.open("xl/padding.bin", "w", force_zip64=True) as pad:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MiB of zeros compress to ~300 KiB
                pad.write(chunk)
    code, out = validate(inputs, capsys)
    assert code == 1 and "zbomb.xlsx" in out and "zip bomb" in out


# ------------------------------------------------------------------ nothing lost, nothing changed


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_never_modifies_inputs_and_writes_nothing_on_errors(inputs, capsys):
    good(inputs)
    write_export(inputs / "exports" / "bad.xlsx", [row(doc="B1", partner="Narnia")])
    before = _hashes(inputs)
    out = inputs / "out" / "report.xlsx"
    code = main(["build", "--exports", str(inputs / "exports"), "--reference", str(inputs / "reference.xlsx"),
                 "--out", str(out), "--csv", str(inputs / "out" / "csv")])
    assert code == 1
    assert not (inputs / "out").exists()
    assert _hashes(inputs) == before
    (inputs / "exports" / "bad.xlsx").unlink()
    before = _hashes(inputs)
    code = main(["build", "--exports", str(inputs / "exports"), "--reference", str(inputs / "reference.xlsx"),
                 "--out", str(out)])
    assert code == 0 and out.exists()
    assert {k: v for k, v in _hashes(inputs).items() if k != "report.xlsx"} == before
    assert [p.name for p in out.parent.iterdir()] == ["report.xlsx"]  # no temporary file left behind


def test_sample_inputs_unchanged_by_a_build(tmp_path):
    from rcm_tables import paths

    before = _hashes(paths.SAMPLE_DIR)
    assert len(before) == 75  # 73 exports, the reference workbook and the activities register: an empty folder
    # would compare equal
    assert main(["build", "--out", str(tmp_path / "r.xlsx")]) == 0
    assert _hashes(paths.SAMPLE_DIR) == before


def test_rows_read_are_accounted_for_in_the_output(inputs, capsys):
    write_export(inputs / "exports" / "a.xlsx", [row(doc="1"), row(doc="2", usd="x", amount_doc=1)])
    shutil.copy(inputs / "exports" / "a.xlsx", inputs / "exports" / "b.xlsx")
    code, out = validate(inputs, capsys)
    assert code == 1
    lines = [ln for ln in out.splitlines() if ln.startswith("│ a.xlsx") or ln.startswith("│ b.xlsx")]
    cells = [[c.strip() for c in ln.strip("│ ").split("│")] for ln in lines]
    # a file whose rows were rejected is never marked "ok"
    assert cells == [["a.xlsx", "2", "1", "0", "1", "rejected"], ["b.xlsx", "2", "0", "1", "1", "rejected"]]


@pytest.mark.slow
def test_a_50_mb_export_is_read_whole_with_bounded_memory(inputs):
    """1.25 million lines in one 50 MB workbook: every line read, no crash, memory within a stated bound."""
    from tests.bigexport import write_big_export

    path = inputs / "exports" / "decade.xlsx"
    write_big_export(path, 1_250_000)
    assert path.stat().st_size >= 50 * 1000 * 1000
    done = run_cli(["validate", "--no-cache", "--exports", str(inputs / "exports"),
                    "--reference", str(inputs / "reference.xlsx")], timeout=900)
    assert done.returncode == 0, done.output[-3000:]
    row = next(ln for ln in done.stdout.splitlines() if ln.startswith("│ decade.xlsx"))
    assert [c.strip() for c in row.strip("│ ").split("│")] == ["decade.xlsx", "1250000", "1250000", "0", "0", "ok"]
    rss = done.peak_mb
    # about 1.5 KB per line while the sheet's cells are in memory (README, "Heavy files"); far from the 24 GB
    assert rss < 3000, rss


def test_a_broken_reference_workbook_is_reported_without_burying_it(inputs, capsys):
    good(inputs)
    wb = openpyxl.load_workbook(inputs / "reference.xlsx")
    del wb["Periods"]
    wb["Scale"]["C3"] = "sixty"
    wb.save(inputs / "reference.xlsx")
    code, problems = problems_csv(inputs, capsys)
    assert code == 1
    errors = {(p["sheet"], p["row"], p["message"]) for p in problems if p["severity"] == "error"}
    # the missing sheet is reported once, not again as "no periods" (no cascade)
    assert errors == {("", "", "the reference workbook has no sheet 'Periods'"),
                      ("Scale", "3", "Share (%): share is not a number")}
    assert any(p["code"] == "ledger-checks-skipped" for p in problems)


def test_names_that_differ_only_in_case_are_refused(inputs, capsys):
    # the workbook's SUMIFS and COUNTIFS ignore case: such twins would be summed together there
    good(inputs, "march.xlsx")
    write_export(inputs / "exports" / "MARCH.xlsx", [row(doc="G2")])
    write_reference(inputs / "reference.xlsx", lines=[
        r for y in (2011, 2012, 2013) for r in ([str(y), "Staff", "Staff Expenses", 600],
                                                [str(y), "Operational Expenses", "travel", 200],
                                                [str(y), "Operational Expenses", "Travel", 200])],
        accounts=[[None, "710100", "Staff Expenses"], [None, "760100", "Travel"]])
    code, problems = problems_csv(inputs, capsys)
    assert code == 1
    found = {(p["code"], p["file"], p["sheet"], p["row"]) for p in problems if p["severity"] == "error"}
    assert found == {("file-name-twin", "march.xlsx", "", ""),
                     ("name-case-twin", "reference.xlsx", "Budget Lines", "4"),
                     ("name-case-twin", "reference.xlsx", "Budget Lines", "7"),
                     ("name-case-twin", "reference.xlsx", "Budget Lines", "10")}


def test_a_text_longer_than_a_workbook_cell_is_a_warning_at_its_cell(inputs, capsys):
    """A .csv export can hold a Text of 40,000 characters; a workbook cell holds 32,767, and XlsxWriter cut it
    without a word."""
    header = "Document No.,Item,Posting Date,Doc. Type,Fund,G/L Account,Partner,Assignment,Currency," \
             "Amount (Doc. Curr.),Amount (USD),Text\n"
    body = f"1900000001,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,10.00,10.00,{'y' * 40000}\n"
    (inputs / "exports" / "2012-03.csv").write_text(header + body, encoding="utf-8")
    code, rows = problems_csv(inputs, capsys)
    [warning] = [r for r in rows if r["code"] == "cell-too-long"]
    assert (warning["severity"], warning["file"], warning["row"], warning["column"]) == ("warning", "2012-03.csv",
                                                                                       "2", "Text")
    assert "40,000 characters" in warning["message"] and "32,767" in warning["message"]


@pytest.mark.parametrize("damage", ["empty", "cut short"])
def test_a_damaged_reference_workbook_is_not_told_to_export_the_report_again(inputs, capsys, damage):
    """Pre-flight's hints speak of an export; for the Secretariat's own reference workbook that fix is wrong."""
    good(inputs)
    data = (inputs / "reference.xlsx").read_bytes()
    (inputs / "reference.xlsx").write_bytes(b"" if damage == "empty" else data[: len(data) // 2])
    code, problems = problems_csv(inputs, capsys)
    [error] = [p for p in problems if p["severity"] == "error"]
    assert code == 1 and error["file"] == "reference.xlsx"
    assert "export" not in error["hint"] and "reference workbook" in error["hint"]


def test_a_note_typed_among_the_lines_is_one_error_not_one_per_column(inputs):
    from rcm_tables.inputs.exports import read_export

    path = write_export(inputs / "exports" / "e.xlsx", [
        row(doc="A1"), [None] * 11 + ["Note: the following are accruals"], row(doc="A2", usd=5.0),
        [None, None, None, "KR", "TS", "710100", None, None, "USD", 12.5, "  ", None]])
    export = read_export(path)
    assert [(p.code, p.severity, p.row, p.value) for p in export.problems if p.severity != "note"] == [
        ("row-not-a-line", "error", 6, "Note: the following are accruals"), ("row-not-a-line", "error", 8, "KR")]
    assert export.rows_read == 4 and export.rejected_rows == (6, 8)
    assert export.lines["document_no"].tolist() == ["A1", "A2"]
