"""What a person reads on the terminal: the problems in one table, how every row was accounted for, and the
problems as CSV (``validate --report``)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from .outputs import OutputSet, staged
from .problems import Problem

PROBLEM_FIELDS = ("severity", "code", "file", "sheet", "row", "column", "value", "message", "hint")


def _console(stream):
    from rich.console import Console

    return Console(file=stream, width=None if stream.isatty() else 200, highlight=False)


def print_problems(problems: list[Problem], stream) -> None:
    from rich.table import Table

    if not problems:
        return
    table = Table(title="Problems found", show_lines=False)
    for header in ("severity", "file", "sheet", "row", "column", "value", "problem", "how to fix"):
        table.add_column(header, overflow="fold")
    for p in sort_problems(problems):
        table.add_row(p.severity, p.file, p.sheet, "" if p.row is None else str(p.row), p.column, p.value,
                      p.message, p.hint)
    _console(stream).print(table)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(problems, key=lambda p: (order.get(p.severity, 3), p.file, p.sheet, p.row or 0, p.column))


SOURCES_TITLE = "Rows read = used + duplicates + rejected"
SOURCES_HEADERS = ("file", "rows read", "used", "duplicates", "rejected", "")


def print_sources(report, stream) -> None:
    """Per file: rows read = used + identical duplicates + rejected (nothing silently dropped)."""
    if not report.source_counts:
        return  # no export was read: an empty table says nothing the problems do not
    rows = [(s.file, str(s.rows_read), str(s.used), str(s.duplicates), str(s.rejected), source_state(s))
            for s in report.source_counts]
    if not _is_terminal(stream) and _plain_table(rows, stream):
        return
    from rich.table import Table

    table = Table(title=SOURCES_TITLE)
    for header in SOURCES_HEADERS:
        table.add_column(header, justify="right" if header not in ("file", "") else "left")
    for row in rows:
        table.add_row(*row)
    _console(stream).print(table)


def source_state(s) -> str:
    """The sources table's last column: "ok" only for a file whose every row is used or an identical duplicate;
    "rejected" when rows were rejected (the problems say which); "MISMATCH" if the counts do not add up."""
    if s.rows_read != s.used + s.duplicates + s.rejected:
        return "MISMATCH"
    return "rejected" if s.rejected else "ok"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _plain_table(rows: list[tuple[str, ...]], stream, most: int = 200) -> bool:
    """The sources table drawn as rich draws it for a file or a pipe, without rich's layout engine (a decade's
    hundred rows take it a quarter of a second); False when it would not fit ``most`` characters, or holds a
    character that is not ASCII (rich measures those by their width on screen)."""
    if not all(cell.isascii() for row in rows for cell in row):
        return False
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(SOURCES_HEADERS)]
    total = sum(widths) + 3 * len(widths) + 1
    if total > most:
        return False

    def line(cells, left, middle, right, fill=" "):
        parts = [f"{fill}{c.ljust(w) if i in (0, 5) else c.rjust(w)}{fill}" for i, (c, w) in enumerate(zip(cells, widths))]
        return left + middle.join(parts) + right

    def rule(left, middle, right, fill):
        return left + middle.join(fill * (w + 2) for w in widths) + right

    out = [(" " * ((total - len(SOURCES_TITLE)) // 2) + SOURCES_TITLE).ljust(total), rule("┏", "┳", "┓", "━"),
           line(SOURCES_HEADERS, "┃", "┃", "┃"), rule("┡", "╇", "┩", "━")]
    out += [line(r, "│", "│", "│") for r in rows]
    out.append(rule("└", "┴", "┘", "─"))
    stream.write("\n".join(out) + "\n")
    return True


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


def write_problems_csv(problems: list[Problem], target: Path, outputs: OutputSet | None = None) -> None:
    """The problems as a CSV for a person to open in a spreadsheet: every text cell `inert`."""
    with staged(outputs) as out:
        with open(out.stage(target), "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=PROBLEM_FIELDS, lineterminator="\n")
            writer.writeheader()
            for p in sort_problems(problems):
                row = p.as_dict()
                writer.writerow({k: "" if row[k] is None else inert(row[k]) if isinstance(row[k], str) else row[k]
                                 for k in PROBLEM_FIELDS})
