"""What makes the report and the statements official documents: a symbol (reference), a date of issue, the
meeting the report is for, a running header with them, and the Secretariat as the documents' author.

``build --symbol TEXT --issued YYYY-MM-DD --meeting TEXT``; without them the symbol is ``RCM/TS/FIN/<as-of
year-month>`` (the organisation's acronym first), the date of issue the as-of date (so that the same inputs give
the same bytes), and no meeting is named. A member's statement is referenced ``<symbol>/<n>``, n its place in the
scale (two digits).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


from .i18n import N_
from .organization import organization

AUTHOR = N_("{secretariat} of the {name} ({acronym})")


def author(doc) -> str:
    """'Technical Secretariat of the Regional Conference on Migration (RCM)', from the Organization sheet."""
    return doc._(AUTHOR, secretariat=doc.org.secretariat, name=doc.org.name, acronym=doc.org.acronym)


@dataclass(frozen=True)
class Issue:
    symbol: str | None = None
    issued: dt.date | None = None
    meeting: str | None = None

    def symbol_for(self, report, acronym: str = "RCM") -> str:
        return self.symbol or f"{acronym}/TS/FIN/{report.as_of:%Y-%m}"

    def issued_on(self, report) -> dt.date:
        return self.issued or report.as_of


def statement_symbol(symbol: str, place: int) -> str:
    return f"{symbol}/{place:02d}"


def running_header(doc, symbol: str, issued: dt.date) -> str:
    """'RCM/TS/FIN/2012-11 · Report of the Technical Secretariat · November 9, 2012'."""
    return doc._("{symbol} · Report of the Technical Secretariat · {date}", symbol=symbol,
                 date=doc.lang.long_date(issued))


def write_title_block(doc, report, issue: Issue) -> str:
    """The symbol, the date of issue and the meeting under the title; returns the symbol."""
    symbol = issue.symbol_for(report, organization(report.reference, "en").acronym)  # one symbol, every language
    doc.w.paragraph(symbol, align="right", bold=True)
    doc.w.paragraph(doc._("Date of issue: {date}", date=doc.lang.long_date(issue.issued_on(report))), align="right")
    if issue.meeting:
        doc.w.paragraph(doc._("For: {meeting}", meeting=issue.meeting), align="right")
    doc.w.running_header(running_header(doc, symbol, issue.issued_on(report)))
    doc.w.author, doc.w.subject = author(doc), symbol
    return symbol
