"""`load`: exports folder + reference workbook -> a `Report` holding the ledger, every table and every problem.

The CLI and the notebooks both call `load`; nothing here writes a file.
"""
from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import checks
from . import schemas as S
from . import snapshot
from .inputs.cache import FORMAT as CACHE_FORMAT
from .inputs.cache import open_cache
from .inputs.store import prune_formats
from .inputs.exports import ExportFile, SourceCount
from .inputs import prefetch
from .inputs.folder import list_exports, not_a_file
from .inputs.parallel import read_exports, submit_early
from .ledger import account_for_rows, clamp, result
from .problems import ERROR, Code, InputError, Problem, errors_in, problem
from . import public
from .money import MAX_LINES
from .progress import Steps
from .reference import Reference
from .reference_cache import FORMAT as REFERENCE_FORMAT
from .reference_cache import read_reference
from .tables import build_all, frame_spec

L = S.Ledger
IN_REPORT = "in_report"  # Report.ledger's column: the line is posted on or before the as-of date


@dataclass(frozen=True)
class Report:
    """Everything the toolkit knows after one run.

    The public frames follow one convention (`rcm_tables.public`): money in exact dollars (decimal) in columns
    named ``*_usd``, missing text as NA, closed sets as categoricals. The fields ending in ``_cents``,
    ``_list`` and ``_counts`` are what the writers use (int cents, the problem and source records).

    >>> import rcm_tables
    >>> report = rcm_tables.load()                       # the bundled 2012 sample
    >>> report.table("table1").tail(1)[["period", "contributions_received_usd"]].to_dict("records")
    [{'period': '2012', 'contributions_received_usd': Decimal('261483.38')}]
    """

    as_of: dt.date | None
    reference: Reference
    ledger_cents: pd.DataFrame  # every line, money in int cents (the writers' form)
    duplicates: pd.DataFrame
    source_counts: tuple[SourceCount, ...]
    problem_list: tuple[Problem, ...]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # int cents, by frame name
    as_of_given: bool = False  # True: the caller chose the as-of date; False: the latest posting date

    @property
    def errors(self) -> list[Problem]:
        return errors_in(self.problem_list)

    @property
    def ok(self) -> bool:
        return not self.errors

    # ---------------------------------------------------------------------- public frames
    def table(self, name: str, cents: bool = False) -> pd.DataFrame:
        """One table in the public convention (exact dollars in ``*_usd`` columns); ``cents=True``: the
        internal frame, money in int cents under the schema's names."""
        if name not in self.tables:
            known = ", ".join(self.tables) or "(none: the inputs have errors)"
            raise KeyError(f"no table {name!r}; the tables are {known}")
        frame = self.tables[name]
        return frame if cents else public.convert(frame, frame_spec(name).model)

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """Every ledger line (also those after the as-of date), with its file, sheet and row, and ``in_report``:
        True for the lines posted on or before the as-of date, the only ones behind the tables (`lines_used`)."""
        frame = public.convert(self.ledger_cents, S.Ledger)
        used = (self.ledger_cents[L.posting_date] <= pd.Timestamp(self.as_of)).to_numpy(dtype=bool) \
            if self.as_of is not None else [False] * len(frame)
        return frame.assign(**{IN_REPORT: pd.array(used, dtype="boolean")})

    def lines_used(self) -> pd.DataFrame:
        """The ledger's lines posted on or before the as-of date: the lines behind every table."""
        clamped = self.clamped()
        return self.ledger.loc[clamped.index] if len(clamped) != len(self.ledger_cents) else self.ledger

    @cached_property
    def problems(self) -> pd.DataFrame:
        """Every problem found, one row each (the records: ``problem_list``)."""
        from .console import PROBLEM_FIELDS

        rows = [p.as_dict() for p in self.problem_list]
        frame = pd.DataFrame.from_records(rows, columns=list(PROBLEM_FIELDS))
        frame["row"] = frame["row"].astype("Int64")
        return public.convert(frame, None)

    @cached_property
    def sources(self) -> pd.DataFrame:
        """How every row of every export was accounted for (the records: ``source_counts``)."""
        from dataclasses import asdict

        frame = pd.DataFrame.from_records([asdict(s) for s in self.source_counts],
                                          columns=[f.name for f in dataclasses.fields(SourceCount)])
        if "footing" in frame:
            frame["footing"] = public.dollars(frame["footing"].astype("Int64"))
            frame = frame.rename(columns={"footing": "footing_usd"})
        return public.convert(frame, None)

    # ---------------------------------------------------------------------- internal
    @cached_property
    def _clamped(self) -> pd.DataFrame:
        return clamp(self.ledger_cents, self.as_of)

    def clamped(self) -> pd.DataFrame:
        """The lines posted on or before the as-of date, money in int cents (`ledger.clamp`): the tables' input."""
        return self._clamped

    def _repr_html_(self) -> str:
        from .notebook import report_html

        return report_html(self)


