"""`rcm-tables init`: the folder it writes, the reference workbook's figures against the published report cell by
cell, and how the workbook guides its keeper (input messages, data validation, instructions; LibreOffice opens it).
What validate and build make of the folder: tests/test_init_validate.py."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests import golden_checks as golden
from tests.initfolder import make_folder, sheet_rows

from rcm_tables import schemas as S
from rcm_tables.cli import main
from rcm_tables.init.workbook import FIRST_DATA, HEADER_ROW

RF_COUNTRIES = 11


def pub(name: str) -> pd.DataFrame:
    return golden.pub(name)


def dollars(value) -> float:
    return round(float(value), 2)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("init") / "RCM")


# ------------------------------------------------------------------ the folder


def test_init_writes_the_three_items(folder):
    assert sorted(p.name for p in folder.iterdir()) == ["README.txt", "exports", "reference.xlsx"]
    assert list((folder / "exports").iterdir()) == []
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert f"rcm-tables validate {folder.resolve()}\n" in readme and f"rcm-tables build {folder.resolve()} " in readme
    assert [line[:2] for line in readme.splitlines() if line[:1].isdigit()] == ["1.", "2.", "3.", "4.", "5."]
    names = openpyxl.load_workbook(folder / "reference.xlsx").sheetnames
    assert names == ["Instructions", *S.REFERENCE_SHEETS]


def test_a_second_init_exits_2_and_changes_nothing(folder, capsys):
    (folder / "exports" / "mine.txt").write_text("keep")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert main(["init", str(folder)]) == 2
    assert "--force" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    (folder / "exports" / "mine.txt").unlink()


def test_init_into_the_exports_folder_of_an_init_folder_exits_2_and_changes_nothing(folder, capsys):
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    for extra in ([], ["--force"]):
        assert main(["init", str(folder / "exports"), *extra]) == 2
        assert "is the exports folder of" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert list((folder / "exports").iterdir()) == []


def test_force_replaces_our_files_and_touches_nothing_else(tmp_path):
    assert main(["init", str(tmp_path)]) == 0
    (tmp_path / "exports" / "IOM_2013-01.xlsx").write_bytes(b"an export")
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "README.txt").write_text("old")
    assert main(["init", str(tmp_path), "--force", "--blank"]) == 0
    assert (tmp_path / "exports" / "IOM_2013-01.xlsx").read_bytes() == b"an export"
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert "rcm-tables build" in (tmp_path / "README.txt").read_text()
    assert sheet_rows(tmp_path / "reference.xlsx", S.PERIODS_SHEET) == []


@pytest.mark.parametrize("argv, says", [
    (["--exports-from", "2013"], "from 2005 to 2012"),
    (["--exports-from", "2013"], "Next step: for exports that start in 2013, run init with --blank and type each "
                                 "earlier period's totals into the Opening Balances sheet"),  # every refusal: the way on
    (["--blank", "--exports-from", "2008"], "--blank"),
])
def test_bad_options_exit_2(tmp_path, capsys, argv, says):
    assert main(["init", str(tmp_path / "new"), *argv]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("argv, says", [
    (["validate", "{d}"], "no exports and no reference.xlsx"),
    (["build", "{d}"], "no exports and no reference.xlsx"),
    (["validate", "{d}/missing"], "does not exist"),
    (["build", "{d}", "--exports", "{d}"], "not both"),
])
def test_a_folder_not_laid_out_by_init_exits_2(tmp_path, capsys, argv, says):
    assert main([a.replace("{d}", str(tmp_path)) for a in argv]) == 2
    assert says in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_exits_2(tmp_path, capsys):
    (tmp_path / "exports").write_text("a file")
    assert main(["init", str(tmp_path)]) == 2
    assert "exports" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]


# ------------------------------------------------------------------ the figures, cell by cell


def test_periods_are_table1_and_table3(folder):
    rows = sheet_rows(folder / "reference.xlsx", S.PERIODS_SHEET)
    table1 = pub("table1_budget_history.csv")
    want = [(r.budget_year, dollars(r.approved_budget)) for r in table1.itertuples()]
    want.append(("2013", sum(dollars(v) for v in pub("table3_approved_budget_2013.csv")["amount"])))
    assert [(r["Period"], r["Approved Budget (USD)"]) for r in rows] == want
    assert (rows[0]["Start"], rows[0]["End"]) == (dt.datetime(2003, 7, 1), dt.datetime(2004, 12, 31))
    for r in rows[1:]:
        year = int(r["Period"])
        assert (r["Start"], r["End"]) == (dt.datetime(year, 1, 1), dt.datetime(year, 12, 31))


def test_budget_lines_are_table2_and_table3(folder):
    rows = sheet_rows(folder / "reference.xlsx", S.BUDGET_LINES_SHEET)
    t2 = pub("table2_budget_execution_2012.csv")
    t3 = pub("table3_approved_budget_2013.csv")
    want = [("2012", None, r.budget_line, dollars(r.approved_budget)) for r in t2.itertuples()]
    want += [("2013", r.section, r.budget_line, dollars(r.amount)) for r in t3.itertuples()]
    assert [(r["Period"], r["Section"], r["Budget Line"], r["Approved (USD)"]) for r in rows] == want


def test_scale_is_annex1_and_table5(folder):
    rows = sheet_rows(folder / "reference.xlsx", S.SCALE_SHEET)
    annex = pub("annex1_scale_ts.csv")
    t5 = pub("table5_return_fund.csv").iloc[:RF_COUNTRIES]  # the members; then the European Union and TOTAL
    want = [("TS", r.country, dollars(r.percentage), dollars(r.contribution_usd)) for r in annex.itertuples()]
    want += [("RF", r.country, dollars(r.percentage), dollars(r.assessed_usd)) for r in t5.itertuples()]
    assert [(r["Fund"], r["Country"], r["Share (%)"], r["Assessed (USD)"]) for r in rows] == want


@pytest.mark.parametrize("exports_from", [2007, 2012])
def test_opening_balances_are_table1_before_the_exports(tmp_path, exports_from):
    assert main(["init", str(tmp_path), "--exports-from", str(exports_from)]) == 0
    rows = sheet_rows(tmp_path / "reference.xlsx", S.OPENING_SHEET)
    table1 = pub("table1_budget_history.csv")
    before = table1.loc[[y[:4] < str(exports_from) and y[-4:] < str(exports_from) for y in table1["budget_year"]]]
    want = [(r.budget_year, dt.datetime(2012, 10, 31), dollars(r.contributions_received), dollars(r.operating_costs))
            for r in before.itertuples()]
    assert [tuple(r.values()) for r in rows] == want
    assert len(want) == {2007: 3, 2012: 8}[exports_from]


def test_partners_are_the_members_and_the_european_union(folder):
    rows = sheet_rows(folder / "reference.xlsx", S.PARTNERS_SHEET)
    members = list(pub("annex1_scale_ts.csv")["country"])
    assert [(r["Partner"], r["Kind"]) for r in rows] == [(c, "member") for c in members] + [
        ("European Union", "donor")]
    assert "European Union" in list(pub("table5_return_fund.csv")["country"])


def test_the_secretariats_sheets_are_empty(folder):
    for sheet in (S.ACCOUNTS_SHEET, S.NOTES_SHEET, S.PAYMENT_SHEET, S.COLUMN_ALIASES_SHEET):
        assert sheet_rows(folder / "reference.xlsx", sheet) == [], sheet
        ws = openpyxl.load_workbook(folder / "reference.xlsx")[sheet]
        assert ws.cell(3, 1).value.startswith("Empty"), sheet  # the instruction row, above the header


def test_the_reader_reads_the_prefilled_figures(folder):
    from rcm_tables.reference import load_reference

    ref, problems = load_reference(folder / "reference.xlsx")
    assert [p for p in problems if p.severity == "error"] == []
    assert ref.period_labels == [f"{y}" for y in ["2003-2004", *range(2005, 2014)]]
    assert ref.approved_budget("2013") == 28272400
    assert ref.rows_read[S.ACCOUNTS_SHEET] == 0 and ref.rows_read[S.NOTES_SHEET] == 0


# ------------------------------------------------------------------ guiding the keeper


def validations(ws) -> dict[str, list]:
    """Header text -> [(cell range, validation)] of the validations in its column (openpyxl reads them back)."""
    header = {c.column_letter: c.value for c in ws[HEADER_ROW + 1] if c.value}
    found: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            letter = cells.coord.split(":")[0].rstrip("0123456789")
            found.setdefault(header[letter], []).append((cells, dv))
    return found


def rule_at(ws, header: str, row: int):
    """The validation of ``header``'s column whose range starts on ``row`` (1-based), and its range."""
    return next((dv, cells) for cells, dv in validations(ws)[header] if cells.min_row == row)


