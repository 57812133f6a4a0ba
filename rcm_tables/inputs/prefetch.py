"""What a rebuild reads first, read on a thread while the build imports pandas: every file's SHA-256 (the exports'
and the reference's) and the ledger snapshot's bytes, their checksum verified, then its Arrow tables decompressed.

Light on purpose (the standard library only, and what ``decode`` imports on the thread), like `inputs.store`:
`pipeline` starts it before it imports pandas, when the cache holds a snapshot of the folder; importing is work
for one core, and reading, hashing and decompressing let go of the interpreter's lock, so the second core does
them meanwhile (about 35 ms of a decade's rebuild, and the snapshot's decompression, 20-60 ms). What was read is
used only if the file is still the one read (same size and modification time); anything else, or any error, is
read again where it is needed, as without the prefetch.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from .store import sha256_of, unframed

_lock = threading.Lock()
_thread: threading.Thread | None = None
_digests: dict[str, tuple[tuple, str]] = {}  # path -> (its stat, SHA-256 hex)
_blobs: dict[str, tuple[tuple, bytes, bool, object]] = {}  # path -> (its stat, bytes, checksum verified, decoded)


def _key(path: Path) -> str:
    return os.path.abspath(path)  # the same file named relatively here and absolutely later


def _stat(path: Path) -> tuple:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def start(files: list[Path], blob: Path, header: bytes, decode=None) -> None:
    """Begin hashing ``files`` and reading ``blob`` (a file that starts with ``header`` then the SHA-256 of the
    rest, whose checksum is verified) on a thread; ``decode(rest)``, when given, runs there on a blob whose
    checksum holds (its result, or None when it raised, is given with the bytes)."""
    global _thread

    def work() -> None:
        for path in files:
            try:
                before = _stat(path)
                found = (before, sha256_of(path))
            except OSError:
                continue
            with _lock:
                _digests[_key(path)] = found
        try:
            before = _stat(blob)
            data = Path(blob).read_bytes()
        except OSError:
            return
        payload = unframed(header, data)
        verified, decoded = payload is not None, None
        if verified and decode is not None:
            try:
                decoded = decode(payload)
            except Exception:  # noqa: BLE001 - not what this code writes: decoded again where it is read, and reported
                decoded = None
        with _lock:
            _blobs[_key(blob)] = (before, data, verified, decoded)

    _thread = threading.Thread(target=work, name="rcm-tables prefetch", daemon=True)
    _thread.start()


def _wait() -> None:
    global _thread
    thread = _thread
    if thread is not None:
        thread.join()
        _thread = None


def _take(table: dict, path: Path):
    """What was read ahead for ``path`` (given once) if the file is still the one read; None otherwise."""
    if _thread is None and not table:
        return None
    _wait()
    with _lock:
        found = table.pop(_key(path), None)
    try:
        return found[1:] if found is not None and found[0] == _stat(path) else None
    except OSError:
        return None


def digest(path: Path) -> str | None:
    """The SHA-256 read ahead for ``path`` if it is still that file; None: hash it here."""
    found = _take(_digests, path)
    return found[0] if found is not None else None


def blob(path: Path) -> tuple[bytes, bool, object] | None:
    """(the bytes read ahead for ``path``, whether its checksum held, what ``decode`` made of them or None) if it
    is still that file; None: read it here."""
    return _take(_blobs, path)


def forget() -> None:
    """Drop whatever was read ahead and not used."""
    _wait()
    with _lock:
        _digests.clear()
        _blobs.clear()
