"""The one place where column names are defined: input headers, the ledger, and every output table.

Input sheets are matched by their display headers (trimmed, case-insensitive); inside the toolkit every
frame uses the snake_case names of the models below. Money columns hold int64 cents.

The models are written as pandera's DataFrameModels are (``name: Series[dtype] = Field(...)``) but are plain
classes: pandera takes a quarter of a second to import, and a build whose inputs are valid never needs it.
`schema` builds the pandera schema from a model on first use (to validate and word what fails); `surely_valid`
proves a frame valid without it.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the annotations name pandera's types, as a DataFrameModel's would; never imported to run
    import pandera.pandas as pa
    from pandera.typing import Series


class Field:
    """A column's constraints, with pandera's `Field` arguments (``ge``, ``le``, ``isin``, ``str_matches``,
    ``str_length``, ``nullable``, ``unique``, ``metadata``)."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.nullable = bool(kwargs.get("nullable", False))
        self.unique = bool(kwargs.get("unique", False))
        self.metadata = kwargs.get("metadata")
        # pandera's built-in check each argument makes, with its statistics
        self.checks = [(_CHECK_NAMES[k], v if k == "str_length" else {_CHECK_STATISTIC[k]: v})
                       for k, v in kwargs.items() if k in _CHECK_NAMES]


_CHECK_NAMES = {"ge": "greater_than_or_equal_to", "le": "less_than_or_equal_to", "isin": "isin",
                "str_matches": "str_matches", "str_length": "str_length"}
_CHECK_STATISTIC = {"ge": "min_value", "le": "max_value", "isin": "allowed_values", "str_matches": "pattern"}
# the annotation of each column (``Series[...]``) -> the dtype pandas gives it (`dtype_names`)
_DTYPES = {"str": "str", "pd.Int64Dtype": "Int64", "pa.DateTime": "datetime64[ns]", "int": "int64",
           "float": "float64"}


