"""Business checks. Each is a pure function returning a list of `Problem`; the registries are tuples.

Reference checks look at the reference workbook alone; ledger checks at the attributed ledger lines with
their provenance, so that every problem names the file, sheet and row a person can open.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from . import schemas as S
from .ledger import expenses_cutoff
from .parsing import cents_to_dollars, normalize_name
from .problems import Problem, error, note, warning
from .reference import Reference

L = S.Ledger
SHARE_TOLERANCE = 0.005  # percentage points


@dataclass(frozen=True)
class Context:
    lines: pd.DataFrame  # attributed ledger lines (identical copies collapsed), with provenance
    ref: Reference


def _at(line: pd.Series, column: str, value=None) -> dict:
    header = S.EXPORT_HEADERS.get(column, column)
    shown = line[column] if value is None else value
    if isinstance(shown, pd.Timestamp):
        shown = shown.strftime("%d/%m/%Y")
    return {"file": line[L.file], "sheet": line[L.sheet], "row": int(line[L.row]), "column": header,
            "value": "" if shown is None else str(shown)}


def _ref_at(ref: Reference, sheet: str, row=None, column: str = "", value="") -> dict:
    return {"file": ref.file, "sheet": sheet, "row": None if row is None else int(row), "column": column,
            "value": str(value)}


def _money(cents: int) -> str:
    return f"{int(cents) / 100:,.2f}"


# ---------------------------------------------------------------- reference checks


def check_periods(ref: Reference) -> list[Problem]:
    problems = []
    periods = ref.periods
    if periods.empty:
        return [error("no-periods", "the Periods sheet has no periods", **_ref_at(ref, S.PERIODS_SHEET),
                      hint="list the budget periods with Start, End and Approved Budget (USD)")]
    prev = None
    for row, p in periods.iterrows():
        if p[S.Periods.start] > p[S.Periods.end]:
            problems.append(error("period-reversed", f"period {p[S.Periods.period]} ends before it starts",
                                  **_ref_at(ref, S.PERIODS_SHEET, row, "End", p[S.Periods.end].date()),
                                  hint="swap Start and End"))
        if prev is not None:
            expected = prev[S.Periods.end] + pd.Timedelta(days=1)
            if p[S.Periods.start] > expected:
                problems.append(error(
                    "period-gap", f"gap between {prev[S.Periods.period]} and {p[S.Periods.period]}: nothing covers "
                    f"{expected.date()} to {(p[S.Periods.start] - pd.Timedelta(days=1)).date()}",
                    **_ref_at(ref, S.PERIODS_SHEET, row, "Start", p[S.Periods.start].date()),
                    hint="periods must follow each other without gaps"))
            elif p[S.Periods.start] < expected:
                problems.append(error(
                    "period-overlap", f"{p[S.Periods.period]} overlaps {prev[S.Periods.period]}",
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
                problems.append(error("unknown-period", f"period {value!r} is not in the Periods sheet",
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
            problems.append(error(
                "budget-lines-total",
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
            problems.append(error("scale-duplicate", f"{group.at[row, S.Scale.country]} appears twice in the "
                                  f"{fund} scale", **_ref_at(ref, S.SCALE_SHEET, row, "Country",
                                                             group.at[row, S.Scale.country])))
        shares = group[S.Scale.share_pct].dropna()
        if shares.empty:
            continue
        total = round(float(shares.sum()), 6)
        if abs(total - 100) > SHARE_TOLERANCE:
            problems.append(warning(
                "scale-shares", f"the {fund} scale's shares add up to {total:.2f} %, not 100 %",
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
                problems.append(error("alias-conflict", f"{alias.strip()!r} names both {seen[key]} and {canonical}",
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
                problems.append(error("name-case-twin", f"{name!r} differs from {seen[key]!r} only in case or "
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

# ---------------------------------------------------------------- ledger checks


def _rows(frame: pd.DataFrame):
    return (row for _, row in frame.iterrows())


def check_partners(ctx: Context) -> list[Problem]:
    """Income lines name a known partner (after trimming, case and the reference's aliases)."""
    lines = ctx.lines
    income = lines.loc[lines[L.kind] == "income"]
    problems = []
    unknown = income.loc[(income[L.partner] == "") & (income[L.partner_as_written] != "")]
    for line in _rows(unknown):
        close = ctx.ref.closest_partner(line[L.partner_as_written])
        hint = (f"did you mean {close!r}? Add {line[L.partner_as_written].strip()!r} to its Aliases in the "
                f"reference workbook's Partners sheet" if close else
                "add the partner to the reference workbook's Partners sheet (or Scale)")
        problems.append(error("unknown-partner", f"unknown partner {line[L.partner_as_written].strip()!r}",
                              **_at(line, L.partner, line[L.partner_as_written]), hint=hint))
    missing = income.loc[income[L.partner_as_written] == ""]
    for line in _rows(missing):
        if line[L.doc_type] in ("SA", "AB"):
            problems.append(warning(
                "income-adjustment", f"{line[L.doc_type]} line of {_money(line[L.amount_usd])} on "
                f"{line[L.gl_account]} for {line[L.assignment] or '?'} has no partner: shown as "
                f"{S.NO_PARTNER!r} in the contributions tables", **_at(line, L.text),
                hint="journal adjustments (bank charges, corrections) without a partner are kept apart"))
        else:
            problems.append(error("partner-missing", "income line has no Partner", **_at(line, L.partner, ""),
                                  hint="a contribution must name the member state or donor that paid"))
    return problems


def check_assignments(ctx: Context) -> list[Problem]:
    """Income lines name a budget period in Assignment."""
    lines = ctx.lines
    income = lines.loc[(lines[L.kind] == "income") & (lines[L.period] == "")]
    labels = ", ".join(ctx.ref.period_labels)
    problems = []
    for line in _rows(income):
        if line[L.assignment] == "":
            problems.append(error("assignment-missing", "income line has no Assignment (the period it is for)",
                                  **_at(line, L.assignment, ""), hint=f"Assignment is one of: {labels}"))
        else:
            problems.append(error("assignment-unknown", f"Assignment {line[L.assignment]!r} is not a period",
                                  **_at(line, L.assignment), hint=f"Assignment is one of: {labels}"))
    return problems


def check_posting_periods(ctx: Context) -> list[Problem]:
    """Expense lines are posted inside some period (their period follows the posting date)."""
    lines = ctx.lines
    outside = lines.loc[(lines[L.kind] != "income") & (lines[L.period] == "")]
    periods = ctx.ref.periods
    span = (f"{periods[S.Periods.start].min().date()} to {periods[S.Periods.end].max().date()}"
            if not periods.empty else "no periods defined")
    return [error("date-outside-periods", "posting date falls in no period of the reference workbook",
                  **_at(line, L.posting_date), hint=f"periods cover {span}; add the period or check the date")
            for line in _rows(outside)]


def check_budget_mapping(ctx: Context) -> list[Problem]:
    """Every TS expense account maps to a budget line of its period (Accounts sheet)."""
    lines = ctx.lines
    ref = ctx.ref
    expenses = lines.loc[(lines[L.kind] == "expense") & (lines[L.fund] == "TS") & (lines[L.period] != ""),
                         [L.period, L.budget_line, L.gl_account, *S.LEDGER_PROVENANCE]]
    names = {period: set(ref.lines_of(period)[S.BudgetLines.budget_line]) for period in expenses[L.period].unique()}
    # only the lines that can raise a problem are looked at one by one, in ledger order
    has_lines = expenses[L.period].isin([period for period, lines in names.items() if lines]).to_numpy()
    pairs = pd.MultiIndex.from_arrays([expenses[L.period], expenses[L.budget_line]])
    known = pairs.isin([(period, line) for period, lines in names.items() for line in lines])
    first_without = ~has_lines & ~expenses[L.period].duplicated().to_numpy()
    flagged = expenses.loc[first_without | (has_lines & ~known)]
    problems = []
    warned: set[str] = set()
    for line in _rows(flagged):
        period = line[L.period]
        if not names[period]:
            if period not in warned and ref.opening_for(period) is None:
                warned.add(period)
                problems.append(warning(
                    "period-without-lines", f"period {period} has no budget lines; its expenses count in "
                    "Table 1 but cannot be broken down by line", **_at(line, L.gl_account),
                    hint=f"add the lines of {period} to the Budget Lines sheet"))
            continue
        if line[L.budget_line] == "":
            problems.append(error(
                "account-unmapped", f"G/L account {line[L.gl_account]} has no budget line for {period}",
                **_at(line, L.gl_account),
                hint="add the account to the reference workbook's Accounts sheet (Period empty for all periods)"))
        elif line[L.budget_line] not in names[period]:
            problems.append(error(
                "account-line-unknown", f"G/L account {line[L.gl_account]} maps to {line[L.budget_line]!r}, "
                f"which is not a budget line of {period}", **_at(line, L.gl_account),
                hint=f"add a {period} row for this account to the Accounts sheet"))
    return problems


def check_other_accounts(ctx: Context) -> list[Problem]:
    lines = ctx.lines
    other = lines.loc[lines[L.kind] == "other"]
    return [warning("account-unused", f"G/L account {line[L.gl_account]} is neither a contribution (400100, "
                    "400200) nor an expense (7xxxxx) account: the line is kept in the ledger but in no table",
                    **_at(line, L.gl_account)) for line in _rows(other)]


def check_opening_double_count(ctx: Context) -> list[Problem]:
    """Lines of a period with an opening balance, posted on or before its As Of, would count twice."""
    lines = ctx.lines
    problems = []
    for row, ob in ctx.ref.opening.iterrows():
        mine = lines.loc[(lines[L.period] == ob[S.OpeningBalances.period]) & (lines[L.fund] == "TS")
                         & (lines[L.kind] != "other") & (lines[L.posting_date] <= ob[S.OpeningBalances.as_of])]
        for line in _rows(mine):
            problems.append(error(
                "opening-double-count",
                f"line of {line[L.period]} posted on or before {ob[S.OpeningBalances.as_of].date()}, the As Of "
                "date of its opening balance: it is already in the balance brought forward",
                **_at(line, L.posting_date),
                hint="remove the export of that time from the folder, or move the opening balance's As Of earlier"))
    return problems


def check_usd_amounts(ctx: Context) -> list[Problem]:
    """In a USD document the two amount columns must agree."""
    lines = ctx.lines
    usd = (lines[L.currency] == "USD") & lines[L.amount_doc].notna()
    off = lines.loc[usd & (lines[L.amount_doc] != lines[L.amount_usd]).fillna(False)]
    return [warning("usd-mismatch", f"USD document but Amount (Doc. Curr.) {_money(line[L.amount_doc])} differs "
                    f"from Amount (USD) {_money(line[L.amount_usd])}; Amount (USD) is reported",
                    **_at(line, L.amount_usd, _money(line[L.amount_usd]))) for line in _rows(off)]


LEDGER_CHECKS: tuple[Callable[[Context], list[Problem]], ...] = (
    check_partners,
    check_assignments,
    check_posting_periods,
    check_budget_mapping,
    check_other_accounts,
    check_opening_double_count,
    check_usd_amounts,
)


def run_reference_checks(ref: Reference) -> list[Problem]:
    return [p for check in REFERENCE_CHECKS for p in check(ref)]


def run_ledger_checks(ctx: Context) -> list[Problem]:
    return [p for check in LEDGER_CHECKS for p in check(ctx)]


# ---------------------------------------------------------------- figures: surfaced, not hidden


def check_receipt_cutoff(ledger: pd.DataFrame, as_of: dt.date) -> list[Problem]:
    """Receipts booked after the expenses' cut-off: the tables mix two cut-offs (DISCREPANCIES 4)."""
    cutoff = expenses_cutoff(ledger, as_of)
    if cutoff is None:
        return []
    lines = ledger.loc[(ledger[L.posting_date] <= pd.Timestamp(as_of)) & (ledger[L.fund] == "TS")]
    late = lines.loc[(lines[L.kind] == "income") & (lines[L.posting_date] > pd.Timestamp(cutoff))]
    if late.empty:
        return []
    return [warning(
        "receipts-after-expenses",
        f"{len(late)} receipt(s) posted after the expenses' cut-off ({cutoff}: the month end of the last expense "
        f"line), up to {late[L.posting_date].max().date()}: contributions are counted to the as-of date {as_of}, "
        "expenses only as far as they have been booked", value=cents_to_dollars(int(late[L.amount_usd].sum())),
        hint=f"pass --as-of {cutoff} to use one cut-off for both")]


def check_overpayments(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Payments above the assessment make pending negative (DISCREPANCIES 7): say so, do not hide it."""
    t1 = tables["table1"]
    over = t1.loc[t1[S.Table1.contributions_pending] < 0]
    return [note("overpaid", f"{row[S.Table1.period]}: members paid {_money(-row[S.Table1.contributions_pending])} "
                 "more than the approved budget; Contributions Pending is negative",
                 value=cents_to_dollars(int(row[S.Table1.contributions_pending]))) for _, row in over.iterrows()]
