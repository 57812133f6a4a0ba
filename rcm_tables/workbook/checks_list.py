"""The checks the Checks sheet shows, by group. Each is a pair of figures that must agree:

- Tables: reconciliations between the tables (Table 1 against Tables 2 and 4, running sums, the scales).
- Reference: a period's budget lines add up to its approved budget (both on the reference sheets).
- Control totals: each export's own Total row against its lines on the Ledger (and its identical duplicates).
- Funds and kinds: the Ledger's totals by fund and kind against the tables' totals.
- Periods: a period's figures in Table 1 against the Ledger selected by posting date (costs) or by Assignment
  (receipts) instead of by the Ledger's Period column.
- Budget lines: each Table 2 line against the Ledger selected by the accounts the Accounts sheet maps to it.
- Partners: each partner's receipts by the Ledger's Partner column against the same by Partner (as written).

Together they make any change on the Ledger sheet (an amount, a budget line, a partner, a period, a fund or a
kind) turn at least one check FAILED when the workbook is recalculated.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import money as M
from .. import schemas as S
from ..tables import annex1, table1, table2, table3, table4, table5
from ..tables import formulas as F
from ..tables.common import brought_forward
from . import reference_sheets, sources
from .formats import PERCENT

T1 = S.Table1
L = S.Ledger


@dataclass(frozen=True)
class Check:
    group: str
    text: str
    a_label: str
    a_formula: str | None  # None: a typed figure
    a_value: float
    b_label: str
    b_formula: str | None
    b_value: float
    num_format: str = M.MONEY
    explained: float | None = None  # the difference (first − second) a known rule explains
    note: str = ""

    @property
    def status(self) -> str:
        diff = round(self.a_value - self.b_value, 2)
        if diff == 0:
            return "OK"
        if self.explained is not None and round(diff - self.explained, 2) == 0:
            return "EXPLAINED"
        return "FAILED"


def money_check(book, group, text, a_label, a_key, a_cents, b_label, b_key, b_cents) -> Check:
    """Two table cells (None for a typed second figure)."""
    return Check(group, text, a_label, f"={book.xref(a_key)}", M.dollars(a_cents), b_label,
                 None if b_key is None else f"={book.xref(b_key)}", M.dollars(b_cents))


def build(book) -> list[Check]:
    lines = Selection(book.report.clamped())
    checks = _tables(book) + _scales(book) + _reference(book) + _funds(book, lines)
    # one per export, so last: the reconciliations come first
    return checks + _periods(book, lines) + _budget_lines(book, lines) + _partners(book) + _control_totals(book)


class Selection:
    """The lines the checks add up (clamped to AsOf), selected with numpy masks made once: a decade's ledger is
    240,000 lines, and selecting on the frame itself takes every column (Arrow-backed) for every selection."""

    def __init__(self, lines: pd.DataFrame):
        self.lines = lines
        self.usd = lines[L.amount_usd].to_numpy(dtype=np.int64, na_value=0)  # a missing amount adds nothing
        self._masks: dict[tuple[str, str], np.ndarray] = {}

    def eq(self, column: str, value: str) -> np.ndarray:
        key = (column, value)
        if key not in self._masks:
            self._masks[key] = (self.lines[column] == value).to_numpy(dtype=bool, na_value=False)
        return self._masks[key]

    def total(self, mask: np.ndarray) -> int:
        return int(self.usd[mask].sum())


def _sums(keys, cents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each key, the sum of its cents), keys in order of first appearance; a missing key adds to none."""
    codes, uniques = pd.factorize(keys)
    codes = np.asarray(codes)
    sums = np.zeros(len(uniques), dtype=np.int64)
    np.add.at(sums, codes[codes >= 0], cents[codes >= 0])
    return np.asarray(uniques), sums


# ------------------------------------------------------------------------------------------------ tables


