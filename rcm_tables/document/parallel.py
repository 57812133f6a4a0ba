"""The documents and statements built in another process while this one writes the workbook, and then here too.

After the report is computed, `start` forks processes that build the documents and statements from the same
report (copies of this process: nothing is read or computed again) and send their bytes back; meanwhile this
process writes the workbook and the CSVs, then builds whatever no other process has begun (`Pending.result`),
and puts every part back in order (`command.combined`). The work is shared out by `Claims`: each document, and
each member's statements, goes to whichever process asks for it first. So on two cores one other process
starts on the documents at once, on the core the workbook leaves free, and this one joins it when the workbook
is written: no core idle, and none shared by three processes (as with two other processes, each given half the
work in advance: a third slower on two cores).

The documents are built in this process alone, after the workbook, where a fork is not to be had or would not
pay: on Windows and macOS (no fork: the report would have to be sent to a new interpreter), on one CPU, when
another thread is running (a fork copies its locks, not the thread), or when ``RCM_TABLES_DOCUMENT_JOBS=1``.
If another process fails in any way, the documents are built again here, so that a bug shows where it happened.
"""
from __future__ import annotations

import os
import signal
import threading

from ..progress import Steps
from .command import Prepared, combined, places, prepare, wanted, warm

# how many processes build the documents, this one included (it joins when the workbook is written); 1: this
# one alone, after the workbook
JOBS_ENV = "RCM_TABLES_DOCUMENT_JOBS"
MOST_JOBS = 5


def can_fork() -> bool:
    import multiprocessing

    from ..inputs.pool import available_cpus

    return ("fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
            and os.environ.get(JOBS_ENV, "") != "1" and available_cpus() > 1
            and threading.active_count() == 1)


class Claims:
    """The places of the work (`command.places`: the documents, then the members), each built by the process that
    claims it first; made before the fork, so that every process shares the same flags."""

    def __init__(self, context, count: int):
        self._taken = context.Array("b", max(count, 1))  # with its lock
        self.count = count

    def takes(self, place: int) -> bool:
        """Claim ``place``: True the first time any process asks."""
        with self._taken.get_lock():
            if place >= self.count or self._taken[place]:
                return False  # (a place beyond the count: `Pending.result` finds it missing and builds here)
            self._taken[place] = 1
            return True

    def left(self) -> int:
        """How many places no process has claimed yet."""
        with self._taken.get_lock():
            return self.count - sum(self._taken[:self.count])


class Pending:
    """Documents being built: in other processes (``processes``, each with the end of a pipe it sends on, and the
    ``claims`` they share with this one) or, when there are none, here on `result`."""

    def __init__(self, args, report, processes=(), claims: Claims | None = None):
        self.args, self.report, self.processes, self.claims = args, report, list(processes), claims

    def result(self, steps: Steps | None = None) -> Prepared:
        """The documents, built: what is left here, then the other processes' parts (waited for)."""
        steps = steps if steps is not None else Steps()
        if not wanted(self.args):
            return Prepared()
        if not self.processes:
            return prepare(self.args, self.report, steps)
        mine = prepare(self.args, self.report, steps, self.claims) if self.claims.left() else Prepared()
        steps.start("documents: wait")  # the other processes still at work after this one's share
        parts = []
        try:
            for _process, receive in self.processes:
                try:
                    parts.append(receive.recv())
                except (EOFError, OSError):
                    parts.append(None)
        finally:
            self.cancel()
        if not all(isinstance(part, Prepared) for part in parts):  # one failed: build here, where an error shows
            return prepare(self.args, self.report, steps)
        done = combined(parts, len(self.args.langs))
        for phase, seconds in done.timings.items():
            steps.record(f"parallel: {phase}", seconds)
        done = combined([done, mine], len(self.args.langs))
        if _complete(done, places(self.args, self.report)) or any(p.severity == "error" for p in done.problems):
            return done
        return prepare(self.args, self.report, steps)  # (a place missed or built twice: cannot happen; if it did)

    def cancel(self) -> None:
        """Stop the other processes (the build ended early, or their results are in)."""
        for process, receive in self.processes:
            if process.is_alive():
                process.kill()
            process.join()
            receive.close()
        self.processes = []


def _complete(done: Prepared, counts: tuple[int, int]) -> bool:
    """Whether every document and member was built, once."""
    documents, members = counts
    return done.document_places == list(range(documents)) and done.member_places == list(range(members))


def jobs(args, report) -> int:
    """How many other processes build the documents: one per CPU but this one's (which joins them after the
    workbook), at most MOST_JOBS - 1, and no more than there are documents and members."""
    from ..inputs.pool import available_cpus

    chosen = os.environ.get(JOBS_ENV, "")
    most = int(chosen) if chosen.isdigit() and int(chosen) > 1 else max(2, min(available_cpus(), MOST_JOBS))
    return max(1, min(most - 1, sum(places(args, report))))


def start(args, report, steps: Steps | None = None) -> Pending | None:
    """Begin building the documents of ``args`` from ``report`` in other processes; None when there are none
    to build or it would not pay (`can_fork`): then they are built here, first (`command.prepare`)."""
    if not wanted(args) or not can_fork():
        return None
    import multiprocessing

    if steps is not None:
        steps.start("documents: start")  # what every process building them needs, done once; then the fork
    warm(args, report)
    context = multiprocessing.get_context("fork")
    claims = Claims(context, sum(places(args, report)))
    processes = []
    for index in range(jobs(args, report)):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_build, args=(send, args, report, claims),
                                  name=f"rcm-tables documents {index + 1}", daemon=True)
        try:
            process.start()
        except OSError:  # no process to be had: build here
            receive.close()
            send.close()
            Pending(args, report, processes).cancel()
            return None
        send.close()
        processes.append((process, receive))
    return Pending(args, report, processes, claims)


def _build(send, args, report, claims: Claims) -> None:
    """In another process: build its share, send the result (or None if anything failed), exit."""
    from ..inputs.pool import exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    exit_with_parent()  # a parent killed outright (no handler ran) left this one blocked sending its result
    try:
        steps = Steps()
        done = prepare(args, report, steps, claims)
        done.timings = dict(steps.timings)
    except BaseException:  # the parent builds again and shows the error
        done = None
    try:
        send.send(done)
    except BaseException:  # (a result that cannot be sent) the parent builds again
        try:
            send.send(None)
        except BaseException:
            pass
    finally:
        send.close()
