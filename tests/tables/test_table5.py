"""Table 5: its build on small inline ledgers, its sheet's cells, its published rules on inline published tables;
and the sample against its CSV and the published 2012 report."""
import datetime as dt
from decimal import Decimal


from tests.fixtures import (cents, find_row, ledger, linked_figures, money_frame, one, pay, published_folder, published_with,
                      published_table, reference, report, rule_codes, rules, workbook)

from rcm_tables.published import compare
from rcm_tables.tables import build_all, table5


def test_return_fund_by_country_and_year_with_eur_donor():
    ref = reference()
    lines = [pay("2011-03-01", 6000, "A", "2011", fund="RF"),
             # the European Union pays EUR; the USD amount converted by IOM is what is reported
             pay("2011-11-20", 40116, "D", "2011", fund="RF", account="400200", currency="EUR", doc_amount=27000),
             pay("2012-06-08", 6500, "A", "2012", fund="RF"),
             pay("2012-06-08", 999, "A", "2012")]  # TS, not RF
    t = build_all(ledger(lines, ref), ref, dt.date(2012, 12, 31))[table5.NAME].set_index(["country", "period"])
    assert sorted(set(t.index.get_level_values("period"))) == ["2011", "2012"]  # from the first RF year
    assert t.loc[("D", "2011"), "received"] == 4011600
    assert t.loc[("A", "2012"), "received"] == 650000
    assert t.loc[("B", "2012"), "received"] == 0
    assert list(dict.fromkeys(t.index.get_level_values("country"))) == ["A", "B", "D"]


# ------------------------------------------------------------------ the sheet

# A pays in full for 2011, partly for 2012; B overpays 2012; a donor D in euros; a TS line that stays out
LINES = [pay("2011-03-01", 60, "A", "2011", fund="RF"),
         pay("2011-11-20", 401.16, "D", "2011", fund="RF", account="400200", currency="EUR", doc_amount=270),
         pay("2012-06-08", 30, "A", "2012", fund="RF"), pay("2012-06-08", 45, "B", "2012", fund="RF"),
         pay("2012-06-08", 999, "A", "2012")]
AS_OF = "2012-12-31"
YEAR_COL = {"2011": "D", "2012": "E"}


def test_sheet_labels_formulas_and_cached_values(tmp_path):
    rep = report(LINES, AS_OF)
    t = rep.tables[table5.NAME].set_index(["country", "period"])["received"]
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[table5.TITLE], book.values[table5.TITLE]
    top = find_row(ws, "Country")
    assert [ws.cell(top, c).value for c in range(1, 5)] == ["Country", "Percentage", "Contribution in US$",
                                                            "Contributions for"]
    assert [ws.cell(top + 1, c).value for c in range(4, 6)] == ["2011", "2012"]
    first = top + 2
    total = first + 3
    assert [ws.cell(r, 1).value for r in range(first, total + 1)] == ["A", "B", "D", "TOTAL"]
    assert [(cached[f"B{r}"].value, cached[f"C{r}"].value) for r in range(first, total)] == [(60, 60), (40, 40),
                                                                                              (None, None)]
    for i, country in enumerate(["A", "B", "D"]):
        r = first + i
        for year, col in YEAR_COL.items():
            assert ws[f"{col}{r}"].value == ('=SUMIFS(Ledger_USD,Ledger_Fund,"RF",Ledger_Kind,"contribution",Ledger_Partner,'
                                             f'"="&$A{r},Ledger_Period,"="&{col}${top + 1},Ledger_Date,"<="&AsOf)')
            want = t[(country, year)]
            assert cents(cached[f"{col}{r}"].value) == cents(book.computed(table5.TITLE, f"{col}{r}")) == want
    assert [ws[f"{c}{total}"].value for c in "BCDE"] == [f"=SUM({c}{first}:{c}{total - 1})" for c in "BCDE"]
    assert [cents(book.computed(table5.TITLE, f"{c}{total}")) for c in "BCDE"] == [10000, 10000, 6000 + 40116, 7500]
    assert [cents(cached[f"{c}{total}"].value) for c in "BCDE"] == [10000, 10000, 6000 + 40116, 7500]


# ------------------------------------------------------------------ the published rules

# A 2012: partial; B 2012: overpaid; the shares add up to 100.01 %; the 2012 total is not its rows' sum (75);
# D's 2012 cell is empty ("Pending" in print)
PUBLISHED_T5 = """
    country,percentage,assessed_usd,2011,2012
    A,60,60,60,30
    B,40.01,40,,45
    D,,,401.16,
    TOTAL,100.01,100,461.16,80
"""


