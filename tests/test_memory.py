"""A build process and those it starts run without transparent huge pages (`rcm_tables.memory`); importing the
library changes nothing in the analyst's process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux process setting")
ROOT = Path(__file__).resolve().parents[1]
STATUS = ("import subprocess; print(subprocess.run(['grep', 'THP_enabled', '/proc/self/status'], "
          "capture_output=True, text=True).stdout.split()[-1])")


# the tests' own process may have run a build (`cli.main`) already: each child starts with huge pages allowed
ALLOWED = "import ctypes; ctypes.CDLL(None).prctl(41, 0, 0, 0, 0)"


def thp_of_a_child(prelude: str) -> str:
    """THP_enabled of a process started by one that ran ``prelude``."""
    return subprocess.run([sys.executable, "-c", f"{ALLOWED}; {prelude}; {STATUS}"], capture_output=True, text=True,
                          cwd=ROOT, check=True).stdout.split()[-1]


def test_a_build_and_the_processes_it_starts_have_no_huge_pages():
    assert thp_of_a_child("import rcm_tables") == "1"
    assert thp_of_a_child("from rcm_tables.memory import for_a_build; for_a_build()") == "0"


def test_the_command_line_sets_it_for_a_build(tmp_path):
    """Set by `cli.main` before the command runs (so before the build starts its parsing processes, which
    inherit it, as above)."""
    build = (f"from rcm_tables.cli import main; main(['build', '--out', {str(tmp_path / 'r.xlsx')!r}, '--no-cache'])")
    assert thp_of_a_child(build) == "0" and (tmp_path / "r.xlsx").is_file()
