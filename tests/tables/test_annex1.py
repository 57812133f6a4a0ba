"""Annex 1: its build, its sheet's cells, its published rules on inline published tables; and the sample against
its CSV and the published 2012 report."""
import datetime as dt
from decimal import Decimal

from tests.fixtures import (cents, find_row, linked_figures, money_frame, one, pay, published_folder, published_table,
                      reference, report, rule_codes, rules, workbook)

from rcm_tables.tables import annex1


def test_scale_of_the_secretariat_only():
    t = annex1.build(None, reference(), dt.date(2012, 1, 1))
    assert t.to_dict("records") == [{"country": "A", "share_pct": 60.0, "assessed_usd": 60000},
                                    {"country": "B", "share_pct": 40.0, "assessed_usd": 40000}]


# ------------------------------------------------------------------ the sheet

LINES = [pay("2012-03-01", 600, "A", "2012")]
AS_OF = "2012-10-31"
SCALE = [("TS", "A", 60.5, 60050), ("TS", "B", 39.5, 39950), ("RF", "A", 100.0, 10000)]


def test_sheet_labels_totals_and_cached_values(tmp_path):
    rep = report(LINES, AS_OF, scale=SCALE)
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[annex1.TITLE], book.values[annex1.TITLE]
    header = find_row(ws, "Country")
    assert [ws.cell(header, c).value for c in range(1, 4)] == ["Country", "Percentage", "Contribution in US$"]
    first, total = header + 1, header + 3
    scale = 'Scale_Fund,"TS",Scale_Country,"="&$A{}'
    assert [[ws.cell(r, c).value for c in range(1, 4)] for r in range(first, total)] == [
        [name, f"=SUMIFS(Scale_Share,{scale.format(r)})", f"=SUMIFS(Scale_Assessed,{scale.format(r)})"]
        for name, r in (("A", first), ("B", first + 1))]  # the Scale sheet's figures
    assert [[cached[f"{c}{r}"].value for c in "BC"] for r in range(first, total)] == [[60.5, 600.5], [39.5, 399.5]]
    assert [[book.computed(annex1.TITLE, f"{c}{r}") for c in "BC"] for r in range(first, total)] == [
        [60.5, 600.5], [39.5, 399.5]]
    assert [ws.cell(total, c).value for c in range(1, 4)] == ["TOTAL", f"=SUM(B{first}:B{total - 1})",
                                                              f"=SUM(C{first}:C{total - 1})"]
    t = rep.tables[annex1.NAME]
    assert [cached[f"B{r}"].value for r in range(first, total)] == list(t["share_pct"])
    assert [cents(cached[f"C{r}"].value) for r in range(first, total)] == list(t["assessed_usd"])
    assert cached[f"B{total}"].value == book.computed(annex1.TITLE, f"B{total}") == 100
    assert cents(cached[f"C{total}"].value) == cents(book.computed(annex1.TITLE, f"C{total}")) == 100000


# ------------------------------------------------------------------ the published rules

PUBLISHED_SCALE = """
    country,percentage,contribution_usd
    A,60.51,600.50
    B,39.50,399.50
    C,1,10
    TOTAL,100,1000
"""


def test_published_rules_shares_not_100():
    rep = report(LINES, AS_OF, scale=SCALE)
    rows = annex1.published_rows(rep, {annex1.FILE.key: published_table(PUBLISHED_SCALE)})
    # the published TOTAL row is not read: the rows' sums stand in for it (101.01 %: A's 60.51 and C's 1)
    assert [(r.row, r.column) for r in rows][-2:] == [("TOTAL (sum of the published rows)", "Percentage"),
                                                      ("TOTAL (sum of the published rows)", "Contribution in US$")]
    assert rule_codes(rows) == {("TOTAL (sum of the published rows)", "Percentage"): {"shares-not-100"}}
    assert "101.01 %" in rows[-2].rules[0][1]
    assert rows[-1].published == Decimal("1010.00")
    exact = published_table(PUBLISHED_SCALE).loc[lambda f: f["country"].isin(["A", "B"])].replace("60.51", "60.50")
    assert rule_codes(annex1.published_rows(rep, {annex1.FILE.key: exact})) == {}


def test_published_rows_carry_the_tables_keys_and_link_to_their_cells(tmp_path):
    rep = report(LINES, AS_OF, scale=SCALE)
    files = {annex1.FILE.key: published_table(PUBLISHED_SCALE)}
    rows = annex1.published_rows(rep, files)
    column_key = {"Percentage": "share_pct", "Contribution in US$": "assessed_usd"}
    for r in rows:
        if r.row == "C":
            assert r.computed is None and r.cell is None
        else:
            assert r.cell == annex1.key(r.row.split(" ")[0], column_key[r.column]), r
    book = workbook(rep, tmp_path, published=published_folder(tmp_path / "published", files))
    first = find_row(book.formulas[annex1.TITLE], "Country") + 1
    row_of = {"A": first, "B": first + 1, "TOTAL (sum of the published rows)": first + 2}
    col_of = {"Percentage": "B", "Contribution in US$": "C"}
    assert linked_figures(book, rows) == {(r.row, r.column): (annex1.TITLE, f"{col_of[r.column]}{row_of[r.row]}")
                                          for r in rows if r.row != "C"}


# ------------------------------------------------------------------ the sample


def test_annex1_equals_csv(values, csvs):
    ws = values["Annex 1"]
    records = []
    row = find_row(ws, "Country") + 1
    while ws.cell(row, 1).value != "TOTAL":
        records.append({"country": ws.cell(row, 1).value, "share_pct": f"{ws.cell(row, 2).value:.2f}",
                        "assessed_usd": cents(ws.cell(row, 3).value)})
        row += 1
    assert records == money_frame(csvs["annex1"], "annex1").to_dict("records")


def test_item3_shares_add_up_to_100_01(frame):
    assert rules(frame, "Annex 1", "TOTAL (sum of the published rows)", "Percentage") == {"shares-not-100"}
    assert one(frame, "Annex 1", "TOTAL (sum of the published rows)", "Percentage")["published"] == Decimal("100.01")


def test_an_empty_share_is_printed_empty_and_left_out_of_the_total(tmp_path):
    """The reference allows an empty Share (%) (schemas: Scale.share_pct, nullable): Annex 1 was an internal error
    (its own schema wanted every share). Now the share is empty in the frame, the sheet and the document, and the
    total adds the others, as Table 5 does; tests/test_libreoffice.py recalculates such a sheet (the tricky
    workbook)."""
    scale = [("TS", "A", 60.5, 60050), ("TS", "B", None, 39950)]
    rep = report(LINES, AS_OF, scale=scale)
    t = rep.tables[annex1.NAME]
    assert t["share_pct"].tolist()[0] == 60.5 and t["share_pct"].isna().tolist() == [False, True]
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[annex1.TITLE], book.values[annex1.TITLE]
    first = find_row(ws, "Country") + 1
    assert ws.cell(first + 1, 1).value == "B" and ws.cell(first + 1, 2).value is None
    assert ws.cell(first + 2, 2).value == f"=SUM(B{first}:B{first + 1})" and cached[f"B{first + 2}"].value == 60.5
    assert cents(cached[f"C{first + 2}"].value) == 100000
