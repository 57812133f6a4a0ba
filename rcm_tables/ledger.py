"""One ledger from many exports: identical copies collapse, every line gets its kind, period and budget line.

The functions here are pure: frames in, frames out. Problems with the data are found by `checks`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schemas as S
from .inputs.exports import ExportFile
from .inputs.values import clean_name, normalize_name
from .problems import Code, Problem, problem
from .reference import Reference

L = S.Ledger
KEY = [L.document_no, L.item]
# A line's identity is its content under the contract's columns; extra columns and provenance may differ.
CONTENT = [c for c in S.columns(S.ExportLine) if c != L.extra]


@dataclass(frozen=True)
class Deduplicated:
    lines: pd.DataFrame  # one row per (document_no, item), first copy in file order
    duplicates: pd.DataFrame  # identical later copies, with the place of the copy kept
    conflicts: tuple[Problem, ...]
    conflicting_rows: frozenset[tuple[str, int]]  # (file, row) of every copy of a conflicting line


def combine(exports: list[ExportFile]) -> pd.DataFrame:
    """All valid lines of all exports, in file order then row order, with provenance columns."""
    if not exports:
        empty = S.columns(S.ExportLine) + [L.file, L.sheet, L.row]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in empty})
    out = pd.concat([export.lines for export in exports]).reset_index()
    sizes = [len(export.lines) for export in exports]
    for position, column, values in ((0, L.file, [e.file for e in exports]), (1, L.sheet, [e.sheet for e in exports])):
        out.insert(position, column, pd.Series(np.repeat(np.array(values, dtype=object), sizes)).astype(str))
    out[L.row] = out[L.row].astype("int64")
    return out


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = a.eq(b).fillna(False).to_numpy(dtype=bool)
    return pd.Series(equal | both_missing, index=a.index)


def deduplicate(lines: pd.DataFrame) -> Deduplicated:
    """Collapse identical copies of a (Document No., Item); report differing copies naming both places."""
    is_copy = lines.duplicated(KEY, keep="first")
    first = lines.loc[~is_copy]
    copies = lines.loc[is_copy]
    dup_cols = [L.document_no, L.item, L.file, L.sheet, L.row, L.amount_usd]  # the amount: for the file's footing
    if copies.empty:
        out = first.copy(deep=False)
        out[L.copies] = 1
        return Deduplicated(out.reset_index(drop=True), pd.DataFrame(columns=dup_cols + ["kept_file",
                            "kept_sheet", "kept_row"]), (), frozenset())
    # _at: where the kept copy is in ``first``, to count its copies without matching keys again
    pairs = copies.merge(first.assign(_at=first.index), on=KEY, suffixes=("", "_kept"), how="left")
    identical = pd.Series(True, index=pairs.index)
    differing: dict[str, pd.Series] = {}
    for column in CONTENT:
        if column in KEY:
            continue
        same = _same(pairs[column], pairs[column + "_kept"])
        differing[column] = ~same
        identical &= same
    conflicts: list[Problem] = []
    bad_keys: set[tuple[str, int]] = set()
    for i in pairs.index[~identical]:
        row = pairs.loc[i]
        diffs = [c for c in CONTENT if c not in KEY and differing[c].loc[i]]
        detail = "; ".join(
            f"{S.EXPORT_HEADERS[c]} {_show(row[c + '_kept'])} there, {_show(row[c])} here" for c in diffs[:3])
        conflicts.append(problem(
            Code.DUPLICATE_CONFLICT,
            f"Document No. {row[L.document_no]} Item {row[L.item]} also appears in {row[L.file + '_kept']} "
            f"row {row[L.row + '_kept']} with different content: {detail}",
            file=row[L.file], sheet=row[L.sheet], row=int(row[L.row]),
            column=S.EXPORT_HEADERS[diffs[0]], value=_show(row[diffs[0]]),
            hint="a line is identified by (Document No., Item): keep one export of the period, or ask IOM which "
                 "figure is right",
        ))
        bad_keys.add((row[L.document_no], int(row[L.item])))
    in_conflict = pd.Series(_keys(lines).isin(list(bad_keys)) if bad_keys else False, index=lines.index)
    conflicting_rows = frozenset(zip(lines.loc[in_conflict, L.file], lines.loc[in_conflict, L.row].astype(int)))

    # copies of a conflicting line are all rejected, not counted as duplicates
    ok_pairs = pairs.loc[identical & ~_keys(pairs).isin(list(bad_keys))] if bad_keys else pairs.loc[identical]
    duplicates = ok_pairs[dup_cols + [L.file + "_kept", L.sheet + "_kept", L.row + "_kept"]].rename(
        columns={L.file + "_kept": "kept_file", L.sheet + "_kept": "kept_sheet", L.row + "_kept": "kept_row"})
    out = first.loc[~in_conflict.loc[first.index]].copy() if bad_keys else first.copy(deep=False)
    counts = ok_pairs["_at"].value_counts()
    out[L.copies] = 1 + counts.reindex(out.index, fill_value=0).to_numpy(dtype="int64")
    return Deduplicated(out.reset_index(drop=True), duplicates.reset_index(drop=True), tuple(conflicts),
                        conflicting_rows)


def _keys(frame: pd.DataFrame) -> pd.MultiIndex:
    """(Document No., Item) of each line, as plain str and int so that keys compare across frames."""
    return pd.MultiIndex.from_arrays([frame[L.document_no].astype(str).to_numpy(dtype=object),
                                      frame[L.item].astype("int64").to_numpy()], names=KEY)


def _show(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(empty)"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return repr(value)


def attribute(lines: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """Add the ledger's derived columns: canonical partner, kind, period and budget line.

    Values that cannot be attributed are left empty; `checks` reports them with their location.
    """
    out = lines.copy(deep=False)  # only whole columns are set below: no need to copy the data
    accounts = out[L.gl_account].astype(str)
    income = accounts.isin(S.INCOME_ACCOUNTS).to_numpy(dtype=bool)
    expense = accounts.str.match(S.EXPENSE_ACCOUNT_PATTERN).to_numpy(dtype=bool)
    kind = np.where(expense, "expense", np.where(income, "contribution", "other")).astype(object)
    out[L.kind] = pd.Series(kind, index=out.index)

    names = ref.partner_names
    out[L.partner_as_written] = out[L.partner].astype(str)
    known = _each_distinct(out[L.partner_as_written], lambda p: names.get(normalize_name(p), "") if p else "")
    # other donors (400200) need not be in the reference workbook: a name it does not know is a donor's own
    donor = (accounts == S.DONOR_ACCOUNT).to_numpy(dtype=bool)
    written = _each_distinct(out[L.partner_as_written], clean_name)
    out[L.partner] = [k or (w if d else "") for k, w, d in zip(known, written, donor)]

    by_date = np.full(len(out), "", dtype=object)
    for _, period in ref.periods.iterrows():
        inside = (out[L.posting_date] >= period[S.Periods.start]) & (out[L.posting_date] <= period[S.Periods.end])
        by_date[inside.to_numpy(dtype=bool)] = period[S.Periods.period]
    labels = set(ref.period_labels)
    assigned = out[L.assignment].astype(str).where(out[L.assignment].astype(str).isin(labels), "")
    out[L.period] = pd.Series(np.where(kind == "contribution", assigned.to_numpy(dtype=object), by_date), index=out.index)

    mapping = ref.account_map
    ts_expense = (out[L.kind] == "expense") & (out[L.fund] == "TS")
    pairs = out[L.period].astype(str) + "\x00" + accounts  # period and account, joined by a character neither has
    out[L.budget_line] = _each_distinct(pairs.where(ts_expense, ""), lambda pa: (
        mapping.get(tuple(pa.split("\x00")), mapping.get(("", pa.split("\x00")[1]), "")) if pa else ""))
    return out[S.columns(S.Ledger)]


def _each_distinct(values: pd.Series, fn) -> list:
    """``fn`` of each value, computed once per distinct value (ledger columns repeat a few values many times)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array([fn(u) for u in uniques], dtype=object)
    return mapped[codes].tolist()


def expenses_cutoff(lines: pd.DataFrame, as_of):
    """The date TS expenses are booked to: the end of the month of the last expense line, at most as-of.

    IOM books costs month by month while receipts arrive any day, so the as-of date may run ahead of the
    expenses (the 2012 report: receipts to 9 November, expenses to 31 October). None without expense lines.
    ``lines``: clamped to the as-of date (`clamp`).
    """
    last = lines.loc[(lines[L.fund] == "TS") & (lines[L.kind] == "expense"), L.posting_date].max()
    if pd.isna(last):
        return None
    return min(last + pd.offsets.MonthEnd(0), pd.Timestamp(as_of)).date()


def clamp(ledger: pd.DataFrame, as_of) -> pd.DataFrame:
    """The lines posted on or before the as-of date: the only ones the tables and checks see.

    Applied once per build (`tables.build_all`, `Report.lines_used`), as beancount clamps entries to a date
    range before any report.
    """
    dates = ledger[L.posting_date]
    if not dates.empty and dates.max() <= pd.Timestamp(as_of):
        return ledger  # all of them: no copy of a large ledger
    return ledger.loc[dates <= pd.Timestamp(as_of)]
