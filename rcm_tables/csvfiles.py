"""One tidy CSV per table: exactly the schema's columns, dollars with two decimals, ISO dates."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schemas as S
from . import public
from .outputs import OutputSet, staged
from .money import dollars_text_arrow, dollars_text_column


def tidy(frame_spec, frame: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV shows it, in the public convention: money as exact dollar text in ``*_usd`` columns,
    dates as ISO text, shares with two decimals, periods as text."""
    model = frame_spec.model
    out = frame[S.columns(model)].copy()
    money = S.money_columns(model)
    for column in money:
        out[column] = dollars_text_column(out[column])
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(out[column]):  # shares, in percentage points
            out[column] = [f"{v:.2f}" if pd.notna(v) else "" for v in out[column]]
    return out.rename(columns={c: public.money_name(c) for c in money})


def write_csv(tables: dict[str, pd.DataFrame], folder: Path, outputs: OutputSet | None = None) -> list[Path]:
    """One CSV per table frame (`rcm_tables.tables.FRAMES`), all replaced together (``outputs``: the run's
    transaction; by default the CSVs are their own)."""
    from .tables import FRAMES

    folder = Path(folder)
    written = []
    with staged(outputs) as out:
        for frame in FRAMES:
            target = folder / frame.csv_name
            tidy(frame, tables[frame.name]).to_csv(out.stage(target), index=False, lineterminator="\n")
            written.append(target)
    return written


def write_ledger_csv(ledger: pd.DataFrame, target: Path, outputs: OutputSet | None = None) -> Path:
    """Every ledger line with its provenance: the schema's columns, dollars with two decimals, ISO dates."""
    import pyarrow as pa
    from pyarrow import compute as pc
    from pyarrow import csv as pacsv

    money = (S.Ledger.amount_usd, S.Ledger.amount_doc)
    columns = {}
    for column in S.columns(S.Ledger):  # converted by Arrow's kernels, which leave the GIL to the workbook
        if column in money:
            columns[column] = dollars_text_arrow(ledger[column])
        elif column == S.Ledger.posting_date:  # the day, as strftime("%Y-%m-%d") gives it (a time is floored)
            columns[column] = pc.cast(pc.cast(pa.array(ledger[column]), pa.date32(), safe=False), pa.string())
        else:
            columns[column] = pa.array(ledger[column])
    table = pa.table(columns)
    with staged(outputs) as out:
        # pyarrow writes a quarter of a million lines in a fraction of pandas' time, quoting only where needed
        pacsv.write_csv(table, str(out.stage(Path(target))), pacsv.WriteOptions(quoting_style="needed"))
    return Path(target)


def is_ledger_csv(path: Path) -> bool:
    """True for a ledger CSV this toolkit wrote (its header line is the ledger's columns)."""
    try:
        with open(path, encoding="utf-8") as fh:
            first = fh.readline().strip()
    except (OSError, UnicodeDecodeError):
        return False
    return first.replace('"', "").split(",") == S.columns(S.Ledger)
