"""Every output of a build written together, from one report: the workbook and the CSVs here, the documents and
statements in a second process meanwhile when it pays (`rcm_tables.document.parallel`), all staged in one
`OutputSet` and moved into place together; nothing is written when the inputs or the documents have an error.
`rcm_tables.pipeline.build` calls it with the resolved request."""
from __future__ import annotations

from pathlib import Path

from .outputs import OutputSet


class Stopped(Exception):
    """An error in the inputs or the documents: the run stops, and nothing it staged is written."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class SinceNotBefore(Exception):
    """--since is not before the as-of date."""


class CannotWrite(Exception):
    """An output could not be written (``path``, the ``error``)."""

    def __init__(self, path: Path, error: OSError):
        super().__init__(str(error))
        self.path, self.error = path, error


def write_all(request, report, steps, checked=None) -> tuple[list, list[Path], list[str]]:
    """Unless the inputs or the documents have an error (`Stopped`), write every output of the resolved
    ``request``; returns (every problem, the files written, the lines that say what was written). ``checked``,
    when given, is called with the report and every problem once they are known, before the outputs are written."""
    from .csvfiles import write_csv
    from .document import command as document_command
    from .document import parallel
    from .workbook import write_workbook

    since_ok = request.since is None or request.since < report.as_of
    outputs = OutputSet()
    forked = parallel.start(request, report, steps) if report.ok and since_ok else None
    try:
        documents = None
        if forked is None:  # built here first, so that their problems are known with the inputs'
            documents = document_command.prepare(request, report, steps) if report.ok else document_command.Prepared()
            problems = _stop_on_errors(report, documents, steps, checked)
            if not since_ok:
                raise SinceNotBefore(f"--since {request.since} is not before the as-of date {report.as_of}: nothing "
                                     "was written")
        with outputs as staged:  # every output is written, then all are moved into place together
            steps.start("workbook")
            write_workbook(report, request.out, published=request.published, ledger_detail=request.ledger_detail,
                           outputs=staged, since=request.since)
            lines = [f"wrote {request.out}"]
            if request.csv is not None:
                steps.start("csv")
                write_csv(report.tables, request.csv, outputs=staged)
                lines.append(f"wrote {len(report.tables)} CSV files to {request.csv}")
            if documents is None:
                documents = forked.result(steps)
                problems = _stop_on_errors(report, documents, steps, checked)  # raises: what was staged is deleted
            lines += document_command.write(request, report, documents, staged, steps)
            written = list(staged.targets)  # before the commit empties it
            steps.start("commit")  # every output moved into place
    except OSError as exc:  # (the output it concerns: a full disk names no file)
        raise CannotWrite(outputs.where(exc) or request.out, exc) from None
    finally:
        if forked is not None:
            forked.cancel()
    return problems, written, lines


def _stop_on_errors(report, documents, steps, checked) -> list:
    """Every problem of the inputs and documents (told to ``checked``); `Stopped` if one is an error."""
    steps.start("problems")
    problems = list(report.problem_list) + documents.problems
    if checked is not None:
        checked(report, problems)
    if any(p.severity == "error" for p in problems):
        raise Stopped(problems)
    return problems
