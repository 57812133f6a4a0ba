"""Table 1: approved budgets against incomes and expenditures, one row per period up to the as-of date.

Received is every TS contribution line whose Assignment names the period (whenever it was posted, up to the
as-of date); operating costs every TS expense line posted inside the period; periods older than the exports
come from the reference workbook's opening balances. Pending = approved − received (negative where members
paid more); net balance = received − costs; the accumulated columns are running sums.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from .. import money as M
from .. import schemas as S
from .comparison import Row, add, number, own_rule, sub, usd
from ..reference import Reference
from . import formulas as F
from .formulas import long_date
from . import common
from .spec import CellKey, DocxLayout, Frame, Published, PublishedFile, Spec

NAME = "table1"
TITLE = "Table 1"
T = S.Table1
HEADERS = {
    T.approved_budget: "Approved Budget", T.contributions_received: "Contributions Received",
    T.contributions_pending: "Contributions Pending",
    T.contributions_pending_accumulated: "Contributions Pending, Accumulated",
    T.operating_costs: "Operating Costs", T.net_balance: "Net Balance", T.accumulated_balance: "Accumulated Balance",
}
RUNNING = (T.contributions_pending_accumulated, T.accumulated_balance)  # no total: a sum of running sums means nothing


def key(row, column: str) -> CellKey:
    """A figure of Table 1: row is a period label or "TOTAL", column a `schemas.Table1` column."""
    return CellKey(NAME, row, column)


# ------------------------------------------------------------------------------------------------ build


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    received = common.received(lines, ref)
    costs = common.operating_costs(lines, ref)
    records = []
    pending_acc = balance_acc = 0
    for label in ref.periods_up_to(as_of):
        approved = ref.approved_budget(label)
        got = received.get(label, 0)
        spent = costs.get(label, 0)
        pending = approved - got
        net = got - spent
        pending_acc += pending
        balance_acc += net
        records.append({
            T.period: label, T.approved_budget: approved, T.contributions_received: got,
            T.contributions_pending: pending, T.contributions_pending_accumulated: pending_acc,
            T.operating_costs: spent, T.net_balance: net, T.accumulated_balance: balance_acc,
        })
    return common.to_frame(T, records)


# ------------------------------------------------------------------------------------------------ sheet


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    t = book.report.tables[NAME]
    start_year = book.ref.periods[S.Periods.start].min().year
    top = s.titles([(TITLE, "heading"), ("Approved General Budgets against Incomes and Expenditures", "title"),
                    (f"({start_year}-{book.as_of.year} / In U.S. Dollars)", "subtitle")])
    header = top + 1
    s.headers(header, ["Budget Year", *HEADERS.values()])
    first = header + 1
    approved_fmt = M.money_format_for(t[T.approved_budget])
    rows = list(t.itertuples(index=False))
    for i, rec in enumerate(rows):
        _write_row(book, s, first + i, i == 0, rec, approved_fmt)
    total = first + len(rows)
    s.text(total, 0, "Total", f.total_text)
    for col, column in enumerate(HEADERS, start=1):
        if column in RUNNING:
            s.blank(total, col, f.money(total=True))
            continue
        s.money_formula(total, col, F.sum_of(first, total - 1, col), int(t[column].sum()),
                        approved_fmt if column == T.approved_budget else M.MONEY, total=True)
        book.place(key("TOTAL", column), s, total, col)
    s.text(total + 2, 0, f"Source: IOM Financial Systems (Ledger sheet), lines posted up to "
                         f"{long_date(book.as_of)}; periods before the exports from Opening Balances. "
                         "Exact cents; the published report prints whole dollars.", f.note, fit=0)
    s.finish(header_last=header, freeze=(first, 1))


def _write_row(book, s, row: int, first: bool, rec, approved_fmt: str) -> None:
    label = s.cell(row, 0, col_abs=True)
    period = ("Ledger_Period", F.eq(label, rec.period))
    s.text(row, 0, rec.period, book.fmt.text)
    s.money_formula(row, 1, "=" + F.sumifs("Periods_Approved", ("Periods_Period", F.eq(label, rec.period))),
                    rec.approved_budget, approved_fmt)
    received = "=" + F.ledger_sum("TS", "contribution", period)
    costs = "=" + F.ledger_sum("TS", "expense", period)
    if not book.ref.opening.empty:
        received += "+" + F.sumifs("Opening_Received", ("Opening_Period", F.eq(label, rec.period)))
        costs += "+" + F.sumifs("Opening_Costs", ("Opening_Period", F.eq(label, rec.period)))
    s.money_formula(row, 2, received, rec.contributions_received)
    s.money_formula(row, 3, f"={s.cell(row, 1)}-{s.cell(row, 2)}", rec.contributions_pending)
    s.money_formula(row, 4, f"={s.cell(row, 3)}" if first else f"={s.cell(row - 1, 4)}+{s.cell(row, 3)}",
                    rec.contributions_pending_accumulated)
    s.money_formula(row, 5, costs, rec.operating_costs)
    s.money_formula(row, 6, f"={s.cell(row, 2)}-{s.cell(row, 5)}", rec.net_balance)
    s.money_formula(row, 7, f"={s.cell(row, 6)}" if first else f"={s.cell(row - 1, 7)}+{s.cell(row, 6)}",
                    rec.accumulated_balance)
    for col, column in enumerate(HEADERS, start=1):
        book.place(key(rec.period, column), s, row, col)


# ------------------------------------------------------------------------------------------------ published

FILE = PublishedFile(NAME, "table1_budget_history.csv", ("budget_year", *HEADERS))


def published_rows(report, files: dict) -> list[Row]:
    """Each published figure against the computed one; a figure that is not its own row's arithmetic (pending,
    net, the running sums) is flagged ``own-arithmetic``, a negative pending ``overpaid``."""
    pub = files.get(NAME)
    if pub is None:
        return []
    t = report.tables[NAME].set_index(T.period)
    rows: list[Row] = []
    prev = {T.contributions_pending_accumulated: Decimal(0), T.accumulated_balance: Decimal(0)}
    for i, rec in pub.iterrows():
        period = rec["budget_year"].strip()
        v = {c: number(rec[c], FILE.file, i + 2, c) for c in HEADERS}
        # what each figure should be, from the report's own figures of the row (and the row above)
        own = {
            T.contributions_pending: (sub(v[T.approved_budget], v[T.contributions_received]), "approved − received"),
            T.net_balance: (sub(v[T.contributions_received], v[T.operating_costs]), "received − operating costs"),
            T.contributions_pending_accumulated: (add(prev[T.contributions_pending_accumulated],
                                                      v[T.contributions_pending]), "running sum"),
            T.accumulated_balance: (add(prev[T.accumulated_balance], v[T.net_balance]), "running sum"),
        }
        for column, header in HEADERS.items():
            computed = usd(t.at[period, column]) if period in t.index else None
            row = Row("Table 1", period, header, "USD", v[column], computed,
                      key(period, column) if computed is not None else None)
            rows.append(row)
            if column in own:
                own_rule(row, *own[column])
            if column == T.contributions_pending and min(row.published or 0, computed or 0) < 0:
                row.flag("overpaid", "overpayment: more received than the approved budget, so pending is negative")
        prev = {c: v[c] for c in prev}
    return rows


# ------------------------------------------------------------------------------------------------ document


def write_docx(doc, report) -> None:
    """Section 2.1: the lead sentence names the periods covered; whole dollars, as published."""
    from .cells import adds_up
    from .layout import Column, Row, Table

    t = report.tables[NAME]
    first = report.reference.periods[S.Periods.start].min().date()
    headers = [doc._("Approved Budget"), doc._("Contributions Received"), doc._("Contributions Pending"),
               doc._("Contributions Pending, Accumulated"), doc._("Operating Costs"), doc._("Net Balance"),
               doc._("Accumulated Balance")]
    doc.section_heading(doc._("Overview: Incomes and Expenditures of the TS"))
    doc.lead(doc._("{table} below shows a summary of the incomes and expenditures of the TS, based on the approved "
                   "budgets for the period of {start} – {end}.", table=doc.label(NAME),
                   start=doc.lang.long_date(first), end=doc.lang.long_date(report.as_of)))
    columns = [Column("Budget Year", (doc._("Budget Year"),), 0.9, "left")]
    columns += [Column(english, (header,), 1.0) for english, header in zip(HEADERS.values(), headers)]
    rows = [Row(rec[T.period], [rec[T.period], *(doc.money(rec[c]) for c in HEADERS)]) for _, rec in t.iterrows()]
    exact = t.to_dict("records")
    rounding = not all(
        adds_up([r[T.approved_budget], -r[T.contributions_received]], r[T.contributions_pending])
        and adds_up([r[T.contributions_received], -r[T.operating_costs]], r[T.net_balance])
        and adds_up([p[acc] if p else 0, r[col]], r[acc])
        for p, r in zip([None, *exact], exact)
        for col, acc in ((T.contributions_pending, T.contributions_pending_accumulated),
                         (T.net_balance, T.accumulated_balance)))
    doc.table(Table(NAME, columns, rows, font=8.5),
              [doc._("Approved General Budgets against Incomes and Expenditures"),
               doc._("({first}-{last} / In U.S. Dollars)", first=first.year, last=report.as_of.year)],
              source=doc._("Source: IOM Financial Systems, {month}.", month=doc.lang.month_year(report.as_of)),
              rounding=rounding and doc._("Figures are rounded from exact cents to whole dollars, so a pending "
                                          "amount, a balance or a running sum may differ by a dollar from the "
                                          "figures printed beside it."))


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build),), write_sheet, Published((FILE,), published_rows),
            docx=DocxLayout(write_docx))
