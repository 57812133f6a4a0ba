"""A statement for each member state: what it was assessed, what was received and what is pending, period by
period, for the Secretariat's budget (Table 4's rules over every period with something pending or overpaid, not
only the last four) and for the Return Fund (Table 5 against the fund's scale); the total outstanding; how to pay.

Figures are printed in cents: a statement tells a member what it owes. Outstanding is the sum of the pending
amounts; an overpayment is shown on its period's row but not set against another period (that is the
Secretariat's decision). ``statements.csv`` lists every member with its outstanding total and its file, for a
mail merge.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from .. import money as M
from .. import schemas as S
from ..memo import Last
from ..outputs import staged
from ..tables import common, table4
from . import payment
from .assemble import stamp
from ..tables.cells import receipt_lines
from .context import Context
from .i18n import language
from .official import Issue, author, statement_symbol
from .organization import organization
from ..tables.layout import Column, Row, Table
from .writer import Writer

STATEMENTS_CSV = "statements.csv"  # beside the statements: every member, its outstanding total and its file


@dataclass(frozen=True)
class Statement:
    country: str
    budget: pd.DataFrame  # Table 4's columns over the periods shown, with a "receipts" list per row
    fund: pd.DataFrame  # period, assessed, received, pending (the Return Fund)

    @cached_property
    def outstanding_ts(self) -> int:
        return int(self.budget.loc[self.budget["pending"] > 0, "pending"].sum())

    @cached_property
    def outstanding_rf(self) -> int:
        return int(self.fund.loc[self.fund["pending"] > 0, "pending"].sum())

    @cached_property
    def outstanding(self) -> int:
        return self.outstanding_ts + self.outstanding_rf

    # the rows and totals as plain values, once for the statement's languages (pandas costs more per row here
    # than writing the row does)
    @cached_property
    def budget_rows(self) -> list:
        return list(self.budget.itertuples(index=False))

    @cached_property
    def fund_rows(self) -> list:
        return list(self.fund.itertuples(index=False))

    @cached_property
    def totals(self) -> dict[str, int]:
        return {"ts_assessed": int(self.budget["assessed"].sum()), "ts_received": int(self.budget["received"].sum()),
                "rf_assessed": int(self.fund["assessed"].sum()), "rf_received": int(self.fund["received"].sum())}


_computed = Last()  # the statements of the report last asked for


def statements(report) -> list[Statement]:
    """One per country of the Secretariat's scale, in the scale's order; computed once per report (the processes
    that build the statements are forked after it: `command.warm`)."""
    return _computed.get(report, _statements)


def forget() -> None:
    """Let go of the report last asked for (`command.prepare` calls it when done: a page that stays open does
    not keep a past build's report)."""
    _computed.forget()


def _statements(report) -> list[Statement]:
    ref, lines, as_of = report.reference, report.clamped(), report.as_of
    periods = common.periods_with_contributions(lines, ref, as_of, "TS")
    shown = set(report.tables[table4.NAME][S.Table4.period])  # Table 4's periods are always on the statement
    payments = table4.build_payments(lines, ref, as_of, periods)
    budget = table4.build(lines, ref, as_of, periods, payments)  # the payments found once, not twice
    receipts = {k: list(zip(g["amount"].astype(int), (d.date() for d in g["received_on"])))
                for k, g in payments.groupby(["country", "period"], sort=False)}
    budget["receipts"] = [receipts.get(k, []) for k in zip(budget["country"], budget["period"])]
    fund = report.tables["table5"]
    rf_scale = dict(zip(ref.scale_of("RF")[S.Scale.country], ref.scale_of("RF")[S.Scale.assessed].astype(int)))
    out = []
    for country in ref.scale_of("TS")[S.Scale.country]:
        mine = budget.loc[(budget["country"] == country)
                          & (budget["period"].isin(shown) | (budget["pending"] != 0))].reset_index(drop=True)
        out.append(Statement(country, mine, _fund_rows(fund, country, rf_scale.get(country))))
    return out


def _fund_rows(fund: pd.DataFrame, country: str, assessed: int | None) -> pd.DataFrame:
    mine = fund.loc[fund[S.Table5.country] == country, [S.Table5.period, S.Table5.received]]
    due = assessed or 0
    return pd.DataFrame({"period": mine[S.Table5.period].to_list(), "assessed": due,
                         "received": mine[S.Table5.received].astype(int).to_list(),
                         "pending": (due - mine[S.Table5.received].astype(int)).to_list()})


SLUG_LENGTH = 60  # a file name any file system takes, with its language and the atomic write's temporary name


def file_name(country: str, lang: str, first: bool, taken: frozenset[str] = frozenset()) -> str:
    """'statement-dominican-republic.docx'; a language after the first: 'statement-panama.es.docx'. The name is
    cut to SLUG_LENGTH characters; one that an earlier member's already has (no Latin letter: 'member'; 'Panamá'
    and 'Panama') gets '-2', '-3', ..."""
    ascii_name = unicodedata.normalize("NFKD", country).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower())[:SLUG_LENGTH].strip("-") or "member"
    unique, n = slug, 1
    while unique in taken:
        n += 1
        unique = f"{slug}-{n}"
    return f"statement-{unique}.docx" if first else f"statement-{unique}.{lang}.docx"