class _Base:
    """A frame's columns: each annotated attribute is its column's name, as on a pandera DataFrameModel."""

    class Config:
        strict = True
        ordered = False
        unique: list[str] | None = None

    __columns__: dict[str, tuple[str, Field]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        columns = dict(cls.__columns__)  # a subclass adds its columns after its parent's
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if not (isinstance(annotation, str) and annotation.startswith("Series[")):
                continue
            field = cls.__dict__.get(name)
            columns[name] = (annotation[len("Series["):-1], field if isinstance(field, Field) else Field())
            setattr(cls, name, name)
        cls.__columns__ = columns

    @classmethod
    def validate(cls, frame: pd.DataFrame, lazy: bool = False) -> pd.DataFrame:
        """pandera's validation of ``frame`` (`SchemaError`, or `SchemaErrors` with ``lazy``)."""
        return schema(cls).validate(frame, lazy=lazy)

DOC_TYPES = ("DZ", "KR", "SA", "AB")
FUNDS = ("TS", "RF")
MEMBER_ACCOUNT, DONOR_ACCOUNT = "400100", "400200"  # member states' contributions; other donors'
INCOME_ACCOUNTS = (MEMBER_ACCOUNT, DONOR_ACCOUNT)
EXPENSE_ACCOUNT_PATTERN = r"^7\d{5}$"
PARTNER_KINDS = ("member", "donor")

MONEY = {"unit": "USD cents"}


def money(**kwargs):
    """A money column: int64 cents (see `rcm_tables.money`); the writers show it in dollars."""
    return Field(metadata=MONEY, **kwargs)


# Sheet names
EXPORT_SHEET = "Line Items"
PERIODS_SHEET = "Periods"
BUDGET_LINES_SHEET = "Budget Lines"
ACCOUNTS_SHEET = "Accounts"
SCALE_SHEET = "Scale"
OPENING_SHEET = "Opening Balances"
PARTNERS_SHEET = "Partners"
NOTES_SHEET = "Notes"  # our optional extensions for the report document (docs/document.md)
PAYMENT_SHEET = "Payment Instructions"
COLUMN_ALIASES_SHEET = "Column Aliases"


# ---------------------------------------------------------------- inputs: monthly IOM export


class ExportLine(_Base):
    """One parsed line of an IOM export (index: spreadsheet row number)."""

    document_no: Series[str] = Field(
        str_length={"min_value": 1},
        description="ERP document number, as the export gives it (text)")
    item: Series[pd.Int64Dtype] = Field(
        ge=1,
        description="line within the document, a whole number from 1; with Document No. it identifies the line")
    posting_date: Series[pa.DateTime] = Field(description="date the line was booked")
    doc_type: Series[str] = Field(
        isin=DOC_TYPES,
        description="DZ contribution received, KR supplier invoice, SA journal, AB reversal")
    fund: Series[str] = Field(isin=FUNDS, description="TS the Secretariat's budget, RF the Return Fund")
    gl_account: Series[str] = Field(
        str_matches=r"^\d{6}$",
        description="six-digit G/L account: 400100 members' contributions, 400200 other donors', 7xxxxx expenses")
    partner: Series[str] = Field(
        description="who paid, by its name in the reference workbook (Scale, or the Partners sheet's aliases); a "
                    "donor the reference does not list, as written; empty on expenses")
    assignment: Series[str] = Field(description="on a contribution, the budget period it is for")
    currency: Series[str] = Field(
        str_matches=r"^[A-Z]{3}$",
        description="ISO 4217 code of the document's currency")
    amount_doc: Series[pd.Int64Dtype] = money(nullable=True, description="the amount in the document's currency")
    amount_usd: Series[pd.Int64Dtype] = money(
        description="the amount in US dollars, as IOM converted it on the posting date: the amount reported")
    text: Series[str] = Field(description="the line's free text, as written (data, never a formula)")
    extra: Series[str] = Field(description="the export's other columns, as JSON text {header: value}")


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
# Other names of the export columns, built in: the common English SAP line-item layouts (FBL3N and the like)
# and their usual Spanish forms. Matched like every header (trimmed, inner spaces collapsed, case-folded, NFC);
# the reference workbook's optional `Column Aliases` sheet adds more. An alias names exactly one column.
EXPORT_ALIASES: dict[str, tuple[str, ...]] = {
    ExportLine.document_no: ("Document Number", "Doc. No.", "DocumentNo", "N° documento", "Nº documento",
                             "No. documento", "Número de documento", "Nº doc."),
    ExportLine.item: ("Line item", "Posición", "Pos."),
    ExportLine.posting_date: ("Pstng Date", "Fecha contabilización", "Fecha de contabilización",
                              "Fe.contabilización"),
    ExportLine.doc_type: ("Document Type", "Type of document", "Clase de documento", "Clase doc."),
    ExportLine.fund: ("Fondo",),
    ExportLine.gl_account: ("G/L", "G/L Acct", "GL Account", "G/L Account Number", "Cuenta de mayor", "Cta.mayor"),
    ExportLine.partner: ("Socio",),
    ExportLine.assignment: ("Asignación",),
    ExportLine.currency: ("Document currency", "Curr.", "Crcy", "Moneda", "Moneda del documento"),
    ExportLine.amount_doc: ("Amount in Doc. Curr.", "Amount in DC", "Importe en moneda doc.", "Importe en MD"),
    ExportLine.amount_usd: ("Amount in USD", "Importe en USD", "Importe (USD)"),
    ExportLine.text: ("Texto",),
}
# The header row is the first row holding both of these (or an alias of each).
EXPORT_HEADER_KEYS = ("Document No.", "Posting Date")
# Columns a line must have (the rest may be empty cells).
EXPORT_OPTIONAL = (ExportLine.partner, ExportLine.assignment, ExportLine.text, ExportLine.amount_doc)
TOTAL_LABELS = ("total", "grand total")

# ---------------------------------------------------------------- the ledger


class Ledger(ExportLine):
    """Every unique, valid line of every export, with provenance and attribution."""

    file: Series[str] = Field(
        description="the export file the line was read from (the first by name, for a line in several)")
    sheet: Series[str] = Field(description="the sheet it was read from")
    row: Series[int] = Field(ge=1, description="its row in that sheet, as Excel numbers rows")
    partner_as_written: Series[str] = Field(description="Partner exactly as the export writes it")
    kind: Series[str] = Field(
        isin=("contribution", "expense", "other"),
        description="contribution (400100, 400200), expense (7xxxxx) or other (kept, used by no table)")
    period: Series[str] = Field(
        description="the budget period it counts for: a contribution's Assignment, an expense's posting date")
    budget_line: Series[str] = Field(
        description="for a TS expense, the budget line its account maps to in its period (Accounts sheet)")
    copies: Series[int] = Field(
        ge=1,
        description="how many identical copies of the line the exports hold (counted once)")

    class Config(_Base.Config):
        unique = ["document_no", "item"]


LEDGER_PROVENANCE = (Ledger.file, Ledger.sheet, Ledger.row)
# The workbook's Ledger sheet adds how many ledger lines each of its rows stands for (1, or a summary's count).
LEDGER_LINES = "lines"

# ---------------------------------------------------------------- inputs: the reference workbook


def described(description: str, **kwargs):
    """A column with its meaning: one sentence saying what it holds, its unit and its form (the reference
    workbook's input messages and the data dictionary show it)."""
    return Field(description=description, **kwargs)


class Periods(_Base):
    """The Secretariat's budget periods, one row each, following each other without gaps or overlaps."""

    period: Series[str] = described("The period's label, as the exports' Assignment writes it: a year (2013) or a "
                                    "span of years (2003-2004); text, each label once.",
                                    str_length={"min_value": 1}, unique=True)
    start: Series[pa.DateTime] = described("The period's first day: a date cell (e.g. 1 January 2013), the day after "
                                           "the previous period's End.")
    end: Series[pa.DateTime] = described("The period's last day: a date cell on or after Start (e.g. 31 December "
                                         "2013).")
    approved_budget: Series[pd.Int64Dtype] = money(
        ge=0, description="The Secretariat's budget approved for the period, in US dollars: a number, 0 or more, "
                          "at most two decimals; its budget lines add up to it.")


class BudgetLines(_Base):
    """The approved budget of each period, line by line, as Tables 2 and 3 print it."""

    period: Series[str] = described("The period the line belongs to: a Period of the Periods sheet.",
                                    str_length={"min_value": 1})
    section: Series[str] = described("The heading Table 3 prints the line under (e.g. Staff, Operational Expenses): "
                                     "text; may be empty.")
    budget_line: Series[str] = described("The line's name as the report prints it (e.g. Travel and per diem): text, "
                                         "once per period.", str_length={"min_value": 1})
    approved: Series[pd.Int64Dtype] = money(
        ge=0, description="The amount approved for the line in the period, in US dollars: a number, 0 or more, at "
                          "most two decimals.")


class Accounts(_Base):
    """Which expense accounts of the exports make up each budget line; the mapping may change between periods."""

    period: Series[str] = described("The period the row holds for: a Period of the Periods sheet, or empty for every "
                                    "period (a row naming the period wins over an empty one).")
    gl_account: Series[str] = described("An expense account of the exports' G/L Account column: six digits (e.g. "
                                        "760100).", str_matches=r"^\d{6}$")
    budget_line: Series[str] = described("The budget line the account's expenses count in: a Budget Line of that "
                                         "period in the Budget Lines sheet.", str_length={"min_value": 1})


class Scale(_Base):
    """The approved scale of contributions of each fund: what each member country is assessed."""

    fund: Series[str] = described("The fund: TS (the Technical Secretariat's budget) or RF (the Fund to assist the "
                                  "return of intra-regional migrants).", isin=FUNDS)
    country: Series[str] = described("The member country as the report prints it (e.g. Costa Rica): text, once per "
                                     "fund.", str_length={"min_value": 1})
    share_pct: Series[float] = described("The country's approved share of the fund, in percent (1.77 for 1.77 %): a "
                                         "number from 0 to 100; may be empty.", ge=0, le=100, nullable=True)
    assessed: Series[pd.Int64Dtype] = money(
        ge=0, description="The country's approved yearly contribution to the fund, in US dollars: a number, 0 or "
                          "more, at most two decimals.")


class OpeningBalances(_Base):
    """Totals brought forward for periods older than the exports."""

    period: Series[str] = described("A period older than the exports: a Period of the Periods sheet, once.",
                                    str_length={"min_value": 1}, unique=True)
    as_of: Series[pa.DateTime] = described("The date the totals run to: a date cell; export lines of the period "
                                           "posted after it add to them, lines on or before it are an error.")
    contributions_received: Series[pd.Int64Dtype] = money(
        description="The TS contributions received for the period up to As Of, in US dollars: a number, at most "
                    "two decimals.")
    operating_costs: Series[pd.Int64Dtype] = money(
        description="The TS operating costs of the period up to As Of, in US dollars: a number, at most two "
                    "decimals.")


class Partners(_Base):
    """Who pays: member countries and other donors, with the other spellings the exports use."""

    partner: Series[str] = described("A member country or donor as the report names it (e.g. European Union): text, "
                                     "once.", str_length={"min_value": 1}, unique=True)
    kind: Series[str] = described("member (a member country) or donor (any other contributor); may be empty.",
                                  isin=PARTNER_KINDS)
    aliases: Series[str] = described("Other spellings of the partner in the exports' Partner column, separated by "
                                     "semicolons (e.g. Panamá; Republic of Panama); may be empty.")


class Notes(_Base):
    """The report document's notes, each attached to a table's cell, row, column or title by its mark."""

    table: Series[str] = described("The table the note belongs to: Table 1 to Table 5, or Annex 1.",
                                   str_length={"min_value": 1})
    row: Series[str] = described("The row the mark follows: a country, period or budget line as the table prints it; "
                                 "may be empty.")
    column: Series[str] = described("The column the mark follows: a period or a column header as the table prints it "
                                    "in English; may be empty.")
    mark: Series[str] = described("The mark printed in the table and before the note (e.g. * or **); empty: one more "
                                  "star per note of the table.")
    note: Series[str] = described("The note in English, printed under the table: text.", str_length={"min_value": 1})
    note_es: Series[str] = described("The note in Spanish, for the Spanish document; empty: the English note is "
                                     "printed.")


class PaymentInstructions(_Base):
    """How to Make Contributions in the report document: one line each, in order (a label and its value, or
    either alone)."""

    field: Series[str] = described("A label in English (e.g. SWIFT BIC), printed in bold; alone, a heading; may be "
                                   "empty.")
    value: Series[str] = described("What follows the label, in English (e.g. CITIUS33); alone, a paragraph; may be "
                                   "empty.")
    field_es: Series[str] = described("The label in Spanish; empty: the English label is printed.")
    value_es: Series[str] = described("The value in Spanish; empty: the English value is printed.")


class ColumnAliases(_Base):
    """More names for the exports' columns, when your exports' headers are not recognised."""

    column: Series[str] = described("A column of the export contract, as README and inputs.md name it (e.g. Posting "
                                    "Date).", str_length={"min_value": 1})
    alias: Series[str] = described("The header as your exports write it (e.g. Fecha doc.); matched ignoring case and "
                                   "spacing.", str_length={"min_value": 1})


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
    NOTES_SHEET: (
        Notes,
        {Notes.table: "Table", Notes.row: "Row", Notes.column: "Column", Notes.mark: "Mark", Notes.note: "Note",
         Notes.note_es: "Note (es)"},
        False,
    ),
    PAYMENT_SHEET: (
        PaymentInstructions,
        {PaymentInstructions.field: "Field", PaymentInstructions.value: "Value",
         PaymentInstructions.field_es: "Field (es)", PaymentInstructions.value_es: "Value (es)"},
        False,
    ),
    COLUMN_ALIASES_SHEET: (
        ColumnAliases,
        {ColumnAliases.column: "Column", ColumnAliases.alias: "Alias"},
        False,
    ),
}
# Reference columns that may be empty cells.
REFERENCE_OPTIONAL = {
    (ACCOUNTS_SHEET, Accounts.period), (BUDGET_LINES_SHEET, BudgetLines.section),
    (SCALE_SHEET, Scale.share_pct), (PARTNERS_SHEET, Partners.aliases), (PARTNERS_SHEET, Partners.kind),
    (NOTES_SHEET, Notes.row), (NOTES_SHEET, Notes.column), (NOTES_SHEET, Notes.mark), (NOTES_SHEET, Notes.note_es),
    (PAYMENT_SHEET, PaymentInstructions.field), (PAYMENT_SHEET, PaymentInstructions.value),
    (PAYMENT_SHEET, PaymentInstructions.field_es), (PAYMENT_SHEET, PaymentInstructions.value_es),
}

