"""Analyses for the notebooks, built on the same ledger and tables as the report (money in int cents).

>>> import rcm_tables
>>> from rcm_tables import analysis
>>> report = rcm_tables.load()
>>> behind = analysis.members_behind(report)
>>> behind.loc[behind["country"] == "Honduras", "periods_behind"].item()
5
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import schemas as S
from .ledger import expenses_cutoff
from .money import dollars_columns
from .report import Report
from .tables import table4
from .tables.common import fund_lines, periods_with_contributions

L = S.Ledger


def ledger_periods(report: Report) -> list[str]:
    """The periods the exports cover: from the first period with a TS contribution line to the as-of period."""
    return periods_with_contributions(report.lines_used(), report.reference, report.as_of, "TS")


def arrears(report: Report) -> pd.DataFrame:
    """Country x period over every period the exports cover: assessed, received, pending (Table 4's rules)."""
    periods = ledger_periods(report)
    frame = table4.build(report.lines_used(), report.reference, report.as_of, periods)
    return frame.loc[frame["country"] != S.NO_PARTNER].reset_index(drop=True)


def ageing(report: Report) -> pd.DataFrame:
    """How long each assessed contribution stayed unpaid.

    A contribution is due on its period's first day. ``days_to_pay`` counts from that day to the receipt that
    completed it (negative when paid in advance); still unpaid ones get ``days_outstanding`` to the as-of date.
    """
    ref = report.reference
    periods = ledger_periods(report)
    payments = table4.build_payments(report.lines_used(), ref, report.as_of, periods)
    due = arrears(report)
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
    return out


def members_behind(report: Report, at_least: int = 2) -> pd.DataFrame:
    """Members with something pending for ``at_least`` periods or more, and how much in all."""
    frame = arrears(report)
    late = frame.loc[frame["pending"] > 0]
    summary = late.groupby("country", sort=False).agg(periods_behind=("period", "count"),
                                                       pending=("pending", "sum"),
                                                       periods=("period", lambda p: ", ".join(p)))
    summary = summary.loc[summary["periods_behind"] >= at_least].reset_index()
    return summary.sort_values(["periods_behind", "pending"], ascending=False, kind="stable").reset_index(drop=True)


def funds_side_by_side(report: Report) -> pd.DataFrame:
    """Per period: the Secretariat's approved budget and contributions received, and the Return Fund's."""
    t1 = report.table("table1").set_index("period")
    t5 = report.table("table5").groupby("period")["received"].sum()
    periods = [p for p in t1.index if p in t5.index]
    return pd.DataFrame({
        "period": periods,
        "ts_approved_budget": [int(t1.at[p, "approved_budget"]) for p in periods],
        "ts_received": [int(t1.at[p, "contributions_received"]) for p in periods],
        "rf_received": [int(t5[p]) for p in periods],
    })


def expenses_through(report: Report) -> dt.date:
    """The date expenses are booked to (`ledger.expenses_cutoff`), or the as-of date without expenses."""
    return expenses_cutoff(report.lines_used(), report.as_of) or report.as_of


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
    t2 = report.table("table2").copy()
    t2["execution_rate"] = t2["expenses"] / t2["approved_budget"].where(t2["approved_budget"] != 0)
    t2["share_elapsed"] = share
    t2["projected"] = (t2["expenses"] / share).round().astype("int64")
    ratio = t2["projected"] / t2["approved_budget"].where(t2["approved_budget"] != 0)
    t2["flag"] = "on track"
    t2.loc[ratio > 1 + tolerance, "flag"] = "over"
    t2.loc[ratio < 1 - tolerance, "flag"] = "under"
    return t2


def monthly_spending(report: Report) -> pd.DataFrame:
    """TS expenses of the as-of period by month and budget line (rows: months; columns: lines)."""
    period = report.reference.period_of(report.as_of)
    lines = fund_lines(report.lines_used(), "TS", "expense")
    lines = lines.loc[lines[L.period] == period]
    month = lines[L.posting_date].dt.to_period("M").astype(str)
    table = lines.assign(month=month).pivot_table(index="month", columns=L.budget_line, values=L.amount_usd,
                                                  aggfunc="sum", fill_value=0)
    return table.astype("int64")


def trace(report: Report, table: str, **keys) -> pd.DataFrame:
    """The ledger lines behind one cell of a table, with their source file and row.

    ``table1``: period=; ``table2``: budget_line=; ``table4`` / ``table5``: country=, period=.
    Opening balances (periods older than the exports) have no lines; see ``report.reference.opening``.

    >>> import rcm_tables
    >>> lines = trace(rcm_tables.load(), "table4", country="Mexico", period="2012")
    >>> lines[["file", "row", "amount_usd"]].values.tolist()
    [['IOM_LineItems_2012-04.xlsx', 7, 1668200], ['IOM_LineItems_2012-11.xlsx', 8, 1666000]]
    """
    used = report.lines_used()
    if table == "table1":
        mask = (used[L.fund] == "TS") & (used[L.period] == keys["period"]) & used[L.kind].isin(["contribution", "expense"])
    elif table == "table2":
        period = report.reference.period_of(report.as_of)
        mask = ((used[L.fund] == "TS") & (used[L.kind] == "expense") & (used[L.period] == period)
                & (used[L.budget_line] == keys["budget_line"]))
    elif table in ("table4", "table5"):
        partner = "" if keys["country"] == S.NO_PARTNER else keys["country"]
        mask = ((used[L.fund] == ("TS" if table == "table4" else "RF")) & (used[L.kind] == "contribution")
                & (used[L.partner] == partner) & (used[L.period] == keys["period"]))
    else:
        raise ValueError(f"trace knows table1, table2, table4 and table5, not {table!r}")
    columns = [L.file, L.sheet, L.row, L.document_no, L.item, L.posting_date, L.doc_type, L.kind, L.gl_account,
               L.partner_as_written, L.amount_usd, L.text]
    return used.loc[mask, columns].sort_values([L.posting_date, L.file, L.row], kind="stable").reset_index(drop=True)


def dollars(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with the given cent columns as dollars (for display and charts)."""
    return dollars_columns(frame, columns)
