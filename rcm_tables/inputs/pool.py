"""The processes that parse exports: how many, how they start, and starting them early.

Light on purpose (the standard library only): `warm_up` runs before the build imports pandas, so that the
server the workers are forked from imports pandas and the parsers on the second core while this process
imports its own on the first, instead of after it (about 0.4 s of a cold build on two cores).
"""
from __future__ import annotations

import multiprocessing
import os

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


def exit_with_parent() -> None:
    """In a process this one started (a parsing worker, a document process): exit at once when the parent does,
    even by a signal that cannot be caught (kill -9, the out-of-memory killer). Else such a process would wait for
    work, or block for ever sending its result into a pipe no one reads, holding its memory and keeping the
    workers' server alive. The temporary files it was writing are removed first (`atomic.discard_in_flight`)."""
    import threading

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="rcm-tables-parent-watch",
                         daemon=True).start()


def _exit_with(sentinel) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    from ..atomic import discard_in_flight

    discard_in_flight()  # a cache entry half-written: its temporary file goes too
    os._exit(1)
