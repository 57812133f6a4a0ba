"""The workbook's fast paths give what their plain statements give: each is held here to the slower code it
replaces (the golden parts hold the sample's workbook as a whole)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rcm_tables import schemas as S

L = S.Ledger


def _rows(frame):
    from rcm_tables.workbook.ledger_sheet import ledger_rows

    rows = list(ledger_rows(frame))
    return rows, [[type(v) for v in row] for row in rows]


def _awkward(ledger: pd.DataFrame) -> pd.DataFrame:
    """The sample's ledger with what the sample lacks: two sheets of one file numbered alike (summaries that
    tie on file and first row), a group of mixed currencies, rows out of order."""
    out = ledger.copy()
    n = len(out)
    second = np.arange(n) % 3 == 0
    out[L.sheet] = pd.Series(np.where(second, "Other", out[L.sheet].to_numpy(dtype=object)), index=out.index,
                             dtype=out[L.sheet].dtype)
    out[L.currency] = pd.Series(np.where(np.arange(n) % 7 == 0, "EUR", out[L.currency].to_numpy(dtype=object)),
                                index=out.index, dtype=out[L.currency].dtype)
    out[L.row] = (out[L.row].to_numpy() // 2).astype("int64")
    return out.iloc[::-1].reset_index(drop=True)


@pytest.mark.parametrize("awkward", [False, True])
@pytest.mark.parametrize("as_of", ["2012-11-09", "2010-06-30", "2000-01-01"])
def test_the_summarised_ledger_sheet_is_the_same_fast_or_plain(sample_report, awkward, as_of):
    from rcm_tables.workbook.ledger_sheet import SUMMARY_KEYS, summarised_lines
    from rcm_tables.workbook.ledger_summary import summarise

    ledger = _awkward(sample_report.ledger_cents) if awkward else sample_report.ledger_cents
    fast = summarise(ledger, dt.date.fromisoformat(as_of), SUMMARY_KEYS)
    plain = summarised_lines(ledger, dt.date.fromisoformat(as_of))
    assert fast is not None
    assert list(fast.columns) == list(plain.columns)
    assert _rows(fast) == _rows(plain)


def test_a_missing_key_leaves_the_summary_to_pandas(sample_report):
    from rcm_tables.workbook.ledger_sheet import SUMMARY_KEYS
    from rcm_tables.workbook.ledger_summary import summarise

    ledger = sample_report.ledger_cents.copy()
    ledger.loc[ledger.index[3], L.budget_line] = None
    assert summarise(ledger, sample_report.as_of, SUMMARY_KEYS) is None


@pytest.mark.parametrize("dtype", ["Int64", "float64", "object"])
def test_dollars_as_text_are_the_same_from_python_or_arrow(dtype):
    from rcm_tables import money as M

    values = [0, 5, -5, 99, -100, 100, 12345, -12345, 10**11, -(10**11), None, 7, -1, 250]
    cents = pd.Series((values * 200)[: M.ARROW_FROM + 3], dtype=dtype)
    expected = ["" if pd.isna(v) else M.dollars_text(v) for v in cents.tolist()]
    assert M.dollars_text_column(cents).tolist() == expected  # Arrow's kernels (a long column)
    short = cents.iloc[:40]
    assert M.dollars_text_column(short).tolist() == expected[:40]  # Python (a table's column)
    assert M.dollars_text_arrow(short).to_pylist() == expected[:40]


def test_the_ledger_csv_is_what_pandas_would_write(sample_report, tmp_path):
    """`write_ledger_csv` converts with Arrow's kernels; the plain statement converts with pandas."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    from rcm_tables.csvfiles import write_ledger_csv
    from rcm_tables.money import dollars_text_column

    ledger = sample_report.ledger_cents.copy()
    ledger.loc[ledger.index[:3], L.amount_doc] = pd.NA
    ledger.loc[ledger.index[4], L.posting_date] = pd.NaT
    ledger.loc[ledger.index[5], L.posting_date] = pd.Timestamp("1969-12-31 18:00")
    ledger.loc[ledger.index[6], L.amount_usd] = -7
    plain = ledger[S.columns(S.Ledger)].copy()
    for column in (L.amount_usd, L.amount_doc):
        plain[column] = dollars_text_column(plain[column])
    plain[L.posting_date] = plain[L.posting_date].dt.strftime("%Y-%m-%d")
    pacsv.write_csv(pa.Table.from_pandas(plain, preserve_index=False), str(tmp_path / "plain.csv"),
                    pacsv.WriteOptions(quoting_style="needed"))
    write_ledger_csv(ledger, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
