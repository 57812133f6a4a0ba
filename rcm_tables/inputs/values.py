"""Cell-level parsers: amounts to integer cents, dates to `datetime.date`.

Each parser returns the parsed value or raises `ParseError` with a message a finance officer can act on.
Money is kept as int cents from here on (`rcm_tables.money` converts).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..money import AmountError, cents_from_decimal

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, after Excel's 1900 leap-year bug
LAST_SERIAL_DAY = dt.date(9999, 12, 31)  # the last day a serial can stand for, in any date system
# The dates a pandas datetime64[ns] column can hold: a later or earlier date is a typing error, not a date
FIRST_DATE, LAST_DATE = dt.date(1677, 9, 22), dt.date(2262, 4, 11)

# 1,234.56 | 1234.56 | -1,234.56 | (1,234.56) | 1,234.56- (SAP's trailing minus) | $ 1,234.56
_AMOUNT_RE = re.compile(
    r"""^(?P<open>\()?\s*(?P<lead>[-+])?\s*\$?\s*
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)
        (?:\.(?P<frac>\d+))?
        \s*(?P<trail>-)?\s*(?P<close>\))?$""",
    re.VERBOSE,
)
_DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


class ParseError(ValueError):
    """A cell that cannot be read as the type its column needs."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def _decimal_to_cents(value: Decimal) -> int:
    try:
        return cents_from_decimal(value)
    except AmountError as exc:
        raise ParseError(exc.message, exc.hint) from None


