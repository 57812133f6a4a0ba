"""What a table declares of its comparison with a published report: a figure of the comparison (`Row`), how a
published figure is read (`number`), and the rules a table applies to its own rows (`own_rule`, `total_rule`,
`payment_rules`, `same_dates`). `rcm_tables.published` reads the files, runs each table's rules and adds the rules
every row shares; a table module imports this, never the comparison itself (docs/architecture.md).

Values are `Decimal` in the row's unit (US dollars or percentage points), so nothing is rounded on the way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from ..money import MAX_DOLLARS, dollars_decimal

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


def number(value: str, file: str, row: int, column: str) -> Decimal | None:
    """A published figure: '' (nothing printed, "Pending") is None; '1,234.56' and '(40)' are numbers."""
    text = value.strip().replace("$", "").replace(",", "").replace("%", "")
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    try:
        parsed = Decimal(text.strip("()"))
    except InvalidOperation:
        parsed = None
    if parsed is None or not parsed.is_finite():  # Decimal reads 'NaN' and 'Infinity' too
        raise PublishedError(f"{file}, row {row}, column {column!r}: {value!r} is not a number")
    if abs(parsed) > MAX_DOLLARS:  # no figure of the report comes near; a misprint, not a figure to compare
        raise PublishedError(f"{file}, row {row}, column {column!r}: {value!r} is beyond a billion")
    return -parsed if negative else parsed


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