# ---------------------------------------------------------------- outputs: the report's tables
# Money columns are int64 cents, marked with `money()`; the CSV and workbook writers turn them into dollars.
# The registry of tables (names, sheets, CSV files) is `rcm_tables.tables.TABLES`.

class Table1(_Base):
    period: Series[str] = Field(description="budget period")
    approved_budget: Series[int] = money(description="the period's approved budget (Periods sheet)")
    contributions_received: Series[int] = money(
        description="TS contributions for the period, received up to the as-of date, with the opening balance")
    contributions_pending: Series[int] = money(
        description="approved budget minus received (negative: members paid more)")
    contributions_pending_accumulated: Series[int] = money(description="running sum of the pending contributions")
    operating_costs: Series[int] = money(
        description="TS expenses posted in the period up to the as-of date, with the opening balance")
    net_balance: Series[int] = money(description="received minus operating costs")
    accumulated_balance: Series[int] = money(description="running sum of the net balances")


class Table2(_Base):
    budget_line: Series[str] = Field(description="a budget line of the as-of period")
    approved_budget: Series[int] = money(description="its approved amount (Budget Lines sheet)")
    expenses: Series[int] = money(
        description="TS expenses of the as-of period mapped to the line, up to the as-of date")
    balance: Series[int] = money(description="approved minus expenses")