def parse_amount(value) -> int:
    """Parse a money cell to integer cents.

    >>> parse_amount(1234.56), parse_amount("(1,234.56)"), parse_amount("-1,234.56"), parse_amount("1,234.56-")
    (123456, -123456, -123456, -123456)
    """
    if value is None:
        raise ParseError("amount is missing", "every line needs an amount")
    if isinstance(value, bool):
        raise ParseError("amount is TRUE/FALSE, not a number", "enter the amount as a number")
    if isinstance(value, int):
        return _decimal_to_cents(Decimal(value))
    if isinstance(value, float):
        return _decimal_to_cents(Decimal(repr(value)))  # repr: the shortest text that is this float
    if isinstance(value, Decimal):
        return _decimal_to_cents(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise ParseError("amount cell holds a date", "format the cell as a number")
    text = str(value).strip().replace("\u2212", "-").replace("\u00a0", " ")
    if not text:
        raise ParseError("amount is missing", "every line needs an amount")
    m = _AMOUNT_RE.match(text)
    if not m or (m["open"] is None) != (m["close"] is None):
        raise ParseError(
            "amount is not a number",
            "write amounts like 1,234.56, -1,234.56 or (1,234.56)",
        )
    signs = [s for s in (m["open"], m["lead"] if m["lead"] == "-" else None, m["trail"]) if s]
    if len(signs) > 1:
        raise ParseError("amount has two minus signs", "use one of -1,234.56 or (1,234.56)")
    number = Decimal(m["int"].replace(",", "") + "." + (m["frac"] or "0"))
    cents = _decimal_to_cents(number)
    return -cents if signs else cents


def parse_date(value, epoch: dt.date = EXCEL_EPOCH) -> dt.date:
    """Parse a date cell: a date, an Excel serial number, dd/mm/yyyy or yyyy-mm-dd text.

    ``epoch``: the day serial 0 stands for in the cell's workbook (`rcm_tables.inputs.datesystem`: Excel's 1900
    system by default, its 1904 system, an .ods null date).

    >>> parse_date(41219), parse_date("06/11/2012"), parse_date("2012-11-06")
    (datetime.date(2012, 11, 6), datetime.date(2012, 11, 6), datetime.date(2012, 11, 6))
    >>> parse_date(41219, epoch=dt.date(1904, 1, 1))
    datetime.date(2016, 11, 7)
    """
    day = _parse_date(value, epoch)
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ParseError(f"date {day.isoformat()} is out of range",
                         f"dates must lie between {FIRST_DATE:%d/%m/%Y} and {LAST_DATE:%d/%m/%Y}; check the year")
    return day


def _parse_date(value, epoch: dt.date = EXCEL_EPOCH) -> dt.date:
    if value is None:
        raise ParseError("date is missing", "every line needs a posting date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ParseError("date is TRUE/FALSE", "enter a date")
    if isinstance(value, (int, float)):
        if value != value or not 1 <= value <= (LAST_SERIAL_DAY - epoch).days:
            raise ParseError("number is not a valid Excel date serial", "format the cell as a date")
        return epoch + dt.timedelta(days=int(value))
    text = str(value).strip()
    if not text:
        raise ParseError("date is missing", "every line needs a posting date")
    if m := _DMY_RE.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_RE.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        try:
            serial = float(text)
        except ValueError:
            raise ParseError(
                "date is not in a known form", "write dates as dd/mm/yyyy or yyyy-mm-dd, or use a date cell"
            ) from None
        return _parse_date(serial, epoch)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError("impossible date", "check day and month (dates are read as dd/mm/yyyy)") from None


def day_month(text: str) -> tuple[int, int] | None:
    """The first two numbers of a dd/mm/yyyy text date, as written (None for any other form)."""
    m = _DMY_RE.match(text.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


class FormulaWithoutValue:
    """A cell holding a formula whose result the file does not store (written by a program, never saved by Excel
    or LibreOffice): read as this, never as an empty cell, so that its problem says so."""

    __slots__ = ("formula",)

    def __init__(self, formula: str):
        self.formula = formula

    def __str__(self) -> str:
        return self.formula

    def __eq__(self, other) -> bool:
        return isinstance(other, FormulaWithoutValue) and other.formula == self.formula

    def __hash__(self) -> int:
        return hash(("formula", self.formula))


def no_saved_value(cell: FormulaWithoutValue) -> ParseError:
    return ParseError(f"the cell holds a formula ({cell.formula[:40]}) with no saved value",
                      "open the file in Excel or LibreOffice and save it (the result of each formula is stored "
                      "then), or type the value itself")


MAX_ITEM = 10**9  # a line number within a document: far beyond any real document, far inside int64
MAX_DOCUMENT_NUMBER = 10**15  # a document number typed as a number: whole and exact in a spreadsheet cell


def _whole(value) -> int:
    """A whole number from a number or text cell; anything else (fractions, NaN, infinities) is a ParseError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParseError("number is missing")
    if isinstance(value, bool):
        raise ParseError("not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():  # also NaN and the infinities
            raise ParseError("not a whole number")
        return int(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ParseError("not a whole number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ParseError("not a whole number")
    return int(number)


def parse_whole(value, most: int = MAX_ITEM) -> int:
    """A whole number cell from 1 to ``most`` (the Item column): 3, 3.0 or '3'."""
    number = _whole(value)
    if not 1 <= number <= most:
        raise ParseError(f"{number} is out of range (1 to {most:,})", "check the cell: a line's Item is a small "
                         "whole number")
    return number


def parse_document_no(value) -> str:
    """A document number: text as it is (trimmed), or a whole number below 10^15 written without decimals.

    A number is a number however it is typed: text of digits only loses its leading zeros, so that "0100000001"
    in a .csv export and 100000001 in the .xlsx re-run of the same period are one document (docs/inputs.md)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _whole(value)
        if not 0 <= number < MAX_DOCUMENT_NUMBER:
            raise ParseError(f"{number} is out of range for a document number",
                             "write long document numbers as text, as the export does")
        return str(number)
    text = as_code(value)
    if text[:1] == "0" and _DIGITS_RE.fullmatch(text):
        return text.lstrip("0") or "0"
    return text


_DIGITS_RE = re.compile(r"[0-9]+")


def as_code(value) -> str:
    """An identifier cell as text: 1900012345.0 -> '1900012345', ' TS ' -> 'TS', None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def as_text(value) -> str:
    """A free-text cell as text, kept as it is (never interpreted)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_name(name: str) -> str:
    """A name as shown: trimmed, inner spaces collapsed, Unicode NFC (Panamá typed either way is one name)."""
    return unicodedata.normalize("NFC", " ".join(str(name).split()))


def normalize_name(name: str) -> str:
    """Key for matching names: `clean_name`, case-folded."""
    return unicodedata.normalize("NFC", clean_name(name).casefold())
