import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
# A copy of ../shared/reference/report-2012, so that a clone tests on its own (test_published_copy checks it).
PUBLISHED = ROOT / "tests" / "published" / "report-2012"
SHARED = ROOT.parent / "shared" / "reference" / "report-2012"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory) -> Path:
    """Every command the tests run caches into a temporary folder, never the user's cache."""
    folder = tmp_path_factory.mktemp("rcm-tables-cache")
    before = os.environ.get("RCM_TABLES_CACHE")
    os.environ["RCM_TABLES_CACHE"] = str(folder)
    yield folder
    if before is None:
        del os.environ["RCM_TABLES_CACHE"]
    else:
        os.environ["RCM_TABLES_CACHE"] = before


@pytest.fixture(scope="session")
def published() -> Path:
    return PUBLISHED


@pytest.fixture(scope="session")
def sample_report():
    import rcm_tables

    return rcm_tables.load()
