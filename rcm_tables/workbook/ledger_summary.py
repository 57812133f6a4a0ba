"""The summarised Ledger sheet's rows, computed on integer codes rather than on the ledger's text columns.

A decade's ledger is 240,000 lines whose text columns are Arrow-backed: filtering the whole frame takes every
column, and grouping on seven text keys hashes each of them. Here each key column is factorised once, the keys
are combined into one integer per line, and only the few columns and rows the sheet shows are taken.
`ledger_sheet.summarised_lines` is the plain pandas statement of the same rows (and the fallback when a key is
missing on some line); the tests hold the two to the same frame.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schemas as S

L = S.Ledger
KEY_SPACE = 2**62  # combined keys are renumbered before they could leave int64


def summary_text(count: int, first: int, last: int) -> str:
    return (f"Summary of {count:,} expense lines (rows {first}-{last}); every line is in the ledger CSV beside the "
            "workbook")


def _codes(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, pd.Index] | None:
    codes, uniques = pd.factorize(values, sort=sort)
    if len(codes) and codes.min() < 0:
        return None  # a missing value: the pandas path groups it as pandas does
    return np.asarray(codes, dtype=np.int64), uniques


def summarise(ledger: pd.DataFrame, as_of, keys: tuple[str, ...]) -> pd.DataFrame | None:
    """The Ledger sheet's rows, summarised (as `ledger_sheet.summarised_lines`), or None when a key or the
    currency is missing on some line, or the rows are not numbered by integers (the pandas path then decides)."""
    folded = ((ledger[L.kind] == "expense").to_numpy(dtype=bool, na_value=False)
              & (ledger[L.posting_date] <= pd.Timestamp(as_of)).to_numpy(dtype=bool, na_value=False))
    if ledger[L.row].dtype.kind != "i" or ledger[L.copies].dtype.kind != "i":
        return None
    positions = np.flatnonzero(folded)
    combined = np.zeros(len(positions), dtype=np.int64)
    for column in keys:
        if column == L.kind:
            continue  # every folded line is an expense
        coded = _codes(ledger[column])
        if coded is None:
            return None
        width = len(coded[1])
        if int(combined.max(initial=0)) >= KEY_SPACE // max(width, 1):
            combined = pd.factorize(combined)[0].astype(np.int64)
        combined = combined * width + coded[0][positions]
    currency = _codes(ledger[L.currency], sort=True)
    if currency is None:
        return None
    group, uniques = pd.factorize(combined)  # numbered in order of first appearance, as groupby(sort=False)
    n = len(uniques)
    group = np.asarray(group, dtype=np.intp)
    rows = ledger[L.row].to_numpy(dtype=np.int64)[positions]
    dates = ledger[L.posting_date].to_numpy()[positions]
    cur = currency[0][positions]
    agg = {
        "usd": _sum(n, group, ledger[L.amount_usd].to_numpy(dtype=np.int64, na_value=0)[positions]),
        "date": _extreme(np.maximum, n, group, dates.view(np.int64)).view(dates.dtype),
        "lines": np.bincount(group, minlength=n).astype(np.int64),
        "copies": _sum(n, group, ledger[L.copies].to_numpy(dtype=np.int64)[positions]),
        "pos": _extreme(np.minimum, n, group, positions.astype(np.int64)),
        "first_row": _extreme(np.minimum, n, group, rows), "last_row": _extreme(np.maximum, n, group, rows),
        "cur_min": _extreme(np.minimum, n, group, cur), "cur_max": _extreme(np.maximum, n, group, cur)}
    return _assemble(ledger, agg, currency[1], np.flatnonzero(~folded), keys)


def _sum(n: int, group: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, group, values)
    return out


def _extreme(ufunc, n: int, group: np.ndarray, values: np.ndarray) -> np.ndarray:
    info = np.iinfo(np.int64)
    out = np.full(n, info.max if ufunc is np.minimum else info.min, dtype=np.int64)
    ufunc.at(out, group, values)
    return out


def _assemble(ledger: pd.DataFrame, agg: dict, currencies: pd.Index, detail: np.ndarray,
              keys: tuple[str, ...]) -> pd.DataFrame:
    """The summary rows and the lines kept line by line, in the sheet's order (file, row, summary first)."""
    n = len(agg["pos"])
    summary = {column: ledger[column].take(agg["pos"]).reset_index(drop=True) for column in keys}
    summary.update({L.amount_usd: agg["usd"], L.posting_date: agg["date"], S.LEDGER_LINES: agg["lines"],
                    L.copies: agg["copies"]})
    same = agg["cur_min"] == agg["cur_max"]
    summary[L.currency] = pd.Series(np.where(same, np.asarray(currencies, dtype=object)[agg["cur_min"]], ""),
                                    dtype=ledger[L.currency].dtype)
    summary[L.text] = pd.Series([summary_text(c, a, b) for c, a, b in zip(
        agg["lines"].tolist(), agg["first_row"].tolist(), agg["last_row"].tolist())], dtype=ledger[L.text].dtype)
    for column in (L.document_no, L.doc_type, L.partner, L.partner_as_written, L.assignment, L.extra):
        summary[column] = pd.Series([""] * n, dtype=ledger[column].dtype)
    for column in (L.row, L.item, L.amount_doc):  # a summary has no single row of its own
        summary[column] = pd.array([pd.NA] * n, dtype="Int64")
    columns = [*ledger.columns, S.LEDGER_LINES]
    lines = ledger.take(detail).assign(**{S.LEDGER_LINES: 1}).reset_index(drop=True)
    rows = pd.concat([pd.DataFrame(summary)[columns], lines[columns]], ignore_index=True)
    # the order: file, then row (a summary where its first line was), a summary before a line of the same row
    files = pd.factorize(rows[L.file], sort=True)[0]
    row = np.concatenate([agg["first_row"], lines[L.row].to_numpy(dtype=np.int64)])
    summary_last = np.concatenate([np.zeros(n, dtype=np.int8), np.ones(len(lines), dtype=np.int8)])
    return rows.take(np.lexsort((summary_last, row, files))).reset_index(drop=True)
