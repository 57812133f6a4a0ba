"""Table 4: late, advance, partial, over- and reversed payments, adjustments without partner, cut-off."""
import datetime as dt

import pandas as pd

from fixtures import ledger, pay, reference

from rcm_tables import schemas as S
from rcm_tables.tables import build_all, table4


def build(lines, as_of="2013-06-30"):
    ref = reference()
    led = ledger(lines, ref)
    day = dt.date.fromisoformat(as_of)
    built = build_all(led, ref, day)  # the ledger clamped to the as-of date, as every build does
    return built[table4.NAME].set_index(["country", "period"]), built[table4.PAYMENTS]


def test_last_four_periods_every_member_and_pending_where_partial_or_missing():
    t, _ = build([pay("2011-03-01", 600, "A", "2011"), pay("2013-03-01", 150.50, "B", "2013")])
    assert sorted(set(t.index.get_level_values("period"))) == ["2010", "2011", "2012", "2013"]
    assert t.loc[("A", "2011"), "pending"] == 0
    assert t.loc[("A", "2012"), "pending"] == 60000  # missing: all pending
    assert t.loc[("B", "2013"), "pending"] == 40000 - 15050  # partial
    assert t.loc[("B", "2013"), "receipt_dates"] == "2013-03-01"
    for _, row in t.iterrows():
        assert row["received"] + row["pending"] == row["assessed"]


def test_late_payment_and_advance_payment_dates():
    t, _ = build([pay("2013-02-23", 400, "B", "2010"), pay("2010-06-01", 600, "A", "2013")])
    assert t.loc[("B", "2010"), "receipt_dates"] == "2013-02-23"
    assert t.loc[("A", "2013"), "received"] == 60000
    assert t.loc[("A", "2013"), "receipt_dates"] == "2010-06-01"


def test_two_instalments_listed_in_date_order():
    t, pay_ = build([pay("2012-11-06", 300, "A", "2012"), pay("2012-04-04", 300, "A", "2012")])
    assert t.loc[("A", "2012"), "receipt_dates"] == "2012-04-04;2012-11-06"
    mine = pay_.loc[(pay_["country"] == "A") & (pay_["period"] == "2012")]
    assert list(mine["amount"]) == [30000, 30000]


def test_overpayment_gives_negative_pending():
    t, _ = build([pay("2012-09-24", 600.40, "A", "2012")])
    assert t.loc[("A", "2012"), "pending"] == -40


def test_reversal_removes_the_reversed_receipt_date():
    lines = [pay("2012-01-10", 400, "B", "2011"), pay("2012-01-12", 400, "B", "2011"),
             pay("2012-01-20", -400, "B", "2011", doc_type="AB")]
    t, p = build(lines)
    assert t.loc[("B", "2011"), "received"] == 40000
    assert t.loc[("B", "2011"), "receipt_dates"] == "2012-01-10"


def test_partial_refund_reduces_the_latest_receipt():
    lines = [pay("2012-01-10", 400, "B", "2012"), pay("2012-03-01", -100, "B", "2012", doc_type="SA")]
    t, p = build(lines)
    assert t.loc[("B", "2012"), "received"] == 30000
    mine = p.loc[(p["country"] == "B") & (p["period"] == "2012")]
    assert list(zip(mine["amount"], mine["received_on"])) == [(30000, pd.Timestamp("2012-01-10"))]


def test_adjustment_without_partner_gets_its_own_row_and_totals_reconcile():
    lines = [pay("2012-05-01", 600, "A", "2012"), pay("2012-12-31", -1.25, "", "2012", doc_type="SA"),
             pay("2012-06-01", 50, "D", "2012", account="400200")]
    t, _ = build(lines)
    assert t.loc[(S.NO_PARTNER, "2012"), "received"] == -125
    assert t.loc[("D", "2012"), "assessed"] == 0  # a donor outside the scale: shown, nothing assessed
    period = t.xs("2012", level="period")
    assert period["received"].sum() == 60000 - 125 + 5000
    assert period["pending"].sum() == 100000 - period["received"].sum()


def test_as_of_cut_off_applies_to_receipts():
    t, _ = build([pay("2012-11-06", 300, "A", "2012"), pay("2012-04-04", 300, "A", "2012")], as_of="2012-10-31")
    assert t.loc[("A", "2012"), "received"] == 30000
    assert t.loc[("A", "2012"), "receipt_dates"] == "2012-04-04"


def test_alias_and_spacing_resolve_to_the_member():
    t, _ = build([pay("2012-05-01", 100, "alpha ", "2012"), pay("2012-05-02", 100, "Ä", "2012")])
    assert t.loc[("A", "2012"), "received"] == 20000
