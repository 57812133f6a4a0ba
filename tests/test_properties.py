"""Property tests: parsers round-trip, and the tables' invariants hold for random valid ledgers."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures import ledger, pay, reference, spend

from rcm_tables.inputs.values import EXCEL_EPOCH, parse_amount, parse_date
from rcm_tables.money import MAX_CENTS
from rcm_tables.tables import build_all


def _grouped(cents: int) -> str:
    whole, frac = divmod(abs(cents), 100)
    return f"{whole:,}.{frac:02d}"


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
def test_amount_text_forms_round_trip(cents):
    text = _grouped(cents)
    negative = cents < 0
    forms = [f"-{text}" if negative else text, f"({text})" if negative else text,
             f"{text}-" if negative else f" {text} ", text.replace(",", "") if not negative else "-" + text.replace(",", "")]
    for form in forms:
        assert parse_amount(form) == cents, form


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
def test_amount_number_cells_round_trip(cents):
    assert parse_amount(cents / 100) == cents
    if cents % 100 == 0:
        assert parse_amount(cents // 100) == cents


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_forms_round_trip(day):
    serial = (day - EXCEL_EPOCH).days
    for form in (day, dt.datetime.combine(day, dt.time()), serial, float(serial), day.strftime("%d/%m/%Y"),
                 day.isoformat(), f"{day.day}/{day.month}/{day.year}"):
        assert parse_date(form) == day, form


REF = reference()
PERIODS = ["2010", "2011", "2012", "2013"]
days = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2013, 12, 31))
money = st.integers(min_value=-50_000, max_value=5_000_000).map(lambda c: c / 100)
payments = st.builds(lambda d, usd, who, period, fund: pay(d, usd, who, period, fund=fund),
                     days, money, st.sampled_from(["A", "B", "D", "Alpha"]), st.sampled_from(PERIODS),
                     st.sampled_from(["TS", "TS", "RF"]))
adjustments = st.builds(lambda d, usd, period: pay(d, usd, "", period, doc_type="SA"), days, money,
                        st.sampled_from(PERIODS))
expenses = st.builds(lambda d, usd, account: spend(d, usd, account), days, money,
                     st.sampled_from(["710100", "760100"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(payments, adjustments, expenses), min_size=1, max_size=40), days)
def test_table_invariants_for_random_ledgers(lines, as_of):
    tables = build_all(ledger(lines, REF), REF, as_of)
    t1 = tables["table1"]
    assert t1["accumulated_balance"].tolist() == t1["net_balance"].cumsum().tolist()
    assert t1["contributions_pending_accumulated"].tolist() == t1["contributions_pending"].cumsum().tolist()
    assert (t1["approved_budget"] - t1["contributions_received"] == t1["contributions_pending"]).all()
    assert (t1["contributions_received"] - t1["operating_costs"] == t1["net_balance"]).all()

    t4 = tables["table4"]
    assert (t4["received"] + t4["pending"] == t4["assessed"]).all()
    t1_by_period = t1.set_index("period")
    for period, group in t4.groupby("period"):
        assert group["received"].sum() == t1_by_period.at[period, "contributions_received"]
    paid = tables["table4_payments"].groupby(["country", "period"])["amount"].sum()
    for row in t4.itertuples():
        assert paid.get((row.country, row.period), 0) == row.received

    as_of_period = REF.period_of(as_of)
    assert tables["table2"]["expenses"].sum() == t1_by_period.at[as_of_period, "operating_costs"]
    summary = tables["table2_summary"].set_index("item")["amount"]
    assert summary["balance"] == summary["contributions_received"] - summary["total_expenses"]

    t5 = tables["table5"]
    shown = set(PERIODS[: PERIODS.index(as_of_period) + 1])  # advance payments wait for their period
    rf = [ln for ln in lines if ln["fund"] == "RF" and ln["posting_date"] <= pd.Timestamp(as_of)
          and ln["assignment"] in shown]
    assert t5["received"].sum() == sum(ln["amount_usd"] for ln in rf)
