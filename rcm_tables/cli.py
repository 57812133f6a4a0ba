"""The `rcm-tables` command: thin wrappers that parse options, call `load`, print problems, set the exit code.

Exit codes: 0 done (warnings allowed), 1 input errors (every problem printed, nothing written), 2 usage error,
3 internal error (a bug: one line, the traceback in a log file, see `rcm_tables.crashlog`), 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from . import paths
from .console import add_output_options, expand_user, progress, say, show_problems, timings, write_problems
from .crashlog import LOG_ENV, report_internal_error  # noqa: F401  (LOG_ENV: where the log goes)
from .helptext import BUILD_EXAMPLE, VALIDATE_EXAMPLE, VERIFY_EXAMPLE
from .outputs import Output, OutputError, check_outputs
from .pipeline import RequestError
from .streams import make_safe

TIMINGS_ENV = "RCM_TABLES_TIMINGS"  # a file: where `build` writes the seconds each phase took (JSON)
INTERNAL_ERROR = 3  # exit code of a bug in rcm-tables (0, 1 and 2 are the user's)


UsageError = RequestError  # a usage error of the command line is one of the request: exit 2


class Terminated(BaseException):
    """SIGTERM: raised where the program is, so that every `finally` runs (temporary files are removed, the
    parsing processes stopped) before it exits with 143."""


def _on_sigterm(signum, frame):
    raise Terminated()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", type=Path, metavar="DIR",
                        help="a folder made by rcm-tables init: the same as --exports DIR/exports --reference "
                             "DIR/reference.xlsx")
    parser.add_argument("--exports", type=Path, metavar="DIR", help="folder of monthly IOM exports (*.xlsx)")
    parser.add_argument("--reference", type=Path, metavar="FILE", help="the Secretariat's reference workbook")
    parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                        help="cut-off date (default: the latest posting date in the exports)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rcm-tables",
        description="Financial tables of the RCM Technical Secretariat from monthly IOM exports.",
        epilog=BUILD_EXAMPLE + "\n" + VALIDATE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    from . import __version__

    parser.add_argument("--version", action="version", version=f"rcm-tables {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser(
        "build", help="validate the inputs and write the report workbook (and CSVs)",
        description="Validate the inputs, then write the report workbook and, with --csv, one CSV per table. "
                    "With no options it builds the bundled sample into workbooks/output/.",
        epilog=BUILD_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    _inputs(build)
    build.add_argument("--out", type=Path, metavar="FILE.xlsx", help="the workbook to write")
    build.add_argument("--csv", type=Path, metavar="DIR", help="also write one tidy CSV per table here")
    build.add_argument("--force", action="store_true", help="overwrite an existing output workbook")
    from .workbook import LEDGER_DETAILS, SUMMARY_THRESHOLD  # the package alone: no pandas for --help

    build.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                       help="the date of the last report: adds a Changes sheet, what arrived after it")
    build.add_argument("--ledger-detail", choices=LEDGER_DETAILS, default="auto",
                       help="what the workbook's Ledger sheet holds: every line (all); or the expense lines posted "
                            "on or before the as-of date summarised, one row per file, period, fund, account and "
                            "budget line, with every line in a CSV beside the workbook (summary); or summary above "
                            f"{SUMMARY_THRESHOLD:,} ledger lines (auto, the default)")
    build.add_argument("--published", type=Path, metavar="DIR",
                       help="a folder of the published report's tables as CSV: adds a 'Published vs computed' sheet")
    from .document import command as document_command

    document_command.add_options(build)
    validate = sub.add_parser(
        "validate", help="check the inputs and list every problem, writing no workbook",
        description="Run every check on the exports and the reference workbook and print all problems in one "
                    "table. Exit 1 if there is any error, 0 when there are only warnings.",
        epilog=VALIDATE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    _inputs(validate)
    validate.add_argument("--report", type=Path, metavar="FILE.csv|FILE.xlsx",
                          help="also write the problems to this file: a workbook when the name ends in .xlsx "
                               "(a filter on every column), otherwise a CSV (UTF-8 with a byte-order mark)")
    verify = sub.add_parser(
        "verify", help="check a workbook's inputs and rebuild it: is it what its inputs give?",
        description="Check the inputs' SHA-256 against those the workbook's Sources sheet records (naming every "
                    "input added, missing or changed), rebuild with the options its Cover records, and compare "
                    "byte for byte; where the bytes differ, say which sheets and cells. Exit 0 when identical, "
                    "1 otherwise.", epilog=VERIFY_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify.add_argument("workbook", type=Path, metavar="WORKBOOK.xlsx", help="the workbook to verify")
    verify.add_argument("--exports", type=Path, metavar="DIR", required=True, help="the folder of exports")
    verify.add_argument("--reference", type=Path, metavar="FILE", required=True, help="the reference workbook")
    verify.add_argument("--published", type=Path, metavar="DIR",
                        help="the published tables, when the workbook was built with them")
    for command in (build, validate, verify):
        add_cache_options(command)
        add_output_options(command)
    from . import notebooks

    notebooks.add_parser(sub)
    from .init import command as init_command

    init_command.add_parser(sub)
    return parser


def add_cache_options(command: argparse.ArgumentParser) -> None:
    """--cache-dir / --no-cache: where parsed exports are kept between runs (rcm_tables.inputs.cache)."""
    group = command.add_mutually_exclusive_group()
    group.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="keep parsed exports here (default: $RCM_TABLES_CACHE, else the user's cache folder)")
    group.add_argument("--no-cache", action="store_true", help="parse every export; read and write no cache")


def cache_choice(args) -> Path | bool:
    """What `load(cache=...)` gets from the options: False, a folder, or True (the default folder)."""
    if args.no_cache:
        return False
    return True if args.cache_dir is None else args.cache_dir


def _request(args, **more):
    """The options as a `BuildRequest` (rcm_tables.pipeline): what the library builds."""
    from .pipeline import BuildRequest

    return BuildRequest(folder=args.folder, exports=args.exports, reference=args.reference, as_of=args.as_of,
                        cache=cache_choice(args), **more)


def _validate(args) -> int:
    from .pipeline import resolve_inputs, validate

    request = resolve_inputs(_request(args))
    if args.report is not None:
        try:
            files, folders = request.input_paths()
            check_outputs([Output("--report", args.report)], files, folders, force=True)
        except OutputError as exc:
            raise UsageError(str(exc)) from None
    steps = progress(args)
    report = validate(request, progress=steps)
    show_problems(list(report.problem_list), report, args)
    if args.report is not None:
        try:
            write_problems(list(report.problem_list), args.report)
        except OSError as exc:
            raise UsageError(_cannot_write(args.report, exc)) from None
        say(args, f"wrote {args.report}")
    n_err = len(report.errors)
    n_warn = sum(1 for p in report.problem_list if p.severity == "warning")
    say(args, f"{n_err} error(s), {n_warn} warning(s) in {len(report.source_counts)} export(s) and "
               f"{report.reference.file}")
    timings(args, steps)
    return 1 if n_err else 0



def _build(args) -> int:
    from .pipeline import build

    request = _request(args, out=args.out, csv=args.csv, force=args.force, published=args.published,
                       since=args.since, ledger_detail=args.ledger_detail, docx=args.docx, langs=args.lang,
                       template=args.template, activities=args.activities, statements=args.statements)
    steps = progress(args)
    result = build(request, progress=steps)
    report = result.report
    show_problems(list(result.problems), report, args)
    if not result.ok:
        print(f"rcm-tables: {len(result.errors)} error(s) in the inputs; nothing was written.", file=sys.stderr)
        return 1
    for line in result.lines:
        say(args, line)
    if os.environ.get(TIMINGS_ENV):
        steps.save(Path(os.environ[TIMINGS_ENV]))
    timings(args, steps)
    say(args, f"as of {report.as_of}; {len(report.ledger_cents)} ledger lines from {len(report.source_counts)} export(s); "
          f"{sum(s.duplicates for s in report.source_counts)} identical duplicate(s) counted once")
    return 0


def _init(args) -> int:
    from .init import InitError
    from .init import command as init_command

    try:
        return init_command.run(args)
    except InitError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(_cannot_write(Path(exc.filename) if exc.filename else args.folder, exc)) from None


def _verify(args) -> int:
    from .verify import NotOurWorkbook, verify

    for given, what, check in ((args.workbook, "workbook", Path.is_file), (args.exports, "exports folder", Path.is_dir),
                               (args.reference, "reference workbook", Path.is_file),
                               (args.published, "published folder", Path.is_dir)):
        if given is not None and not check(given):
            raise UsageError(f"the {what} {str(given)!r} does not exist or is not a {what.split()[-1]}")
    try:
        verdict = verify(args.workbook, args.exports, args.reference, args.published, cache=cache_choice(args))
    except NotOurWorkbook as exc:
        raise UsageError(str(exc)) from None
    for line in verdict.inputs:
        print(f"input {line}")
    if verdict.versions and not args.quiet:
        print(f"note: rebuilt with other versions than the workbook records: {verdict.versions}; other versions may "
              "give other bytes (constraints.txt in the source lists the versions the tests passed with)")
    for line in verdict.cells:
        print(f"differs: {line}")
    if verdict.ok:
        print(f"{args.workbook}: verified: the same inputs, and the rebuild is identical byte for byte")
        return 0
    what = "the rebuild is identical" if verdict.identical else "the rebuild differs"
    print(f"{args.workbook}: NOT verified: {len(verdict.inputs)} input(s) differ; {what}")
    return 1


def _notebooks(args) -> int:
    from .notebooks import run

    try:
        return run(args)
    except OSError as exc:
        raise UsageError(_cannot_write(Path(exc.filename) if exc.filename else args.folder, exc)) from None


def _cannot_write(path: Path, exc: OSError) -> str:
    from .pipeline import cannot_write

    return cannot_write(path, exc)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        make_safe(stream)  # a Windows code page or LANG=C: what it cannot encode is written in ASCII
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        expand_user(args)
        return {"validate": _validate, "verify": _verify, "init": _init,
                "notebooks": _notebooks}.get(args.command, _build)(args)
    except Terminated:
        print("rcm-tables: terminated (files are written whole or not at all: none is left half-written)",
              file=sys.stderr)
        return 143
    except UsageError as exc:
        print(f"rcm-tables: {exc}", file=sys.stderr)
        return 2

    except KeyboardInterrupt:
        print("rcm-tables: interrupted (files are written whole or not at all: none is left half-written)",
              file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: every user's mistake above is a problem or a UsageError
        report_internal_error(exc, sys.argv[1:] if argv is None else list(argv))
        return INTERNAL_ERROR
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if argv is None:  # run as the program, which ends next: spare the interpreter's last full garbage
            gc.freeze()   # collections over a decade of lines (0.3 s)


if __name__ == "__main__":
    sys.exit(main())
