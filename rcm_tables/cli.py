"""The `rcm-tables` command line: every option of every command (the one module that speaks argparse), and `main`,
which reads them and hands them to the command's handler in `rcm_tables.commands`.

Exit codes: 0 done (warnings allowed), 1 input errors (every problem printed, nothing written), 2 usage error,
3 internal error (a bug: one line, the traceback in a log file, see `rcm_tables.crashlog`), 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM). `--help` imports neither pandas nor the library's writers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import errno
import gc
import os
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()  # the program's start, near enough: what `build` counts as start-up begins here

from .console import add_output_options, expand_user
from .crashlog import LOG_ENV, report_internal_error  # noqa: F401  (LOG_ENV: where the log goes)
from .helptext import BUILD_EXAMPLE, INIT_EXAMPLE, SERVE_EXAMPLE, VALIDATE_EXAMPLE, VERIFY_EXAMPLE
from .pipeline import RequestError
from .streams import make_safe

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
    _input_files(parser)
    parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                        help="cut-off date (default: the latest posting date in the exports)")


def _input_files(parser: argparse.ArgumentParser) -> None:
    """DIR (a folder made by init) or --exports and --reference: build, validate and verify alike."""
    parser.add_argument("folder", nargs="?", type=Path, metavar="DIR",
                        help="a folder made by rcm-tables init: the same as --exports DIR/exports --reference "
                             "DIR/reference.xlsx")
    parser.add_argument("--exports", type=Path, metavar="DIR", help="folder of monthly IOM exports (*.xlsx)")
    parser.add_argument("--reference", type=Path, metavar="FILE", help="the Secretariat's reference workbook")


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
    _document_options(build)
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
                    "byte for byte, else cell by cell (values and formulas: a workbook opened and saved again "
                    "in another program verifies); name each cell that differs. Exit 0 when verified, "
                    "1 otherwise.", epilog=VERIFY_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify.add_argument("workbook", type=Path, metavar="WORKBOOK.xlsx", help="the workbook to verify")
    _input_files(verify)
    verify.add_argument("--published", type=Path, metavar="DIR",
                        help="the published tables, when the workbook was built with them")
    for command in (build, validate, verify):
        add_cache_options(command)
        add_output_options(command)
    _init_parser(sub)
    _serve_parser(sub)
    _notebooks_parser(sub)
    return parser


def _serve_parser(sub) -> argparse.ArgumentParser:
    """The ``serve`` subcommand's options (the page itself: rcm_tables.web)."""
    serve = sub.add_parser(
        "serve", help="open the finance officer's page on this folder in the browser",
        description="Start a local page on a folder made by rcm-tables init: add the month's exports, see the "
                    "problems, build the workbook and documents, download them, verify a workbook. The page's "
                    "address is printed; Ctrl-C stops the server.",
        epilog=SERVE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                       help="a folder made by rcm-tables init (default: the current folder)")
    serve.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    serve.add_argument("--host", default=None,
                       help="listen on this address instead of 127.0.0.1 (others on the network can then reach "
                            "the page; a token in the address is then required)")
    serve.add_argument("--no-browser", action="store_true", help="do not open the page in the browser")
    return serve


def _document_options(build: argparse.ArgumentParser) -> None:
    build.add_argument("--docx", type=Path, metavar="FILE.docx",
                       help="also write the report document (Section 2 and the Annex; the whole report with "
                            "--activities)")
    build.add_argument("--lang", type=_languages, default=None, metavar="en|es",
                       help="the language of the document and statements (default en); several, e.g. en,es, write "
                            "one file each: FILE.docx in the first, FILE.es.docx in Spanish")
    build.add_argument("--locale", type=_locales, default=None, metavar="LOCALE",
                       help="how the document and statements write numbers and dates, e.g. es_MX (282,724.00) or "
                            "es_CR (282 724,00; the Spanish default; English's is en_US); several: es_MX,en_GB")
    build.add_argument("--symbol", metavar="TEXT",
                       help="the report's symbol (reference), e.g. RCM/TS/FIN/2012-11 (the default: the as-of month); "
                            "each statement's is it with /01, /02 … after it")
    build.add_argument("--issued", type=_date, metavar="YYYY-MM-DD",
                       help="the date of issue of the document and statements (default: the as-of date)")
    build.add_argument("--meeting", metavar="TEXT",
                       help="the meeting the report is for, printed under the title (e.g. XVIII RCM, Vice-Ministerial "
                            "Meeting)")
    build.add_argument("--template", type=Path, metavar="FILE.docx",
                       help="a Word document whose styles, header and footer (the Secretariat's letterhead) the "
                            "document and statements take")
    build.add_argument("--activities", type=Path, metavar="FILE.xlsx",
                       help="the activities register: the document becomes the whole report (Introduction, "
                            "Section 1, Section 2, Annex)")
    build.add_argument("--statements", type=Path, metavar="DIR",
                       help="also write one statement (.docx) per member state and statements.csv into DIR")


def _locales(text: str) -> dict[str, str]:
    """'es_MX' or 'es_MX,en_GB' -> {language: Babel locale}: one locale a language."""
    from .document.i18n import LanguageError, check_locale

    found: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        try:
            locale = check_locale(part)
        except LanguageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        language = locale.split("_")[0]
        if language in found:
            raise argparse.ArgumentTypeError(f"{text!r}: one locale for each language ({language!r} twice)")
        found[language] = locale
    if not found:
        raise argparse.ArgumentTypeError("name a locale, e.g. es_CR")
    return found


