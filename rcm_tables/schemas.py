"""The one place where column names are defined: input headers, the ledger, and every output table.

Input sheets are matched by their display headers (trimmed, case-insensitive); inside the toolkit every
frame uses the snake_case names of the pandera models below. Money columns hold int64 cents.
"""
from __future__ import annotations

import functools

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

DOC_TYPES = ("DZ", "KR", "SA", "AB")
FUNDS = ("TS", "RF")
INCOME_ACCOUNTS = ("400100", "400200")
EXPENSE_ACCOUNT_PATTERN = r"^7\d{5}$"
PARTNER_KINDS = ("member", "donor")

# Sheet names
EXPORT_SHEET = "Line Items"
PERIODS_SHEET = "Periods"
BUDGET_LINES_SHEET = "Budget Lines"
ACCOUNTS_SHEET = "Accounts"
SCALE_SHEET = "Scale"
OPENING_SHEET = "Opening Balances"
PARTNERS_SHEET = "Partners"


class _Base(pa.DataFrameModel):
    class Config:
        strict = True
        ordered = False


# ---------------------------------------------------------------- inputs: monthly IOM export


class ExportLine(_Base):
    """One parsed line of an IOM export (index: spreadsheet row number)."""

    document_no: Series[str] = pa.Field(str_length={"min_value": 1})
    item: Series[pd.Int64Dtype] = pa.Field(ge=1)
    posting_date: Series[pa.DateTime]
    doc_type: Series[str] = pa.Field(isin=DOC_TYPES)
    fund: Series[str] = pa.Field(isin=FUNDS)
    gl_account: Series[str] = pa.Field(str_matches=r"^\d{6}$")
    partner: Series[str]
    assignment: Series[str]
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    amount_doc: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    amount_usd: Series[pd.Int64Dtype]
    text: Series[str]
    extra: Series[str]


# Display header of each export column, as the contract names it.
EXPORT_HEADERS: dict[str, str] = {
    ExportLine.document_no: "Document No.",
    ExportLine.item: "Item",
    ExportLine.posting_date: "Posting Date",
    ExportLine.doc_type: "Doc. Type",
    ExportLine.fund: "Fund",
    ExportLine.gl_account: "G/L Account",
    ExportLine.partner: "Partner",
    ExportLine.assignment: "Assignment",
    ExportLine.currency: "Currency",
    ExportLine.amount_doc: "Amount (Doc. Curr.)",
    ExportLine.amount_usd: "Amount (USD)",
    ExportLine.text: "Text",
}
# The header row is the first row holding both of these.
EXPORT_HEADER_KEYS = ("Document No.", "Posting Date")
# Columns a line must have (the rest may be empty cells).
EXPORT_OPTIONAL = (ExportLine.partner, ExportLine.assignment, ExportLine.text, ExportLine.amount_doc)
TOTAL_LABELS = ("total", "grand total")

# ---------------------------------------------------------------- the ledger


class Ledger(ExportLine):
    """Every unique, valid line of every export, with provenance and attribution."""

    file: Series[str]
    sheet: Series[str]
    row: Series[int] = pa.Field(ge=1)
    partner_as_written: Series[str]
    kind: Series[str] = pa.Field(isin=("income", "expense", "other"))
    period: Series[str]
    budget_line: Series[str]
    copies: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        ordered = False
        unique = ["document_no", "item"]


LEDGER_PROVENANCE = (Ledger.file, Ledger.sheet, Ledger.row)

# ---------------------------------------------------------------- inputs: the reference workbook


class Periods(_Base):
    period: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    start: Series[pa.DateTime]
    end: Series[pa.DateTime]
    approved_budget: Series[pd.Int64Dtype] = pa.Field(ge=0)


class BudgetLines(_Base):
    period: Series[str] = pa.Field(str_length={"min_value": 1})
    section: Series[str]
    budget_line: Series[str] = pa.Field(str_length={"min_value": 1})
    approved: Series[pd.Int64Dtype]


class Accounts(_Base):
    period: Series[str]
    gl_account: Series[str] = pa.Field(str_matches=r"^\d{6}$")
    budget_line: Series[str] = pa.Field(str_length={"min_value": 1})


class Scale(_Base):
    fund: Series[str] = pa.Field(isin=FUNDS)
    country: Series[str] = pa.Field(str_length={"min_value": 1})
    share_pct: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    assessed: Series[pd.Int64Dtype] = pa.Field(ge=0)


class OpeningBalances(_Base):
    period: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    as_of: Series[pa.DateTime]
    contributions_received: Series[pd.Int64Dtype]
    operating_costs: Series[pd.Int64Dtype]


class Partners(_Base):
    partner: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    kind: Series[str] = pa.Field(isin=PARTNER_KINDS)
    aliases: Series[str]


