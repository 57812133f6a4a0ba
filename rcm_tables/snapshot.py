"""The ledger snapshot: the merged, de-duplicated, attributed lines of the exports a build read, kept for the next.

A rebuild after a new month reads the new file only and continues the stored merge with its lines
(`ledger.merge`, the code a cold build runs), so it finds identical copies and conflicting ones exactly as a
cold build would. A snapshot is used only when the files it holds are the first files of the build, unchanged
and in the same order (name and SHA-256 of each): a file changed or removed, or a new one whose name sorts
before a file of the snapshot (its copy of a line would be the one kept), means a merge from the start, with
every export from the per-file cache. It is also bound to the reference workbook's SHA-256 (attribution and
the column aliases come from it), the column aliases, the cache key (code and library versions of the parse)
and the code that merges and attributes (`_CODE`): anything else is a merge from the start too.

One file per exports folder and reference in the cache folder, written atomically, `MAGIC` + SHA-256 +
payload like the cache's entries: a damaged snapshot is deleted and noted, and the build merges from the start.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from . import schemas as S
from .inputs.cache import ExportCache, cache_key, code_digest, export_meta, export_from_meta
from .inputs.exports import ExportFile
from .inputs.parallel import Plan, plan_reading
from .inputs import prefetch
from .inputs.store import SNAPSHOT_FORMAT, SNAPSHOT_MAGIC, arrow_file, arrow_table, framed, sha256_of, \
    snapshot_file, snapshot_parts, snapshot_payload, unframed
from .ledger import Merged, attribute, combine, contiguous, merge
from .money import MAX_LINES
from .reference import Reference
from .problems import Code, Problem, file_label, problem

FORMAT = SNAPSHOT_FORMAT
MAGIC = SNAPSHOT_MAGIC
# Modules whose code decides what a merge holds, beyond the parse (which `cache_key` covers)
_CODE = ("ledger", "reference", "report", "snapshot", "inputs/reference_sheets")


@functools.cache
def snapshot_key() -> str:
    return f"s{FORMAT};code={code_digest(_CODE)};{cache_key()}"


@dataclass(frozen=True)
class Snapshot:
    """The merge of ``exports`` (in build order; their lines are not kept, only their reads' accounting)."""

    reference: str  # SHA-256 of the reference workbook
    aliases: str  # the column aliases' digest
    exports: tuple[ExportFile, ...]
    counts: tuple[int, ...]  # lines read from each export
    merged: Merged

    def files(self) -> list[tuple[str, str]]:
        return [(e.file, e.sha256) for e in self.exports]

    def covers(self, files: list[tuple[str, str]]) -> bool:
        """True when the snapshot's exports are the first of ``files`` ((name, SHA-256) in build order)."""
        mine = self.files()
        return len(mine) <= len(files) and files[:len(mine)] == mine


def location(cache: ExportCache, paths: list[Path], reference_sha: str) -> Path:
    """One snapshot per exports folder and reference (`inputs.store.snapshot_file`)."""
    return snapshot_file(cache.folder, paths, reference_sha)


class CorruptSnapshot(ValueError):
    """A snapshot whose bytes are not what was written."""


def encode(snap: Snapshot) -> bytes:
    meta = {"key": snapshot_key(), "reference": snap.reference, "aliases": snap.aliases,
            "exports": [export_meta(e) for e in snap.exports], "counts": list(snap.counts),
            "conflicts": [p.as_dict() for p in snap.merged.conflicts],
            "bad_keys": sorted([list(k) for k in snap.merged.bad_keys])}
    head = json.dumps(meta, ensure_ascii=False).encode()
    first, pairs = _blob(snap.merged.first), _blob(snap.merged.pairs)
    return framed(MAGIC, snapshot_payload(head, first, pairs))


def decode(data: bytes, paths: dict[str, Path], verified: bool = False, tables: tuple | None = None
           ) -> Snapshot | None:
    """The snapshot in ``data`` (None: written by other code or libraries); `CorruptSnapshot` when damaged.
    ``paths``: the current path of each export by name; ``verified``: its checksum was found to hold already, and
    ``tables``: its two Arrow tables decompressed already (`inputs.prefetch`)."""
    payload = unframed(MAGIC, data, verified)  # (a view, not a copy of 17 MB)
    if payload is None:
        raise CorruptSnapshot()
    try:
        return _decoded(payload, paths, tables)
    except CorruptSnapshot:
        raise
    except Exception as exc:  # noqa: BLE001 - a valid checksum over bytes that do not parse: ignored, rewritten
        raise CorruptSnapshot() from exc


def _decoded(payload: bytes, paths: dict[str, Path], tables: tuple | None = None) -> Snapshot | None:
    meta_bytes, first_blob, pairs_blob = snapshot_parts(payload)
    meta = json.loads(bytes(meta_bytes))
    if meta.get("key") != snapshot_key():
        return None
    first, pairs = ((table.to_pandas() for table in tables) if tables is not None
                    else (_frame(first_blob), _frame(pairs_blob)))
    empty = pd.DataFrame()
    exports = tuple(export_from_meta(m, paths.get(m["file"], Path(m["file"])), m["file"], empty)
                    for m in meta["exports"])
    merged = Merged(first, pairs, tuple(Problem.from_dict(p) for p in meta["conflicts"]),
                    frozenset((doc, int(item)) for doc, item in meta["bad_keys"]))
    return Snapshot(meta["reference"], meta["aliases"], exports, tuple(meta["counts"]), merged)


def _blob(frame: pd.DataFrame) -> bytes:
    """Arrow's IPC format, LZ4-compressed: read back in a fraction of the time parquet takes. LZ4 rather than
    zstd: a decade's snapshot is 17 MB instead of 6, but written in 0.10 s instead of 0.16 and read in 0.05 s
    instead of 0.08, which a rebuild pays every time."""
    import pyarrow as pa

    return arrow_file(pa.Table.from_pandas(frame, preserve_index=False), "lz4")


def _frame(blob: bytes) -> pd.DataFrame:
    return arrow_table(blob).to_pandas()


def load(path: Path, reference_sha: str, paths: list[Path]) -> tuple[Snapshot | None, list[Problem]]:
    """The snapshot at ``path`` if it was made under this reference and code; a damaged one is deleted and
    noted."""
    wait()
    ahead = prefetch.blob(path)  # read (and decompressed) on a thread while the build imported pandas
    try:
        data, verified, tables = ahead if ahead is not None else (path.read_bytes(), False, None)
    except OSError:
        return None, []
    try:
        snap = decode(data, {file_label(p): p for p in paths}, verified, tables)
    except CorruptSnapshot:
        path.unlink(missing_ok=True)
        return None, [problem(Code.SNAPSHOT_CORRUPT, "the ledger snapshot did not match its checksum (a damaged "
                              "disk or copy?): it was deleted and every export merged again", file=str(path),
                              hint="nothing to do; if it happens often, check the disk the cache is on")]
    if snap is None or snap.reference != reference_sha:
        return None, []
    return snap, []


_writing: list[threading.Thread] = []


def save(path: Path, snap: Snapshot) -> None:
    """Write the snapshot atomically, on a thread: pyarrow compresses and writes without holding the GIL while
    the build goes on (a process waits for it before it exits; `load` and `wait` too). A cache folder that
    cannot be written only means no snapshot."""
    def write() -> None:
        try:
            blob = encode(snap)
            with atomic_path(path) as tmp:
                tmp.write_bytes(blob)
        except OSError:
            pass

    thread = threading.Thread(target=write, name="rcm-tables snapshot")
    thread.start()
    _writing.append(thread)


def wait() -> None:
    """Until every snapshot started is written."""
    while _writing:
        _writing.pop().join()


# ------------------------------------------------------------------------------------------------ a build's start


REWRITE_FILES = 12  # a year of monthly exports after the snapshot: write a new one
REWRITE_SHARE = 10  # or lines after it beyond a tenth of those in it


def still_enough(counts: tuple[int, ...], fresh: list[ExportFile]) -> bool:
    """Whether the snapshot found (``counts``: lines of each file in it) is kept though ``fresh`` files came after
    it: a month or a few are read from the per-file cache and merged onto it again next time (a few
    milliseconds each), which costs less than writing a decade's snapshot again in every monthly build (a tenth
    of a second, on a thread that slows the build it runs beside)."""
    return len(fresh) < REWRITE_FILES and sum(len(e.lines) for e in fresh) * REWRITE_SHARE <= sum(counts)


def digest(path: Path) -> str | None:
    try:
        return prefetch.digest(path) or sha256_of(path)
    except OSError:
        return None  # read_export reports it


@dataclass(frozen=True)
class Start:
    """Where a build's merge starts: a ledger snapshot of its first files, or nothing (`rcm_tables.report.load`
    finds it, reads the files after it, continues its merge and saves the next)."""

    cache: ExportCache | None
    paths: list[Path]
    digests: list[str | None] | None
    where: Path | None  # the snapshot's file (None: no cache)
    snap: Snapshot | None
    notes: list[Problem]
    reference: str | None = None  # the reference workbook's SHA-256

    @classmethod
    def find(cls, cache: ExportCache | None, paths: list[Path], digests, reference: Path) -> Start:
        ref_sha = digest(reference) if cache is not None else None
        if cache is None or ref_sha is None or None in digests:
            return cls(cache, paths, digests, None, None, [])
        where = location(cache, paths, ref_sha)
        snap, notes = load(where, ref_sha, paths)
        if snap is not None and not snap.covers([(file_label(p), d) for p, d in zip(paths, digests)]):
            snap = None
        return cls(cache, paths, digests, where, snap, notes, ref_sha)

    def without(self, where: bool = False) -> Start:
        """The same start without the snapshot (and with ``where``, still writing one)."""
        return Start(self.cache, self.paths, self.digests, self.where if where else None, None, self.notes,
                      self.reference)

    def plan(self, jobs: int | None) -> Plan:
        done = len(self.snap.exports) if self.snap is not None else 0
        return plan_reading(self.paths[done:], self.cache, jobs,
                            digests=None if self.digests is None else self.digests[done:])

    def stored(self) -> list[ExportFile]:
        return list(self.snap.exports) if self.snap is not None else []

    def counts(self) -> tuple[int, ...]:
        return self.snap.counts if self.snap is not None else ()

    def merging(self, ref: Reference) -> Merging:
        """The snapshot's merge, to be continued with the files read as they come (`Merging`)."""
        return Merging(self.snap.merged if self.snap is not None else None, ref)

    def merge(self, fresh: list[ExportFile], ref: Reference, merging: Merging | None = None) -> Merged:
        """The snapshot's merge continued with the lines of the files read (attributing their new lines only);
        ``merging``: where the first of them are merged already."""
        merging = merging if merging is not None else self.merging(ref)
        return merging.finish(fresh)


    def save(self, read: list[ExportFile], fresh: list[ExportFile], merged: Merged, ref: Reference) -> None:
        """A snapshot of this build's merge, unless the one found already was it, or holds nearly all of it
        (`still_enough`)."""
        if self.where is None or (self.snap is not None and still_enough(self.counts(), fresh)):
            return
        counts = self.counts() + tuple(len(e.lines) for e in fresh)
        save(self.where, Snapshot(self.reference, ref.column_names.digest(), tuple(read), counts,
                                                    merged))


class Merging:
    """A merge continued a batch of files at a time while the others are parsed (`read_exports`' ``ready``).

    Merging the files' lines in batches gives what one merge of them all gives (`ledger.merge`, as a rebuild
    continues a snapshot), and a cold build merges most of them while the processes that parse the last files
    keep the cores busy, instead of afterwards on one core.
    """

    def __init__(self, done: Merged | None, ref: Reference):
        self.done, self.ref = done, ref
        self.files = self.lines = 0  # the first files merged, and their lines
        self.stopped = False

    def _prepare(self, first):
        return attribute(first.assign(**{S.Ledger.copies: 1}), self.ref)

    def add(self, exports: list[ExportFile]) -> None:
        """Merge the next files (they follow every file merged so far)."""
        lines = sum(len(e.lines) for e in exports)
        if self.stopped or self.lines + lines > MAX_LINES:  # too many to build at all (`report.load` says so)
            self.stopped = True
            return
        self.done = merge(self.done, combine(exports), self._prepare)
        self.files, self.lines = self.files + len(exports), self.lines + lines

    def finish(self, fresh: list[ExportFile]) -> Merged:
        """The merge of every file of ``fresh`` (the files read, whose first `files` were added)."""
        rest = fresh[self.files:]
        merged = self.done if self.done is not None and not rest else merge(self.done, combine(rest), self._prepare)
        # a chunk per batch (or a snapshot's and the new files') in each text column: joined once, here
        return dataclasses.replace(merged, first=contiguous(merged.first))
