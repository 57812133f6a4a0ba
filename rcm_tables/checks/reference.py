"""Checks of the reference workbook alone: each a pure function of the `Reference` returning problems."""
from __future__ import annotations

from typing import Callable

import pandas as pd

from .. import schemas as S
from ..inputs.values import normalize_name
from ..money import grouped as _money
from ..problems import Code, Problem, problem
from ..reference import Reference

SHARE_TOLERANCE = 0.005  # percentage points


def _ref_at(ref: Reference, sheet: str, row=None, column: str = "", value="") -> dict:
    return {"file": ref.file, "sheet": sheet, "row": None if row is None else int(row), "column": column,
            "value": str(value)}


# ---------------------------------------------------------------- reference checks


def check_periods(ref: Reference) -> list[Problem]:
    problems = []
    periods = ref.periods
    if periods.empty:
        return [problem(Code.NO_PERIODS, "the Periods sheet has no periods", **_ref_at(ref, S.PERIODS_SHEET),
                      hint="list the budget periods with Start, End and Approved Budget (USD)")]
    prev = None
    for row, p in periods.iterrows():
        if p[S.Periods.start] > p[S.Periods.end]:
            problems.append(problem(Code.PERIOD_REVERSED, f"period {p[S.Periods.period]} ends before it starts",
                                  **_ref_at(ref, S.PERIODS_SHEET, row, "End", p[S.Periods.end].date()),
                                  hint="swap Start and End"))
        if prev is not None:
            expected = prev[S.Periods.end] + pd.Timedelta(days=1)
            if p[S.Periods.start] > expected:
                problems.append(problem(
                    Code.PERIOD_GAP, f"gap between {prev[S.Periods.period]} and {p[S.Periods.period]}: nothing covers "
                    f"{expected.date()} to {(p[S.Periods.start] - pd.Timedelta(days=1)).date()}",
                    **_ref_at(ref, S.PERIODS_SHEET, row, "Start", p[S.Periods.start].date()),
                    hint="periods must follow each other without gaps"))
            elif p[S.Periods.start] < expected:
                problems.append(problem(
                    Code.PERIOD_OVERLAP, f"{p[S.Periods.period]} overlaps {prev[S.Periods.period]}",
                    **_ref_at(ref, S.PERIODS_SHEET, row, "Start", p[S.Periods.start].date()),
                    hint="a day belongs to one period only"))
        prev = p
    return problems


def check_period_references(ref: Reference) -> list[Problem]:
    """Budget lines, accounts and opening balances must name periods of the Periods sheet."""
    labels = set(ref.period_labels)
    if not labels:
        return []  # check_periods reports the missing periods once; every row here would only repeat it
    problems = []
    for sheet, frame, column, header in (
        (S.BUDGET_LINES_SHEET, ref.budget_lines, S.BudgetLines.period, "Period"),
        (S.ACCOUNTS_SHEET, ref.accounts, S.Accounts.period, "Period"),
        (S.OPENING_SHEET, ref.opening, S.OpeningBalances.period, "Period"),
    ):
        for row, value in frame[column].items():
            if value and value not in labels:
                problems.append(problem(Code.UNKNOWN_PERIOD, f"period {value!r} is not in the Periods sheet",
                                      **_ref_at(ref, sheet, row, header, value),
                                      hint=f"periods are: {', '.join(ref.period_labels)}"))
    return problems


def check_budget_totals(ref: Reference) -> list[Problem]:
    """A period's budget lines add up to its approved budget."""
    problems = []
    lines = ref.budget_lines
    for label, group in lines.groupby(S.BudgetLines.period, sort=False):
        if label not in ref.period_labels:
            continue
        total = int(group[S.BudgetLines.approved].sum())
        approved = ref.approved_budget(label)
        if total != approved:
            problems.append(problem(
                Code.BUDGET_LINES_TOTAL,
                f"budget lines of {label} add up to {_money(total)}, the approved budget is {_money(approved)} "
                f"(difference {_money(total - approved)})",
                **_ref_at(ref, S.BUDGET_LINES_SHEET, group.index[0], "Approved (USD)", _money(total)),
                hint="correct a line or the approved budget in the Periods sheet"))
    return problems


def check_scale(ref: Reference) -> list[Problem]:
    """Each fund's shares add up to 100 % (a warning: the published 2012 scale gives 100.01 %)."""
    problems = []
    for fund, group in ref.scale.groupby(S.Scale.fund, sort=False):
        dup = group[S.Scale.country].map(normalize_name).duplicated()
        for row in group.index[dup]:
            problems.append(problem(Code.SCALE_DUPLICATE, f"{group.at[row, S.Scale.country]} appears twice in the "
                                  f"{fund} scale", **_ref_at(ref, S.SCALE_SHEET, row, "Country",
                                                             group.at[row, S.Scale.country])))
        shares = group[S.Scale.share_pct].dropna()
        if shares.empty:
            continue
        total = round(float(shares.sum()), 6)
        if abs(total - 100) > SHARE_TOLERANCE:
            problems.append(problem(
                Code.SCALE_SHARES, f"the {fund} scale's shares add up to {total:.2f} %, not 100 %",
                **_ref_at(ref, S.SCALE_SHEET, group.index[0], "Share (%)", f"{total:.2f}"),
                hint="the shares are as approved; amounts are taken from Assessed (USD)"))
    return problems


def check_partner_aliases(ref: Reference) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for row, p in ref.partners.iterrows():
        canonical = p[S.Partners.partner]
        for alias in [canonical] + [a for a in p[S.Partners.aliases].split(";") if a.strip()]:
            key = normalize_name(alias)
            if key in seen and seen[key] != canonical:
                problems.append(problem(Code.ALIAS_CONFLICT, f"{alias.strip()!r} names both {seen[key]} and {canonical}",
                                      **_ref_at(ref, S.PARTNERS_SHEET, row, "Aliases", alias.strip()),
                                      hint="an alias may stand for one partner only"))
            seen.setdefault(key, canonical)
    return problems


def check_case_collisions(ref: Reference) -> list[Problem]:
    """Periods, or a period's budget lines, that differ only in case or spacing.

    The workbook's SUMIFS match text ignoring case, so such twins would be added together there.
    """
    problems = []
    groups = [(S.PERIODS_SHEET, "Period", ref.periods[S.Periods.period])]
    for label, lines in ref.budget_lines.groupby(S.BudgetLines.period, sort=False):
        groups.append((S.BUDGET_LINES_SHEET, "Budget Line", lines[S.BudgetLines.budget_line]))
    for sheet, header, names in groups:
        seen: dict[str, str] = {}
        for row, name in names.items():
            key = normalize_name(name)
            if key in seen and seen[key] != name:
                problems.append(problem(Code.NAME_CASE_TWIN, f"{name!r} differs from {seen[key]!r} only in case or "
                                      "spacing", **_ref_at(ref, sheet, row, header, name),
                                      hint="use one spelling: spreadsheet formulas would not tell them apart"))
            seen.setdefault(key, name)
    return problems


REFERENCE_CHECKS: tuple[Callable[[Reference], list[Problem]], ...] = (
    check_periods,
    check_period_references,
    check_budget_totals,
    check_scale,
    check_partner_aliases,
    check_case_collisions,
)


def run_reference_checks(ref: Reference) -> list[Problem]:
    return [p for check in REFERENCE_CHECKS for p in check(ref)]