def _paths(exports, reference) -> tuple[list[Path], list[Problem]]:
    """The export files to read, by name; a folder is listed (`list_exports`), a pipe or device never opened."""
    if isinstance(exports, (str, Path)) and Path(exports).is_dir():
        return list_exports(Path(exports), Path(reference))
    given = [Path(exports)] if isinstance(exports, (str, Path)) else [Path(p) for p in exports]
    files = sorted((p for p in given if p.is_file() or not p.exists()), key=lambda p: p.name)
    return files, [not_a_file(p.name) for p in given if p.exists() and not p.is_file()]


def load(exports=None, reference=None, as_of: dt.date | str | None = None, *, strict: bool = True,
         cache=False, progress: Steps | None = None, jobs: int | None = 1) -> Report:
    """Read, validate and tabulate.

    ``exports`` is a folder (every ``*.xlsx`` in it, by name) or a list of files; ``reference`` the reference
    workbook; both default to the bundled sample, which only a source checkout holds (elsewhere:
    `rcm_tables.paths.SampleNotAvailable`). ``as_of`` defaults to the latest posting date.
    With ``strict`` (the default) input errors raise `InputError` carrying every problem; otherwise the
    returned `Report` holds the problems and no tables.
    ``cache``: ``True`` keeps parsed exports in the user's cache folder (as the command line does), a path
    keeps them there, ``False`` (the default) parses every file. ``progress`` (`rcm_tables.progress.Steps`)
    times the phases and may show a progress bar. ``jobs``: processes that parse exports (None: one per
    core, as the command line does; the calling script must then guard its code with
    ``if __name__ == "__main__":``).

    >>> report = load(as_of="2012-10-31")
    >>> report.table("table2_summary").set_index("item").at["total_expenses", "amount_usd"]
    Decimal('223457.27')
    """
    if exports is None or reference is None:
        from .paths import sample_inputs

        sample_exports, sample_reference = sample_inputs()  # SampleNotAvailable outside a source checkout
        exports = sample_exports if exports is None else exports
        reference = sample_reference if reference is None else reference
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    as_of_given = as_of is not None

    steps = progress if progress is not None else Steps()
    steps.start("read")
    start, merging, fresh, ref, ref_problems, problems = _read(exports, reference, cache, jobs, steps)
    read = start.stored() + fresh

    steps.start("ledger+checks")
    if sum(start.counts()) + sum(len(export.lines) for export in fresh) > MAX_LINES:  # every sum safe (money.py)
        problems.append(problem(Code.TOO_MANY_LINES, f"the exports hold more than {MAX_LINES:,} lines",
                                hint="split the history: build one report per few years"))
        read, fresh, start, merging = [], [], start.without(), None
    ledger, dedup, sources, as_of = _ledger(start, merging, read, fresh, ref, ref_problems, problems, as_of)

    problems += _as_of(as_of, ref, ref_problems, problems)
    steps.start("tables")
    tables: dict[str, pd.DataFrame] = {}
    if not errors_in(problems):
        clamped = clamp(ledger, as_of)
        tables = build_all(ledger, ref, as_of)
        problems += checks.check_receipt_cutoff(clamped, as_of)
        problems += checks.check_overpayments(tables)
        problems += checks.check_coverage(clamped, ref, as_of)
    steps.stop()
    report = Report(as_of, ref, ledger, dedup.duplicates, sources, tuple(problems), tables, as_of_given)
    if strict and report.errors:
        raise InputError(list(problems))
    return report


