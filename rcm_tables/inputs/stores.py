"""The cache entries of the exports a pool parses, written by its processes once every file is read.

Writing an entry costs a parsing process about 3 ms (the lines as an Arrow file): while the files are read both
cores parse, and once they are all in, the build works on the ledger on one core. So each process keeps its
reads (`hold`) and writes their entries at the end (`flush`), at a lower priority, while the build goes on;
`Stores` is the build's side: it waits for them (`Stores.finish`) or stops them (`Stores.stop`).
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..problems import Code, Problem, problem
from .aliases import ColumnNames
from .cache import ExportCache
from .exports import ExportFile
from .pool import _completed, _stop


class Stores:
    """The cache entries of the files a pool parsed, which its processes write once every file is read
    (`flush`): about 3 ms a file that the reads no longer wait for, written while the build goes on with the
    ledger (where one core is mostly idle). `finish` waits for them, `stop` stops the processes writing them."""

    def __init__(self, folder: str | None = None):
        self.folder = folder
        self.pool: ProcessPoolExecutor | None = None
        self.flushes: list = []
        self.held = 0  # files parsed by the pool, whose entries it holds until its `flush`
        self.failed = 0  # entries that could not be written here (the files parsed in this process)

    def take(self, other: Stores) -> None:
        """Take ``other``'s entries to wait for (one read's, given to the caller's `Stores`)."""
        self.stop()
        self.folder, self.pool, self.flushes, self.held, self.failed = (other.folder, other.pool, other.flushes,
                                                                       other.held, other.failed)
        other.pool, other.flushes, other.held, other.failed = None, [], 0, 0

    def finish(self) -> list[Problem]:
        """Wait until every entry is written; the note of those that could not be (none: [])."""
        pool, flushes, self.pool, self.flushes = self.pool, self.flushes, None, []
        written = 0
        if pool is not None:
            try:
                for future in _completed(pool, dict.fromkeys(flushes)):
                    try:
                        written += future.result()
                    except BrokenProcessPool:  # a worker died: what it held is not written (counted below)
                        _stop(pool)
            except BaseException:
                _stop(pool)
                raise
            finally:
                pool.shutdown(cancel_futures=True)
        failed, self.failed, self.held = self.failed + max(self.held - written, 0), 0, 0
        if not failed:
            return []
        return [problem(Code.CACHE_NOT_WRITTEN, f"{failed} export(s) could not be saved to the cache; they will "
                        "be parsed again next time", file=self.folder or "",
                        hint="check that the cache folder can be written, or pass --cache-dir or --no-cache")]

    def stop(self) -> None:
        """Stop the processes still writing (the build failed or was interrupted): an entry half-written is
        removed by its process (`_terminated`)."""
        pool, self.pool, self.flushes, self.held = self.pool, None, [], 0
        if pool is not None:
            _stop(pool)
            pool.shutdown(cancel_futures=True)


# in a worker: the reads whose cache entries it writes at its `flush`, and the barrier its pool meets at
_HELD: list[tuple[ExportFile, str, ColumnNames]] = []
_BARRIER = None
# how long a worker waits at the barrier for the others to finish their last file (then it writes its own)
_BARRIER_WAIT = 600.0


def flush() -> int:
    """In a worker, once every file is sent (one call per worker: the pool's first `flush` to be taken waits at
    the barrier until each worker has taken one): write the cache entries it holds; how many were written.

    At a lower priority where the system has one: the build's own threads come first."""
    import threading

    if _BARRIER is not None:
        try:
            _BARRIER.wait(_BARRIER_WAIT)
        except threading.BrokenBarrierError:  # another worker died or is still parsing: write what is here
            pass
    if hasattr(os, "nice"):  # (Windows has none)
        try:
            os.nice(10)  # Linux: this thread only
        except OSError:
            pass
    held = list(_HELD)
    _HELD.clear()
    return sum(ExportCache(folder).put(export, names) for export, folder, names in held)


def hold(export: ExportFile, folder: str, names: ColumnNames) -> None:
    """In a worker: keep a read whose entry `flush` writes."""
    _HELD.append((export, folder, names))


def meet_at(barrier) -> None:
    """In a worker, as it starts: the barrier its pool's processes meet at before they write (None: none)."""
    global _BARRIER
    _BARRIER = barrier
