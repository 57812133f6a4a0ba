"""Table 3: its build on small inline references, its sheet's cells, its published rules on inline published
tables; and the sample against its CSV and the published 2012 report."""
import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.fixtures import (cents, find_row, linked_figures, money_frame, one, published_folder, published_table,
                      reference, report, rule_codes, spend, workbook)

from rcm_tables.tables import table3


def test_next_period_lines_by_section():
    lines = [("2012", "Staff", "Staff", 100000), ("2013", "Staff", "Coordinator", 70000),
             ("2013", "Operational Expenses", "Office", 30000)]
    ref = reference(lines=lines)
    t = table3.build(None, ref, dt.date(2012, 5, 1))
    assert t.to_dict("records") == [
        {"section": "Staff", "budget_line": "Coordinator", "amount": 70000},
        {"section": "Operational Expenses", "budget_line": "Office", "amount": 30000},
    ]


def test_no_next_period_gives_an_empty_table():
    ref = reference()
    assert table3.build(None, ref, dt.date(2013, 5, 1)).empty


# ------------------------------------------------------------------ the sheet

# 2013 splits office expenses out of "Equipment and Internet Access" (account 730300), as the 2013 budget did
BUDGET = dict(
    lines=[("2012", "Staff", "Staff", 60000), ("2012", "Operational Expenses", "Equipment and Internet Access", 40000),
           ("2013", "Staff", "Coordinator", 70000), ("2013", "Staff", "Assistant", 20050),
           ("2013", "Operational Expenses", "Equipment and Internet Access", 10000),
           ("2013", "Operational Expenses", "Office Expenses", 20000)],
    accounts=[("", "710100", "Staff"), ("", "730300", "Equipment and Internet Access"),
              ("2013", "710100", "Coordinator"), ("2013", "730300", "Office Expenses")])
LINES = [spend("2012-03-01", 10, "710100")]
AS_OF = "2012-10-31"


def test_sheet_sections_subtotals_total_and_cached_values(tmp_path):
    rep = report(LINES, AS_OF, **BUDGET)
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[table3.TITLE], book.values[table3.TITLE]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == [
        "Approved Budget for 2013", "RCM Technical Secretariat (TS)", "Annual Budget, January – December 2013",
        "In US$"]
    header = find_row(ws, "Amount", col=2)
    got = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(header + 1, ws.max_row + 1)]
    staff, office = header + 1, header + 6
    assert ws.cell(header, 1).value == "2013"  # the period the lines' formulas select

    def line(r, section):  # a line's amount: its row of the Budget Lines sheet
        return (f'=SUMIFS(BudgetLines_Approved,BudgetLines_Period,"="&$A${header},BudgetLines_Section,"="&$A${section},'
                f'BudgetLines_Line,"="&$A{r})')

    assert got == [
        ("Staff", None), ("Coordinator", line(staff + 1, staff)), ("Assistant", line(staff + 2, staff)),
        ("Subtotal", f"=SUM(B{staff + 1}:B{staff + 2})"),
        (None, None),
        ("Operational Expenses", None), ("Equipment and Internet Access", line(office + 1, office)),
        ("Office Expenses", line(office + 2, office)), ("Subtotal", f"=SUM(B{office + 1}:B{office + 2})"),
        (None, None),
        ("Total", f"=SUM(B{staff + 3},B{office + 3})")]
    t = rep.tables[table3.NAME]
    lines = (staff + 1, staff + 2, office + 1, office + 2)
    assert [cents(cached[f"B{r}"].value) for r in lines] == list(t["amount"]) == [70000, 20050, 10000, 20000]
    assert [cents(book.computed(table3.TITLE, f"B{r}")) for r in lines] == list(t["amount"])
    for r, want in ((staff + 3, 90050), (office + 3, 30000), (office + 5, 120050)):
        assert cents(cached[f"B{r}"].value) == cents(book.computed(table3.TITLE, f"B{r}")) == want


