"""Write files atomically: a temporary file beside the target, then one rename. No half-written output.

The temporary file is created with mode 0666 and the kernel applies the process umask, exactly as for a file
that ``open(target, "w")`` creates: the output gets the usual permissions. The umask itself is never read or
changed here (a umask can only be read by setting it, which would race with any other thread creating a
file meanwhile, such as the ledger CSV that `rcm_tables.workbook` writes on a thread).
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import threading
import time
from pathlib import Path
from typing import Iterator

_ATTEMPTS = 100
# The temporary files `atomic_path` is writing in this process: a parsing process whose parent dies exits at once
# (`os._exit`, no `finally` runs), and removes these first (`discard_in_flight`). A name is added before its file
# is created, under the lock, so that no file is ever made that a hard exit would not find.
_IN_FLIGHT: set[Path] = set()
_LOCK = threading.RLock()  # re-entrant: a signal handler may call `discard_in_flight` while its thread holds it


def discard_in_flight() -> None:
    """Remove the temporary files this process is writing, before a hard exit that follows at once: the lock is
    kept, so that no other thread starts a temporary file meanwhile (one did, on a parsing process's last file)."""
    _LOCK.acquire()
    for tmp in list(_IN_FLIGHT):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _create_beside(target: Path, in_flight: bool = False) -> Path:
    """A new empty file in the target's folder (O_EXCL: never someone else's), with the usual permissions;
    ``in_flight``: named in `_IN_FLIGHT` before it exists (the caller removes the name when done with it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        with _LOCK:
            if in_flight:
                _IN_FLIGHT.add(tmp)
            try:
                fd = os.open(tmp, flags, 0o666)
            except FileExistsError:
                _IN_FLIGHT.discard(tmp)
                continue
            except BaseException:
                _IN_FLIGHT.discard(tmp)
                raise
        os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name beside {target}")


# a temporary file beside a target older than this was left by a process killed outright (kill -9, a power cut):
# no build takes an hour, so none still being written is this old
STALE_SECONDS = 3600
_TEMPORARY = re.compile(r"\.(.+)\.[0-9a-f]{12}\.tmp")


def sweep_stale(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` (`_create_beside`'s names) that a process killed outright left
    beside it more than `STALE_SECONDS` ago; the ones removed."""
    removed = []
    now = time.time()
    try:
        siblings = list(target.parent.iterdir())
    except OSError:  # the folder is not there yet, or cannot be listed: nothing to sweep
        return removed
    for path in siblings:
        found = _TEMPORARY.fullmatch(path.name)
        if found is None or found.group(1) != target.name:
            continue
        with contextlib.suppress(OSError):
            found = path.lstat()
            if now - found.st_mtime > STALE_SECONDS and stat.S_ISREG(found.st_mode):  # (a link is not one of ours)
                path.unlink()
                removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target, on failure vanishes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = _create_beside(target, in_flight=True)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        _IN_FLIGHT.discard(tmp_path)
        if tmp_path.exists():
            tmp_path.unlink()
