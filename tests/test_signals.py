"""Ctrl-C and SIGTERM stop the parsing processes and exit with one line (130, 143); SIGKILL leaves no process
behind either. No temporary file is left in the output or cache folder."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="POSIX signals")]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """Three years of monthly exports: enough files for two parsing processes, and a second or two of work."""
    out = tmp_path_factory.mktemp("history")
    subprocess.run([sys.executable, "-m", "dev.history", str(out), "--years", "3", "--lines", "2000"], cwd=ROOT,
                   check=True, capture_output=True)
    return out


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def workers() -> set[int]:
    """The processes the parsing processes' fork server has started (CPython keeps its pid privately)."""
    from multiprocessing import forkserver

    return descendants(forkserver._forkserver._forkserver_pid)


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _build_while_parsing(history: Path, out: Path) -> tuple[subprocess.Popen | None, set[int]]:
    """A build, once its fork server and two parsing processes are there and at work; (None, its processes) when
    it ended before that (on a loaded machine the server can start late, and the build end soon after)."""
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rcm_tables", "build", "--exports", str(history / "exports"), "--reference",
         str(history / "reference.xlsx"), "--out", str(out / "r.xlsx"), "--cache-dir", str(out / "cache")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen: set[int] = set()
    deadline = time.monotonic() + 30
    while len(seen) < 3 and time.monotonic() < deadline:  # the fork server and two parsing processes
        seen |= descendants(proc.pid)
        time.sleep(0.05)
    assert len(seen) >= 3, "the parsing processes did not start"
    time.sleep(0.3)
    seen |= descendants(proc.pid)
    if proc.poll() is not None:
        proc.communicate()
        return None, seen
    return proc, seen


@pytest.mark.parametrize("how, code, line", [
    ("SIGTERM", 143, "rcm-tables: terminated"),
    ("SIGINT-group", 130, "rcm-tables: interrupted"),  # Ctrl-C in a terminal: the whole process group
    ("SIGKILL", -9, None),
])
def test_a_signal_while_reading_stops_every_process(history, tmp_path, how, code, line):
    for attempt in range(3):
        out = tmp_path / f"attempt-{attempt}"
        proc, seen = _build_while_parsing(history, out)
        if proc is not None:
            break
    else:
        pytest.fail("the build ended before the signal could be sent, three times")
    if how == "SIGINT-group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, how))
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err[-2000:]
    if line is not None:
        assert err.strip().splitlines() == [line + " (files are written whole or not at all: none is left "
                                            "half-written)"]
    deadline = time.monotonic() + 10
    while any(running(p) for p in seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in seen if running(p)]
    assert not list(out.rglob("*.tmp")) and not (out / "r.xlsx").exists()


def _pool_receiving_a_big_result():
    """A one-worker pool whose thread is inside a 256 MB result message, the worker still writing it."""
    from concurrent.futures import ProcessPoolExecutor

    from rcm_tables.inputs.pool import context

    pool = ProcessPoolExecutor(1, mp_context=context())
    future = pool.submit(bytes, 1 << 28)  # zeros: written to the pipe for a tenth of a second or more
    reader = pool._executor_manager_thread
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(reader.ident)
        names = set()
        while frame is not None:
            names.add(frame.f_code.co_name)
            frame = frame.f_back
        if "_recv_bytes" in names:
            return pool, future
        time.sleep(0.0005)
    pytest.fail("the result was never being received")


def test_workers_stopped_while_a_result_is_in_the_pipe_do_not_hang_the_pool():
    """A worker terminated halfway through sending its result leaves part of a message in the result pipe: the
    pool's reading thread must meet the pipe's end and shut down, not wait for the rest (the CI's Ctrl-C hang)."""
    import threading

    from rcm_tables.inputs.parallel import _stop

    pool, _future = _pool_receiving_a_big_result()
    _stop(pool)
    done = threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True}, daemon=True)
    done.start()
    done.join(30)
    assert not done.is_alive(), "the pool waited for the rest of a message no worker will send"
    assert not any(p.is_alive() for p in (pool._processes or {}).values())


def test_a_worker_killed_while_sending_its_result_fails_its_file_instead_of_hanging_the_reads():
    """Killed by the system (for memory, say) halfway through its result: the reads find the pool stuck, stop it,
    and the file's future fails as broken (`read_exports` then parses the file itself)."""
    import threading
    from concurrent.futures.process import BrokenProcessPool

    from rcm_tables.inputs.parallel import _completed

    pool, future = _pool_receiving_a_big_result()
    worker = next(iter(pool._processes.values()))
    os.kill(worker.pid, signal.SIGKILL)
    seen = []
    reads = threading.Thread(target=lambda: seen.extend(_completed(pool, {future: 0})), daemon=True)
    reads.start()
    reads.join(30)
    assert not reads.is_alive(), "the reads waited for a result no worker will send"
    assert seen == [future] and isinstance(future.exception(), BrokenProcessPool)
    pool.shutdown()


