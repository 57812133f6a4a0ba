"""Small in-memory references and ledgers for unit tests (tables are pure functions of these)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from rcm_tables import schemas as S
from rcm_tables.ledger import attribute
from rcm_tables.reference import Reference

L = S.Ledger


def _frame(model, records):
    cols = S.columns(model)
    frame = pd.DataFrame.from_records(records, columns=cols)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    for column in cols:
        dtype = str(model.__annotations__[column])
        if "Int64" in dtype:
            frame[column] = frame[column].astype("Int64")
        elif "DateTime" in dtype:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif "float" in dtype:
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def reference(periods=None, lines=None, accounts=None, scale=None, opening=(), partners=()) -> Reference:
    """Periods 2010-2013 (budget 1,000.00 each), two members A (60 %) and B (40 %), a donor D."""
    periods = periods or [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 100000) for y in range(2010, 2014)]
    lines = lines or [(p[0], "Staff" if i == 0 else "Operational Expenses", name, amount)
                      for p in periods for i, (name, amount) in enumerate((("Staff", 60000), ("Travel", 40000)))]
    accounts = accounts or [("", "710100", "Staff"), ("", "760100", "Travel")]
    scale = scale or [("TS", "A", 60.0, 60000), ("TS", "B", 40.0, 40000),
                      ("RF", "A", 60.0, 6000), ("RF", "B", 40.0, 4000)]
    partners = partners or [("A", "member", "Alpha; Ä"), ("B", "member", ""), ("D", "donor", "")]
    return Reference(
        file="reference.xlsx", sha256="0" * 64,
        periods=_frame(S.Periods, [dict(zip(S.columns(S.Periods), p)) for p in periods]),
        budget_lines=_frame(S.BudgetLines, [dict(zip(S.columns(S.BudgetLines), p)) for p in lines]),
        accounts=_frame(S.Accounts, [dict(zip(S.columns(S.Accounts), p)) for p in accounts]),
        scale=_frame(S.Scale, [dict(zip(S.columns(S.Scale), p)) for p in scale]),
        opening=_frame(S.OpeningBalances, [dict(zip(S.columns(S.OpeningBalances), p)) for p in opening]),
        partners=_frame(S.Partners, [dict(zip(S.columns(S.Partners), p)) for p in partners]),
    )


def line(date, usd, *, account="400100", fund="TS", partner="", assignment="", doc_type=None,
         currency="USD", doc_amount=None, text="", doc=None, item=1) -> dict:
    """One ledger line; amounts in dollars (converted to exact cents)."""
    income = account.startswith("4")
    cents = round(usd * 100)
    return {
        L.document_no: doc, L.item: item, L.posting_date: pd.Timestamp(date),
        L.doc_type: doc_type or ("DZ" if income else "KR"), L.fund: fund, L.gl_account: account,
        L.partner: partner, L.assignment: assignment, L.currency: currency,
        L.amount_doc: cents if doc_amount is None else round(doc_amount * 100), L.amount_usd: cents,
        L.text: text, L.extra: "", L.file: "export.xlsx", L.sheet: "Line Items", L.row: None,
    }


def pay(date, usd, partner, period, **kw) -> dict:
    return line(date, usd, partner=partner, assignment=period, **kw)


def spend(date, usd, account="710100", **kw) -> dict:
    return line(date, usd, account=account, **kw)


def ledger(lines: list[dict], ref: Reference) -> pd.DataFrame:
    """The lines as an attributed ledger. A line's row is its position (row 2 is the first line, as under a
    header row) and, unless given, its document number too: the same list gives the same ledger in any test."""
    lines = [{**x, L.row: i + 2, L.document_no: x[L.document_no] or f"19{i + 2:08d}"} for i, x in enumerate(lines)]
    frame = pd.DataFrame.from_records(lines, columns=S.columns(S.ExportLine) + [L.file, L.sheet, L.row])
    frame[L.item] = frame[L.item].astype("Int64")
    frame[L.amount_doc] = frame[L.amount_doc].astype("Int64")
    frame[L.amount_usd] = frame[L.amount_usd].astype("Int64")
    frame[L.posting_date] = pd.to_datetime(frame[L.posting_date]).astype("datetime64[ns]")
    frame[L.copies] = 1
    out = attribute(frame, ref)
    out[L.amount_usd] = out[L.amount_usd].astype("int64")
    return out
