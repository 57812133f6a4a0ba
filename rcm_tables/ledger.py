"""One ledger from many exports: identical copies collapse, every line gets its kind, period and budget line.

The functions here are pure: frames in, frames out. Problems with the data are found by `checks`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schemas as S
from .inputs.exports import ExportFile, SourceCount
from .inputs.values import clean_name, normalize_name
from .money import grouped
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
        out.insert(position, column, _labelled(np.repeat(np.arange(len(exports)), sizes), map(str, values), out.index))
    out[L.row] = out[L.row].astype("int64")
    # each text column in one chunk, not one per file: the merge selects these lines a few dozen times, and each
    # selection would join a file's chunks again (a cold build's batch merges: 0.08 s less of 0.55)
    return contiguous(out)


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = a.eq(b).fillna(False).to_numpy(dtype=bool)
    return pd.Series(equal | both_missing, index=a.index)


PAIR_COLUMNS = [L.document_no, L.item, L.file, L.sheet, L.row, L.amount_usd]  # the amount: for the file's footing
KEPT = {L.file + "_kept": "kept_file", L.sheet + "_kept": "kept_sheet", L.row + "_kept": "kept_row"}


@dataclass(frozen=True)
class Merged:
    """The de-duplication of every line merged so far, in file order, before conflicting lines are removed.

    A later merge continues it with the lines of files that come after all those merged, and gives exactly
    what one merge of all the lines gives: a rebuild continues from a stored one (`rcm_tables.snapshot`).
    """

    first: pd.DataFrame  # the first copy of each (document_no, item) in order of appearance, conflicting too
    pairs: pd.DataFrame  # each later copy: PAIR_COLUMNS, the kept copy's place (KEPT), _at, identical
    conflicts: tuple[Problem, ...]  # one per copy that differs from the first, in order
    bad_keys: frozenset[tuple[str, int]]  # (Document No., Item) of every line with a differing copy


def merge(done: Merged | None, lines: pd.DataFrame, prepare=None) -> Merged:
    """``done`` (None: nothing yet) continued with ``lines`` (`combine`), which come after every line merged.

    ``prepare`` is applied to the new first copies only (the ledger's attribution, which is line by line).
    """
    old = done.first if done is not None else lines.iloc[:0]
    is_copy = lines.duplicated(KEY, keep="first").to_numpy() | _in(lines, old)
    fresh, copies = lines.loc[~is_copy], lines.loc[is_copy]
    pairs, conflicts, bad = _pair(copies, old, fresh)
    fresh = prepare(fresh) if prepare is not None else fresh
    first = fresh.reset_index(drop=True) if done is None else _joined(old, fresh)
    if done is not None:
        pairs = _joined(done.pairs, pairs)
        conflicts, bad = done.conflicts + conflicts, done.bad_keys | bad
    return Merged(first, pairs, conflicts, bad)


def _joined(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``a`` then ``b``; an empty part is left out (concat would otherwise widen the other's dtypes)."""
    if a.empty or b.empty:
        return (b if a.empty else a).reset_index(drop=True)
    return pd.concat([a, b], ignore_index=True)


def _pair(copies: pd.DataFrame, old: pd.DataFrame, fresh: pd.DataFrame
          ) -> tuple[pd.DataFrame, tuple[Problem, ...], frozenset]:
    """Each copy beside its first copy (in ``old``, then ``fresh``), compared column by column."""
    if copies.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS + list(KEPT) + ["_at", "identical"]), (), frozenset()
    # the first copies as read: an attributed first copy holds its partner as written in partner_as_written
    hit = _in(old, copies)
    kept = old.loc[hit]
    if L.partner_as_written in kept.columns:
        kept = kept.assign(**{L.partner: kept[L.partner_as_written]})
    columns = CONTENT + [L.file, L.sheet, L.row]
    near = _in(fresh, copies)  # the few first copies among the new lines: the merge below joins only those
    kept = _joined(kept[columns].assign(_at=np.flatnonzero(hit)),
                   fresh.loc[near, columns].assign(_at=len(old) + np.flatnonzero(near)))
    pairs = copies.merge(kept, on=KEY, suffixes=("", "_kept"), how="left")
    identical = pd.Series(True, index=pairs.index)
    differing: dict[str, pd.Series] = {}
    for column in CONTENT:
        if column in KEY:
            continue
        same = _same(pairs[column], pairs[column + "_kept"])
        differing[column] = ~same
        identical &= same
    conflicts = tuple(_conflict(pairs.loc[i], [c for c in differing if differing[c].loc[i]])
                      for i in pairs.index[~identical])
    bad = frozenset((row[L.document_no], int(row[L.item])) for _, row in pairs.loc[~identical].iterrows())
    out = pairs[PAIR_COLUMNS + list(KEPT) + ["_at"]].assign(identical=identical.to_numpy())
    return out, conflicts, bad


