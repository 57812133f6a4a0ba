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
from .money import dollars_decimal

COLUMNS = ["table", "row", "column", "unit", "published", "computed", "difference", "rules", "label", "cell"]
NOTES_FILE = "DISCREPANCIES.md"
CENT = Decimal("0.01")
DOLLAR = Decimal(1)
usd = dollars_decimal


class PublishedError(ValueError):
    """A published CSV that cannot be read: names the file, row and column."""


@dataclass
class Row:
    """One figure of the comparison: published and computed values in the row's unit, the cell it links to."""

    table: str
    row: str
    column: str
    unit: str
    published: Decimal | None
    computed: Decimal | None
    cell: object | None  # the table's `CellKey` of the computed figure (None: not computed)
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


def _files():
    from .tables import TABLES

    return [f for spec in TABLES if spec.published is not None for f in spec.published.files]


def read(folder) -> dict[str, pd.DataFrame | None]:
    """The published tables of a folder as text frames (None for a file that is not there), columns checked.

    Cheap, and independent of the exports: the command line calls it before the long part of a build.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PublishedError(f"{str(folder)!r} is not a folder of published tables")
    tables: dict[str, pd.DataFrame | None] = {}
    files = _files()
    for spec in files:
        path = folder / spec.file
        tables[spec.key] = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None
        if tables[spec.key] is not None:
            _need(tables[spec.key], spec.file, spec.required)
    if all(frame is None for frame in tables.values()):
        raise PublishedError(f"{str(folder)!r} holds none of the published tables "
                             f"({', '.join(f.file for f in files)})")
    return tables


def number(value: str, file: str, row: int, column: str) -> Decimal | None:
    """A published figure: '' (nothing printed, "Pending") is None; '1,234.56' and '(40)' are numbers."""
    text = value.strip().replace("$", "").replace(",", "").replace("%", "")
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    try:
        parsed = Decimal(text.strip("()"))
    except InvalidOperation:
        raise PublishedError(f"{file}, row {row}, column {column!r}: {value!r} is not a number") from None
    return -parsed if negative else parsed


def _need(frame: pd.DataFrame, file: str, columns) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PublishedError(f"{file}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}")


def notes(folder: Path) -> list[str]:
    """The discrepancies listed with the published tables (``DISCREPANCIES.md``): [file name, line, ...]."""
    path = Path(folder) / NOTES_FILE
    if not path.exists():
        return []
    return [NOTES_FILE] + [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------------ rules


def pct(value) -> Decimal | None:
    return None if value is None or pd.isna(value) else Decimal(str(round(float(value), 6)))


def fmt(value: Decimal, unit: str) -> str:
    return f"{value:.2f} %" if unit == "%" else f"{value:,.2f}"


def add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def sub(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _beyond_rounding(printed: Decimal, exact: Decimal, unit: str) -> bool:
    """A whole-dollar figure may be rounded (up to a dollar); anything else must agree to the cent."""
    diff = abs(exact - printed)
    if unit == "USD" and printed == printed.to_integral_value():
        return diff >= DOLLAR
    return diff >= CENT


def total_rule(total: Row, rows_sum: Decimal) -> None:
    if total.published is not None and _beyond_rounding(total.published, rows_sum, total.unit):
        total.flag("total-not-sum-of-rows",
                   f"the published total {fmt(total.published, total.unit)} is not the sum of its own rows "
                   f"({fmt(rows_sum, total.unit)}; difference {fmt(rows_sum - total.published, total.unit)})")


def own_rule(row: Row, expected: Decimal | None, how: str) -> None:
    if row.published is not None and expected is not None and _beyond_rounding(row.published, expected, row.unit):
        row.flag("own-arithmetic", f"the published figure {fmt(row.published, row.unit)} is not its own {how} "
                                   f"({fmt(expected, row.unit)})")


def payment_rules(row: Row, received: Decimal | None, assessed: Decimal | None) -> None:
    if received is None or assessed is None or assessed == 0:
        return
    if 0 < received < assessed:
        row.flag("partial-payment", f"partial payment: {fmt(received, 'USD')} of {fmt(assessed, 'USD')}, pending "
                                    f"{fmt(assessed - received, 'USD')} (shown for every cell here; the report "
                                    "prints “Pending” for some partial payments only)")
    elif received > assessed:
        row.flag("overpaid", f"overpayment: {fmt(received, 'USD')} received against {fmt(assessed, 'USD')} "
                             f"assessed, so pending is negative ({fmt(assessed - received, 'USD')})")


def same_dates(published: list[str], computed: list[str]) -> bool:
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


def _generic_rules(row: Row) -> None:
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
        row.flag("rounding", f"printed in whole dollars; computed to the cent ({fmt(c, row.unit)})")
    if c != 0 and p != 0:
        for k in (10, 100, 1000):
            if p == c * k or p * k == c:
                row.flag("separator", f"published {fmt(p, row.unit)} is the computed figure "
                                      f"{'×' if p == c * k else '÷'} {k}: a misprinted decimal or thousands "
                                      "separator (as in “$40.116” for 40,116)")
    if not row.rules:
        row.flag("unexplained", "a difference no rule explains")


# ------------------------------------------------------------------------------------------------ compare


def compare(report, folder) -> pd.DataFrame:
    """Every published figure of ``folder`` beside the computed one, with the rules that explain differences.

    Each table's own rules live in its module (``rcm_tables.tables.table1`` …); the rules here apply to every row.

    >>> import rcm_tables
    >>> from rcm_tables.paths import PROJECT_ROOT
    >>> frame = compare(rcm_tables.load(), PROJECT_ROOT / "tests" / "published" / "report-2012")
    >>> balance = frame.loc[frame["row"].str.startswith("Balance")].iloc[0]
    >>> balance[["published", "computed", "difference"]].tolist(), balance["rules"]
    ([Decimal('38027.730000'), Decimal('38026.110000'), Decimal('-1.620000')], 'own-arithmetic')
    """
    from .tables import TABLES

    files = read(folder)
    rows: list[Row] = []
    for spec in TABLES:
        if spec.published is not None:
            rows += spec.published.rows(report, files)
    for row in rows:
        _generic_rules(row)
    records = [{
        "table": r.table, "row": r.row, "column": r.column, "unit": r.unit, "published": r.published,
        "computed": r.computed, "difference": r.difference, "rules": ", ".join(c for c, _ in r.rules),
        "label": "; ".join(text for _, text in r.rules), "cell": r.cell,
    } for r in rows if r.published is not None or r.computed is not None]
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    import pyarrow as pa

    # exact decimals, typed (not Python objects): dollars or percentage points, as `unit` says
    for column in ("published", "computed", "difference"):
        frame[column] = pd.Series(frame[column].tolist(), dtype=pd.ArrowDtype(pa.decimal128(20, 6)), index=frame.index)
    return frame
