"""What a person reads on the terminal: the problems in one table, how every row was accounted for, and the
problems as CSV (``validate --report``)."""
from __future__ import annotations

import csv
import re
import sys
import datetime as dt
from pathlib import Path

from .outputs import OutputSet, close_xlsx, staged
from .problems import Problem
from .streams import is_unicode

_EPOCH = dt.datetime(2000, 1, 1)  # a fixed creation date: the same problems give the same bytes
PROBLEM_FIELDS = ("severity", "code", "file", "sheet", "row", "column", "value", "message", "hint")


def _console(stream):
    from rich.console import Console

    return Console(file=stream, width=None if stream.isatty() else 200, highlight=False)


NARROW = 120  # a terminal narrower than this lists the problems one block each: a table's columns would fold


PROBLEMS_TITLE = "Problems found"
PROBLEMS_HEADERS = ("severity", "file", "sheet", "row", "column", "value", "problem", "how to fix")


def print_problems(problems: list[Problem], stream, quiet: bool = False) -> None:
    """Every problem, in a table; on a terminal narrower than `NARROW`, one block per problem. ``quiet`` leaves
    the notes out. The cells are text, never rich's markup: a value such as "[/x]" is printed as it is."""
    if quiet:
        problems = [p for p in problems if p.severity != "note"]
    if not problems:
        return
    rows = [tuple("" if cell is None else str(cell) for cell in (p.severity, p.file, p.sheet, p.row, p.column,
                                                                 p.value, p.message, p.hint))
            for p in sort_problems(problems)]
    if not _is_terminal(stream) and _drawn(PROBLEMS_TITLE, PROBLEMS_HEADERS, rows, stream):
        return
    console = _console(stream)
    if _is_terminal(stream) and console.width < NARROW:
        stream.write(problem_blocks(problems, console.width))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=PROBLEMS_TITLE, show_lines=False)
    for header in PROBLEMS_HEADERS:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)


def _drawn(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]], stream,
           right: frozenset[int] = frozenset(), fold: bool = True) -> bool:
    """The table written to ``stream`` as rich would draw it for a file or a pipe, without rich
    (`plaintable`); False when rich must draw it (text that is not printable ASCII, a stream without the
    box-drawing characters, a table too wide even wrapped)."""
    from .plaintable import draw

    text = draw(title, headers, rows, right=right, fold=fold) if is_unicode(stream) else None
    if text is None:
        return False
    stream.write(text)
    return True


def problem_blocks(problems: list[Problem], width: int = 80) -> str:
    """The problems as text, one block each (the severity and code, where, the value, the problem, the fix),
    wrapped to ``width``: readable on a narrow terminal, where a table's columns would be a few letters wide.

    >>> from rcm_tables.problems import Code, problem
    >>> print(problem_blocks([problem(Code.FILE_IGNORED, "not an export; ignored", file="notes.txt")]), end="")
    Problems found: 1
    <BLANKLINE>
    note file-ignored
      where:   notes.txt
      problem: not an export; ignored
    """
    import textwrap

    out = [f"Problems found: {len(problems)}"]
    for p in sort_problems(problems):
        where = ", ".join(f"{label} {value}" if label else value for label, value in (
            ("", p.file), ("sheet", p.sheet), ("row", "" if p.row is None else str(p.row)), ("column", p.column))
            if value)
        out += ["", f"{p.severity} {p.code.value}"]
        for label, text in (("where", where), ("value", p.value), ("problem", p.message), ("fix", p.hint)):
            if text:
                out += textwrap.wrap(text, max(width, 40), initial_indent=f"  {label + ':':<9}",
                                     subsequent_indent=" " * 11, break_on_hyphens=False) or [f"  {label}:"]
    return "\n".join(out) + "\n"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(problems, key=lambda p: (order.get(p.severity, 3), p.file, p.sheet, p.row or 0, p.column))


SOURCES_TITLE = "Rows read = used + duplicates + rejected"
SOURCES_HEADERS = ("file", "rows read", "used", "duplicates", "rejected", "")


def print_sources(report, stream) -> None:
    """Per file: rows read = used + identical duplicates + rejected (nothing silently dropped)."""
    if not report.source_counts:
        return  # no export was read: an empty table says nothing the problems do not
    # files an error stopped before any row (unreadable, protected, no header): none of their rows was read
    stopped = {p.file for p in report.problem_list if p.severity == "error" and p.row is None}
    rows = [(s.file, str(s.rows_read), str(s.used), str(s.duplicates), str(s.rejected),
             source_state(s, s.rows_read == 0 and s.file in stopped)) for s in report.source_counts]
    if not _is_terminal(stream) and _drawn(SOURCES_TITLE, SOURCES_HEADERS, rows, stream, frozenset({1, 2, 3, 4}),
                                                  fold=False):
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=SOURCES_TITLE)
    for header in SOURCES_HEADERS:
        table.add_column(header, justify="right" if header not in ("file", "") else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    _console(stream).print(table)


def source_state(s, stopped: bool = False) -> str:
    """The sources table's last column: "ok" only for a file whose every row is used or an identical duplicate;
    "rejected" when rows were rejected (the problems say which); "MISMATCH" if the counts do not add up; "not read"
    for a file an error stopped before its rows (``stopped``: it said "ok", with its 0 rows)."""
    if s.rows_read != s.used + s.duplicates + s.rejected:
        return "MISMATCH"
    if stopped:
        return "not read"
    return "rejected" if s.rejected else "ok"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK, @SUM, +cmd|..., DDE)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[\d.,\s]*")