def _languages(text: str) -> list[str]:
    from .document.i18n import LANGUAGES  # here: Babel and pandas are not needed to parse the options

    langs = [part.strip() for part in text.split(",") if part.strip()]
    bad = [lang for lang in langs if lang not in LANGUAGES]
    if not langs or bad or len(set(langs)) != len(langs):
        raise argparse.ArgumentTypeError(f"{text!r}: choose among {', '.join(LANGUAGES)} (e.g. en or en,es)")
    return langs


def _init_parser(sub) -> None:
    from .init import DEFAULT_EXPORTS_FROM, FIRST_YEARS  # the package alone: no pandas for --help

    init = sub.add_parser(
        "init", help="create a folder for your own data: exports/, a guiding reference.xlsx, README.txt",
        description="Create DIR/exports/ (empty), DIR/reference.xlsx (every reference sheet, with instructions, "
                    "input messages and data validation, pre-filled with the published 2012 report's figures) and "
                    "DIR/README.txt (the monthly routine). A folder that already holds them is refused without "
                    "--force; nothing else in it is touched.",
        epilog=INIT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("folder", type=Path, metavar="DIR", help="the folder to create or fill")
    init.add_argument("--force", action="store_true",
                      help="replace the folder's reference.xlsx and README.txt (the exports and every other file stay)")
    init.add_argument("--blank", action="store_true",
                      help="no figures: the sheets with their headers, instructions and validation only")
    init.add_argument("--exports-from", type=int, metavar="YYYY",
                      help=f"the first year your exports hold: the periods before it get opening balances from "
                           f"the published Table 1 (default {DEFAULT_EXPORTS_FROM}; {FIRST_YEARS[0]} to "
                           f"{FIRST_YEARS[1]})")


def add_cache_options(command: argparse.ArgumentParser) -> None:
    """--cache-dir / --no-cache: where parsed exports are kept between runs (rcm_tables.inputs.cache)."""
    group = command.add_mutually_exclusive_group()
    group.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="keep parsed exports here (default: $RCM_TABLES_CACHE, else the user's cache folder)")
    group.add_argument("--no-cache", action="store_true", help="parse every export; read and write no cache")


def _notebooks_parser(sub) -> None:
    """``rcm-tables notebooks DIR [--force]`` (the copying itself: rcm_tables.notebooks)."""
    from .notebooks import NOTEBOOKS_EXAMPLE

    command = sub.add_parser(
        "notebooks", help="copy the analysis notebooks into a folder, to open in Jupyter",
        description="Copy the notebooks that come with rcm-tables (contributions and arrears, budget execution, "
                    "the audit trail) into DIR, created if need be. A notebook already there is kept unless "
                    "--force. Running them needs the extra: python -m pip install \"rcm-tables[notebooks]\"; "
                    "outside a source checkout, set exports and reference in each notebook's first cell.",
        epilog=NOTEBOOKS_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("folder", type=Path, metavar="DIR", help="the folder to copy them into")
    command.add_argument("--force", action="store_true", help="replace notebooks already in DIR")


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        make_safe(stream)  # a Windows code page or LANG=C: what it cannot encode is written in ASCII
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if argv is None and args.command == "build":  # the program, which ends with this build: the build pauses the
        gc.disable()  # collector for its work (`collector`); resuming it would first walk every object alive (0.1 s)
    if args.command != "serve":  # a process that ends with its command (`memory`; the page's server runs on)
        from .memory import for_a_build

        for_a_build()
    import signal
    import threading

    from . import commands

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        expand_user(args)
        if args.command == "build":
            return commands.build(args, STARTED)
        return getattr(commands, args.command)(args)
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
        if isinstance(exc, OSError) and _name_too_long(exc):  # but for a path too long, met where first looked at
            print(f"rcm-tables: the path {exc.filename!r} is too long for this computer's file system: give a "
                  "shorter name (or a folder nearer the top of the disk)", file=sys.stderr)
            return 2
        report_internal_error(exc, sys.argv[1:] if argv is None else list(argv))
        return INTERNAL_ERROR
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if argv is None:  # run as the program, which ends next: spare the interpreter's last full garbage
            gc.freeze()   # collections over a decade of lines (0.3 s)


def _name_too_long(exc: OSError) -> bool:
    """A path the system refuses as too long: one the user gave, or made from it (a folder, a file name); met by
    whatever first looks at it (pathlib lets it out of exists() and is_dir())."""
    return exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == 206  # ERROR_FILENAME_EXCED_RANGE


def run() -> None:
    """The program's entry point (``rcm-tables``, ``python -m rcm_tables``): `main`, then `exit_now`."""
    exit_now(main())


def exit_now(code: int) -> None:
    """End the program with ``code`` as the interpreter would, less its teardown.

    Python's own exit frees every object and module one by one: 0.1-0.2 s once pandas is loaded, more after a
    decade's ledger, with nothing left to write. Here what an exit must do is done first, in the interpreter's
    order (the threads still writing, such as the ledger snapshot's, are waited for; the atexit handlers run:
    multiprocessing's, temporary folders' and logging's; the streams are flushed), then the process ends at
    once. Every output file is written and closed before this (`OutputSet`)."""
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head) or stream: nothing more to show
            pass
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
