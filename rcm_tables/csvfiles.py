"""One tidy CSV per table: exactly the schema's columns, dollars with two decimals, ISO dates."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schemas as S
from .atomic import atomic_path
from .money import dollars_text_column


def tidy(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV shows it: money as exact dollar text, dates as ISO text."""
    out = frame[S.columns(S.TABLES[name])].copy()
    for column in S.MONEY_COLUMNS[name]:
        out[column] = dollars_text_column(out[column])
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    if name == "annex1":
        out[S.Annex1.share_pct] = [f"{v:.2f}" if pd.notna(v) else "" for v in out[S.Annex1.share_pct]]
    return out


def write_csv(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder = Path(folder)
    written = []
    for name in S.TABLES:
        target = folder / f"{name}.csv"
        with atomic_path(target) as tmp:
            tidy(name, tables[name]).to_csv(tmp, index=False, lineterminator="\n")
        written.append(target)
    return written


def write_ledger_csv(ledger: pd.DataFrame, target: Path) -> Path:
    """Every ledger line with its provenance: the schema's columns, dollars with two decimals, ISO dates."""
    out = ledger[S.columns(S.Ledger)].copy()
    for column in (S.Ledger.amount_usd, S.Ledger.amount_doc):
        out[column] = dollars_text_column(out[column])
    out[S.Ledger.posting_date] = out[S.Ledger.posting_date].dt.strftime("%Y-%m-%d")
    import pyarrow as pa
    from pyarrow import csv as pacsv

    table = pa.Table.from_pandas(out, preserve_index=False)
    with atomic_path(Path(target)) as tmp:
        # pyarrow writes a quarter of a million lines in a fraction of pandas' time, quoting only where needed
        pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="needed"))
    return Path(target)
