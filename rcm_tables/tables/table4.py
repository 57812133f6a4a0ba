"""Table 4: contributions to the Secretariat's budget, country x period, for the last four periods.

Each cell holds the payments (amount and date of receipt) and the pending amount (assessed - received),
shown wherever a payment is partial, missing or above the assessment. Lines of one partner and period are
netted per day; a reversal cancels the latest earlier receipt of its amount (`common.match_reversals`), so the dates
listed are the receipts that stand, and they always add up to "received".
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from .. import money as M
from .. import schemas as S
from ..ledger import expenses_cutoff
from .comparison import Row, number, payment_rules, same_dates, total_rule, usd
from ..reference import Reference
from . import formulas as F
from . import annex1, common
from .spec import CellKey, DocxLayout, Frame, Published, PublishedFile, Spec

NAME = "table4"
PAYMENTS = "table4_payments"
ADVANCE = "table4_advance"
TITLE = "Table 4"
T = S.Table4
P = S.Table4Payments
A = S.Table4Advance
L = S.Ledger
PERIODS_SHOWN = 4
COLS_PER_PERIOD = 3  # received, dates of receipt, pending
FIRST_PERIOD_COL = 2
BROUGHT_FORWARD = "Brought forward"  # a cell of a period the Opening Balances bring forward


def key(row, column: str) -> CellKey:
    """A figure of Table 4: row is a country (column "assessed"), (country, period) or ("TOTAL", period)
    (columns "received", "pending"), or "TOTAL" (column "assessed")."""
    return CellKey(NAME, row, column)


# ------------------------------------------------------------------------------------------------ build


def _lines(lines: pd.DataFrame, ref: Reference, as_of: dt.date,
           periods: list[str] | None) -> tuple[list[str], pd.DataFrame]:
    periods = common.last_periods(ref, as_of, PERIODS_SHOWN) if periods is None else periods
    income = common.fund_lines(lines, "TS", "contribution")
    return periods, income.loc[income[L.period].isin(periods)]


def build_payments(lines: pd.DataFrame, ref: Reference, as_of: dt.date,
                   periods: list[str] | None = None) -> pd.DataFrame:
    """Every receipt shown in Table 4, after reversals are matched (``periods``: default the last four)."""
    periods, income = _lines(lines, ref, as_of, periods)
    # only the columns used below: each selection in the loop then copies 4 columns, not the whole ledger's
    keyed = income[[L.period, L.posting_date, L.amount_usd]].assign(_who=common.partner_key(income))
    records = []
    rows = common.partner_rows(list(ref.scale_of("TS")[S.Scale.country]), income)
    # each partner's lines of each period, found in one pass (a selection per pair was most of the time)
    lines_of: dict[tuple, list] = {}
    for key, entry in zip(zip(keyed["_who"], keyed[L.period]),
                          zip(keyed[L.posting_date], keyed[L.amount_usd].astype(int))):
        lines_of.setdefault(key, []).append(entry)
    for who in rows:
        for period in periods:
            for day, amount in common.match_reversals(lines_of.get((who, period), [])):
                records.append({P.country: who, P.period: period, P.amount: amount, P.received_on: day})
    return common.to_frame(P, records)


def build_advance(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    """Receipts (posted by the as-of date) for periods after the as-of period: paid in advance."""
    labels = ref.period_labels
    later = labels[labels.index(common.as_of_period(ref, as_of)) + 1:]
    payments = build_payments(lines, ref, as_of, later)
    return common.to_frame(A, payments.rename(columns={P.amount: A.amount}).to_dict("records"))


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date, periods: list[str] | None = None,
          payments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Country x period: assessed, received, pending and dates of receipt (``periods``: default the last four;
    ``payments``: `build_payments` of the same arguments, when the caller has them already)."""
    periods, income = _lines(lines, ref, as_of, periods)
    scale = ref.scale_of("TS")
    assessed = dict(zip(scale[S.Scale.country], scale[S.Scale.assessed].astype(int)))
    payments = build_payments(lines, ref, as_of, periods) if payments is None else payments
    records = []
    receipts: dict[tuple, list] = {}  # (partner, period) -> [(amount, day)], in one pass
    for key, receipt in zip(zip(payments[P.country], payments[P.period]),
                            zip(payments[P.amount], payments[P.received_on])):
        receipts.setdefault(key, []).append(receipt)
    forward = common.brought_forward(ref, periods)
    for who in common.partner_rows(list(scale[S.Scale.country]), income):
        for period in periods:
            mine = receipts.get((who, period), [])
            got = int(sum(amount for amount, _day in mine))
            # a period brought forward by Opening Balances: who paid what is not in the exports, so no member
            # is shown owing it (its cells say "Brought forward")
            due = got if period in forward else assessed.get(who, 0)
            dates = ";".join(d.date().isoformat() for d in sorted(day for _amount, day in mine))
            records.append({T.country: who, T.period: period, T.assessed: assessed.get(who, 0), T.received: got,
                            T.pending: due - got, T.receipt_dates: dates})
    return common.to_frame(T, records)


