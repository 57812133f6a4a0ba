"""Sums every table shares, so that Table 1, 2 and 4 can never disagree on what "received" means.

Every function takes the ledger's lines already clamped to the as-of date (`rcm_tables.ledger.clamp`).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schemas as S
from ..memo import Last
from ..reference import Reference

L = S.Ledger


# The columns the tables use: selecting lines copies only these, not the whole ledger.
USED = [L.partner, L.period, L.budget_line, L.posting_date, L.amount_usd]
LEDGER_COLUMNS = [L.fund, L.kind, *USED]  # what `build_all` passes to the builders


# The tables ask for the same few selections a dozen times (Table 1 and 2 both want TS's receipts and costs by
# period): each is made once per `lines` and kept until `forget` (`build_all` calls it). No caller changes what
# it is given.
_selected = Last()  # the lines last selected from: {(what, fund, kind[, columns]): the selection or the sums}


def _once(lines: pd.DataFrame, key: tuple, make):
    memo = _selected.get(lines, lambda _lines: {})
    if key not in memo:
        memo[key] = make()
    return memo[key]


def forget() -> None:
    """Let go of the lines last selected from (and so of their selections)."""
    _selected.forget()


def fund_lines(lines: pd.DataFrame, fund: str, kind: str, columns: tuple[str, ...] = tuple(USED)) -> pd.DataFrame:
    """The lines of one fund and kind, with ``columns`` (default all those in `USED`; ``lines``: clamped to the
    as-of date). Fewer columns, less to copy: a decade's TS expenses are 200,000 lines."""
    def select() -> pd.DataFrame:
        return lines.loc[(lines[L.fund] == fund) & (lines[L.kind] == kind), list(columns)]

    return _once(lines, ("lines", fund, kind, columns), select)


def by_period(lines: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in lines.groupby(L.period)[L.amount_usd].sum().items()}


def fund_by_period(lines: pd.DataFrame, fund: str, kind: str) -> dict[str, int]:
    """`by_period` of `fund_lines`: a new dict each time (the caller may add to it)."""
    return dict(_once(lines, ("sums", fund, kind),
                      lambda: by_period(fund_lines(lines, fund, kind, (L.period, L.amount_usd)))))


def _with_opening(lines: pd.DataFrame, ref: Reference, kind: str, opening_column: str) -> dict[str, int]:
    sums = fund_by_period(lines, "TS", kind)
    for label, amount in zip(ref.opening[S.OpeningBalances.period], ref.opening[opening_column]):
        sums[label] = sums.get(label, 0) + int(amount)
    return sums


def received(lines: pd.DataFrame, ref: Reference) -> dict[str, int]:
    """TS contributions received per period (by Assignment), opening balances included, in cents."""
    return _with_opening(lines, ref, "contribution", S.OpeningBalances.contributions_received)


def operating_costs(lines: pd.DataFrame, ref: Reference) -> dict[str, int]:
    """TS expenses per period (by posting date), opening balances included, in cents."""
    return _with_opening(lines, ref, "expense", S.OpeningBalances.operating_costs)


def as_of_period(ref: Reference, as_of: dt.date) -> str:
    label = ref.period_of(as_of)
    if label is None:
        raise ValueError(f"the as-of date {as_of} falls in no period of the reference workbook")
    return label


def last_periods(ref: Reference, as_of: dt.date, count: int) -> list[str]:
    labels = ref.periods_up_to(as_of)
    return labels[-count:]


def periods_with_contributions(lines: pd.DataFrame, ref: Reference, as_of: dt.date, fund: str) -> list[str]:
    """The periods up to the as-of date, from the first one for which the fund received a contribution."""
    labels = ref.periods_up_to(as_of)
    used = set(fund_lines(lines, fund, "contribution")[L.period])
    first = next((i for i, label in enumerate(labels) if label in used), len(labels))
    return labels[first:]


def partner_rows(scale_countries: list[str], lines: pd.DataFrame) -> list[str]:
    """Row order of a contributions table: the scale's countries, then other partners, then adjustments."""
    others = sorted(set(lines[L.partner]) - set(scale_countries) - {""})
    rows = list(scale_countries) + others
    if (lines[L.partner] == "").any():
        rows.append(S.NO_PARTNER)
    return rows


def partner_key(lines: pd.DataFrame) -> pd.Series:
    return lines[L.partner].where(lines[L.partner] != "", S.NO_PARTNER)


def to_frame(model, records: list[dict]) -> pd.DataFrame:
    """Records as a validated table frame with the model's dtypes (also when there are no records)."""
    cols = S.columns(model)
    frame = pd.DataFrame.from_records(records, columns=cols)
    for column, kind in S.dtype_names(model).items():  # not pandera's schema: it is imported only on a failure
        if kind.startswith("int"):
            frame[column] = frame[column].astype("int64")
        elif kind.startswith("float"):
            frame[column] = frame[column].astype("float64")
        elif kind.startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].astype(str)
    return frame if S.surely_valid(model, frame) else S.schema(model).validate(frame)


# The sentence the workbook's and the document's Table 2 both print when receipts are counted to a later date than
# the expenses (the document translates it: the same words in each language).
def N_(message: str) -> str:
    """Marks a text for the document's catalog (`rcm_tables.document.i18n.N_`, without importing the document)."""
    return message


CUTOFF_NOTE = N_("Contributions are counted to {as_of}; expenses, which IOM books month by month, are recorded to "
                 "{cutoff}.")


def cutoff_note(as_of: dt.date, cutoff: dt.date | None, day, words=None) -> str | None:
    """`CUTOFF_NOTE` with the dates as ``day`` writes them (``words``: its translation), or None when the
    expenses run to the as-of date."""
    if cutoff is None or cutoff >= as_of:
        return None
    return (words or (lambda text: text))(CUTOFF_NOTE).format(as_of=day(as_of), cutoff=day(cutoff))


def brought_forward(ref, periods) -> set[str]:
    """The periods whose figures the Opening Balances sheet brings forward (who paid them is not in the exports)."""
    return {period for period in periods if ref.opening_for(period) is not None}


def match_reversals(entries: list[tuple[pd.Timestamp, int]]) -> list[tuple[pd.Timestamp, int]]:
    """Net a partner's lines for one period into the receipts the report lists.

    Lines of the same day are netted. A negative entry (reversal, refund) first cancels the latest earlier
    receipt of exactly its amount, otherwise it reduces the latest earlier receipts; what remains unmatched
    stays as a negative entry. The sum is unchanged, so the receipts always add up to "received".
    """
    by_day: dict[pd.Timestamp, int] = {}
    for day, amount in sorted(entries):
        by_day[day] = by_day.get(day, 0) + amount
    kept: list[list] = []
    for day, amount in sorted(by_day.items()):
        if amount >= 0:
            if amount:
                kept.append([day, amount])
            continue
        earlier = [k for k in kept if k[0] <= day and k[1] > 0]
        exact = [k for k in earlier if k[1] == -amount]
        if exact:
            kept.remove(exact[-1])
            continue
        rest = -amount
        for k in reversed(earlier):
            take = min(rest, k[1])
            k[1] -= take
            rest -= take
            if not rest:
                break
        kept = [k for k in kept if k[1] != 0]
        if rest:
            kept.append([day, -rest])
    return [(d, a) for d, a in sorted(kept)]
