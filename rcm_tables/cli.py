"""The `rcm-tables` command: thin wrappers that parse options, call `load`, print problems, set the exit code.

Exit codes: 0 done (warnings allowed), 1 input errors (every problem printed, nothing written), 2 usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from . import paths
from .problems import ERROR, InputError, Problem

BUILD_EXAMPLE = """example:
  rcm-tables build                                   # the bundled 2012 sample -> workbooks/output/
  rcm-tables build --exports ~/IOM/exports --reference ~/IOM/reference.xlsx \\
                   --as-of 2012-10-31 --out report-2012-10.xlsx --csv report-2012-10-csv
"""


TIMINGS_ENV = "RCM_TABLES_TIMINGS"  # a file: where `build` writes the seconds each phase took (JSON)


class UsageError(Exception):
    pass


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rcm-tables",
        description="Financial tables of the RCM Technical Secretariat from monthly IOM exports.",
        epilog=BUILD_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser(
        "build", help="validate the inputs and write the report workbook (and CSVs)",
        description="Validate the inputs, then write the report workbook and, with --csv, one CSV per table. "
                    "With no options it builds the bundled sample into workbooks/output/.",
        epilog=BUILD_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--exports", type=Path, metavar="DIR", help="folder of monthly IOM exports (*.xlsx)")
    build.add_argument("--reference", type=Path, metavar="FILE", help="the Secretariat's reference workbook")
    build.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                       help="cut-off date (default: the latest posting date in the exports)")
    build.add_argument("--out", type=Path, metavar="FILE.xlsx", help="the workbook to write")
    build.add_argument("--csv", type=Path, metavar="DIR", help="also write one tidy CSV per table here")
    build.add_argument("--force", action="store_true", help="overwrite an existing output workbook")
    add_cache_options(build)
    return parser


def add_cache_options(command: argparse.ArgumentParser) -> None:
    """--cache-dir / --no-cache: where parsed exports are kept between runs (rcm_tables.cache)."""
    group = command.add_mutually_exclusive_group()
    group.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="keep parsed exports here (default: $RCM_TABLES_CACHE, else the user's cache folder)")
    group.add_argument("--no-cache", action="store_true", help="parse every export; read and write no cache")


def cache_choice(args) -> Path | bool:
    """What `load(cache=...)` gets from the options: False, a folder, or True (the default folder)."""
    if args.no_cache:
        return False
    return args.cache_dir if args.cache_dir is not None else True


def _print_problems(problems: list[Problem], stream) -> None:
    from rich.console import Console
    from rich.table import Table

    if not problems:
        return
    console = Console(file=stream, width=200 if not stream.isatty() else None)
    table = Table(title="Problems found", show_lines=False)
    for header in ("severity", "file", "sheet", "row", "column", "value", "problem", "how to fix"):
        table.add_column(header, overflow="fold")
    order = {"error": 0, "warning": 1, "note": 2}
    for p in sorted(problems, key=lambda p: (order.get(p.severity, 3), p.file, p.row or 0)):
        table.add_row(p.severity, p.file, p.sheet, "" if p.row is None else str(p.row), p.column, p.value,
                      p.message, p.hint)
    console.print(table)


def _build(args) -> int:
    from . import load
    from .csvout import write_csv
    from .progress import progress_for
    from .workbook import write_workbook

    defaults = args.exports is None and args.reference is None and args.out is None
    out = args.out or paths.DEFAULT_WORKBOOK
    csv_dir = args.csv or (paths.DEFAULT_CSV_DIR if args.out is None else None)
    for given, what in ((args.exports, "exports folder"), (args.reference, "reference workbook")):
        if given is not None and not given.exists():
            raise UsageError(f"the {what} {str(given)!r} does not exist")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out must name an .xlsx file, not {str(out)!r}")
    if out.exists() and not args.force and not defaults:
        raise UsageError(f"{str(out)!r} exists; pass --force to overwrite it")
    steps = progress_for(sys.stderr)
    try:
        report = load(args.exports, args.reference, args.as_of, cache=cache_choice(args), progress=steps,
                      jobs=None)
    except InputError as exc:
        _print_problems(exc.problems, sys.stderr)
        n = sum(1 for p in exc.problems if p.severity == ERROR)
        print(f"rcm-tables: {n} error(s) in the inputs; nothing was written.", file=sys.stderr)
        return 1
    _print_problems(list(report.problems), sys.stderr)
    steps.start("workbook")
    write_workbook(report, out)
    print(f"wrote {out}")
    if csv_dir is not None:
        steps.start("csv")
        write_csv(report.tables, csv_dir)
        print(f"wrote {len(report.tables)} CSV files to {csv_dir}")
    if os.environ.get(TIMINGS_ENV):
        steps.save(Path(os.environ[TIMINGS_ENV]))
    print(f"as of {report.as_of}; {len(report.ledger)} ledger lines from {len(report.sources)} export(s); "
          f"{sum(s.duplicates for s in report.sources)} identical duplicate(s) counted once")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return _build(args)
    except UsageError as exc:
        print(f"rcm-tables: {exc}", file=sys.stderr)
        return 2
    finally:
        if argv is None:  # run as the program, which ends next: spare the interpreter's last full garbage
            gc.freeze()   # collections over a decade of lines (0.3 s)


if __name__ == "__main__":
    sys.exit(main())
