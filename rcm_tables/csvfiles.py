"""One tidy CSV per table: exactly the schema's columns, dollars with two decimals, ISO dates."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schemas as S
from .atomic import atomic_path
from .money import dollars_text_column


def tidy(frame_spec, frame: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV shows it: money as exact dollar text, dates as ISO text, shares with two decimals."""
    model = frame_spec.model
    out = frame[S.columns(model)].copy()
    for column in S.money_columns(model):
        out[column] = dollars_text_column(out[column])
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(out[column]):  # shares, in percentage points
            out[column] = [f"{v:.2f}" if pd.notna(v) else "" for v in out[column]]
    return out


def write_csv(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """One CSV per table frame (`rcm_tables.tables.FRAMES`), each written atomically."""
    from .tables import FRAMES

    folder = Path(folder)
    written = []
    for frame in FRAMES:
        target = folder / frame.csv_name
        with atomic_path(target) as tmp:
            tidy(frame, tables[frame.name]).to_csv(tmp, index=False, lineterminator="\n")
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