# ------------------------------------------------------------------------------------------------ sheet


def receipt_text(payments: list[tuple[int, dt.date]]) -> str:
    """The 'Date(s) of receipt' cell: one line per receipt, '$5,000.00 (23/02/2012)'."""
    return "\n".join(f"{M.money_text(amount)} ({day:%d/%m/%Y})" for amount, day in payments)


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    t = book.report.tables[NAME]
    periods = list(dict.fromkeys(t[T.period]))
    countries = list(dict.fromkeys(t[T.country]))
    scale = book.ref.scale_of("TS")
    assessed = dict(zip(scale[S.Scale.country], scale[S.Scale.assessed].astype(int)))
    assessed_fmt = M.money_format_for(assessed.values())
    s.titles([(TITLE, "heading"), ("Contributions to the Budgets of the TS", "title"),
              (f"({book.as_of:%B %Y})", "subtitle")])
    label_cells = _header(book, s, periods)
    header = 6
    first = header + 1
    by_cell = {k: g for k, g in book.report.tables[PAYMENTS].groupby([P.country, P.period], sort=False)}
    # each (country, period)'s figures, looked up in a dict: a MultiIndex lookup per cell cost more than the cell
    records = {(c, p): {T.received: r, T.pending: n} for c, p, r, n in zip(t[T.country], t[T.period], t[T.received],
                                                                            t[T.pending])}
    forward = common.brought_forward(book.ref, periods)
    for i, country in enumerate(countries):
        row = first + i
        s.text(row, 0, country, f.wrap)
        if country in assessed:
            scale = F.sumifs("Scale_Assessed", ("Scale_Fund", '"TS"'),
                             ("Scale_Country", F.eq(s.cell(row, 0, col_abs=True), country)))
            s.formula(row, 1, "=" + scale, M.dollars(assessed[country]), f.money(assessed_fmt, valign_top=True),
                      assessed_fmt)
        else:
            s.blank(row, 1, f.money(assessed_fmt, valign_top=True))  # not on the scale: nothing assessed
        book.place(key(country, "assessed"), s, row, 1)
        partner = F.partner_criterion(s.cell(row, 0, col_abs=True), country, S.NO_PARTNER)
        for j, period in enumerate(periods):
            _write_cell(book, s, row, FIRST_PERIOD_COL + COLS_PER_PERIOD * j, (country, period), partner,
                        label_cells[period], records[(country, period)], by_cell.get((country, period)),
                        country in assessed, period in forward)
    total = first + len(countries)
    _totals(book, s, first, total, periods, sum(assessed.values()), assessed_fmt)
    _advance(book, s, total + 4)
    # printed with each period's columns together on a page, country and scale repeated on each: 8 points or more
    bands = [(FIRST_PERIOD_COL + COLS_PER_PERIOD * j, FIRST_PERIOD_COL + COLS_PER_PERIOD * j + 2)
             for j in range(len(periods))]
    s.widths.cap(0, 20)  # two periods to a page at 72 %: 7.9 points (the texts wrap)
    for j in range(len(periods)):
        s.widths.cap(FIRST_PERIOD_COL + COLS_PER_PERIOD * j + 1, 24)
    s.finish(header_last=header, freeze=(first, 1), keep_columns=2, bands=bands, scale=72)


