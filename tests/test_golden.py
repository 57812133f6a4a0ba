"""The bundled sample against the published 2012 report, figure for figure.

Where DISCREPANCIES.md explains a difference, the test asserts both the published and the computed value.
"""
from __future__ import annotations

import hashlib
import os

import pytest

from tests.golden_checks import CHECKS, pub
from tests.helpers import PUBLISHED, SHARED

# The vendored copy's files and their SHA-256, as copied from ../shared/reference/report-2012 (sha256sum format)
MANIFEST = PUBLISHED.parent / "report-2012.sha256"


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _manifest() -> dict[str, str]:
    return {name.strip(): digest for digest, name in
            (line.split(maxsplit=1) for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line.strip())}


def test_the_vendored_copy_is_the_one_recorded():
    """Runs everywhere (CI has no ../shared): the golden figures are the files the manifest names, unchanged."""
    manifest = _manifest()
    assert len(manifest) == 10 and "table1_budget_history.csv" in manifest
    assert _digests(PUBLISHED) == manifest


@pytest.mark.needs_shared
def test_published_copy_matches_shared():
    """The one test that needs ../shared: the vendored copy (and its manifest) equal the shared reference."""
    if not SHARED.is_dir():
        reason = f"{SHARED} is not beside this clone; the vendored copy is checked against its manifest instead"
        pytest.skip(reason)
    shared = _digests(SHARED)
    assert shared, f"{SHARED} is empty"
    assert _digests(PUBLISHED) == shared
    assert _manifest() == shared


def test_golden_tests_read_only_the_vendored_copy():
    """Only the test marked needs_shared may touch ../shared; on CI no golden test may skip (tests/conftest.py)."""
    import inspect
    import re
    import sys

    module = sys.modules[__name__]
    me = sys._getframe().f_code.co_name
    users = [name for name, fn in inspect.getmembers(module, inspect.isfunction) if name.startswith("test_")
             and name != me and re.search(r"\bSHARED\b", inspect.getsource(fn))]
    assert users == ["test_published_copy_matches_shared"]
    from tests import golden_checks  # the checks, too, never read ../shared
    assert not re.search(r"\bSHARED\b", inspect.getsource(golden_checks))
    assert pub("table1_budget_history.csv").shape == (9, 8)  # read from PUBLISHED
    if os.environ.get("CI") == "true":
        assert PUBLISHED.is_dir()


@pytest.mark.parametrize("check", CHECKS, ids=[check.__name__ for check in CHECKS])
def test_the_sample_report_as_published(sample_report, check):
    """Every golden check (tests/golden_checks.py) on the bundled sample's report."""
    check(sample_report)
