"""The cache of parsed exports: one Arrow file per export, named by the SHA-256 of the file's bytes and the key.

An export that has not changed is not parsed again: its validated lines and how its rows were accounted for
(sheet, header row, rows read, rejected rows, problems) come back from the cache as an `ExportFile` equal to a
fresh read. Each entry records the key it was written under (cache format, package version, a fingerprint of
the code that parses, and the versions of the libraries it uses), so no change of rcm-tables or of its
libraries ever serves a stale parse. Entries are written atomically; an entry that cannot be read, or was
written under another key, is ignored and rewritten, never an error.

The cache lives in the user's cache folder (``platformdirs.user_cache_dir("rcm-tables")``), or where
``RCM_TABLES_CACHE`` says.
"""
from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

from ..atomic import atomic_path
from ..problems import Problem
from .aliases import BUILT_IN, ColumnNames
from .store import ENV_VAR, default_dir  # noqa: F401 - the cache's folder, named here too
from .store import arrow_file, arrow_table, framed, unframed
from .exports import ExportFile

FORMAT = 5  # bump when what an entry holds changes (5: Arrow's IPC format, LZ4-compressed, instead of parquet)
_META = b"rcm-tables"
MAGIC = b"RCMTBL\x00\x05"  # an entry starts with this, then the SHA-256 of the rest
# Modules whose code decides what a parse returns, and libraries whose versions may change it
_CODE = ("inputs/engines", "inputs/values", "inputs/grid", "inputs/exports", "inputs/footing", "inputs/preflight",
         "inputs/cache", "inputs/columns", "inputs/aliases", "inputs/csvgrid", "inputs/extent", "inputs/extent_formats",
         "inputs/datesystem", "problems", "money", "schemas/__init__", "schemas/model", "schemas/inputs")
_LIBRARIES = ("pandas", "numpy", "pandera", "python-calamine", "openpyxl", "pyarrow")


def code_digest(modules: tuple[str, ...]) -> str:
    """A fingerprint of these modules' source (paths in the package, without ".py"): what a cached result was
    computed by, for the keys of the cache's entries, the snapshot and the reference's read."""
    here = Path(__file__).parents[1]
    code = hashlib.sha256()
    for module in modules:
        code.update((here / f"{module}.py").read_bytes())
    return code.hexdigest()[:16]


@functools.cache
def cache_key() -> str:
    """Format, package version, a hash of the parsing code, and the libraries' versions."""
    from .. import __version__

    libraries = []
    for name in _LIBRARIES:
        try:
            libraries.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libraries.append(f"{name}=?")
    return f"v{FORMAT};rcm-tables={__version__};code={code_digest(_CODE)};{';'.join(libraries)}"


@functools.cache
def _key_digest() -> str:
    return hashlib.sha256(cache_key().encode()).hexdigest()[:16]


