"""Every output of `build` written together, from one report: the workbook and the CSVs here, the documents and
statements in a second process meanwhile when it pays (`rcm_tables.document.parallel`), all staged in one
`OutputSet` and moved into place together; nothing is written when the inputs or the documents have an error."""
from __future__ import annotations

import sys
from pathlib import Path

from .console import print_problems, print_sources
from .outputs import OutputSet


class Stopped(Exception):
    """An error in the inputs or the documents, printed: the run stops, and nothing it staged is written."""


class SinceNotBefore(Exception):
    """--since is not before the as-of date."""


class CannotWrite(Exception):
    """An output could not be written (``path``, the ``error``)."""

    def __init__(self, path: Path, error: OSError):
        super().__init__(str(error))
        self.path, self.error = path, error


def write_all(args, report, out: Path, csv_dir: Path | None, steps) -> list[str]:
    """Print the problems and, unless one is an error, write every output; returns the lines that say which
    documents were written."""
    from .csvfiles import write_csv
    from .document import command as document_command
    from .document import parallel
    from .workbook import write_workbook

    since_ok = args.since is None or args.since < report.as_of
    forked = parallel.start(args, report) if report.ok and since_ok else None
    try:
        documents = None
        if forked is None:  # built here first, so that their problems are printed with the inputs'
            documents = document_command.prepare(args, report, steps) if report.ok else document_command.Prepared()
            _stop_on_errors(report, documents, steps)
            if not since_ok:
                raise SinceNotBefore(f"--since {args.since} is not before the as-of date {report.as_of}: nothing "
                                     "was written")
        with OutputSet() as staged:  # every output is written, then all are moved into place together
            steps.start("workbook")
            write_workbook(report, out, published=args.published, ledger_detail=args.ledger_detail, outputs=staged,
                           since=args.since)
            if csv_dir is not None:
                steps.start("csv")
                write_csv(report.tables, csv_dir, outputs=staged)
            if documents is None:
                documents = forked.result(steps)
                _stop_on_errors(report, documents, steps)  # raises: what was staged is deleted
            written = document_command.write(args, report, documents, staged, steps)
            steps.start("commit")  # every output moved into place
    except OSError as exc:
        raise CannotWrite(Path(exc.filename) if exc.filename else out, exc) from None
    finally:
        if forked is not None:
            forked.cancel()
    return written


def _stop_on_errors(report, documents, steps) -> None:
    """Print the problems of the inputs and documents, and the sources; raise `Stopped` if one is an error."""
    steps.start("problems")
    problems = list(report.problem_list) + documents.problems
    print_problems(problems, sys.stderr)
    print_sources(report, sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"rcm-tables: {len(errors)} error(s) in the inputs; nothing was written.", file=sys.stderr)
        raise Stopped()
