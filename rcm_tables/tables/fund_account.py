"""The Return Fund's account: per period, contributions received, what the fund spent, the balance and the
running balance. Table 5 shows only the fund's receipts; its expense lines (return assistance, on 7xxxxx
accounts of fund RF) are in the ledger, and this account sets them against the receipts.

Received counts the fund's contribution lines by Assignment, spent its expense lines by posting date, as
Table 1 does for the Secretariat's budget; the periods run from the fund's first line to the as-of period.
`rcm_tables.analysis.fund_account` gives the same account for either fund.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import money as M
from .. import schemas as S
from ..reference import Reference
from . import formulas as F
from . import common
from .spec import CellKey, Frame, Spec

NAME = "return_fund_account"
TITLE = "Return Fund account"
T = S.FundAccount
L = S.Ledger
HEADERS = {T.received: "Contributions Received", T.spent: "Spent", T.balance: "Balance",
           T.accumulated_balance: "Accumulated Balance"}


def key(row, column: str) -> CellKey:
    return CellKey(NAME, row, column)


def account(lines: pd.DataFrame, ref: Reference, as_of: dt.date, fund: str) -> pd.DataFrame:
    """A fund's account, from the ledger clamped to the as-of date."""
    received = common.fund_by_period(lines, fund, "contribution")
    spent = common.fund_by_period(lines, fund, "expense")
    labels = ref.periods_up_to(as_of)
    used = set(received) | set(spent)
    first = next((i for i, label in enumerate(labels) if label in used), len(labels))
    records, running = [], 0
    for label in labels[first:]:
        got, out = received.get(label, 0), spent.get(label, 0)
        running += got - out
        records.append({T.period: label, T.received: got, T.spent: out, T.balance: got - out,
                        T.accumulated_balance: running})
    return common.to_frame(T, records)


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    return account(lines, ref, as_of, "RF")


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    t = book.report.tables[NAME]
    s.titles([(TITLE, "heading"), ("The Fund to Assist the Return of Intra-Regional Migrants in Highly Vulnerable "
                                   "Situations: what it received and what it spent, in U.S. Dollars", "title")])
    header = 3
    s.headers(header, ["Period", *HEADERS.values()])
    first = header + 1
    rows = list(t.itertuples(index=False))
    for i, rec in enumerate(rows):
        row = first + i
        period = ("Ledger_Period", F.eq(s.cell(row, 0, col_abs=True), rec.period))
        s.text(row, 0, rec.period, f.text)
        s.money_formula(row, 1, "=" + F.ledger_sum("RF", "contribution", period), rec.received)
        s.money_formula(row, 2, "=" + F.ledger_sum("RF", "expense", period), rec.spent)
        s.money_formula(row, 3, f"={s.cell(row, 1)}-{s.cell(row, 2)}", rec.balance)
        s.money_formula(row, 4, f"={s.cell(row, 3)}" if i == 0 else f"={s.cell(row - 1, 4)}+{s.cell(row, 3)}",
                        rec.accumulated_balance)
        for col, column in enumerate(HEADERS, start=1):
            book.place(key(rec.period, column), s, row, col)
    total = first + len(rows)
    s.text(total, 0, "Total", f.total_text)
    for col, column in enumerate(HEADERS, start=1):
        if column == T.accumulated_balance:
            s.blank(total, col, f.money(total=True))
            continue
        s.money_formula(total, col, F.sum_of(first, total - 1, col), int(t[column].sum()), M.MONEY, total=True)
        book.place(key("TOTAL", column), s, total, col)
    s.text(total + 2, 0, "Source: IOM Financial Systems (Ledger sheet, fund RF): contributions by Assignment, "
                         "expenses by posting date, up to AsOf.", f.note, fit=0)
    s.finish(header_last=header, freeze=(first, 1))


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build),), write_sheet)