SUMMARY_ITEMS = ("approved_budget", "contributions_received", "contributions_pending", "total_expenses", "balance")


class Table2Summary(_Base):
    item: Series[str] = Field(
        isin=SUMMARY_ITEMS,
        description="approved_budget, contributions_received, contributions_pending, total_expenses, or balance "
                    "(received minus expenses)")
    amount: Series[int] = money(description="the item's amount for the as-of period")


class Table3(_Base):
    section: Series[str] = Field(description="the budget's section")
    budget_line: Series[str] = Field(description="a budget line of the period after the as-of period")
    amount: Series[int] = money(description="its approved amount")


class Table4(_Base):
    country: Series[str] = Field(
        description="a member on the TS scale, another partner, or the adjustments without partner")
    period: Series[str] = Field(description="one of the last four periods up to the as-of date")
    assessed: Series[int] = money(description="the member's amount on the TS scale (0 if not on it)")
    received: Series[int] = money(description="its contributions for the period, up to the as-of date")
    pending: Series[int] = money(description="assessed minus received (negative: paid more); 0 in a period the "
                                 "Opening Balances bring forward (who paid it is not in the exports)")
    receipt_dates: Series[str] = Field(
        description="the dates of the receipts that stand after reversals, ISO, ';'-separated")


class Table4Payments(_Base):
    """Each receipt behind Table 4 (after reversals are matched): the report prints amount and date."""

    country: Series[str] = Field(description="as in Table 4")
    period: Series[str] = Field(description="as in Table 4")
    amount: Series[int] = money(description="one receipt (after reversals are matched)")
    received_on: Series[pa.DateTime] = Field(description="its posting date")


