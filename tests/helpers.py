"""Constants the tests and their fixtures (tests/conftest.py) share: the checkout's paths and tricky values.

Test modules import shared helpers from helper modules like this one (``from tests.helpers import ...``), never from
conftest.py or from one another (tests/test_architecture.py checks it).
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# A copy of ../shared/reference/report-2012, so that a clone tests on its own: report-2012.sha256 records its
# files (checked everywhere); test_published_copy_matches_shared compares it with ../shared where that exists.
PUBLISHED = ROOT / "tests" / "published" / "report-2012"
SHARED = ROOT.parent / "shared" / "reference" / "report-2012"

# Names SUMIFS could misread: wildcards (* ? ~), a leading operator (= <), and near-twins a wildcard would match.
TRICKY_PARTNERS = ("Star*", "StarBright", "Why?", "WhyZ", "Til~de", "=Equals", "<Less")
HYPERLINK = '=HYPERLINK("http://x","y")'


# The tests that start a Jupyter kernel run one at a time, whichever xdist worker runs them (conftest.py holds a
# lock around each). A kernel's ports are picked by the process that starts it and bound by the kernel a moment
# later, so two kernels started at once in two workers can pick the same port, and one dies ("Address already in
# use"; seen once in a full run). The xdist group alone does not do it: xdist 3.8 groups by a suffix it adds to
# ``item._nodeid``, which pytest 9 no longer reads.
KERNELS = pytest.mark.xdist_group("kernels")
