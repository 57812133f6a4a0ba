"""The folder at a glance: its exports (months covered, rows read, used, duplicated, rejected), the months missing,
the reference workbook, the files set aside, and what the last validation found.

The folder is one laid out by `rcm-tables init`: ``exports/``, ``reference.xlsx``; the page adds ``incoming/``
(uploads set aside: with errors, or named like an export already there), ``replaced/`` (exports replaced,
dated), ``reference-history/`` (the reference workbooks replaced, dated) and ``output/<date-time>/`` (one folder
per build).
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..inputs.folder import EXPORT_SUFFIXES

INCOMING = "incoming"
REFERENCE_HISTORY = "reference-history"
OUTPUT = "output"
REPLACED = "replaced"


@dataclass(frozen=True)
class ExportRow:
    name: str
    size: int
    rows_read: int | None
    used: int | None
    duplicates: int | None
    rejected: int | None
    months: str  # "2012-01 to 2012-03", "2012-11", or "" (no line used)


@dataclass(frozen=True)
class Month:
    label: str  # 2012-11
    covered: bool


@dataclass
class Glance:
    """What the page shows of the folder, from one validation of its inputs."""

    exports: list[ExportRow] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    problems: list = field(default_factory=list)  # rcm_tables.problems.Problem
    as_of: dt.date | None = None  # the default as-of date: the latest posting date
    reference_changed: dt.datetime | None = None
    reference_size: int = 0
    digests: dict[str, str] = field(default_factory=dict)  # file -> SHA-256 (exports and reference)
    unusable: str = ""  # why the folder cannot be read at all (no reference workbook): nothing else is known

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ready(self) -> bool:
        return not self.errors and not self.unusable

    @property
    def missing_months(self) -> list[str]:
        return [m.label for m in self.months if not m.covered]


class Folder:
    """One folder's paths, and its last validation, kept until a file changes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.exports = self.root / "exports"
        self.reference = self.root / "reference.xlsx"
        self.incoming = self.root / INCOMING
        self.history = self.root / REFERENCE_HISTORY
        self.output = self.root / OUTPUT
        self.replaced = self.root / REPLACED
        self._lock = threading.Lock()
        # held while a request changes the inputs (uploads, set-aside files, the reference): the server answers
        # on several threads, and a form sent twice must find the first one's change made, not half made
        self.changing = threading.Lock()
        self._cached: tuple[tuple, Glance] | None = None

    def export_names(self) -> list[str]:
        if not self.exports.is_dir():
            return []
        return sorted(p.name for p in self.exports.iterdir() if p.is_file() and not p.name.startswith("."))

    def signature(self) -> tuple:
        """Names, sizes and times of the inputs: a new signature means a new validation."""
        paths = [self.reference] + ([self.exports / n for n in self.export_names()])
        return tuple((p.name, st.st_size, st.st_mtime_ns) for p in paths if p.exists() for st in [p.stat()])

    def glance(self) -> Glance:
        """The validation of the folder as it is now (the cache keeps parsed exports between calls)."""
        with self._lock:
            sig = self.signature()
            if self._cached is None or self._cached[0] != sig:
                self._cached = (sig, _glance(self))
            return self._cached[1]

    def forget(self) -> None:
        with self._lock:
            self._cached = None


def _glance(folder: Folder) -> Glance:
    from ..pipeline import BuildRequest, RequestError, validate

    try:
        report = validate(BuildRequest(folder=folder.root, jobs=1))  # one process: most exports come from the cache
    except RequestError as exc:
        return Glance(unusable=str(exc))
    glance = Glance(problems=list(report.problem_list), as_of=report.as_of)
    if folder.reference.exists():
        st = folder.reference.stat()
        glance.reference_changed = dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
        glance.reference_size = st.st_size
    glance.digests = {s.file: s.sha256 for s in report.source_counts}
    months_by_file = _months_by_file(report.ledger_cents)
    counts = {s.file: s for s in report.source_counts}
    for name in folder.export_names():
        if not name.lower().endswith(EXPORT_SUFFIXES):
            continue
        count, months = counts.get(name), months_by_file.get(name, [])
        span = "" if not months else months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        counted = (count.rows_read, count.used, count.duplicates, count.rejected) if count else (None,) * 4
        glance.exports.append(ExportRow(name, (folder.exports / name).stat().st_size, *counted, span))
    glance.months = month_strip(sorted({m for ms in months_by_file.values() for m in ms}))
    return glance


def _months_by_file(ledger) -> dict[str, list[str]]:
    if ledger is None or len(ledger) == 0 or "posting_date" not in ledger:
        return {}
    months = ledger["posting_date"].dt.strftime("%Y-%m")
    return {file: sorted(set(group)) for file, group in months.groupby(ledger["file"])}


def month_strip(covered: list[str]) -> list[Month]:
    """Every month from the first covered to the last, each covered or not.

    >>> [(m.label, m.covered) for m in month_strip(["2012-10", "2013-01"])]
    [('2012-10', True), ('2012-11', False), ('2012-12', False), ('2013-01', True)]
    """
    if not covered:
        return []
    have = set(covered)
    year, month = map(int, covered[0].split("-"))
    last = tuple(map(int, covered[-1].split("-")))
    strip = []
    while (year, month) <= last:
        label = f"{year:04d}-{month:02d}"
        strip.append(Month(label, label in have))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return strip
