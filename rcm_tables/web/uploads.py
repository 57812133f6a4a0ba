"""Files dropped on the page: each export is read and validated on arrival; a clean one goes into ``exports/``, one
with errors (or named like an export already there) is set aside in ``incoming/`` with its problems, to be
replaced by a corrected file or removed. The reference workbook is replaced keeping the old one, dated.

Nothing is written outside the folder: names are reduced to safe base names (`security.safe_name`), a file is
written beside its target and renamed into place, and a file over the size limit is dropped whole.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_path
from ..outputs import disk_full
from ..inputs.folder import EXPORT_SUFFIXES
from .folder import Folder
from .security import UnsafeName, safe_name

CHUNK = 1 << 20
MAX_FILE_BYTES = 100 * 1024**2  # per file: a monthly export is a few hundred KB
MAX_REQUEST_BYTES = 400 * 1024**2  # per request: a whole history of exports in one go


class TooBig(ValueError):
    pass


@dataclass
class Outcome:
    """What became of one uploaded file: ``kind`` is added, identical, held, set-aside or refused."""

    name: str
    kind: str
    message: str
    problems: list = field(default_factory=list)


@dataclass(frozen=True)
class SetAside:
    name: str
    size: int
    problems: tuple  # Problem records; none: a clean file held because an export has its name
    clash: bool  # an export of the same name is in exports/

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]


def store(upload, folder_path: Path, limit: int | None = None) -> Path:
    """Write an uploaded file (a werkzeug FileStorage) to a fresh hidden file in ``folder_path``; `TooBig` (and
    nothing kept) past ``limit`` bytes (default `MAX_FILE_BYTES`)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    folder_path.mkdir(parents=True, exist_ok=True)
    part = folder_path / f".part-{secrets.token_hex(8)}"
    written = 0
    try:
        with open(part, "xb") as out:
            while chunk := upload.stream.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise TooBig(f"larger than {limit // 1024**2} MB")
                out.write(chunk)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return part


def _names(folder: Folder):
    """The column aliases of the folder's reference workbook (the built-in names where it cannot be read)."""
    from ..reference import load_reference

    ref, _problems = load_reference(folder.reference)  # its problems are in the folder's problem list
    return ref.column_names


def check_export(path: Path, label: str, names) -> tuple:
    """The problems of one export read alone (`read_export`), named ``label``."""
    from ..inputs.exports import read_export

    return tuple(read_export(path, label=label, names=names).problems)


def receive(folder: Folder, uploads: list) -> list[Outcome]:
    """Take uploaded exports in: each one validated, then added, held or set aside (see the module)."""
    names = None
    outcomes = []
    for upload in uploads:
        try:
            name = safe_name(upload.filename or "", EXPORT_SUFFIXES)
            part = store(upload, folder.incoming)
        except (UnsafeName, TooBig) as exc:
            outcomes.append(Outcome(upload.filename or "", "refused", f"not taken: {exc}"))
            continue
        except OSError as exc:  # a full disk: nothing of the file is kept (`store`); the files before it are in
            outcomes.append(Outcome(upload.filename or "", "refused", f"not taken: {not_written(exc)}"))
            continue
        names = names if names is not None else _names(folder)
        outcomes.append(_place(folder, part, name, names))
    return outcomes


def _existing(folder: Folder, name: str) -> Path | None:
    """The export in exports/ named ``name`` (ignoring case, as Windows and the workbook's formulas do)."""
    for other in folder.export_names():
        if other.casefold() == name.casefold():
            return folder.exports / other
    return None


def _place(folder: Folder, part: Path, name: str, names) -> Outcome:
    problems = check_export(part, name, names)
    errors = [p for p in problems if p.severity == "error"]
    aside = folder.incoming / name
    existing = _existing(folder, name)
    if errors:
        os.replace(part, aside)
        return Outcome(name, "set-aside", f"set aside in {folder.incoming.name}/, not in exports/: "
                                          f"{len(errors)} error(s) to correct", list(problems))
    if existing is not None:
        if _same_bytes(existing, part):
            part.unlink()
            return Outcome(name, "identical", f"already in exports/ as {existing.name} (the same bytes)")
        os.replace(part, aside)
        return Outcome(name, "held", f"exports/ already holds {existing.name}: kept aside; replace the export with "
                                     "it, or remove it", list(problems))
    folder.exports.mkdir(exist_ok=True)
    os.replace(part, folder.exports / name)
    aside.unlink(missing_ok=True)  # the corrected file of one set aside under the same name
    return Outcome(name, "added", "added to exports/" + (f" ({len(problems)} warning(s))" if problems else ""),
                   list(problems))


