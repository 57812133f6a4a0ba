"""Table 2: the as-of period's budget execution, by budget line, and its summary of contributions.

Expenses are the TS expense lines posted in the as-of period, mapped to budget lines through the reference
workbook's Accounts sheet. The summary: approved budget, received, pending, total expenses and the balance
(received − expenses; the published 2012 report prints another figure, see docs/discrepancies.md).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from .. import money as M
from .. import schemas as S
from .comparison import Row, number, own_rule, sub, total_rule, usd
from ..reference import Reference
from . import formulas as F
from .formulas import long_date
from . import common, table1
from .spec import CellKey, DocxLayout, Frame, Published, PublishedFile, Spec

NAME = "table2"
SUMMARY = "table2_summary"
TITLE = "Table 2"
T = S.Table2
T2 = S.Table2Summary
L = S.Ledger
LINE_COLUMNS = ((1, T.approved_budget), (2, T.expenses), (3, T.balance))


def key(row, column: str) -> CellKey:
    """A figure of Table 2: a budget line (or "TOTAL") and a `schemas.Table2` column."""
    return CellKey(NAME, row, column)


def summary_key(item: str) -> CellKey:
    """A figure of Table 2's summary: an item of `schemas.Table2Summary`."""
    return CellKey(SUMMARY, item, "amount")


# ------------------------------------------------------------------------------------------------ build


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    period = common.as_of_period(ref, as_of)
    expenses = common.fund_lines(lines, "TS", "expense", (L.period, L.budget_line, L.amount_usd))
    spent = expenses.loc[expenses[L.period] == period].groupby(L.budget_line)[L.amount_usd].sum()
    records = []
    for _, line in ref.lines_of(period).iterrows():
        name = line[S.BudgetLines.budget_line]
        approved = int(line[S.BudgetLines.approved])
        used = int(spent.get(name, 0))
        records.append({T.budget_line: name, T.approved_budget: approved, T.expenses: used,
                        T.balance: approved - used})
    return common.to_frame(T, records)


