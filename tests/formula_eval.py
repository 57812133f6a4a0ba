"""A small, independent evaluator of the spreadsheet formulas the workbook uses, for the tests.

It reads a workbook's formulas (never the values cached in the file) and its literal cells, and computes every
formula the way Excel and LibreOffice do for the functions the workbook uses: SUMIFS, COUNTIFS, COUNTIF, SUM,
ROUND, SUBSTITUTE, IF, COUNTA, + - * / & and comparisons, cell and range references across sheets, defined names. So a
cached value that is 0 (XlsxWriter's default), stale or wrong shows up as a difference. Anything else raises
`Unsupported`: a formula the evaluator does not know is a test failure, never a silent pass.

Criteria follow Excel: a leading ``= <> < > <= >=`` is an operator; ``=`` and ``<>`` compare text ignoring case
with ``* ? ~`` wildcards, and numbers as numbers (a criterion "2012" matches the number 2012 and the text
"2012"); "" matches empty cells; dates are serial numbers.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import openpyxl
from openpyxl.utils import range_boundaries

EPOCH = dt.datetime(1899, 12, 30)
TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"]|"")*")
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![\w(])
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<func>[A-Z][A-Z0-9.]*)\(
  | (?P<name>[A-Za-z_][\w.]*)
  | (?P<op><=|>=|<>|[-+*/&=<>^(),])
)""", re.X)
COMPARE = {"=": lambda a, b: a == b, "<>": lambda a, b: a != b, "<": lambda a, b: a < b,
           ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


class Unsupported(Exception):
    pass


class Range(list):
    """The values of a range, row by row."""


def literal(value):
    """A stored cell value as a formula sees it: dates as serial numbers."""
    if isinstance(value, dt.datetime):
        return (value - EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EPOCH.date()).days)
    return value


def number(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (bool, int, float)):
        return float(value)
    raise Unsupported(f"arithmetic on text {value!r}")


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def excel_round(value, digits) -> float:
    quantum = Decimal(1).scaleb(-int(number(digits)))
    return float(Decimal(repr(number(value))).quantize(quantum, rounding=ROUND_HALF_UP))


@cache
def matcher(criterion):
    """A predicate on cell values for a SUMIFS/COUNTIFS criterion."""
    if isinstance(criterion, bool):
        return lambda v: v is criterion
    if isinstance(criterion, (int, float)):
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v == criterion
    crit = text(criterion)
    op = next((o for o in ("<=", ">=", "<>", "<", ">", "=") if crit.startswith(o)), "")
    operand = crit[len(op):]
    op = op or "="
    if operand == "" and op in ("=", "<>"):
        return (lambda v: v is None or v == "") if op == "=" else (lambda v: v is not None and v != "")
    try:
        wanted = float(operand)
    except ValueError:
        wanted = None
    pattern = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c[-1])
                                 for c in re.findall(r"~.|[*?]|.", operand, re.S)), re.I | re.S)

    def match(v) -> bool:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return wanted is not None and COMPARE[op](v, wanted)
        if not isinstance(v, str):
            return op == "<>"
        if op in ("=", "<>"):
            return (pattern.fullmatch(v) is not None) == (op == "=")
        return wanted is None and COMPARE[op](v.lower(), operand.lower())

    return match


def _pairs(args, first: int) -> list[tuple[Range, object]]:
    pairs = [(args[i], args[i + 1]) for i in range(first, len(args), 2)]
    if len(args) < first + 2 or (len(args) - first) % 2 or not all(isinstance(r, Range) for r, _ in pairs):
        raise Unsupported("criteria come in (range, criterion) pairs")
    return pairs


def _selected(pairs, length: int) -> list[bool]:
    keep = [True] * length
    for rng, crit in pairs:
        if len(rng) != length:
            raise Unsupported("criteria ranges of different sizes")
        test = matcher(crit)
        keep = [k and test(v) for k, v in zip(keep, rng)]
    return keep


def sumifs(args):
    total = args[0]
    keep = _selected(_pairs(args, 1), len(total))
    return sum(number(v) for v, k in zip(total, keep) if k and isinstance(v, (int, float)) and not isinstance(v, bool))


def countifs(args):
    pairs = _pairs(args, 0)
    return float(sum(_selected(pairs, len(pairs[0][0]))))


def total(args):
    values = [v for a in args for v in (a if isinstance(a, Range) else [number(a)])]
    return sum(v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))


# the arguments that are ranges: SUMIFS(sum range, range, criterion, ...), COUNTIFS(range, criterion, ...)
RANGE_ARGUMENTS = {"SUMIFS": lambda i: i == 0 or i % 2 == 1, "COUNTIFS": lambda i: i % 2 == 0,
                   "COUNTIF": lambda i: i % 2 == 0}
def counta(args):
    values = [v for a in args for v in (a if isinstance(a, Range) else [a])]
    return float(sum(v is not None and v != "" for v in values))


def if_(args):
    if len(args) not in (2, 3) or not isinstance(args[0], bool):
        raise Unsupported("IF(condition, then[, else]) with a TRUE/FALSE condition")
    return args[1] if args[0] else (args[2] if len(args) == 3 else False)


