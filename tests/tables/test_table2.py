import datetime as dt

from fixtures import ledger, pay, reference, spend

from rcm_tables.tables import build_all, table2


def test_expenses_by_line_through_the_accounts_mapping_and_summary():
    ref = reference(accounts=[("", "710100", "Staff"), ("", "760100", "Travel"), ("", "760200", "Travel"),
                              ("2012", "760200", "Staff")])
    lines = [spend("2012-01-05", 100.10, "710100"), spend("2012-02-05", 50.05, "760100"),
             spend("2012-03-05", 20.00, "760200"),  # 2012-specific mapping wins: Staff
             spend("2011-03-05", 99.99, "760200"),  # other period: general mapping, and not in 2012
             spend("2012-04-05", -5.00, "760100", doc_type="AB"),
             pay("2012-05-01", 700.00, "A", "2012"), spend("2012-11-01", 1, "710100")]
    led = ledger(lines, ref)
    as_of = dt.date(2012, 10, 31)
    built = build_all(led, ref, as_of)
    t = built[table2.NAME].set_index("budget_line")
    assert t.loc["Staff", "expenses"] == 10010 + 2000
    assert t.loc["Travel", "expenses"] == 5005 - 500
    assert t.loc["Staff", "balance"] == 60000 - 12010
    s = built[table2.SUMMARY].set_index("item")["amount"]
    assert s["approved_budget"] == 100000
    assert s["contributions_received"] == 70000
    assert s["contributions_pending"] == 30000
    assert s["total_expenses"] == t["expenses"].sum() == 12010 + 4505
    assert s["balance"] == 70000 - 16515