def _conflict(row: pd.Series, diffs: list[str]) -> Problem:
    detail = "; ".join(
        f"{S.EXPORT_HEADERS[c]} {_show(row[c + '_kept'], c)} there, {_show(row[c], c)} here" for c in diffs[:3])
    return problem(
        Code.DUPLICATE_CONFLICT,
        f"Document No. {row[L.document_no]} Item {row[L.item]} also appears in {row[L.file + '_kept']} "
        f"row {row[L.row + '_kept']} with different content: {detail}",
        file=row[L.file], sheet=row[L.sheet], row=int(row[L.row]),
        column=S.EXPORT_HEADERS[diffs[0]], value=_show(row[diffs[0]], diffs[0]),
        hint="a line is identified by (Document No., Item): keep one export of the period, or ask IOM which "
             "figure is right",
    )


def result(merged: Merged) -> Deduplicated:
    """The ledger lines (first copies without conflicting ones, with their count of identical copies), the
    identical copies, and the conflicts."""
    first, pairs, bad = merged.first, merged.pairs, merged.bad_keys
    if pairs.empty:
        out = first.copy(deep=False)
        out[L.copies] = 1
        return Deduplicated(out.reset_index(drop=True), pd.DataFrame(columns=PAIR_COLUMNS + list(KEPT.values())),
                            merged.conflicts, frozenset())
    bad_lines = pd.DataFrame(list(bad), columns=KEY)
    first_bad = _in(first, bad_lines) if bad else np.zeros(len(first), dtype=bool)
    pair_bad = _in(pairs, bad_lines) if bad else np.zeros(len(pairs), dtype=bool)
    conflicting_rows = frozenset(
        list(zip(first.loc[first_bad, L.file], first.loc[first_bad, L.row].astype(int)))
        + list(zip(pairs.loc[pair_bad, L.file], pairs.loc[pair_bad, L.row].astype(int))))
    # copies of a conflicting line are all rejected, not counted as duplicates
    ok_pairs = pairs.loc[pairs["identical"].to_numpy(dtype=bool) & ~pair_bad]
    duplicates = ok_pairs[PAIR_COLUMNS + list(KEPT)].rename(columns=KEPT)
    out = first.loc[~first_bad].copy() if bad else first.copy(deep=False)
    counts = ok_pairs["_at"].value_counts()
    out[L.copies] = 1 + counts.reindex(out.index, fill_value=0).to_numpy(dtype="int64")
    return Deduplicated(out.reset_index(drop=True), duplicates.reset_index(drop=True), merged.conflicts,
                        conflicting_rows)


def deduplicate(lines: pd.DataFrame) -> Deduplicated:
    """Collapse identical copies of a (Document No., Item); report differing copies naming both places."""
    return result(merge(None, lines))


def _in(frame: pd.DataFrame, other: pd.DataFrame) -> np.ndarray:
    """Which lines of ``frame`` have a (Document No., Item) of ``other``: the document number alone first (one
    column: cheap on a decade's ledger), then the whole key on the few that share one."""
    maybe = _member(frame[L.document_no], other[L.document_no])
    out = np.zeros(len(frame), dtype=bool)
    if maybe.any():
        near = other.loc[_member(other[L.document_no], frame.loc[maybe, L.document_no])]
        out[maybe] = _keys(frame.loc[maybe]).isin(_keys(near))
    return out


