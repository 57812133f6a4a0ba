"""Table 2: its build on small inline ledgers, its sheet's cells, its published rules on inline published tables;
and the sample against its CSV and the published 2012 report."""
import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.fixtures import (cents, find_row, ledger, linked_figures, money_frame, one, pay, published_folder,
                      published_table, reference, report, rule_codes, rules, spend, workbook)

from rcm_tables import schemas as S
from rcm_tables.tables import build_all, table2


def test_expenses_by_line_through_the_accounts_mapping_and_summary():
    ref = reference(accounts=[("", "710100", "Staff"), ("", "760100", "Travel"), ("", "760200", "Travel"),
                              ("2012", "760200", "Staff")])
    lines = [spend("2012-01-05", 100.10, "710100"), spend("2012-02-05", 50.05, "760100"),
             spend("2012-03-05", 20.00, "760200"),  # 2012-specific mapping wins: Staff
             spend("2011-03-05", 99.99, "760200"),  # other period: general mapping, and not in 2012
             spend("2012-04-05", -5.00, "760100", doc_type="AB"),
             pay("2012-05-01", 700.00, "A", "2012"), spend("2012-11-01", 1, "710100")]
    led = ledger(lines, ref)
    as_of = dt.date(2012, 10, 31)
    built = build_all(led, ref, as_of)
    t = built[table2.NAME].set_index("budget_line")
    assert t.loc["Staff", "expenses"] == 10010 + 2000
    assert t.loc["Travel", "expenses"] == 5005 - 500
    assert t.loc["Staff", "balance"] == 60000 - 12010
    s = built[table2.SUMMARY].set_index("item")["amount"]
    assert s["approved_budget"] == 100000
    assert s["contributions_received"] == 70000
    assert s["contributions_pending"] == 30000
    assert s["total_expenses"] == t["expenses"].sum() == 12010 + 4505
    assert s["balance"] == 70000 - 16515


# ------------------------------------------------------------------ the sheet

# a reversal, an expense of another period, and an expense posted after the as-of date
LINES = [spend("2012-01-05", 100.10, "710100"), spend("2012-02-05", 50.05, "760100"),
         spend("2012-04-05", -5.00, "760100", doc_type="AB"), spend("2011-03-05", 99.99, "760100"),
         pay("2012-05-01", 700, "A", "2012"), spend("2012-11-01", 1, "710100")]
AS_OF = "2012-10-31"


def test_sheet_labels_formulas_and_cached_values(tmp_path):
    rep = report(LINES, AS_OF)
    t = rep.tables[table2.NAME]
    summary = rep.tables[table2.SUMMARY].set_index("item")["amount"]
    assert list(t["expenses"]) == [10010, 4505] and summary["balance"] == 70000 - 14515
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[table2.TITLE], book.values[table2.TITLE]
    assert (ws["A4"].value, ws["B4"].value) == ("Budget period", "2012")
    t1_row = find_row(book.formulas["Table 1"], "2012")
    approved, received, pending = (find_row(ws, text) for text in (
        "Approved Budget for 2012", "Contributions Received for 2012", "Pending Contributions for 2012"))
    assert ws[f"B{approved}"].value == f"='Table 1'!$B${t1_row}"  # linked to Table 1, not computed again
    assert ws[f"B{received}"].value == f"='Table 1'!$C${t1_row}"
    assert ws[f"B{pending}"].value == f"=B{approved}-B{received}"
    header = find_row(ws, "Budget line")
    assert [ws.cell(header, c).value for c in range(1, 5)] == ["Budget line", "Approved Budget", "Expenses", "Balance"]
    first, total = header + 1, header + 1 + len(t)
    assert [ws.cell(r, 1).value for r in range(first, total)] == ["Staff", "Travel"]
    assert ws.cell(total, 1).value == "Total Expenses, January – October 2012"
    for r in range(first, total):
        assert ws[f"C{r}"].value == ('=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"expense",Ledger_Period,'
                                     f'"="&$B$4,Ledger_BudgetLine,"="&$A{r},Ledger_Date,"<="&AsOf)')
        assert ws[f"D{r}"].value == f"=B{r}-C{r}"
    assert [ws[f"{c}{total}"].value for c in "BCD"] == [f"=SUM({c}{first}:{c}{total - 1})" for c in "BCD"]
    balance = find_row(ws, "Balance, 31 October 2012")
    assert balance == total + 1 and ws[f"C{balance}"].value == f"=B{received}-C{total}"
    for column, col in (("approved_budget", "B"), ("expenses", "C"), ("balance", "D")):
        want = [int(v) for v in t[column]]
        assert [cents(cached[f"{col}{r}"].value) for r in range(first, total)] == want, column
        assert cents(cached[f"{col}{total}"].value) == cents(book.computed(table2.TITLE, f"{col}{total}")) == sum(want)
        if col != "B":
            assert [cents(book.computed(table2.TITLE, f"{col}{r}")) for r in range(first, total)] == want, column
    cells = {"approved_budget": f"B{approved}", "contributions_received": f"B{received}",
             "contributions_pending": f"B{pending}", "total_expenses": f"C{total}", "balance": f"C{balance}"}
    for item, cell in cells.items():
        assert cents(cached[cell].value) == cents(book.computed(table2.TITLE, cell)) == summary[item], item


