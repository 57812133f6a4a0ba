"""Table 1 rules on small inline ledgers: late and advance payments, overpayment, reversal, cut-off."""
import datetime as dt

from fixtures import ledger, pay, reference, spend

from rcm_tables.tables import build_all, table1


def rows(lines, as_of, **ref_kw):
    ref = reference(**ref_kw)
    t = build_all(ledger(lines, ref), ref, dt.date.fromisoformat(as_of))[table1.NAME]
    return {r["period"]: r for r in t.to_dict("records")}


def test_payment_for_an_old_period_counts_for_that_period():
    t = rows([pay("2012-03-01", 500, "A", "2010")], "2012-12-31")
    assert t["2010"]["contributions_received"] == 50000
    assert t["2012"]["contributions_received"] == 0


def test_payment_in_advance_counts_for_the_period_it_is_for():
    t = rows([pay("2010-06-01", 400, "B", "2012")], "2012-12-31")
    assert t["2010"]["contributions_received"] == 0
    assert t["2012"]["contributions_received"] == 40000


def test_overpayment_makes_pending_negative():
    t = rows([pay("2010-02-01", 600.40, "A", "2010"), pay("2010-02-01", 400, "B", "2010")], "2010-12-31")
    assert t["2010"]["contributions_pending"] == -40
    assert t["2010"]["contributions_pending_accumulated"] == -40


def test_running_columns_are_cumulative_and_exact_to_the_cent():
    lines = [pay("2010-02-01", 549.20, "A", "2010"), spend("2010-05-05", 100.01),
             pay("2011-02-01", 1000, "A", "2011"), spend("2011-05-05", 1200.10)]
    t = rows(lines, "2011-12-31")
    assert t["2010"]["contributions_pending"] == 100000 - 54920
    assert t["2010"]["net_balance"] == 54920 - 10001
    assert t["2011"]["contributions_pending_accumulated"] == (100000 - 54920) + 0
    assert t["2011"]["net_balance"] == 100000 - 120010
    assert t["2011"]["accumulated_balance"] == (54920 - 10001) + (100000 - 120010)


def test_reversal_cancels_the_payment():
    lines = [pay("2011-01-10", 600, "A", "2011"), pay("2011-01-12", 600, "A", "2011"),
             pay("2011-01-20", -600, "A", "2011", doc_type="AB")]
    assert rows(lines, "2011-12-31")["2011"]["contributions_received"] == 60000


def test_as_of_cut_off_excludes_later_lines_and_periods():
    lines = [pay("2011-01-10", 600, "A", "2011"), pay("2011-07-01", 400, "B", "2011"), spend("2011-06-30", 10),
             spend("2011-07-01", 20)]
    t = rows(lines, "2011-06-30")
    assert list(t) == ["2010", "2011"]
    assert t["2011"]["contributions_received"] == 60000
    assert t["2011"]["operating_costs"] == 1000


def test_expenses_follow_posting_date_not_assignment():
    t = rows([spend("2010-12-31", 10, assignment="2011"), spend("2011-01-01", 20)], "2011-12-31")
    assert t["2010"]["operating_costs"] == 1000
    assert t["2011"]["operating_costs"] == 2000


def test_opening_balance_adds_lines_posted_after_its_as_of():
    opening = [("2010", dt.date(2010, 12, 31), 90000, 80000)]
    t = rows([pay("2011-02-01", 100, "B", "2010")], "2011-12-31", opening=opening)
    assert t["2010"]["contributions_received"] == 90000 + 10000
    assert t["2010"]["operating_costs"] == 80000


def test_return_fund_lines_stay_out_of_table1():
    t = rows([pay("2010-02-01", 1000, "A", "2010", fund="RF"), spend("2010-03-01", 5, fund="RF", account="780100")],
             "2010-12-31")
    assert t["2010"]["contributions_received"] == 0
    assert t["2010"]["operating_costs"] == 0
