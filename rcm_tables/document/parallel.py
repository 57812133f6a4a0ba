"""The documents and statements built in a second process while this one writes the workbook.

After the report is computed, `start` forks a process that builds every document and statement from the same
report (a copy of this process: nothing is read or computed again) and sends their bytes back; meanwhile the
build writes the workbook and the CSVs. `Pending.result` waits for them. The documents are built in this
process instead, after the workbook, where a fork is not to be had or would not pay: on Windows and macOS
(no fork: the report would have to be sent to a new interpreter), on one CPU, when another thread is running
(a fork copies its locks, not the thread), or when ``RCM_TABLES_DOCUMENT_JOBS=1``. If the second process
fails in any way, the documents are built again here, so that a bug shows where it happened.
"""
from __future__ import annotations

import os
import signal
import threading
import time

from ..progress import Steps
from .command import Prepared, prepare, wanted

JOBS_ENV = "RCM_TABLES_DOCUMENT_JOBS"  # 1: build the documents in this process, after the workbook


def can_fork() -> bool:
    import multiprocessing

    from ..inputs.parallel import available_cpus

    return ("fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
            and os.environ.get(JOBS_ENV, "") != "1" and available_cpus() > 1
            and threading.active_count() == 1)


class Pending:
    """Documents being built: in a second process (``process``) or, when it is None, here on `result`."""

    def __init__(self, args, report, process=None, receive=None):
        self.args, self.report, self.process, self.receive = args, report, process, receive
        self.started = time.perf_counter()

    def result(self, steps: Steps | None = None) -> Prepared:
        """The documents, built: by the second process (waited for) or here."""
        steps = steps if steps is not None else Steps()
        if not wanted(self.args):
            return Prepared()
        if self.process is None:
            return prepare(self.args, self.report, steps)
        steps.start("documents: wait")  # the second process still at work after the workbook and CSVs
        try:
            done = self.receive.recv()
        except (EOFError, OSError):
            done = None
        finally:
            self.cancel()
        if not isinstance(done, Prepared):  # it failed: build here, where an error shows where it is
            return prepare(self.args, self.report, steps)
        for phase, seconds in done.timings.items():
            steps.record(f"parallel: {phase}", seconds)
        return done

    def cancel(self) -> None:
        """Stop the second process (the build ended early, or its result is in)."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.receive.close()
            self.process = None


def start(args, report) -> Pending | None:
    """Begin building the documents of ``args`` from ``report`` in a second process; None when there are none
    to build or it would not pay (`can_fork`): then they are built here, first (`command.prepare`)."""
    if not wanted(args) or not can_fork():
        return None
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_build, args=(send, args, report), name="rcm-tables documents", daemon=True)
    try:
        process.start()
    except OSError:  # no process to be had: build here
        receive.close()
        send.close()
        return None
    send.close()
    return Pending(args, report, process, receive)


def _build(send, args, report) -> None:
    """In the second process: build, send the result (or None if anything failed), exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        steps = Steps()
        done = prepare(args, report, steps)
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
