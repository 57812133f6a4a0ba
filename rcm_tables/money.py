"""Money: int64 cents inside, dollars at the edges. The only module that converts between the two.

Every amount is held as a whole number of cents from the moment a cell is read. Dollars appear only where a
person or another program reads them: the workbook's cells (float dollars, exact to the cent below 2^53
cents), the CSV files (exact text), messages and the document (formatted text), the published comparison
(`Decimal`). `MAX_CENTS` bounds every amount read, so that no sum of a realistic ledger can overflow int64
(see `MAX_CENTS`).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pandas as pd

CENTS_PER_DOLLAR = 100
HUNDRED = Decimal(100)

# The largest amount accepted in any input cell: a billion dollars (10^11 cents), some three thousand times the
# Secretariat's yearly budget. int64 holds 9.2 * 10^18, so a sum of up to `MAX_LINES` (92 million) amounts
# within the bound cannot overflow; the ledger refuses more lines than that (`ledger.combine`), so no sum can.
MAX_DOLLARS = 10**9
MAX_CENTS = MAX_DOLLARS * CENTS_PER_DOLLAR
INT64_MAX = 2**63 - 1
MAX_LINES = INT64_MAX // MAX_CENTS

# Number formats of the workbook: negatives in parentheses, as the report prints them.
MONEY = "$#,##0.00;($#,##0.00)"
MONEY_WHOLE = "$#,##0;($#,##0)"
AMOUNT = "#,##0.00;(#,##0.00)"  # the Ledger's amounts: no currency sign, the Currency column says which


MORE_THAN_TWO_DECIMALS = "amount has more than two decimals"


class AmountError(ValueError):
    """A decimal amount that is not money: more than two decimals, or beyond `MAX_CENTS`."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def cents_from_decimal(value: Decimal) -> int:
    """Exact cents of a decimal amount; float noise below 1/100 of a cent is tolerated, a third decimal is not."""
    if not value.is_finite():
        raise AmountError("amount is not a finite number", "enter the amount as a number")
    if abs(value) > MAX_DOLLARS:
        raise AmountError(f"amount is beyond {MAX_DOLLARS:,} dollars in magnitude",
                          "no real amount is this large: check the cell (an account or document number?)")
    scaled = value * CENTS_PER_DOLLAR
    cents = scaled.to_integral_value()
    if abs(scaled - cents) > Decimal("0.0001"):
        raise AmountError(MORE_THAN_TWO_DECIMALS,
                          "amounts are money: round the figure to cents in the export")
    return int(cents)


def in_bounds(cents: int) -> bool:
    return -MAX_CENTS <= int(cents) <= MAX_CENTS


def sum_is_safe(count: int) -> bool:
    """True when ``count`` amounts within the bound cannot overflow int64 when added."""
    return count <= MAX_LINES


def dollars(cents) -> float:
    """Float dollars of exact cents: a workbook cell's value (the cell's format shows two decimals)."""
    return int(cents) / CENTS_PER_DOLLAR


def dollars_decimal(cents) -> Decimal:
    """Exact dollars as a `Decimal` (the published comparison)."""
    return Decimal(int(cents)) / HUNDRED


def dollars_text(cents: int) -> str:
    """Exact dollars as plain text with two decimals: 374138 -> '3741.38', -12500 -> '-125.00'."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), CENTS_PER_DOLLAR)
    return f"{sign}{whole}.{frac:02d}"


ARROW_FROM = 2_000  # values: a longer column is converted by Arrow's kernels, a shorter one in Python


def dollars_text_column(cents: pd.Series) -> pd.Series:
    """`dollars_text` of a whole column ('' where missing): a table's few values in Python, a ledger's many by
    `dollars_text_arrow`; the same text either way."""
    missing = cents.isna()
    if len(cents) >= ARROW_FROM:
        text = dollars_text_arrow(cents).to_pylist()
    else:
        values = cents.fillna(0).astype("int64").tolist()
        text = ["" if m else dollars_text(v) for v, m in zip(values, missing.tolist())]
    return pd.Series(text, index=cents.index, dtype="str")


def dollars_text_arrow(cents: pd.Series):
    """`dollars_text` of a whole column as an Arrow string array ('' where missing), computed by Arrow's kernels
    (which leave the GIL free: the ledger's CSV is written beside the workbook)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = cents.fillna(0).astype("int64").to_numpy()
    size = np.abs(values)
    whole = pc.cast(pa.array(size // CENTS_PER_DOLLAR), pa.string())
    text = pc.binary_join_element_wise(whole, _hundredths().take(pa.array(size % CENTS_PER_DOLLAR)), ".")
    negative = values < 0
    if negative.any():
        text = pc.if_else(pa.array(negative), pc.binary_join_element_wise("-", text, ""), text)
    missing = cents.isna().to_numpy(dtype=bool)
    return pc.if_else(pa.array(missing), "", text) if missing.any() else text


def _hundredths():
    import pyarrow as pa

    return pa.array([f"{i:02d}" for i in range(CENTS_PER_DOLLAR)])


def dollars_columns(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A copy with the given cent columns as float dollars (for display and charts)."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].astype("float64") / CENTS_PER_DOLLAR
    return out


def grouped(cents: int) -> str:
    """'1,234.56' (messages)."""
    return f"{int(cents) / CENTS_PER_DOLLAR:,.2f}"


def money_text(cents: int) -> str:
    """'$16,682.00', '($125.00)': a receipt's amount in Table 4's text column."""
    text = f"${abs(int(cents)) / CENTS_PER_DOLLAR:,.2f}"
    return f"({text})" if cents < 0 else text


def money_format_for(cents_values) -> str:
    """Whole-dollar format where every amount is whole (figures typed in the reference), else cents."""
    return MONEY_WHOLE if all(int(c) % CENTS_PER_DOLLAR == 0 for c in cents_values) else MONEY


# ---------------------------------------------------------------- the document's figures
# The report document prints whole dollars (Tables 1, 3, 4, 5, Annex 1) or cents (Table 2, the statements),
# each figure rounded from its exact cents, half away from zero (as a person rounds 0.50 up).


def rounded(cents, places: int) -> int:
    """Exact cents rounded to ``places`` decimals of a dollar (0 or 2), still in cents: 4545080 -> 4545100."""
    cents = int(cents)
    if places >= 2:
        return cents
    step = CENTS_PER_DOLLAR // 10**places
    whole, rest = divmod(abs(cents), step)
    whole += 1 if 2 * rest >= step else 0
    return (-1 if cents < 0 else 1) * whole * step


def has_cents(cents) -> bool:
    return int(cents) % CENTS_PER_DOLLAR != 0


def money_display(cents, places: int, locale: str, symbol: str = "$") -> str:
    """A figure as the document prints it: '$282,724', '($14,140)', '$137,935.24'; the number is formatted by
    Babel for ``locale`` (its separators), ``symbol`` comes from the language's catalog."""
    try:
        return _money_display(cents, places, locale, symbol)  # the same figures recur: each formatted once
    except TypeError:  # (a value that cannot be a key)
        return _money_display.__wrapped__(cents, places, locale, symbol)


@lru_cache(maxsize=4096)
def _money_display(cents, places: int, locale: str, symbol: str) -> str:
    from babel.numbers import format_decimal

    value = Decimal(rounded(cents, places)) / HUNDRED
    pattern = "#,##0.00" if places >= 2 else "#,##0"
    text = symbol + format_decimal(abs(value), format=pattern, locale=locale, decimal_quantization=True)
    return f"({text})" if value < 0 else text