# ------------------------------------------------------------------ the published rules

PUBLISHED_LINES = """
    budget_line,approved_budget,expenses
    Staff,600.00,100.10
    Travel,400.00,45.05
    Office,,10.00
"""
# total expenses: not the sum of the lines (155.15); balance: not received − total expenses (524.85)
PUBLISHED_SUMMARY = """
    item,amount
    Approved Budget for 2012,1000.00
    Contributions Received for 2012,700.00
    Pending Contributions for 2012,300.00
    Total Expenses January-October 2012,175.15
    Balance October 31st 2012,534.85
"""


def published_files():
    return {table2.FILE_LINES.key: published_table(PUBLISHED_LINES),
            table2.FILE_SUMMARY.key: published_table(PUBLISHED_SUMMARY)}


def test_published_rules_own_arithmetic_on_the_balance_and_total_not_sum_of_rows():
    rows = table2.published_rows(report(LINES, AS_OF), published_files())
    assert [(r.row, r.column) for r in rows][-5:] == [
        ("Approved Budget for 2012", "Amount"), ("Contributions Received for 2012", "Amount"),
        ("Pending Contributions for 2012", "Amount"), ("Total Expenses January-October 2012", "Amount"),
        ("Balance October 31st 2012", "Amount")]
    assert rule_codes(rows) == {("Total Expenses January-October 2012", "Amount"): {"total-not-sum-of-rows"},
                                ("Balance October 31st 2012", "Amount"): {"own-arithmetic"}}
    labels = {r.row: text for r in rows for _code, text in r.rules}
    assert "(155.15;" in labels["Total Expenses January-October 2012"]
    assert "(524.85)" in labels["Balance October 31st 2012"]
    # the same summary without its lines: nothing to add up, the balance is still checked
    alone = table2.published_rows(report(LINES, AS_OF), {table2.FILE_SUMMARY.key: published_table(PUBLISHED_SUMMARY)})
    assert rule_codes(alone) == {("Balance October 31st 2012", "Amount"): {"own-arithmetic"}}


def test_published_pending_that_is_not_approved_minus_received_is_flagged():
    summary = published_table(PUBLISHED_SUMMARY.replace("Pending Contributions for 2012,300.00",
                                                        "Pending Contributions for 2012,320.00"))
    rows = table2.published_rows(report(LINES, AS_OF), {table2.FILE_SUMMARY.key: summary})
    assert rule_codes(rows)[("Pending Contributions for 2012", "Amount")] == {"own-arithmetic"}


