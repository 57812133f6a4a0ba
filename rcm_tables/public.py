"""The frames an analyst gets: one convention for everything public (docs/data-conventions.md).

Inside, money is int64 cents (`rcm_tables.money`) and text is "" where empty, because the writers and the
workbook's formulas want exactly that. What `load()`, `Report.table()`, `Report.ledger`, `rcm_tables.analysis`,
`published.compare` and the CSV files give is this:

- **money** is exact US dollars, `pd.ArrowDtype(pa.decimal128(18, 2))`, in a column whose name ends in ``_usd``
  (``approved_budget_usd``); sums, groupby and plotting work on it (measured: docs/data-conventions.md). An
  amount in the document's currency keeps its name (``amount_doc``, the Currency column says which);
- **missing text** is ``pd.NA`` (a ``string`` column), never "";
- **closed sets** (fund, kind, document type, severity) are categoricals;
- **periods** are strings everywhere, CSVs included.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from . import schemas as S

USD = "decimal128(18, 2)"
CATEGORIES = {"fund": S.FUNDS, "kind": ("contribution", "expense", "other"), "doc_type": S.DOC_TYPES,
              "severity": ("error", "warning", "note")}


def usd_dtype():
    import pyarrow as pa

    return pd.ArrowDtype(pa.decimal128(18, 2))


def money_name(column: str) -> str:
    """The public name of a money column: it says the unit (an amount in the document's currency keeps its)."""
    if column.endswith("_usd") or column == S.Ledger.amount_doc:
        return column
    return f"{column}_usd"


def dollars(cents: pd.Series) -> pd.Series:
    """Exact dollars of int cents, vectorised in Arrow (a quarter of a million in milliseconds); NA stays NA."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(cents.astype("Int64"), type=pa.int64(), from_pandas=True)
    exact = pc.multiply(pc.cast(values, pa.decimal128(19, 0)), pa.scalar(Decimal("0.01"), pa.decimal128(3, 2)))
    return pd.Series(pc.cast(exact, pa.decimal128(18, 2)), index=cents.index, dtype=usd_dtype(), name=cents.name)


def convert(frame: pd.DataFrame, model) -> pd.DataFrame:
    """An internal frame (int cents, "" for no text) in the public convention."""
    money = set(S.money_columns(model)) if model is not None else set()
    out = {}
    for column in frame.columns:
        values = frame[column]
        if column in money:
            out[money_name(column)] = dollars(values)
        elif column in CATEGORIES:
            out[column] = pd.Categorical(values.astype(str), categories=CATEGORIES[column])
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out[column] = values.astype("string").replace("", pd.NA)
        else:
            out[column] = values
    return pd.DataFrame(out, index=frame.index)


def names(model) -> list[str]:
    """The public column names of a model, in order."""
    money = set(S.money_columns(model))
    return [money_name(c) if c in money else c for c in S.columns(model)]
