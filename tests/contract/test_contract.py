"""Inputs that follow ../shared/spec/inputs.md alone (no Partners, Opening Balances or other optional sheet of
ours) build, and give the figures worked out by hand below.

The scenario (tests/contract/make_fixtures.py writes it): periods 2011-2013 of 100,000 each, lines Staff
Expenses 60,000 and Travel 40,000; members Canada (60 %) and Mexico (40 %); a donor to the Return Fund
(European Union, 400200, in EUR) and one to the Secretariat (Norway, 400200) that the reference does not list;
a late payment, a bank charge without partner, a re-run copy, and a payment in advance for 2013. As of
2012-10-31.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import rcm_tables

INPUTS = Path(__file__).resolve().parent / "inputs"
AS_OF = "2012-10-31"

# Worked out by hand from the lines in make_fixtures.py (US dollars)
TABLE1 = {  # period: approved, received, pending, pending accumulated, costs, net, accumulated balance
    "2011": (100000, 60000 + 30000 + 10000, 0, 0, 24000 + 12345.67, 100000 - 36345.67, 63654.33),
    "2012": (100000, 60000 + 20000 + 1500 - 25, 18525, 18525, 30000 + 8000.50 + 1200, 81475 - 39200.50,
             63654.33 + 42274.50),
}
TABLE2 = {"Staff Expenses": (60000, 30000, 30000), "Travel": (40000, 8000.50 + 1200, 40000 - 9200.50)}
TABLE4 = {  # (country, period): assessed, received, pending
    ("Canada", "2011"): (60000, 60000, 0), ("Canada", "2012"): (60000, 60000, 0),
    ("Mexico", "2011"): (40000, 40000, 0), ("Mexico", "2012"): (40000, 20000, 20000),
    ("Norway", "2011"): (0, 0, 0), ("Norway", "2012"): (0, 1500, -1500),
    ("(no partner: adjustments)", "2011"): (0, 0, 0), ("(no partner: adjustments)", "2012"): (0, -25, 25),
}
TABLE5 = {("Canada", "2011"): 5000, ("Canada", "2012"): 0, ("Mexico", "2011"): 0, ("Mexico", "2012"): 0,
          ("European Union", "2011"): 10000, ("European Union", "2012"): 0}


def cents(dollars: float) -> int:
    return round(dollars * 100)


@pytest.fixture(scope="module")
def report():
    return rcm_tables.load(INPUTS / "exports", INPUTS / "reference.xlsx", as_of=AS_OF)


def test_the_fixtures_hold_no_optional_sheet():
    import openpyxl

    sheets = openpyxl.load_workbook(INPUTS / "reference.xlsx", read_only=True).sheetnames
    assert sheets == ["Periods", "Budget Lines", "Accounts", "Scale"]


def test_the_fixtures_are_what_the_script_writes(tmp_path, monkeypatch):
    from tests.contract import make_fixtures

    monkeypatch.setattr(make_fixtures, "OUT", tmp_path)
    make_fixtures.main()
    for path in INPUTS.rglob("*.xlsx"):
        assert (tmp_path / path.relative_to(INPUTS)).read_bytes() == path.read_bytes(), path.name


def test_tables_1_and_2_equal_the_hand_worked_figures(report):
    t1 = report.table("table1", cents=True).set_index("period")
    assert list(t1.index) == list(TABLE1)
    for period, figures in TABLE1.items():
        assert tuple(t1.loc[period].iloc[:7]) == tuple(cents(x) for x in figures), period
    t2 = report.table("table2", cents=True).set_index("budget_line")
    assert {k: tuple(v) for k, v in t2.iterrows()} == {k: tuple(cents(x) for x in v) for k, v in TABLE2.items()}
    summary = report.table("table2_summary", cents=True).set_index("item")["amount"].to_dict()
    assert summary == {"approved_budget": cents(100000), "contributions_received": cents(81475),
                       "contributions_pending": cents(18525), "total_expenses": cents(39200.50),
                       "balance": cents(42274.50)}


def test_tables_3_4_5_and_annex_equal_the_hand_worked_figures(report):
    t3 = report.table("table3", cents=True)
    assert t3.values.tolist() == [["Staff", "Staff Expenses", cents(60000)],
                                  ["Operational Expenses", "Travel", cents(40000)]]
    t4 = report.table("table4", cents=True).set_index(["country", "period"])
    assert {k: (v.assessed, v.received, v.pending) for k, v in t4.iterrows()} == {
        k: tuple(cents(x) for x in v) for k, v in TABLE4.items()}
    assert t4.loc[("Mexico", "2011"), "receipt_dates"] == "2011-06-01;2012-03-01"  # the late payment counts for 2011
    t5 = report.table("table5", cents=True).set_index(["country", "period"])["received"].to_dict()
    assert t5 == {k: cents(v) for k, v in TABLE5.items()}
    assert report.table("annex1", cents=True).values.tolist() == [["Canada", 60.0, cents(60000)], ["Mexico", 40.0, cents(40000)]]


def test_a_payment_in_advance_is_listed_under_table_4(report, tmp_path):
    import openpyxl

    advance = report.table("table4_advance", cents=True)
    assert advance.assign(received_on=advance["received_on"].dt.date.astype(str)).values.tolist() == [
        ["Mexico", "2013", cents(40000), "2012-10-15"]]
    book = openpyxl.load_workbook(rcm_tables.write_workbook(report, tmp_path / "c.xlsx"))
    ws = book["Table 4"]
    texts = {c.value: c for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    title = texts["Received in advance, for periods after 2012"]
    mexico = ws.cell(title.row + 2, 1)
    assert (mexico.value, ws.cell(mexico.row, 2).value) == ("Mexico", "2013")
    assert ws.cell(mexico.row, 3).value.startswith("=SUMIFS(Ledger_USD")
    assert ws.cell(mexico.row, 4).value == "$40,000.00 (15/10/2012)"


def test_unlisted_donors_are_notes_not_errors(report):
    donors = {p.value: p.code for p in report.problem_list if p.code == "donor-unlisted"}
    assert donors == {"European Union": "donor-unlisted", "Norway": "donor-unlisted"}
    assert not report.errors


def test_an_unknown_member_contribution_is_still_an_error(tmp_path):
    """400100 is the members' account: a partner there must be known (a typo would hide a member's payment)."""
    import shutil

    from tests.contract import make_fixtures

    shutil.copytree(INPUTS, tmp_path / "inputs")
    rows = [make_fixtures.line("1900000099", pd.Timestamp("2012-06-01").date(), "DZ", "TS", "400100", "Mexic",
                               "2012", 5)]
    make_fixtures.write_export(tmp_path / "inputs" / "exports" / "typo.xlsx", rows)
    report = rcm_tables.load(tmp_path / "inputs" / "exports", tmp_path / "inputs" / "reference.xlsx", as_of=AS_OF,
                             strict=False)
    [error] = report.errors
    assert (error.code, error.file, error.row, error.value) == ("unknown-partner", "typo.xlsx", 5, "Mexic")
    assert "'Mexico'" in error.hint


def test_the_command_line_builds_them(tmp_path):
    done = subprocess.run([sys.executable, "-m", "rcm_tables", "build", "--exports", str(INPUTS / "exports"),
                           "--reference", str(INPUTS / "reference.xlsx"), "--as-of", AS_OF,
                           "--out", str(tmp_path / "out.xlsx"), "--csv", str(tmp_path / "csv"), "--no-cache"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    table1 = pd.read_csv(tmp_path / "csv" / "table1.csv", dtype={"period": str})
    assert table1["accumulated_balance_usd"].tolist() == [63654.33, 105928.83]  # the CSV says the unit