class Table4Advance(_Base):
    """Receipts for periods after the as-of period (paid in advance): listed under Table 4, counted nowhere yet."""

    country: Series[str] = Field(description="who paid")
    period: Series[str] = Field(description="a period after the as-of period")
    amount: Series[int] = money(description="one receipt in advance")
    received_on: Series[pa.DateTime] = Field(description="its posting date (on or before the as-of date)")


class Table5(_Base):
    country: Series[str] = Field(description="a member on the RF scale, or another partner (e.g. a donor)")
    period: Series[str] = Field(description="a period from the fund's first contribution")
    received: Series[int] = money(
        description="its contributions to the Return Fund for the period, up to the as-of date")


class FundAccount(_Base):
    """A fund's account by period: contributions received (by Assignment), spent (its expense lines, by posting
    date), the balance of the period and the running balance."""

    period: Series[str] = Field(description="budget period, from the fund's first line")
    received: Series[int] = money(description="the fund's contributions for the period")
    spent: Series[int] = money(description="the fund's expense lines posted in the period")
    balance: Series[int] = money(description="received minus spent")
    accumulated_balance: Series[int] = money(description="running sum of the balances")


class Annex1(_Base):
    country: Series[str] = Field(description="a member on the TS scale")
    share_pct: Series[float] = Field(description="its share, in percentage points (1.77 is 1.77 %)")
    assessed_usd: Series[int] = money(description="its assessed contribution")


