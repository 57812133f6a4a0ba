"""One build, one request: `BuildRequest` in, `build` runs the stages in a line, `BuildResult` out.

The command line, `verify`, the notebooks and the web page all call `build` (or `validate`, the same without
writing): a frozen request says what to read and what to write; `resolve` fills in the defaults (a folder made
by init, the sample, the default outputs) and refuses what cannot be built (`RequestError`, before anything is
read); then read → merge → check → tabulate (`report.load`) and write (every output staged, then all moved into
place together, or none).

>>> from rcm_tables.pipeline import BuildRequest, resolve
>>> resolve(BuildRequest(as_of="2012-10-31")).as_of
datetime.date(2012, 10, 31)
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .outputs import Output, OutputError, check_cache, check_outputs, disk_full
from .workbook import LEDGER_DETAILS  # the package alone: no pandas, no xlsxwriter


class RequestError(Exception):
    """A request that cannot be built as asked (a usage error: exit 2); the message says what to do instead."""


@dataclass(frozen=True)
class BuildRequest:
    """What to read and what to write. Paths may be given as text; `resolve` fills in the defaults.

    ``folder`` is a folder made by ``rcm-tables init`` (exports/ and reference.xlsx; outputs to its output/);
    without it and without ``exports``/``reference`` the bundled sample is built. ``langs`` None means English
    when a document is asked for. ``cache``: True (the user's cache folder), False (none) or a folder.
    ``jobs``: processes that parse exports (None: one per core).
    """

    folder: Path | None = None
    exports: Path | None = None
    reference: Path | None = None
    as_of: dt.date | None = None
    out: Path | None = None
    csv: Path | None = None
    force: bool = False
    published: Path | None = None
    since: dt.date | None = None
    ledger_detail: str = "auto"
    cache: Path | bool = True
    docx: Path | None = None
    langs: tuple[str, ...] | None = None
    template: Path | None = None
    activities: Path | None = None
    statements: Path | None = None
    locale: dict | None = None  # {language: Babel locale} for the documents, e.g. {"es": "es_MX"}; es_CR by default
    symbol: str | None = None  # the document's symbol (default: from the as-of month)
    issued: dt.date | None = None  # the date of issue (default: the as-of date)
    meeting: str | None = None  # the meeting the report is for
    jobs: int | None = None
    replace_defaults: bool = False  # set by resolve: the outputs are the defaults a build replaces without force

    def __post_init__(self) -> None:
        for name in ("folder", "exports", "reference", "out", "csv", "published", "docx", "template", "activities",
                     "statements"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value).expanduser())
        for name in ("as_of", "since", "issued"):
            value = getattr(self, name)
            if isinstance(value, str):
                try:
                    object.__setattr__(self, name, dt.date.fromisoformat(value))
                except ValueError:
                    raise RequestError(f"{name.replace('_', '-')} {value!r} is not a date in the form YYYY-MM-DD"
                                       ) from None
        if isinstance(self.cache, str):
            object.__setattr__(self, "cache", Path(self.cache).expanduser())
        if self.langs is not None:
            object.__setattr__(self, "langs", tuple(self.langs))

    @property
    def sample(self) -> bool:
        """No inputs named: the bundled sample."""
        return self.folder is None and self.exports is None and self.reference is None

    def input_paths(self) -> tuple[list[Path], list[Path]]:
        """(input files, input folders): what no output may touch."""
        exports = self.exports if self.exports is not None else paths.SAMPLE_EXPORTS
        reference = self.reference if self.reference is not None else paths.SAMPLE_REFERENCE
        folders = [exports] + [p for p in (self.published,) if p is not None]
        files = [reference] + [p for p in (self.template, self.activities) if p is not None]
        return files, folders


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the resolved request, the report, every problem (the inputs' and the documents'),
    and every file written (none when ``ok`` is False)."""

    request: BuildRequest
    report: object  # rcm_tables.report.Report
    problems: tuple = ()
    written: tuple[Path, ...] = ()
    lines: tuple[str, ...] = field(default=(), repr=False)  # what the command line prints of the outputs

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def resolve_inputs(request: BuildRequest) -> BuildRequest:
    """The request with a folder made by init turned into its exports and reference; `RequestError` when the
    inputs named do not exist or the sample is asked for outside a checkout."""
    if request.folder is not None:
        from .init import EXPORTS, REFERENCE, InitError, folder_inputs

        laid_out = (request.folder / EXPORTS, request.folder / REFERENCE)
        if (request.exports, request.reference) not in ((None, None), laid_out):  # a resolved request: the same
            raise RequestError("give either a folder DIR or --exports and --reference, not both")
        try:
            exports, reference = folder_inputs(request.folder)
        except InitError as exc:
            raise RequestError(str(exc)) from None
        request = dataclasses.replace(request, exports=exports, reference=reference)
    if (request.exports is None or request.reference is None) and not paths.in_checkout():
        raise RequestError(f"{paths.SAMPLE_NOT_INSTALLED}: pass --exports DIR and --reference FILE, e.g. "
                           "rcm-tables build --exports ~/IOM/exports --reference ~/IOM/reference.xlsx")
    if request.exports is None or request.reference is None:  # the bundled sample, for what is not named
        request = dataclasses.replace(request, exports=request.exports or paths.SAMPLE_EXPORTS,
                                      reference=request.reference or paths.SAMPLE_REFERENCE)
    for given, what in ((request.exports, "exports folder"), (request.reference, "reference workbook")):
        if given is not None and not given.exists():
            raise RequestError(f"the {what} {str(given)!r} does not exist")
    if request.exports is not None and not request.exports.is_dir():
        raise RequestError(f"--exports {str(request.exports)!r} is not a folder: give the folder the exports are in")
    if request.reference is not None and not request.reference.is_file():
        raise RequestError(f"--reference {str(request.reference)!r} is not a file (a folder, a pipe or a device)")
    if isinstance(request.cache, Path):
        files, folders = request.input_paths()
        try:
            check_cache(request.cache, files, folders)
        except OutputError as exc:
            raise RequestError(str(exc)) from None
    return request


def resolve(request: BuildRequest) -> BuildRequest:
    """The request with every default filled in and every usage error raised (`RequestError`), before anything
    is read: the inputs, the outputs (the sample's go to the checkout's workbooks/output/, a folder's to its
    output/, others to --out, by default ./rcm-report.xlsx outside a checkout), the document's options."""
    folder, sample = request.folder, request.sample
    request = resolve_inputs(request)
    if folder is not None:
        default_out, default_csv = folder / "output" / "rcm-report.xlsx", folder / "output" / "csv"
    elif paths.in_checkout():  # outside one: --out defaults to ./rcm-report.xlsx, and no CSVs unless --csv
        default_out, default_csv = paths.DEFAULT_WORKBOOK, paths.DEFAULT_CSV_DIR
    else:
        default_out, default_csv = paths.INSTALLED_WORKBOOK, None
    csv_dir = request.csv or (default_csv if request.out is None else None)
    out = request.out or default_out
    if out.suffix.lower() != ".xlsx":
        raise RequestError(f"--out must name an .xlsx file, not {str(out)!r}")
    if request.ledger_detail not in LEDGER_DETAILS:
        raise RequestError(f"--ledger-detail {request.ledger_detail!r}: choose among {', '.join(LEDGER_DETAILS)}")
    from .document import command as document_command

    problem = document_command.check_usage(request)
    if problem is not None:
        raise RequestError(problem)
    return dataclasses.replace(request, out=out, csv=csv_dir, langs=request.langs or ("en",),
                               replace_defaults=request.out is None and (sample or folder is not None))


def _workbook_outputs(out: Path, csv_dir: Path | None) -> list[Output]:
    """The workbook, the full ledger CSV beside it (a build writes it, or removes its own) and the CSV folder
    (its tables' files): none replaced without --force (docs/inputs.md)."""
    from .tables import FRAMES
    from .workbook.ledger_sheet import detail_csv_path

    found = [Output("--out", out), Output("--out (the ledger CSV beside it)", detail_csv_path(out))]
    if csv_dir is not None:
        found.append(Output("--csv", csv_dir, folder=True, replaces=tuple(frame.csv_name for frame in FRAMES)))
    return found


def _check_outputs(request: BuildRequest) -> None:
    from .document import command as document_command

    outputs = _workbook_outputs(request.out, request.csv) + document_command.outputs(request)
    files, folders = request.input_paths()
    try:
        check_outputs(outputs, files, folders, request.force or request.replace_defaults)
    except OutputError as exc:
        raise RequestError(str(exc)) from None
    if request.published is not None:
        from .published import PublishedError
        from .published import read as read_published

        try:
            read_published(request.published)  # fail before the long part of the build
        except PublishedError as exc:
            raise RequestError(f"--published: {exc}") from None


def validate(request: BuildRequest, progress=None):
    """Read and check the request's inputs, writing nothing: the `Report` (with every problem, and the tables
    when there is no error)."""
    from .report import load

    request = resolve_inputs(request)
    return load(request.exports, request.reference, request.as_of, strict=False, cache=request.cache,
                progress=progress, jobs=request.jobs)


def build(request: BuildRequest, progress=None, checked=None) -> BuildResult:
    """Validate, tabulate and write every output the request asks for, all or none.

    `RequestError` for a usage error (nothing read, nothing written); a result with errors (``ok`` False) when
    the inputs or the documents have problems (nothing written). ``checked(report, problems)``, when given, is
    called once every problem is known, before anything is written (the command line prints them then).
    The documents and statements are built in a second process while the workbook is written, where it pays
    (`rcm_tables.writeall`)."""
    from . import collector
    from .progress import Steps

    steps = progress if progress is not None else Steps()
    steps.start("start-up")  # importing the library (pandas and the rest) is start-up too
    # importing pandas & co makes about a million objects that live as long as the process: collections among
    # them while they are made are wasted (0.05 s of a 0.5 s start-up)
    with collector.paused():
        _start_parsers(request)
        from .published import PublishedError
        from .report import load
        from .writeall import CannotWrite, SinceNotBefore, Stopped, write_all

    steps.start("checks")  # the request's: its inputs, outputs and options
    request = resolve(request)
    _check_outputs(request)
    # the collector's passes over a build's millions of short-lived objects cost a fifth of its CPU (`collector`)
    with collector.paused():
        report = load(request.exports, request.reference, request.as_of, strict=False, cache=request.cache,
                      progress=steps, jobs=request.jobs)
        try:
            problems, written, lines = write_all(request, report, steps, checked)
        except Stopped as stopped:
            return BuildResult(request, report, tuple(stopped.problems))
        except SinceNotBefore as exc:
            raise RequestError(str(exc)) from None
        except PublishedError as exc:
            raise RequestError(f"--published: {exc}") from None
        except CannotWrite as exc:
            raise RequestError(cannot_write(exc.path, exc.error)) from None
        return BuildResult(request, report, tuple(problems), tuple(written), tuple(lines))


def _start_parsers(request: BuildRequest) -> None:
    """Where the exports are many, the server their parsing processes are forked from is started before this
    process imports pandas: it imports its own meanwhile, on another core (`inputs.pool.warm_up`). The exports
    are only counted here (`list_exports`, whose problems are found again when they are read)."""
    from .init import EXPORTS
    from .inputs.folder import list_exports
    from .inputs.pool import warm_up

    folder = request.exports or (request.folder / EXPORTS if request.folder is not None else paths.SAMPLE_EXPORTS)
    try:
        files = list_exports(Path(folder))[0]
    except (OSError, TypeError):  # not a folder (the check says so later) or no sample
        return
    if not files:
        return
    reference, snapshot = _snapshot_there(request, folder)
    if snapshot is None:
        warm_up(len(files), request.jobs)
    else:  # a rebuild: what it reads first is read and hashed on a thread while pandas is imported
        from .inputs import prefetch
        from .inputs.store import SNAPSHOT_MAGIC, snapshot_tables

        prefetch.start([*files, reference], snapshot, SNAPSHOT_MAGIC, snapshot_tables)


def _snapshot_there(request: BuildRequest, folder: Path) -> tuple[Path | None, Path | None]:
    """The reference, and the ledger snapshot of this exports folder and reference when the cache holds one (None):
    a rebuild then parses only the files after it, in this process (no parsing processes wanted)."""
    import hashlib

    from .init import REFERENCE
    from .inputs.store import default_dir, snapshot_file

    if request.cache is False or request.cache is None:
        return None, None
    reference = Path(request.reference or (request.folder / REFERENCE if request.folder is not None
                                           else paths.SAMPLE_REFERENCE))
    try:
        sha = hashlib.sha256(reference.read_bytes()).hexdigest()
        cache = default_dir() if request.cache is True else Path(request.cache)
        snapshot = snapshot_file(cache, [Path(folder) / "file"], sha)
        return reference, (snapshot if snapshot.is_file() else None)
    except OSError:
        return None, None


def cannot_write(path: Path, exc: OSError) -> str:
    if disk_full(exc):  # nothing was written: the disk is full
        return (f"cannot write {str(path)!r} ({exc.strerror or exc}): the disk is full; free some space on it, or "
                "choose another place (nothing was written)")
    return (f"cannot write {str(path)!r} ({exc.strerror or exc}): check that its folder exists and may be "
            "written, and close the file if another program (Excel) has it open")