def inert(text: str) -> str:
    """A problems-report cell as a spreadsheet shows it and never runs it: text that would start a formula gets a
    leading apostrophe; a plain number such as -1,234.56 is left as it is.

    >>> inert("@SUM(A1)"), inert("-1,234.56"), inert("Panama")
    ("'@SUM(A1)", '-1,234.56', 'Panama')
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_problems(problems: list[Problem], target: Path, outputs: OutputSet | None = None) -> None:
    """The problems report for a person to open in a spreadsheet: a workbook when ``target`` ends in .xlsx,
    otherwise a CSV."""
    if target.suffix.lower() == ".xlsx":
        write_problems_xlsx(problems, target, outputs)
    else:
        write_problems_csv(problems, target, outputs)


def _report_rows(problems: list[Problem]) -> list[dict]:
    return [{k: "" if row[k] is None else row[k] for k in PROBLEM_FIELDS}
            for row in (p.as_dict() for p in sort_problems(problems))]


def write_problems_csv(problems: list[Problem], target: Path, outputs: OutputSet | None = None) -> None:
    """The problems as a CSV for a person to open in a spreadsheet: every text cell `inert`; UTF-8 with a
    byte-order mark, which Excel needs to read "Panamá" as UTF-8 rather than in the Windows code page."""
    with staged(outputs) as out:
        with open(out.stage(target), "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.DictWriter(fh, fieldnames=PROBLEM_FIELDS, lineterminator="\n")
            writer.writeheader()
            for row in _report_rows(problems):
                writer.writerow({k: inert(v) if isinstance(v, str) else v for k, v in row.items()})


REPORT_WIDTHS = {"severity": 9, "code": 22, "file": 28, "sheet": 16, "row": 7, "column": 16, "value": 24,
                 "message": 60, "hint": 60}  # the most characters a column is widened to


def write_problems_xlsx(problems: list[Problem], target: Path, outputs: OutputSet | None = None) -> None:
    """The problems as a workbook: one sheet, the header frozen, an autofilter, columns as wide as their text
    (up to `REPORT_WIDTHS`, the problem and the fix wrapped); every text cell a string, never a formula."""
    import xlsxwriter

    rows = _report_rows(problems)
    with staged(outputs) as out:
        book = xlsxwriter.Workbook(str(out.stage(target)), {"strings_to_formulas": False, "strings_to_urls": False,
                                                             "strings_to_numbers": False})
        book.set_properties({"title": "rcm-tables: problems found", "created": _EPOCH})
        sheet = book.add_worksheet("Problems")
        bold, wrap = book.add_format({"bold": True}), book.add_format({"text_wrap": True, "valign": "top"})
        top = book.add_format({"valign": "top"})
        for col, field in enumerate(PROBLEM_FIELDS):
            sheet.write_string(0, col, field, bold)
            longest = max([len(field)] + [len(str(r[field])) for r in rows])
            sheet.set_column(col, col, min(longest, REPORT_WIDTHS[field]) + 2,
                             wrap if field in ("message", "hint") else top)
        for r, row in enumerate(rows, start=1):
            for col, field in enumerate(PROBLEM_FIELDS):
                value = row[field]
                if isinstance(value, int):
                    sheet.write_number(r, col, value)
                elif value != "":
                    sheet.write_string(r, col, str(value))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(PROBLEM_FIELDS) - 1)
        close_xlsx(book)


# ------------------------------------------------------------------ what every command prints, and how much


def add_output_options(command) -> None:
    """--quiet / --verbose: how much a command prints besides its errors and warnings."""
    group = command.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true",
                       help="print only errors and warnings (no notes, no table of rows read, no progress bar, "
                            "no 'wrote' lines)")
    group.add_argument("-v", "--verbose", action="store_true", help="also print how long each step took")


def expand_user(args) -> None:
    """``~`` at the start of a path option is the user's home folder, as a POSIX shell expands it: cmd.exe and
    PowerShell pass it on as typed, and so does a POSIX shell in ``--out=~/report.xlsx``."""
    for name, value in vars(args).items():
        if isinstance(value, Path) and str(value).startswith("~"):
            setattr(args, name, value.expanduser())


def progress(args):
    """The progress bar on standard error (a terminal only), none with --quiet."""
    from .progress import Steps, progress_for

    return Steps() if getattr(args, "quiet", False) else progress_for(sys.stderr)


def show_problems(problems: list[Problem], report, args) -> None:
    """Every command prints the problems, then the rows read, on standard output."""
    quiet = getattr(args, "quiet", False)
    print_problems(problems, sys.stdout, quiet=quiet)
    if not quiet:
        print_sources(report, sys.stdout)


def say(args, line: str) -> None:
    """A line of what was done (wrote ..., the counts), left out with --quiet."""
    if not getattr(args, "quiet", False):
        print(line)


def timings(args, steps) -> None:
    """With --verbose, the seconds each step took."""
    if getattr(args, "verbose", False):
        steps.stop()
        print("seconds: " + ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in steps.timings.items()))
