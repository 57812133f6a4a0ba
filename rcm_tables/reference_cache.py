"""The reference workbook read and checked once: a rebuild with the same workbook takes both from the cache.

Reading the reference workbook and running its checks takes a decade's rebuild about 65 ms (calamine, typing
every sheet, the checks); the workbook rarely changes between two builds. An entry holds what `load_reference`
and `run_reference_checks` returned for one content (SHA-256) read under one name (the problems name the
file): the typed sheets as Arrow IPC, the rest as JSON. Like the exports' cache and the ledger snapshot it is
bound to the code and the libraries that read (`key`), framed by `MAGIC` and a SHA-256 of the rest, written
atomically; an entry that is damaged, stale or written for another name is read again and rewritten, never
an error. A read whose sheets hold a type the format does not keep exactly is not stored (`storable`).
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from .atomic import atomic_path
from .checks import run_reference_checks
from .inputs.aliases import ColumnNames
from .inputs.cache import ExportCache, cache_key, code_digest
from .inputs.store import arrow_file, arrow_table, framed, unframed
from .problems import Problem, file_label
from .reference import Reference, load_reference

FORMAT = 1
MAGIC = b"RCMREF\x00\x01"
_CODE = ("reference", "reference_cache", "inputs/reference_sheets", "checks/reference")  # beyond `cache_key`'s
FRAMES = ("periods", "budget_lines", "accounts", "scale", "opening", "partners", "notes", "payment_instructions",
          "column_aliases", "organization")
# the column types a typed sheet holds, which Arrow gives back exactly (object columns are not among them)
_EXACT = {"str", "datetime64[ns]", "Int64", "float64", "int64", "bool", "boolean"}


@functools.cache
def key() -> str:
    return f"reference-v{FORMAT};{cache_key()};code={code_digest(_CODE)}"


def read_reference(path: Path, cache: ExportCache | None, sha256: str | None) -> tuple[Reference, list[Problem]]:
    """`load_reference` and `run_reference_checks`, from ``cache`` when this content (``sha256``, the file's as
    hashed by the caller) was read under this name before; stored there otherwise."""
    label = file_label(path)
    entry = _entry(cache, sha256)
    if entry is not None:
        try:
            found = decode(entry.read_bytes(), sha256, label)
        except (OSError, ValueError):  # not there, or damaged (read again and rewritten below)
            found = None
        if found is not None:
            return found
    ref, problems = load_reference(path)
    problems += run_reference_checks(ref)
    if entry is not None and ref.sha256 == sha256 and storable(ref):
        try:
            with atomic_path(entry) as tmp:
                tmp.write_bytes(encode(ref, problems))
        except OSError:
            pass  # a cache folder that cannot be written: the workbook is read again next time
    return ref, problems


def _entry(cache: ExportCache | None, sha256: str | None) -> Path | None:
    if cache is None or not sha256:
        return None
    return cache.folder / f"references-v{FORMAT}" / f"{sha256}.{hashlib.sha256(key().encode()).hexdigest()[:16]}.ref"


def storable(ref: Reference) -> bool:
    """Whether every sheet's columns and row numbers are of a type the entry gives back exactly."""
    return all(str(dtype) in _EXACT for name in FRAMES for dtype in getattr(ref, name).dtypes) and all(
        str(getattr(ref, name).index.dtype) == "int64" for name in FRAMES)


def encode(ref: Reference, problems: list[Problem]) -> bytes:
    import pyarrow as pa

    blobs = [arrow_file(pa.Table.from_pandas(getattr(ref, name), preserve_index=True)) for name in FRAMES]
    meta = {"key": key(), "file": ref.file, "sha256": ref.sha256, "rows_read": ref.rows_read,
            "column_names": [list(pair) for pair in ref.column_names.extra],
            "rejected": {sheet: [[row, text] for row, text in rows.items()] for sheet, rows in ref.rejected.items()},
            "unread": sorted(ref.unread), "problems": [p.as_dict() for p in problems],
            "sizes": [len(blob) for blob in blobs]}
    head = json.dumps(meta, ensure_ascii=False).encode()
    return framed(MAGIC, len(head).to_bytes(8, "little") + head + b"".join(blobs))


def decode(data: bytes, sha256: str, label: str) -> tuple[Reference, list[Problem]] | None:
    """The read an entry holds; None when it is damaged, stale or for another name."""
    import pyarrow as pa

    payload = unframed(MAGIC, data)
    if payload is None:
        return None
    try:
        size = int.from_bytes(payload[:8], "little")
        meta = json.loads(bytes(payload[8:8 + size]))
        if meta.get("key") != key() or meta.get("sha256") != sha256 or meta.get("file") != label:
            return None
        frames, at = {}, 8 + size
        for name, length in zip(FRAMES, meta["sizes"], strict=True):
            frames[name] = arrow_table(payload[at:at + length]).to_pandas()
            at += length
        ref = Reference(file=meta["file"], sha256=meta["sha256"], **frames, rows_read=meta["rows_read"],
                        column_names=ColumnNames(tuple(tuple(pair) for pair in meta["column_names"])),
                        rejected={sheet: {int(row): text for row, text in rows}
                                  for sheet, rows in meta["rejected"].items()},
                        unread=frozenset(meta["unread"]))
        return ref, [Problem.from_dict(p) for p in meta["problems"]]
    except (pa.ArrowException, ValueError, KeyError, TypeError, IndexError):  # bytes this code did not write
        return None

