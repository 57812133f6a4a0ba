"""Build rcm-tables' wheel from a copy of the package and install it alone in a fresh virtual environment (the
slow tests of tests/test_portability.py and tests/test_init_validate.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def run(cmd, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    return done


def check_wheel(wheel: Path) -> None:
    """The wheel holds the licence (and says which, in SPDX), the notebooks and the typing marker."""
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = archive.read(metadata).decode("utf-8")
        [license_file] = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(license_file).startswith(b"MIT License")
    assert "License-Expression: MIT" in meta and "Provides-Extra: notebooks" in meta
    assert "Classifier: Operating System :: Microsoft :: Windows" in meta
    assert {"rcm_tables/py.typed", "rcm_tables/notebooks/01_contributions_and_arrears.ipynb",
            "rcm_tables/notebooks/02_budget_execution.ipynb", "rcm_tables/notebooks/03_audit_trail.ipynb"} <= set(names)


def fresh_venv(tmp_path: Path) -> tuple[Path, Path]:
    """Build the wheel from a copy of the package (nothing written into the checkout) and install it alone."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "rcm_tables", src / "rcm_tables", ignore=shutil.ignore_patterns("__pycache__"))
    built = run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", tmp_path / "dist", src])
    assert built.returncode == 0, built.stdout + built.stderr
    # -v shows the build backend's own output: no deprecation warning (the license metadata, the layout)
    assert "Deprecat" not in built.stdout + built.stderr, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("rcm_tables-*.whl")
    assert wheel.name == "rcm_tables-0.1.0-py3-none-any.whl"  # the name the README installs
    check_wheel(wheel)
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", venv]).returncode == 0
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    done = run([python, "-m", "pip", "install", "--no-deps", "--no-index", wheel])
    assert done.returncode == 0, done.stdout + done.stderr
    return venv, scripts