RANGE_ARGUMENTS["COUNTA"] = lambda i: True
FUNCTIONS = {
    "SUMIFS": sumifs, "COUNTIFS": countifs, "COUNTIF": countifs, "SUM": total, "IF": if_, "COUNTA": counta,
    "ROUND": lambda a: excel_round(*a),
    "SUBSTITUTE": lambda a: text(a[0]).replace(text(a[1]), text(a[2])),
}


class Evaluator:
    """Evaluate the formulas of one workbook from its formulas and literal cells only."""

    def __init__(self, path):
        self.book = openpyxl.load_workbook(path)  # formulas, not cached values
        self.names = {name: d.attr_text for name, d in self.book.defined_names.items()}
        self.values: dict[tuple[str, str], object] = {}

    def formula_cells(self):
        for ws in self.book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        yield ws.title, cell.coordinate

    def cell(self, sheet: str, coordinate: str):
        key = (sheet, coordinate)
        if key not in self.values:
            raw = self.book[sheet][coordinate]
            self.values[key] = (_Parser(self, sheet, raw.value).run() if raw.data_type == "f"
                                else literal(raw.value))
        return self.values[key]

    def reference(self, sheet: str, ref: str):
        """A cell's value, or a `Range` of values; ``ref`` may name its sheet."""
        if "!" in ref:
            sheet, ref = ref.rsplit("!", 1)
            sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        ref = ref.replace("$", "")
        if ":" not in ref:
            return self.cell(sheet, ref)
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        ws = self.book[sheet]
        return Range(self.cell(sheet, ws.cell(r, c).coordinate)
                     for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1))


class _Parser:
    """Recursive descent over one formula, evaluating as it goes (Excel's operator precedence)."""

    def __init__(self, book: Evaluator, sheet: str, formula: str):
        self.book, self.sheet = book, sheet
        self.tokens = self._tokens(formula[1:] if formula.startswith("=") else formula)
        self.i = 0

    @staticmethod
    def _tokens(source: str) -> list[tuple[str, str]]:
        out, pos = [], 0
        while pos < len(source.rstrip()):
            m = TOKEN.match(source, pos)
            if not m:
                raise Unsupported(f"cannot read {source[pos:]!r}")
            out.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        return out

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        token = self.peek()
        if value is not None and token[1] != value:
            raise Unsupported(f"expected {value!r}, found {token[1]!r}")
        self.i += 1
        return token

    def run(self):
        value = self.comparison()
        if self.i != len(self.tokens):
            raise Unsupported(f"left over: {self.tokens[self.i:]}")
        return value

    def comparison(self):
        left = self.concat()
        while self.peek()[1] in COMPARE:
            op = self.take()[1]
            right = self.concat()
            if isinstance(left, str) or isinstance(right, str):
                left = COMPARE[op](text(left).lower(), text(right).lower())
            else:
                left = COMPARE[op](number(left), number(right))
        return left

    def concat(self):
        left = self.additive()
        while self.peek()[1] == "&":
            self.take()
            left = text(left) + text(self.additive())
        return left

    def additive(self):
        left = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = number(self.term())
            left = number(left) + right if op == "+" else number(left) - right
        return left

    def term(self):
        left = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = number(self.unary())
            left = number(left) * right if op == "*" else number(left) / right
        return left

    def unary(self):
        if self.peek()[1] in ("-", "+"):
            sign = -1 if self.take()[1] == "-" else 1
            return sign * number(self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "number":
            return float(value)
        if kind == "string":
            return value[1:-1].replace('""', '"')
        if kind == "ref":
            return self.book.reference(self.sheet, value)
        if kind == "name" and value.upper() in ("TRUE", "FALSE"):
            return value.upper() == "TRUE"
        if kind == "name":
            if value not in self.book.names:
                raise Unsupported(f"unknown name {value!r}")
            return self.book.reference(self.sheet, self.book.names[value])
        if kind == "func":
            return self.call(value)
        if value == "(":
            inner = self.comparison()
            self.take(")")
            return inner
        raise Unsupported(f"unexpected {value!r}")

    def call(self, name: str):
        if name not in FUNCTIONS:
            raise Unsupported(f"function {name}")
        args = []
        if self.peek()[1] != ")":
            args.append(self.argument(name, 0))
            while self.peek()[1] == ",":
                self.take()
                args.append(self.argument(name, len(args)))
        self.take(")")
        return FUNCTIONS[name](args)

    def argument(self, function: str, position: int):
        """One argument. Where SUMIFS and COUNTIFS take a range, a reference to one cell (a defined name over a
        single row, as Opening_Received is with one opening balance) is a range of one cell, as in Excel and
        LibreOffice."""
        start = self.i
        kind = self.peek()[0]
        value = self.comparison()
        takes_range = function in RANGE_ARGUMENTS and RANGE_ARGUMENTS[function](position)
        if takes_range and kind in ("ref", "name") and self.i == start + 1 and not isinstance(value, Range):
            return Range([value])
        return value
