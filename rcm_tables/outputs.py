"""A run's outputs as one transaction, and the rule that an output never touches an input.

`check_outputs` runs before anything is read: an output that resolves to an input file or folder, or lies inside
the exports folder, is refused even with ``--force``; so is one that cannot be written. `OutputSet` stages every
file of a run (workbook, CSVs, ledger CSV, documents) under a temporary name beside its target; only when all
are complete are they moved into place, and a failure at any point leaves the previous outputs as they were,
with no temporary file behind.
"""
from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import _create_beside, sweep_stale


class OutputError(ValueError):
    """An output that may not or cannot be written (a usage error: nothing is read, nothing written)."""


@dataclass(frozen=True)
class Output:
    option: str  # how the user named it, e.g. "--out"
    path: Path
    folder: bool = False  # a folder of files (--csv, --statements) rather than one file
    replaces: tuple[str, ...] = ()  # a folder's: the names (glob patterns) of the files a run writes in it


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))  # symbolic links and ".." resolved, as the OS will open it


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_outputs(outputs: list[Output], input_files: list[Path], input_folders: list[Path], force: bool) -> None:
    """Refuse, before any reading, an output that would touch an input or cannot be written. ``input_folders``:
    the exports folder first, then any other (the published tables)."""
    _check_apart(outputs)
    for out in outputs:
        _check_not_an_input(out.option, out.path, input_files, input_folders, "outputs are never written among the "
                            "inputs; choose another place", "outputs never replace an input, even with --force")
        try:
            _check_writable(out, _resolved(out.path), force)
        except OSError as exc:  # a path the system refuses to look at (a name too long: pathlib lets that out)
            raise OutputError(f"cannot write {out.option} {str(out.path)!r}: {exc.strerror or exc}") from None


def _check_not_an_input(option: str, path: Path, input_files: list[Path], input_folders: list[Path], among: str,
                        replaces: str) -> None:
    """Refuse ``path`` inside an input folder (the exports folder first, then the others: the published tables)
    or on an input file; ``among`` and ``replaces`` end the two messages."""
    target = _resolved(path)
    for i, folder in enumerate(_resolved(p) for p in input_folders):
        if _inside(target, folder):
            name = "the exports folder" if i == 0 else "the input folder"
            raise OutputError(f"{option} {str(path)!r} is in {name} {str(folder)!r}: {among}")
    if any(target == _resolved(p) for p in input_files):
        raise OutputError(f"{option} {str(path)!r} is an input: {replaces}")


def _check_apart(outputs: list[Output]) -> None:
    """No two outputs on one path, and none inside another's file (folders may be shared: the CSVs and the
    statements have different names)."""
    placed = [(out, _resolved(out.path)) for out in outputs]
    for i, (a, path_a) in enumerate(placed):
        for b, path_b in placed[i + 1:]:
            if (path_a == path_b and not (a.folder and b.folder)) or (not a.folder and path_a in path_b.parents) \
                    or (not b.folder and path_b in path_a.parents):
                raise OutputError(f"{a.option} {str(a.path)!r} and {b.option} {str(b.path)!r} would be written on "
                                  "one path: each output needs its own place")


def check_cache(cache: Path, input_files: list[Path], input_folders: list[Path]) -> None:
    """Refuse a cache folder (--cache-dir) among the inputs: the cache writes files, and inputs are never touched."""
    _check_not_an_input("--cache-dir", cache, input_files, input_folders,
                        "the cache is never written among the inputs; choose another place",
                        "choose a folder of its own")