def test_a_worker_killed_during_the_reads_loses_no_file():
    """A parsing process killed outright (SIGKILL, as the system does for memory): its file and those not parsed
    yet are parsed here, and the reads equal those of one process."""
    import threading

    from tests.rowwise_reader import assert_same_export

    from rcm_tables import paths
    from rcm_tables.inputs.parallel import read_exports
    from rcm_tables.inputs.pool import context

    files = sorted(p for p in paths.SAMPLE_EXPORTS.iterdir() if p.suffix == ".xlsx")
    context()
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker() -> None:
        while not stop.is_set() and not killed:
            started = sorted(workers())
            if started:
                os.kill(started[0], signal.SIGKILL)
                killed.append(started[0])
            time.sleep(0.005)

    killer = threading.Thread(target=kill_a_worker, daemon=True)
    killer.start()
    try:
        reads, _ = read_exports(files, jobs=2)
    finally:
        stop.set()
        killer.join()
    assert killed, "no parsing process was seen"
    alone, _ = read_exports(files, jobs=1)
    assert len(reads) == len(alone) == len(files)
    for read, expected in zip(reads, alone):
        assert_same_export(read, expected)


@pytest.mark.parametrize("where", ["merging", "take"])
def test_an_interrupt_between_the_early_pool_and_the_reads_stops_its_processes(tmp_path, monkeypatch, where):
    """Ctrl-C after the new files went to the pool (`submit_early`) and before the reads own it: the processes
    stop at once, not after parsing every file."""
    import rcm_tables
    from rcm_tables import paths, snapshot
    from rcm_tables.inputs import parallel

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    if where == "merging":
        monkeypatch.setattr(snapshot.Start, "merging", interrupted)
    else:
        monkeypatch.setattr(parallel.Submitted, "take", lambda self, names: (self.thread.join(), interrupted())[1])
    with pytest.raises(KeyboardInterrupt):
        rcm_tables.load(paths.SAMPLE_EXPORTS, paths.SAMPLE_REFERENCE, jobs=2, cache=tmp_path / "cache")
    time.sleep(2)  # time for processes left running to start and parse every file (the sample: about a second)
    deadline = time.monotonic() + 10
    while workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not workers(), "parsing processes still alive"
    exports = len([p for p in paths.SAMPLE_EXPORTS.iterdir() if p.suffix == ".xlsx"])
    entries = list((tmp_path / "cache").rglob("*.arrow"))
    assert len(entries) < exports // 2, "the processes went on parsing after the interrupt"
    assert not list(tmp_path.rglob("*.tmp"))


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="documents are forked on Linux (/proc: the forks)")
def test_a_build_killed_while_its_documents_are_built_leaves_no_process(tmp_path):
    """The documents and statements are built in a fork of the build (`document.parallel`). Killed outright
    (SIGKILL: no handler runs), the build left that fork building, then blocked for ever sending its result into a
    pipe no one read, with its memory, and keeping the parsing processes' server and the resource tracker alive
    through the descriptors it inherited (found by killing builds at random moments)."""
    for attempt in range(3):
        out = tmp_path / f"attempt-{attempt}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "rcm_tables", "build", "--out", str(out / "r.xlsx"), "--docx", str(out / "r.docx"),
             "--lang", "en,es", "--statements", str(out / "statements"), "--no-cache"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        own = _cmdline(proc.pid)
        forks: set[int] = set()
        deadline = time.monotonic() + 60
        while not forks and proc.poll() is None and time.monotonic() < deadline:
            forks = {p for p in descendants(proc.pid) if _cmdline(p) == own}  # a fork has the build's command line
            time.sleep(0.005)
        seen = descendants(proc.pid)
        if forks and proc.poll() is None:
            break
        proc.wait(60)
    else:
        pytest.fail("the build ended before its documents' process could be found, three times")
    proc.kill()
    proc.wait(30)
    deadline = time.monotonic() + 15
    while any(running(p) for p in seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in seen if running(p)]
    for pid in left:  # (not to leave them to the next tests)
        os.kill(pid, signal.SIGKILL)
    assert not left, "processes of the killed build still running"
    assert not (out / "r.xlsx").exists()  # (a SIGKILL leaves the temporary files it was writing, hidden)
