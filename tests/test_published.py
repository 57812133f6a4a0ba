"""Published vs computed as a whole: every difference explained, the sheet's links, the command line.

Each discrepancy of the 2012 report (DISCREPANCIES.md 1-11) is tested with the table it belongs to, beside
that table's published rules on inline tables (tests/tables/test_<table>.py)."""
from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rcm_tables import published
from rcm_tables.cli import main
from rcm_tables.published import PublishedError, compare
from rcm_tables.tables.comparison import number

PUBLISHED = Path(__file__).resolve().parent / "published" / "report-2012"


def test_every_difference_is_explained(frame):
    differ = frame.loc[frame["difference"].map(lambda d: d is not None and d != 0)]
    assert len(differ) > 10
    assert not differ["rules"].eq("").any()
    assert "unexplained" not in set(", ".join(frame["rules"]).split(", "))


def test_the_sheet_links_computed_figures_and_subtracts_with_formulas(sample_workbook, frame):
    formulas = openpyxl.load_workbook(sample_workbook)["Published vs computed"]
    values = openpyxl.load_workbook(sample_workbook, data_only=True)["Published vs computed"]
    rows = {(formulas.cell(r, 1).value, formulas.cell(r, 2).value, formulas.cell(r, 3).value): r
            for r in range(5, 5 + len(frame))}
    assert len(rows) == len(frame)
    r = rows[("Table 2", "Balance October 31st 2012", "Amount")]
    assert formulas.cell(r, 6).value == "='Table 2'!$C$21"
    assert formulas.cell(r, 7).value == f"=ROUND(F{r}-E{r},2)"  # to the cent: COUNTIF(…,0) counts equal ones
    assert values.cell(r, 7).value == pytest.approx(-1.62) and values.cell(r, 8).value == "own-arithmetic"
    r = rows[("Table 4", "TOTAL", "2009 received")]
    assert formulas.cell(r, 6).value.startswith("='Table 4'!$C$") and "277,764.00" in values.cell(r, 9).value
    linked = sum(1 for row in rows.values() if str(formulas.cell(row, 6).value).startswith("="))
    assert linked == len(frame)  # every computed figure points at its table cell
    assert formulas.max_row == 4 + len(frame)  # nothing below the table: pd.read_excel reads the comparison alone
    read = pd.read_excel(sample_workbook, sheet_name="Published vs computed", header=3, engine="openpyxl")
    assert len(read) == len(frame) and list(read.columns)[:3] == ["Table", "Row", "Column"]
    # the summary line: compared, equal, unexplained, explained
    summary = [values.cell(3, c).value for c in range(1, 9)]
    unexplained = int(frame["rules"].str.contains("unexplained").sum())
    equal = int((frame["difference"].notna() & (frame["difference"] == 0)).sum())
    assert summary == ["Compared", len(frame), "Equal", equal, "Unexplained", unexplained, "Explained",
                       len(frame) - equal - unexplained] and unexplained == 0
    assert formulas.auto_filter.ref == f"A4:I{4 + len(frame)}"
    notes = openpyxl.load_workbook(sample_workbook)["Published notes"]
    lines = [notes.cell(r, 1).value for r in range(1, notes.max_row + 1)]
    assert any(str(n).startswith("8. Text and numbering") for n in lines)  # DISCREPANCIES.md, as given


def test_cli_published_option(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["build", "--out", str(out), "--published", str(tmp_path / "missing")]) == 2
    assert "--published" in capsys.readouterr().err and not out.exists()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "table1_budget_history.csv").write_text("budget_year,approved_budget\n2012,lots\n")
    assert main(["build", "--out", str(out), "--published", str(bad)]) == 2
    assert "missing column" in capsys.readouterr().err and not out.exists()
    with pytest.raises(PublishedError, match="none of the published tables"):
        compare(None, tmp_path)


# ------------------------------------------------------------------ the rules at their boundaries


def _row(published: str, computed: str | None = None, unit: str = "USD"):
    from decimal import Decimal

    from rcm_tables.published import Row

    return Row("Table 1", "2012", "Net Balance", unit, Decimal(published),
               None if computed is None else Decimal(computed), None)