# sheet -> (model, {column: display header}, required sheet?)
REFERENCE_SHEETS: dict[str, tuple[type[_Base], dict[str, str], bool]] = {
    PERIODS_SHEET: (
        Periods,
        {Periods.period: "Period", Periods.start: "Start", Periods.end: "End",
         Periods.approved_budget: "Approved Budget (USD)"},
        True,
    ),
    BUDGET_LINES_SHEET: (
        BudgetLines,
        {BudgetLines.period: "Period", BudgetLines.section: "Section",
         BudgetLines.budget_line: "Budget Line", BudgetLines.approved: "Approved (USD)"},
        True,
    ),
    ACCOUNTS_SHEET: (
        Accounts,
        {Accounts.period: "Period", Accounts.gl_account: "G/L Account", Accounts.budget_line: "Budget Line"},
        True,
    ),
    SCALE_SHEET: (
        Scale,
        {Scale.fund: "Fund", Scale.country: "Country", Scale.share_pct: "Share (%)",
         Scale.assessed: "Assessed (USD)"},
        True,
    ),
    OPENING_SHEET: (
        OpeningBalances,
        {OpeningBalances.period: "Period", OpeningBalances.as_of: "As Of",
         OpeningBalances.contributions_received: "Contributions Received (USD)",
         OpeningBalances.operating_costs: "Operating Costs (USD)"},
        False,
    ),
    PARTNERS_SHEET: (
        Partners,
        {Partners.partner: "Partner", Partners.kind: "Kind", Partners.aliases: "Aliases"},
        False,
    ),
}
# Reference columns that may be empty cells.
REFERENCE_OPTIONAL = {
    (ACCOUNTS_SHEET, Accounts.period), (BUDGET_LINES_SHEET, BudgetLines.section),
    (SCALE_SHEET, Scale.share_pct), (PARTNERS_SHEET, Partners.aliases), (PARTNERS_SHEET, Partners.kind),
}

# ---------------------------------------------------------------- outputs: the report's tables
# Money columns are int64 cents here; the CSV and workbook writers turn them into dollars.


class Table1(_Base):
    period: Series[str]
    approved_budget: Series[int]
    contributions_received: Series[int]
    contributions_pending: Series[int]
    contributions_pending_accumulated: Series[int]
    operating_costs: Series[int]
    net_balance: Series[int]
    accumulated_balance: Series[int]


class Table2(_Base):
    budget_line: Series[str]
    approved_budget: Series[int]
    expenses: Series[int]
    balance: Series[int]


class Table2Summary(_Base):
    item: Series[str] = pa.Field(
        isin=("approved_budget", "contributions_received", "contributions_pending", "total_expenses", "balance")
    )
    amount: Series[int]


class Table3(_Base):
    section: Series[str]
    budget_line: Series[str]
    amount: Series[int]


class Table4(_Base):
    country: Series[str]
    period: Series[str]
    assessed: Series[int]
    received: Series[int]
    pending: Series[int]
    receipt_dates: Series[str]


class Table4Payments(_Base):
    """Each receipt behind Table 4 (after reversals are matched): the report prints amount and date."""

    country: Series[str]
    period: Series[str]
    amount: Series[int]
    received_on: Series[pa.DateTime]


class Table5(_Base):
    country: Series[str]
    period: Series[str]
    received: Series[int]


class Annex1(_Base):
    country: Series[str]
    share_pct: Series[float]
    assessed_usd: Series[int]


# name -> (model, title as the report prints it, money columns). The order is the workbook's and CSVs'.
TABLES: dict[str, type[_Base]] = {
    "table1": Table1,
    "table2": Table2,
    "table2_summary": Table2Summary,
    "table3": Table3,
    "table4": Table4,
    "table4_payments": Table4Payments,
    "table5": Table5,
    "annex1": Annex1,
}
MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "table1": (Table1.approved_budget, Table1.contributions_received, Table1.contributions_pending,
               Table1.contributions_pending_accumulated, Table1.operating_costs, Table1.net_balance,
               Table1.accumulated_balance),
    "table2": (Table2.approved_budget, Table2.expenses, Table2.balance),
    "table2_summary": (Table2Summary.amount,),
    "table3": (Table3.amount,),
    "table4": (Table4.assessed, Table4.received, Table4.pending),
    "table4_payments": (Table4Payments.amount,),
    "table5": (Table5.received,),
    "annex1": (Annex1.assessed_usd,),
}
# Row label used in Table 4 for income lines without a partner (bank charges, corrections).
NO_PARTNER = "(no partner: adjustments)"


@functools.cache
def schema(model: type[_Base]) -> pa.DataFrameSchema:
    """A model's pandera schema, built once: building it takes longer than validating a month of lines."""
    return model.to_schema()


def columns(model: type[_Base]) -> list[str]:
    """Column names of a model, in declaration order."""
    return list(schema(model).columns)
