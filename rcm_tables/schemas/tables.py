"""The report's tables' columns (each table's frames, `rcm_tables.tables.TABLES`). Money columns are int64 cents,
marked with `money()`; the CSV and workbook writers turn them into dollars.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Field, _Base, described, money

if TYPE_CHECKING:  # the annotations name pandera's types, as a DataFrameModel's would; never imported to run
    import pandera.pandas as pa  # noqa: F401
    from pandera.typing import Series


class Table1(_Base):
    period: Series[str] = Field(description="budget period")
    approved_budget: Series[int] = money(description="the period's approved budget (Periods sheet)")
    contributions_received: Series[int] = money(
        description="TS contributions for the period, received up to the as-of date, with the opening balance")
    contributions_pending: Series[int] = money(
        description="approved budget minus received (negative: members paid more)")
    contributions_pending_accumulated: Series[int] = money(description="running sum of the pending contributions")
    operating_costs: Series[int] = money(
        description="TS expenses posted in the period up to the as-of date, with the opening balance")
    net_balance: Series[int] = money(description="received minus operating costs")
    accumulated_balance: Series[int] = money(description="running sum of the net balances")


class Table2(_Base):
    budget_line: Series[str] = Field(description="a budget line of the as-of period")
    approved_budget: Series[int] = money(description="its approved amount (Budget Lines sheet)")
    expenses: Series[int] = money(
        description="TS expenses of the as-of period mapped to the line, up to the as-of date")
    balance: Series[int] = money(description="approved minus expenses")


SUMMARY_ITEMS = ("approved_budget", "contributions_received", "contributions_pending", "total_expenses", "balance")


class Table2Summary(_Base):
    item: Series[str] = Field(
        isin=SUMMARY_ITEMS,
        description="approved_budget, contributions_received, contributions_pending, total_expenses, or balance "
                    "(received minus expenses)")
    amount: Series[int] = money(description="the item's amount for the as-of period")


class Table3(_Base):
    section: Series[str] = Field(description="the budget's section")
    budget_line: Series[str] = Field(description="a budget line of the period after the as-of period")
    amount: Series[int] = money(description="its approved amount")


class Table4(_Base):
    country: Series[str] = Field(
        description="a member on the TS scale, another partner, or the adjustments without partner")
    period: Series[str] = Field(description="one of the last four periods up to the as-of date")
    assessed: Series[int] = money(description="the member's amount on the TS scale (0 if not on it)")
    received: Series[int] = money(description="its contributions for the period, up to the as-of date")
    pending: Series[int] = money(description="assessed minus received (negative: paid more); 0 in a period the "
                                 "Opening Balances bring forward (who paid it is not in the exports)")
    receipt_dates: Series[str] = Field(
        description="the dates of the receipts that stand after reversals, ISO, ';'-separated")


class Table4Payments(_Base):
    """Each receipt behind Table 4 (after reversals are matched): the report prints amount and date."""

    country: Series[str] = Field(description="as in Table 4")
    period: Series[str] = Field(description="as in Table 4")
    amount: Series[int] = money(description="one receipt (after reversals are matched)")
    received_on: Series[pa.DateTime] = Field(description="its posting date")


class Table4Advance(_Base):
    """Receipts for periods after the as-of period (paid in advance): listed under Table 4, counted nowhere yet."""

    country: Series[str] = Field(description="who paid")
    period: Series[str] = Field(description="a period after the as-of period")
    amount: Series[int] = money(description="one receipt in advance")
    received_on: Series[pa.DateTime] = Field(description="its posting date (on or before the as-of date)")


class Table5(_Base):
    country: Series[str] = Field(description="a member on the RF scale, or another partner (e.g. a donor)")
    period: Series[str] = Field(description="a period from the fund's first contribution")
    received: Series[int] = money(
        description="its contributions to the Return Fund for the period, up to the as-of date")


class FundAccount(_Base):
    """A fund's account by period: contributions received (by Assignment), spent (its expense lines, by posting
    date), the balance of the period and the running balance."""

    period: Series[str] = Field(description="budget period, from the fund's first line")
    received: Series[int] = money(description="the fund's contributions for the period")
    spent: Series[int] = money(description="the fund's expense lines posted in the period")
    balance: Series[int] = money(description="received minus spent")
    accumulated_balance: Series[int] = money(description="running sum of the balances")


class Annex1(_Base):
    country: Series[str] = Field(description="a member on the TS scale")
    share_pct: Series[float] = Field(description="its share, in percentage points (1.77 is 1.77 %); empty where "
                                                 "the scale gives none (the reference allows an empty Share)",
                                     nullable=True)
    assessed_usd: Series[int] = money(description="its assessed contribution")

# Row label used in Table 4 for income lines without a partner (bank charges, corrections).
NO_PARTNER = "(no partner: adjustments)"