def test_a_whole_dollar_figure_may_be_rounded_by_less_than_a_dollar_not_by_one():
    from decimal import Decimal

    from rcm_tables.published import _generic_rules, own_rule, total_rule

    # printed 100 for exactly 100.99: rounding; for 101.00 (a dollar off) no rule explains it
    for computed, codes in (("100.99", ["rounding"]), ("101.00", ["unexplained"]), ("99.01", ["rounding"]),
                            ("99.00", ["unexplained"])):
        row = _row("100", computed)
        _generic_rules(row)
        assert [code for code, _text in row.rules] == codes, computed
    for check in (lambda r, x: own_rule(r, x, "difference"), total_rule):
        for published, exact, flagged in (("100", "100.99", False), ("100", "101.00", True),
                                          ("100.50", "100.50", False), ("100.50", "100.51", True)):
            row = _row(published)
            check(row, Decimal(exact))
            assert bool(row.rules) == flagged, (published, exact)


def test_published_dates_match_only_the_same_number_of_receipts():
    from rcm_tables.published import same_dates

    assert same_dates(["2008", "2012-01-10"], ["2012-01-10", "2008-05-05"])  # "paid during 2008"
    assert not same_dates(["2012-01-10"], ["2012-01-10", "2012-03-01"])  # a receipt the report left out
    assert not same_dates(["2012-01-10", "2012-03-01"], ["2012-01-10"])
    assert not same_dates(["2009"], ["2008-05-05"])


def _copy_published(tmp_path) -> Path:
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED, folder)
    return folder


def _read_back(folder: Path) -> dict:
    return {key: frame for key, frame in published.read(folder).items() if frame is not None}


def test_published_tables_in_utf16_or_separated_by_semicolons_read_as_the_originals(tmp_path):
    """Excel's "Unicode text" (UTF-16) and a semicolon CSV (Spanish Excel) were internal errors (UnicodeDecodeError;
    the names' own commas made the sniffed separator a comma, then a ParserError)."""
    original = _read_back(PUBLISHED)
    folder = _copy_published(tmp_path)
    for i, path in enumerate(sorted(folder.glob("*.csv"))):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";" if i % 2 else ",").writerows(rows)
        path.write_bytes(("\r\n" if i % 4 == 1 else "").encode()  # a blank line before the header: skipped
                         + buffer.getvalue().encode("utf-16" if i % 3 == 0 else "utf-8"))
    again = _read_back(folder)
    assert again.keys() == original.keys()
    for key, frame in original.items():
        pd.testing.assert_frame_equal(again[key], frame)


@pytest.mark.parametrize("content, said", [
    (b"", "the file is empty"),
    (b"\r\n\r\n", "the file is empty"),
    (b"section,budget_line,amount\nStaff,Coordinator,78840,12,13\nStaff,a,b,c,d,e,f\n", "not a table pandas can read"),
    (b"\xff\xfe\x00\xd8", "the CSV file is neither UTF-8 nor Windows-1252"),
])
def test_a_published_table_that_cannot_be_read_is_a_usage_error_naming_it(tmp_path, content, said):
    folder = _copy_published(tmp_path)
    (folder / "table3_approved_budget_2013.csv").write_bytes(content)
    with pytest.raises(PublishedError, match=f"^table3_approved_budget_2013.csv: {said}"):
        published.read(folder)


@pytest.mark.parametrize("value, said", [("NaN", "is not a number"), ("Infinity", "is not a number"),
                                         ("-inf", "is not a number"), ("1e400", "is beyond a billion"),
                                         ("99999999999999999999", "is beyond a billion")])
def test_a_published_figure_that_is_not_a_finite_amount_is_named(value, said):
    with pytest.raises(PublishedError, match=f"t.csv, row 3, column 'amount': '{value}' {said}"):
        number(value, "t.csv", 3, "amount")
    assert number("(1,000,000,000.00)", "t.csv", 3, "amount") == Decimal("-1000000000.00")  # the bound itself
