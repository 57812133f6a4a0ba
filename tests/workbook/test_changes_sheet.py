"""`build --since DATE`: a Changes sheet lists what arrived after the last report."""
from __future__ import annotations

import openpyxl
import pytest

from rcm_tables.cli import main
from rcm_tables.paths import SAMPLE_EXPORTS, SAMPLE_REFERENCE


def test_the_changes_sheet_lists_what_arrived_since_the_last_report(tmp_path, sample_report, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["build", "--no-cache", "--since", "2012-09-30", "--out", str(out), "--exports",
                 str(SAMPLE_EXPORTS), "--reference", str(SAMPLE_REFERENCE)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames.index("Changes") == book.sheetnames.index("Checks") + 1
    rows = [r for r in book["Changes"].iter_rows(values_only=True)]
    titles = [r[0] for r in rows if isinstance(r[0], str) and ":" in r[0]]
    assert titles[:2] == ["New receipts: 3", "New expenses, by budget line: 5"]
    receipts = rows[rows.index(next(r for r in rows if r[0] == "New receipts: 3")) + 2:][:3]
    lines = sample_report.clamped()
    after = lines.loc[(lines["posting_date"] > "2012-09-30") & (lines["kind"] == "contribution")]
    assert sorted((r[5], r[6]) for r in receipts) == sorted(zip(after["file"], after["row"]))
    assert sum(r[2] for r in receipts) == pytest.approx(after["amount_usd"].sum() / 100)


def test_a_since_date_not_before_the_as_of_date_is_a_usage_error(tmp_path, capsys):
    assert main(["build", "--no-cache", "--since", "2012-12-31", "--out", str(tmp_path / "r.xlsx"), "--exports",
                 str(SAMPLE_EXPORTS), "--reference", str(SAMPLE_REFERENCE)]) == 2
    assert "is not before the as-of date" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()