def _tables(book) -> list[Check]:
    t = book.report.tables
    period, group = book.period, "Tables"
    t1 = t["table1"].set_index(T1.period)
    t4 = t["table4"]
    forward = brought_forward(book.ref, set(t4[S.Table4.period]))
    checks = [money_check(
        book, group, f"Table 1's contributions received for {p} equal Table 4's total for {p}",
        f"Table 1, {p}, Contributions Received", table1.key(p, T1.contributions_received),
        t1.at[p, T1.contributions_received], f"Table 4, TOTAL, {p} received", table4.key(("TOTAL", p), "received"),
        t4.loc[t4[S.Table4.period] == p, S.Table4.received].sum()) for p in dict.fromkeys(t4[S.Table4.period])
        if p not in forward]  # who paid a period brought forward is not in the exports: Table 4 cannot add up to it
    checks.append(money_check(
        book, group, f"Table 2's total expenses equal Table 1's operating costs for {period}",
        "Table 2, Total Expenses", table2.key("TOTAL", S.Table2.expenses), t["table2"][S.Table2.expenses].sum(),
        f"Table 1, {period}, Operating Costs", table1.key(period, T1.operating_costs), t1.at[period, T1.operating_costs]))
    checks.append(money_check(
        book, group, f"Table 2's budget lines add up to the approved budget for {period}",
        "Table 2, Total, Approved Budget", table2.key("TOTAL", S.Table2.approved_budget),
        t["table2"][S.Table2.approved_budget].sum(),
        f"Table 1, {period}, Approved Budget", table1.key(period, T1.approved_budget), t1.at[period, T1.approved_budget]))
    total3 = table3.key("TOTAL", "amount")
    if total3 in book.cells:
        nxt = table3.next_period(book.ref, book.as_of)
        checks.append(Check(
            group, f"Table 3's budget lines add up to the approved budget for {nxt}", "Table 3, Total",
            f"={book.xref(total3)}", M.dollars(int(t["table3"][S.Table3.amount].sum())),
            f"Approved budget for {nxt} (Periods sheet)", f"={book.xref(_period_cell(book, nxt))}",
            M.dollars(book.ref.approved_budget(nxt))))
    annex = t["annex1"][S.Annex1.assessed_usd].sum()
    last = t1.index[-1]
    return checks + [
        money_check(book, group, f"Annex 1's scale amounts add up to the approved budget for {period}",
                    "Annex 1, TOTAL, Contribution in US$", annex1.key("TOTAL", "assessed_usd"), annex,
                    f"Table 1, {period}, Approved Budget", table1.key(period, T1.approved_budget),
                    t1.at[period, T1.approved_budget]),
        money_check(book, group, "Table 1's accumulated balance equals the running sum of its net balances",
                    f"Table 1, {last}, Accumulated Balance", table1.key(last, T1.accumulated_balance),
                    t1.at[last, T1.accumulated_balance], "Table 1, Total, Net Balance",
                    table1.key("TOTAL", T1.net_balance), t1[T1.net_balance].sum()),
        money_check(book, group, "Table 1's accumulated pending equals the running sum of its pending contributions",
                    f"Table 1, {last}, Contributions Pending, Accumulated",
                    table1.key(last, T1.contributions_pending_accumulated),
                    t1.at[last, T1.contributions_pending_accumulated], "Table 1, Total, Contributions Pending",
                    table1.key("TOTAL", T1.contributions_pending), t1[T1.contributions_pending].sum()),
    ]


def _period_cell(book, label: str):
    row = book.ref.periods.index[book.ref.periods[S.Periods.period] == label][0]
    return reference_sheets.key(S.PERIODS_SHEET, int(row), S.Periods.approved_budget)


def _scales(book) -> list[Check]:
    checks = []
    for fund, key, what in (("TS", annex1.key, "Annex 1"), ("RF", table5.key, "Table 5")):
        shares = book.ref.scale_of(fund)[S.Scale.share_pct].dropna()
        if shares.empty:
            continue
        total = round(float(shares.sum()), 6)
        off = round(total - 100.0, 6)
        note = "" if round(off, 2) == 0 else (
            f"Explained, not hidden: the approved {fund} scale in the reference workbook adds up to {total:.2f} %. "
            "This is the published report's own discrepancy (its scale prints 100.01 %; docs/discrepancies.md "
            "item 3); amounts are taken from Assessed (USD), not from the shares.")
        checks.append(Check("Tables", f"The {fund} scale's shares add up to 100 % ({what})",
                            f"{what}, TOTAL, Percentage", f"={book.xref(key('TOTAL', 'share_pct'))}", total, "100 %",
                            None, 100.0, PERCENT, explained=off if note else None, note=note))
    return checks


