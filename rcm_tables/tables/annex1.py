"""Annex 1: the approved scale of contributions to the Secretariat's budget (share and amount per member)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from .. import money as M
from .. import schemas as S
from .comparison import Row, fmt, number, pct, usd
from ..reference import Reference
from . import formulas as F
from .formulas import PERCENT
from . import common
from .spec import CellKey, DocxLayout, Frame, Published, PublishedFile, Spec

NAME = "annex1"
TITLE = "Annex 1"
T = S.Annex1


def key(row, column: str) -> CellKey:
    """A figure of Annex 1: a country or "TOTAL", and "share_pct" or "assessed_usd"."""
    return CellKey(NAME, row, column)


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    scale = ref.scale_of("TS")
    # a share may be empty (the reference allows it): printed empty, and left out of the total, as in Table 5
    records = [{T.country: row[S.Scale.country],
                T.share_pct: None if pd.isna(row[S.Scale.share_pct]) else float(row[S.Scale.share_pct]),
                T.assessed_usd: int(row[S.Scale.assessed])} for _, row in scale.iterrows()]
    return common.to_frame(T, records)


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    t = book.report.tables[NAME]
    s.titles([(TITLE, "heading"), ("Percentages and Amounts of Contributions by RCM Member States to the Budget "
                                   "of the Technical Secretariat", "title")])
    header = 3
    s.headers(header, ["Country", "Percentage", "Contribution in US$"])
    first = header + 1
    num_format = M.money_format_for(t[T.assessed_usd])
    for i, rec in enumerate(t.itertuples(index=False)):
        row = first + i
        s.text(row, 0, rec.country, f.text)
        country = ("Scale_Country", F.eq(s.cell(row, 0, col_abs=True), rec.country))
        if pd.notna(rec.share_pct):
            s.formula(row, 1, "=" + F.sumifs("Scale_Share", ("Scale_Fund", '"TS"'), country), float(rec.share_pct),
                      f.money(PERCENT), PERCENT)
        else:
            s.blank(row, 1, f.money(PERCENT))
        s.money_formula(row, 2, "=" + F.sumifs("Scale_Assessed", ("Scale_Fund", '"TS"'), country), rec.assessed_usd,
                        num_format)
        book.place(key(rec.country, "share_pct"), s, row, 1)
        book.place(key(rec.country, "assessed_usd"), s, row, 2)
    total = first + len(t)
    last = total - 1
    s.text(total, 0, "TOTAL", f.total_text)
    s.formula(total, 1, F.sum_of(first, last, 1), round(float(t[T.share_pct].sum()), 6),
              f.money(PERCENT, total=True), PERCENT)
    s.money_formula(total, 2, F.sum_of(first, last, 2), int(t[T.assessed_usd].sum()), num_format, total=True)
    book.place(key("TOTAL", "share_pct"), s, total, 1)
    book.place(key("TOTAL", "assessed_usd"), s, total, 2)
    s.finish(header_last=header, freeze=(first, 1))


def write_docx(doc, report) -> None:
    """Annex 1, back on a portrait page: the scale of the Secretariat's budget."""
    from .cells import partner_name, scale_note
    from .layout import Column, Row, Table

    t = report.tables[NAME]
    doc.w.orientation(landscape=False)
    doc.annex_heading(NAME, doc._("Percentages and Amounts of Contributions by RCM Member States to the Budget of "
                                  "the Technical Secretariat"))
    doc.lead(doc._("The table below lists the contributions by RCM member states to the annual administrative and "
                   "operating budget of the Technical Secretariat. Contributions are based on a scale of percentages "
                   "of the total amount (see table below).") + " " + doc.org.scale_approval)
    rows = [Row(c, [partner_name(doc.lang, c, S.NO_PARTNER),
                    doc.lang.percent(share) if pd.notna(share) else doc._("NA"), doc.money(amount)])
            for c, share, amount in zip(t[T.country], t[T.share_pct], t[T.assessed_usd])]
    rows.append(Row("TOTAL", [doc._("TOTAL"), doc.lang.percent(round(float(t[T.share_pct].sum()), 6)),
                              doc.money(t[T.assessed_usd].sum())], total=True))
    columns = [Column("Country", (doc._("Country"),), 2.5, "left"), Column("Percentage", (doc._("Percentage"),), 1.2),
               Column("Contribution in US$", (doc._("Contribution in US$"),), 1.5)]
    rounding = not (M.rounded(sum(M.rounded(a, 0) for a in t[T.assessed_usd]), 0)
                    == M.rounded(t[T.assessed_usd].sum(), 0))
    doc.table(Table(NAME, columns, rows, keep_together=True, span=0.75), [], caption=False, rounding=rounding,
              after=scale_note(doc.lang, t[T.share_pct], t[T.assessed_usd]))


FILE = PublishedFile(NAME, "annex1_scale_ts.csv", ("country", "percentage", "contribution_usd"))


def published_rows(report, files: dict) -> list[Row]:
    """Share and amount per country; the published Annex 1 (as transcribed) has no TOTAL row, so its rows' sums
    stand in for it, and shares that do not add up to 100 % are flagged."""
    pub = files.get(NAME)
    if pub is None:
        return []
    t = report.tables[NAME].set_index(T.country)
    rows: list[Row] = []
    sums = {"share_pct": Decimal(0), "assessed_usd": Decimal(0)}
    for i, rec in pub.iterrows():
        country = rec["country"].strip()
        if country.upper() == "TOTAL":
            continue
        for column, source, label, unit in (("share_pct", "percentage", "Percentage", "%"),
                                            ("assessed_usd", "contribution_usd", "Contribution in US$", "USD")):
            value = number(rec[source], FILE.file, i + 2, source)
            mine = None
            if country in t.index:
                mine = pct(t.at[country, column]) if unit == "%" else usd(t.at[country, column])
            rows.append(Row("Annex 1", country, label, unit, value, mine,
                            key(country, column) if mine is not None else None))
            sums[column] += value or 0
    share = Row("Annex 1", "TOTAL (sum of the published rows)", "Percentage", "%", sums["share_pct"],
                pct(t[T.share_pct].sum()), key("TOTAL", "share_pct"))
    if sums["share_pct"] != M.HUNDRED:
        share.flag("shares-not-100", f"the published shares add up to {fmt(sums['share_pct'], '%')}, not 100 %")
    amount = Row("Annex 1", "TOTAL (sum of the published rows)", "Contribution in US$", "USD", sums["assessed_usd"],
                 usd(t[T.assessed_usd].sum()), key("TOTAL", "assessed_usd"))
    return rows + [share, amount]


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build),), write_sheet, Published((FILE,), published_rows),
            docx=DocxLayout(write_docx, kind="annex"))
