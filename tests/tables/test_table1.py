"""Table 1: its rules on small inline ledgers (late and advance payments, overpayment, reversal, cut-off), its
sheet's cells, its published rules on inline published tables; and the sample against its CSV and the
published 2012 report."""
import datetime as dt
from decimal import Decimal

import pandas as pd

from tests.fixtures import (cents, find_row, ledger, linked_figures, money_frame, one, pay, published_folder, published_with,
                      published_table, reference, report, rule_codes, rules, spend, workbook)

from rcm_tables import schemas as S
from rcm_tables.published import compare
from rcm_tables.tables import build_all, table1

T = S.Table1


def rows(lines, as_of, **ref_kw):
    ref = reference(**ref_kw)
    t = build_all(ledger(lines, ref), ref, dt.date.fromisoformat(as_of))[table1.NAME]
    return {r["period"]: r for r in t.to_dict("records")}


def test_payment_for_an_old_period_counts_for_that_period():
    t = rows([pay("2012-03-01", 500, "A", "2010")], "2012-12-31")
    assert t["2010"]["contributions_received"] == 50000
    assert t["2012"]["contributions_received"] == 0


def test_payment_in_advance_counts_for_the_period_it_is_for():
    t = rows([pay("2010-06-01", 400, "B", "2012")], "2012-12-31")
    assert t["2010"]["contributions_received"] == 0
    assert t["2012"]["contributions_received"] == 40000


def test_overpayment_makes_pending_negative():
    t = rows([pay("2010-02-01", 600.40, "A", "2010"), pay("2010-02-01", 400, "B", "2010")], "2010-12-31")
    assert t["2010"]["contributions_pending"] == -40
    assert t["2010"]["contributions_pending_accumulated"] == -40


def test_running_columns_are_cumulative_and_exact_to_the_cent():
    lines = [pay("2010-02-01", 549.20, "A", "2010"), spend("2010-05-05", 100.01),
             pay("2011-02-01", 1000, "A", "2011"), spend("2011-05-05", 1200.10)]
    t = rows(lines, "2011-12-31")
    assert t["2010"]["contributions_pending"] == 100000 - 54920
    assert t["2010"]["net_balance"] == 54920 - 10001
    assert t["2011"]["contributions_pending_accumulated"] == (100000 - 54920) + 0
    assert t["2011"]["net_balance"] == 100000 - 120010
    assert t["2011"]["accumulated_balance"] == (54920 - 10001) + (100000 - 120010)


def test_reversal_cancels_the_payment():
    lines = [pay("2011-01-10", 600, "A", "2011"), pay("2011-01-12", 600, "A", "2011"),
             pay("2011-01-20", -600, "A", "2011", doc_type="AB")]
    assert rows(lines, "2011-12-31")["2011"]["contributions_received"] == 60000


def test_as_of_cut_off_excludes_later_lines_and_periods():
    lines = [pay("2011-01-10", 600, "A", "2011"), pay("2011-07-01", 400, "B", "2011"), spend("2011-06-30", 10),
             spend("2011-07-01", 20)]
    t = rows(lines, "2011-06-30")
    assert list(t) == ["2010", "2011"]
    assert t["2011"]["contributions_received"] == 60000
    assert t["2011"]["operating_costs"] == 1000


def test_expenses_follow_posting_date_not_assignment():
    t = rows([spend("2010-12-31", 10, assignment="2011"), spend("2011-01-01", 20)], "2011-12-31")
    assert t["2010"]["operating_costs"] == 1000
    assert t["2011"]["operating_costs"] == 2000


def test_opening_balance_adds_lines_posted_after_its_as_of():
    opening = [("2010", dt.date(2010, 12, 31), 90000, 80000)]
    t = rows([pay("2011-02-01", 100, "B", "2010")], "2011-12-31", opening=opening)
    assert t["2010"]["contributions_received"] == 90000 + 10000
    assert t["2010"]["operating_costs"] == 80000


def test_return_fund_lines_stay_out_of_table1():
    t = rows([pay("2010-02-01", 1000, "A", "2010", fund="RF"), spend("2010-03-01", 5, fund="RF", account="780100")],
             "2010-12-31")
    assert t["2010"]["contributions_received"] == 0
    assert t["2010"]["operating_costs"] == 0


# ------------------------------------------------------------------ the sheet

# 2010 overpaid by 0.40, cents in 2011, and a receipt and an expense posted after the as-of date
LINES = [pay("2010-02-01", 600.40, "A", "2010"), pay("2010-02-01", 400, "B", "2010"), spend("2010-05-05", 100),
         pay("2011-03-01", 549.20, "A", "2011"), spend("2011-06-01", 200),
         pay("2012-04-04", 400, "B", "2012"), spend("2012-07-01", 300),
         pay("2012-11-06", 100, "A", "2012"), spend("2012-11-02", 5)]
