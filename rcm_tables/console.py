"""What a person reads on the terminal: the problems in one table, how every row was accounted for, and the
problems as CSV (``validate --report``)."""
from __future__ import annotations

import csv
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


def print_sources(report, stream) -> None:
    """Per file: rows read = used + identical duplicates + rejected (nothing silently dropped)."""
    from rich.table import Table

    if not report.source_counts:
        return  # no export was read: an empty table says nothing the problems do not
    table = Table(title="Rows read = used + duplicates + rejected")
    for header in ("file", "rows read", "used", "duplicates", "rejected", ""):
        table.add_column(header, justify="right" if header not in ("file", "") else "left")
    for s in report.source_counts:
        balanced = s.rows_read == s.used + s.duplicates + s.rejected
        table.add_row(s.file, str(s.rows_read), str(s.used), str(s.duplicates), str(s.rejected),
                      "ok" if balanced else "MISMATCH")
    _console(stream).print(table)


def write_problems_csv(problems: list[Problem], target: Path, outputs: OutputSet | None = None) -> None:
    with staged(outputs) as out:
        with open(out.stage(target), "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=PROBLEM_FIELDS, lineterminator="\n")
            writer.writeheader()
            for p in sort_problems(problems):
                row = p.as_dict()
                writer.writerow({k: "" if row[k] is None else row[k] for k in PROBLEM_FIELDS})
