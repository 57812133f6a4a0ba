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

    document_no: Series[str] = Field(str_length={"min_value": 1})
    item: Series[pd.Int64Dtype] = Field(ge=1)
    posting_date: Series[pa.DateTime]
    doc_type: Series[str] = Field(isin=DOC_TYPES)
    fund: Series[str] = Field(isin=FUNDS)
    gl_account: Series[str] = Field(str_matches=r"^\d{6}$")
    partner: Series[str]
    assignment: Series[str]
    currency: Series[str] = Field(str_matches=r"^[A-Z]{3}$")
    amount_doc: Series[pd.Int64Dtype] = money(nullable=True)
    amount_usd: Series[pd.Int64Dtype] = money()
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

    file: Series[str]
    sheet: Series[str]
    row: Series[int] = Field(ge=1)
    partner_as_written: Series[str]
    kind: Series[str] = Field(isin=("contribution", "expense", "other"))
    period: Series[str]
    budget_line: Series[str]
    copies: Series[int] = Field(ge=1)

    class Config(_Base.Config):
        unique = ["document_no", "item"]


LEDGER_PROVENANCE = (Ledger.file, Ledger.sheet, Ledger.row)
# The workbook's Ledger sheet adds how many ledger lines each of its rows stands for (1, or a summary's count).
LEDGER_LINES = "lines"

# ---------------------------------------------------------------- inputs: the reference workbook


class Periods(_Base):
    period: Series[str] = Field(str_length={"min_value": 1}, unique=True)
    start: Series[pa.DateTime]
    end: Series[pa.DateTime]
    approved_budget: Series[pd.Int64Dtype] = money(ge=0)


class BudgetLines(_Base):
    period: Series[str] = Field(str_length={"min_value": 1})
    section: Series[str]
    budget_line: Series[str] = Field(str_length={"min_value": 1})
    approved: Series[pd.Int64Dtype] = money(ge=0)


class Accounts(_Base):
    period: Series[str]
    gl_account: Series[str] = Field(str_matches=r"^\d{6}$")
    budget_line: Series[str] = Field(str_length={"min_value": 1})


class Scale(_Base):
    fund: Series[str] = Field(isin=FUNDS)
    country: Series[str] = Field(str_length={"min_value": 1})
    share_pct: Series[float] = Field(ge=0, le=100, nullable=True)
    assessed: Series[pd.Int64Dtype] = money(ge=0)


class OpeningBalances(_Base):
    period: Series[str] = Field(str_length={"min_value": 1}, unique=True)
    as_of: Series[pa.DateTime]
    contributions_received: Series[pd.Int64Dtype] = money()
    operating_costs: Series[pd.Int64Dtype] = money()


class Partners(_Base):
    partner: Series[str] = Field(str_length={"min_value": 1}, unique=True)
    kind: Series[str] = Field(isin=PARTNER_KINDS)
    aliases: Series[str]


class Notes(_Base):
    """A note of the report document, attached to a table's cell, row, column or title by its mark."""

    table: Series[str] = Field(str_length={"min_value": 1})
    row: Series[str]
    column: Series[str]
    mark: Series[str]
    note: Series[str] = Field(str_length={"min_value": 1})
    note_es: Series[str]


class PaymentInstructions(_Base):
    """"How to Make Contributions": one line each, in order (a label and its value, or either alone)."""

    field: Series[str]
    value: Series[str]
    field_es: Series[str]
    value_es: Series[str]


class ColumnAliases(_Base):
    """More names for the export's columns: ``column`` is a contract header (`EXPORT_HEADERS`), ``alias`` the
    header as found in the exports."""

    column: Series[str] = Field(str_length={"min_value": 1})
    alias: Series[str] = Field(str_length={"min_value": 1})


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
    period: Series[str]
    approved_budget: Series[int] = money()
    contributions_received: Series[int] = money()
    contributions_pending: Series[int] = money()
    contributions_pending_accumulated: Series[int] = money()
    operating_costs: Series[int] = money()
    net_balance: Series[int] = money()
    accumulated_balance: Series[int] = money()


class Table2(_Base):
    budget_line: Series[str]
    approved_budget: Series[int] = money()
    expenses: Series[int] = money()
    balance: Series[int] = money()


class Table2Summary(_Base):
    item: Series[str] = Field(
        isin=("approved_budget", "contributions_received", "contributions_pending", "total_expenses", "balance")
    )
    amount: Series[int] = money()


class Table3(_Base):
    section: Series[str]
    budget_line: Series[str]
    amount: Series[int] = money()


class Table4(_Base):
    country: Series[str]
    period: Series[str]
    assessed: Series[int] = money()
    received: Series[int] = money()
    pending: Series[int] = money()
    receipt_dates: Series[str]


class Table4Payments(_Base):
    """Each receipt behind Table 4 (after reversals are matched): the report prints amount and date."""

    country: Series[str]
    period: Series[str]
    amount: Series[int] = money()
    received_on: Series[pa.DateTime]


class Table4Advance(_Base):
    """Receipts for periods after the as-of period (paid in advance): listed under Table 4, counted nowhere yet."""

    country: Series[str]
    period: Series[str]
    amount: Series[int] = money()
    received_on: Series[pa.DateTime]


class Table5(_Base):
    country: Series[str]
    period: Series[str]
    received: Series[int] = money()


class Annex1(_Base):
    country: Series[str]
    share_pct: Series[float]
    assessed_usd: Series[int] = money()


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


def columns(model: type[_Base]) -> list[str]:
    """Column names of a model, in declaration order."""
    return list(model.__columns__)
