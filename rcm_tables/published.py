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

from pathlib import Path

import pandas as pd

from . import schemas as S
from .tables import TABLES
from .tables.comparison import (CENT, DOLLAR, PublishedError, Row, add, fmt, number, own_rule,  # noqa: F401
                                payment_rules, pct, same_dates, sub, total_rule, usd)

COLUMNS = ["table", "row", "column", "unit", "published", "computed", "difference", "rules", "label", "cell"]
NOTES_FILE = "DISCREPANCIES.md"


# ------------------------------------------------------------------------------------------------ reading


def _files():
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
        tables[spec.key] = _read_csv(path, spec.file) if path.exists() else None
        if tables[spec.key] is not None:
            _need(tables[spec.key], spec.file, spec.required)
    if all(frame is None for frame in tables.values()):
        raise PublishedError(f"{str(folder)!r} holds none of the published tables "
                             f"({', '.join(f.file for f in files)})")
    return tables


def _read_csv(path: Path, file: str) -> pd.DataFrame:
    """One published table as text: UTF-8 (or UTF-16 with a byte-order mark, or Windows-1252), separated by commas
    or semicolons, as the exports' CSVs are read (`inputs.csvgrid`); what cannot be read is a `PublishedError`."""
    import csv
    import io

    from .inputs.csvgrid import SEPARATORS, decode

    try:
        text, problems = decode(path.read_bytes(), file)
    except OSError as exc:
        raise PublishedError(f"{file}: cannot be read ({type(exc).__name__}: {exc.strerror or exc})") from None
    if text is None:
        raise PublishedError(f"{file}: {problems[0].message}")
    if not text.strip():
        raise PublishedError(f"{file}: the file is empty")
    header = next(line for line in text.lstrip("\ufeff").splitlines() if line.strip())  # pandas skips blank lines
    # the separator that splits the header into the most columns (ties: comma first); a name in the rows may hold
    # commas ("Interpreting, Equipment, etc.") in a file separated by semicolons
    sep = max(SEPARATORS, key=lambda s: len(next(csv.reader([header], delimiter=s), [])))
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, csv.Error) as exc:  # e.g. a row with more fields than the header
        raise PublishedError(f"{file}: not a table pandas can read ({' '.join(str(exc).split())})") from None


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
