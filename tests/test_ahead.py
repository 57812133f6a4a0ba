"""`report.Ahead`: on a large ledger the command line's build checks the ledger in a forked process while the
tables are computed, ahead of knowing whether a check finds an error. Forced here on the sample (the threshold set
to 0), each way it can go must give the report the usual order gives: the same problems, the same tables, none
when a check finds an error, and an exception only where the usual order would raise it."""
from __future__ import annotations

import os
import shutil
import sys

import pytest

from rcm_tables import forked, report as report_module
from rcm_tables.inputs.pool import available_cpus
from rcm_tables.progress import Steps
from tests.web.webfixtures import LAST_EXPORT, SAMPLE, changed_export

# where a fork can be had: elsewhere the build checks in its own process (the tests then say nothing)
pytestmark = pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin" or available_cpus() < 2,
                                reason="no fork here (Windows, macOS, one CPU)")


def _load(exports, jobs, steps=None):
    return report_module.load(exports, SAMPLE / "reference.xlsx", strict=False, jobs=jobs, progress=steps)


def _same(ahead, usual) -> None:
    assert ahead.problem_list == usual.problem_list
    assert ahead.tables.keys() == usual.tables.keys()
    for name, frame in usual.tables.items():
        assert ahead.tables[name].equals(frame), name
    assert ahead.ledger_cents.equals(usual.ledger_cents)


@pytest.fixture
def forced(monkeypatch):
    monkeypatch.setattr(report_module, "AHEAD_LINES", 0)


def test_checked_in_another_process_the_sample_gives_the_usual_report(forced):
    steps = Steps()
    ahead = _load(SAMPLE / "exports", None, steps)
    assert steps.timings["parallel: ledger checks"] > 0 and "ledger checks: wait" in steps.timings
    usual = _load(SAMPLE / "exports", 1)
    assert usual.ok and len(usual.tables) > 5
    _same(ahead, usual)


def test_an_error_a_check_finds_drops_the_tables_computed_ahead(forced, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE / "exports", exports)
    shutil.copy(changed_export(tmp_path, {"C8": "1412000099", "I8": "Atlantis"}), exports / LAST_EXPORT)
    steps = Steps()
    ahead = _load(exports, None, steps)
    assert "parallel: ledger checks" in steps.timings
    assert not ahead.ok and ahead.tables == {}
    assert [p.code.value for p in ahead.errors] == ["unknown-partner"]
    _same(ahead, _load(exports, 1))


def test_tables_that_fail_ahead_fail_only_when_no_check_finds_an_error(forced, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a table's bug")

    monkeypatch.setattr(report_module, "build_all", broken)
    with pytest.raises(RuntimeError, match="a table's bug"):  # as the usual order raises it
        _load(SAMPLE / "exports", None, Steps())
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE / "exports", exports)
    shutil.copy(changed_export(tmp_path, {"C8": "1412000099", "I8": "Atlantis"}), exports / LAST_EXPORT)
    found = _load(exports, None, Steps())  # the checks guard the tables: their error is what shows
    assert [p.code.value for p in found.errors] == ["unknown-partner"] and found.tables == {}


def test_a_check_process_that_fails_is_replaced_by_the_checks_here(forced, monkeypatch):
    parent, real = os.getpid(), report_module.checks.run_ledger_checks

    def fails_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("a bug in the other process")
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module.checks, "run_ledger_checks", fails_in_the_child)
    steps = Steps()
    ahead = _load(SAMPLE / "exports", None, steps)
    assert "parallel: ledger checks" not in steps.timings and "ledger checks: wait" in steps.timings
    _same(ahead, _load(SAMPLE / "exports", 1))


def test_small_ledgers_the_library_and_no_fork_check_here(monkeypatch):
    steps = Steps()
    _load(SAMPLE / "exports", None, steps)  # 1,320 lines: below AHEAD_LINES
    assert "ledger checks: wait" not in steps.timings
    monkeypatch.setattr(report_module, "AHEAD_LINES", 0)
    steps = Steps()
    _load(SAMPLE / "exports", 1, steps)  # the library's default (jobs=1): never forks
    assert "ledger checks: wait" not in steps.timings
    monkeypatch.setenv(forked.FORK_ENV, "0")
    steps = Steps()
    _load(SAMPLE / "exports", None, steps)
    assert "ledger checks: wait" not in steps.timings