def _ledger(start: snapshot.Start, merging: snapshot.Merging | None, read: list[ExportFile],
            fresh: list[ExportFile], ref: Reference, ref_problems: list[Problem], problems: list[Problem],
            as_of: dt.date | None):
    """The ledger (lines an error names left out), the de-duplication, every file's accounting and the as-of
    date (given, or the latest posting date); the problems found are added to ``problems``.

    The checks that concern the report see only the lines on or before the as-of date; the later lines are
    kept, counted and noted (`checks.lines_after_as_of`), never an error (docs/inputs.md)."""
    merged = start.merge(fresh, ref, merging)
    dedup = result(merged)
    problems += dedup.conflicts
    lines = dedup.lines
    start.save(read, fresh, merged, ref)
    if as_of is None and not lines.empty:
        as_of = lines[L.posting_date].max().date()
    if errors_in(ref_problems):
        # every line would fail against a broken reference and bury the one problem that matters (no lines: no note)
        if not lines.empty:
            problems.append(problem(Code.LEDGER_CHECKS_SKIPPED, "the exports' lines were not checked against the "
                                    "reference workbook, which has errors: fix those first", file=ref.file))
    else:
        problems += checks.run_ledger_checks(checks.Context(lines, ref), as_of)
    problems += checks.lines_after_as_of(lines, as_of)
    # rows of the exports that an error names are left out (the reference's own rows are not export rows)
    export_problems = [p for p in problems if not any(p is q for q in ref_problems)]
    bad_rows = {(p.file, p.row) for p in export_problems if p.severity == ERROR and p.row is not None}
    keep = [(f, int(r)) not in bad_rows for f, r in zip(lines[L.file], lines[L.row])] if bad_rows else slice(None)
    ledger = lines.loc[keep].reset_index(drop=True)
    sources = account_for_rows(read, ledger, dedup, bad_rows)
    return ledger, dedup, sources, as_of


def _read(exports, reference, cache, jobs: int | None, steps: Steps
          ) -> tuple[snapshot.Start, snapshot.Merging, list[ExportFile], Reference, list[Problem], list[Problem]]:
    """The reference and the exports a snapshot does not hold (`snapshot.Start`), read (the first of them merged
    already: `snapshot.Merging`); the problems found so far."""
    paths, listing = _paths(exports, reference)
    store = open_cache(cache)
    if store is not None:  # what older versions of the cache's formats left there
        prune_formats(store.folder, {"exports": CACHE_FORMAT, "snapshots": snapshot.FORMAT,
                                     "references": REFERENCE_FORMAT})
    digests = [snapshot.digest(p) for p in paths] if store is not None else None
    # a ledger snapshot of the first files: only the files after them are read (`rcm_tables.snapshot`)
    start = snapshot.Start.find(store, paths, digests, Path(reference))
    plan = start.plan(jobs)
    try:
        if start.snap is None:  # the new files are parsed while the reference is read (`submit_early`)
            plan = submit_early(plan)
        ref, ref_problems = read_reference(Path(reference), store, start.reference)  # (cached with its checks)
        if start.snap is not None and start.snap.aliases != ref.column_names.digest():
            start = start.without(where=True)  # cannot happen under the same reference
            plan = start.plan(jobs)
        merging = start.merging(ref)  # the first files are merged while the last are parsed
        fresh, cache_notes = read_exports(plan, progress=steps, names=ref.column_names, ready=merging.add)
    except BaseException:  # (Ctrl-C included) the parsing processes stop now, not after every file
        plan.stop()
        raise
    prefetch.forget()  # what was read ahead and not asked for (a file since changed)
    read = start.stored() + fresh
    problems = ref_problems + listing + [p for export in read for p in export.problems] + cache_notes + start.notes
    return start, merging, fresh, ref, ref_problems, problems


def _as_of(as_of: dt.date | None, ref: Reference, ref_problems: list[Problem], problems: list[Problem]
           ) -> list[Problem]:
    """What makes the as-of date (given, or the latest posting date) impossible to honour.

    With errors in the reference workbook, a period its rejected rows would have given is not asked for: the
    rejected row is the problem to show, not its consequence."""
    found: list[Problem] = []
    if (as_of is not None and ref.period_of(as_of) is None and not ref.periods.empty
            and not errors_in(ref_problems)):
        found.append(problem(Code.AS_OF_OUTSIDE, f"the as-of date {as_of} falls in no period", file=ref.file,
                             sheet=S.PERIODS_SHEET, value=str(as_of),
                             hint="choose a date inside the Periods sheet's range (--as-of), or add the period"))
    if as_of is None and not errors_in(problems):
        found.append(problem(Code.NO_LINES, "the exports hold no lines, so there is no as-of date",
                             hint="pass --as-of, or add exports"))
    if as_of is not None:
        found += checks.check_as_of_opening(ref, as_of)
    return found
