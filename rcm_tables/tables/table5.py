"""Table 5: contributions to the Return Fund (RF) by country and period, from its first contribution, beside
the fund's approved scale (share and assessed amount)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from .. import money as M
from .. import schemas as S
from .comparison import Row, number, payment_rules, pct, total_rule, usd, fmt
from ..reference import Reference
from . import formulas as F
from .formulas import PERCENT
from . import common
from .spec import CellKey, DocxLayout, Frame, Published, PublishedFile, Spec

NAME = "table5"
TITLE = "Table 5"
T = S.Table5
L = S.Ledger
FIRST_PERIOD_COL = 3


def key(row, column: str) -> CellKey:
    """A figure of Table 5: a country or "TOTAL" ("share_pct", "assessed"), or (country or "TOTAL", period)
    ("received")."""
    return CellKey(NAME, row, column)


# ------------------------------------------------------------------------------------------------ build


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    income = common.fund_lines(lines, "RF", "contribution")
    sums = income.assign(_who=common.partner_key(income)).groupby(["_who", L.period])[L.amount_usd].sum()
    records = []
    periods = common.periods_with_contributions(lines, ref, as_of, "RF")
    for who in common.partner_rows(list(ref.scale_of("RF")[S.Scale.country]), income):
        for period in periods:
            records.append({T.country: who, T.period: period, T.received: int(sums.get((who, period), 0))})
    return common.to_frame(T, records)


# ------------------------------------------------------------------------------------------------ sheet


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    t = book.report.tables[NAME]
    scale = book.ref.scale_of("RF").set_index(S.Scale.country)
    periods = list(dict.fromkeys(t[T.period]))
    countries = list(dict.fromkeys(t[T.country]))
    assessed_fmt = M.money_format_for(scale[S.Scale.assessed])
    s.titles([(TITLE, "heading"), ("Contributions to the Fund to Assist the Return of Intra-Regional Migrants",
                                   "title"),
              ("in Highly Vulnerable Situations", "title"), ("In U.S. Dollars", "subtitle")])
    top = 5
    for col, label in enumerate(["Country", "Percentage", "Contribution in US$"]):
        s.merged(top, col, top + 1, col, label, f.header)
        s.widths.see(col, label, weight=0.6)
        s.widths.see(col, max(label.split(), key=len), weight=1.15)
    if periods:
        s.merged(top, FIRST_PERIOD_COL, top, FIRST_PERIOD_COL - 1 + len(periods), "Contributions for", f.header)
        s.headers(top + 1, periods, first_col=FIRST_PERIOD_COL)
    header = top + 1
    first = header + 1
    received = dict(zip(zip(t[T.country], t[T.period]), t[T.received]))  # a dict: no MultiIndex lookup per cell
    for i, country in enumerate(countries):
        row = first + i
        _scale_cells(book, s, row, country, scale, assessed_fmt)
        partner = F.partner_criterion(s.cell(row, 0, col_abs=True), country, S.NO_PARTNER)
        for j, period in enumerate(periods):
            col = FIRST_PERIOD_COL + j
            formula = "=" + F.ledger_sum("RF", "contribution", ("Ledger_Partner", partner), (
                "Ledger_Period", F.eq(s.cell(header, col, row_abs=True), period)))
            s.money_formula(row, col, formula, received[(country, period)])
            book.place(key((country, period), "received"), s, row, col)
    _totals(book, s, first, first + len(countries), periods, scale, assessed_fmt)
    s.finish(header_last=header, freeze=(first, 1))


def _scale_cells(book, s, row: int, country: str, scale: pd.DataFrame, assessed_fmt: str) -> None:
    f = book.fmt
    s.text(row, 0, country, f.text)
    on_scale = ("Scale_Country", F.eq(s.cell(row, 0, col_abs=True), country))
    share = scale[S.Scale.share_pct].get(country) if country in scale.index else None
    if share is not None and pd.notna(share):
        s.formula(row, 1, "=" + F.sumifs("Scale_Share", ("Scale_Fund", '"RF"'), on_scale), float(share),
                  f.money(PERCENT), PERCENT)
    else:
        s.blank(row, 1, f.money(PERCENT))
    if country in scale.index:
        s.money_formula(row, 2, "=" + F.sumifs("Scale_Assessed", ("Scale_Fund", '"RF"'), on_scale),
                        scale.at[country, S.Scale.assessed], assessed_fmt)
    else:
        s.blank(row, 2, f.money(assessed_fmt))
    book.place(key(country, "share_pct"), s, row, 1)
    book.place(key(country, "assessed"), s, row, 2)


def _totals(book, s, first: int, total: int, periods: list[str], scale: pd.DataFrame, assessed_fmt: str) -> None:
    f = book.fmt
    t = book.report.tables[NAME]
    last = total - 1
    s.text(total, 0, "TOTAL", f.total_text)
    shares = round(float(scale[S.Scale.share_pct].dropna().sum()), 6)
    s.formula(total, 1, F.sum_of(first, last, 1), shares, f.money(PERCENT, total=True), PERCENT)
    s.money_formula(total, 2, F.sum_of(first, last, 2), int(scale[S.Scale.assessed].sum()), assessed_fmt,
                    total=True)
    book.place(key("TOTAL", "share_pct"), s, total, 1)
    book.place(key("TOTAL", "assessed"), s, total, 2)
    for j, period in enumerate(periods):
        col = FIRST_PERIOD_COL + j
        s.money_formula(total, col, F.sum_of(first, last, col), int(t.loc[t[T.period] == period, T.received].sum()),
                        total=True)
        book.place(key(("TOTAL", period), "received"), s, total, col)
    s.text(total + 2, 0, "Source: IOM Financial Systems (Ledger sheet, fund RF); amounts in US dollars as "
                         "converted by IOM on the posting date.", f.note, fit=0)


# ------------------------------------------------------------------------------------------------ published

FILE = PublishedFile(NAME, "table5_return_fund.csv", ("country", "percentage", "assessed_usd"))
SCALE_COLUMNS = ("country", "percentage", "assessed_usd")  # the other columns are periods


def published_rows(report, files: dict) -> list[Row]:
    """Share, assessed amount and each period's contribution per country, then the TOTAL row; partial and
    over-payments, a total that is not the sum of its rows and shares that do not add up to 100 % are flagged."""
    pub = files.get(NAME)
    if pub is None:
        return []
    years = [c for c in pub.columns if c not in SCALE_COLUMNS]
    countries = [c.strip() for c in pub["country"] if c.strip().upper() != "TOTAL"]
    extra = [c for c in dict.fromkeys(report.tables[NAME][T.country]) if c not in countries]
    by_country = {rec["country"].strip(): (i, rec) for i, rec in pub.iterrows()}
    rows: list[Row] = []
    sums: dict[str, Decimal] = {}
    for country in countries + extra:
        rows += _country_rows(report, country, by_country.get(country, (None, None)), years, sums)
    total = next((v for k, v in by_country.items() if k.upper() == "TOTAL"), None)
    if total is not None:
        rows += _total_rows(report, total, years, sums)
    return rows


def _country_rows(report, country: str, published, years: list[str], sums: dict[str, Decimal]) -> list[Row]:
    i, rec = published
    scale = report.reference.scale_of("RF").set_index(S.Scale.country)
    computed = report.tables[NAME].set_index([T.country, T.period])[T.received]
    get = (lambda c: None) if rec is None else (lambda c: number(rec[c], FILE.file, i + 2, c))
    rows: list[Row] = []

    def add(column, label, unit, value, mine, cell):
        row = Row("Table 5", country, label, unit, value, mine, cell if mine is not None else None)
        rows.append(row)
        if value is not None:
            sums[column] = sums.get(column, Decimal(0)) + value
        return row

    on_scale = country in scale.index
    share = pct(scale.at[country, S.Scale.share_pct]) if on_scale else None
    due = usd(scale.at[country, S.Scale.assessed]) if on_scale else None
    pub_share, pub_due = get("percentage"), get("assessed_usd")
    if pub_share is not None or share is not None:
        add("percentage", "Percentage", "%", pub_share, share, key(country, "share_pct"))
    if pub_due is not None or due is not None:
        add("assessed_usd", "Contribution in US$", "USD", pub_due, due, key(country, "assessed"))
    for year in years:
        value = get(year)
        if rec is not None and value is None:
            value = Decimal(0)  # printed "Pending" (or NA): nothing received
        cell = (country, year)
        mine = usd(computed[cell]) if cell in computed.index else None
        row = add(year, f"Contributions for {year}", "USD", value, mine, key(cell, "received"))
        payment_rules(row, value, pub_due)
    return rows


def _total_rows(report, published, years: list[str], sums: dict[str, Decimal]) -> list[Row]:
    i, rec = published
    scale = report.reference.scale_of("RF").set_index(S.Scale.country)
    t = report.tables[NAME]
    share_total = pct(scale[S.Scale.share_pct].dropna().sum()) if not scale.empty else None
    rows: list[Row] = []
    for column, label, unit, mine, cell in (
        ("percentage", "Percentage", "%", share_total, key("TOTAL", "share_pct")),
        ("assessed_usd", "Contribution in US$", "USD", usd(scale[S.Scale.assessed].sum()), key("TOTAL", "assessed")),
    ):
        row = Row("Table 5", "TOTAL", label, unit, number(rec[column], FILE.file, i + 2, column), mine, cell)
        rows.append(row)
        if column in sums:
            total_rule(row, sums[column])
        if unit == "%" and sums.get(column, M.HUNDRED) != M.HUNDRED:
            row.flag("shares-not-100", f"the published shares add up to {fmt(sums[column], '%')}, not 100 %")
    for year in years:
        mine = t.loc[t[T.period] == year, T.received]
        row = Row("Table 5", "TOTAL", f"Contributions for {year}", "USD", number(rec[year], FILE.file, i + 2, year),
                  usd(mine.sum()) if not mine.empty else None,
                  key(("TOTAL", year), "received") if not mine.empty else None)
        rows.append(row)
        if year in sums:
            total_rule(row, sums[year])
    return rows


# ------------------------------------------------------------------------------------------------ document

PERIODS_PER_BLOCK = 7  # more periods than this are printed in blocks, each repeating the scale's columns


def write_docx(doc, report) -> None:
    """Section 2.5, on a landscape page: received per period beside the fund's scale (whole dollars)."""
    from .cells import adds_up, scale_note

    t = report.tables[NAME]
    periods = list(dict.fromkeys(t[T.period]))
    doc.w.orientation(landscape=True)
    doc.section_heading(doc._("Contributions to the Assistance Fund for the Return of Migrants"))
    span = f"{periods[0]} – {periods[-1]}" if periods else ""
    doc.lead(doc.org.fund_approval + " " + doc._("{table} below shows the status of contributions from {span}.",
                                                table=doc.label(NAME), span=span))
    received = dict(zip(zip(t[T.country], t[T.period]), t[T.received]))  # a dict: no MultiIndex lookup per cell
    scale = report.reference.scale_of("RF").set_index(S.Scale.country)
    rounding = not all(adds_up(t.loc[t[T.period] == p, T.received], t.loc[t[T.period] == p, T.received].sum())
                       for p in periods)
    blocks = [periods[i:i + PERIODS_PER_BLOCK] for i in range(0, len(periods), PERIODS_PER_BLOCK)] or [[]]
    title = [doc._("Contributions to the Fund to Assist the Return of Intra-Regional Migrants"),
             doc._("in Highly Vulnerable Situations")]
    for i, block in enumerate(blocks):
        last = i == len(blocks) - 1
        doc.table(_docx_table(doc, t, block, received, scale),
                  title if i == 0 else [doc._("(continued)")], caption=i == 0,
                  source=doc._("Source: IOM Financial Systems.") if last else None, rounding=rounding and last,
                  after=scale_note(doc.lang, scale[S.Scale.share_pct], scale[S.Scale.assessed]) if last else [])