class ExportCache:
    """Parsed exports in ``folder``, one entry per distinct file content."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.entries = self.folder / f"exports-v{FORMAT}"
        self.corrupt: list[str] = []  # exports whose entry failed its checksum in this run (noted, then re-parsed)

    def __repr__(self) -> str:
        return f"ExportCache({str(self.folder)!r})"

    def entry(self, sha256: str, names: ColumnNames = BUILT_IN) -> Path:
        """Where the read of this content under the current key and column aliases lives (so a stale entry is
        simply not there): a new alias in the reference re-parses every export."""
        aliases = names.digest()
        return self.entries / f"{sha256}.{_key_digest()}{'-' + aliases if aliases else ''}.arrow"

    def get(self, sha256: str, path: Path, label: str, names: ColumnNames = BUILT_IN) -> ExportFile | None:
        """The cached read of the file with this SHA-256, as if ``path`` had been read as ``label``; or None.

        An entry whose bytes do not match its own checksum is deleted and noted (`corrupt`): the file is then
        parsed again.
        """
        entry = self.entry(sha256, names)
        try:
            data = entry.read_bytes()
        except OSError:  # not there (or not readable): read the file instead
            return None
        try:
            return decode(data, sha256, path, label, names)
        except CorruptEntry:
            self.corrupt.append(label)  # list.append is atomic: the entries are loaded on threads
            entry.unlink(missing_ok=True)
            return None

    def put(self, export: ExportFile, names: ColumnNames = BUILT_IN) -> bool:
        """Store one read (made with ``names``) atomically; False if the cache folder cannot be written (the
        build goes on)."""
        if not export.sha256:
            return True  # the file could not be read at all: nothing worth keeping
        blob = encode(export, names)
        target = self.entry(export.sha256, names)
        try:  # only the file system can fail here (a folder that cannot be written, a full disk)
            with atomic_path(target) as tmp:
                tmp.write_bytes(blob)
            for stale in self.entries.glob(f"{export.sha256}.*.arrow"):  # the same file read by another version
                if stale != target:
                    stale.unlink(missing_ok=True)
            return True
        except OSError:
            return False


class CorruptEntry(ValueError):
    """An entry whose bytes are not what was written (a flipped bit, a truncated file, a foreign file)."""


def encode(export: ExportFile, names: ColumnNames = BUILT_IN) -> bytes:
    """An entry: `MAGIC`, the SHA-256 of the payload, then the payload: the lines in Arrow's IPC format,
    LZ4-compressed, with the read's metadata. Not parquet: written in 1.4 ms instead of 2.0 and read in 1.4
    instead of 2.6 (a decade: 124 of each), and no parquet module to import (20 ms in each process)."""
    import pyarrow as pa

    meta = {"key": cache_key(), "aliases": names.digest(), **export_meta(export)}
    table = pa.Table.from_pandas(export.lines, preserve_index=True, nthreads=1)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           _META: json.dumps(meta, ensure_ascii=False).encode()})
    return framed(MAGIC, arrow_file(table, "lz4"))


def decode(data: bytes, sha256: str, path: Path, label: str, names: ColumnNames = BUILT_IN) -> ExportFile | None:
    """The read an entry holds; None when it was written under another key or for other content (stale);
    `CorruptEntry` when its bytes do not match its checksum."""
    import pyarrow as pa

    payload = unframed(MAGIC, data)
    if payload is None:
        raise CorruptEntry(label)
    # the bytes are those written, by some version of rcm-tables, or bytes whose checksum was written with them
    # (a hand-made or half-migrated entry): whatever cannot be parsed is ignored and rewritten, as the cache
    # promises, never an internal error
    try:
        table = arrow_table(payload)
        meta = json.loads(table.schema.metadata[_META])
        if not isinstance(meta, dict) or meta.get("key") != cache_key() or meta.get("sha256") != sha256 \
                or meta.get("aliases") != names.digest():
            return None
        return export_from_meta(meta, Path(path), label, table.to_pandas(use_threads=False))
    except (pa.ArrowException, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise CorruptEntry(label) from exc


def export_meta(export: ExportFile) -> dict:
    """A read without its lines, as JSON: how every row of the file was accounted for."""
    return {"sha256": export.sha256, "file": export.file, "sheet": export.sheet, "header_row": export.header_row,
            "rows_read": export.rows_read, "rejected_rows": list(export.rejected_rows),
            "problems": [p.as_dict() for p in export.problems], "footing": export.footing,
            "total_row": export.total_row}


def export_from_meta(meta: dict, path: Path, label: str, lines) -> ExportFile:
    """The read `export_meta` describes, with ``lines``, as if the file at ``path`` had been read as ``label``."""
    problems = tuple(Problem.from_dict({**p, "file": label if p["file"] == meta["file"] else p["file"]})
                     for p in meta["problems"])
    return ExportFile(label, path, meta["sha256"], meta["sheet"], meta["header_row"], lines, meta["rows_read"],
                      tuple(meta["rejected_rows"]), problems, meta["footing"], meta["total_row"])


def open_cache(spec) -> ExportCache | None:
    """``False``/``None``: no cache; ``True``: the default folder; a path: that folder; or an `ExportCache`."""
    if spec is None or spec is False:
        return None
    if isinstance(spec, ExportCache):
        return spec
    return ExportCache(default_dir() if spec is True else Path(spec))
