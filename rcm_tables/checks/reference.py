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
PERCENT_TOLERANCE = 0.5  # the same, for shares read as Excel percentages: 2 decimals' rounding over many members


def _ref_at(ref: Reference, sheet: str, row=None, column: str = "", value="") -> dict:
    return {"file": ref.file, "sheet": sheet, "row": None if row is None else int(row), "column": column,
            "value": str(value)}


# ---------------------------------------------------------------- reference checks


def check_periods(ref: Reference) -> list[Problem]:
    problems = []
    periods = ref.periods
    if periods.empty:
        if ref.rejected_periods or S.PERIODS_SHEET not in ref.rows_read or S.PERIODS_SHEET in ref.unread:
            return []  # every row was rejected, or the header could not be read: each is reported where it is
        return [problem(Code.NO_PERIODS, "the Periods sheet has no periods", **_ref_at(ref, S.PERIODS_SHEET),
                        hint="list the budget periods with Start, End and Approved Budget (USD)")]
    for row, p in periods.iterrows():
        if p[S.Periods.start] > p[S.Periods.end]:
            problems.append(problem(Code.PERIOD_REVERSED, f"period {p[S.Periods.period]} ends before it starts",
                                    **_ref_at(ref, S.PERIODS_SHEET, row, "End", p[S.Periods.end].date()),
                                    hint="swap Start and End"))
    if ref.rejected_periods:
        return problems  # a rejected row leaves a hole: gaps and overlaps are checked once it is fixed
    prev = None
    for row, p in periods.iterrows():
        if prev is not None:
            expected = prev[S.Periods.end] + pd.Timedelta(days=1)
            if p[S.Periods.start] > expected:
                problems.append(problem(
                    Code.PERIOD_GAP, f"gap between {prev[S.Periods.period]} and {p[S.Periods.period]}: nothing "
                    f"covers {expected.date()} to {(p[S.Periods.start] - pd.Timedelta(days=1)).date()}",
                    **_ref_at(ref, S.PERIODS_SHEET, row, "Start", p[S.Periods.start].date()),
                    hint="periods must follow each other without gaps"))
            elif p[S.Periods.start] < expected:
                problems.append(problem(
                    Code.PERIOD_OVERLAP, f"{p[S.Periods.period]} overlaps {prev[S.Periods.period]}",
                    **_ref_at(ref, S.PERIODS_SHEET, row, "Start", p[S.Periods.start].date()),
                    hint="a day belongs to one period only"))
        prev = p
    return problems


# What a required sheet with no rows is missing (the Periods sheet has its own code, no-periods)
NO_ROWS_HINTS = {
    S.BUDGET_LINES_SHEET: "type the approved budget of each period line by line below the header (Period, Section, "
                          "Budget Line, Approved (USD))",
    S.ACCOUNTS_SHEET: "map each expense account of the exports to its budget line: one row per G/L Account below the "
                      "header, Period empty when the line is the same in every period",
    S.SCALE_SHEET: "type each fund's approved scale below the header: one row per fund (TS, RF) and member country",
}


def check_sheets_have_rows(ref: Reference) -> list[Problem]:
    """A required sheet that holds its header and nothing below it: one problem on the sheet, not one per export
    line that would miss it (`run_ledger_checks` is skipped while the reference has errors)."""
    return [problem(Code.SHEET_NO_ROWS, f"the {sheet} sheet has no rows", **_ref_at(ref, sheet), hint=hint)
            for sheet, hint in NO_ROWS_HINTS.items()
            if ref.rows_read.get(sheet, -1) == 0 and sheet not in ref.unread]


def _period_columns(ref: Reference):
    return ((S.BUDGET_LINES_SHEET, ref.budget_lines, S.BudgetLines.period, "Period"),
            (S.ACCOUNTS_SHEET, ref.accounts, S.Accounts.period, "Period"),
            (S.OPENING_SHEET, ref.opening, S.OpeningBalances.period, "Period"))


