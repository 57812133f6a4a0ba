"""Published vs computed: a published report's tables beside the figures computed from the ledger.

`compare(report, folder)` reads CSVs in the shape of ``../shared/reference/report-2012`` and returns one row per
published figure (and per computed figure the report does not print): table, row, column, unit, published,
computed, difference (= computed − published) and the rules that explain a difference or flag the published
report's own inconsistency. Pure: files in, a DataFrame out; the workbook and the notebooks both use it.

Values are `Decimal` in the row's unit (US dollars or percentage points), so nothing is rounded on the way.
Rules (each states a condition on the figures, never a cell position):

- ``rounding``: the published figure is whole dollars and within a dollar of the exact computed figure.
- ``total-not-sum-of-rows``: a published total differs from the sum of its own published rows (beyond rounding).
- ``own-arithmetic``: a published balance or pending is not its own received − expenses (approved − received)
  or running sum.
- ``shares-not-100``: a scale's published shares do not add up to 100 %.
- ``after-expenses-cutoff``: a receipt dated after the expenses' cut-off (the end of the month of the last
  expense line up to the as-of date).
- ``partial-payment``: less received than assessed: pending is shown for every cell.
- ``overpaid``: more received than assessed (or budgeted): pending is negative.
- ``not-printed`` / ``not-computed``: a figure on one side only (e.g. income adjustments without partner).
- ``receipt-dates-differ``: Table 4's dates of receipt differ (a year alone matches any date of that year).
- ``separator``: published = computed × 10, 100 or 1000 (or ÷): a misprinted decimal/thousands separator.
- ``mapping-changed``: a line of the next period's budget that the as-of period does not have; its accounts
  belong to other lines then.
- ``unexplained``: a difference no rule explains.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from . import schemas as S
from .ledger import expenses_cutoff
from .money import HUNDRED, dollars_decimal

L = S.Ledger
COLUMNS = ["table", "row", "column", "unit", "published", "computed", "difference", "rules", "label", "cell"]
FILES = {
    "table1": "table1_budget_history.csv",
    "table2": "table2_budget_execution_2012.csv",
    "table2_summary": "table2_contributions_2012.csv",
    "table3": "table3_approved_budget_2013.csv",
    "table4_payments": "table4_ts_payments_2009_2012.csv",
    "table4_totals": "table4_ts_totals_2009_2012.csv",
    "table5": "table5_return_fund.csv",
    "annex1": "annex1_scale_ts.csv",
}
NOTES_FILE = "DISCREPANCIES.md"
T1_HEADERS = {
    S.Table1.approved_budget: "Approved Budget", S.Table1.contributions_received: "Contributions Received",
    S.Table1.contributions_pending: "Contributions Pending",
    S.Table1.contributions_pending_accumulated: "Contributions Pending, Accumulated",
    S.Table1.operating_costs: "Operating Costs", S.Table1.net_balance: "Net Balance",
    S.Table1.accumulated_balance: "Accumulated Balance",
}
# Table 2's summary items are recognised by a word of their label (the first that matches, in this order).
SUMMARY_WORDS = (("balance", "balance"), ("pending", "contributions_pending"), ("received", "contributions_received"),
                 ("expenses", "total_expenses"), ("approved", "approved_budget"))
CENT = Decimal("0.01")
DOLLAR = Decimal(1)


class PublishedError(ValueError):
    """A published CSV that cannot be read: names the file, row and column."""


@dataclass
class _Row:
    table: str
    row: str
    column: str
    unit: str
    published: Decimal | None
    computed: Decimal | None
    cell: tuple | None
    rules: list[tuple[str, str]] = field(default_factory=list)

    def flag(self, code: str, text: str) -> None:
        if all(code != c for c, _ in self.rules):
            self.rules.append((code, text))

    @property
    def difference(self) -> Decimal | None:
        if self.computed is None:
            return None
        return self.computed - (self.published or 0)


# ------------------------------------------------------------------------------------------------ reading


# Columns each file must have (Table 5 adds one column per period).
REQUIRED = {
    "table1": ["budget_year", *T1_HEADERS], "table2": ["budget_line", "approved_budget", "expenses"],
    "table2_summary": ["item", "amount"], "table3": ["section", "budget_line", "amount"],
    "table4_payments": ["country", "period", "amount", "received_on"], "table4_totals": ["period", "total_received"],
    "table5": ["country", "percentage", "assessed_usd"], "annex1": ["country", "percentage", "contribution_usd"],
}


def read(folder) -> dict[str, pd.DataFrame | None]:
    """The published tables of a folder as text frames (None for a file that is not there), columns checked.

    Cheap, and independent of the exports: the command line calls it before the long part of a build.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PublishedError(f"{str(folder)!r} is not a folder of published tables")
    tables: dict[str, pd.DataFrame | None] = {}
    for name, file in FILES.items():
        path = folder / file
        tables[name] = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None
        if tables[name] is not None:
            _need(tables[name], name, REQUIRED[name])
    if all(frame is None for frame in tables.values()):
        raise PublishedError(f"{str(folder)!r} holds none of the published tables ({', '.join(FILES.values())})")
    return tables