def _slug(name: str) -> str:
    return name.removeprefix("statement-").split(".")[0]


def build_statement(report, statement: Statement, lang: str, template: Path | None = None,
                    locale: str | None = None, issue: Issue | None = None, place: int = 1) -> Writer:
    """One member's statement in memory, as a letter (``locale``: its numbers' and dates', default the
    language's; ``issue``: the symbol and date of issue; ``place``: the member's in the scale, its reference)."""
    writer = Writer(template)
    doc = Context(writer, _language(lang, locale), [], report.reference.file)
    doc.org = organization(report.reference, doc.lang.code)
    name = doc.lang.country(statement.country)
    when = doc.lang.long_date(report.as_of)
    _letterhead(doc, report, statement, issue or Issue(), place)
    writer.paragraph(doc._("Statement of Contributions"), style="Title")
    writer.paragraph(name, style="Subtitle")
    writer.paragraph(doc._("This statement lists the contributions of {member} assessed for the budget of the "
                           "Technical Secretariat (TS) of the RCM and for the Fund to Assist the Return of "
                           "Intra-Regional Migrants, what has been received and what is pending, as of {date}.",
                           member=doc.lang.in_sentence(name), date=when))
    _budget(doc, report, statement)
    _fund(doc, statement)
    total = doc.money(statement.outstanding, 2)
    if statement.outstanding > 0:
        writer.paragraph(doc._("Total outstanding as of {date}: {amount}", date=when, amount=total), bold=True)
    else:
        writer.paragraph(doc._("Nothing is outstanding as of {date}: every assessed contribution has been "
                               "received. Thank you.", date=when), bold=True)
    writer.note(doc._("Amounts in US dollars, to the cent. Source: IOM Financial Systems."))
    _signature(doc)
    payment.write(doc, report.reference, level=2, together=True)
    return writer


@cache
def _language(code: str, locale: str | None):
    """`i18n.language`, each catalog read once for all the statements."""
    return language(code, locale)


def _letterhead(doc: Context, report, statement: Statement, issue: Issue, place: int) -> None:
    """Reference, date of issue and addressee, as a letter opens."""
    symbol = statement_symbol(issue.symbol_for(report, organization(report.reference, "en").acronym), place)
    issued = doc.lang.long_date(issue.issued_on(report))
    doc.w.paragraph(doc._("Ref.: {symbol}", symbol=symbol), align="right")
    doc.w.paragraph(doc._("Date of issue: {date}", date=issued), align="right")
    doc.w.paragraph(doc._("To: the Government of {member}", member=doc.lang.in_sentence(
        doc.lang.country(statement.country))), bold=True)
    doc.w.running_header(doc._("{symbol} · Statement of Contributions · {date}", symbol=symbol, date=issued))
    doc.w.author, doc.w.subject = author(doc), symbol


def _signature(doc: Context) -> None:
    """The Secretariat's signature block, kept on one page with what precedes it."""
    doc.w.paragraph("", keep=True)
    doc.w.paragraph(doc._("Yours sincerely,"), keep=True)
    doc.w.paragraph("", keep=True)
    doc.w.paragraph("______________________________", keep=True)
    doc.w.paragraph(doc.org.secretariat, bold=True, keep=True)
    doc.w.paragraph(doc.org.title)


