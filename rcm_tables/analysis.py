"""Analyses for the notebooks, built on the same ledger and tables as the report.

Every frame here follows the public convention (`rcm_tables.public`): money in exact dollars in ``*_usd``
columns, missing text as NA. The sums are made in int cents, as the tables are, and converted at the end.

>>> import rcm_tables
>>> from rcm_tables import analysis
>>> report = rcm_tables.load()
>>> behind = analysis.members_behind(report)
>>> behind.loc[behind["country"] == "Honduras", ["periods_behind", "pending_usd"]].values.tolist()
[[5, Decimal('20015.00')]]
"""
from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import pandas as pd

from . import public
from . import schemas as S
from .ledger import expenses_cutoff
from .report import Report
from .tables import build_all, fund_account as fund_account_table, table4
from .tables.common import fund_lines, periods_with_contributions

L = S.Ledger


def _usd(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """The cent columns as exact dollars, renamed ``*_usd`` (the public convention)."""
    out = frame.copy()
    for column in columns:
        out[column] = public.dollars(out[column])
    out = out.rename(columns={c: public.money_name(c) for c in columns})
    return public.convert(out, None)  # text and closed sets as everywhere


def ledger_periods(report: Report) -> list[str]:
    """The periods the exports cover: from the first period with a TS contribution line to the as-of period."""
    return periods_with_contributions(report.clamped(), report.reference, report.as_of, "TS")


def arrears(report: Report) -> pd.DataFrame:
    """Country x period over every period the exports cover: assessed, received, pending (Table 4's rules)."""
    periods = ledger_periods(report)
    return public.convert(_arrears_cents(report, periods), S.Table4)


def _arrears_cents(report: Report, periods: list[str]) -> pd.DataFrame:
    frame = table4.build(report.clamped(), report.reference, report.as_of, periods)
    return frame.loc[frame["country"] != S.NO_PARTNER].reset_index(drop=True)


def ageing(report: Report) -> pd.DataFrame:
    """How long each assessed contribution stayed unpaid.

    A contribution is due on its period's first day. ``days_to_pay`` counts from that day to the receipt that
    completed it (negative when paid in advance); still unpaid ones get ``days_outstanding`` to the as-of date.
    """
    ref = report.reference
    periods = ledger_periods(report)
    payments = table4.build_payments(report.clamped(), ref, report.as_of, periods)
    due = _arrears_cents(report, periods)
    records = []
    for row in due.itertuples():
        start = ref.period_row(row.period)[S.Periods.start]
        mine = payments.loc[(payments["country"] == row.country) & (payments["period"] == row.period)]
        mine = mine.sort_values("received_on")
        paid_on = pd.NaT
        if row.assessed > 0:
            running = mine["amount"].cumsum()
            full = mine.loc[running >= row.assessed, "received_on"]
            paid_on = full.iloc[0] if not full.empty else pd.NaT
        records.append({
            "country": row.country, "period": row.period, "assessed": row.assessed, "received": row.received,
            "pending": row.pending, "due_on": start, "paid_in_full_on": paid_on,
            "days_to_pay": (paid_on - start).days if pd.notna(paid_on) else pd.NA,
            "days_outstanding": (pd.Timestamp(report.as_of) - start).days if pd.isna(paid_on) and row.pending > 0
            else pd.NA,
        })
    out = pd.DataFrame.from_records(records)
    for column in ("days_to_pay", "days_outstanding"):
        out[column] = out[column].astype("Int64")
    return _usd(out, ["assessed", "received", "pending"])


def members_behind(report: Report, at_least: int = 2) -> pd.DataFrame:
    """Members with something pending for ``at_least`` periods or more, and how much in all."""
    frame = _arrears_cents(report, ledger_periods(report))
    late = frame.loc[frame["pending"] > 0]
    summary = late.groupby("country", sort=False).agg(periods_behind=("period", "count"),
                                                       pending=("pending", "sum"),
                                                       periods=("period", lambda p: ", ".join(p)))
    summary = summary.loc[summary["periods_behind"] >= at_least].reset_index()
    summary = summary.sort_values(["periods_behind", "pending"], ascending=False, kind="stable")
    return _usd(summary.reset_index(drop=True), ["pending"])


def funds_side_by_side(report: Report) -> pd.DataFrame:
    """Per period: the Secretariat's approved budget and contributions received, and the Return Fund's."""
    t1 = report.table("table1", cents=True).set_index("period")
    t5 = report.table("table5", cents=True).groupby("period")["received"].sum()
    periods = [p for p in t1.index if p in t5.index]
    frame = pd.DataFrame({
        "period": periods,
        "ts_approved_budget": [int(t1.at[p, "approved_budget"]) for p in periods],
        "ts_received": [int(t1.at[p, "contributions_received"]) for p in periods],
        "rf_received": [int(t5[p]) for p in periods],
    })
    return _usd(frame, ["ts_approved_budget", "ts_received", "rf_received"])


def expenses_through(report: Report) -> dt.date:
    """The date expenses are booked to (`ledger.expenses_cutoff`), or the as-of date without expenses."""
    return expenses_cutoff(report.clamped(), report.as_of) or report.as_of


def year_elapsed(report: Report, through: dt.date | None = None) -> float:
    """Share of the as-of period elapsed at ``through`` (default: `expenses_through`), both ends included."""
    through = expenses_through(report) if through is None else through
    row = report.reference.period_row(report.reference.period_of(report.as_of))
    total = (row[S.Periods.end] - row[S.Periods.start]).days + 1
    return ((pd.Timestamp(through) - row[S.Periods.start]).days + 1) / total


def execution(report: Report, tolerance: float = 0.10, through: dt.date | None = None) -> pd.DataFrame:
    """Execution rate by budget line, against the share of the period elapsed, with a straight-line projection.

    ``projected`` = expenses / share elapsed; a line is flagged ``over`` when the projection exceeds its budget
    by more than ``tolerance``, ``under`` when it stays below by more than that.
    """
    share = year_elapsed(report, through)
    t2 = report.table("table2", cents=True).copy()
    t2["execution_rate"] = t2["expenses"] / t2["approved_budget"].where(t2["approved_budget"] != 0)
    t2["share_elapsed"] = share
    t2["projected"] = (t2["expenses"] / share).round().astype("int64")
    ratio = t2["projected"] / t2["approved_budget"].where(t2["approved_budget"] != 0)
    t2["flag"] = "on track"
    t2.loc[ratio > 1 + tolerance, "flag"] = "over"
    t2.loc[ratio < 1 - tolerance, "flag"] = "under"
    t2["execution_rate"] = t2["execution_rate"].astype("Float64")
    return _usd(t2, ["approved_budget", "expenses", "balance", "projected"])


def monthly_spending(report: Report) -> pd.DataFrame:
    """TS expenses of the as-of period by month and budget line (rows: months; columns: lines)."""
    period = report.reference.period_of(report.as_of)
    lines = fund_lines(report.clamped(), "TS", "expense")
    lines = lines.loc[lines[L.period] == period]
    month = lines[L.posting_date].dt.to_period("M").astype(str)
    table = lines.assign(month=month).pivot_table(index="month", columns=L.budget_line, values=L.amount_usd,
                                                  aggfunc="sum", fill_value=0)
    return table.astype("int64").apply(public.dollars)  # each budget line's column in exact dollars


def trace(report: Report, table: str, **keys) -> pd.DataFrame:
    """The ledger lines behind one cell of a table, with their source file and row.

    ``table1``: period=; ``table2``: budget_line=; ``table4`` / ``table5``: country=, period=.
    Opening balances (periods older than the exports) have no lines; see ``report.reference.opening``.

    >>> import rcm_tables
    >>> lines = trace(rcm_tables.load(), "table4", country="Mexico", period="2012")
    >>> lines[["file", "row", "amount_usd"]].values.tolist()
    [['IOM_LineItems_2012-04.xlsx', 7, Decimal('16682.00')], ['IOM_LineItems_2012-11.xlsx', 8, Decimal('16660.00')]]
    """
    used = report.lines_used()
    if table == "table1":
        mask = (used[L.fund] == "TS") & (used[L.period] == keys["period"]) & used[L.kind].isin(["contribution", "expense"])
    elif table == "table2":
        period = report.reference.period_of(report.as_of)
        mask = ((used[L.fund] == "TS") & (used[L.kind] == "expense") & (used[L.period] == period)
                & (used[L.budget_line] == keys["budget_line"]))
    elif table in ("table4", "table5"):
        # a line without a partner has NA there (the public convention), shown as NO_PARTNER in the tables
        partner = used[L.partner].isna() if keys["country"] == S.NO_PARTNER else used[L.partner] == keys["country"]
        mask = ((used[L.fund] == ("TS" if table == "table4" else "RF")) & (used[L.kind] == "contribution")
                & partner & (used[L.period] == keys["period"]))
    else:
        raise ValueError(f"trace knows table1, table2, table4 and table5, not {table!r}")
    columns = [L.file, L.sheet, L.row, L.document_no, L.item, L.posting_date, L.doc_type, L.kind, L.gl_account,
               L.partner_as_written, L.amount_usd, L.text]
    found = used.loc[mask.fillna(False), columns]
    if found.empty:
        warnings.warn(f"trace({table!r}, {keys}) found no ledger lines: check the names (a figure of a period "
                      "older than the exports comes from the Opening Balances sheet)", stacklevel=2)
    return found.sort_values([L.posting_date, L.file, L.row], kind="stable").reset_index(drop=True)


def fund_account(report: Report, fund: str = "RF") -> pd.DataFrame:
    """A fund's account by period: contributions received (by Assignment), spent (its expense lines, by
    posting date), balance and accumulated balance, from the fund's first line to the as-of period.

    >>> import rcm_tables
    >>> rf = fund_account(rcm_tables.load())
    >>> rf.loc[rf["period"] == "2009", ["received_usd", "spent_usd"]].values.tolist()
    [[Decimal('104006.00'), Decimal('0.00')]]
    """
    frame = fund_account_table.account(report.clamped(), report.reference, report.as_of, fund)
    return public.convert(frame, S.FundAccount)


@dataclass(frozen=True)
class Changes:
    """What arrived after a date, grouped by what it changed (each a frame in the public convention)."""

    since: dt.date
    receipts: pd.DataFrame  # contribution lines posted after ``since``: partner, period, amount, date, file, row
    expenses: pd.DataFrame  # expense lines posted after ``since``, summed by fund, period and budget line
    earlier_periods: pd.DataFrame  # lines posted after ``since`` for periods that had ended by then
    figures: pd.DataFrame  # every table figure that moved: table, the row's keys, column, before, after


def changes(report: Report, since) -> Changes:
    """What arrived after ``since`` (posted after it, on or before the as-of date): the finance officer's
    monthly question, "what is new since last month's report?".

    >>> import rcm_tables
    >>> new = changes(rcm_tables.load(), "2012-10-31")
    >>> new.receipts[["partner", "period", "amount_usd"]].values.tolist()
    [['Mexico', '2012', Decimal('16660.00')], ['Panama', '2012', Decimal('5000.00')]]
    """
    since = dt.date.fromisoformat(since) if isinstance(since, str) else since
    lines = report.clamped()
    new = lines.loc[lines[L.posting_date] > pd.Timestamp(since)]
    public_new = report.ledger.loc[new.index]
    receipts = public_new.loc[new[L.kind] == "contribution", [L.partner, L.period, L.amount_usd, L.posting_date,
                                                              L.doc_type, L.file, L.row]]
    spent = new.loc[new[L.kind] == "expense"].groupby([L.fund, L.period, L.budget_line], as_index=False).agg(
        amount_usd=(L.amount_usd, "sum"), lines=(L.amount_usd, "size"))
    ended = set(report.reference.periods.loc[report.reference.periods[S.Periods.end] <= pd.Timestamp(since),
                                             S.Periods.period])
    earlier = public_new.loc[new[L.period].isin(ended), [L.kind, L.fund, L.partner, L.period, L.amount_usd,
                                                         L.posting_date, L.doc_type, L.file, L.row]]
    return Changes(since, receipts.reset_index(drop=True), _usd(spent, [L.amount_usd]).reset_index(drop=True),
                   earlier.reset_index(drop=True), _moved(report, since))


def _moved(report: Report, since: dt.date) -> pd.DataFrame:
    """Every money figure of every table, before (the tables as of ``since``) and now, where they differ."""
    from .tables import FRAMES

    before = build_all(report.ledger_cents, report.reference, since) if report.reference.period_of(since) else {}
    records = []
    for frame in FRAMES:
        money = list(S.money_columns(frame.model))
        keys = [c for c in S.columns(frame.model) if c not in money and c != "received_on"]
        now = report.tables[frame.name]
        then = before.get(frame.name, now.iloc[0:0])
        merged = now.merge(then, on=keys, how="outer", suffixes=("", "_before")) if keys else None
        if merged is None:
            continue
        for column in money:
            after, prior = merged[column].fillna(0).astype("int64"), merged[column + "_before"].fillna(0).astype("int64")
            for i in merged.index[after != prior]:
                records.append({"table": frame.name, "row": " / ".join(str(merged.at[i, k]) for k in keys),
                                "column": column, "before": int(prior[i]), "after": int(after[i])})
    out = pd.DataFrame.from_records(records, columns=["table", "row", "column", "before", "after"])
    out["change"] = out["after"] - out["before"]
    return _usd(out, ["before", "after", "change"])
