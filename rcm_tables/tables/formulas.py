"""What a table's sheet declares its cells with: formula text (SUMIFS over the Ledger's named columns, literal
criteria, column totals), the percent format and the date of the notes. The workbook writer interprets them; this
module imports none of it (docs/architecture.md).

Every figure from the exports is ``SUMIFS(Ledger_USD, Ledger_Fund, fund, Ledger_Kind, kind, ..., Ledger_Date,
"<="&AsOf)``: lines posted after the named cell AsOf are listed on the Ledger sheet but counted nowhere.
"""
from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_range

PERCENT = '0.00"%"'  # shares are held as percentage points (1.77), as the reference workbook gives them
WILDCARDS = ("~", "*", "?")  # SUMIFS/COUNTIFS treat these as wildcards; "~" escapes


def needs_escape(label: str) -> bool:
    return any(ch in label for ch in WILDCARDS)


def eq(cell: str, label: str) -> str:
    """A SUMIFS criterion matching ``label`` (the value of ``cell``) literally.

    A leading "=" makes the rest a value, not an operator (a name may begin with "<" or "="); wildcards are
    escaped with "~", in the formula, only where the label holds one, so plain formulas stay plain.
    """
    if needs_escape(label):
        cell = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell},"~","~~"),"*","~*"),"?","~?")'
    return f'"="&{cell}'


def sumifs(total: str, *criteria: tuple[str, str]) -> str:
    return "SUMIFS(" + ",".join([total] + [f"{rng},{crit}" for rng, crit in criteria]) + ")"


def ledger_sum(fund: str, kind: str, *criteria: tuple[str, str]) -> str:
    """Ledger lines of a fund and kind, posted on or before AsOf, matching the criteria."""
    return sumifs("Ledger_USD", ("Ledger_Fund", f'"{fund}"'), ("Ledger_Kind", f'"{kind}"'), *criteria,
                  ("Ledger_Date", '"<="&AsOf'))


def literal(text: str) -> str:
    """A SUMIFS criterion matching ``text`` literally, written into the formula as a string: quotes doubled,
    wildcards escaped. Text from the inputs stays inside the string, so it can never become code."""
    escaped = "".join("~" + ch if ch in WILDCARDS else ch for ch in text).replace('"', '""')
    return f'"={escaped}"'


def partner_criterion(cell: str, partner: str, no_partner: str) -> str:
    """Lines of one partner; the adjustments' row matches lines with no partner."""
    return '""' if partner == no_partner else eq(cell, partner)


def sum_of(first_row: int, last_row: int, col: int) -> str:
    """A column total; "=0" when there are no rows (a reversed range would take in the header)."""
    return f"=SUM({xl_range(first_row, col, last_row, col)})" if last_row >= first_row else "=0"


def long_date(day: dt.date) -> str:
    """'9 November 2012', without platform-specific strftime flags."""
    return f"{day.day} {day:%B %Y}"
