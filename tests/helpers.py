"""Constants the tests and their fixtures (tests/conftest.py) share: the checkout's paths and tricky values.

Test modules import shared helpers from helper modules like this one (``from tests.helpers import ...``), never from
conftest.py or from one another (tests/test_architecture.py checks it).
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A copy of ../shared/reference/report-2012, so that a clone tests on its own: report-2012.sha256 records its
# files (checked everywhere); test_published_copy_matches_shared compares it with ../shared where that exists.
PUBLISHED = ROOT / "tests" / "published" / "report-2012"
SHARED = ROOT.parent / "shared" / "reference" / "report-2012"

# Names SUMIFS could misread: wildcards (* ? ~), a leading operator (= <), and near-twins a wildcard would match.
TRICKY_PARTNERS = ("Star*", "StarBright", "Why?", "WhyZ", "Til~de", "=Equals", "<Less")
HYPERLINK = '=HYPERLINK("http://x","y")'
