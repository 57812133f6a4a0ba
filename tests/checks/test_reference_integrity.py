"""The reference workbook's integrity: what would give wrong figures is a located error, and one rejected row
does not cascade into false errors."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from tests.xlsx import row, write_export, write_reference

import rcm_tables
from rcm_tables.checks import run_reference_checks
from rcm_tables.reference import load_reference

YEARS = (2011, 2012, 2013)


def periods(**budgets):
    return [[str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), budgets.get(f"y{y}", 1000)] for y in YEARS]


def problems_of(path):
    ref, problems = load_reference(path)
    return problems + run_reference_checks(ref)


def test_a_budget_line_named_twice_in_a_period_is_an_error_naming_both_rows(tmp_path):
    """600 + 400 add up to the approved 1,000, so the total check alone would let it pass: both rows would take
    all of the line's expenses."""
    lines = [[str(y), "Staff", "Staff Expenses", 1000] for y in (2011, 2013)]
    lines += [["2012", "Staff", "Staff Expenses", 600], ["2012", "Staff", "Staff Expenses", 400]]
    path = write_reference(tmp_path / "r.xlsx", lines=lines, accounts=[[None, "710100", "Staff Expenses"]])
    [error] = [p for p in problems_of(path) if p.severity == "error"]
    assert (error.code, error.sheet, error.row, error.column) == ("budget-line-twice", "Budget Lines", 5, "Budget Line")
    assert "rows 4 and 5" in error.message and "2012" in error.message


def test_an_account_mapped_twice_for_a_period_is_an_error(tmp_path):
    accounts = [[None, "710100", "Staff Expenses"], [None, "760100", "Travel"], ["2012", "760100", "Travel"],
                ["2012", "760100", "Staff Expenses"], [None, "710100", "Travel"]]
    path = write_reference(tmp_path / "r.xlsx", accounts=accounts)
    errors = [(p.code, p.row) for p in problems_of(path) if p.severity == "error"]
    assert errors == [("account-mapped-twice", 5), ("account-mapped-twice", 6)]


def test_a_negative_approved_budget_is_an_error_in_dollars_and_does_not_cascade(tmp_path):
    path = write_reference(tmp_path / "r.xlsx", periods=periods(y2012=-282724))
    found = problems_of(path)
    [error] = [p for p in found if p.severity == "error"]
    assert (error.code, error.sheet, error.row, error.column) == ("invalid-value", "Periods", 3, "Approved Budget (USD)")
    assert error.value == "-282,724.00" and "negative" in error.message
    # its budget lines wait for it (one note), no "not in the Periods sheet", no gap between 2011 and 2013
    [note] = [p for p in found if p.code == "depends-on-rejected"]
    assert (note.sheet, note.row, note.severity) == ("Budget Lines", 4, "note") and "2 row(s)" in note.message
    assert not [p for p in found if p.code in ("unknown-period", "period-gap", "budget-lines-total")]


def test_a_period_label_typed_twice_does_not_cascade(tmp_path):
    rows = periods()
    rows[2][0] = "2012"  # 2013's row says 2012
    found = problems_of(write_reference(tmp_path / "r.xlsx", periods=rows))
    errors = [(p.code, p.row) for p in found if p.severity == "error"]
    assert errors == [("invalid-value", 3), ("invalid-value", 4)]  # both rows named 2012
    assert all("more than once" in p.message for p in found if p.severity == "error")


def test_a_name_in_nfd_matches_the_same_alias_in_nfc(tmp_path):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx", partners=[["Canada", "member", ""], ["Mexico", "member", "México"]])
    decomposed = unicodedata.normalize("NFD", "México")
    assert decomposed != "México"
    write_export(tmp_path / "exports" / "e.xlsx", [row(doc="D1", partner=decomposed, usd=400)])
    report = rcm_tables.load(tmp_path / "exports", tmp_path / "reference.xlsx")
    assert report.ledger_cents["partner"].tolist() == ["Mexico"]


@pytest.mark.parametrize("as_written", ["  Panamá ", unicodedata.normalize("NFD", "PANAMÁ")])
def test_unlisted_donor_names_are_cleaned_not_rejected(tmp_path, as_written):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx", partners=[["Canada", "member", ""], ["Mexico", "member", ""]])
    write_export(tmp_path / "exports" / "e.xlsx", [row(doc="D1", partner=as_written, account="400200", fund="RF")])
    report = rcm_tables.load(tmp_path / "exports", tmp_path / "reference.xlsx")
    [name] = report.ledger_cents["partner"].tolist()
    assert name == unicodedata.normalize("NFC", as_written.strip())
    assert not report.errors
    assert [(p.code, p.row) for p in report.problem_list if p.code == "donor-unlisted"] == [("donor-unlisted", 5)]


def test_a_name_longer_than_a_formula_can_match_is_an_error_where_it_is_typed(tmp_path):
    """The workbook's SUMIFS compare a criterion "="&name, which spreadsheet programs (Excel) refuse beyond 255
    characters: a 300-character budget line, country or donor would show #VALUE! after a recalculation."""
    long_line, long_country, long_donor = "Línea " + "x" * 300, "República " + "y" * 300, "Donor " + "z" * 300
    lines = [[str(y), "Staff", name, 1000] for y in YEARS for name in ["Staff Expenses" if y != 2012 else long_line]]
    accounts = [[None, "710100", "Staff Expenses"], ["2012", "710100", long_line]]
    scale = [["TS", "Canada", 60, 600], ["TS", long_country, 40, 400]]
    path = write_reference(tmp_path / "reference.xlsx", lines=lines, accounts=accounts, scale=scale)
    errors = [(p.code, p.sheet, p.row, p.column) for p in problems_of(path) if p.severity == "error"]
    assert errors == [("name-too-long", "Budget Lines", 3, "Budget Line"), ("name-too-long", "Scale", 3, "Country")]

    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx")
    write_export(tmp_path / "exports" / "e.xlsx", [row(doc="D1", account="400200", partner=long_donor, usd=10)])
    report = rcm_tables.load(tmp_path / "exports", tmp_path / "reference.xlsx", strict=False)
    [error] = report.errors
    assert (error.code, error.file, error.row, error.column) == ("name-too-long", "e.xlsx", 5, "Partner")
    assert "306 characters" in error.message