def _member(values: pd.Series, pool: pd.Series) -> np.ndarray:
    """``values.isin(pool)`` by Arrow's hash set: pandas takes a second over a pool of 240,000 strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    left, right = pa.array(values.astype(str)), pa.array(pool.astype(str))
    right = right.cast(left.type)
    if len(right) > 4 * len(left):  # a month against a decade: the pool's values among the few first (a hash set
        right = pc.filter(right, pc.is_in(right, value_set=left))  # of 2,000, not of 240,000: 30 ms -> 4 ms)
    return pc.is_in(left, value_set=right).to_numpy(zero_copy_only=False).astype(bool)


def _keys(frame: pd.DataFrame) -> pd.MultiIndex:
    """(Document No., Item) of each line, as plain str and int so that keys compare across frames."""
    return pd.MultiIndex.from_arrays([frame[L.document_no].astype(str).to_numpy(dtype=object),
                                      frame[L.item].astype("int64").to_numpy()], names=KEY)


def _show(value, column: str = "") -> str:
    """A value as the user typed it: an amount 4,440.00 (never a repr such as np.int64(444000)), a date
    2012-03-01, text in quotes (so that a trailing space shows)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(empty)"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if column in (L.amount_usd, L.amount_doc):
        return grouped(int(value))
    if isinstance(value, str):
        return repr(value)
    return str(int(value)) if isinstance(value, (int, np.integer)) else str(value)


