"""What each `rcm-tables` command does once its options are read (`rcm_tables.cli` reads them): a few lines over
the library each (`rcm_tables.pipeline` for build and validate), printing through `rcm_tables.console`.

A usage error is a `RequestError` (exit 2); input errors are printed problems (exit 1).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .console import progress, say, show_problems, timings, write_problems
from .outputs import Output, OutputError, check_outputs
from .pipeline import RequestError, cannot_write

TIMINGS_ENV = "RCM_TABLES_TIMINGS"  # a file: where `build` writes the seconds each phase took (JSON)


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


def validate(args) -> int:
    from .pipeline import resolve_inputs, validate

    request = resolve_inputs(_request(args))
    if args.report is not None:
        try:
            files, folders = request.input_paths()
            check_outputs([Output("--report", args.report)], files, folders, force=True)
        except OutputError as exc:
            raise RequestError(str(exc)) from None
    steps = progress(args)
    report = validate(request, progress=steps)
    show_problems(list(report.problem_list), report, args)
    if args.report is not None:
        try:
            write_problems(list(report.problem_list), args.report)
        except OSError as exc:
            raise RequestError(cannot_write(args.report, exc)) from None
        say(args, f"wrote {args.report}")
    n_err = len(report.errors)
    n_warn = sum(1 for p in report.problem_list if p.severity == "warning")
    say(args, f"{n_err} error(s), {n_warn} warning(s) in {len(report.source_counts)} export(s) and "
              f"{report.reference.file}")
    timings(args, steps)
    return 1 if n_err else 0


def build(args, started: float) -> int:
    """``started``: when the program started (the timings count start-up from it)."""
    from .pipeline import build

    steps = progress(args)
    steps.record("start-up", time.perf_counter() - started)  # imports and reading the options
    request = _request(args, out=args.out, csv=args.csv, force=args.force, published=args.published,
                       since=args.since, ledger_detail=args.ledger_detail, docx=args.docx, langs=args.lang,
                       template=args.template, activities=args.activities, statements=args.statements,
                       locale=args.locale, symbol=args.symbol, issued=args.issued, meeting=args.meeting)
    # the problems are printed as soon as they are known, while the outputs are written
    result = build(request, progress=steps, checked=lambda report, problems: show_problems(problems, report, args))
    report = result.report
    if not result.ok:
        print(f"rcm-tables: {len(result.errors)} error(s) in the inputs; nothing was written.", file=sys.stderr)
        return 1
    steps.start("finish")
    for line in result.lines:
        say(args, line)
    if os.environ.get(TIMINGS_ENV):
        steps.save(Path(os.environ[TIMINGS_ENV]))
    timings(args, steps)
    say(args, f"as of {report.as_of}; {len(report.ledger_cents)} ledger lines from {len(report.source_counts)} "
              f"export(s); {sum(s.duplicates for s in report.source_counts)} identical duplicate(s) counted once")
    return 0


def init(args) -> int:
    from .init import InitError
    from .init import command as init_command

    try:
        return init_command.run(args)
    except InitError as exc:
        raise RequestError(str(exc)) from None
    except OSError as exc:
        raise RequestError(cannot_write(Path(exc.filename) if exc.filename else args.folder, exc)) from None


def _verify_inputs(args) -> tuple[Path, Path]:
    """The exports folder and reference workbook to rebuild from: DIR (a folder made by init), as build and
    validate take it, or --exports and --reference."""
    exports, reference = args.exports, args.reference
    if args.folder is not None:
        from .pipeline import BuildRequest, resolve_inputs

        resolved = resolve_inputs(BuildRequest(folder=args.folder, exports=exports, reference=reference, cache=False))
        exports, reference = resolved.exports, resolved.reference
    if exports is None or reference is None:
        raise RequestError("give the inputs the workbook was built from: a folder made by rcm-tables init "
                           "(rcm-tables verify WORKBOOK.xlsx DIR), or --exports DIR and --reference FILE")
    for given, what, check in ((args.workbook, "workbook", Path.is_file), (exports, "exports folder", Path.is_dir),
                               (reference, "reference workbook", Path.is_file),
                               (args.published, "published folder", Path.is_dir)):
        if given is not None and not check(given):
            raise RequestError(f"the {what} {str(given)!r} does not exist or is not a {what.split()[-1]}")
    return exports, reference


def verify(args) -> int:
    from .verify import SHOWN_INPUTS, NotOurWorkbook, verify

    exports, reference = _verify_inputs(args)
    try:
        verdict = verify(args.workbook, exports, reference, args.published, cache=cache_choice(args))
    except NotOurWorkbook as exc:
        raise RequestError(str(exc)) from None
    for line in verdict.inputs[:SHOWN_INPUTS]:
        print(f"input {line}")
    if len(verdict.inputs) > SHOWN_INPUTS:
        print(f"input … and {len(verdict.inputs) - SHOWN_INPUTS} more")
    for line in verdict.notes:
        print(f"note: {line}")
    if verdict.versions and not args.quiet:
        print(f"note: rebuilt with other versions than the workbook records: {verdict.versions}; other versions may "
              "give other bytes (constraints.txt in the source lists the versions the tests passed with)")
    for line in verdict.cells:
        print(f"differs: {line}")
    if verdict.ok:
        how = ("the rebuild is identical byte for byte" if verdict.identical else
               "the rebuild holds the same values and formulas in every cell (saved by another program)")
        print(f"{args.workbook}: verified: the same inputs, and {how}")
        return 0
    what = ("the rebuild is identical" if verdict.identical or verdict.same_meaning else
            "the rebuild differs (above: sheet!cell, the workbook's content, the rebuild's)")
    print(f"{args.workbook}: NOT verified: {len(verdict.inputs)} input(s) differ; {what}")
    return 1


def notebooks(args) -> int:
    from .notebooks import run

    try:
        return run(args)
    except OSError as exc:
        raise RequestError(cannot_write(Path(exc.filename) if exc.filename else args.folder, exc)) from None


def serve(args) -> int:
    """Exit 0 when stopped with Ctrl-C, 2 for a folder that is not one made by init."""
    from .web.server import serve

    return serve(args.folder, host=args.host, port=args.port, browser=not args.no_browser)