def test_a_fund_typed_in_lower_case_reads_as_the_exports_read_it(tmp_path):
    """The exports' Fund ' ts ' reads as TS; the Scale's was an error ('not one of the allowed values')."""
    scale = [["ts", "Canada", 60, 600], [" Ts ", "Mexico", 40, 400], ["rf", "Canada", 60, 60], ["Rf", "Mexico", 40, 40]]
    path = write_reference(tmp_path / "r.xlsx", scale=scale)
    assert [p for p in problems_of(path) if p.severity == "error"] == []
    ref, _ = load_reference(path)
    assert list(ref.scale["fund"]) == ["TS", "TS", "RF", "RF"]


def test_a_share_typed_as_an_excel_percentage_is_an_error_at_its_row_with_the_fix(tmp_path):
    """Mexico's 24 % typed as 0.24 (formatted 24 % in Excel): 76 + 0.24 = 76.24 %, but read as 24 it is 100 %."""
    scale = [["TS", "Canada", 76, 760], ["TS", "Mexico", 0.24, 240], ["RF", "Canada", 60, 60],
             ["RF", "Mexico", 40, 40]]
    path = write_reference(tmp_path / "r.xlsx", scale=scale)
    found = problems_of(path)
    [error] = [p for p in found if p.severity == "error"]
    assert (error.code, error.sheet, error.row, error.column, error.value) == (
        "scale-share-percent", "Scale", 3, "Share (%)", "0.24")
    assert "type 24 in the cell" in error.hint
    assert not [p for p in found if p.code == "scale-shares"]  # the one cause, not its consequence


def test_a_scale_whose_whole_column_is_typed_as_excel_percentages_is_an_error_at_each_row(tmp_path):
    """The published 2012 TS scale adds up to 100.01 %; typed as Excel percentages (1.77 % is kept as 0.0177) it
    added up to 1.0001, which the check missed: only the warning "add up to 1.00 %, not 100 %" was left, and
    Annex 1 printed 0.02 for Belize's 1.77 %."""
    shares = [("Belize", 1.77), ("Canada", 24.0), ("Mexico", 24.0), ("Panama", 25.12), ("Peru", 25.12)]
    assert round(sum(s for _c, s in shares), 2) == 100.01
    scale = [["TS", country, share / 100, 1000] for country, share in shares] + [["RF", "Canada", 60, 60],
                                                                                ["RF", "Mexico", 40, 40]]
    found = problems_of(write_reference(tmp_path / "r.xlsx", scale=scale))
    errors = [p for p in found if p.severity == "error"]
    assert [(p.code, p.row, p.value) for p in errors] == [
        ("scale-share-percent", row, f"{share / 100:g}") for row, (_c, share) in enumerate(shares, start=2)]
    assert "type 1.77 in the cell" in errors[0].hint
    assert not [p for p in found if p.code == "scale-shares"]


def test_a_scale_that_adds_up_with_a_tiny_share_is_not_read_as_percentages(tmp_path):
    """A member's share below 1 % in a scale that adds up as typed is a share, not an Excel percentage."""
    scale = [["TS", "Canada", 59.6, 600], ["TS", "Mexico", 40.0, 400], ["TS", "Belize", 0.4, 4],
             ["RF", "Canada", 60, 60], ["RF", "Mexico", 39.996, 40], ["RF", "Belize", 0.004, 1]]
    found = problems_of(write_reference(tmp_path / "r.xlsx", scale=scale))
    assert [p for p in found if p.code.startswith("scale")] == []


def test_a_scale_that_is_simply_off_stays_a_warning(tmp_path):
    scale = [["TS", "Canada", 60, 600], ["TS", "Mexico", 40.01, 400], ["RF", "Canada", 60, 60],
             ["RF", "Mexico", 40, 40]]
    found = problems_of(write_reference(tmp_path / "r.xlsx", scale=scale))
    assert [(p.code, p.severity) for p in found if p.code.startswith("scale")] == [("scale-shares", "warning")]


def test_a_formula_with_no_saved_value_is_said_to_be_one_and_does_not_cascade(tmp_path):
    """A reference workbook written by a program (never saved by Excel): the formula in Approved Budget (USD) has
    no stored result. It was called "empty", and cascaded into "the as-of date falls in no period"."""
    from openpyxl import load_workbook

    path = write_reference(tmp_path / "reference.xlsx")
    book = load_workbook(path)
    book["Periods"]["D3"] = "=500+500"  # openpyxl stores the formula, no result
    book.save(path)
    (tmp_path / "exports").mkdir()
    write_export(tmp_path / "exports" / "e.xlsx", [row(doc="1", date=dt.date(2012, 3, 1))])
    report = rcm_tables.load(tmp_path / "exports", path, strict=False)
    [error] = [p for p in report.problem_list if p.severity == "error"]
    assert (error.code, error.sheet, error.row, error.column) == ("invalid-value", "Periods", 3, "Approved Budget (USD)")
    assert "formula (=500+500) with no saved value" in error.message and "save it" in error.hint
    assert not [p for p in report.problem_list if p.code == "as-of-outside"]
