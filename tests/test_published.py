"""Published vs computed: every discrepancy of the 2012 report (DISCREPANCIES.md 1-11) shows up labelled."""
from __future__ import annotations

import shutil
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from conftest import PUBLISHED

from rcm_tables import schemas as S
from rcm_tables.cli import main
from rcm_tables.published import PublishedError, compare


@pytest.fixture(scope="module")
def frame(sample_report) -> pd.DataFrame:
    return compare(sample_report, PUBLISHED)


def one(frame, table, row, column) -> pd.Series:
    hit = frame.loc[(frame["table"] == table) & (frame["row"] == row) & (frame["column"] == column)]
    assert len(hit) == 1, (table, row, column)
    return hit.iloc[0]


def rules(frame, table, row, column) -> set[str]:
    return set(filter(None, one(frame, table, row, column)["rules"].split(", ")))


def test_every_difference_is_explained(frame):
    differ = frame.loc[frame["difference"].map(lambda d: d is not None and d != 0)]
    assert len(differ) > 10
    assert not differ["rules"].eq("").any()
    assert "unexplained" not in set(", ".join(frame["rules"]).split(", "))


def test_item1_total_not_the_sum_of_its_rows_and_the_adjustment_row(frame):
    total = one(frame, "Table 4", "TOTAL", "2009 received")
    assert (total["published"], total["computed"]) == (Decimal(277639), Decimal(277639))
    assert "total-not-sum-of-rows" in total["rules"] and "277,764.00" in total["label"]
    adjustment = one(frame, "Table 4", S.NO_PARTNER, "2009 received")
    assert adjustment["published"] is None and adjustment["computed"] == Decimal("-125")
    assert adjustment["rules"] == "not-printed"


def test_item2_balance_is_not_its_own_received_minus_expenses(frame):
    balance = one(frame, "Table 2", "Balance October 31st 2012", "Amount")
    assert balance["difference"] == Decimal("-1.62") and balance["rules"] == "own-arithmetic"
    assert "38,025.73" in balance["label"]  # 261,483.00 - 223,457.27, the report's own figures


def test_item3_shares_add_up_to_100_01(frame):
    assert rules(frame, "Annex 1", "TOTAL (sum of the published rows)", "Percentage") == {"shares-not-100"}
    assert one(frame, "Annex 1", "TOTAL (sum of the published rows)", "Percentage")["published"] == Decimal("100.01")
    assert rules(frame, "Table 5", "TOTAL", "Percentage") == {"shares-not-100", "total-not-sum-of-rows"}


def test_item4_receipts_after_the_expenses_cut_off(frame):
    late = frame.loc[frame["rules"].str.contains("after-expenses-cutoff")]
    assert sorted(zip(late["row"], late["column"])) == [("Mexico", "2012 received"), ("Panama", "2012 received")]
    assert "2012-10-31" in late.iloc[0]["label"]


def test_items5_and_10_whole_dollars_against_exact_cents(frame):
    assert rules(frame, "Table 4", "TOTAL", "2012 received") == {"rounding"}
    assert rules(frame, "Table 2", "Contributions Received for 2012", "Amount") == {"rounding"}
    assert one(frame, "Table 4", "TOTAL", "2012 received")["difference"] == Decimal("0.38")
    acc = one(frame, "Table 1", "2012", "Contributions Pending, Accumulated")
    assert (acc["published"], acc["computed"], acc["rules"]) == (Decimal(45836), Decimal("45835.42"), "rounding")
    assert rules(frame, "Table 1", "2010", "Contributions Received") == {"rounding"}


def test_item6_partial_payments(frame):
    for country, period in (("Dominican Republic", "2010"), ("Mexico", "2010"), ("Mexico", "2011"),
                            ("Nicaragua", "2010"), ("Guatemala", "2010"), ("Costa Rica", "2012")):
        assert "partial-payment" in rules(frame, "Table 4", country, f"{period} received"), (country, period)
    assert "pending 15.00" in one(frame, "Table 4", "Dominican Republic", "2010 received")["label"]


