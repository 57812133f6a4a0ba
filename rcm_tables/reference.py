"""The Secretariat's reference workbook as one immutable object: periods, budget lines, accounts, scale."""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import schemas as S
from .inputs.values import normalize_name
from .problems import Code, Problem, file_label
from .inputs.aliases import BUILT_IN, ColumnNames, from_sheet
from .inputs.reference_sheets import read_reference_sheets


@dataclass(frozen=True)
class Reference:
    file: str
    sha256: str
    periods: pd.DataFrame  # sorted by start
    budget_lines: pd.DataFrame
    accounts: pd.DataFrame
    scale: pd.DataFrame
    opening: pd.DataFrame
    partners: pd.DataFrame
    # our optional sheets for the report document (empty when absent: `has_sheet` tells)
    notes: pd.DataFrame = field(default_factory=lambda: _empty(S.Notes))
    payment_instructions: pd.DataFrame = field(default_factory=lambda: _empty(S.PaymentInstructions))
    column_aliases: pd.DataFrame = field(default_factory=lambda: _empty(S.ColumnAliases))  # as read
    organization: pd.DataFrame = field(default_factory=lambda: _empty(S.Organization))
    rows_read: dict[str, int] = field(default_factory=dict)
    # the export columns' other names in force: built in, plus the optional Column Aliases sheet's valid rows
    column_names: ColumnNames = BUILT_IN
    rejected: dict[str, dict[int, str]] = field(default_factory=dict)  # sheet -> {row: first column's text}
    # sheets whose header could not be read (reported where it is): their rows are unknown, not absent
    unread: frozenset[str] = frozenset()

    def has_sheet(self, sheet: str) -> bool:
        """True when the workbook holds ``sheet`` (an optional sheet may be absent)."""
        return sheet in self.rows_read

    @property
    def rejected_periods(self) -> frozenset[str]:
        """Labels of Periods rows that were rejected: what depends on them waits until they are fixed."""
        return frozenset(v for v in self.rejected.get(S.PERIODS_SHEET, {}).values() if v)

    # the sheet each field holds (optional sheets of extensions are fields named like their sheet, snake_case)
    FIELDS = {S.PERIODS_SHEET: "periods", S.BUDGET_LINES_SHEET: "budget_lines", S.ACCOUNTS_SHEET: "accounts",
              S.SCALE_SHEET: "scale", S.OPENING_SHEET: "opening", S.PARTNERS_SHEET: "partners"}

    def frame(self, sheet: str) -> pd.DataFrame:
        """The rows of one sheet as read (index: the row in the reference workbook)."""
        field_name = self.FIELDS.get(sheet, sheet.lower().replace(" ", "_"))
        return getattr(self, field_name)

    # -------------------------------------------------------------- periods
    @property
    def period_labels(self) -> list[str]:
        return list(self.periods[S.Periods.period])

    # The tables look the same few rows up a hundred times a build, and a filter of a small frame costs about
    # a millisecond in pandas: each lookup is made once per reference (it is immutable) and kept here. A caller
    # gets a shallow copy (copy-on-write), so that nothing it does to it reaches the next caller.
    @cached_property
    def _looked_up(self) -> dict[tuple, object]:
        return {}

    def _once(self, key: tuple, find):
        memo = self._looked_up
        if key not in memo:
            memo[key] = find()
        found = memo[key]
        return found.copy(deep=False) if isinstance(found, (pd.DataFrame, pd.Series)) else found

    def period_row(self, label: str) -> pd.Series:
        return self._once(("period_row", label),
                          lambda: self.periods.loc[self.periods[S.Periods.period] == label].iloc[0])

    def period_of(self, day) -> str | None:
        """The label of the period containing ``day``, or None."""
        ts = pd.Timestamp(day)

        def find() -> str | None:
            hit = self.periods.loc[(self.periods[S.Periods.start] <= ts) & (self.periods[S.Periods.end] >= ts)]
            return None if hit.empty else str(hit.iloc[0][S.Periods.period])
        return self._once(("period_of", ts), find)

    def periods_up_to(self, as_of: dt.date) -> list[str]:
        ts = pd.Timestamp(as_of)
        return list(self._once(("periods_up_to", ts), lambda: tuple(
            self.periods.loc[self.periods[S.Periods.start] <= ts, S.Periods.period])))

    def next_period(self, label: str) -> str | None:
        labels = self.period_labels
        i = labels.index(label)
        return labels[i + 1] if i + 1 < len(labels) else None

    def approved_budget(self, label: str) -> int:
        return int(self.period_row(label)[S.Periods.approved_budget])

    def lines_of(self, label: str) -> pd.DataFrame:
        return self._once(("lines_of", label),
                          lambda: self.budget_lines.loc[self.budget_lines[S.BudgetLines.period] == label])

    # -------------------------------------------------------------- accounts
    @cached_property
    def account_map(self) -> dict[tuple[str, str], str]:
        """(period, G/L account) -> budget line; period "" is the row for all periods (the first row wins)."""
        acc = self.accounts
        mapping: dict[tuple[str, str], str] = {}
        for period, account, line in zip(acc[S.Accounts.period], acc[S.Accounts.gl_account],
                                         acc[S.Accounts.budget_line]):
            mapping.setdefault((period, account), line)
        return mapping

    def budget_line_for(self, period: str, account: str) -> str | None:
        """The report line an expense account belongs to in a period (period-specific rows win)."""
        mapping = self.account_map
        return mapping.get((period, account), mapping.get(("", account)))

    # -------------------------------------------------------------- partners
    def scale_of(self, fund: str) -> pd.DataFrame:
        return self._once(("scale_of", fund), lambda: self.scale.loc[self.scale[S.Scale.fund] == fund])

    @cached_property
    def partner_names(self) -> dict[str, str]:
        """normalized name or alias -> canonical partner name."""
        names: dict[str, str] = {}
        for country in self.scale[S.Scale.country]:
            names.setdefault(normalize_name(country), str(country).strip())
        for _, row in self.partners.iterrows():
            canonical = " ".join(str(row[S.Partners.partner]).split())
            names[normalize_name(canonical)] = canonical
            for alias in str(row[S.Partners.aliases]).split(";"):
                if alias.strip():
                    names[normalize_name(alias)] = canonical
        return names

    def closest_partner(self, name: str) -> str | None:
        names = self.partner_names
        close = difflib.get_close_matches(normalize_name(name), list(names), n=1, cutoff=0.6)
        return names[close[0]] if close else None

    def opening_for(self, label: str) -> pd.Series | None:
        def find() -> pd.Series | None:
            hit = self.opening.loc[self.opening[S.OpeningBalances.period] == label]
            return None if hit.empty else hit.iloc[0]
        return self._once(("opening_for", label), find)


