"""The documents and statements built in other processes while this one writes the workbook.

After the report is computed, `start` forks processes that build the documents and statements from the same
report (copies of this process: nothing is read or computed again), each a share of them (`command.Share`: the
documents and members in turn), and send their bytes back; meanwhile the build writes the workbook and the
CSVs. `Pending.result` waits for them and puts the shares back in order. Two shares on two cores: the workbook,
now written in less time than the documents and statements take, no longer waits for one process doing them
all. The documents are built in this
process instead, after the workbook, where a fork is not to be had or would not pay: on Windows and macOS
(no fork: the report would have to be sent to a new interpreter), on one CPU, when another thread is running
(a fork copies its locks, not the thread), or when ``RCM_TABLES_DOCUMENT_JOBS=1``. If a process
fails in any way, the documents are built again here, so that a bug shows where it happened.
"""
from __future__ import annotations

import os
import signal
import threading
import time

from ..progress import Steps
from .command import Prepared, Share, combined, prepare, wanted

JOBS_ENV = "RCM_TABLES_DOCUMENT_JOBS"  # 1: build the documents in this process, after the workbook; N: N processes


def can_fork() -> bool:
    import multiprocessing

    from ..inputs.pool import available_cpus

    return ("fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
            and os.environ.get(JOBS_ENV, "") != "1" and available_cpus() > 1
            and threading.active_count() == 1)


class Pending:
    """Documents being built: in other processes (``processes``, each with the end of a pipe it sends on) or,
    when there are none, here on `result`."""

    def __init__(self, args, report, processes=()):
        self.args, self.report, self.processes = args, report, list(processes)
        self.started = time.perf_counter()

    def result(self, steps: Steps | None = None) -> Prepared:
        """The documents, built: by the other processes (waited for) or here."""
        steps = steps if steps is not None else Steps()
        if not wanted(self.args):
            return Prepared()
        if not self.processes:
            return prepare(self.args, self.report, steps)
        steps.start("documents: wait")  # the other processes still at work after the workbook and CSVs
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
        return done

    def cancel(self) -> None:
        """Stop the other processes (the build ended early, or their results are in)."""
        for process, receive in self.processes:
            if process.is_alive():
                process.kill()
            process.join()
            receive.close()
        self.processes = []


def shares(args) -> int:
    """How many processes build the documents: two at least (the workbook is written meanwhile), one per CPU
    but this one's up to four, and no more than there are documents and members."""
    from ..inputs.pool import available_cpus

    chosen = os.environ.get(JOBS_ENV, "")
    most = int(chosen) if chosen.isdigit() and int(chosen) > 1 else max(2, min(available_cpus() - 1, 4))
    return min(most, (len(args.langs) if args.docx is not None else 0) + (most if args.statements is not None else 0))


def start(args, report) -> Pending | None:
    """Begin building the documents of ``args`` from ``report`` in other processes; None when there are none
    to build or it would not pay (`can_fork`): then they are built here, first (`command.prepare`)."""
    if not wanted(args) or not can_fork():
        return None
    import multiprocessing

    context = multiprocessing.get_context("fork")
    count = shares(args)
    processes = []
    for index in range(count):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_build, args=(send, args, report, Share(index, count)),
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
    return Pending(args, report, processes)


def _build(send, args, report, share: Share) -> None:
    """In another process: build its share, send the result (or None if anything failed), exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        steps = Steps()
        done = prepare(args, report, steps, share)
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