def _check_writable(out: Output, target: Path, force: bool) -> None:
    if out.folder:
        if target.exists() and not target.is_dir():
            raise OutputError(f"{out.option} {str(out.path)!r} is a file, not a folder")
        if not force:
            _check_not_replaced(out, target)
        parent = target
    else:
        if target.is_dir():
            raise OutputError(f"{out.option} {str(out.path)!r} is a folder; name a file")
        if target.exists() and not target.is_file():
            raise OutputError(f"{out.option} {str(out.path)!r} is not a regular file")
        if target.exists() and not force:
            raise OutputError(f"{str(out.path)!r} exists; pass --force to overwrite it")
        parent = target.parent
    existing = next((p for p in [parent, *parent.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {out.option} {str(out.path)!r}: {str(existing or parent)!r} is not a "
                          "folder this user may write in")
    if target.exists() and not out.folder and not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {out.option} {str(out.path)!r}: the file is read-only")


def _check_not_replaced(out: Output, folder: Path) -> None:
    """Refuse a folder that already holds a file the run would write there (a previous run's), without --force."""
    if not folder.is_dir():
        return
    found = sorted({p.name for pattern in out.replaces for p in folder.glob(pattern) if p.is_file()})
    if found:
        more = f" and {len(found) - 1} more file(s) a build writes" if len(found) > 1 else ""
        raise OutputError(f"{out.option} {str(out.path)!r} already holds {found[0]!r}{more}; pass --force to replace "
                          "them, or choose an empty folder")


class OutputSet:
    """Files written together: each is staged beside its target, and all are moved into place at the end.

    Use as a context manager: leaving it normally commits, an exception rolls back (the previous files stay,
    the staged ones are deleted). Commit moves each existing target aside first, so that a failure halfway
    puts every one of them back.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []  # (temporary, target)
        self._removed: list[Path] = []
        self._made: list[Path] = []  # folders staging created, removed again (when empty) if the run fails
        self._names: dict[Path, Path] = {}  # temporary file -> target, in staging order, kept after a rollback

    def stage(self, target: Path) -> Path:
        """A temporary path beside ``target`` to write to; it becomes ``target`` on commit."""
        target = Path(target)
        missing = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
        target.parent.mkdir(parents=True, exist_ok=True)
        self._made += [p for p in missing if p not in self._made]
        sweep_stale(target)  # what a build killed outright left beside it
        try:
            tmp = _create_beside(target)
        except OSError as exc:  # named as the output, not as its hidden temporary file
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        self._staged.append((tmp, target))
        self._names[tmp] = target
        return tmp

    def where(self, exc: OSError) -> Path | None:
        """The output an error of writing concerns: the target of the temporary file it names, the file it names,
        or, when it names none (a full disk), the output staged last (None: nothing staged)."""
        if exc.filename:
            named = Path(exc.filename)
            return self._names.get(named, named)
        return next(reversed(self._names.values()), None)

    def remove(self, target: Path) -> None:
        """Delete ``target`` on commit (a previous run's output that this run does not write)."""
        self._removed.append(Path(target))

    @property
    def targets(self) -> list[Path]:
        return [target for _tmp, target in self._staged]

    def commit(self) -> None:
        moved: list[tuple[Path, Path | None]] = []  # (target, its previous version moved aside)
        try:
            for tmp, target in self._staged:
                aside = None
                if target.exists():
                    aside = _create_beside(target)
                    os.replace(target, aside)
                moved.append((target, aside))
                os.replace(tmp, target)
            for target in self._removed:
                if target.exists() and target not in self.targets:
                    target.unlink()
        except BaseException:
            for target, aside in reversed(moved):
                if aside is not None:
                    os.replace(aside, target)
                elif target.exists():
                    target.unlink()
            self._discard()  # before _unmake: the folders must be empty of temporary files to go
            self._unmake()
            raise
        finally:
            self._discard()
            for _target, aside in moved:
                if aside is not None and aside.exists():
                    aside.unlink()

    def rollback(self) -> None:
        self._discard()
        self._unmake()

    def _unmake(self) -> None:
        """Remove the folders staging made, deepest first, where nothing else was put in them meanwhile."""
        for folder in sorted(self._made, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty, or gone: leave it
                folder.rmdir()
        self._made = []

    def _discard(self) -> None:
        for tmp, _target in self._staged:
            if tmp.exists():
                tmp.unlink()
        self._staged = []

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()


@contextlib.contextmanager
def staged(outputs: OutputSet | None):
    """The caller's transaction, or (for a writer called on its own) one of its own, committed at the end."""
    if outputs is not None:
        yield outputs
    else:
        with OutputSet() as own:
            yield own


def close_xlsx(book) -> None:
    """Close an XlsxWriter workbook, which writes it. A file system error (a full disk) is raised as the OSError it
    is: XlsxWriter wraps it in its FileCreateError, which the callers' ``except OSError`` missed (a full disk was an
    internal error)."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        book.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc.__context__
        if isinstance(cause, OSError):
            raise cause from None
        raise


def disk_full(exc: OSError) -> bool:
    """A write that failed for want of space (a full disk, or the user's quota)."""
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