def _empty(model) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=str) for column in S.columns(model)})


def _unread(problems: list[Problem]) -> frozenset[str]:
    """The sheets whose header row could not be read: a check that finds them empty would only repeat that."""
    codes = (Code.HEADER_NOT_FOUND, Code.HEADER_MISSING, Code.HEADER_DUPLICATE)
    failed = {normalize_name(p.sheet) for p in problems if p.code in codes}
    return frozenset(name for name in S.REFERENCE_SHEETS if normalize_name(name) in failed)


def load_reference(path: Path, label: str | None = None) -> tuple[Reference, list[Problem]]:
    """Read and type the reference workbook. Problems are returned, not raised."""
    sheets, digest, problems = read_reference_sheets(Path(path), label)

    def frame(name: str) -> pd.DataFrame:
        return sheets[name].frame

    column_names, found = from_sheet(frame(S.COLUMN_ALIASES_SHEET), label or file_label(path))
    problems += found
    periods = frame(S.PERIODS_SHEET)
    if not periods.empty:
        periods = periods.sort_values(S.Periods.start, kind="stable")
    ref = Reference(
        file=label or file_label(path),
        sha256=digest,
        periods=periods,
        budget_lines=frame(S.BUDGET_LINES_SHEET),
        accounts=frame(S.ACCOUNTS_SHEET),
        scale=frame(S.SCALE_SHEET),
        opening=frame(S.OPENING_SHEET),
        partners=frame(S.PARTNERS_SHEET),
        notes=frame(S.NOTES_SHEET),
        payment_instructions=frame(S.PAYMENT_SHEET),
        column_aliases=frame(S.COLUMN_ALIASES_SHEET),
        organization=frame(S.ORGANIZATION_SHEET),
        rows_read={name: sheet.rows_read for name, sheet in sheets.items() if sheet.present},
        rejected={name: sheet.rejected for name, sheet in sheets.items() if sheet.rejected},
        column_names=column_names,
        unread=_unread(problems),
    )
    return ref, problems
