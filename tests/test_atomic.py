"""Atomic writes: a temporary file beside the target, then one rename; the usual permissions, no umask race."""
from __future__ import annotations

import os

import pytest

from rcm_tables.atomic import atomic_path


@pytest.fixture
def umask():
    """Set the process umask for one test (no other thread runs here), and put it back."""
    saved = []

    def set_mask(mask: int) -> None:
        saved.append(os.umask(mask))

    yield set_mask
    if saved:
        os.umask(saved[0])


def _never(*args):
    raise AssertionError("os.umask was called: another thread writing a file now would get mode 0666/0777")


def test_atomic_path_never_changes_the_umask(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "umask", _never)
    with atomic_path(tmp_path / "out.txt") as tmp:
        tmp.write_text("done")
    assert (tmp_path / "out.txt").read_text() == "done"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_the_file_gets_the_usual_permissions(tmp_path, umask, mask, mode):
    umask(mask)
    with atomic_path(tmp_path / "out.txt") as tmp:
        assert tmp.stat().st_mode & 0o777 == mode  # already while it is written
        tmp.write_text("done")
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == mode
    plain = tmp_path / "plain.txt"
    plain.write_text("as open() makes it")
    assert plain.stat().st_mode & 0o777 == mode


def test_a_failure_leaves_no_file_and_the_target_untouched(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("before")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("the writer failed")
    assert target.read_text() == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_hard_exit_leaves_no_temporary_file_of_a_write_in_flight(tmp_path):
    """A parsing process told to stop (SIGTERM) or orphaned exits with os._exit, where no `finally` runs: it
    removes the temporary files `atomic_path` is writing first (`discard_in_flight`)."""
    import multiprocessing
    import signal

    ready = multiprocessing.get_context("fork").Event()
    child = multiprocessing.get_context("fork").Process(target=_write_forever, args=(tmp_path / "entry.bin", ready))
    child.start()
    assert ready.wait(30)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the write is in flight
    child.terminate()  # SIGTERM, as `parallel._stop` stops the workers
    child.join(30)
    assert child.exitcode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def _write_forever(target, ready) -> None:
    import time

    from rcm_tables.inputs import parallel

    parallel._worker_started()  # what every parsing process does first
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"half an entry")
        ready.set()
        while True:
            time.sleep(0.01)


def test_no_temporary_file_is_started_once_the_in_flight_ones_are_discarded(tmp_path):
    """An orphaned parsing process's watching thread removes the files in flight, then exits: a write its main
    thread starts in between must not leave a temporary file (the CI found one, after a SIGKILL)."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(target=_discard_then_write, args=(tmp_path / "entry.bin",))
    child.start()
    child.join(30)
    assert child.exitcode == 7
    assert list(tmp_path.iterdir()) == []


def _discard_then_write(target) -> None:
    import threading
    import time

    from rcm_tables.atomic import atomic_path, discard_in_flight

    discarded = threading.Event()

    def watch() -> None:  # as `parallel._exit_with`: discard, then the process exits (here: the test's end)
        discard_in_flight()
        discarded.set()
        time.sleep(60)

    threading.Thread(target=watch, daemon=True).start()
    discarded.wait()

    def write() -> None:
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"x")
            time.sleep(60)

    threading.Thread(target=write, daemon=True).start()
    time.sleep(0.5)
    os._exit(7)
