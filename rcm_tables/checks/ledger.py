"""Checks of the attributed ledger lines against the reference: each a pure function returning problems.

Every problem names the file, sheet and row a person can open.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .. import schemas as S
from ..inputs.values import normalize_name
from ..ledger import clamp
from ..money import grouped as _money
from ..problems import Code, Problem, problem
from ..reference import Reference
from .reference import MAX_NAME, name_length, too_long

L = S.Ledger




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



# ---------------------------------------------------------------- ledger checks


def _rows(frame: pd.DataFrame):
    return (row for _, row in frame.iterrows())


def check_partners(ctx: Context) -> list[Problem]:
    """Income lines name a known partner (after trimming, case and the reference's aliases)."""
    lines = ctx.lines
    # masks over the whole ledger, then only the lines that can raise a problem are selected (selecting every
    # contribution line first copied each of its columns)
    income = (lines[L.kind] == "contribution").to_numpy(dtype=bool, na_value=False)
    written = (lines[L.partner_as_written] != "").to_numpy(dtype=bool, na_value=True)
    named = (lines[L.partner] != "").to_numpy(dtype=bool, na_value=True)
    problems = []
    unknown = lines.loc[income & ~named & written]
    for line in _rows(unknown):
        close = ctx.ref.closest_partner(line[L.partner_as_written])
        hint = (f"did you mean {close!r}? Add {line[L.partner_as_written].strip()!r} to its Aliases in the "
                f"reference workbook's Partners sheet" if close else
                "add the partner to the reference workbook's Partners sheet (or Scale)")
        problems.append(problem(Code.UNKNOWN_PARTNER, f"unknown partner {line[L.partner_as_written].strip()!r}",
                              **_at(line, L.partner, line[L.partner_as_written]), hint=hint))
    missing = lines.loc[income & ~written]
    donors = income & named & (lines[L.gl_account] == S.DONOR_ACCOUNT).to_numpy(dtype=bool, na_value=False)
    problems += _unlisted_donors(ctx, lines.loc[donors, [L.partner, *S.LEDGER_PROVENANCE]])
    for line in _rows(missing):
        if line[L.doc_type] in ("SA", "AB"):
            problems.append(problem(
                Code.INCOME_ADJUSTMENT, f"{line[L.doc_type]} line of {_money(line[L.amount_usd])} on "
                f"{line[L.gl_account]} for {line[L.assignment] or '?'} has no partner: shown as "
                f"{S.NO_PARTNER!r} in the contributions tables", **_at(line, L.text),
                hint="journal adjustments (bank charges, corrections) without a partner are kept apart"))
        else:
            problems.append(problem(Code.PARTNER_MISSING, "contribution line has no Partner", **_at(line, L.partner, ""),
                                  hint="a contribution must name the member state or donor that paid"))
    return problems


def _unlisted_donors(ctx: Context, donors: pd.DataFrame) -> list[Problem]:
    """Donors on 400200 that the reference workbook does not list: a note per donor, at its first line
    (``donors``: the contribution lines on 400200 that name a partner)."""
    names = ctx.ref.partner_names
    unlisted = donors.loc[~donors[L.partner].map(lambda p: normalize_name(p) in names)]
    problems = []
    for _, first in unlisted.groupby(L.partner, sort=True).head(1).iterrows():
        if name_length(first[L.partner]) > MAX_NAME:  # shown under its own name: the formulas match on it
            problems.append(too_long(first[L.partner], **_at(first, L.partner, first[L.partner][:40] + "…")))
            continue
        count = int((unlisted[L.partner] == first[L.partner]).sum())
        problems.append(problem(
            Code.DONOR_UNLISTED, f"{first[L.partner]!r} is a donor (G/L {S.DONOR_ACCOUNT}) the reference workbook "
            f"does not list: its {count} line(s) are shown under its own name", **_at(first, L.partner),
            hint="nothing to do if this is a new donor; to merge spellings, add a Partners sheet row with Aliases"))
    return problems


def check_assignments(ctx: Context) -> list[Problem]:
    """Income lines name a budget period in Assignment."""
    lines = ctx.lines
    income = lines.loc[(lines[L.kind] == "contribution") & (lines[L.period] == "")]
    labels = ", ".join(ctx.ref.period_labels)
    problems = []
    for line in _rows(income):
        if line[L.assignment] == "":
            problems.append(problem(Code.ASSIGNMENT_MISSING, "contribution line has no Assignment (the period it is for)",
                                  **_at(line, L.assignment, ""), hint=f"Assignment is one of: {labels}"))
        else:
            problems.append(problem(Code.ASSIGNMENT_UNKNOWN, f"Assignment {line[L.assignment]!r} is not a period",
                                  **_at(line, L.assignment), hint=f"Assignment is one of: {labels}"))
    return problems


def check_posting_periods(ctx: Context) -> list[Problem]:
    """Expense lines are posted inside some period (their period follows the posting date)."""
    lines = ctx.lines
    outside = lines.loc[(lines[L.kind] != "contribution") & (lines[L.period] == "")]
    periods = ctx.ref.periods
    span = (f"{periods[S.Periods.start].min().date()} to {periods[S.Periods.end].max().date()}"
            if not periods.empty else "no periods defined")
    return [problem(Code.DATE_OUTSIDE_PERIODS, "posting date falls in no period of the reference workbook",
                  **_at(line, L.posting_date), hint=f"periods cover {span}; add the period or check the date")
            for line in _rows(outside)]


def check_budget_mapping(ctx: Context) -> list[Problem]:
    """Every TS expense account maps to a budget line of its period (Accounts sheet)."""
    lines = ctx.lines
    ref = ctx.ref
    # the lines that can raise a problem are found by their codes, and only they are selected (a selection of
    # every expense line would copy most of a decade's ledger); they are looked at one by one, in ledger order
    at = np.flatnonzero(((lines[L.kind] == "expense") & (lines[L.fund] == "TS") & (lines[L.period] != ""))
                        .to_numpy(dtype=bool))
    period_codes, periods = pd.factorize(lines[L.period], use_na_sentinel=False)
    line_codes, budget_lines = pd.factorize(lines[L.budget_line], use_na_sentinel=False)
    period_at, line_at = period_codes[at], line_codes[at]
    names = {periods[c]: set(ref.lines_of(periods[c])[S.BudgetLines.budget_line]) for c in np.unique(period_at)}
    has_lines = np.array([bool(names.get(p)) for p in periods], dtype=bool)[period_at]
    # each distinct (period, budget line) is looked up once
    pairs = pd.factorize(period_at.astype(np.int64) * max(len(budget_lines), 1) + line_at)[0]
    firsts = np.unique(pairs, return_index=True)[1].tolist()
    known = np.array([budget_lines[line_at[i]] in names[periods[period_at[i]]] for i in firsts], dtype=bool)[pairs]
    first_without = np.zeros(len(at), dtype=bool)
    first_without[np.unique(period_at, return_index=True)[1]] = True
    first_without &= ~has_lines
    flagged = lines.iloc[at[first_without | (has_lines & ~known)]][
        [L.period, L.budget_line, L.gl_account, *S.LEDGER_PROVENANCE]]
    problems = []
    warned: set[str] = set()
    for line in _rows(flagged):
        period = line[L.period]
        if not names[period]:
            if period not in warned and ref.opening_for(period) is None:
                warned.add(period)
                problems.append(problem(
                    Code.PERIOD_WITHOUT_LINES, f"period {period} has no budget lines; its expenses count in "
                    "Table 1 but cannot be broken down by line", **_at(line, L.gl_account),
                    hint=f"add the lines of {period} to the Budget Lines sheet"))
            continue
        if line[L.budget_line] == "":
            problems.append(problem(
                Code.ACCOUNT_UNMAPPED, f"G/L account {line[L.gl_account]} has no budget line for {period}",
                **_at(line, L.gl_account),
                hint="add the account to the reference workbook's Accounts sheet (Period empty for all periods)"))
        elif line[L.budget_line] not in names[period]:
            problems.append(problem(
                Code.ACCOUNT_LINE_UNKNOWN, f"G/L account {line[L.gl_account]} maps to {line[L.budget_line]!r}, "
                f"which is not a budget line of {period}", **_at(line, L.gl_account),
                hint=f"add a {period} row for this account to the Accounts sheet"))
    return problems


def check_other_accounts(ctx: Context) -> list[Problem]:
    lines = ctx.lines
    other = lines.loc[lines[L.kind] == "other"]
    return [problem(Code.ACCOUNT_UNUSED, f"G/L account {line[L.gl_account]} is neither a contribution (400100, "
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
            problems.append(problem(
                Code.OPENING_DOUBLE_COUNT,
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
    return [problem(Code.USD_MISMATCH, f"USD document but Amount (Doc. Curr.) {_money(line[L.amount_doc])} differs "
                    f"from Amount (USD) {_money(line[L.amount_usd])}; Amount (USD) is reported",
                    **_at(line, L.amount_usd, _money(line[L.amount_usd]))) for line in _rows(off)]


CELL_CHARACTERS = 32767  # what a workbook cell holds (Excel's limit; XlsxWriter cuts a longer text to it)


def check_text_lengths(ctx: Context) -> list[Problem]:
    """A Text (or other column) longer than a workbook cell: the Ledger sheet shows its first 32,767 characters
    (a .csv export can hold more; an Excel workbook cannot)."""
    problems = []
    for column, header in ((L.text, None), (L.extra, "Other columns")):
        too_long = (ctx.lines[column].str.len() > CELL_CHARACTERS).to_numpy(dtype=bool, na_value=False)
        if not too_long.any():  # (nearly always: no selection of every column for no line)
            continue
        long = ctx.lines.loc[too_long]
        for line in _rows(long):
            at = _at(line, column, line[column][:40] + "…")
            at["column"] = header or at["column"]
            problems.append(problem(
                Code.CELL_TOO_LONG, f"{at['column']} has {len(line[column]):,} characters; a workbook cell holds "
                f"{CELL_CHARACTERS:,}: the Ledger sheet shows the first {CELL_CHARACTERS:,}", **at,
                hint="nothing to do if the rest is not needed; the export itself keeps the whole text"))
    return problems


# the checks that concern the report: they see only the lines on or before the as-of date
REPORT_CHECKS: tuple[Callable[[Context], list[Problem]], ...] = (
    check_partners,
    check_assignments,
    check_posting_periods,
    check_budget_mapping,
    check_other_accounts,
    check_opening_double_count,
)
# the checks of a line as the Ledger sheet shows it: every line, also those after the as-of date
LINE_CHECKS: tuple[Callable[[Context], list[Problem]], ...] = (
    check_usd_amounts,
    check_text_lengths,
)
LEDGER_CHECKS = REPORT_CHECKS + LINE_CHECKS


def run_ledger_checks(ctx: Context, as_of=None) -> list[Problem]:
    """Every ledger check; with ``as_of``, the checks that concern the report see only the lines it uses."""
    used = Context(clamp(ctx.lines, as_of), ctx.ref) if as_of is not None else ctx
    return [p for check in LEDGER_CHECKS for p in check(used if check in REPORT_CHECKS else ctx)]


def lines_after_as_of(lines: pd.DataFrame, as_of) -> list[Problem]:
    """A note per file holding lines posted after the as-of date: read, kept in the ledger (its Ledger sheet),
    in no table, and not checked against the periods and assignments."""
    if as_of is None or lines.empty:
        return []
    after = lines.loc[lines[L.posting_date] > pd.Timestamp(as_of)]
    problems = []
    for file, group in after.groupby(L.file, sort=True):
        first = group.loc[group[L.row].idxmin()]
        problems.append(problem(
            Code.LINES_AFTER_AS_OF, f"{len(group):,} line(s) posted after the as-of date {as_of}: kept in the "
            "ledger, in no table (the first is shown)", **_at(first, L.posting_date),
            hint="nothing to do for a report as of that date; a later --as-of takes them in"))
    return problems