AS_OF = "2012-10-31"
COLS = dict(zip(table1.HEADERS, "BCDEFGH"))


def test_sheet_labels_formulas_and_cached_values(tmp_path):
    rep = report(LINES, AS_OF)
    t = rep.tables[table1.NAME]
    assert t.set_index(T.period)[T.contributions_received].to_dict() == {"2010": 100040, "2011": 54920, "2012": 40000}
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[table1.TITLE], book.values[table1.TITLE]
    header = find_row(ws, "Budget Year")
    assert [ws.cell(header, c).value for c in range(1, 9)] == [
        "Budget Year", "Approved Budget", "Contributions Received", "Contributions Pending",
        "Contributions Pending, Accumulated", "Operating Costs", "Net Balance", "Accumulated Balance"]
    first, total = header + 1, header + 1 + len(t)
    assert [ws.cell(r, 1).value for r in range(first, total + 1)] == ["2010", "2011", "2012", "Total"]
    for i, r in enumerate(range(first, total)):
        period = f'Ledger_Period,"="&$A{r},Ledger_Date,"<="&AsOf)'
        assert ws[f"C{r}"].value == f'=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"contribution",{period}'
        assert ws[f"F{r}"].value == f'=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"expense",{period}'
        assert ws[f"D{r}"].value == f"=B{r}-C{r}" and ws[f"G{r}"].value == f"=C{r}-F{r}"
        assert ws[f"E{r}"].value == (f"=D{r}" if i == 0 else f"=E{r - 1}+D{r}")
        assert ws[f"H{r}"].value == (f"=G{r}" if i == 0 else f"=H{r - 1}+G{r}")
        # approved: a formula over the Periods sheet, as the reference workbook gives it
        assert ws[f"B{r}"].value == f'=SUMIFS(Periods_Approved,Periods_Period,"="&$A{r})'
        assert cached[f"B{r}"].value == 1000 == book.computed(table1.TITLE, f"B{r}")
    assert [ws[f"{c}{total}"].value for c in "BCDEFGH"] == [
        f"=SUM(B{first}:B{total - 1})", f"=SUM(C{first}:C{total - 1})", f"=SUM(D{first}:D{total - 1})", None,
        f"=SUM(F{first}:F{total - 1})", f"=SUM(G{first}:G{total - 1})", None]  # no total of running sums
    for column, col in COLS.items():
        want = [int(v) for v in t[column]]
        assert [cents(cached[f"{col}{r}"].value) for r in range(first, total)] == want, column
        # the formulas, evaluated from the Ledger and Periods sheets, give the same figures
        assert [cents(book.computed(table1.TITLE, f"{col}{r}")) for r in range(first, total)] == want, column
        if column not in table1.RUNNING:
            assert cents(cached[f"{col}{total}"].value) == sum(want)
            assert cents(book.computed(table1.TITLE, f"{col}{total}")) == sum(want)


def test_sheet_adds_the_opening_balances_to_the_ledger_sums(tmp_path):
    opening = [("2010", dt.date(2010, 12, 31), 90000, 80000)]
    rep = report([pay("2011-02-01", 100, "B", "2010"), spend("2011-03-01", 10)], "2011-12-31", opening=opening)
    book = workbook(rep, tmp_path)
    ws = book.formulas[table1.TITLE]
    row = find_row(ws, "2010")
    assert ws[f"C{row}"].value.endswith('+SUMIFS(Opening_Received,Opening_Period,"="&$A' + f"{row})")
    assert ws[f"F{row}"].value.endswith('+SUMIFS(Opening_Costs,Opening_Period,"="&$A' + f"{row})")
    assert cents(book.computed(table1.TITLE, f"C{row}")) == 90000 + 10000
    assert cents(book.computed(table1.TITLE, f"F{row}")) == 80000
    assert cents(book.computed(table1.TITLE, f"F{row + 1}")) == 1000


# ------------------------------------------------------------------ the published rules

# 2009: printed, not computed; 2010: overpaid (pending in brackets); 2011: whole dollars, within a dollar of
# the running sums; 2012: pending, net balance and accumulated balance that are not their own arithmetic
PUBLISHED_T1 = """
    budget_year,approved_budget,contributions_received,contributions_pending,contributions_pending_accumulated,operating_costs,net_balance,accumulated_balance
    2009,1000,1000,0,0,1000,0,0
    2010,1000,1000.40,(0.40),(0.40),100,900.40,900.40
    2011,1000,549,451,451,200,349,1250
    2012,1000,400,500,951,300,150,1350
"""


