"""Every user-facing complaint is a `Problem`: located, explained, never a traceback.

A problem's `Code` says what is wrong and how serious it is; each code has one meaning and one severity
(the README lists them). Errors stop a build before anything is written; warnings and notes do not.
"""
from __future__ import annotations

import enum
import os
import unicodedata
from dataclasses import asdict, dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"
NOTE = "note"
SEVERITIES = (ERROR, WARNING, NOTE)


class Code(str, enum.Enum):
    """What a problem is: ``(code, severity, meaning)``. The value is the code printed and stored (and a
    member equals its text, so ``problem.code == "lock-file"`` reads naturally)."""

    def __new__(cls, code: str, severity: str, meaning: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.severity = severity
        member.meaning = meaning
        return member

    # files and folders
    NO_EXPORTS = ("no-exports", ERROR, "the exports folder holds no export")
    WRONG_FILE_TYPE = ("wrong-file-type", ERROR, "a file in the exports folder is not a format rcm-tables reads")
    FILE_UNREADABLE = ("file-unreadable", ERROR, "a file cannot be opened or parsed")
    FILE_PROTECTED = ("file-protected", ERROR, "a workbook is password-protected")
    FILE_UNSAFE = ("file-unsafe", ERROR, "a file is built to exhaust memory (zip or XML bomb)")
    SHEET_TOO_FAR = ("sheet-too-far", ERROR, "a stray value far outside the table would make the sheet huge")
    NOT_A_FILE = ("not-a-file", ERROR, "an input path is not a regular file (a pipe, a device, a socket)")
    REFERENCE_IN_EXPORTS = ("reference-in-exports", ERROR, "a reference workbook lies in the exports folder")
    FILE_NAME_TWIN = ("file-name-twin", ERROR, "two export file names differ only in case")
    FILE_IGNORED = ("file-ignored", NOTE, "a file in the exports folder that is not an export is ignored")
    FOLDER_IGNORED = ("folder-ignored", NOTE, "a sub-folder of the exports folder is not read")
    CACHE_ENTRY_CORRUPT = ("cache-entry-corrupt", NOTE, "a cache entry failed its checksum and was parsed again")
    CACHE_NOT_WRITTEN = ("cache-not-written", NOTE, "parsed exports could not be saved to the cache")
    SNAPSHOT_CORRUPT = ("snapshot-corrupt", NOTE, "the ledger snapshot failed its checksum; every export was merged again")
    # sheets and headers
    SHEET_MISSING = ("sheet-missing", ERROR, "a required sheet is not in the workbook")
    SHEET_EMPTY = ("sheet-empty", ERROR, "the sheet to read holds nothing")
    SHEET_HIDDEN_READ = ("sheet-hidden-read", WARNING, "the sheet read is hidden")
    ROWS_HIDDEN_READ = ("rows-hidden-read", WARNING, "rows hidden (or filtered out) in Excel are read all the same")
    SHEET_HIDDEN_SKIPPED = ("sheet-hidden-skipped", NOTE, "another hidden sheet is not read")
    HEADER_NOT_FOUND = ("header-not-found", ERROR, "no row holds the header's key columns")
    HEADER_MISSING = ("header-missing", ERROR, "a required column is missing from the header")
    HEADER_DUPLICATE = ("header-duplicate", ERROR, "a column appears twice in the header")
    ALIAS_CONFLICT_HEADER = ("alias-conflict-header", ERROR, "two header cells name one column (through an alias)")
    ALIAS_USED = ("alias-used", NOTE, "an export's columns were found under other names (aliases)")
    CSV_ENCODING_GUESSED = ("csv-encoding-guessed", WARNING, "a CSV file that is not UTF-8 is read as Windows-1252")
    CSV_QUOTE_SPANS_LINES = ("csv-quote-spans-lines", WARNING, "a quoted CSV field spans line breaks")
    CSV_QUOTE_SWALLOWS_LINES = ("csv-quote-swallows-lines", ERROR, "a stray quote in a CSV file swallows lines "
                                "of the export into one field")
    CSV_OTHER_SEPARATOR = ("csv-other-separator", ERROR, "a CSV line is split by another separator than the file")
    DECIMAL_MARK_AMBIGUOUS = ("decimal-mark-ambiguous", ERROR, "a CSV file's amounts do not tell its decimal mark")
    # cells and rows of an export
    INVALID_VALUE = ("invalid-value", ERROR, "a cell cannot be read as its column's type, or breaks its rule")
    ROW_AFTER_TOTAL = ("row-after-total", ERROR, "data below an export's Total row")
    ROW_NOT_A_LINE = ("row-not-a-line", ERROR, "a row among the lines with no Document No., Item, Posting Date or "
                      "Amount (USD): a note typed there")
    CELLS_WITHOUT_HEADER = ("cells-without-header", WARNING, "values in an export's column without a header are "
                            "kept with their lines, not used")
    CONTROL_TOTAL = ("control-total", ERROR, "an export's lines do not add up to its Total row")
    CONTROL_TOTAL_SKIPPED = ("control-total-skipped", NOTE, "an export's Total was not compared: rows were rejected")
    NO_CONTROL_TOTAL = ("no-control-total", NOTE, "an export has no Total row amount to check its lines against")
    EXPORT_NO_LINES = ("export-no-lines", WARNING, "an export has a header but no lines")
    DUPLICATE_CONFLICT = ("duplicate-conflict", ERROR, "two copies of a line (Document No., Item) differ")
    # the reference workbook
    NO_PERIODS = ("no-periods", ERROR, "the Periods sheet has no periods")
    SHEET_NO_ROWS = ("sheet-no-rows", ERROR, "a required reference sheet has its header but no rows")
    PERIOD_REVERSED = ("period-reversed", ERROR, "a period ends before it starts")
    PERIOD_GAP = ("period-gap", ERROR, "days between two periods belong to none")
    PERIOD_OVERLAP = ("period-overlap", ERROR, "two periods share days")
    UNKNOWN_PERIOD = ("unknown-period", ERROR, "a reference row names a period the Periods sheet does not have")
    BUDGET_LINE_TWICE = ("budget-line-twice", ERROR, "a budget line is named twice in one period")
    ACCOUNT_MAPPED_TWICE = ("account-mapped-twice", ERROR, "an account is mapped twice for the same period")
    DEPENDS_ON_REJECTED = ("depends-on-rejected", NOTE, "rows that wait for a rejected row to be fixed")
    BUDGET_LINES_TOTAL = ("budget-lines-total", ERROR, "a period's budget lines do not add up to its budget")
    SCALE_DUPLICATE = ("scale-duplicate", ERROR, "a country appears twice in one fund's scale")
    SCALE_SHARE_PERCENT = ("scale-share-percent", ERROR, "a Scale share typed as an Excel percentage (0.24 for 24 %)")
    SCALE_SHARES = ("scale-shares", WARNING, "a scale's shares do not add up to 100 %")
    ALIAS_CONFLICT = ("alias-conflict", ERROR, "one alias names two partners")
    COLUMN_ALIAS_CONFLICT = ("column-alias-conflict", ERROR, "one column alias names two export columns")
    NAME_CASE_TWIN = ("name-case-twin", ERROR, "two names differ only in case or spacing")
    NAME_TOO_LONG = ("name-too-long", ERROR, "a name is longer than a spreadsheet formula can match")
    # lines against the reference
    UNKNOWN_PARTNER = ("unknown-partner", ERROR, "a contribution names a partner the reference does not know")
    PARTNER_MISSING = ("partner-missing", ERROR, "a contribution received (DZ) names no partner")
    DONOR_UNLISTED = ("donor-unlisted", NOTE, "a donor on 400200 that the reference workbook does not list")
    INCOME_ADJUSTMENT = ("income-adjustment", WARNING, "a journal contribution line without a partner")
    ASSIGNMENT_MISSING = ("assignment-missing", ERROR, "a contribution line does not say its period")
    ASSIGNMENT_UNKNOWN = ("assignment-unknown", ERROR, "a contribution's Assignment is not a period")
    DATE_OUTSIDE_PERIODS = ("date-outside-periods", ERROR, "a line's posting date falls in no period")
    ACCOUNT_UNMAPPED = ("account-unmapped", ERROR, "an expense account has no budget line for its period")
    ACCOUNT_LINE_UNKNOWN = ("account-line-unknown", ERROR, "an account maps to a line its period does not have")
    PERIOD_WITHOUT_LINES = ("period-without-lines", WARNING, "a period with expenses has no budget lines")
    ACCOUNT_UNUSED = ("account-unused", WARNING, "a line's account is neither a contribution nor an expense")
    OPENING_DOUBLE_COUNT = ("opening-double-count", ERROR, "a line is already in its period's opening balance")
    USD_MISMATCH = ("usd-mismatch", WARNING, "a USD document whose two amounts differ")
    DOC_AMOUNT_NOT_KEPT = ("doc-amount-not-kept", WARNING, "an Amount (Doc. Curr.) with three decimals (KWD, "
                           "JOD, ...): the line is used, that informational amount left out of the ledger")
    CELL_TOO_LONG = ("cell-too-long", WARNING, "a text longer than a workbook cell holds (32,767 characters)")
    LINES_AFTER_AS_OF = ("lines-after-as-of", NOTE, "lines posted after the as-of date: in the ledger, in no table")
    LEDGER_CHECKS_SKIPPED = ("ledger-checks-skipped", NOTE, "lines were not checked against a broken reference")
    # the build as a whole
    AS_OF_BEFORE_OPENING = ("as-of-before-opening", ERROR, "the as-of date is before an opening balance's As Of")
    MONTHS_WITHOUT_LINES = ("months-without-lines", WARNING, "calendar months with no export line at all")
    PERIOD_WITHOUT_DATA = ("period-without-data", WARNING, "a period shown with neither lines nor opening balance")
    AS_OF_AFTER_DATA = ("as-of-after-data", WARNING, "the as-of date is more than 31 days after the last line")
    AS_OF_OUTSIDE = ("as-of-outside", ERROR, "the as-of date falls in no period")
    TOO_MANY_LINES = ("too-many-lines", ERROR, "more lines than any sum can hold (see rcm_tables.money)")
    NO_LINES = ("no-lines", ERROR, "no export holds a line, so there is no as-of date")
    RECEIPTS_AFTER_EXPENSES = ("receipts-after-expenses", WARNING, "receipts are counted past the expenses' cut-off")
    OVERPAID = ("overpaid", NOTE, "members paid more than a period's approved budget")
    # the report document (only when one is written)
    NOTES_ABSENT = ("notes-absent", NOTE, "no Notes sheet: the document's tables carry no notes")
    PAYMENT_ABSENT = ("payment-instructions-absent", NOTE,
                      "no Payment Instructions sheet: the document leaves out How to Make Contributions")
    NOTE_TABLE_UNKNOWN = ("note-table-unknown", ERROR, "a note names a table the document does not have")
    NOTE_UNATTACHED = ("note-unattached", WARNING, "a note names a row or column its table does not show")
    ACTIVITY_DATES = ("activity-dates", ERROR, "an activity ends before it starts")
    SPANISH_NAME_MISSING = ("spanish-name-missing", WARNING,
                            "the Spanish document prints a budget line or section as given: its Spanish name is empty")

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Problem:
    """One located problem with the inputs (or, for checks, with the figures).

    ``row`` is the spreadsheet row number a person sees in Excel (1-based), or None.
    """

    severity: str
    code: Code
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    hint: str = ""

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.where()
        text = f"{self.severity.upper()} [{self.code}] {loc + ': ' if loc else ''}{self.message}"
        if self.value:
            text += f" (value: {self.value!r})"
        if self.hint:
            text += f" Hint: {self.hint}"
        return text

    def as_dict(self) -> dict:
        """Plain values (the code as its text): for CSV files and the cache."""
        return {**asdict(self), "code": self.code.value}

    @classmethod
    def from_dict(cls, values: dict) -> "Problem":
        return cls(**{**values, "code": Code(values["code"])})


def codes_markdown() -> str:
    """The README's table of problem codes (a test keeps the README equal to it)."""
    lines = ["| code | severity | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{c.value}` | {c.severity} | {c.meaning} |" for c in Code]
    return "\n".join(lines) + "\n"


def problem(code: Code, message: str, **where) -> Problem:
    """A problem of the code's severity, located by ``file``, ``sheet``, ``row``, ``column``, ``value``, ``hint``.

    What a person cannot see is shown: control and invisible characters in the value as ``<U+200B>``, letters of
    another script among Latin ones (a Cyrillic "о") marked too, and each named at the end of the message;
    control characters in the message and the hint escaped (`visible`)."""
    if where.get("file"):
        where["file"] = _printable_path(where["file"])
    value = where.get("value")
    if isinstance(value, str) and value:
        shown, named = visible(value)
        where["value"] = shown
        if named:
            message = f"{message} (the value holds {', '.join(named)})"
    if where.get("hint"):
        where["hint"] = _escape_controls(where["hint"])
    return Problem(code.severity, code, _escape_controls(message), **where)


def file_label(path) -> str:
    """A file's name as messages, the ledger and the workbook show it: a name that is not valid UTF-8 (a
    Windows-1252 "café" on a Linux share) shows its stray bytes as ``\\xe9`` instead of failing every writer."""
    name = os.path.basename(os.fspath(path))
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _printable_path(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


def _hidden(ch: str) -> bool:
    """A character a person does not see: control, format (zero-width, direction marks), line or paragraph
    separator, or a space other than the plain one."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") or (
        unicodedata.category(ch) == "Zs" and ch != " ")


_OTHER_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")  # letters that look like Latin ones


def _look_alike(ch: str, latin: bool) -> bool:
    return latin and not ch.isascii() and ch.isalpha() and unicodedata.name(ch, "").startswith(_OTHER_SCRIPTS)


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'a control character' if ord(ch) < 160 else 'unnamed')}"


def visible(text: str) -> tuple[str, list[str]]:
    """``text`` with each hidden or look-alike character shown as ``<U+200B>`` (a look-alike letter: the letter
    then its code, ``о<U+043E>``), and the names of those found (first appearance order).

    >>> visible("2012\u200b")
    ('2012<U+200B>', ['U+200B ZERO WIDTH SPACE'])
    >>> visible("Colоmbia")[0]
    'Colо<U+043E>mbia'
    """
    latin = any("a" <= c.lower() <= "z" for c in text)
    if text.isascii() and text.isprintable():
        return text, []
    out, named = [], []
    for ch in text:
        hidden, alike = _hidden(ch), _look_alike(ch, latin)
        if not (hidden or alike):
            out.append(ch)
            continue
        out.append(f"<U+{ord(ch):04X}>" if hidden else f"{ch}<U+{ord(ch):04X}>")
        if _name(ch) not in named:
            named.append(_name(ch))
    return "".join(out), named


def _escape_controls(text: str) -> str:
    """Control characters (NUL, escape, carriage return...) as ``<U+0000>``; a line break and a tab stay."""
    if text.isprintable():
        return text
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cc" and c not in "\n\t" else c for c in text)


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def show_value(value) -> str:
    """A cell value as short, printable text for a message."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # a number cell as the spreadsheet shows it: 3, not 3.0
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


class InputError(Exception):
    """Raised by `load` when the inputs have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errs = errors_in(self.problems)
        super().__init__(f"{len(errs)} input error(s); first: {errs[0] if errs else '-'}")