# ------------------------------------------------------------------------------------------------ reference


def _reference(book) -> list[Check]:
    ref = book.ref
    checks = []
    for row, p in ref.periods.iterrows():
        label = p[S.Periods.period]
        lines = ref.lines_of(label)
        if lines.empty:
            continue
        approved = reference_sheets.key(S.PERIODS_SHEET, int(row), S.Periods.approved_budget)
        formula = "=" + F.sumifs("BudgetLines_Approved", ("BudgetLines_Period", F.literal(label)))
        checks.append(Check("Reference", f"The budget lines of {label} add up to its approved budget",
                            f"Budget Lines, {label}, sum", formula, M.dollars(int(lines[S.BudgetLines.approved].sum())),
                            f"Periods, {label}, Approved Budget", f"={book.xref(approved)}",
                            M.dollars(int(p[S.Periods.approved_budget]))))
    return checks


# ------------------------------------------------------------------------------------------------ exports


def _control_totals(book) -> list[Check]:
    """Each export's own footing (its Total row) against its lines: on the Ledger, or identical duplicates."""
    report = book.report
    ledger = report.ledger_cents
    ledger_sums = dict(zip(*_sums(ledger[L.file], ledger[L.amount_usd].to_numpy(dtype=np.int64, na_value=0))))
    dups = report.duplicates
    dup_sums = dups.groupby(L.file)[L.amount_usd].sum() if not dups.empty else pd.Series(dtype="int64")
    has_dups = "Duplicates" in book.sheets
    checks = []
    for source in report.source_counts:
        footing = sources.key(source.file, "footing")
        if footing not in book.cells:
            continue  # no Total row, or rows rejected: the reader noted why it was not compared
        crit = F.literal(source.file)
        formula = "=" + F.sumifs("Ledger_USD", ("Ledger_File", crit))
        if has_dups:
            formula += "+" + F.sumifs("Duplicates_USD", ("Duplicates_File", crit))
        lines = int(ledger_sums.get(source.file, 0)) + int(dup_sums.get(source.file, 0))
        checks.append(Check("Control totals", f"{source.file}: the export's Total row equals its lines",
                            "Sources, Total row (USD)", f"={book.xref(footing)}", M.dollars(source.footing),
                            "Ledger (and Duplicates), this file's lines", formula, M.dollars(lines)))
    return checks


def _funds(book, lines: Selection) -> list[Check]:
    """The Ledger's totals by fund and kind (lines posted by AsOf) against the tables' totals."""
    report, ref = book.report, book.ref
    t1, advance = report.tables["table1"], report.tables["table4_advance"]

    def ledger(fund: str, kind: str) -> tuple[str, int]:
        return "=" + F.ledger_sum(fund, kind), lines.total(lines.eq(L.fund, fund) & lines.eq(L.kind, kind))

    in_advance = [book.xref(table4.key(("ADVANCE", c, p), "received")) for c, p in
                  dict.fromkeys(zip(advance[S.Table4Advance.country], advance[S.Table4Advance.period]))]
    opening = not ref.opening.empty  # else no Opening Balances sheet (`reference_sheets.sheets`)
    received = (f"={book.xref(table1.key('TOTAL', T1.contributions_received))}"
                + ("-SUM(Opening_Received)" if opening else "")
                + "".join(f"+{cell}" for cell in in_advance))
    received_cents = (int(t1[T1.contributions_received].sum()) + int(advance[S.Table4Advance.amount].sum())
                      - int(ref.opening[S.OpeningBalances.contributions_received].sum()))
    costs = f"={book.xref(table1.key('TOTAL', T1.operating_costs))}" + ("-SUM(Opening_Costs)" if opening else "")
    costs_cents = int(t1[T1.operating_costs].sum()) - int(ref.opening[S.OpeningBalances.operating_costs].sum())
    ts_in, ts_in_cents = ledger("TS", "contribution")
    ts_out, ts_out_cents = ledger("TS", "expense")
    group = "Funds and kinds"
    return [
        Check(group, "TS contributions on the Ledger equal Table 1's received (without opening balances) and the "
              "receipts in advance", "Ledger, TS contributions", ts_in, M.dollars(ts_in_cents),
              "Table 1 − opening balances + in advance", received, M.dollars(received_cents)),
        Check(group, "TS expenses on the Ledger equal Table 1's operating costs (without opening balances)",
              "Ledger, TS expenses", ts_out, M.dollars(ts_out_cents), "Table 1 − opening balances", costs,
              M.dollars(costs_cents)),
    ] + _return_fund(book, ledger, lines)


