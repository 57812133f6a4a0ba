"""A function run in a forked copy of this process while this one does something else: the second core's share of
a build (the ledger checks while the tables are computed, `rcm_tables.report`).

A fork is a copy of the process with everything computed so far in it: nothing is sent to the child but what it
returns (pickled, through a pipe). It is used only where it is safe and pays: on Linux (fork is the default
start method there and safe without other threads), with two or more CPUs, when no other thread runs (a fork
copies a thread's locks but not the thread: the ledger snapshot's writer may be running), and not when
``RCM_TABLES_FORK=0``. Anything that goes wrong in the child (an exception, a crash, a result that cannot be
sent) makes `Forked.result` say so, and the caller calls the function itself: a bug then shows where it is,
with its traceback.
"""
from __future__ import annotations

import os
import signal
import threading

FORK_ENV = "RCM_TABLES_FORK"  # 0: never fork (each function is then called in this process)


def can_fork() -> bool:
    import multiprocessing

    from .inputs.pool import available_cpus

    return ("fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
            and os.environ.get(FORK_ENV, "") != "0" and available_cpus() > 1
            and threading.active_count() == 1)


class Forked:
    """``function()`` called in a forked process, started at once; `result` waits for what it returns."""

    def __init__(self, function, name: str = "rcm-tables"):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_call, args=(send, function), name=name, daemon=True)
        try:
            self._process.start()
        finally:
            send.close()

    def result(self) -> tuple[bool, object]:
        """(True, what the function returned), or (False, None) when the child failed in any way."""
        try:
            done = self._receive.recv()
        except (EOFError, OSError):  # it died before sending (killed, out of memory)
            done = None
        finally:
            self.cancel()
        return (True, done[1]) if isinstance(done, tuple) and done[:1] == ("ok",) else (False, None)

    def cancel(self) -> None:
        """Stop the child (the caller stopped early, or its result is in)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


def start(function, name: str = "rcm-tables") -> Forked | None:
    """`Forked` when a fork is safe and to be had (`can_fork`), else None: the caller calls ``function`` itself."""
    if not can_fork():
        return None
    try:
        return Forked(function, name)
    except OSError:  # no process to be had
        return None


def _call(send, function) -> None:
    """In the child: call, send ("ok", the result), or ("failed",) when anything goes wrong; then exit at once
    (the parent's atexit handlers and open files are the parent's)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        try:
            message = ("ok", function())
        except BaseException:  # the parent calls the function again and shows the error
            message = ("failed",)
        try:
            send.send(message)
        except BaseException:  # a result that cannot be sent: the parent calls it again
            send.send(("failed",))
    finally:
        send.close()
        os._exit(0)