def _header(book, s, periods: list[str]) -> dict[str, str]:
    """Three header rows: period, its dates, then Received / Date(s) of receipt / Pending. Returns each
    period's label cell (the formulas select the Ledger's period by it)."""
    f = book.fmt
    top = 4
    s.merged(top, 0, top + 2, 0, "Country", f.header)
    s.merged(top, 1, top + 2, 1, "Approved scale of contributions", f.header)
    s.widths.see(1, "contributions")
    label_cells = {}
    for j, period in enumerate(periods):
        col = FIRST_PERIOD_COL + COLS_PER_PERIOD * j
        p = book.ref.period_row(period)
        s.merged(top, col, top, col + 2, period, f.header)
        s.merged(top + 1, col, top + 1, col + 2, f"{p[S.Periods.start]:%d/%m/%Y} to {p[S.Periods.end]:%d/%m/%Y}",
                 f.header)
        s.headers(top + 2, ["Received", "Date(s) of receipt", "Pending"], first_col=col)
        label_cells[period] = s.cell(top, col, row_abs=True)
    return label_cells


def _write_cell(book, s, row: int, col: int, cell: tuple, partner: str, label_cell: str, rec, mine,
                on_scale: bool, forward: bool = False) -> None:
    """One country x period: received (SUMIFS), the receipts with their dates, pending (assessed − received)."""
    f = book.fmt
    formula = "=" + F.ledger_sum("TS", "contribution", ("Ledger_Partner", partner),
                                 ("Ledger_Period", F.eq(label_cell, cell[1])))
    s.formula(row, col, formula, M.dollars(rec[T.received]), f.money(valign_top=True), M.MONEY)
    receipts = [] if mine is None else [(int(a), d.date()) for a, d in zip(mine[P.amount], mine[P.received_on])]
    # "Pending", as the report prints it, only where something is assessed; a period the Opening Balances bring
    # forward: nobody is shown owing it
    empty = (BROUGHT_FORWARD if forward else "Pending") if on_scale else ""
    s.text(row, col + 1, receipt_text(receipts) or empty, f.wrap_indent)
    pending = "=0" if forward else f"={s.cell(row, 1, col_abs=True)}-{s.cell(row, col)}"
    s.formula(row, col + 2, pending, M.dollars(rec[T.pending]), f.money(valign_top=True), M.MONEY)
    book.place(key(cell, "received"), s, row, col)
    book.place(key(cell, "pending"), s, row, col + 2)


def _totals(book, s, first: int, total: int, periods: list[str], assessed_total: int, assessed_fmt: str) -> None:
    f = book.fmt
    t = book.report.tables[NAME]
    last = total - 1
    s.text(total, 0, "TOTAL", f.total_text)
    s.money_formula(total, 1, F.sum_of(first, last, 1), assessed_total, assessed_fmt, total=True)
    book.place(key("TOTAL", "assessed"), s, total, 1)
    for j, period in enumerate(periods):
        col = FIRST_PERIOD_COL + COLS_PER_PERIOD * j
        mine = t.loc[t[T.period] == period]
        s.money_formula(total, col, F.sum_of(first, last, col), int(mine[T.received].sum()), total=True)
        s.blank(total, col + 1, f.total_text)
        s.money_formula(total, col + 2, F.sum_of(first, last, col + 2), int(mine[T.pending].sum()), total=True)
        book.place(key(("TOTAL", period), "received"), s, total, col)
        book.place(key(("TOTAL", period), "pending"), s, total, col + 2)
    s.text(total + 2, 0, "Pending = approved scale − received: negative where a member paid more. The dates "
                         "list the receipts that stand after reversals; they add up to Received. Source: IOM "
                         "Financial Systems (Ledger sheet).", f.note, fit=0)


def _advance(book, s, top: int) -> None:
    """Receipts for periods after the as-of period, below the table: received, not yet due."""
    advance = book.report.tables[ADVANCE]
    if advance.empty:
        return
    f = book.fmt
    s.text(top, 0, f"Received in advance, for periods after {book.period}", f.title, fit=0)
    s.headers(top + 1, ["Country", "Period", "Received", "Date(s) of receipt"])
    row = top + 1
    for (country, period), mine in advance.groupby([A.country, A.period], sort=False):
        row += 1
        s.text(row, 0, country, f.text_top)
        s.text(row, 1, period, f.text_top)
        partner = F.partner_criterion(s.cell(row, 0, col_abs=True), country, S.NO_PARTNER)
        formula = "=" + F.ledger_sum("TS", "contribution", ("Ledger_Partner", partner),
                                     ("Ledger_Period", F.eq(s.cell(row, 1, col_abs=True), period)))
        s.formula(row, 2, formula, M.dollars(mine[A.amount].sum()), f.money(valign_top=True), M.MONEY)
        receipts = [(int(a), d.date()) for a, d in zip(mine[A.amount], mine[A.received_on])]
        s.text(row, 3, receipt_text(receipts), f.wrap_indent)
        book.place(key(("ADVANCE", country, period), "received"), s, row, 2)


