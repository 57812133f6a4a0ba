"""The as-of date clamps before the checks that concern the report (issue #26, item 1 and 7).

January's export in the folder of a report as of 31 December: its lines are read, kept and counted, never an
error, even when they fall in no period or pay a period the Periods sheet does not have yet."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.xlsx import row, write_export, write_reference

import rcm_tables
from rcm_tables.problems import InputError


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx")  # periods 2011, 2012, 2013
    write_export(tmp_path / "exports" / "2013-12.xlsx", [
        row(doc="1", date=dt.date(2013, 3, 1), assignment="2013", usd=600),
        row(doc="2", date=dt.date(2013, 11, 5), doc_type="KR", account="710100", partner="", assignment="",
            usd=250.40),
        row(doc="3", date=dt.date(2013, 12, 20), doc_type="KR", account="760100", partner="", assignment="",
            usd=99.60),
    ])
    write_export(tmp_path / "exports" / "2014-01.xlsx", [
        # an expense in a period the Periods sheet does not have yet, and a receipt for next year
        row(doc="4", date=dt.date(2014, 1, 14), doc_type="KR", account="710100", partner="", assignment="",
            usd=34740.00),
        row(doc="5", date=dt.date(2014, 1, 10), partner="Mexico", assignment="2014", usd=400),
    ])
    return tmp_path


def test_lines_after_the_as_of_date_are_counted_never_an_error(folder):
    report = rcm_tables.load(folder / "exports", folder / "reference.xlsx", as_of="2013-12-31")
    t1 = report.table("table1", cents=True).set_index("period")
    # by hand: received 600.00; operating costs 250.40 + 99.60 = 350.00
    assert t1.at["2013", "contributions_received"] == 60000
    assert t1.at["2013", "operating_costs"] == 35000
    [note] = [p for p in report.problem_list if p.code == "lines-after-as-of"]
    assert (note.severity, note.file, note.row, note.value) == ("note", "2014-01.xlsx", 5, "14/01/2014")
    assert note.message.startswith("2 line(s) posted after the as-of date 2013-12-31")
    assert not report.errors
    assert [(s.file, s.used, s.rejected) for s in report.source_counts] == [("2013-12.xlsx", 3, 0),
                                                                            ("2014-01.xlsx", 2, 0)]


def test_the_ledger_says_which_lines_the_report_uses(folder):
    report = rcm_tables.load(folder / "exports", folder / "reference.xlsx", as_of="2013-12-31")
    ledger = report.ledger
    assert len(ledger) == 5
    assert ledger.set_index("document_no")["in_report"].to_dict() == {
        "1": True, "2": True, "3": True, "4": False, "5": False}
    used = ledger.loc[ledger["in_report"] & (ledger["kind"] == "expense"), "amount_usd"].sum()
    assert str(used) == "350.00"  # Table 1's operating costs, not 35,090.00 with January's expense


def test_without_as_of_the_later_lines_are_checked(folder):
    """The default as-of date is the latest posting date: then the 2014 lines are the report's, and wrong."""
    with pytest.raises(InputError) as caught:
        rcm_tables.load(folder / "exports", folder / "reference.xlsx")
    codes = {(p.code, p.row) for p in caught.value.problems if p.severity == "error"}
    assert ("date-outside-periods", 5) in codes and ("assignment-unknown", 6) in codes


def test_a_period_brought_forward_shows_no_member_owing_it(tmp_path):
    """2011 comes from the Opening Balances (received 900.00 of 1,000.00, who paid is not known): Table 4's 2011
    cells show nobody owing it; 2012, from the exports, shows Mexico owing its 400.00."""
    from openpyxl import load_workbook

    from rcm_tables.document.statements import statements
    from rcm_tables.workbook import write_workbook

    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "reference.xlsx", opening=[["2011", "2011-12-31", 900, 800]])
    write_export(tmp_path / "exports" / "2012.xlsx", [row(doc="1", date=dt.date(2012, 5, 2), usd=600)])
    report = rcm_tables.load(tmp_path / "exports", tmp_path / "reference.xlsx", as_of="2012-12-31")
    t4 = report.table("table4", cents=True).set_index(["country", "period"])
    assert t4.loc[("Canada", "2011"), ["assessed", "received", "pending"]].tolist() == [60000, 0, 0]
    assert t4.loc[("Mexico", "2011"), ["assessed", "received", "pending"]].tolist() == [40000, 0, 0]
    assert t4.loc[("Mexico", "2012"), ["received", "pending"]].tolist() == [0, 40000]
    t1 = report.table("table1", cents=True).set_index("period")
    assert t1.at["2011", "contributions_received"] == 90000  # Table 1 shows it received, as brought forward
    owing = {s.country: s.outstanding_ts for s in statements(report)}
    assert owing == {"Canada": 0, "Mexico": 40000}
    book = write_workbook(report, tmp_path / "r.xlsx")
    sheet = load_workbook(book)["Table 4"]
    cells = {c.value for r in sheet.iter_rows() for c in r if isinstance(c.value, str)}
    assert "Brought forward" in cells
    checks = {c.value for r in load_workbook(book)["Checks"].iter_rows() for c in r if isinstance(c.value, str)}
    # Table 4 cannot add up to a period brought forward (who paid is not in the exports): no such check
    assert "Table 1's contributions received for 2012 equal Table 4's total for 2012" in checks
    assert not [c for c in checks if "for 2011 equal Table 4" in c]