def _return_fund(book, ledger, lines: Selection) -> list[Check]:
    t5 = book.report.tables["table5"]
    if t5.empty:
        return []
    periods = list(dict.fromkeys(t5[S.Table5.period]))
    totals = "+".join(book.xref(table5.key(("TOTAL", p), "received")) for p in periods)
    formula, cents = ledger("RF", "contribution")
    shown = lines.total(lines.eq(L.fund, "RF") & lines.eq(L.kind, "contribution")
                        & lines.lines[L.period].isin(periods).to_numpy(dtype=bool, na_value=False))
    other = cents - int(shown)  # receipts for periods Table 5 does not show (in advance)
    b_formula = f"={totals}" + (f"+{M.dollars(other)!r}" if other else "")
    return [Check("Funds and kinds", "Return Fund contributions on the Ledger equal Table 5's total"
                  + (" and the receipts for later periods" if other else ""), "Ledger, RF contributions", formula,
                  M.dollars(cents), "Table 5, TOTAL row" + (" + later periods" if other else ""), b_formula,
                  M.dollars(int(shown) + other))]


# ------------------------------------------------------------------------------------------------ ledger


def _periods(book, lines: Selection) -> list[Check]:
    """Table 1 by the Ledger's Period column, against the Ledger by posting date (costs) and Assignment (receipts)."""
    ref = book.ref
    t1 = book.report.tables["table1"].set_index(T1.period)
    checks = []
    # selected once, not per period: a decade's ledger is 240,000 lines
    costs = lines.eq(L.fund, "TS") & lines.eq(L.kind, "expense")
    days, day_usd = _sums(lines.lines[L.posting_date].to_numpy()[costs], lines.usd[costs])  # TS costs per day
    receipts = np.flatnonzero(lines.eq(L.fund, "TS") & lines.eq(L.kind, "contribution"))
    assignments, receipt_usd = lines.lines[L.assignment].take(receipts), lines.usd[receipts]
    for row, p in ref.periods.iterrows():
        label = p[S.Periods.period]
        if label not in t1.index:
            continue
        start = book.xref(reference_sheets.key(S.PERIODS_SHEET, int(row), S.Periods.start))
        end = book.xref(reference_sheets.key(S.PERIODS_SHEET, int(row), S.Periods.end))
        opening = ref.opening_for(label)
        o_costs = 0 if opening is None else int(opening[S.OpeningBalances.operating_costs])
        o_received = 0 if opening is None else int(opening[S.OpeningBalances.contributions_received])
        start_day, end_day = (pd.Timestamp(p[c]).to_datetime64() for c in (S.Periods.start, S.Periods.end))
        by_date = day_usd[(days >= start_day) & (days <= end_day)].sum()
        by_assignment = receipt_usd[(assignments == label).to_numpy(dtype=bool, na_value=False)].sum()
        opening_sum = (f"+SUMIFS(Opening_Costs,Opening_Period,{F.literal(label)})",
                       f"+SUMIFS(Opening_Received,Opening_Period,{F.literal(label)})") if not ref.opening.empty else ("", "")
        checks += [
            Check("Periods", f"{label}: operating costs by the Ledger's Period equal those by posting date",
                  f"Table 1, {label}, Operating Costs", f"={book.xref(table1.key(label, T1.operating_costs))}",
                  M.dollars(int(t1.at[label, T1.operating_costs])), f"Ledger, posted from Start to End of {label}",
                  "=" + F.ledger_sum("TS", "expense", ("Ledger_Date", f'">="&{start}'), ("Ledger_Date", f'"<="&{end}'))
                  + opening_sum[0], M.dollars(int(by_date) + o_costs)),
            Check("Periods", f"{label}: contributions by the Ledger's Period equal those by Assignment",
                  f"Table 1, {label}, Contributions Received",
                  f"={book.xref(table1.key(label, T1.contributions_received))}",
                  M.dollars(int(t1.at[label, T1.contributions_received])), f"Ledger, Assignment {label}",
                  "=" + F.ledger_sum("TS", "contribution", ("Ledger_Assignment", F.literal(label))) + opening_sum[1],
                  M.dollars(int(by_assignment) + o_received)),
        ]
    return checks