def test_sheet_without_a_next_period_says_so(tmp_path):
    rep = report([spend("2013-03-01", 10, "710100")], "2013-10-31")
    assert rep.tables[table3.NAME].empty
    ws = workbook(rep, tmp_path).formulas[table3.TITLE]
    assert ws["A2"].value == "Approved Budget for (no next period)"
    assert ws.cell(find_row(ws, "Amount", col=2) + 1, 1).value == (
        "The reference workbook has no period after the as-of period.")
    assert not any(ws.cell(r, 1).value in ("Subtotal", "Total") for r in range(1, ws.max_row + 1))


# ------------------------------------------------------------------ the published rules

PUBLISHED_T3 = """
    section,budget_line,amount
    Staff,Coordinator,700
    Staff,Assistant,200
    Operational Expenses,Equipment and Internet Access,100
    Operational Expenses,Office Expenses,200
    Operational Expenses,Rent,50
"""


def test_published_rules_mapping_changed():
    rows = table3.published_rows(report(LINES, AS_OF, **BUDGET), {table3.FILE.key: published_table(PUBLISHED_T3)})
    assert rule_codes(rows) == {(line, "Amount"): {"mapping-changed"}
                                for line in ("Coordinator", "Assistant", "Office Expenses", "Rent")}
    labels = {r.row: text for r in rows for _code, text in r.rules}
    assert labels["Office Expenses"] == ("not a budget line of 2012: in 2012 its account(s) sit inside other lines "
                                         "(730300 in “Equipment and Internet Access”)")
    assert labels["Coordinator"].endswith("(710100 in “Staff”)")
    assert labels["Assistant"] == labels["Rent"] == "not a budget line of 2012"  # no account of its own


def test_published_rows_carry_the_tables_keys_and_link_to_their_cells(tmp_path):
    rep = report(LINES, AS_OF, **BUDGET)
    files = {table3.FILE.key: published_table(PUBLISHED_T3)}
    rows = table3.published_rows(rep, files)
    assert [(r.row, r.computed, r.cell) for r in rows] == [
        ("Coordinator", Decimal(700), table3.key(("Staff", "Coordinator"))),
        ("Assistant", Decimal("200.5"), table3.key(("Staff", "Assistant"))),
        ("Equipment and Internet Access", Decimal(100),
         table3.key(("Operational Expenses", "Equipment and Internet Access"))),
        ("Office Expenses", Decimal(200), table3.key(("Operational Expenses", "Office Expenses"))),
        ("Rent", None, None)]
    book = workbook(rep, tmp_path, published=published_folder(tmp_path / "published", files))
    header = find_row(book.formulas[table3.TITLE], "Amount", col=2)
    assert linked_figures(book, rows) == {
        ("Coordinator", "Amount"): (table3.TITLE, f"B{header + 2}"),
        ("Assistant", "Amount"): (table3.TITLE, f"B{header + 3}"),
        ("Equipment and Internet Access", "Amount"): (table3.TITLE, f"B{header + 7}"),
        ("Office Expenses", "Amount"): (table3.TITLE, f"B{header + 8}")}


# ------------------------------------------------------------------ the sample


def test_table3_equals_csv(values, csvs):
    ws = values["Table 3"]
    records, section = [], ""
    for row in range(find_row(ws, "", col=2, start=1) + 1, ws.max_row + 1):
        label, amount = ws.cell(row, 1).value, ws.cell(row, 2).value
        if not label or label in ("Subtotal", "Total"):
            continue
        if amount is None:
            section = label
        else:
            records.append({"section": section, "budget_line": label, "amount": cents(amount)})
    assert pd.DataFrame(records).to_dict("records") == money_frame(csvs["table3"], "table3").to_dict("records")


def test_item9_office_expenses_line_and_the_2012_mapping(frame):
    office = one(frame, "Table 3", "Office Expenses", "Amount")
    assert office["rules"] == "mapping-changed"
    assert "730300 in “Equipment and Internet Access”" in office["label"]