def build_summary(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    """Approved budget, received, pending, total expenses and balance (received - expenses) of the period."""
    period = common.as_of_period(ref, as_of)
    approved = ref.approved_budget(period)
    got = common.received(lines, ref).get(period, 0)
    spent = common.operating_costs(lines, ref).get(period, 0)
    items = {
        "approved_budget": approved,
        "contributions_received": got,
        "contributions_pending": approved - got,
        "total_expenses": spent,
        "balance": got - spent,
    }
    return common.to_frame(T2, [{T2.item: k, T2.amount: v} for k, v in items.items()])


# ------------------------------------------------------------------------------------------------ sheet


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    period = book.period
    start = book.ref.period_row(period)[S.Periods.start].date()
    s.titles([(TITLE, "heading"), ("Budget Execution", "title"),
              (f"For the period {long_date(start)} – {long_date(book.as_of)}", "subtitle")])
    s.text(3, 0, "Budget period", f.bold)
    s.text(3, 1, period, f.text)
    summary = book.report.tables[SUMMARY].set_index(T2.item)[T2.amount]
    _contributions(book, s, period, summary)
    s.text(10, 0, f"Detailed Expenses for the {period} Budget", f.title)
    header = 11
    s.headers(header, ["Budget line", "Approved Budget", "Expenses", "Balance"])
    first = header + 1
    total = _lines(book, s, first, s.cell(3, 1, True, True))
    span = f"{start:%B} – {book.as_of:%B %Y}"
    s.text(total, 0, f"Total Expenses, {span}", f.total_text)
    t = book.report.tables[NAME]
    for col, column in LINE_COLUMNS:
        s.money_formula(total, col, F.sum_of(first, total - 1, col), int(t[column].sum()), total=True)
        book.place(key("TOTAL", column), s, total, col)
    book.place(summary_key("total_expenses"), s, total, 2)
    balance = total + 1
    s.text(balance, 0, f"Balance, {long_date(book.as_of)} (received − total expenses)", f.total_text)
    s.blank(balance, 1, f.money(total=True))
    s.money_formula(balance, 2, f"={s.cell(7, 1)}-{s.cell(total, 2)}", summary["balance"], total=True)
    s.blank(balance, 3, f.money(total=True))
    book.place(summary_key("balance"), s, balance, 2)
    s.text(balance + 2, 0, "Source: IOM Financial Systems (Ledger sheet): expenses by posting date, mapped to "
                           "budget lines through the reference workbook's Accounts sheet.", f.note, fit=0)
    from ..ledger import expenses_cutoff

    note = common.cutoff_note(book.as_of, expenses_cutoff(book.report.clamped(), book.as_of), long_date)
    if note:
        s.text(balance + 3, 0, note, f.note, fit=0)
    s.finish(header_last=header, freeze=(first, 1))


def _contributions(book, s, period: str, summary: pd.Series) -> None:
    """The first part: approved and received link to Table 1; pending is their difference."""
    f = book.fmt
    s.text(5, 0, "Contributions by Member Countries", f.title)
    s.text(6, 0, f"Approved Budget for {period}", f.text)
    s.money_formula(6, 1, f"={book.xref(table1.key(period, S.Table1.approved_budget))}", summary["approved_budget"])
    s.text(7, 0, f"Contributions Received for {period}", f.text)
    s.money_formula(7, 1, f"={book.xref(table1.key(period, S.Table1.contributions_received))}",
                    summary["contributions_received"])
    s.text(8, 0, f"Pending Contributions for {period}", f.text)
    s.money_formula(8, 1, f"={s.cell(6, 1)}-{s.cell(7, 1)}", summary["contributions_pending"])
    for row, item in ((6, "approved_budget"), (7, "contributions_received"), (8, "contributions_pending")):
        book.place(summary_key(item), s, row, 1)


def _lines(book, s, first: int, period_cell: str) -> int:
    """One row per budget line; returns the row of the total."""
    t = book.report.tables[NAME]
    approved_fmt = M.money_format_for(t[T.approved_budget])
    rows = list(t.itertuples(index=False))
    for i, rec in enumerate(rows):
        row = first + i
        s.text(row, 0, rec.budget_line, book.fmt.text)
        s.money_formula(row, 1, "=" + F.sumifs("BudgetLines_Approved", ("BudgetLines_Period", F.eq(period_cell, book.period)),
                                                ("BudgetLines_Line", F.eq(s.cell(row, 0, col_abs=True), rec.budget_line))),
                        rec.approved_budget, approved_fmt)
        formula = "=" + F.ledger_sum("TS", "expense", ("Ledger_Period", F.eq(period_cell, book.period)),
                                     ("Ledger_BudgetLine", F.eq(s.cell(row, 0, col_abs=True), rec.budget_line)))
        s.money_formula(row, 2, formula, rec.expenses)
        s.money_formula(row, 3, f"={s.cell(row, 1)}-{s.cell(row, 2)}", rec.balance)
        for col, column in LINE_COLUMNS:
            book.place(key(rec.budget_line, column), s, row, col)
    return first + len(rows)


# ------------------------------------------------------------------------------------------------ published

FILE_LINES = PublishedFile(NAME, "table2_budget_execution_2012.csv", ("budget_line", "approved_budget", "expenses"))
FILE_SUMMARY = PublishedFile(SUMMARY, "table2_contributions_2012.csv", ("item", "amount"))
# The summary's items are recognised by a word of their label (the first that matches, in this order).
SUMMARY_WORDS = (("balance", "balance"), ("pending", "contributions_pending"), ("received", "contributions_received"),
                 ("expenses", "total_expenses"), ("approved", "approved_budget"))


def published_rows(report, files: dict) -> list[Row]:
    lines, summary = files.get(NAME), files.get(SUMMARY)
    rows: list[Row] = []
    expenses_sum = Decimal(0)
    if lines is not None:
        t = report.tables[NAME].set_index(T.budget_line)
        for i, rec in lines.iterrows():
            line = rec["budget_line"].strip()
            for column, header in ((T.approved_budget, "Approved Budget"), (T.expenses, "Expenses")):
                value = number(rec[column], FILE_LINES.file, i + 2, column)
                computed = usd(t.at[line, column]) if line in t.index else None
                rows.append(Row("Table 2", line, header, "USD", value, computed,
                                key(line, column) if computed is not None else None))
                if column == T.expenses and value is not None:
                    expenses_sum += value
    if summary is not None:
        rows += _summary_rows(report, summary, expenses_sum if lines is not None else None)
    return rows


def _summary_rows(report, summary: pd.DataFrame, expenses_sum: Decimal | None) -> list[Row]:
    """The summary's items; a balance or pending that is not the report's own arithmetic is flagged."""
    s = report.tables[SUMMARY].set_index(T2.item)[T2.amount]
    rows: list[Row] = []
    items: dict[str, Row] = {}
    for i, rec in summary.iterrows():
        label = rec["item"].strip()
        item = next((k for word, k in SUMMARY_WORDS if word in label.lower()), None)
        value = number(rec["amount"], FILE_SUMMARY.file, i + 2, "amount")
        computed = usd(s[item]) if item in s.index else None
        row = Row("Table 2", label, "Amount", "USD", value, computed,
                  summary_key(item) if computed is not None else None)
        rows.append(row)
        if item:
            items[item] = row
    pub = {k: r.published for k, r in items.items()}
    if "balance" in items:
        own_rule(items["balance"], sub(pub.get("contributions_received"), pub.get("total_expenses")),
                 "received − total expenses")
    if "contributions_pending" in items:
        own_rule(items["contributions_pending"], sub(pub.get("approved_budget"), pub.get("contributions_received")),
                 "approved − received")
    if "total_expenses" in items and expenses_sum is not None:
        total_rule(items["total_expenses"], expenses_sum)
    return rows


# ------------------------------------------------------------------------------------------------ document


def write_docx(doc, report) -> None:
    """Section 2.2: the period's contributions, then its expenses by budget line (in cents, as published). Its
    titles are the as-of date's, as the workbook's; where the expenses are recorded to an earlier date (the month
    end of the last expense line) a note says so, in the workbook's words (`common.CUTOFF_NOTE`)."""
    from .layout import Column, Row, Table
    from ..ledger import expenses_cutoff

    period = common.as_of_period(report.reference, report.as_of)
    start = report.reference.period_row(period)[S.Periods.start].date()
    cutoff = expenses_cutoff(report.clamped(), report.as_of) or report.as_of
    span = doc.lang.month_span(start, report.as_of)
    summary = report.tables[SUMMARY].set_index(T2.item)[T2.amount]
    doc.section_heading(doc._("Budget Execution for {period}", period=period))
    doc.lead(doc._("{table} shows the budget execution of the TS for the period of {span}. The first part lists the "
                   "approved budget, received and pending contributions for this year. The second part shows the "
                   "budget execution.", table=doc.label(NAME), span=span))
    items = ((doc._("Approved Budget for {period}", period=period), "approved_budget"),
             (doc._("Contributions Received for {period}", period=period), "contributions_received"),
             (doc._("Pending Contributions for {period}", period=period), "contributions_pending"))
    first = Table(NAME, [Column("item", (), 3.0, "left"), Column("amount", (), 1.2)],
                  [Row(item, [label, doc.money(summary[item], 2)]) for label, item in items], keep_together=True,
                  span=0.75)
    doc.table(first, [doc._("Budget Execution"), doc._("For the period of {span}", span=span),
                      doc._("Contributions by Member Countries")])
    t = report.tables[NAME]
    rows = [Row(line, [doc.line(period, line), doc.money(approved, 2), doc.money(spent, 2)])
            for line, approved, spent in zip(t[T.budget_line], t[T.approved_budget], t[T.expenses])]
    rows.append(Row("TOTAL", [doc._("Total Expenses, {span}", span=span), doc.money(t[T.approved_budget].sum(), 2),
                              doc.money(summary["total_expenses"], 2)], total=True))
    rows.append(Row("Balance", [doc._("Balance, {date}", date=doc.lang.long_date(report.as_of)), "",
                                doc.money(summary["balance"], 2)], total=True))
    second = Table(NAME, [Column("Budget Line", ("",), 3.0, "left"),
                          Column("Approved Budget", (doc._("Approved Budget"),), 1.2),
                          Column("Expenses", (doc._("Expenses"),), 1.2)], rows, keep_together=True,
                   span=0.85)
    doc.table(second, [doc._("Detailed Expenses for the {period} Budget", period=period)], caption=False,
              source=doc._("Source: IOM Financial Systems, {month}.", month=doc.lang.month_year(report.as_of)),
              after=[doc._("Balance = contributions received for {period} − total expenses.", period=period),
                     *filter(None, [common.cutoff_note(report.as_of, cutoff, doc.lang.long_date, doc._)])])


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build), Frame(SUMMARY, T2, build_summary)), write_sheet,
            Published((FILE_LINES, FILE_SUMMARY), published_rows), depends=(table1.NAME,),
            docx=DocxLayout(write_docx))
