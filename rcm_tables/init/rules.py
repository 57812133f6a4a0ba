"""Excel data validation for each column of the reference workbook, derived from the pandera models.

A closed set (`isin`) becomes a drop-down list; a date column a date between `FIRST_DAY` and `LAST_DAY`; a money
column a decimal number (0 or more where the model says ``ge=0``); the six-digit G/L Account a whole number;
the Period columns of the other sheets a list over the Periods sheet's labels, and Accounts' Budget Line a list
over the Budget Lines sheet's. Excel and LibreOffice then refuse a mistyped fund or a date typed as text while
the keeper types; validate still checks everything (pasted cells escape a spreadsheet's validation).
"""
from __future__ import annotations

import datetime as dt

from .. import schemas as S
from ..money import MAX_DOLLARS

FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2099, 12, 31)  # a mistyped year is refused
PERIOD_LIST = "PeriodLabels"  # defined names over the Periods sheet's labels and the budget lines' names
LINE_LIST = "BudgetLineNames"
# The Period columns that name a period of the Periods sheet (checks.reference.check_period_references)
PERIOD_COLUMNS = {(S.BUDGET_LINES_SHEET, S.BudgetLines.period), (S.ACCOUNTS_SHEET, S.Accounts.period),
                  (S.OPENING_SHEET, S.OpeningBalances.period)}
LINE_COLUMNS = {(S.ACCOUNTS_SHEET, S.Accounts.budget_line)}
# Closed sets the models do not hold as checks: a note's table (the document also takes "table4": a warning only)
# and a column alias's column (the contract's export headers).
SOFT_LISTS = {(S.NOTES_SHEET, S.Notes.table)}


def _checks(model, column: str) -> dict:
    """The column's pandera checks: name -> statistics (allowed_values, min_value, pattern, ...)."""
    return {check.name: check.statistics for check in S.schema(model).columns[column].checks}


def _closed_set(sheet: str, column: str, checks: dict) -> list[str] | None:
    if "isin" in checks:
        return [str(v) for v in checks["isin"]["allowed_values"]]
    if (sheet, column) == (S.COLUMN_ALIASES_SHEET, S.ColumnAliases.column):
        return list(S.EXPORT_HEADERS.values())
    if (sheet, column) in SOFT_LISTS:
        from ..tables import TABLES

        return [spec.title for spec in TABLES if spec.docx is not None]
    return None


def rule(sheet: str, column: str) -> dict:
    """The xlsxwriter data validation of one column's data cells (without messages), or ``{"validate": "any"}``."""
    model = S.REFERENCE_SHEETS[sheet][0]
    checks = _checks(model, column)
    if (sheet, column) in PERIOD_COLUMNS:
        return {"validate": "list", "source": f"={PERIOD_LIST}"}
    if (sheet, column) in LINE_COLUMNS:
        return {"validate": "list", "source": f"={LINE_LIST}"}
    allowed = _closed_set(sheet, column, checks)
    if allowed is not None:
        soft = {"error_type": "warning"} if (sheet, column) in SOFT_LISTS else {}
        return {"validate": "list", "source": allowed, **soft}
    if column in S.date_columns(model):
        return {"validate": "date", "criteria": "between", "minimum": FIRST_DAY, "maximum": LAST_DAY}
    if column in S.money_columns(model) or column == S.Scale.share_pct:
        low = checks.get("greater_than_or_equal_to", {}).get("min_value", -MAX_DOLLARS)
        high = checks.get("less_than_or_equal_to", {}).get("max_value", MAX_DOLLARS)
        return {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high}
    if checks.get("str_matches", {}).get("pattern") == r"^\d{6}$":
        return {"validate": "integer", "criteria": "between", "minimum": 100000, "maximum": 999999}
    return {"validate": "any"}


def number_format(sheet: str, column: str) -> str | None:
    """How the column's cells show their values: dates as yyyy-mm-dd, amounts with cents, Period as text (a
    typed 2014 stays the label "2014", as the Periods sheet's list holds it)."""
    model = S.REFERENCE_SHEETS[sheet][0]
    if column in S.date_columns(model):
        return "yyyy-mm-dd"
    if column in S.money_columns(model):
        return "#,##0.00"
    if column == S.Scale.share_pct:
        return "0.00"
    if column == S.Periods.period:  # every sheet's Period column is named "period"
        return "@"
    return None