def _budget_lines(book, lines: Selection) -> list[Check]:
    """Each Table 2 line against the Ledger's lines of the accounts the Accounts sheet maps to it."""
    ref, period = book.ref, book.period
    mine = lines.eq(L.fund, "TS") & lines.eq(L.kind, "expense") & lines.eq(L.period, period)
    by_account = lines.lines.loc[mine, [L.gl_account, L.amount_usd]].groupby(L.gl_account)[L.amount_usd].sum()
    t2 = book.report.tables["table2"].set_index(S.Table2.budget_line)
    checks = []
    for name in t2.index:
        rows = _accounts_of(ref, period, name)
        terms = [F.ledger_sum("TS", "expense", ("Ledger_Period", F.literal(period)), (
            "Ledger_Account", f'"="&{book.xref(reference_sheets.key(S.ACCOUNTS_SHEET, row, S.Accounts.gl_account))}'))
            for row, _account in rows]
        value = sum(int(by_account.get(account, 0)) for _row, account in rows)
        accounts = ", ".join(account for _row, account in rows) or "none"
        checks.append(Check("Budget lines", f"{period}, {name}: expenses by budget line equal those of its accounts "
                            f"({accounts})", f"Table 2, {name}, Expenses",
                            f"={book.xref(table2.key(name, S.Table2.expenses))}",
                            M.dollars(int(t2.at[name, S.Table2.expenses])), "Ledger, by the Accounts sheet",
                            "=" + ("+".join(terms) or "0"), M.dollars(value)))
    return checks


def _accounts_of(ref, period: str, line: str) -> list[tuple[int, str]]:
    """(Accounts sheet row, account) of every account whose budget line in ``period`` is ``line`` (a row for
    the period wins over a row with Period empty)."""
    acc = ref.accounts
    out = []
    for row, p, account in zip(acc.index, acc[S.Accounts.period], acc[S.Accounts.gl_account]):
        if p not in ("", period) or (p == "" and (period, account) in ref.account_map):
            continue
        if ref.budget_line_for(period, account) == line:
            out.append((int(row), account))
    return out


def _partners(book) -> list[Check]:
    """Each partner's receipts (all lines, every fund) by Partner against the same by Partner (as written)."""
    ledger = book.report.ledger_cents
    received = (ledger[L.kind] == "contribution") & (ledger[L.partner] != "")
    income = ledger.loc[received.to_numpy(dtype=bool, na_value=False), [L.partner, L.partner_as_written, L.amount_usd]]
    income = income.assign(folded=income[L.partner_as_written].str.casefold())
    # SUMIFS ignores case: one term per spelling, case aside (its first as written), or a line would count twice
    firsts = income.drop_duplicates([L.partner, "folded"])
    spelled: dict[str, list[str]] = {}
    for partner, text in zip(firsts[L.partner], firsts[L.partner_as_written]):
        spelled.setdefault(partner, []).append(text)
    checks = []
    for partner, total in income.groupby(L.partner, sort=True)[L.amount_usd].sum().items():
        spellings = spelled[partner]  # each its own as written: distinct (partner, folded) pairs
        b = "+".join(F.sumifs("Ledger_USD", ("Ledger_Kind", '"contribution"'), ("Ledger_PartnerWritten", F.literal(text)))
                     for text in spellings)
        cents = int(total)
        checks.append(Check("Partners", f"{partner}: receipts by Partner equal those by Partner (as written: "
                            f"{'; '.join(spellings)})", "Ledger, by Partner",
                            "=" + F.sumifs("Ledger_USD", ("Ledger_Kind", '"contribution"'), ("Ledger_Partner",
                                                                                        F.literal(partner))),
                            M.dollars(cents), "Ledger, by Partner (as written)", "=" + b, M.dollars(cents)))
    return checks