# ------------------------------------------------------------------------------------------------ published

FILE_PAYMENTS = PublishedFile("table4_payments", "table4_ts_payments_2009_2012.csv",
                              ("country", "period", "amount", "received_on"))
FILE_TOTALS = PublishedFile("table4_totals", "table4_ts_totals_2009_2012.csv", ("period", "total_received"))


def published_rows(report, files: dict) -> list[Row]:
    """Received per country and period against the published payments; receipts after the expenses' cut-off,
    partial and over-payments, differing dates and totals that are not the sum of their rows are flagged."""
    payments, totals = files.get(FILE_PAYMENTS.key), files.get(FILE_TOTALS.key)
    if payments is None and totals is None:
        return []
    t = report.tables[NAME]
    assessed = _published_assessed(files.get(annex1.NAME))  # the published scale
    published = _published_payments(payments)
    printed = set(assessed) | {c for c, _ in published}
    countries = list(dict.fromkeys(list(dict.fromkeys(t[T.country])) + [c for c, _ in published]))
    periods = list(dict.fromkeys(list(dict.fromkeys(t[T.period])) + [p for _, p in published]))
    computed = t.set_index([T.country, T.period])[T.received]
    day = expenses_cutoff(report.clamped(), report.as_of)
    cutoff = None if day is None else day.isoformat()
    dates = {k: sorted(d.date().isoformat() for d in g[P.received_on])
             for k, g in report.tables[PAYMENTS].groupby([P.country, P.period], sort=False)}
    rows: list[Row] = []
    sums: dict[str, Decimal] = {}
    for country in countries:
        for period in periods:
            cell = (country, period)
            got = published.get(cell, [])
            value = sum((a for a, _ in got), Decimal(0)) if country in printed else None
            mine = usd(computed[cell]) if cell in computed.index else None
            row = Row("Table 4", country, f"{period} received", "USD", value, mine,
                      key(cell, "received") if mine is not None else None)
            rows.append(row)
            if value is not None:
                sums[period] = sums.get(period, Decimal(0)) + value
            _cell_rules(row, got, cutoff, dates.get(cell), assessed.get(country))
    return rows + _total_rows(report, totals, sums)


def _published_assessed(annex: pd.DataFrame | None) -> dict[str, Decimal]:
    assessed: dict[str, Decimal] = {}
    if annex is not None:
        for i, rec in annex.iterrows():
            value = number(rec["contribution_usd"], annex1.FILE.file, i + 2, "contribution_usd")
            if value is not None:
                assessed[rec["country"].strip()] = value
    return assessed


def _published_payments(payments: pd.DataFrame | None) -> dict[tuple[str, str], list[tuple[Decimal, str]]]:
    published: dict[tuple[str, str], list[tuple[Decimal, str]]] = {}
    if payments is not None:
        for i, rec in payments.iterrows():
            cell = (rec["country"].strip(), rec["period"].strip())
            amount = number(rec["amount"], FILE_PAYMENTS.file, i + 2, "amount")
            published.setdefault(cell, []).append((amount or Decimal(0), rec["received_on"].strip()))
    return published


def _cell_rules(row: Row, got: list, cutoff: str | None, computed_dates: list[str] | None,
                assessed: Decimal | None) -> None:
    late = [d for _, d in got if len(d) == 10 and cutoff is not None and d > cutoff]
    if late:
        row.flag("after-expenses-cutoff", f"includes a receipt of {', '.join(late)}, after the expenses' "
                                          f"cut-off ({cutoff}): two cut-offs in one report")
    payment_rules(row, row.published, assessed)
    if got and computed_dates is not None and not same_dates([d for _, d in got], computed_dates):
        row.flag("receipt-dates-differ", f"published dates {', '.join(d for _, d in got)}; computed "
                                         f"{', '.join(computed_dates)}")