def test_item7_overpayments_make_pending_negative(frame):
    for period in ("2007", "2008"):
        row = one(frame, "Table 1", period, "Contributions Pending")
        assert row["computed"] < 0 and "overpaid" in row["rules"]
    assert "overpaid" in rules(frame, "Table 4", "United States", "2012 received")
    assert "overpaid" in rules(frame, "Table 5", "Canada", "Contributions for 2009")


def test_item8_typos_are_numbers_here_and_a_literal_transcription_is_caught(frame, sample_report, tmp_path):
    # The transcribed CSVs hold the intended numbers ("$40.116" is 40,116), so they agree with the sample:
    eu = one(frame, "Table 5", "European Union", "Contributions for 2009")
    assert eu["published"] == eu["computed"] == Decimal(40116) and eu["rules"] == ""
    # ...and a literal transcription of the misprints is labelled by the separator rule.
    folder = tmp_path / "literal"
    shutil.copytree(PUBLISHED, folder)
    t5 = pd.read_csv(folder / "table5_return_fund.csv", dtype=str, keep_default_na=False)
    t5.loc[t5["country"] == "European Union", "2009"] = "40.116"
    t5.to_csv(folder / "table5_return_fund.csv", index=False)
    t1 = pd.read_csv(folder / "table1_budget_history.csv", dtype=str, keep_default_na=False)
    t1.loc[t1["budget_year"] == "2006", "contributions_pending"] = "15,00"
    t1.to_csv(folder / "table1_budget_history.csv", index=False)
    literal = compare(sample_report, folder)
    assert rules(literal, "Table 5", "European Union", "Contributions for 2009") == {"separator"}
    assert rules(literal, "Table 1", "2006", "Contributions Pending") == {"separator", "own-arithmetic"}


def test_item9_office_expenses_line_and_the_2012_mapping(frame):
    office = one(frame, "Table 3", "Office Expenses", "Amount")
    assert office["rules"] == "mapping-changed"
    assert "730300 in “Equipment and Internet Access”" in office["label"]


def test_item11_return_fund_assessed_amounts_add_up_to_60006(frame):
    total = one(frame, "Table 5", "TOTAL", "Contribution in US$")
    assert (total["published"], total["computed"], total["difference"]) == (Decimal(60000), Decimal(60006), Decimal(6))
    assert total["rules"] == "total-not-sum-of-rows"


def test_the_sheet_links_computed_figures_and_subtracts_with_formulas(sample_workbook, frame):
    formulas = openpyxl.load_workbook(sample_workbook)["Published vs computed"]
    values = openpyxl.load_workbook(sample_workbook, data_only=True)["Published vs computed"]
    rows = {(formulas.cell(r, 1).value, formulas.cell(r, 2).value, formulas.cell(r, 3).value): r
            for r in range(5, 5 + len(frame))}
    assert len(rows) == len(frame)
    r = rows[("Table 2", "Balance October 31st 2012", "Amount")]
    assert formulas.cell(r, 6).value == "='Table 2'!$C$21"
    assert formulas.cell(r, 7).value == f"=F{r}-E{r}"
    assert values.cell(r, 7).value == pytest.approx(-1.62) and values.cell(r, 8).value == "own-arithmetic"
    r = rows[("Table 4", "TOTAL", "2009 received")]
    assert formulas.cell(r, 6).value.startswith("='Table 4'!$C$") and "277,764.00" in values.cell(r, 9).value
    linked = sum(1 for row in rows.values() if str(formulas.cell(row, 6).value).startswith("="))
    assert linked == len(frame)  # every computed figure points at its table cell
    notes = [formulas.cell(r, 1).value for r in range(5 + len(frame), formulas.max_row + 1)]
    assert any(str(n).startswith("8. Text and numbering") for n in notes)  # DISCREPANCIES.md, as given


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
