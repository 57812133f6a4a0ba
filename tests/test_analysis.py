"""rcm_tables.analysis on a small inline report: every figure worked out by hand from the lines below.

(The notebooks use these functions on the sample, in slow tests; test_public checks only their dtypes.)

Reference (tests/fixtures.py): periods 2010-2013 of 1,000.00, lines Staff 600.00 and Travel 400.00; the TS scale
A 600.00 and B 400.00; D a donor. As of 2012-06-30; the last expense is in June, so the share of 2012 elapsed is
182 of its 366 days.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from tests.fixtures import pay, report, spend

from rcm_tables import analysis

LINES = [
    pay("2010-03-01", 600, "A", "2010"),  # in full on the 59th day of 2010
    pay("2010-02-01", 200, "B", "2010"), pay("2010-06-01", 200, "B", "2010"),  # in full on 2010-06-01: 151 days
    pay("2010-12-01", 600, "A", "2011"),  # in advance: 31 days before 2011
    pay("2012-05-01", 300, "A", "2012"),  # half of 2012's 600
    pay("2012-05-02", 50, "D", "2012", account="400200"),  # a donor: nothing assessed
    pay("2011-04-01", 100, "A", "2011", fund="RF"),
    spend("2011-11-05", 50),  # 2011: not in 2012's monthly spending
    spend("2012-01-15", 300), spend("2012-03-10", 100),  # Staff: 400.00
    spend("2012-03-20", 110, "760100"), spend("2012-06-10", 100, "760100"),  # Travel: 210.00
]
AS_OF = "2012-06-30"


def rep():
    return report(LINES, AS_OF)


def _none(value):
    return None if pd.isna(value) else value


def test_ageing_counts_the_days_to_the_receipt_that_completed_each_contribution():
    got = {(r.country, r.period): (_none(r.paid_in_full_on), _none(r.days_to_pay), _none(r.days_outstanding))
           for r in analysis.ageing(rep()).itertuples()}
    assert got == {
        ("A", "2010"): (pd.Timestamp("2010-03-01"), 59, None),
        ("B", "2010"): (pd.Timestamp("2010-06-01"), 151, None),
        ("A", "2011"): (pd.Timestamp("2010-12-01"), -31, None),
        ("B", "2011"): (None, None, 365 + 181),  # 2011-01-01 to 2012-06-30
        ("A", "2012"): (None, None, 181),  # half paid: still outstanding
        ("B", "2012"): (None, None, 181),
        ("D", "2010"): (None, None, None), ("D", "2011"): (None, None, None),  # nothing assessed, nothing owed
        ("D", "2012"): (None, None, None),
    }


def test_members_behind_for_at_least_two_periods():
    assert analysis.members_behind(rep()).values.tolist() == [["B", 2, Decimal("800.00"), "2011, 2012"]]
    assert analysis.members_behind(rep(), at_least=1).values.tolist() == [
        ["B", 2, Decimal("800.00"), "2011, 2012"], ["A", 1, Decimal("300.00"), "2012"]]


def test_execution_projects_each_line_over_the_share_of_the_year_elapsed():
    share = 182 / 366  # 2012-01-01 to 2012-06-30, both included, of a leap year
    assert analysis.year_elapsed(rep()) == share
    got = analysis.execution(rep()).set_index("budget_line")
    assert got["expenses_usd"].to_dict() == {"Staff": Decimal("400.00"), "Travel": Decimal("210.00")}
    # 400.00 / share = 804.40 against 600.00 (+34 %): over; 210.00 / share = 422.31 against 400.00 (+5.6 %)
    assert got["projected_usd"].to_dict() == {"Staff": Decimal("804.40"), "Travel": Decimal("422.31")}
    assert got["flag"].to_dict() == {"Staff": "over", "Travel": "on track"}
    assert analysis.execution(rep(), tolerance=0.05)["flag"].tolist() == ["over", "over"]


def test_funds_side_by_side_and_monthly_spending():
    side = analysis.funds_side_by_side(rep())
    assert side.values.tolist() == [["2011", Decimal("1000.00"), Decimal("600.00"), Decimal("100.00")],
                                    ["2012", Decimal("1000.00"), Decimal("350.00"), Decimal("0.00")]]
    monthly = analysis.monthly_spending(rep())
    assert {month: {line: monthly.at[month, line] for line in monthly.columns} for month in monthly.index} == {
        "2012-01": {"Staff": Decimal("300.00"), "Travel": Decimal("0.00")},
        "2012-03": {"Staff": Decimal("100.00"), "Travel": Decimal("110.00")},
        "2012-06": {"Staff": Decimal("0.00"), "Travel": Decimal("100.00")}}
