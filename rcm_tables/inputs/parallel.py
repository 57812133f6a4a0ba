"""Read many exports: unchanged files from the cache, new ones in a process pool when there are many.

The result is the same list of `ExportFile` in the same order whichever way each file was read (tests check
it): the pool and the cache only change how long it takes.
"""
from __future__ import annotations

import dataclasses
import os
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterator
from pathlib import Path

from .cache import ExportCache
from ..problems import Code, Problem, file_label, problem
from ..progress import Steps
from .aliases import BUILT_IN, ColumnNames
from .exports import ExportFile, read_export
from .store import sha256_of
from .pool import FILES_PER_WORKER, available_cpus, exit_with_parent, workers_for
from .pool import context as _context

@dataclass(frozen=True)
class Plan:
    """What reading will take: which files the cache knows, and how many processes parse the others."""

    paths: list[Path]
    cache: ExportCache | None
    digests: list[str | None]
    known: list[bool]
    workers: int
    jobs: int | None = 1
    submitted: Submitted | None = None  # the pool, when it was started early (`submit_early`)

    def stop(self) -> None:
        """Stop the pool started early, if any (the build failed or was interrupted before reading)."""
        if self.submitted is not None:
            self.submitted.stop()


class Submitted:
    """A plan's new files sent to a pool before the reference workbook's column aliases are known, on a thread
    (starting the pool waits for its server, which may still be importing pandas): parsed under the built-in
    names, which are the right ones unless the reference adds aliases (`take` then stops them, and the files
    are parsed again under the reference's)."""

    def __init__(self, plan: Plan):
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict = {}
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._submit, args=(plan,), name="rcm-tables-submit", daemon=True)
        self.thread.start()

    def _submit(self, plan: Plan) -> None:
        try:
            self.pool = ProcessPoolExecutor(plan.workers, mp_context=_context(), initializer=_worker_started)
            folder = str(plan.cache.folder) if plan.cache is not None else None
            for i in range(len(plan.paths)):
                if not plan.known[i]:
                    self.futures[self.pool.submit(_read_and_store, str(plan.paths[i]), folder, BUILT_IN)] = i
        except (OSError, RuntimeError, BrokenProcessPool):  # no processes to be had: `read_exports` parses
            self.stop(joined=True)
        except BaseException as exc:  # a bug: raised where the reads are taken
            self.error = exc

    def take(self, names: ColumnNames) -> tuple[ProcessPoolExecutor | None, dict]:
        """The pool and its futures (future -> index in the plan), if parsed under ``names``; else (None, {})."""
        self.thread.join()
        if self.error is not None:
            self.stop(joined=True)
            raise self.error
        if names.digest() or self.pool is None:
            self.stop(joined=True)
            return None, {}
        pool, futures, self.pool, self.futures = self.pool, self.futures, None, {}  # the caller's to stop now
        return pool, futures

    def stop(self, joined: bool = False) -> None:
        if not joined:
            self.thread.join()
        pool, self.pool, self.futures = self.pool, None, {}
        if pool is not None:
            _stop(pool)
            pool.shutdown(cancel_futures=True)  # waits for the workers: no entry is written after this


def plan_reading(paths: list[Path], cache: ExportCache | None = None, jobs: int | None = 1,
                 digests: list[str | None] | None = None) -> Plan:
    """Hash the files, look them up, and if a pool will parse, start its server now (it imports in the background).

    ``jobs``: processes to parse with (None: one per core); a pool is used only when there are at least
    `FILES_PER_WORKER` files per process to parse. The caller's main module must then be import-safe (the
    command line is); the library's `load` parses in its own process unless asked.
    """
    if digests is None or cache is None:  # ``digests``: the files' SHA-256, when the caller has them already
        digests = [_digest(path) if cache is not None else None for path in paths]
    known = [cache is not None and d is not None and cache.entry(d).exists() for d in digests]
    workers = workers_for(known.count(False), jobs)
    if workers > 1:
        _context()
    return Plan(list(paths), cache, digests, known, workers, jobs)


