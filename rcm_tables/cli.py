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
from .outputs import Output, OutputError, OutputSet, check_cache, check_outputs
from .streams import make_safe

TIMINGS_ENV = "RCM_TABLES_TIMINGS"  # a file: where `build` writes the seconds each phase took (JSON)
INTERNAL_ERROR = 3  # exit code of a bug in rcm-tables (0, 1 and 2 are the user's)


class UsageError(Exception):
    pass


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
    if args.cache_dir is None:
        return True
    files, folders = _input_paths(args)
    try:
        check_cache(args.cache_dir, files, folders)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    return args.cache_dir


def _check_inputs(args) -> None:
    if (args.exports is None or args.reference is None) and not paths.in_checkout():
        raise UsageError(f"{paths.SAMPLE_NOT_INSTALLED}: pass --exports DIR and --reference FILE, e.g. "
                         f"rcm-tables {args.command} --exports ~/IOM/exports --reference ~/IOM/reference.xlsx")
    for given, what in ((args.exports, "exports folder"), (args.reference, "reference workbook")):
        if given is not None and not given.exists():
            raise UsageError(f"the {what} {str(given)!r} does not exist")
    if args.exports is not None and not args.exports.is_dir():
        raise UsageError(f"--exports {str(args.exports)!r} is not a folder: give the folder the exports are in")
    if args.reference is not None and not args.reference.is_file():
        raise UsageError(f"--reference {str(args.reference)!r} is not a file (a folder, a pipe or a device)")


def _input_paths(args, *more: Path | None, files: tuple[Path, ...] = ()) -> tuple[list[Path], list[Path]]:
    """(input files, input folders) of a run: what no output may touch."""
    exports = args.exports if args.exports is not None else paths.SAMPLE_EXPORTS
    reference = args.reference if args.reference is not None else paths.SAMPLE_REFERENCE
    folders = [exports] + [p for p in more if p is not None]
    return [reference, *files], folders


def _check(outputs: list[Output], args, force: bool, *more_inputs: Path | None, files: tuple[Path, ...] = ()) -> None:
    files, folders = _input_paths(args, *more_inputs, files=files)
    try:
        check_outputs(outputs, files, folders, force)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


def _use_folder(args) -> Path | None:
    """``build DIR`` / ``validate DIR``: the inputs of a folder laid out by init (the folder, or None)."""
    if args.folder is None:
        return None
    if args.exports is not None or args.reference is not None:
        raise UsageError("give either a folder DIR or --exports and --reference, not both")
    from .init import InitError, folder_inputs

    try:
        args.exports, args.reference = folder_inputs(args.folder)
    except InitError as exc:
        raise UsageError(str(exc)) from None
    return args.folder


def _validate(args) -> int:
    from . import load

    _use_folder(args)
    _check_inputs(args)
    if args.report is not None:
        _check([Output("--report", args.report)], args, force=True)
    steps = progress(args)
    report = load(args.exports, args.reference, args.as_of, strict=False, cache=cache_choice(args),
                  progress=steps, jobs=None)
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
    from . import load
    from .csvfiles import write_csv
    from .document import command as document_command
    from .published import PublishedError
    from .published import read as read_published
    from .workbook import write_workbook

    out, csv_dir, defaults = _build_outputs(args)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out must name an .xlsx file, not {str(out)!r}")
    problem = document_command.check_usage(args)
    if problem is not None:
        raise UsageError(problem)
    outputs = [Output("--out", out)] + ([Output("--csv", csv_dir, folder=True)] if csv_dir is not None else [])
    outputs += document_command.outputs(args)
    _check(outputs, args, args.force or defaults, args.published,
           files=tuple(document_command.inputs(args)))
    if args.published is not None:
        try:
            read_published(args.published)  # fail before the long part of the build
        except PublishedError as exc:
            raise UsageError(f"--published: {exc}") from None
    steps = progress(args)
    report = load(args.exports, args.reference, args.as_of, strict=False, cache=cache_choice(args), progress=steps,
                  jobs=None)
    documents = document_command.prepare(args, report) if report.ok else document_command.Prepared()
    problems = list(report.problem_list) + documents.problems
    show_problems(problems, report, args)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"rcm-tables: {len(errors)} error(s) in the inputs; nothing was written.", file=sys.stderr)
        return 1
    if args.since is not None and args.since >= report.as_of:
        raise UsageError(f"--since {args.since} is not before the as-of date {report.as_of}: nothing was written")
    try:
        with OutputSet() as staged:  # every output is written, then all are moved into place together
            steps.start("workbook")
            write_workbook(report, out, published=args.published, ledger_detail=args.ledger_detail, outputs=staged,
                           since=args.since)
            if csv_dir is not None:
                steps.start("csv")
                write_csv(report.tables, csv_dir, outputs=staged)
            if documents.documents or documents.statements:
                steps.start("document")
            written = document_command.write(args, report, documents, staged)
    except PublishedError as exc:
        raise UsageError(f"--published: {exc}") from None
    except OSError as exc:
        raise UsageError(_cannot_write(Path(exc.filename) if exc.filename else out, exc)) from None
    say(args, f"wrote {out}")
    if csv_dir is not None:
        say(args, f"wrote {len(report.tables)} CSV files to {csv_dir}")
    for line in written:
        say(args, line)
    if os.environ.get(TIMINGS_ENV):
        steps.save(Path(os.environ[TIMINGS_ENV]))
    timings(args, steps)
    say(args, f"as of {report.as_of}; {len(report.ledger_cents)} ledger lines from {len(report.source_counts)} export(s); "
          f"{sum(s.duplicates for s in report.source_counts)} identical duplicate(s) counted once")
    return 0


def _build_outputs(args) -> tuple[Path, Path | None, bool]:
    """(workbook, CSV folder or None, whether they are default outputs that a build replaces without --force).

    The sample (no inputs given) goes to the checkout's workbooks/output/; a folder made by init to its own
    output/ (workbook and CSVs); other inputs to --out, by default ./rcm-report.xlsx outside a checkout.
    """
    sample = args.folder is None and args.exports is None and args.reference is None
    folder = _use_folder(args)
    _check_inputs(args)
    if folder is not None:
        default_out, default_csv = folder / "output" / "rcm-report.xlsx", folder / "output" / "csv"
    elif paths.in_checkout():  # outside one: --out defaults to ./rcm-report.xlsx, and no CSVs unless --csv
        default_out, default_csv = paths.DEFAULT_WORKBOOK, paths.DEFAULT_CSV_DIR
    else:
        default_out, default_csv = paths.INSTALLED_WORKBOOK, None
    csv_dir = args.csv or (default_csv if args.out is None else None)
    return args.out or default_out, csv_dir, args.out is None and (sample or folder is not None)


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
    return (f"cannot write {str(path)!r} ({exc.strerror or exc}): check that its folder exists and may be "
            "written, and close the file if another program (Excel) has it open")


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
