"""The processes that parse exports: how many, how they start, starting them early, and stopping them.

Light on purpose (the standard library only): `warm_up` runs before the build imports pandas, so that the
server the workers are forked from imports pandas and the parsers on the second core while this process
imports its own on the first, instead of after it (about 0.4 s of a cold build on two cores).
"""
from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

FILES_PER_WORKER = 8  # below this a worker costs more to start than it saves


def available_cpus() -> int:
    """The CPUs this process may run on (Linux: its affinity mask), else every CPU of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux (Windows, macOS)
        return os.cpu_count() or 1


def workers_for(files: int, jobs: int | None = None) -> int:
    """How many processes to read ``files`` exports with (1: in this process)."""
    most = jobs if jobs is not None else available_cpus()
    return max(1, min(most, files // FILES_PER_WORKER))


def context():
    """forkserver, not fork: this process may hold threads (pyarrow's, rich's) that a forked child would
    inherit mid-work. Its server imports pandas & co once, for all workers, and starts at once, in the
    background, so that it is ready when the first file is sent. Where there is no forkserver (Windows), spawn:
    each worker then imports on its own."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rcm_tables.inputs.parallel"])
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return context


def warm_up(files: int, jobs: int | None = None) -> None:
    """Start the workers' server now if ``files`` exports may be parsed in a pool (some may come from the cache
    after all: then the server, idle on another core, has cost nothing but its memory). Not where workers are
    spawned (Windows): a spawned worker imports for itself when it starts."""
    if workers_for(files, jobs) > 1 and "forkserver" in multiprocessing.get_all_start_methods():
        context()


# how long the reads wait for a result before looking at whether the pool is stuck (`_completed`)
_WATCH = 1.0


def _completed(pool: ProcessPoolExecutor | None, futures: dict) -> Iterator:
    """The futures as they complete (`as_completed`), and never a wait for ever: a worker that dies halfway
    through sending its result (killed for memory, which is most needed then) leaves the pool's thread waiting
    for the rest of the message, so the pool never finds the worker gone. When no result came for `_WATCH`
    seconds and a worker is gone that the pool has not found, the pool is stopped (`_stop`): the futures not done
    fail with BrokenProcessPool, and the caller parses their files itself."""
    from concurrent.futures import FIRST_COMPLETED, wait

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