def submit_early(plan: Plan) -> Plan:
    """The plan with its new files sent to the pool now, under the built-in column names (`Submitted`), so that
    they are parsed while the reference workbook is read. The caller calls `read_exports` with it, or `Plan.stop`.
    """
    if plan.workers <= 1 or plan.submitted is not None:
        return plan
    return dataclasses.replace(plan, submitted=Submitted(plan))


def read_exports(paths: list[Path] | Plan, cache: ExportCache | None = None, progress: Steps | None = None,
                 jobs: int | None = 1, names: ColumnNames = BUILT_IN, ready: Callable[[list[ExportFile]], None] | None
                 = None) -> tuple[list[ExportFile], list[Problem]]:
    """Read every export, in the order given, with the column aliases ``names``. Returns the reads and problems
    of the cache itself (notes).

    ``paths`` may be a `Plan` made earlier (its cache and jobs are then used; made before the reference's
    aliases were known, it is looked up again when there are any). ``ready``, while a pool parses: called here
    with the first reads, in order, a batch at a time as soon as they are all in (not necessarily all of them:
    the caller takes the rest from the list returned), so that the caller works on them while this process
    would otherwise only wait.
    """
    plan = paths if isinstance(paths, Plan) else plan_reading(paths, cache, jobs)
    pool, futures = plan.submitted.take(names) if plan.submitted is not None else (None, {})
    plan = _for_names(plan, names)
    paths, cache, known = plan.paths, plan.cache, plan.known
    progress = progress or Steps()
    progress.reading(len(paths))
    reads: list[ExportFile | None] = [None] * len(paths)
    folder = str(cache.folder) if cache is not None else None
    stored: list[bool] = []
    given = _Batches(reads, ready)
    try:
        if plan.workers > 1 and pool is None:
            try:
                pool = ProcessPoolExecutor(plan.workers, mp_context=_context(), initializer=_worker_started)
                # new files go to the pool at once; meanwhile known ones come from the cache here
                futures = {pool.submit(_read_and_store, str(paths[i]), folder, names): i
                           for i in range(len(paths)) if not known[i]}
            except (OSError, RuntimeError, BrokenProcessPool):  # no processes to be had: parse here
                if pool is not None:
                    _stop(pool)  # (any process it started is of no use now: see below)
                futures = {}
        hits = [i for i in range(len(paths)) if known[i]]
        # decompressing an entry lets go of the GIL: two threads load a decade of entries in less time than one
        with ThreadPoolExecutor(max(1, min(available_cpus(), len(hits) // FILES_PER_WORKER))) as threads:
            for i, read in zip(hits, threads.map(lambda i: cache.get(plan.digests[i], paths[i], file_label(paths[i]), names),
                                                 hits)):
                reads[i] = read
                if read is not None:
                    progress.advance()
        pooled = set(futures.values())
        for i in range(len(paths)):  # not in the cache, or an entry that could not be used
            if reads[i] is None and i not in pooled:
                reads[i], ok = _read_and_store(str(paths[i]), folder, names)
                stored.append(ok)
                progress.advance()
        for future in _completed(pool, futures):
            i = futures[future]
            try:
                reads[i], ok = future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): parse that file here
                # and stop the pool's other processes now: one that the pool started as it broke (while files were
                # still being sent) is never told to stop, and shutting the pool down would wait for it for ever
                _stop(pool)
                reads[i], ok = _read_and_store(str(paths[i]), folder, names)
            stored.append(ok)
            progress.advance()
            given.offer()
    except BaseException:
        if pool is not None:
            _stop(pool)  # interrupted (Ctrl-C, SIGTERM) or failed: the workers stop now, not after their file
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        progress.done_reading()
    problems = [problem(Code.CACHE_ENTRY_CORRUPT, "its cache entry did not match its checksum (a damaged disk or "
                        "copy?): it was deleted and the export parsed again", file=label,
                        hint="nothing to do; if it happens often, check the disk the cache is on")
                for label in sorted(cache.corrupt)] if cache is not None else []
    failed = stored.count(False)
    if failed:
        problems.append(problem(Code.CACHE_NOT_WRITTEN, f"{failed} export(s) could not be saved to the cache; they will "
                             "be parsed again next time", file=folder or "",
                             hint="check that the cache folder can be written, or pass --cache-dir or --no-cache"))
    return reads, problems


class _Batches:
    """Hands ``ready`` the first reads not given yet, in order, once a batch of them is in."""

    def __init__(self, reads: list, ready: Callable[[list[ExportFile]], None] | None):
        self.reads, self.ready, self.given = reads, ready, 0
        # eight batches: each costs the caller a merge with all the lines before it, and the last one, merged
        # once every file is in, is at most an eighth of the files
        self.size = max(FILES_PER_WORKER, -(-len(reads) // 8))

    def offer(self) -> None:
        if self.ready is None:
            return
        end = self.given
        while end < len(self.reads) and self.reads[end] is not None:
            end += 1
        if end - self.given >= self.size:
            batch, self.given = self.reads[self.given:end], end
            self.ready(batch)


def _for_names(plan: Plan, names: ColumnNames) -> Plan:
    """The plan looked up again under the reference's column aliases (they name other cache entries)."""
    if not names.digest() or plan.cache is None:
        return plan
    known = [d is not None and plan.cache.entry(d, names).exists() for d in plan.digests]
    return Plan(plan.paths, plan.cache, plan.digests, known, workers_for(known.count(False), plan.jobs), plan.jobs)


def _worker_started() -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the workers), and a worker whose parent dies
    (killed, even by a signal that cannot be caught) exits at once instead of waiting for work forever."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)  # the parent stops the workers so (`_stop`)
    exit_with_parent()


def _terminated(signum, frame) -> None:
    """A worker told to stop removes the cache entry it was writing, then exits at once."""
    from ..atomic import discard_in_flight

    discard_in_flight()
    os._exit(128 + signum)


# how long the reads wait for a result before looking at whether the pool is stuck (`_completed`)
_WATCH = 1.0


def _completed(pool: ProcessPoolExecutor | None, futures: dict) -> Iterator:
    """The futures as they complete (`as_completed`), and never a wait for ever: a worker that dies halfway
    through sending its result (killed for memory, which is most needed then) leaves the pool's thread waiting
    for the rest of the message, so the pool never finds the worker gone. When no result came for `_WATCH`
    seconds and a worker is gone that the pool has not found, the pool is stopped (`_stop`): the futures not done
    fail with BrokenProcessPool, and the caller parses their files itself."""
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=_WATCH, return_when=FIRST_COMPLETED)
        yield from done
        if not done and pool is not None and _stuck(pool):
            _stop(pool)


def _stuck(pool: ProcessPoolExecutor) -> bool:
    """A worker of the pool has exited while the pool has not found it broken (CPython's ``_broken``)."""
    if getattr(pool, "_broken", False):
        return False
    return any(process.exitcode is not None for process in _workers(pool))


def _workers(pool: ProcessPoolExecutor) -> list:
    """The pool's worker processes (CPython keeps them in ``_processes``; None once shut down)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers.

    A worker stopped while it sends a result leaves part of a message in the pool's result pipe, and the pool's
    thread reading it would wait for the rest for ever (`shutdown` with it): this process holds the pipe's write
    end too, which it never writes. Closed here, the reader meets the pipe's end once the workers are gone, and
    the pool shuts down as broken."""
    for process in _workers(pool):
        if process.is_alive():
            process.terminate()
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()


def _digest(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None  # read_export reports it


def _read_and_store(path: str, folder: str | None, names: ColumnNames = BUILT_IN) -> tuple[ExportFile, bool]:
    """Read one export (in a worker or here) and store it in the cache; (read, stored or no cache)."""
    export = read_export(Path(path), names=names)
    stored = ExportCache(folder).put(export, names) if folder is not None else True
    return export, stored