def _total_rows(report, totals: pd.DataFrame | None, sums: dict[str, Decimal]) -> list[Row]:
    if totals is None:
        return []
    t = report.tables[NAME]
    rows = []
    for i, rec in totals.iterrows():
        period = rec["period"].strip()
        mine = t.loc[t[T.period] == period, T.received]
        row = Row("Table 4", "TOTAL", f"{period} received", "USD",
                  number(rec["total_received"], FILE_TOTALS.file, i + 2, "total_received"),
                  usd(mine.sum()) if not mine.empty else None,
                  key(("TOTAL", period), "received") if not mine.empty else None)
        rows.append(row)
        if period in sums:
            total_rule(row, sums[period])
    return rows


# ------------------------------------------------------------------------------------------------ document


def write_docx(doc, report) -> None:
    """Section 2.4, on a landscape page: each receipt with its date, "Pending", what a partial payment leaves."""
    from .cells import adjustments_note, contribution_cell, overpaid_note, partner_name, shown
    from .layout import Column, Row, Table

    t, ref, lang = report.tables[NAME], report.reference, doc.lang
    periods = list(dict.fromkeys(t[T.period]))
    starts = {p: ref.period_row(p)[S.Periods.start].date() for p in periods}
    paid = {k: list(zip(g[P.amount].astype(int), (d.date() for d in g[P.received_on])))
            for k, g in report.tables[PAYMENTS].groupby([P.country, P.period], sort=False)}
    scale = dict(zip(ref.scale_of("TS")[S.Scale.country], ref.scale_of("TS")[S.Scale.assessed].astype(int)))
    doc.w.orientation(landscape=True)
    doc.section_heading(doc._("Contributions to the Budget of the Technical Secretariat (TS)"))
    doc.lead(doc._("{table} below shows the status of contributions by RCM member states to the budgets of the TS "
                   "for {first} – {last}.", table=doc.label(NAME), first=periods[0] if periods else "",
                   last=lang.month_year(report.as_of)))
    columns = [Column("Country", (doc._("Country"), None, None), 2.6, "left"),
               Column("Approved scale of contributions", (doc._("Approved scale of contributions"), None, None), 1.7)]
    for p in periods:
        end = ref.period_row(p)[S.Periods.end].date()
        nth = doc.ordinal(ref, p)
        head = doc._("{ordinal} Regular Operation Period", ordinal=nth) if nth else p
        columns.append(Column(p, (head, doc._("{start} to {end}", start=lang.day(starts[p]), end=lang.day(end)),
                                  doc._("Date of Receipt")), 2.4, "center"))
    rows = []
    for country, cells in t.groupby(T.country, sort=False):
        texts = [contribution_cell(lang, paid.get((country, r[T.period]), []), starts[r[T.period]], r[T.assessed],
                                   r[T.pending]) for _, r in cells.iterrows()]
        rows.append(Row(country, [partner_name(lang, country, S.NO_PARTNER),
                                  doc.money(scale[country]) if country in scale else "", *texts]))
    rows.append(Row("TOTAL", [doc._("TOTAL"), doc.money(sum(scale.values())),
                              *(doc.money(t.loc[t[T.period] == p, T.received].sum()) for p in periods)], total=True))
    rounding = not all(sum(shown(a) for (_, q), got in paid.items() if q == p for a, _ in got)
                       == M.rounded(t.loc[t[T.period] == p, T.received].sum(), 0) for p in periods)
    advance = [doc._("Received in advance, for {period}: {who}, {amount} ({date}).", period=r[A.period],
                     who=partner_name(lang, r[A.country], S.NO_PARTNER), amount=doc.money(r[A.amount], 2),
                     date=lang.day(r[A.received_on].date())) for _, r in report.tables[ADVANCE].iterrows()]
    if S.NO_PARTNER in set(t[T.country]):
        advance.append(adjustments_note(lang))
    if ((t[T.assessed] > 0) & (t[T.pending] < 0) & (t[T.received] != 0)).any():
        advance.append(overpaid_note(lang))
    doc.table(Table(NAME, columns, rows, font=9),
              [doc._("Contributions to the Budgets of the TS"), doc._("(as of {date})", date=lang.long_date(
                  report.as_of))], source=doc._("Source: IOM Financial Systems."), rounding=rounding, after=advance)


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build), Frame(PAYMENTS, P, build_payments), Frame(ADVANCE, A, build_advance)),
            write_sheet, Published((FILE_PAYMENTS, FILE_TOTALS), published_rows), docx=DocxLayout(write_docx))
