"""LibreOffice converts every document (the report in English and Spanish, the whole report, statements) to PDF,
headless, without error; its pages render (pdftoppm) where poppler is installed. Without LibreOffice the test
skips, except on CI (CI=true), where it fails."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.convert import soffice

# make test runs with pytest-xdist --dist loadgroup: the LibreOffice tests share one worker (one soffice at a
# time on a 2-core machine, one user profile for all: see conftest.lo_profile)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("libreoffice")]  # LibreOffice: seconds per document


def test_libreoffice_converts_every_document_to_pdf(documents, contract_report, tmp_path, lo_profile):
    from rcm_tables.document import write_statements

    statements = write_statements(contract_report, tmp_path / "statements", ["en", "es"])
    sources = [path for (_s, _l), (_r, path, _c) in documents.items()]
    sources += [p for p in statements if p.suffix == ".docx"]
    done = subprocess.run([soffice("libreoffice-writer-nogui"), f"-env:UserInstallation={lo_profile.as_uri()}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path / "pdf"), *map(str, sources)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for source in sources:
        pdf = tmp_path / "pdf" / f"{source.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 5000, source.name
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm (poppler-utils) is not installed")
        return
    report = tmp_path / "pdf" / f"{documents['sample', 'en'][1].stem}.pdf"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(report), str(tmp_path / "page")], check=True, timeout=120)
    assert len(list(tmp_path.glob("page-*.png"))) >= 5

