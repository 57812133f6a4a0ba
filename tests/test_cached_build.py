"""Builds with and without the cache, serial or parallel, write the same workbook and CSVs byte for byte."""
from __future__ import annotations

import io
import json
import os
import pty
from pathlib import Path

import pytest

from tests.rowwise_reader import assert_same_export

from rcm_tables.inputs.parallel import read_exports
from rcm_tables.inputs.cache import FORMAT, ExportCache
from rcm_tables.cli import main
from rcm_tables.progress import MANY_FILES, BarSteps, Steps, progress_for

from dev import history  # the synthetic history's generator

YEARS, LINES = 2, 25


@pytest.fixture(scope="module")
def small_history(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("history")
    history.generate(folder, YEARS, LINES)
    return folder


def build(folder: Path, out: Path, *cache: str) -> int:
    return main(["build", "--exports", str(folder / "exports"), "--reference", str(folder / "reference.xlsx"),
                 "--out", str(out / "report.xlsx"), "--csv", str(out / "csv"), *cache])


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_synthetic_history_has_the_contract_shape(small_history):
    manifest = json.loads((small_history / "manifest.json").read_text())
    names = sorted(p.name for p in (small_history / "exports").iterdir())
    reruns = [n for n in names if n.endswith("_run1.xlsx")]
    assert len(names) == YEARS * 12 + len(reruns) == manifest["files"] and len(reruns) == 3
    assert manifest["lines_total"] == YEARS * 12 * LINES + len(reruns) * 3  # a re-run repeats 12 % of a month
    assert (small_history / "next" / manifest["new_month"]).exists()


def test_cached_and_uncached_builds_write_identical_files(small_history, tmp_path, capsys):
    cache = tmp_path / "cache"
    assert build(small_history, tmp_path / "none", "--no-cache") == 0
    assert build(small_history, tmp_path / "cold", "--cache-dir", str(cache)) == 0
    entries = {p.name: p.stat().st_mtime_ns for p in (cache / f"exports-v{FORMAT}").iterdir()}
    assert build(small_history, tmp_path / "warm", "--cache-dir", str(cache)) == 0
    out = capsys.readouterr().out
    assert out.count("600 ledger lines from 27 export(s); 9 identical duplicate(s) counted once") == 3
    # every export was cached, and the warm build used the entries as they were
    assert len(entries) == len(list((small_history / "exports").iterdir()))
    assert {p.name: p.stat().st_mtime_ns for p in (cache / f"exports-v{FORMAT}").iterdir()} == entries
    reference = files(tmp_path / "none")
    assert len(reference) == 11  # the workbook and ten CSVs
    assert files(tmp_path / "cold") == reference
    assert files(tmp_path / "warm") == reference


def test_parallel_serial_and_cached_reads_are_identical(small_history, tmp_path):
    paths = sorted((small_history / "exports").glob("*.xlsx"))
    assert len(paths) >= 16  # enough for two processes
    serial, _ = read_exports(paths, jobs=1)
    parallel, _ = read_exports(paths, ExportCache(tmp_path / "cache"), jobs=2)
    cached, _ = read_exports(paths, ExportCache(tmp_path / "cache"), jobs=2)
    for a, b, c in zip(serial, parallel, cached):
        assert_same_export(a, b)
        assert_same_export(a, c)


def test_entries_the_pool_cannot_write_are_counted_in_one_note(small_history, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    paths = sorted((small_history / "exports").glob("*.xlsx"))
    reads, [note] = read_exports(paths, ExportCache(blocker), jobs=2)
    assert (note.severity, note.code) == ("note", "cache-not-written")
    assert note.message.startswith(f"{len(paths)} export(s) could not be saved")
    assert [r.sha256 for r in reads] and all(r.sha256 for r in reads)


def test_cache_options(small_history, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RCM_TABLES_CACHE", str(tmp_path / "env-cache"))
    with pytest.raises(SystemExit) as caught:
        build(small_history, tmp_path / "x", "--no-cache", "--cache-dir", str(tmp_path / "c"))
    assert caught.value.code == 2
    assert build(small_history, tmp_path / "a", "--no-cache") == 0
    assert not (tmp_path / "env-cache").exists()
    assert build(small_history, tmp_path / "b") == 0  # default: $RCM_TABLES_CACHE
    assert len(list((tmp_path / "env-cache" / f"exports-v{FORMAT}").iterdir())) == 27
    assert build(small_history, tmp_path / "c", "--cache-dir", str(tmp_path / "mine")) == 0
    assert len(list((tmp_path / "mine" / f"exports-v{FORMAT}").iterdir())) == 27


# ---------------------------------------------------------------- timings and the progress bar


def test_build_writes_its_timings_and_draws_no_bar_when_output_is_not_a_terminal(small_history, tmp_path,
                                                                                monkeypatch, capsys):
    monkeypatch.setenv("RCM_TABLES_TIMINGS", str(tmp_path / "t.json"))
    assert build(small_history, tmp_path / "out", "--no-cache") == 0
    timings = json.loads((tmp_path / "t.json").read_text())
    assert list(timings) == ["start-up", "checks", "read", "ledger+checks", "tables", "problems", "workbook", "csv",
                             "commit", "finish"]  # every phase of the build, in order
    assert all(seconds > 0 for seconds in timings.values())
    assert "Reading exports" not in capsys.readouterr().err


def test_no_bar_when_output_is_not_a_terminal():
    assert type(progress_for(io.StringIO())) is Steps


def _draw_on_a_terminal(files: int) -> str:
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        steps = progress_for(terminal)
        assert isinstance(steps, BarSteps)
        steps.reading(files)
        for _ in range(files):
            steps.advance()
        steps.done_reading()
        terminal.flush()
    os.set_blocking(master, False)
    seen = b""
    try:
        while chunk := os.read(master, 1 << 16):
            seen += chunk
    except (BlockingIOError, OSError):
        pass
    os.close(master)
    return seen.decode(errors="replace")


def test_a_bar_while_many_files_are_read_on_a_terminal():
    drawn = _draw_on_a_terminal(MANY_FILES + 2)
    assert "Reading exports" in drawn and f"{MANY_FILES + 2}/{MANY_FILES + 2}" in drawn


def test_no_bar_for_a_few_files_even_on_a_terminal():
    assert _draw_on_a_terminal(MANY_FILES - 1) == ""
