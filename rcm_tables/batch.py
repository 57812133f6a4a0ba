"""Read many exports: unchanged files from the cache, new ones in a process pool when there are many.

The result is the same list of `ExportFile` in the same order whichever way each file was read (tests check
it): the pool and the cache only change how long it takes.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .cache import ExportCache
from .problems import Problem, note
from .progress import Steps
from .readers import ExportFile, read_export, sha256_of

FILES_PER_WORKER = 8  # below this a worker costs more to start than it saves


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(files: int, jobs: int | None = None) -> int:
    """How many processes to read ``files`` exports with (1: in this process)."""
    most = jobs if jobs is not None else available_cpus()
    return max(1, min(most, files // FILES_PER_WORKER))


def read_exports(paths: list[Path], cache: ExportCache | None = None, progress: Steps | None = None,
                 jobs: int | None = 1) -> tuple[list[ExportFile], list[Problem]]:
    """Read every export, in the order given. Returns the reads and problems of the cache itself (notes).

    ``jobs``: processes to parse with (None: one per core); a pool is used only when there are at least
    `FILES_PER_WORKER` files per process to parse. The caller's main module must then be import-safe (the
    command line is); the library's `load` parses in its own process unless asked.
    """
    progress = progress or Steps()
    progress.reading(len(paths))
    reads: list[ExportFile | None] = [None] * len(paths)
    digests = [_digest(path) if cache is not None else None for path in paths]
    known = [cache is not None and d is not None and cache.entry(d).exists() for d in digests]
    folder = str(cache.folder) if cache is not None else None
    workers = workers_for(known.count(False), jobs)
    pool = None
    stored: list[bool] = []
    try:
        if workers > 1:
            # not fork: this process may hold threads (pyarrow's) that a forked child would inherit locked
            context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
            if os.name == "posix":
                context.set_forkserver_preload(["rcm_tables.batch"])  # import pandas & co once, not per worker
            pool = ProcessPoolExecutor(workers, mp_context=context)
        # new files go to the pool at once; meanwhile known ones come from the cache here
        futures = {pool.submit(_read_and_store, str(paths[i]), folder): i
                   for i in range(len(paths)) if not known[i]} if pool else {}
        pooled = set(futures.values())
        for i, path in enumerate(paths):
            if known[i]:
                reads[i] = cache.get(digests[i], path, path.name)
                if reads[i] is not None:
                    progress.advance()
        for i in range(len(paths)):  # not in the cache, or an entry that could not be used
            if reads[i] is None and i not in pooled:
                reads[i], ok = _read_and_store(str(paths[i]), folder)
                stored.append(ok)
                progress.advance()
        for future in as_completed(futures):
            reads[futures[future]], ok = future.result()
            stored.append(ok)
            progress.advance()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        progress.done_reading()
    problems = []
    failed = stored.count(False)
    if failed:
        problems.append(note("cache-not-written", f"{failed} export(s) could not be saved to the cache; they will "
                             "be parsed again next time", file=folder or "",
                             hint="check that the cache folder can be written, or pass --cache-dir or --no-cache"))
    return reads, problems


def _digest(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None  # read_export reports it


def _read_and_store(path: str, folder: str | None) -> tuple[ExportFile, bool]:
    """Read one export (in a worker or here) and store it in the cache; (read, stored or no cache)."""
    export = read_export(Path(path))
    stored = ExportCache(folder).put(export) if folder is not None else True
    return export, stored