def test_published_rules_own_arithmetic_and_overpaid():
    rep = report(LINES, AS_OF)
    rows = table1.published_rows(rep, {table1.FILE.key: published_table(PUBLISHED_T1)})
    assert len(rows) == 4 * 7
    assert rule_codes(rows) == {
        ("2010", "Contributions Pending"): {"overpaid"},
        ("2012", "Contributions Pending"): {"own-arithmetic"},  # 1000 − 400 = 600, not 500
        ("2012", "Net Balance"): {"own-arithmetic"},  # 400 − 300 = 100, not 150
        ("2012", "Accumulated Balance"): {"own-arithmetic"},  # 1250 + 150 = 1400, not 1350
    }
    labels = {(r.row, r.column): text for r in rows for _code, text in r.rules}
    assert "(600.00)" in labels[("2012", "Contributions Pending")]
    assert "(1,400.00)" in labels[("2012", "Accumulated Balance")]
    assert rows[0].published == Decimal(1000) and rows[0].computed is None  # 2009: before the exports


def test_published_rows_carry_the_tables_keys_and_link_to_their_cells(tmp_path):
    rep = report(LINES, AS_OF)
    files = {table1.FILE.key: published_table(PUBLISHED_T1)}
    rows = table1.published_rows(rep, files)
    column_of = {header: column for column, header in table1.HEADERS.items()}
    for r in rows:
        if r.row == "2009":
            assert r.computed is None and r.cell is None
        else:
            assert r.cell == table1.key(r.row, column_of[r.column])
            assert r.computed == Decimal(int(rep.tables[table1.NAME].set_index(T.period).at[r.row, column_of[r.column]])) / 100
    book = workbook(rep, tmp_path, published=published_folder(tmp_path / "published", files))
    header = find_row(book.formulas[table1.TITLE], "Budget Year")
    row_of = {"2010": header + 1, "2011": header + 2, "2012": header + 3}
    assert linked_figures(book, rows) == {
        (r.row, r.column): (table1.TITLE, f"{COLS[column_of[r.column]]}{row_of[r.row]}") for r in rows if r.cell}


# ------------------------------------------------------------------ the sample


def test_table1_equals_csv(sample_workbook, values, csvs):
    header = find_row(values["Table 1"], "Budget Year")
    sheet = pd.read_excel(sample_workbook, engine="openpyxl", sheet_name="Table 1", header=header - 1, dtype={"Budget Year": str})
    sheet = sheet.loc[: sheet.index[sheet["Budget Year"] == "Total"][0] - 1]
    assert list(sheet.columns) == ["Budget Year", "Approved Budget", "Contributions Received", "Contributions Pending",
                                   "Contributions Pending, Accumulated", "Operating Costs", "Net Balance",
                                   "Accumulated Balance"]
    sheet.columns = S.columns(S.Table1)
    for column in S.money_columns(S.Table1):
        sheet[column] = [cents(v) for v in sheet[column]]
    expected = money_frame(csvs["table1"], "table1")
    pd.testing.assert_frame_equal(sheet.reset_index(drop=True), expected, check_dtype=False)


def test_totals_are_sums_and_derived_columns_are_formulas_beside(formulas):
    t1 = formulas["Table 1"]
    assert [t1[f"{c}15"].value for c in "BCDFG"] == [f"=SUM({c}6:{c}14)" for c in "BCDFG"]
    assert (t1["D14"].value, t1["E14"].value, t1["G14"].value, t1["H14"].value) == (
        "=B14-C14", "=E13+D14", "=C14-F14", "=H13+G14")


def test_items5_and_10_whole_dollars_against_exact_cents(frame):
    acc = one(frame, "Table 1", "2012", "Contributions Pending, Accumulated")
    assert (acc["published"], acc["computed"], acc["rules"]) == (Decimal(45836), Decimal("45835.42"), "rounding")
    assert rules(frame, "Table 1", "2010", "Contributions Received") == {"rounding"}


def test_item7_overpayments_make_pending_negative(frame):
    for period in ("2007", "2008"):
        row = one(frame, "Table 1", period, "Contributions Pending")
        assert row["computed"] < 0 and "overpaid" in row["rules"]


def test_item8_a_literal_transcription_of_the_decimal_comma_is_caught(sample_report, tmp_path):
    folder = published_with(tmp_path / "literal", "table1_budget_history.csv", ("budget_year", "2006"),
                            "contributions_pending", "15,00")
    literal = compare(sample_report, folder)
    assert rules(literal, "Table 1", "2006", "Contributions Pending") == {"separator", "own-arithmetic"}


def test_a_period_is_shown_from_its_first_day():
    t = rows([pay("2012-01-01", 100, "A", "2012"), spend("2012-01-01", 10)], "2012-01-01")
    assert list(t) == ["2010", "2011", "2012"]
    assert (t["2012"]["contributions_received"], t["2012"]["operating_costs"]) == (10000, 1000)