def check_period_references(ref: Reference) -> list[Problem]:
    """Budget lines, accounts and opening balances must name periods of the Periods sheet.

    Rows that name a rejected Periods row are not errors of their own: one note per sheet says they wait.
    """
    labels = set(ref.period_labels)
    waiting = ref.rejected_periods
    broken = bool(ref.rejected.get(S.PERIODS_SHEET))
    if not labels and not broken:
        return []  # check_periods reports the missing periods once; every row here would only repeat it
    problems = []
    for sheet, frame, column, header in _period_columns(ref):
        depends = []
        for row, value in frame[column].items():
            if value and value not in labels and broken:
                depends.append(row)  # it may be the label a rejected row meant: wait for the fix
            elif value and value not in labels:
                problems.append(problem(Code.UNKNOWN_PERIOD, f"period {value!r} is not in the Periods sheet",
                                        **_ref_at(ref, sheet, row, header, value),
                                        hint=f"periods are: {', '.join(ref.period_labels)}"))
        if depends:
            problems.append(problem(
                Code.DEPENDS_ON_REJECTED, f"{len(depends)} row(s) name a period that is not among the valid rows of "
                f"the Periods sheet, which has rejected rows ({', '.join(sorted(waiting)) or 'no label'}); they are "
                "checked once those rows are fixed",
                **_ref_at(ref, sheet, depends[0], header, frame.at[depends[0], column])))
    return problems


def check_budget_totals(ref: Reference) -> list[Problem]:
    """A period's budget lines add up to its approved budget (not checked while one of them is rejected)."""
    problems = []
    lines = ref.budget_lines
    incomplete = set(ref.rejected.get(S.BUDGET_LINES_SHEET, {}).values())
    for label, group in lines.groupby(S.BudgetLines.period, sort=False):
        if label not in ref.period_labels or label in incomplete:
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


def check_duplicate_lines(ref: Reference) -> list[Problem]:
    """A budget line named twice in one period would take all of the line's expenses twice."""
    problems = []
    for label, group in ref.budget_lines.groupby(S.BudgetLines.period, sort=False):
        first: dict[str, int] = {}
        for row, name in group[S.BudgetLines.budget_line].items():
            if name in first:
                problems.append(problem(
                    Code.BUDGET_LINE_TWICE, f"budget line {name!r} appears twice in {label} (rows {first[name]} and "
                    f"{row})", **_ref_at(ref, S.BUDGET_LINES_SHEET, row, "Budget Line", name),
                    hint="merge the two rows into one line with the sum of their amounts"))
            first.setdefault(name, row)
    return problems


def check_duplicate_accounts(ref: Reference) -> list[Problem]:
    """An account mapped twice for the same period (or twice for all periods) is ambiguous."""
    problems = []
    first: dict[tuple[str, str], int] = {}
    acc = ref.accounts
    for row, period, account in zip(acc.index, acc[S.Accounts.period], acc[S.Accounts.gl_account]):
        pair = (period, account)
        if pair in first:
            scope = f"for {period}" if period else "for all periods (Period empty)"
            problems.append(problem(
                Code.ACCOUNT_MAPPED_TWICE, f"G/L account {account} is mapped twice {scope} (rows {first[pair]} and "
                f"{row})", **_ref_at(ref, S.ACCOUNTS_SHEET, row, "G/L Account", account),
                hint="keep one row: an account belongs to one budget line in a period"))
        first.setdefault(pair, row)
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
        if shares.empty:  # the column missing, or empty for the whole fund (allowed, but hardly meant)
            problems.append(problem(
                Code.SCALE_SHARES, f"no member of the {fund} scale has a share: "
                f"{'Annex 1' if fund == 'TS' else 'Table 5'} prints NA for each",
                **_ref_at(ref, S.SCALE_SHEET, group.index[0], "Share (%)", ""),
                hint="type each member's approved share in the Scale sheet's Share (%) column (1.77 for 1.77 %)"))
            continue
        total = round(float(shares.sum()), 6)
        fractions = _shares_typed_as_percentages(ref, fund, shares, total)
        problems += fractions
        if abs(total - 100) > SHARE_TOLERANCE and not fractions:
            empty = len(group) - len(shares)  # members whose share is empty (allowed): printed NA
            problems.append(problem(
                Code.SCALE_SHARES, f"the {fund} scale's shares add up to {total:.2f} %, not 100 %"
                + (f" ({empty} member(s) with no share)" if empty else ""),
                **_ref_at(ref, S.SCALE_SHEET, group.index[0], "Share (%)", f"{total:.2f}"),
                hint="the shares are as approved; amounts are taken from Assessed (USD)"))
    return problems