def test_every_header_cell_says_what_its_column_means(folder):
    book = openpyxl.load_workbook(folder / "reference.xlsx")
    for sheet, (model, headers, _required) in S.REFERENCE_SHEETS.items():
        ws = book[sheet]
        assert ws.freeze_panes == f"A{FIRST_DATA + 1}", sheet
        for column, header in headers.items():
            head, cells = rule_at(ws, header, HEADER_ROW + 1)
            assert head.promptTitle == header and head.prompt == S.description(model, column)
            assert head.showInputMessage and cells.max_row == HEADER_ROW + 1
            data, _cells = rule_at(ws, header, FIRST_DATA + 1)
            assert data.prompt == head.prompt  # the data cells show it too
            assert 12 <= ws.column_dimensions[cells.coord[0]].width <= 61


@pytest.mark.parametrize("sheet, header, kind, formula", [
    (S.SCALE_SHEET, "Fund", "list", '"TS,RF"'),
    (S.PARTNERS_SHEET, "Kind", "list", '"member,donor"'),
    (S.PERIODS_SHEET, "Start", "date", None),
    (S.PERIODS_SHEET, "End", "date", None),
    (S.OPENING_SHEET, "As Of", "date", None),
    (S.PERIODS_SHEET, "Approved Budget (USD)", "decimal", "0"),
    (S.BUDGET_LINES_SHEET, "Approved (USD)", "decimal", "0"),
    (S.SCALE_SHEET, "Assessed (USD)", "decimal", "0"),
    (S.SCALE_SHEET, "Share (%)", "decimal", "0"),
    (S.OPENING_SHEET, "Contributions Received (USD)", "decimal", "-1000000000"),
    (S.ACCOUNTS_SHEET, "G/L Account", "whole", "100000"),
    (S.BUDGET_LINES_SHEET, "Period", "list", "PeriodLabels"),
    (S.ACCOUNTS_SHEET, "Period", "list", "PeriodLabels"),
    (S.OPENING_SHEET, "Period", "list", "PeriodLabels"),
    (S.ACCOUNTS_SHEET, "Budget Line", "list", "BudgetLineNames"),
])
def test_data_validation_where_the_contract_has_a_set_or_a_form(folder, sheet, header, kind, formula):
    book = openpyxl.load_workbook(folder / "reference.xlsx")
    rule, cells = rule_at(book[sheet], header, FIRST_DATA + 1)
    assert rule.type == kind and rule.showErrorMessage and rule.error
    if formula is not None:
        assert rule.formula1 == formula
    assert cells.max_row == FIRST_DATA + 5000


def test_the_list_names_cover_the_periods_and_the_budget_lines(folder):
    names = openpyxl.load_workbook(folder / "reference.xlsx").defined_names
    assert names["PeriodLabels"].attr_text == "'Periods'!$A$5:$A$5004"
    assert names["BudgetLineNames"].attr_text == "'Budget Lines'!$C$5:$C$5004"


def test_the_instructions_sheet_comes_first_and_lists_every_sheet(folder):
    ws = openpyxl.load_workbook(folder / "reference.xlsx")["Instructions"]
    text = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    for sheet in S.REFERENCE_SHEETS:
        assert sheet in text
    assert any("rcm-tables validate" in t for t in text) and any("never reads them" in t for t in text)


@pytest.mark.slow
@pytest.mark.xdist_group("libreoffice")  # one worker, one profile for every LibreOffice test (conftest.lo_profile)
def test_libreoffice_opens_the_workbook(folder, tmp_path, lo_profile):
    """soffice converts it to PDF headless (a private profile); in CI a missing LibreOffice fails (convert.py)."""
    from tests.convert import soffice

    done = subprocess.run([soffice(), f"-env:UserInstallation={lo_profile.as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(folder / "reference.xlsx")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "reference.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert "error" not in done.stderr.lower()
