"""A disk that fills up while the outputs are written (found by building onto a 3 MB tmpfs): each command says
which output could not be written and why, in one line (exit 2), and leaves nothing of it behind.

Before: XlsxWriter wraps the OSError of a full disk in its own FileCreateError, which no ``except OSError`` caught
(an internal error, for the workbook, `validate --report` and `init`); `notebooks` left a ``.part`` file and named
the notebook it copied from; a failure while the documents or CSVs were written named the workbook (the output
given when an error names no file); the page answered 500 for an upload, a new reference workbook and a build,
and a build left an empty lock file that refused every later build for good.

A full disk is made here by a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored): a write beyond it fails as
on a full disk, with EFBIG instead of ENOSPC."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web.webfixtures import app, client, folder  # noqa: F401  (fixtures)
from tests.web.webfixtures import SAMPLE, csrf_of, upload

from rcm_tables.pipeline import cannot_write

resource = pytest.importorskip("resource")  # POSIX
ROOT = Path(__file__).resolve().parents[1]


def _limited(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # (inherited across exec: a write fails instead)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def _cli(args: list[str], limit: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rcm_tables", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, preexec_fn=_limited(limit))


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_a_workbook_that_cannot_be_written_is_said_so_and_nothing_is_left(tmp_path):
    out = tmp_path / "out"
    done = _cli(["build", "--out", str(out / "r.xlsx"), "--no-cache", "-q"], 20_000)  # the sample's: 160 KB
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-3000:]
    assert lines == [f"rcm-tables: cannot write '{out / 'r.xlsx'}' (File too large): check that its folder exists "
                     "and may be written, and close the file if another program (Excel) has it open"]
    assert _files(out) == []  # nothing written, no temporary file, no folder made for nothing


@pytest.fixture
def full_disk(tmp_path) -> Path:
    """A folder on a 1 MB tmpfs filled to the last byte (Linux, as root: else the test is skipped)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs Linux and root")
    mount = tmp_path / "full"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("this machine does not let a tmpfs be mounted")
    try:
        with open(mount / "filler", "wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.parametrize("option,named", [
    (["--docx", "{full}/r.docx"], "{full}/r.docx"),
    (["--csv", "{full}/csv"], "{full}/csv/"),  # (the first CSV that needs a page of its own: not always one)
    (["--statements", "{full}/st"], "{full}/st/statement-belize.docx"),
])
def test_an_output_on_a_full_disk_is_named_not_the_workbook(tmp_path, full_disk, option, named):
    """A write that fails for a full disk names no file: the output written then is named (the workbook was)."""
    out = tmp_path / "out"
    args = [a.format(full=full_disk) for a in option]
    done = subprocess.run([sys.executable, "-m", "rcm_tables", "build", "--out", str(out / "r.xlsx"), "--no-cache",
                           "-q", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-3000:]
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"rcm-tables: cannot write '{named.format(full=full_disk)}")
    assert line.endswith("' (No space left on device): the disk is full; free some space on it, or choose another "
                         "place (nothing was written)")
    assert _files(out) == [] and _files(full_disk) == ["filler"]


@pytest.mark.parametrize("command", ["validate --report {out}/problems.xlsx", "init {out}/RCM",
                                     "notebooks {out}/notebooks"])
def test_validate_init_and_notebooks_whose_output_cannot_be_written_write_nothing(tmp_path, command):
    out = tmp_path / "out"
    args = command.format(out=out).split()
    done = _cli(args, 4_000)  # each writes a file larger than 4 KB
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-3000:]
    assert lines[-1].startswith(f"rcm-tables: cannot write '{out}") and "(File too large)" in lines[-1]
    assert "internal error" not in done.stderr and str(ROOT / "rcm_tables") not in lines[-1]
    assert _files(out) == []


def test_a_full_disk_is_said_to_be_one():
    said = cannot_write(Path("out/r.xlsx"), OSError(errno.ENOSPC, "No space left on device"))
    assert said == ("cannot write 'out/r.xlsx' (No space left on device): the disk is full; free some space on it, "
                    "or choose another place (nothing was written)")
    other = cannot_write(Path("out/r.xlsx"), OSError(errno.EACCES, "Permission denied"))
    assert "close the file if another program (Excel) has it open" in other


@contextmanager
def _files_limited_to(limit: int):
    """This process's files limited to ``limit`` bytes while the page answers (restored after)."""
    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, before)
        signal.signal(signal.SIGXFSZ, handler)


@pytest.mark.few_exports
def test_the_page_says_what_could_not_be_written_and_keeps_nothing_of_it(client, folder, tmp_path):
    token = csrf_of(client)
    client.get("/")  # (the folder validated, its exports in the cache, before the limit)
    before = _files(folder)
    export = (SAMPLE / "exports" / "IOM_LineItems_2012-11.xlsx").read_bytes()
    with _files_limited_to(4_000):  # an export is larger (7 KB), and so is a reference workbook
        uploaded = upload(client, [("IOM_LineItems_2013-01.xlsx", export)], token)
        replaced = upload(client, [SAMPLE / "reference.xlsx"], token, url="/reference", field="reference")
        built = client.post("/build", data={"csrf_token": token, "as_of": "", "lang_en": "on"})
    assert (uploaded.status_code, replaced.status_code, built.status_code) == (302, 302, 302)  # not 500
    page = client.get("/").get_data(as_text=True)
    assert ("IOM_LineItems_2013-01.xlsx: not taken: it could not be written into the folder (File too large)"
            in page)
    assert "reference workbook not replaced: it could not be written into the folder (File too large)" in page
    assert "not built: cannot write" in page and "(File too large)" in page
    assert set(_files(folder)) - set(before) <= {"incoming", "output"}  # (empty folders made on the way)
    assert not [p for p in _files(folder) if p.startswith(("incoming/", "output/"))]
    # the build's lock went with it: the next build runs
    ok = client.post("/build", data={"csrf_token": token, "as_of": ""})
    assert ok.status_code == 302 and "built 20" in client.get("/").get_data(as_text=True)


def test_a_lock_left_empty_by_a_crash_does_not_stop_every_later_build(folder):
    from rcm_tables.web.builds import BuildLock, _alive
    from rcm_tables.web.folder import Folder

    lock = BuildLock(Folder(folder)).path
    lock.parent.mkdir(parents=True)
    lock.write_text("")
    assert _alive(lock)  # being written, for all we know
    os.utime(lock, (lock.stat().st_atime - 60, lock.stat().st_mtime - 60))
    assert not _alive(lock)  # left by a crash a minute ago
    lock.write_text("0")
    assert not _alive(lock)  # (os.kill(0, 0) asks about this process's own group: always alive)
    with BuildLock(Folder(folder)):
        assert lock.read_text() == str(os.getpid())
    assert not lock.exists()