def attribute(lines: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """Add the ledger's derived columns: canonical partner, kind, period and budget line.

    Values that cannot be attributed are left empty; `checks` reports them with their location.
    """
    out = lines.copy(deep=False)  # only whole columns are set below: no need to copy the data
    accounts = out[L.gl_account].astype(str)
    income = accounts.isin(S.INCOME_ACCOUNTS).to_numpy(dtype=bool)
    expense = accounts.str.match(S.EXPENSE_ACCOUNT_PATTERN).to_numpy(dtype=bool)
    kind = np.where(expense, 2, np.where(income, 1, 0))
    out[L.kind] = _labelled(kind, ("other", "contribution", "expense"), out.index)

    names = ref.partner_names
    out[L.partner_as_written] = out[L.partner].astype(str)

    def partner(written, donor: bool) -> str:
        # other donors (400200) need not be in the reference workbook: a name it does not know is a donor's own
        known = names.get(normalize_name(written), "") if written else ""
        return known or (clean_name(written) if donor else "")

    donor = (accounts == S.DONOR_ACCOUNT).to_numpy(dtype=bool)
    out[L.partner] = _each_distinct(partner, out.index, out[L.partner_as_written], donor)

    by_date = np.full(len(out), "", dtype=object)
    for _, period in ref.periods.iterrows():
        inside = (out[L.posting_date] >= period[S.Periods.start]) & (out[L.posting_date] <= period[S.Periods.end])
        by_date[inside.to_numpy(dtype=bool)] = period[S.Periods.period]
    labels = set(ref.period_labels)
    assigned = out[L.assignment].astype(str).where(out[L.assignment].astype(str).isin(labels), "")
    out[L.period] = pd.Series(np.where(kind == 1, assigned.to_numpy(dtype=object), by_date), index=out.index)

    mapping = ref.account_map

    def budget_line(period: str, account: str, ts_expense: bool) -> str:
        return mapping.get((period, account), mapping.get(("", account), "")) if ts_expense else ""

    ts_expense = ((out[L.kind] == "expense") & (out[L.fund] == "TS")).to_numpy(dtype=bool)
    out[L.budget_line] = _each_distinct(budget_line, out.index, out[L.period].astype(str), accounts, ts_expense)
    return out[S.columns(S.Ledger)]


def _each_distinct(fn, index: pd.Index, *columns) -> pd.Series:
    """A text column: ``fn`` of each row's values in ``columns``, computed once per distinct combination (ledger
    columns repeat a few values many times)."""
    codes = np.zeros(len(index), dtype=np.int64)
    uniques = []
    for column in columns:
        # a product of distinct counts stays far below 2**63: at most two columns of MAX_LINES values, and a flag
        found, distinct = pd.factorize(column, use_na_sentinel=False)
        codes = codes * len(distinct) + found
        uniques.append(distinct)
    combos, firsts = pd.factorize(codes)
    values = []
    for combo in firsts.tolist():
        parts = []
        for distinct in reversed(uniques):
            combo, at = divmod(combo, len(distinct))
            parts.append(distinct[at])
        values.append(fn(*reversed(parts)))
    return _labelled(combos, values, index)


def contiguous(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each text column in one Arrow chunk. A column merged in batches holds one per batch, and
    Arrow joins a column's chunks again at every selection of lines (`take`): 0.2 ms each instead of 0.03."""
    joined = {column: pd.array(values.array._pa_array.combine_chunks(), dtype=values.dtype)
              for column, values in frame.items()
              if getattr(getattr(values.array, "_pa_array", None), "num_chunks", 1) > 1}
    return frame.assign(**joined) if joined else frame


def _labelled(codes: np.ndarray, labels, index: pd.Index) -> pd.Series:
    """A text column whose row i is ``labels[codes[i]]``, gathered by Arrow (no Python string made per row)."""
    import pyarrow as pa

    taken = pa.array(list(labels), type=pa.large_string()).take(pa.array(codes))
    return pd.Series(taken, dtype="str", index=index)


def expenses_cutoff(lines: pd.DataFrame, as_of):
    """The date TS expenses are booked to: the end of the month of the last expense line, at most as-of.

    IOM books costs month by month while receipts arrive any day, so the as-of date may run ahead of the
    expenses (the 2012 report: receipts to 9 November, expenses to 31 October). None without expense lines.
    ``lines``: clamped to the as-of date (`clamp`).
    """
    last = lines[L.posting_date].loc[(lines[L.fund] == "TS") & (lines[L.kind] == "expense")].max()
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


# ------------------------------------------------------------------------------------------------ row accounting


def account_for_rows(read: list[ExportFile], ledger: pd.DataFrame, dedup, bad_rows: set) -> tuple[SourceCount, ...]:
    """How every row of every export read was accounted for: used on ``ledger``, an identical duplicate
    (``dedup``), or rejected (its own problems, a conflicting copy, or an error naming it: ``bad_rows``)."""
    used = ledger[L.file].value_counts()
    dups = dedup.duplicates[L.file].value_counts() if not dedup.duplicates.empty else pd.Series(dtype="int64")
    conflicting, bad = _rows_by_file(dedup.conflicting_rows), _rows_by_file(bad_rows)
    return tuple(_account_for(export, used, dups, conflicting, bad) for export in read)


def _rows_by_file(places) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for file, row in places:
        out.setdefault(file, set()).add(row)
    return out


def _account_for(export: ExportFile, used: pd.Series, dups: pd.Series, conflicting: dict, bad: dict
                 ) -> SourceCount:
    """Count each row of a file once: used, an identical duplicate, or rejected (counted independently).

    ``used``, ``dups``: ledger lines and identical duplicates per file; ``conflicting``, ``bad``: rows per file.
    """
    rejected = set(export.rejected_rows)
    rejected |= conflicting.get(export.file, set())
    # an error on the Total row (its footing) is not a line's
    rejected |= {row for row in bad.get(export.file, ()) if row > export.header_row and row != export.total_row}
    return SourceCount(
        file=export.file, sha256=export.sha256, sheet=export.sheet, rows_read=export.rows_read,
        used=int(used.get(export.file, 0)), duplicates=int(dups.get(export.file, 0)), rejected=len(rejected),
        footing=export.footing,
    )