def _docx_table(doc, t: pd.DataFrame, periods: list[str], received: pd.Series, scale: pd.DataFrame):
    from .cells import fund_cell, partner_name
    from .layout import Column, Row, Table

    lang = doc.lang
    columns = [Column("Country", (doc._("Country"),), 2.8, "left"), Column("Percentage", (doc._("Percentage"),), 1.4),
               Column("Contribution in US$", (doc._("Contribution in US$"),), 1.6)]
    columns += [Column(p, (doc._("Contributions for {period}", period=p),), 1.7) for p in periods]
    rows = []
    for country in dict.fromkeys(t[T.country]):
        on = country in scale.index
        share = scale.at[country, S.Scale.share_pct] if on else None
        due = int(scale.at[country, S.Scale.assessed]) if on else None
        rows.append(Row(country, [partner_name(lang, country, S.NO_PARTNER),
                                  lang.percent(share) if share is not None and pd.notna(share) else doc._("NA"),
                                  doc.money(due) if on else doc._("NA"),
                                  *(fund_cell(lang, int(received[(country, p)]), due) for p in periods)]))
    rows.append(Row("TOTAL", [doc._("TOTAL"), lang.percent(round(float(scale[S.Scale.share_pct].dropna().sum()), 6)),
                              doc.money(scale[S.Scale.assessed].sum()),
                              *(doc.money(t.loc[t[T.period] == p, T.received].sum()) for p in periods)], total=True))
    return Table(NAME, columns, rows, font=9, keep_together=len(rows) <= 20)


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build),), write_sheet, Published((FILE,), published_rows),
            docx=DocxLayout(write_docx))