def set_aside(folder: Folder) -> list[SetAside]:
    """The files in incoming/ with their problems (read again: they are few)."""
    if not folder.incoming.is_dir():
        return []
    files = sorted(p for p in folder.incoming.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        return []
    names = _names(folder)
    return [SetAside(p.name, p.stat().st_size, check_export(p, p.name, names), _existing(folder, p.name) is not None)
            for p in files]


def _aside_path(folder: Folder, name: str) -> Path:
    path = folder.incoming / safe_name(name, EXPORT_SUFFIXES)
    if not path.is_file():
        raise UnsafeName(f"no file {name!r} is set aside")
    return path


def replace_aside(folder: Folder, name: str, uploads: list) -> list[Outcome]:
    """The corrected file for one set aside, taken in as any upload (`receive`); the one set aside goes once a file
    is taken in its place, not before: a corrected file refused (too big, a wrong name) leaves it as it was."""
    old = _aside_path(folder, name)
    outcomes = receive(folder, uploads)
    # a file set aside again under the same name has taken the old one's place already
    again = [folder.incoming / o.name for o in outcomes if o.kind in ("set-aside", "held")]
    if any(o.kind != "refused" for o in outcomes) and old.exists() and not any(
            path.exists() and os.path.samefile(old, path) for path in again):
        old.unlink()
    return outcomes


def remove(folder: Folder, name: str) -> str:
    _aside_path(folder, name).unlink()
    return f"{name} removed"


def _now() -> dt.datetime:
    """The time a replaced file's copy is dated with (the tests set it)."""
    return dt.datetime.now()


def unused(path: Path) -> Path:
    """``path``, or the first of ``<stem> (2)<suffix>``, ``<stem> (3)<suffix>``, ... that does not exist: a dated
    copy kept of a replaced file never takes the place of one made in the same second (a form sent twice).

    >>> unused(Path("/nonexistent/reference-2012-11-09-101500.xlsx")).name
    'reference-2012-11-09-101500.xlsx'
    """
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate


def replace_export(folder: Folder, name: str) -> str:
    """Put a clean file held in incoming/ in place of the export of its name; the old export is kept in
    replaced/ as ``<name> (replaced <date-time>)<suffix>`` (`unused`)."""
    path = _aside_path(folder, name)
    if any(p.severity == "error" for p in check_export(path, path.name, _names(folder))):
        raise UnsafeName(f"{name} has errors: correct them first")
    existing = _existing(folder, name)
    if existing is not None:
        stamp = _now().strftime("%Y-%m-%d %H%M%S")
        folder.replaced.mkdir(exist_ok=True)
        shutil.move(existing, unused(folder.replaced / f"{existing.stem} (replaced {stamp}){existing.suffix}"))
    folder.exports.mkdir(exist_ok=True)
    os.replace(path, folder.exports / path.name)
    return f"{name} is now in exports/" + (f"; the old one is in {folder.replaced.name}/" if existing else "")


def replace_reference(folder: Folder, upload) -> tuple[bool, str, list]:
    """A new reference workbook: taken only when it reads without errors; the old one is kept in
    reference-history/ as reference-<date-time>.xlsx (`unused`). The workbook the folder holds already (the
    form sent twice) changes nothing. Returns (taken or unchanged, message, problems)."""
    try:
        safe_name(upload.filename or "", (".xlsx",))
        part = store(upload, folder.root)
    except (UnsafeName, TooBig) as exc:
        return False, f"reference workbook not replaced: {exc}", []
    except OSError as exc:
        return False, f"reference workbook not replaced: {not_written(exc)}", []
    try:
        return _take_reference(folder, part, upload.filename)
    finally:
        part.unlink(missing_ok=True)  # (taken: renamed into place already)


def _take_reference(folder: Folder, part: Path, label: str | None) -> tuple[bool, str, list]:
    from ..reference import load_reference

    if folder.reference.is_file() and _same_bytes(part, folder.reference):
        return True, "reference workbook unchanged: the file sent is the one the folder holds", []
    try:
        _ref, problems = load_reference(part, label=label)
    except Exception as exc:  # noqa: BLE001  an unreadable file: refused, reported
        return False, f"reference workbook not replaced: it cannot be read ({type(exc).__name__})", []
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return False, f"reference workbook not replaced: {len(errors)} error(s)", errors
    try:
        if folder.reference.exists():
            folder.history.mkdir(exist_ok=True)
            stamp = _now().strftime("%Y-%m-%d-%H%M%S")
            with atomic_path(unused(folder.history / f"reference-{stamp}.xlsx")) as copy:  # whole, or none
                shutil.copy2(folder.reference, copy)
        os.replace(part, folder.reference)
    except OSError as exc:  # the old one stays; a dated copy is whole or absent
        return False, f"reference workbook not replaced: {not_written(exc)}", []
    return True, f"reference workbook replaced; the old one is kept in {folder.history.name}/", list(problems)


def not_written(exc: OSError) -> str:
    """Why a file could not be written into the folder, in the page's words."""
    if disk_full(exc):
        return f"the disk is full ({exc.strerror}): free some space on it and send the file again"
    return f"it could not be written into the folder ({exc.strerror or exc})"


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
