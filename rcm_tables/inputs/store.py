"""Where the cache folder is, and where a build's ledger snapshot would be in it.

Light on purpose (the standard library only): the build asks, before it imports pandas, whether a snapshot of
its exports is there (then few files, if any, need parsing, and no parsing processes are started early:
`pipeline._start_parsers`). `inputs.cache` and `snapshot` use the same answers.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import struct
from pathlib import Path

ENV_VAR = "RCM_TABLES_CACHE"
SNAPSHOT_FORMAT = 1
SNAPSHOT_MAGIC = b"RCMSNP\x00\x01"  # a snapshot file starts with this, then the SHA-256 of the rest (`snapshot`)


def sha256_of(path: Path) -> str:
    """A file's SHA-256 (hex), read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def framed(magic: bytes, payload: bytes) -> bytes:
    """``magic``, the SHA-256 of ``payload``, then ``payload``: how the cache's entries, the ledger snapshot and
    the reference's read are written, so that a damaged or foreign file is known before it is parsed."""
    return magic + hashlib.sha256(payload).digest() + payload


def unframed(magic: bytes, data: bytes, verified: bool = False) -> memoryview | None:
    """The payload of ``data`` (a view, not a copy) if it was `framed` with ``magic`` and its checksum holds;
    None otherwise. ``verified``: the checksum was found to hold already (`inputs.prefetch`)."""
    head = len(magic) + 32
    payload = memoryview(data)[head:]
    if not verified and (data[:len(magic)] != magic or hashlib.sha256(payload).digest() != data[len(magic):head]):
        return None
    return payload


def arrow_file(table, compression: str | None = None) -> bytes:
    """A pyarrow table in Arrow's IPC file format (``compression``: "lz4", or none)."""
    import pyarrow as pa
    import pyarrow.ipc

    sink = pa.BufferOutputStream()
    with pyarrow.ipc.new_file(sink, table.schema, options=pyarrow.ipc.IpcWriteOptions(compression=compression)
                              ) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def arrow_table(data):
    """The pyarrow table in an IPC file's bytes (or a view of them, read without a copy)."""
    import pyarrow as pa
    import pyarrow.ipc

    return pyarrow.ipc.open_file(pa.BufferReader(pa.py_buffer(data))).read_all()


def snapshot_payload(head: bytes, first: bytes, pairs: bytes) -> bytes:
    """What `snapshot_parts` cuts: the lengths of the head and of the first table, then the three parts."""
    return struct.pack("<QQ", len(head), len(first)) + head + first + pairs


def snapshot_parts(payload) -> tuple:
    """A snapshot's payload (what follows `SNAPSHOT_MAGIC` and its SHA-256) cut into its parts: the JSON head, then
    the Arrow IPC files of the first copies and of the pairs (`snapshot.encode`). Slices of ``payload``, so a
    memoryview gives views, not copies."""
    n_head, n_first = struct.unpack_from("<QQ", payload)
    start = struct.calcsize("<QQ")
    return (payload[start:start + n_head], payload[start + n_head:start + n_head + n_first],
            payload[start + n_head + n_first:])


def snapshot_tables(payload) -> tuple:
    """A snapshot's two Arrow tables, decompressed: run on the prefetch thread (`inputs.prefetch`), where pyarrow
    decompresses without holding the interpreter's lock while the build imports pandas. pyarrow reads an IPC
    file without importing pandas, so the thread never waits on an import the main thread holds."""
    _head, first, pairs = snapshot_parts(memoryview(payload))
    return arrow_table(first), arrow_table(pairs)


def default_dir() -> Path:
    """``$RCM_TABLES_CACHE``, or the user's cache folder for rcm-tables."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("rcm-tables", appauthor=False))


def snapshot_file(cache_folder: Path, paths, reference_sha: str) -> Path:
    """One snapshot per exports folder and reference: another folder built with the same cache keeps its own."""
    folders = sorted({str(Path(p).resolve().parent) for p in paths})
    name = hashlib.sha256(json.dumps([folders, reference_sha]).encode()).hexdigest()[:32]
    return Path(cache_folder) / f"snapshots-v{SNAPSHOT_FORMAT}" / f"{name}.snapshot"


_FORMAT_FOLDER = re.compile(r"(exports|snapshots|references)-v(\d{1,6})")
_ENTRY_SUFFIXES = (".parquet", ".arrow", ".snapshot", ".ref", ".tmp")  # what rcm-tables writes in those folders


def prune_formats(cache_folder: Path, current: dict[str, int]) -> None:
    """Remove the entries an older format left in the cache folder (``current``: each kind's format now, e.g.
    ``{"exports": 5}``): no build reads them again, and a decade's are tens of MB. Only rcm-tables' own files,
    known by their names, in folders of a lower format (a newer version's are left to it); a folder goes once
    empty; anything that cannot be removed stays, silently (the cache is never an error)."""
    try:
        folders = list(os.scandir(cache_folder))
    except OSError:
        return
    for folder in folders:
        found = _FORMAT_FOLDER.fullmatch(folder.name)
        if found is None or found.group(1) not in current or int(found.group(2)) >= current[found.group(1)]:
            continue
        try:
            for entry in os.scandir(folder.path):
                if entry.name.endswith(_ENTRY_SUFFIXES) and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
            os.rmdir(folder.path)  # (not empty: a file that is not ours stays, and its folder with it)
        except OSError:
            continue
