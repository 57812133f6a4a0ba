"""The Checks sheet: each reconciliation as a formula, TRUE when its two figures agree to the cent.

The figures are links to the table cells (`Book.xref`), so a check follows the tables when the workbook is
recalculated; a figure typed from the reference workbook is written as a number.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import money as M
from .. import schemas as S
from ..tables import annex1, table1, table2, table3, table4, table5
from . import sources
from .book import Region
from .formats import COUNT, PERCENT

NAME = "Checks"
HEADERS = ["#", "Check", "First figure", "Value", "Second figure", "Value", "Holds", "Note"]
COL_NO, COL_TEXT, COL_A_LABEL, COL_A, COL_B_LABEL, COL_B, COL_HOLDS, COL_NOTE = range(8)
T1 = S.Table1


@dataclass(frozen=True)
class Check:
    text: str
    a_label: str
    a_formula: str | None  # None: a typed figure
    a_value: float
    b_label: str
    b_formula: str | None
    b_value: float
    holds: bool
    num_format: str
    note: str = ""


def _money_check(book, text, a_label, a_key, a_cents, b_label, b_key, b_cents, note="") -> Check:
    return Check(text, a_label, f"={book.xref(a_key)}", M.dollars(a_cents), b_label,
                 None if b_key is None else f"={book.xref(b_key)}", M.dollars(b_cents),
                 int(a_cents) == int(b_cents), M.MONEY, note)


def _table_checks(book) -> list[Check]:
    t = book.report.tables
    period = book.period
    t1 = t["table1"].set_index(T1.period)
    t4 = t["table4"]
    checks = []
    for p in dict.fromkeys(t4[S.Table4.period]):
        checks.append(_money_check(
            book, f"Table 1's contributions received for {p} equal Table 4's total for {p}",
            f"Table 1, {p}, Contributions Received", table1.key(p, T1.contributions_received),
            t1.at[p, T1.contributions_received], f"Table 4, TOTAL, {p} received", table4.key(("TOTAL", p), "received"),
            t4.loc[t4[S.Table4.period] == p, S.Table4.received].sum()))
    checks.append(_money_check(
        book, f"Table 2's total expenses equal Table 1's operating costs for {period}",
        "Table 2, Total Expenses", table2.key("TOTAL", S.Table2.expenses), t["table2"][S.Table2.expenses].sum(),
        f"Table 1, {period}, Operating Costs", table1.key(period, T1.operating_costs), t1.at[period, T1.operating_costs]))
    checks.append(_money_check(
        book, f"Table 2's budget lines add up to the approved budget for {period}",
        "Table 2, Total, Approved Budget", table2.key("TOTAL", S.Table2.approved_budget),
        t["table2"][S.Table2.approved_budget].sum(),
        f"Table 1, {period}, Approved Budget", table1.key(period, T1.approved_budget), t1.at[period, T1.approved_budget]))
    total3 = table3.key("TOTAL", "amount")
    if total3 in book.cells:
        nxt = table3.next_period(book.ref, book.as_of)
        approved = book.ref.approved_budget(nxt)
        amount = int(t["table3"][S.Table3.amount].sum())
        checks.append(Check(
            f"Table 3's budget lines add up to the approved budget for {nxt}", "Table 3, Total",
            f"={book.xref(total3)}", M.dollars(amount),
            f"Approved budget for {nxt} (reference workbook, {S.PERIODS_SHEET})", None, M.dollars(approved),
            amount == approved, M.MONEY))
    checks += _scale_checks(book)
    checks += _running_sum_checks(book, t1)
    return checks


def _scale_checks(book) -> list[Check]:
    checks = []
    for fund, key, what in (("TS", annex1.key, "Annex 1"), ("RF", table5.key, "Table 5")):
        shares = book.ref.scale_of(fund)[S.Scale.share_pct].dropna()
        if shares.empty:
            continue
        total = round(float(shares.sum()), 6)
        holds = round(total * 100) == 10000
        note = "" if holds else (
            f"Flagged, not hidden: the approved {fund} scale in the reference workbook adds up to {total:.2f} %. "
            "This is the published report's own discrepancy (its scale prints 100.01 %; docs/discrepancies.md "
            "item 3); amounts are taken from Assessed (USD), not from the shares.")
        checks.append(Check(f"The {fund} scale's shares add up to 100 % ({what})", f"{what}, TOTAL, Percentage",
                            f"={book.xref(key('TOTAL', 'share_pct'))}", total, "100 %", None, 100.0, holds,
                            PERCENT, note))
    return checks


def _running_sum_checks(book, t1) -> list[Check]:
    period = book.period
    annex = book.report.tables["annex1"][S.Annex1.assessed_usd].sum()
    last = t1.index[-1]
    return [
        _money_check(book, f"Annex 1's scale amounts add up to the approved budget for {period}",
                     "Annex 1, TOTAL, Contribution in US$", annex1.key("TOTAL", "assessed_usd"), annex,
                     f"Table 1, {period}, Approved Budget", table1.key(period, T1.approved_budget),
                     t1.at[period, T1.approved_budget]),
        _money_check(book, "Table 1's accumulated balance equals the running sum of its net balances",
                     f"Table 1, {last}, Accumulated Balance", table1.key(last, T1.accumulated_balance),
                     t1.at[last, T1.accumulated_balance], "Table 1, Total, Net Balance",
                     table1.key("TOTAL", T1.net_balance), t1[T1.net_balance].sum()),
        _money_check(book, "Table 1's accumulated pending equals the running sum of its pending contributions",
                     f"Table 1, {last}, Contributions Pending, Accumulated",
                     table1.key(last, T1.contributions_pending_accumulated),
                     t1.at[last, T1.contributions_pending_accumulated], "Table 1, Total, Contributions Pending",
                     table1.key("TOTAL", T1.contributions_pending), t1[T1.contributions_pending].sum()),
    ]


def _source_checks(book) -> list[Check]:
    return [Check(f"Rows read = Ledger + duplicates + rejected: {c.file}", "Sources, Rows read",
                  f"={book.xref(sources.key(c.file, 'rows_read'))}", c.rows_read, "Sources, Accounted for",
                  f"={book.xref(sources.key(c.file, 'accounted'))}", c.accounted, c.accounted == c.rows_read, COUNT)
            for c in sources.counts(book.report)]


def write(book) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    book.checks = _table_checks(book) + _source_checks(book)
    s.titles([(NAME, "heading"),
              ("Each reconciliation is a formula: TRUE when its two figures agree to the cent. A check that "
               "does not hold is explained in Note.", "note")])
    header = 3
    s.headers(header, HEADERS)
    first = header + 1
    for i, c in enumerate(book.checks):
        row = first + i
        s.number(row, COL_NO, i + 1, f.count_top)
        s.text(row, COL_TEXT, c.text, f.wrap, fit=0.8)
        s.text(row, COL_A_LABEL, c.a_label, f.wrap, fit=0.6)
        fmt = f.count_top if c.num_format == COUNT else f.money(c.num_format, valign_top=True)
        for col, formula, value in ((COL_A, c.a_formula, c.a_value), (COL_B, c.b_formula, c.b_value)):
            if formula is None:
                s.number(row, col, value, fmt, c.num_format)
            else:
                s.formula(row, col, formula, value, fmt, c.num_format)
        s.text(row, COL_B_LABEL, c.b_label, f.wrap, fit=0.6)
        s.formula(row, COL_HOLDS, f"=ROUND({s.cell(row, COL_A)}-{s.cell(row, COL_B)},2)=0", c.holds, f.boolean)
        s.text(row, COL_NOTE, c.note, f.wrap, fit=0.4)
    last = first + max(len(book.checks), 1) - 1
    book.regions["checks.holds"] = Region(s, first, COL_HOLDS, last, COL_HOLDS)
    # No conditional colouring here: LibreOffice 7.4 crashes rendering a row that has both a conditional
    # format and a wrapped cell (docs/workbook.md); the wrapped texts matter more for print.
    s.finish(header_last=header, freeze=(first, 2))

