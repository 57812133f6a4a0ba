"""Each document and statement has its own running header: the template's header parts are copied per document
(`document.package`), not shared, so that one statement's reference never shows in another's."""
from __future__ import annotations

import re
import zipfile

from rcm_tables.cli import main


def _header_texts(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [t for name in sorted(z.namelist()) if re.fullmatch(r"word/header\d*\.xml", name)
                for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", z.read(name).decode())]


def test_every_statement_carries_its_own_reference_once(tmp_path):
    out = tmp_path / "statements"
    assert main(["build", "--as-of", "2012-10-31", "--out", str(tmp_path / "r.xlsx"), "--docx",
                 str(tmp_path / "r.docx"), "--statements", str(out), "--no-cache"]) == 0
    files = sorted(out.glob("statement-*.docx"))
    assert len(files) == 11  # the TS scale's members
    references = set()
    for path in files:
        texts = [t for t in _header_texts(path) if "Statement of Contributions" in t]
        assert len(texts) == 1, (path.name, texts)  # one line, not one per statement written before it
        references.add(texts[0].split(" · ")[0])
    assert references == {f"RCM/TS/FIN/2012-10/{n:02d}" for n in range(1, 12)}
    report = [t for t in _header_texts(tmp_path / "r.docx") if "Report of the Technical Secretariat" in t]
    assert report == ["RCM/TS/FIN/2012-10 · Report of the Technical Secretariat · October 31, 2012"]
