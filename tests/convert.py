"""Copies of exports in other formats, made by LibreOffice headless (soffice --convert-to), as a user would.

soffice runs with a private profile, so it neither waits for nor disturbs another LibreOffice on the machine.
Without LibreOffice the callers skip, except on CI (CI=true), where they fail (as tests/test_libreoffice.py).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# CSV: comma, double quote, UTF-8, from line 1; cells as shown (the text forms the contract allows)
FILTERS = {"xls": "xls", "ods": "ods", "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1"}


def soffice(package: str = "libreoffice-calc-nogui") -> str:
    """LibreOffice's command; without it a skip, except on CI (CI=true), where it fails. ``package``: the Debian
    package the caller needs (Calc for workbooks, Writer for documents)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        message = f"LibreOffice (soffice) is not installed: apt-get install {package}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def convert(files: list[Path], kind: str, folder: Path, profile: Path) -> list[Path]:
    """``files`` converted to ``kind`` (xls, ods or csv) into ``folder``, in one soffice run."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to",
                    FILTERS[kind], "--outdir", str(folder), *map(str, files)],
                   check=True, capture_output=True, timeout=600)
    out = [folder / f"{f.stem}.{kind}" for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"soffice did not write {missing}"
    return out