# ---------------------------------------------------------------- input: the activities register (--activities)
ACTIVITIES_SHEET = "Activities"
ACTIVITY_SECTIONS = ("1.1", "1.2", "1.3", "1.4", "1.5")  # Section 1's parts, as in the 2012 report
# column -> display header; the (es) columns and Place are optional
ACTIVITY_HEADERS = {
    "section": "Section", "title": "Title", "place": "Place", "start": "Start", "end": "End",
    "description": "Description", "title_es": "Title (es)", "place_es": "Place (es)",
    "description_es": "Description (es)",
}
ACTIVITY_OPTIONAL = {"place", "title_es", "place_es", "description_es"}

# Row label used in Table 4 for income lines without a partner (bank charges, corrections).
NO_PARTNER = "(no partner: adjustments)"


@functools.cache
def schema(model: type[_Base]):
    """A model's pandera schema (pandera imported here, on first use), built once: building it takes longer
    than validating a month of lines. The same schema as the model written as a pandera DataFrameModel."""
    import pandera.pandas as pa
    from pandera.typing import Series

    kinds = {"str": str, "pd.Int64Dtype": pd.Int64Dtype, "pa.DateTime": pa.DateTime, "int": int, "float": float}
    config = {k: v for k, v in vars(model.Config).items() if not k.startswith("_")}
    for base in reversed(model.Config.__mro__[1:]):
        config = {**{k: v for k, v in vars(base).items() if not k.startswith("_")}, **config}
    namespace = {"__annotations__": {name: Series[kinds[kind]] for name, (kind, _f) in model.__columns__.items()},
                 "__module__": model.__module__, "__doc__": model.__doc__,
                 "Config": type("Config", (), config)}
    namespace.update({name: pa.Field(**field.kwargs) for name, (_k, field) in model.__columns__.items()})
    return type(model.__name__, (pa.DataFrameModel,), namespace).to_schema()