def _shares_typed_as_percentages(ref: Reference, fund: str, shares, total: float) -> list[Problem]:
    """A share below 1 that, read as a percentage (0.24 formatted 24 % in Excel), makes the scale add up to
    100 %: an error at its row with the fix (the column holds percentage points)."""
    small = [(row, float(share)) for row, share in shares.items() if 0 < float(share) < 1]
    fixed = total + sum(share * 99 for _, share in small)
    # read as percentages they must bring the scale nearer 100 % and within the rounding of shares published with
    # two decimals (the 2012 scale adds up to 100.01 %: a whole column typed as Excel percentages adds up to 1.0001,
    # which the tolerance of a scale typed right, 0.005, missed: only the warning "add up to 1.00 %" was left)
    if not small or abs(fixed - 100) > PERCENT_TOLERANCE or abs(fixed - 100) >= abs(total - 100):
        return []
    return [problem(
        Code.SCALE_SHARE_PERCENT, f"Share (%) {share:g} is read as {share:g} %: typed as an Excel percentage "
        f"({share * 100:g} %)? Read as {share * 100:g}, the {fund} scale adds up to 100 %",
        **_ref_at(ref, S.SCALE_SHEET, row, "Share (%)", f"{share:g}"),
        hint=f"type {share * 100:g} in the cell (the column holds percentage points, as 60 for 60 %) and format "
             "it as a number, not a percentage") for row, share in small]


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


# The workbook matches names with SUMIFS criteria "="&name (wildcards escaped with "~"); Excel refuses a criterion
# longer than 255 characters (#VALUE!), so a name may have 254, counting each escape.
MAX_NAME = 254


def name_length(name: str) -> int:
    """The characters a name takes in a SUMIFS criterion: its own, and a "~" before each wildcard."""
    return len(name) + sum(name.count(ch) for ch in "~*?")


def too_long(name: str, **at) -> Problem:
    return problem(Code.NAME_TOO_LONG, f"the name is {name_length(name)} characters long: the workbook's formulas "
                   f"cannot match a name of more than {MAX_NAME} (Excel's limit for SUMIFS)", **at,
                   hint=f"shorten it to {MAX_NAME} characters or fewer")


def check_name_lengths(ref: Reference) -> list[Problem]:
    """Periods, sections, budget lines, countries and partners the workbook's formulas match on."""
    named = [(S.PERIODS_SHEET, "Period", ref.periods[S.Periods.period]),
             (S.BUDGET_LINES_SHEET, "Section", ref.budget_lines[S.BudgetLines.section]),
             (S.BUDGET_LINES_SHEET, "Budget Line", ref.budget_lines[S.BudgetLines.budget_line]),
             (S.SCALE_SHEET, "Country", ref.scale[S.Scale.country]),
             (S.PARTNERS_SHEET, "Partner", ref.partners[S.Partners.partner])]
    return [too_long(name, **_ref_at(ref, sheet, row, header, name[:40] + "…"))
            for sheet, header, names in named for row, name in names.items() if name_length(name) > MAX_NAME]


REFERENCE_CHECKS: tuple[Callable[[Reference], list[Problem]], ...] = (
    check_periods,
    check_sheets_have_rows,
    check_period_references,
    check_duplicate_lines,
    check_duplicate_accounts,
    check_budget_totals,
    check_scale,
    check_partner_aliases,
    check_case_collisions,
    check_name_lengths,
)


def run_reference_checks(ref: Reference) -> list[Problem]:
    """Every check, once the workbook could be read at all (a file that cannot be opened is its one problem)."""
    if not ref.rows_read:
        return []
    return [p for check in REFERENCE_CHECKS for p in check(ref)]


def check_as_of_opening(ref: Reference, as_of) -> list[Problem]:
    """An opening balance brought forward as of a date after the as-of date cannot be cut back to it.

    Its period is shown (it starts on or before the as-of date), but its totals run to its own As Of: a report
    "as of 30 June" would show costs to 31 December. Periods that start after the as-of date are not shown.
    """
    problems = []
    ts = pd.Timestamp(as_of)
    starts = dict(zip(ref.periods[S.Periods.period], ref.periods[S.Periods.start]))
    for row, ob in ref.opening.iterrows():
        label = ob[S.OpeningBalances.period]
        if ob[S.OpeningBalances.as_of] > ts and label in starts and starts[label] <= ts:
            problems.append(problem(
                Code.AS_OF_BEFORE_OPENING, f"the as-of date {as_of} is before the As Of date of {label}'s opening "
                f"balance ({ob[S.OpeningBalances.as_of].date()}): its totals cannot be cut back to {as_of}",
                **_ref_at(ref, S.OPENING_SHEET, row, "As Of", ob[S.OpeningBalances.as_of].date()),
                hint=f"choose an as-of date on or after {ob[S.OpeningBalances.as_of].date()}, or add an opening "
                     "balance as of an earlier date"))
    return problems
