"""The documentation says what the code does: docs/workbook.md's formula column against the workbook's formulas."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs" / "workbook.md"
FUNCTION = re.compile(r"\b([A-Z][A-Z0-9.]*)\(")


def documented_formulas() -> dict[str, set[str]]:
    """Sheet -> the spreadsheet functions docs/workbook.md's "Sheets" table names for it (only rows that name any)."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("## Sheets, in reading order", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("sheet", "---"):
            continue
        names = set()
        for code in re.findall(r"`([^`]+)`", cells[2]):
            if re.fullmatch(r"[A-Z][A-Z0-9.]*", code):
                names.add(code)
            names |= set(FUNCTION.findall(code))
        if names:
            out[cells[0]] = names
    return out


def test_the_docs_name_the_functions_each_sheet_uses(sample_workbook):
    documented = documented_formulas()
    assert set(documented) == {"Cover", "Checks", "Published vs computed", "Sources"}
    book = openpyxl.load_workbook(sample_workbook)
    for sheet, names in documented.items():
        used = {name for row in book[sheet].iter_rows() for cell in row if cell.data_type == "f"
                for name in FUNCTION.findall(cell.value)}
        assert names == used, sheet


@pytest.mark.parametrize("stale", ["Duplicates counts as `COUNTIFS` over those sheets", "`COUNTIFS` over Ledger"])
def test_no_stale_countifs_claim_for_the_ledger(stale):
    assert stale not in " ".join(DOCS.read_text(encoding="utf-8").split())
