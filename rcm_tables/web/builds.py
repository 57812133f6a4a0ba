"""Build from the page: `rcm_tables.pipeline.build`, the command line's own function, into a fresh
``output/<date-time>/`` folder; one build at a time (a lock file); a failed build leaves the last good one alone.

Each build's folder holds the workbook (``rcm-report.xlsx``), the documents (``rcm-report.docx``,
``rcm-report.es.docx``), the CSVs and statements as folders and as zips, and ``build.json`` (what it was built
from, for "what changed since"). ``output/LATEST`` names the latest good build.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .folder import Folder

WORKBOOK = "rcm-report.xlsx"
DOCX = "rcm-report.docx"
CSV_ZIP = "rcm-report-csv.zip"
STATEMENTS_ZIP = "rcm-report-statements.zip"
MANIFEST = "build.json"
LATEST = "LATEST"
LOCK = ".build.lock"


class Busy(RuntimeError):
    """Another build of this folder is running."""


@dataclass
class Outcome:
    ok: bool
    stamp: str = ""
    problems: list = field(default_factory=list)
    message: str = ""


class BuildLock:
    """``output/.build.lock``, created exclusively: one build at a time, across processes. A lock left by a
    process that is gone is taken over."""

    def __init__(self, folder: Folder) -> None:
        self.path = folder.output / LOCK

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if _alive(self.path):
                    raise Busy("a build of this folder is running; wait for it to finish") from None
                self.path.unlink(missing_ok=True)
                continue
            try:
                with os.fdopen(fd, "w") as out:
                    out.write(str(os.getpid()))
            except OSError:  # (a full disk): no lock left behind that would stop every later build
                self.path.unlink(missing_ok=True)
                raise
            return self
        raise Busy("a build of this folder is starting; try again")

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)


_BEING_WRITTEN = 10  # seconds: a lock without its process id for longer was left by a build that crashed


def _alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip())
    except (OSError, ValueError):  # being written (its writer is alive), or left empty by a crash long ago
        try:
            return dt.datetime.now().timestamp() - lock.stat().st_mtime < _BEING_WRITTEN
        except OSError:
            return False  # gone meanwhile
    if pid <= 0:  # (os.kill(0) would ask about this process's own group)
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no signal 0 on Windows: a lock is trusted for an hour
        return dt.datetime.now().timestamp() - lock.stat().st_mtime < 3600
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_stamp(folder: Folder) -> str:
    base = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    stamp, n = base, 1
    while (folder.output / stamp).exists():
        n += 1
        stamp = f"{base}-{n}"
    return stamp


def run(folder: Folder, as_of: dt.date | None, langs: tuple[str, ...], statements: bool, progress=None) -> Outcome:
    """Build into output/<date-time>/; on any failure nothing of it stays and LATEST is unchanged."""
    from ..pipeline import cannot_write

    try:
        with BuildLock(folder):
            return _run(folder, as_of, langs, statements, progress)
    except OSError as exc:  # the lock, zipping, the record (a full disk): nothing of this build stays (`_run`)
        return Outcome(False, message="not built: " + cannot_write(Path(exc.filename) if exc.filename else
                                                                  folder.output, exc))


def _run(folder: Folder, as_of: dt.date | None, langs: tuple[str, ...], statements: bool, progress) -> Outcome:
    from ..pipeline import BuildRequest, RequestError, build

    stamp = new_stamp(folder)
    work = folder.output / f".building-{stamp}"
    try:
        work.mkdir(parents=True)
        request = BuildRequest(
            folder=folder.root, as_of=as_of, out=work / WORKBOOK, csv=work / "csv",
            docx=work / DOCX if langs else None, langs=tuple(langs) or None,
            statements=work / "statements" if statements else None, force=True, cache=True)
        result = build(request, progress=progress)
        if not result.ok:
            return Outcome(False, problems=list(result.problems),
                           message=f"not built: {len(_errors(result.problems))} error(s) in the inputs")
        _zip(work / "csv", work / CSV_ZIP)
        if statements:
            _zip(work / "statements", work / STATEMENTS_ZIP)
        _manifest(work, folder, result.report, langs, statements, as_of)
        latest = _latest_part(folder, stamp)  # written before the build is moved into place: then only renames
        os.replace(work, folder.output / stamp)
        os.replace(latest, folder.output / LATEST)
        return Outcome(True, stamp, list(result.problems), f"built {stamp}")
    except RequestError as exc:
        return Outcome(False, message=f"not built: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _errors(problems) -> list:
    return [p for p in problems if p.severity == "error"]


def _zip(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(folder).as_posix())


def _manifest(work: Path, folder: Folder, report, langs, statements: bool, as_of) -> None:
    record = {
        "built": dt.datetime.now().isoformat(timespec="seconds"),
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "as_of_given": as_of is not None,
        "languages": list(langs),
        "statements": statements,
        "inputs": {s.file: s.sha256 for s in report.source_counts},
        "tables": sorted(p.name for p in (work / "csv").glob("*.csv")),
    }
    (work / MANIFEST).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def _latest_part(folder: Folder, stamp: str) -> Path:
    """``output/.LATEST.part`` naming ``stamp``, to be renamed to LATEST; none left when it cannot be written."""
    part = folder.output / f".{LATEST}.part"
    try:
        part.write_text(stamp + "\n", encoding="utf-8")
    except OSError:
        part.unlink(missing_ok=True)
        raise
    return part


@dataclass(frozen=True)
class Built:
    stamp: str
    path: Path
    record: dict
    latest: bool

    def files(self) -> list[str]:
        """The downloads, workbook first."""
        names = [WORKBOOK] + [f"rcm-report.{lang}.docx" if i else DOCX
                              for i, lang in enumerate(self.record.get("languages", []))]
        names += [CSV_ZIP, STATEMENTS_ZIP]
        return [n for n in names if (self.path / n).is_file()]


def history(folder: Folder) -> list[Built]:
    """The good builds, newest first."""
    if not folder.output.is_dir():
        return []
    latest = (folder.output / LATEST).read_text(encoding="utf-8").strip() if (folder.output / LATEST).is_file() else ""
    found = []
    for path in folder.output.iterdir():
        manifest = path / MANIFEST
        if path.is_dir() and not path.name.startswith(".") and manifest.is_file():
            try:
                record = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found.append(Built(path.name, path, record, path.name == latest))
    return sorted(found, key=lambda b: b.stamp, reverse=True)


def latest(folder: Folder) -> Built | None:
    builds = history(folder)
    return next((b for b in builds if b.latest), builds[0] if builds else None)


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What differs between two {file: SHA-256} records of the inputs, one line each.

    >>> changes({"a.xlsx": "1", "b.xlsx": "2"}, {"b.xlsx": "3", "c.xlsx": "4"})
    ['added: c.xlsx', 'removed: a.xlsx', 'changed: b.xlsx']
    """
    lines = [f"added: {f}" for f in sorted(set(after) - set(before))]
    lines += [f"removed: {f}" for f in sorted(set(before) - set(after))]
    lines += [f"changed: {f}" for f in sorted(set(before) & set(after)) if before[f] != after[f]]
    return lines


def table_changes(older: Built, newer: Built) -> list[str]:
    """The tables whose figures differ between two builds (their CSVs compared)."""
    names = sorted(set(older.record.get("tables", [])) | set(newer.record.get("tables", [])))
    differ = []
    for name in names:
        a, b = older.path / "csv" / name, newer.path / "csv" / name
        if not (a.is_file() and b.is_file()) or a.read_bytes() != b.read_bytes():
            differ.append(Path(name).stem)
    return differ
