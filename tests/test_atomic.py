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
