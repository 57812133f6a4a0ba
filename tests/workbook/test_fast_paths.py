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