# Each column kind -> the dtypes pandera accepts for it (its Engine's check, asked of the dtypes pandas and
# this toolkit use; `tests/test_schemas_fast.py` asks pandera again): no import of pandera to prove a frame valid
_ACCEPTED = {
    "str": (np.dtype(object), pd.StringDtype("pyarrow", na_value=np.nan), pd.StringDtype("pyarrow")),
    "pd.Int64Dtype": (pd.Int64Dtype(), np.dtype("int64")),
    "int": (pd.Int64Dtype(), np.dtype("int64")),
    "float": (np.dtype("float64"), pd.Float64Dtype()),
    "pa.DateTime": (np.dtype("datetime64[ns]"), np.dtype("datetime64[us]"), np.dtype("datetime64[s]")),
}


def dtypes_match(model: type[_Base], frame: pd.DataFrame) -> bool:
    """True when every column has exactly the model's dtype, as pandera itself decides it (a dtype it is not
    known to accept is False: pandera is then asked)."""
    present = dict(zip(frame.columns, frame.dtypes))
    for name, (kind, _field) in model.__columns__.items():
        dtype = present.get(name)
        if dtype is None or not any(_same_dtype(dtype, ok) for ok in _ACCEPTED[kind]):
            return False
    return True


def _same_dtype(a, b) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except TypeError:
        return False


def dtype_names(model: type[_Base]) -> dict[str, str]:
    """Each column's dtype as pandas names it (``int64``, ``float64``, ``str``, ``Int64``, ``datetime64[ns]``)."""
    return {name: _DTYPES[kind] for name, (kind, _field) in model.__columns__.items()}


# pandera's built-in checks, computed as pandera computes them (pandera/backends/pandas/builtin_checks.py)
_BUILTIN_CHECKS = {
    "isin": lambda data, allowed_values: data.isin(allowed_values),
    "str_matches": lambda data, pattern: data.str.match(pattern, na=False),
    "str_length": lambda data, min_value=None, max_value=None, exact_value=None: (
        (data.str.len() == exact_value) if exact_value is not None else
        ((data.str.len() >= (min_value if min_value is not None else 0))
         & (data.str.len() <= (max_value if max_value is not None else float("inf"))))),
    "greater_than_or_equal_to": lambda data, min_value: data >= min_value,
    "less_than_or_equal_to": lambda data, max_value: data <= max_value,
}


def surely_valid(model: type[_Base], frame: pd.DataFrame) -> bool:
    """True only when pandera would find nothing wrong with ``frame``: right dtypes, every check passes.

    A month of clean lines is checked in a few vectorised operations instead of pandera's per-column machinery;
    False means "ask pandera", which then finds and words the failures (anything this does not know, such as
    another kind of check, is left to pandera too).
    """
    columns = model.__columns__
    if model.Config.unique or set(frame.columns) != set(columns) or not dtypes_match(model, frame):
        return False
    try:
        for name, (_kind, field) in columns.items():
            data = frame[name]
            has_na = bool(data.hasnans)
            if (has_na and not field.nullable) or (field.unique and data.duplicated().any()):
                return False
            for check, statistics in field.checks:
                fn = _BUILTIN_CHECKS.get(check)
                if fn is None:
                    return False
                passed = fn(data, **statistics)
                if has_na:  # pandera's checks ignore missing values
                    passed = passed.fillna(False).astype(bool) | data.isna()
                if not passed.all():
                    return False
    except (TypeError, ValueError):  # values a vectorised check cannot compare: pandera words the failure
        return False
    return True


def money_columns(model: type[_Base]) -> tuple[str, ...]:
    """The model's money columns (int64 cents), in declaration order."""
    return tuple(name for name, (_k, field) in model.__columns__.items() if (field.metadata or {}) == MONEY)


def date_columns(model: type[_Base]) -> tuple[str, ...]:
    """The model's date columns, in declaration order."""
    return tuple(name for name, (kind, _f) in model.__columns__.items() if kind == "pa.DateTime")


def description(model: type[_Base], column: str) -> str:
    """What a column means (its pandera ``description``): one sentence with its unit and form."""
    return model.__columns__[column][1].kwargs.get("description") or ""  # without pandera


def columns(model: type[_Base]) -> list[str]:
    """Column names of a model, in declaration order."""
    return list(model.__columns__)