def test_published_rules_shares_not_100_partial_overpaid_and_totals():
    rows = table5.published_rows(report(LINES, AS_OF), {table5.FILE.key: published_table(PUBLISHED_T5)})
    assert rule_codes(rows) == {
        ("A", "Contributions for 2012"): {"partial-payment"},
        ("B", "Contributions for 2012"): {"overpaid"},
        ("TOTAL", "Percentage"): {"shares-not-100"},
        ("TOTAL", "Contributions for 2012"): {"total-not-sum-of-rows"},
    }
    by_cell = {(r.row, r.column): r for r in rows}
    assert by_cell[("B", "Contributions for 2011")].published == 0  # nothing printed: nothing received
    assert ("D", "Percentage") not in by_cell  # neither printed nor on the scale
    assert "100.01 %" in by_cell[("TOTAL", "Percentage")].rules[0][1]


def test_published_rows_of_a_country_the_report_does_not_print():
    printed = published_table(PUBLISHED_T5).loc[lambda f: f["country"] != "D"]
    rows = table5.published_rows(report(LINES, AS_OF), {table5.FILE.key: printed})
    mine = [(r.column, r.published, r.computed) for r in rows if r.row == "D"]
    assert mine == [("Contributions for 2011", None, Decimal("401.16")), ("Contributions for 2012", None, Decimal(0))]
    assert [r.row for r in rows].index("D") < [r.row for r in rows].index("TOTAL")


def test_published_rows_carry_the_tables_keys_and_link_to_their_cells(tmp_path):
    rep = report(LINES, AS_OF)
    files = {table5.FILE.key: published_table(PUBLISHED_T5)}
    rows = table5.published_rows(rep, files)
    column_key = {"Percentage": "share_pct", "Contribution in US$": "assessed"}
    for r in rows:
        if r.column in column_key:
            assert r.cell == table5.key(r.row, column_key[r.column]), r
        else:
            assert r.cell == table5.key((r.row, r.column.removeprefix("Contributions for ")), "received"), r
    book = workbook(rep, tmp_path, published=published_folder(tmp_path / "published", files))
    first = find_row(book.formulas[table5.TITLE], "Country") + 2
    row_of = {"A": first, "B": first + 1, "D": first + 2, "TOTAL": first + 3}
    col_of = {"Percentage": "B", "Contribution in US$": "C",
              "Contributions for 2011": "D", "Contributions for 2012": "E"}
    assert linked_figures(book, rows) == {(r.row, r.column): (table5.TITLE, f"{col_of[r.column]}{row_of[r.row]}")
                                          for r in rows}


# ------------------------------------------------------------------ the sample


def test_table5_equals_csv(values, csvs):
    ws = values["Table 5"]
    header = find_row(ws, "Country")
    periods = [(ws.cell(header + 1, c).value, c) for c in range(4, ws.max_column + 1) if ws.cell(header + 1, c).value]
    records = []
    row = header + 2
    while ws.cell(row, 1).value != "TOTAL":
        records += [{"country": ws.cell(row, 1).value, "period": p, "received": cents(ws.cell(row, c).value)}
                    for p, c in periods]
        row += 1
    assert records == money_frame(csvs["table5"], "table5").to_dict("records")


def test_item3_shares_add_up_to_100_01(frame):
    assert rules(frame, "Table 5", "TOTAL", "Percentage") == {"shares-not-100", "total-not-sum-of-rows"}


def test_item7_overpayments_make_pending_negative(frame):
    assert "overpaid" in rules(frame, "Table 5", "Canada", "Contributions for 2009")


def test_item8_typos_are_numbers_here_and_a_literal_transcription_is_caught(frame, sample_report, tmp_path):
    # The transcribed CSVs hold the intended numbers ("$40.116" is 40,116), so they agree with the sample:
    eu = one(frame, "Table 5", "European Union", "Contributions for 2009")
    assert eu["published"] == eu["computed"] == Decimal(40116) and eu["rules"] == ""
    # ...and a literal transcription of the misprint is labelled by the separator rule.
    folder = published_with(tmp_path / "literal", "table5_return_fund.csv", ("country", "European Union"), "2009",
                            "40.116")
    literal = compare(sample_report, folder)
    assert rules(literal, "Table 5", "European Union", "Contributions for 2009") == {"separator"}


def test_item11_return_fund_assessed_amounts_add_up_to_60006(frame):
    total = one(frame, "Table 5", "TOTAL", "Contribution in US$")
    assert (total["published"], total["computed"], total["difference"]) == (Decimal(60000), Decimal(60006), Decimal(6))
    assert total["rules"] == "total-not-sum-of-rows"
