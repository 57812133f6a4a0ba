"""Golden files, XlsxWriter style: the sample workbook's XML parts, committed, compared part by part.

The sample built as `make report` builds it (with the published comparison) must give exactly the parts in
tests/golden/sample-workbook/. A change in any part is a change an auditor would see: look at the diff, and
when it is meant, regenerate the parts on purpose:

    .venv/bin/python -m pytest tests/workbook/test_golden_parts.py --regenerate-golden

(or ``RCM_TABLES_REGENERATE_GOLDEN=1 make test``), then review ``git diff tests/golden`` before committing.
"""
from __future__ import annotations

import difflib
import os
import re
import zipfile
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "sample-workbook"


def _parts(workbook: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _lines(xml: bytes) -> list[str]:
    """XML split at tags, so that a diff points at the cell that changed rather than at one long line."""
    return re.sub(rb">\s*<", b">\n<", xml).decode("utf-8", "replace").splitlines()


def test_sample_workbook_parts_equal_the_golden_files(sample_workbook, regenerate_golden):
    parts = _parts(sample_workbook)
    if regenerate_golden:
        if os.environ.get("CI") == "true":  # a regenerated part equals what was built: the test would prove nothing
            pytest.fail("golden parts are never regenerated on CI (--regenerate-golden or RCM_TABLES_REGENERATE_GOLDEN)")
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, data in parts.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        pytest.skip("golden parts regenerated: review `git diff tests/golden` and commit them")
    golden = {str(p.relative_to(GOLDEN)): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert golden, f"no golden parts in {GOLDEN}: run with --regenerate-golden once"
    assert sorted(parts) == sorted(golden)
    differ = _differences(golden, parts)
    if differ:
        pytest.fail(differ[0])


def _differences(golden: dict[str, bytes], parts: dict[str, bytes]) -> list[str]:
    """Each part that differs from its golden part, as its name and the diff of its lines."""
    out = []
    for name in sorted(parts):
        if parts[name] != golden[name]:
            diff = list(difflib.unified_diff(_lines(golden[name]), _lines(parts[name]), "golden/" + name,
                                             "built/" + name, lineterm="", n=2))
            out.append(f"{name} differs from the golden part:\n" + "\n".join(diff[:80]))
    return out


def test_a_changed_cell_is_caught_and_located(sample_workbook, tmp_path):
    """The comparison can fail: one number changed in one sheet part is reported with its part and cell."""
    parts = _parts(sample_workbook)
    name = "xl/worksheets/sheet2.xml"  # Table 1
    changed = dict(parts, **{name: parts[name].replace(b"<v>261483.38</v>", b"<v>261483.39</v>", 1)})  # 2012 received
    assert _differences(parts, parts) == []
    [report] = _differences(parts, changed)
    assert report.startswith(f"{name} differs from the golden part:")
    assert [line for line in report.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-<v>261483.38</v>", "+<v>261483.39</v>"]
