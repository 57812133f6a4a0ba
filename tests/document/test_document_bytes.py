"""Golden digests of the sample's documents, in the golden files' style: every part of the English and Spanish
documents and of the 22 statements, and statements.csv, as `rcm-tables build` writes them, must have the SHA-256
recorded in tests/golden/sample-documents.sha256. Making the documents faster must not change a byte of what
they say; a change of content is regenerated on purpose:

    .venv/bin/python -m pytest tests/document/test_document_bytes.py --regenerate-golden

then review ``git diff tests/golden`` (which parts changed) and look at the documents before committing.

The digests are of each part's bytes inside the zip (the zip's own bytes depend on the zlib that deflates
them); every part's date is checked to be the fixed one, so that no time of the build leaks into a file.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from rcm_tables.cli import main
from rcm_tables.document.writer import ZIP_TIME

MANIFEST = Path(__file__).resolve().parents[1] / "golden" / "sample-documents.sha256"
PUBLISHED = Path(__file__).resolve().parents[1] / "published" / "report-2012"
ACTIVITIES = Path(__file__).resolve().parents[2] / "workbooks" / "sample" / "activities.xlsx"


def digests(folder: Path) -> dict[str, str]:
    """'doc.es.docx:word/document.xml' -> SHA-256 of the part, for every .docx under ``folder``; and each other
    file's SHA-256 by its name."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for item in archive.infolist():
                    assert item.date_time == ZIP_TIME, f"{name}:{item.filename} is dated {item.date_time}"
                    out[f"{name}:{item.filename}"] = hashlib.sha256(archive.read(item)).hexdigest()
        elif path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def read_manifest(path: Path) -> dict[str, str]:
    return {name: digest for digest, name in
            (line.split(maxsplit=1) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())}


def differences(golden: dict[str, str], built: dict[str, str]) -> list[str]:
    """What differs, one line each: a part missing, added or changed."""
    return ([f"missing: {name}" for name in sorted(set(golden) - set(built))]
            + [f"not in the manifest: {name}" for name in sorted(set(built) - set(golden))]
            + [f"changed: {name}" for name in sorted(set(golden) & set(built)) if golden[name] != built[name]])


@pytest.fixture(scope="module")
def sample_documents(tmp_path_factory) -> Path:
    """The sample's whole report: workbook, documents in English and Spanish, statements (as the issue times);
    and the document with the activities register (the whole report's text), in both languages."""
    out = tmp_path_factory.mktemp("sample-documents")
    assert main(["build", "--out", str(out / "book" / "r.xlsx"), "--published", str(PUBLISHED),
                 "--docx", str(out / "docs" / "report.docx"), "--lang", "en,es",
                 "--statements", str(out / "docs" / "statements")]) == 0
    assert main(["build", "--out", str(out / "book2" / "r.xlsx"), "--docx", str(out / "docs" / "full.docx"),
                 "--lang", "en,es", "--activities", str(ACTIVITIES)]) == 0
    return out / "docs"


def test_the_sample_documents_parts_are_the_golden_ones(sample_documents, regenerate_golden):
    built = digests(sample_documents)
    assert len([n for n in built if n.endswith(".docx:word/document.xml")]) == 4 + 22  # 2 x 2 reports, 11 members x 2
    if regenerate_golden:
        if os.environ.get("CI") == "true":
            pytest.fail("golden digests are never regenerated on CI (--regenerate-golden or RCM_TABLES_REGENERATE_GOLDEN)")
        MANIFEST.write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(built.items())), encoding="utf-8")
        pytest.skip("golden document digests regenerated: review `git diff tests/golden` and commit them")
    assert MANIFEST.is_file(), f"no {MANIFEST.name}: run with --regenerate-golden once"
    assert differences(read_manifest(MANIFEST), built) == []


def test_a_changed_part_is_caught_and_named(sample_documents, tmp_path):
    """The comparison can fail: one word changed in one statement is reported as that statement's document part."""
    golden = digests(sample_documents)
    copy = tmp_path / "docs"
    for path in sample_documents.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(sample_documents)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    name = "statements/statement-canada.docx"
    with zipfile.ZipFile(sample_documents / name) as source, zipfile.ZipFile(copy / name, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                assert b"Canada" in data
                data = data.replace(b"Canada", b"Kanada", 1)
            target.writestr(item, data)
    assert differences(golden, digests(copy)) == [f"changed: {name}:word/document.xml"]