def _number(value: str, file: str, row: int, column: str) -> Decimal | None:
    """A published figure: '' (nothing printed, "Pending") is None; '1,234.56' and '(40)' are numbers."""
    text = value.strip().replace("$", "").replace(",", "").replace("%", "")
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    try:
        number = Decimal(text.strip("()"))
    except InvalidOperation:
        raise PublishedError(f"{file}, row {row}, column {column!r}: {value!r} is not a number") from None
    return -number if negative else number


def _need(frame: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PublishedError(f"{FILES[name]}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}")


def notes(folder: Path) -> list[str]:
    """The discrepancies listed with the published tables (``DISCREPANCIES.md``): [file name, line, ...]."""
    path = Path(folder) / NOTES_FILE
    if not path.exists():
        return []
    return [NOTES_FILE] + [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------------ helpers


_usd = dollars_decimal


def _pct(value) -> Decimal | None:
    return None if value is None or pd.isna(value) else Decimal(str(round(float(value), 6)))


def _fmt(value: Decimal, unit: str) -> str:
    return f"{value:.2f} %" if unit == "%" else f"{value:,.2f}"


def _beyond_rounding(printed: Decimal, exact: Decimal, unit: str) -> bool:
    """A whole-dollar figure may be rounded (up to a dollar); anything else must agree to the cent."""
    diff = abs(exact - printed)
    if unit == "USD" and printed == printed.to_integral_value():
        return diff >= DOLLAR
    return diff >= CENT


def _total_rule(total: _Row, rows_sum: Decimal) -> None:
    if total.published is not None and _beyond_rounding(total.published, rows_sum, total.unit):
        total.flag("total-not-sum-of-rows",
                   f"the published total {_fmt(total.published, total.unit)} is not the sum of its own rows "
                   f"({_fmt(rows_sum, total.unit)}; difference {_fmt(rows_sum - total.published, total.unit)})")


def _own_rule(row: _Row, expected: Decimal | None, how: str) -> None:
    if row.published is not None and expected is not None and _beyond_rounding(row.published, expected, row.unit):
        row.flag("own-arithmetic", f"the published figure {_fmt(row.published, row.unit)} is not its own {how} "
                                   f"({_fmt(expected, row.unit)})")


def _payment_rules(row: _Row, received: Decimal | None, assessed: Decimal | None) -> None:
    if received is None or assessed is None or assessed == 0:
        return
    if 0 < received < assessed:
        row.flag("partial-payment", f"partial payment: {_fmt(received, 'USD')} of {_fmt(assessed, 'USD')}, pending "
                                    f"{_fmt(assessed - received, 'USD')} (shown for every cell here; the report "
                                    "prints “Pending” for some partial payments only)")
    elif received > assessed:
        row.flag("overpaid", f"overpayment: {_fmt(received, 'USD')} received against {_fmt(assessed, 'USD')} "
                             f"assessed, so pending is negative ({_fmt(assessed - received, 'USD')})")


def _generic_rules(row: _Row) -> None:
    p, c = row.published, row.computed
    if c is None:
        if p is not None:
            row.flag("not-computed", "in the published table, not in the computed one")
        return
    if p is None:
        if c != 0:
            what = ("income adjustments without a partner (bank charges, corrections): a row the report does not "
                    "print; the Ledger lines without Partner" if row.row == S.NO_PARTNER
                    else "not in the published table")
            row.flag("not-printed", what)
        return
    diff = c - p
    if diff == 0:
        return
    if row.unit == "USD" and p == p.to_integral_value() and abs(diff) < DOLLAR:
        row.flag("rounding", f"printed in whole dollars; computed to the cent ({_fmt(c, row.unit)})")
    if c != 0 and p != 0:
        for k in (10, 100, 1000):
            if p == c * k or p * k == c:
                row.flag("separator", f"published {_fmt(p, row.unit)} is the computed figure "
                                      f"{'×' if p == c * k else '÷'} {k}: a misprinted decimal or thousands "
                                      "separator (as in “$40.116” for 40,116)")
    if not row.rules:
        row.flag("unexplained", "a difference no rule explains")


# ------------------------------------------------------------------------------------------------ tables


def _table1(report, pub: pd.DataFrame) -> list[_Row]:
    T = S.Table1
    t = report.tables["table1"].set_index(T.period)
    rows: list[_Row] = []
    prev = {T.contributions_pending_accumulated: Decimal(0), T.accumulated_balance: Decimal(0)}
    for i, rec in pub.iterrows():
        period = rec["budget_year"].strip()
        v = {c: _number(rec[c], FILES["table1"], i + 2, c) for c in T1_HEADERS}
        # what each figure should be, from the report's own figures of the row (and the row above)
        own = {
            T.contributions_pending: (_sub(v[T.approved_budget], v[T.contributions_received]), "approved − received"),
            T.net_balance: (_sub(v[T.contributions_received], v[T.operating_costs]), "received − operating costs"),
            T.contributions_pending_accumulated: (_add(prev[T.contributions_pending_accumulated],
                                                       v[T.contributions_pending]), "running sum"),
            T.accumulated_balance: (_add(prev[T.accumulated_balance], v[T.net_balance]), "running sum"),
        }
        for column, header in T1_HEADERS.items():
            computed = _usd(t.at[period, column]) if period in t.index else None
            row = _Row("Table 1", period, header, "USD", v[column], computed,
                       ("table1", period, column) if computed is not None else None)
            rows.append(row)
            if column in own:
                _own_rule(row, *own[column])
            if column == T.contributions_pending and min(row.published or 0, computed or 0) < 0:
                row.flag("overpaid", "overpayment: more received than the approved budget, so pending is negative")
        prev = {c: v[c] for c in prev}
    return rows


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def _sub(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _table2(report, lines: pd.DataFrame | None, summary: pd.DataFrame | None) -> list[_Row]:
    rows: list[_Row] = []
    t = report.tables["table2"].set_index(S.Table2.budget_line)
    expenses_sum = Decimal(0)
    if lines is not None:
        for i, rec in lines.iterrows():
            line = rec["budget_line"].strip()
            for column, header in ((S.Table2.approved_budget, "Approved Budget"), (S.Table2.expenses, "Expenses")):
                value = _number(rec[column], FILES["table2"], i + 2, column)
                computed = _usd(t.at[line, column]) if line in t.index else None
                rows.append(_Row("Table 2", line, header, "USD", value, computed,
                                 ("table2", line, column) if computed is not None else None))
                if column == S.Table2.expenses and value is not None:
                    expenses_sum += value
    if summary is not None:
        s = report.tables["table2_summary"].set_index(S.Table2Summary.item)[S.Table2Summary.amount]
        items: dict[str, _Row] = {}
        for i, rec in summary.iterrows():
            label = rec["item"].strip()
            item = next((key for word, key in SUMMARY_WORDS if word in label.lower()), None)
            value = _number(rec["amount"], FILES["table2_summary"], i + 2, "amount")
            computed = _usd(s[item]) if item in s.index else None
            row = _Row("Table 2", label, "Amount", "USD", value, computed,
                       ("table2_summary", item, "amount") if computed is not None else None)
            rows.append(row)
            if item:
                items[item] = row
        pub = {k: r.published for k, r in items.items()}
        if "balance" in items:
            _own_rule(items["balance"], _sub(pub.get("contributions_received"), pub.get("total_expenses")),
                      "received − total expenses")
        if "contributions_pending" in items:
            _own_rule(items["contributions_pending"], _sub(pub.get("approved_budget"),
                                                           pub.get("contributions_received")), "approved − received")
        if "total_expenses" in items and lines is not None:
            _total_rule(items["total_expenses"], expenses_sum)
    return rows


def _table3(report, pub: pd.DataFrame) -> list[_Row]:
    from .tables.table3 import next_period

    ref = report.reference
    t = report.tables["table3"].set_index([S.Table3.section, S.Table3.budget_line])[S.Table3.amount]
    current = ref.period_of(report.as_of)
    nxt = next_period(ref, report.as_of)
    current_lines = set(ref.lines_of(current)[S.BudgetLines.budget_line])
    rows = []
    for i, rec in pub.iterrows():
        key = (rec["section"].strip(), rec["budget_line"].strip())
        computed = _usd(t[key]) if key in t.index else None
        row = _Row("Table 3", key[1], "Amount", "USD", _number(rec["amount"], FILES["table3"], i + 2, "amount"),
                   computed, ("table3", key, "amount") if computed is not None else None)
        rows.append(row)
        if nxt is not None and key[1] not in current_lines:
            acc = ref.accounts
            accounts = sorted(set(acc.loc[acc[S.Accounts.budget_line] == key[1], S.Accounts.gl_account]))
            before = {a: ref.budget_line_for(current, a) for a in accounts}
            where = "; ".join(f"{a} in “{line}”" for a, line in before.items() if line)
            row.flag("mapping-changed", f"not a budget line of {current}" + (
                f": in {current} its account(s) sit inside other lines ({where})" if where else ""))
    return rows


def _table4(report, payments: pd.DataFrame | None, totals: pd.DataFrame | None,
            annex: pd.DataFrame | None) -> list[_Row]:
    t = report.tables["table4"]
    pay = report.tables["table4_payments"]
    T, P = S.Table4, S.Table4Payments
    computed = t.set_index([T.country, T.period])[T.received]
    periods = list(dict.fromkeys(t[T.period]))
    countries = list(dict.fromkeys(t[T.country]))
    assessed: dict[str, Decimal] = {}
    if annex is not None:
        for i, rec in annex.iterrows():
            value = _number(rec["contribution_usd"], FILES["annex1"], i + 2, "contribution_usd")
            if value is not None:
                assessed[rec["country"].strip()] = value
    published: dict[tuple[str, str], list[tuple[Decimal, str]]] = {}
    if payments is not None:
        for i, rec in payments.iterrows():
            key = (rec["country"].strip(), rec["period"].strip())
            amount = _number(rec["amount"], FILES["table4_payments"], i + 2, "amount")
            published.setdefault(key, []).append((amount or Decimal(0), rec["received_on"].strip()))
    pub_periods = list(dict.fromkeys(p for _, p in published))
    printed = set(assessed) | {c for c, _ in published}
    for c, _ in published:
        if c not in countries:
            countries.append(c)
    for p in pub_periods:
        if p not in periods:
            periods.append(p)
    day = expenses_cutoff(report.ledger, report.as_of)
    cutoff = None if day is None else day.isoformat()
    dates = {key: sorted(d.date().isoformat() for d in group[P.received_on])
             for key, group in pay.groupby([P.country, P.period], sort=False)}
    rows: list[_Row] = []
    sums: dict[str, Decimal] = {}
    for country in countries:
        for period in periods:
            key = (country, period)
            got = published.get(key, [])
            value = sum((a for a, _ in got), Decimal(0)) if country in printed else None
            mine = _usd(computed[key]) if key in computed.index else None
            row = _Row("Table 4", country, f"{period} received", "USD", value, mine,
                       ("table4", key, "received") if mine is not None else None)
            rows.append(row)
            if value is not None:
                sums[period] = sums.get(period, Decimal(0)) + value
            late = [d for _, d in got if len(d) == 10 and cutoff is not None and d > cutoff]
            if late:
                row.flag("after-expenses-cutoff", f"includes a receipt of {', '.join(late)}, after the expenses' "
                                                  f"cut-off ({cutoff}): two cut-offs in one report")
            _payment_rules(row, value, assessed.get(country))
            if got and key in dates and not _same_dates([d for _, d in got], dates[key]):
                row.flag("receipt-dates-differ", f"published dates {', '.join(d for _, d in got)}; computed "
                                                 f"{', '.join(dates[key])}")
    if totals is not None:
        for i, rec in totals.iterrows():
            period = rec["period"].strip()
            mine = t.loc[t[T.period] == period, T.received]
            row = _Row("Table 4", "TOTAL", f"{period} received", "USD",
                       _number(rec["total_received"], FILES["table4_totals"], i + 2, "total_received"),
                       _usd(mine.sum()) if not mine.empty else None,
                       ("table4", ("TOTAL", period), "received") if not mine.empty else None)
            rows.append(row)
            if period in sums:
                _total_rule(row, sums[period])
    return rows


def _same_dates(published: list[str], computed: list[str]) -> bool:
    """A published year alone ("paid during 2008") matches any date of that year."""
    if len(published) != len(computed):
        return False
    rest = list(computed)
    for day in sorted(published, key=len, reverse=True):
        match = next((c for c in rest if c == day or (len(day) == 4 and c[:4] == day)), None)
        if match is None:
            return False
        rest.remove(match)
    return True


def _table5(report, pub: pd.DataFrame) -> list[_Row]:
    t = report.tables["table5"]
    T = S.Table5
    scale = report.reference.scale_of("RF").set_index(S.Scale.country)
    computed = t.set_index([T.country, T.period])[T.received]
    years = [c for c in pub.columns if c not in ("country", "percentage", "assessed_usd")]
    countries = [c.strip() for c in pub["country"] if c.strip().upper() != "TOTAL"]
    extra = [c for c in dict.fromkeys(t[T.country]) if c not in countries]
    by_country = {rec["country"].strip(): (i, rec) for i, rec in pub.iterrows()}
    rows: list[_Row] = []
    sums: dict[str, Decimal] = {}

    def add(country, column, label, unit, value, mine, cell, printed=True):
        row = _Row("Table 5", country, label, unit, value, mine, cell if mine is not None else None)
        rows.append(row)
        if printed and value is not None:
            sums[column] = sums.get(column, Decimal(0)) + value
        return row

    for country in countries + extra:
        i, rec = by_country.get(country, (None, None))
        get = (lambda c: None) if rec is None else (lambda c: _number(rec[c], FILES["table5"], i + 2, c))
        on_scale = country in scale.index
        share = _pct(scale.at[country, S.Scale.share_pct]) if on_scale else None
        due = _usd(scale.at[country, S.Scale.assessed]) if on_scale else None
        pub_share, pub_due = get("percentage"), get("assessed_usd")
        if pub_share is not None or share is not None:
            add(country, "percentage", "Percentage", "%", pub_share, share, ("table5", country, "share_pct"))
        if pub_due is not None or due is not None:
            add(country, "assessed_usd", "Contribution in US$", "USD", pub_due, due, ("table5", country, "assessed"))
        for year in years:
            value = get(year)
            if rec is not None and value is None:
                value = Decimal(0)  # printed "Pending" (or NA): nothing received
            key = (country, year)
            mine = _usd(computed[key]) if key in computed.index else None
            row = add(country, year, f"Contributions for {year}", "USD", value, mine, ("table5", key, "received"))
            _payment_rules(row, value, pub_due)
    if "TOTAL" in {c.upper() for c in by_country}:
        i, rec = next(v for k, v in by_country.items() if k.upper() == "TOTAL")
        share_total = _pct(scale[S.Scale.share_pct].dropna().sum()) if not scale.empty else None
        for column, label, unit, mine, cell in (
            ("percentage", "Percentage", "%", share_total, ("table5", "TOTAL", "share_pct")),
            ("assessed_usd", "Contribution in US$", "USD", _usd(scale[S.Scale.assessed].sum()),
             ("table5", "TOTAL", "assessed")),
        ):
            row = _Row("Table 5", "TOTAL", label, unit, _number(rec[column], FILES["table5"], i + 2, column), mine,
                       cell)
            rows.append(row)
            if column in sums:
                _total_rule(row, sums[column])
            if unit == "%" and sums.get(column, HUNDRED) != HUNDRED:
                row.flag("shares-not-100", f"the published shares add up to {_fmt(sums[column], '%')}, not 100 %")
        for year in years:
            mine = t.loc[t[T.period] == year, T.received]
            row = _Row("Table 5", "TOTAL", f"Contributions for {year}", "USD",
                       _number(rec[year], FILES["table5"], i + 2, year), _usd(mine.sum()) if not mine.empty else None,
                       ("table5", ("TOTAL", year), "received") if not mine.empty else None)
            rows.append(row)
            if year in sums:
                _total_rule(row, sums[year])
    return rows


def _annex1(report, pub: pd.DataFrame) -> list[_Row]:
    t = report.tables["annex1"].set_index(S.Annex1.country)
    rows: list[_Row] = []
    sums = {"share_pct": Decimal(0), "assessed_usd": Decimal(0)}
    for i, rec in pub.iterrows():
        country = rec["country"].strip()
        if country.upper() == "TOTAL":
            continue
        for column, source, label, unit in (("share_pct", "percentage", "Percentage", "%"),
                                            ("assessed_usd", "contribution_usd", "Contribution in US$", "USD")):
            value = _number(rec[source], FILES["annex1"], i + 2, source)
            mine = None
            if country in t.index:
                mine = _pct(t.at[country, column]) if unit == "%" else _usd(t.at[country, column])
            rows.append(_Row("Annex 1", country, label, unit, value, mine,
                             ("annex1", country, column) if mine is not None else None))
            sums[column] += value or 0
    # The published Annex 1 (as transcribed) has no TOTAL row: its rows' sums stand in for it.
    share = _Row("Annex 1", "TOTAL (sum of the published rows)", "Percentage", "%", sums["share_pct"],
                 _pct(t[S.Annex1.share_pct].sum()), ("annex1", "TOTAL", "share_pct"))
    if sums["share_pct"] != HUNDRED:
        share.flag("shares-not-100", f"the published shares add up to {_fmt(sums['share_pct'], '%')}, not 100 %")
    amount = _Row("Annex 1", "TOTAL (sum of the published rows)", "Contribution in US$", "USD", sums["assessed_usd"],
                  _usd(t[S.Annex1.assessed_usd].sum()), ("annex1", "TOTAL", "assessed_usd"))
    return rows + [share, amount]


# ------------------------------------------------------------------------------------------------ compare


def compare(report, folder) -> pd.DataFrame:
    """Every published figure of ``folder`` beside the computed one, with the rules that explain differences.

    >>> import rcm_tables
    >>> from rcm_tables.paths import PROJECT_ROOT
    >>> frame = compare(rcm_tables.load(), PROJECT_ROOT / "tests" / "published" / "report-2012")
    >>> balance = frame.loc[frame["row"].str.startswith("Balance")].iloc[0]
    >>> str(balance["published"]), str(balance["computed"]), str(balance["difference"]), balance["rules"]
    ('38027.73', '38026.11', '-1.62', 'own-arithmetic')
    """
    tables = read(folder)
    rows: list[_Row] = []
    if tables["table1"] is not None:
        rows += _table1(report, tables["table1"])
    if tables["table2"] is not None or tables["table2_summary"] is not None:
        rows += _table2(report, tables["table2"], tables["table2_summary"])
    if tables["table3"] is not None:
        rows += _table3(report, tables["table3"])
    if tables["table4_payments"] is not None or tables["table4_totals"] is not None:
        rows += _table4(report, tables["table4_payments"], tables["table4_totals"], tables["annex1"])
    if tables["table5"] is not None:
        rows += _table5(report, tables["table5"])
    if tables["annex1"] is not None:
        rows += _annex1(report, tables["annex1"])
    for row in rows:
        _generic_rules(row)
    records = [{
        "table": r.table, "row": r.row, "column": r.column, "unit": r.unit, "published": r.published,
        "computed": r.computed, "difference": r.difference, "rules": ", ".join(c for c, _ in r.rules),
        "label": "; ".join(text for _, text in r.rules), "cell": r.cell,
    } for r in rows if r.published is not None or r.computed is not None]
    return pd.DataFrame.from_records(records, columns=COLUMNS)