def _budget(doc: Context, report, statement: Statement) -> None:
    doc.w.heading(doc._("Contributions to the Budget of the Technical Secretariat (TS)"), 2)
    periods = report.reference.periods
    starts = dict(zip(periods[S.Periods.period], periods[S.Periods.start]))  # Reference.period_row, once
    rows = []
    for rec in statement.budget_rows:
        start = starts[rec.period].date()
        rows.append(Row(rec.period, [rec.period, doc.money(rec.assessed, 2), doc.money(rec.received, 2),
                                     "\n".join(receipt_lines(doc.lang, rec.receipts, start)),
                                     doc.money(rec.pending, 2)]))
    total = statement.totals
    rows.append(Row("TOTAL", [doc._("TOTAL"), doc.money(total["ts_assessed"], 2), doc.money(total["ts_received"], 2),
                              "", doc.money(statement.outstanding_ts, 2)], total=True))
    columns = [Column("Period", (doc._("Period"),), 1.0, "left"), Column("Assessed", (doc._("Assessed"),), 1.2),
               Column("Received", (doc._("Received"),), 1.2),
               Column("Date of Receipt", (doc._("Date of Receipt"),), 2.2, "center"),
               Column("Pending", (doc._("Pending"),), 1.2)]
    doc.w.table(Table("statement", columns, rows))
    doc.w.note(doc._("The TOTAL row's pending amount is what is outstanding: overpayments are not set against "
                     "other periods."))


def _fund(doc: Context, statement: Statement) -> None:
    doc.w.heading(doc._("Contributions to the Fund to Assist the Return of Intra-Regional Migrants"), 2)
    f = statement.fund
    if f.empty:
        doc.w.paragraph(doc._("No contribution to the fund is recorded."))
        return
    rows = [Row(r.period, [r.period, doc.money(r.assessed, 2), doc.money(r.received, 2), doc.money(r.pending, 2)])
            for r in statement.fund_rows]
    total = statement.totals
    rows.append(Row("TOTAL", [doc._("TOTAL"), doc.money(total["rf_assessed"], 2), doc.money(total["rf_received"], 2),
                              doc.money(statement.outstanding_rf, 2)], total=True))
    columns = [Column("Period", (doc._("Period"),), 1.0, "left"), Column("Assessed", (doc._("Assessed"),), 1.2),
               Column("Received", (doc._("Received"),), 1.2), Column("Pending", (doc._("Pending"),), 1.2)]
    doc.w.table(Table("statement", columns, rows, span=0.8))
    doc.w.paragraph()


def build_statements(report, langs: list[str], template: Path | None = None, locales: dict[str, str] | None = None,
                     issue: Issue | None = None, takes=None) -> tuple[list[tuple[str, Writer, str]], bytes]:
    """Every statement in memory as (file name, writer, language), and statements.csv's bytes. ``locales``:
    language -> Babel locale, for the languages that do not take their default. ``takes(place)``, when given:
    whether to build the statements of the member at that place (from 0; `command.Share`); the names and the
    table are those of every member."""
    locales = locales or {}
    files, records, taken = [], [], set()
    for place, statement in enumerate(statements(report), start=1):
        names = {lang: file_name(statement.country, lang, i == 0, frozenset(taken)) for i, lang in enumerate(langs)}
        taken.add(_slug(names[langs[0]]))
        for lang, name in (names.items() if takes is None or takes(place - 1) else ()):
            files.append((name, build_statement(report, statement, lang, template, locales.get(lang), issue, place),
                          lang))
        records.append({"country": statement.country, "outstanding_usd": M.dollars_text(statement.outstanding),
                        "ts_outstanding_usd": M.dollars_text(statement.outstanding_ts),
                        "rf_outstanding_usd": M.dollars_text(statement.outstanding_rf),
                        "file": names[langs[0]], **{f"file_{lang}": names[lang] for lang in langs[1:]}})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]) if records else ["country", "outstanding_usd", "file"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return files, out.getvalue().encode("utf-8")


def write_statements(report, folder, lang: str | list[str] = "en", template: Path | None = None,
                     outputs=None, locales: dict[str, str] | None = None, issue: Issue | None = None) -> list[Path]:
    """Write one statement per member into ``folder`` and ``statements.csv`` beside them (staged in ``outputs``,
    the run's transaction, when given). ``lang``: a language or a list (the first names the files plainly)."""
    langs = [lang] if isinstance(lang, str) else list(lang)
    folder = Path(folder)
    files, table = build_statements(report, langs, template, locales, issue)
    written = []
    with staged(outputs) as out:
        for name, writer, language_ in files:
            writer.save(out.stage(folder / name), stamp(report), name, language_)
            written.append(folder / name)
        out.stage(folder / STATEMENTS_CSV).write_bytes(table)
    return written + [folder / STATEMENTS_CSV]
