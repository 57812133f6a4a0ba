import datetime as dt

from fixtures import ledger, pay, reference

from rcm_tables.tables import build_all, table5


def test_return_fund_by_country_and_year_with_eur_donor():
    ref = reference()
    lines = [pay("2011-03-01", 6000, "A", "2011", fund="RF"),
             # the European Union pays EUR; the USD amount converted by IOM is what is reported
             pay("2011-11-20", 40116, "D", "2011", fund="RF", account="400200", currency="EUR", doc_amount=27000),
             pay("2012-06-08", 6500, "A", "2012", fund="RF"),
             pay("2012-06-08", 999, "A", "2012")]  # TS, not RF
    t = build_all(ledger(lines, ref), ref, dt.date(2012, 12, 31))[table5.NAME].set_index(["country", "period"])
    assert sorted(set(t.index.get_level_values("period"))) == ["2011", "2012"]  # from the first RF year
    assert t.loc[("D", "2011"), "received"] == 4011600
    assert t.loc[("A", "2012"), "received"] == 650000
    assert t.loc[("B", "2012"), "received"] == 0
    assert list(dict.fromkeys(t.index.get_level_values("country"))) == ["A", "B", "D"]
