"""The Changes sheet (`build --since DATE`): what arrived after the date of the last report, grouped by what it
changed. New receipts and the lines for earlier periods are listed line by line with their file and row (on the
Ledger sheet too); new expenses are summed by budget line; every table figure that moved shows before and after.
Its figures are values from `rcm_tables.analysis.changes`: the Ledger and the tables hold the formulas."""
from __future__ import annotations

import datetime as dt
import numbers

import pandas as pd


NAME = "Changes"
BLOCKS = (
    ("receipts", "New receipts", [("partner", "Partner"), ("period", "Period"), ("amount_usd", "Amount (USD)"),
                                  ("posting_date", "Posted"), ("doc_type", "Doc. Type"), ("file", "File"),
                                  ("row", "Row")]),
    ("expenses", "New expenses, by budget line", [("fund", "Fund"), ("period", "Period"),
                                                   ("budget_line", "Budget line"), ("amount_usd", "Amount (USD)"),
                                                   ("lines", "Lines")]),
    ("earlier_periods", "Lines for periods that had ended (late payments, corrections, reversals)",
     [("kind", "Kind"), ("fund", "Fund"), ("partner", "Partner"), ("period", "Period"), ("amount_usd", "Amount (USD)"),
      ("posting_date", "Posted"), ("doc_type", "Doc. Type"), ("file", "File"), ("row", "Row")]),
    ("figures", "Table figures that moved", [("table", "Table"), ("row", "Row"), ("column", "Column"),
                                             ("before_usd", "Before (USD)"), ("after_usd", "After (USD)"),
                                             ("change_usd", "Change (USD)")]),
)


def write(book) -> None:
    from ..analysis import changes

    s = book.sheets[NAME]
    f = book.fmt
    since: dt.date = book.options.since
    found = changes(book.report, since)
    s.titles([(NAME, "heading"), (f"What arrived after {since.isoformat()}, up to the as-of date "
                                  f"{book.as_of.isoformat()}.", "note")])
    row = 3
    for attr, title, columns in BLOCKS:
        frame = getattr(found, attr)
        s.text(row, 0, f"{title}: {len(frame)}", f.title, fit=0)
        row += 1
        s.headers(row, [label for _c, label in columns])
        for rec in frame[[c for c, _l in columns]].itertuples(index=False):
            row += 1
            for col, value in enumerate(rec):
                _cell(s, f, row, col, value)
        row += 3
    s.finish(freeze=(3, 0))


def _cell(s, f, row: int, col: int, value) -> None:
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        s.blank(row, col, f.text)
    elif hasattr(value, "as_tuple"):  # an exact Decimal of dollars
        s.money(row, col, int(value * 100))
    elif isinstance(value, pd.Timestamp):
        s.date(row, col, value.date(), f.date_text)
    elif isinstance(value, numbers.Integral):
        s.number(row, col, value, f.count)
    else:
        s.text(row, col, str(value), f.text)


def check_since(since: dt.date, as_of: dt.date) -> str | None:
    """Why a --since date cannot be used, or None."""
    if since >= as_of:
        return f"--since {since} is not before the as-of date {as_of}"
    return None