def test_published_rows_carry_the_tables_keys_and_link_to_their_cells(tmp_path):
    rep = report(LINES, AS_OF)
    files = published_files()
    rows = table2.published_rows(rep, files)
    keys = {(r.row, r.column): r.cell for r in rows}
    assert keys[("Staff", "Approved Budget")] == table2.key("Staff", "approved_budget")
    assert keys[("Travel", "Expenses")] == table2.key("Travel", "expenses")
    assert keys[("Office", "Expenses")] is None  # not a budget line of the period: nothing computed
    assert [keys[(item, "Amount")] for item in published_files()[table2.SUMMARY]["item"]] == [
        table2.summary_key(k) for k in ("approved_budget", "contributions_received", "contributions_pending",
                                        "total_expenses", "balance")]
    book = workbook(rep, tmp_path, published=published_folder(tmp_path / "published", files))
    ws = book.formulas[table2.TITLE]
    t1_row = find_row(book.formulas["Table 1"], "2012")
    header = find_row(ws, "Budget line")
    total = header + 3
    assert linked_figures(book, rows) == {
        ("Staff", "Approved Budget"): (table2.TITLE, f"B{header + 1}"),
        ("Staff", "Expenses"): (table2.TITLE, f"C{header + 1}"),
        ("Travel", "Approved Budget"): (table2.TITLE, f"B{header + 2}"),
        ("Travel", "Expenses"): (table2.TITLE, f"C{header + 2}"),
        ("Approved Budget for 2012", "Amount"): (table2.TITLE, "B7"),
        ("Contributions Received for 2012", "Amount"): (table2.TITLE, "B8"),
        ("Pending Contributions for 2012", "Amount"): (table2.TITLE, "B9"),
        ("Total Expenses January-October 2012", "Amount"): (table2.TITLE, f"C{total}"),
        ("Balance October 31st 2012", "Amount"): (table2.TITLE, f"C{total + 1}"),
    }
    assert book.formulas[table2.TITLE]["B8"].value == f"='Table 1'!$C${t1_row}"


# ------------------------------------------------------------------ the sample


def test_table2_lines_and_summary_equal_csv(sample_workbook, values, csvs):
    ws = values["Table 2"]
    header = find_row(ws, "Budget line")
    total = find_row(ws, "Total Expenses", start=header)
    sheet = pd.read_excel(sample_workbook, engine="openpyxl", sheet_name="Table 2", header=header - 1, nrows=total - header - 1)
    sheet.columns = S.columns(S.Table2)
    for column in S.money_columns(S.Table2):
        sheet[column] = [cents(v) for v in sheet[column]]
    pd.testing.assert_frame_equal(sheet, money_frame(csvs["table2"], "table2"), check_dtype=False)

    summary = {
        "approved_budget": ws.cell(find_row(ws, "Approved Budget for"), 2).value,
        "contributions_received": ws.cell(find_row(ws, "Contributions Received for"), 2).value,
        "contributions_pending": ws.cell(find_row(ws, "Pending Contributions for"), 2).value,
        "total_expenses": ws.cell(total, 3).value,
        "balance": ws.cell(find_row(ws, "Balance,"), 3).value,
    }
    expected = money_frame(csvs["table2_summary"], "table2_summary").set_index("item")["amount"].to_dict()
    assert {k: cents(v) for k, v in summary.items()} == expected


def test_totals_are_sums_and_derived_columns_are_formulas_beside(formulas):
    t2 = formulas["Table 2"]
    assert t2["B9"].value == "=B7-B8" and t2["D13"].value == "=B13-C13"


def test_item2_balance_is_not_its_own_received_minus_expenses(frame):
    balance = one(frame, "Table 2", "Balance October 31st 2012", "Amount")
    assert balance["difference"] == Decimal("-1.62") and balance["rules"] == "own-arithmetic"
    assert "38,025.73" in balance["label"]  # 261,483.00 - 223,457.27, the report's own figures


def test_items5_and_10_whole_dollars_against_exact_cents(frame):
    assert rules(frame, "Table 2", "Contributions Received for 2012", "Amount") == {"rounding"}
