"""Table 4: late, advance, partial, over- and reversed payments, adjustments without partner, cut-off; its sheet's
cells, its published rules on inline published tables; and the sample against its CSV and the published 2012
report."""
import datetime as dt
import re
from decimal import Decimal

import pandas as pd

from tests.fixtures import (cents, find_row, ledger, linked_figures, money_frame, one, pay, published_folder,
                      published_table, reference, report, rule_codes, rules, spend, workbook)

from rcm_tables import schemas as S
from rcm_tables.tables import annex1, build_all, table4

DATE_IN_TEXT = re.compile(r"\((\d\d)/(\d\d)/(\d{4})\)")


def build(lines, as_of="2013-06-30"):
    ref = reference()
    led = ledger(lines, ref)
    day = dt.date.fromisoformat(as_of)
    built = build_all(led, ref, day)  # the ledger clamped to the as-of date, as every build does
    return built[table4.NAME].set_index(["country", "period"]), built[table4.PAYMENTS]


def test_last_four_periods_every_member_and_pending_where_partial_or_missing():
    t, _ = build([pay("2011-03-01", 600, "A", "2011"), pay("2013-03-01", 150.50, "B", "2013")])
    assert sorted(set(t.index.get_level_values("period"))) == ["2010", "2011", "2012", "2013"]
    assert t.loc[("A", "2011"), "pending"] == 0
    assert t.loc[("A", "2012"), "pending"] == 60000  # missing: all pending
    assert t.loc[("B", "2013"), "pending"] == 40000 - 15050  # partial
    assert t.loc[("B", "2013"), "receipt_dates"] == "2013-03-01"
    for _, row in t.iterrows():
        assert row["received"] + row["pending"] == row["assessed"]


def test_late_payment_and_advance_payment_dates():
    t, _ = build([pay("2013-02-23", 400, "B", "2010"), pay("2010-06-01", 600, "A", "2013")])
    assert t.loc[("B", "2010"), "receipt_dates"] == "2013-02-23"
    assert t.loc[("A", "2013"), "received"] == 60000
    assert t.loc[("A", "2013"), "receipt_dates"] == "2010-06-01"


def test_two_instalments_listed_in_date_order():
    t, pay_ = build([pay("2012-11-06", 300, "A", "2012"), pay("2012-04-04", 300, "A", "2012")])
    assert t.loc[("A", "2012"), "receipt_dates"] == "2012-04-04;2012-11-06"
    mine = pay_.loc[(pay_["country"] == "A") & (pay_["period"] == "2012")]
    assert list(mine["amount"]) == [30000, 30000]


def test_overpayment_gives_negative_pending():
    t, _ = build([pay("2012-09-24", 600.40, "A", "2012")])
    assert t.loc[("A", "2012"), "pending"] == -40


def test_reversal_removes_the_reversed_receipt_date():
    lines = [pay("2012-01-10", 400, "B", "2011"), pay("2012-01-12", 400, "B", "2011"),
             pay("2012-01-20", -400, "B", "2011", doc_type="AB")]
    t, p = build(lines)
    assert t.loc[("B", "2011"), "received"] == 40000
    assert t.loc[("B", "2011"), "receipt_dates"] == "2012-01-10"


def test_partial_refund_reduces_the_latest_receipt():
    lines = [pay("2012-01-10", 400, "B", "2012"), pay("2012-03-01", -100, "B", "2012", doc_type="SA")]
    t, p = build(lines)
    assert t.loc[("B", "2012"), "received"] == 30000
    mine = p.loc[(p["country"] == "B") & (p["period"] == "2012")]
    assert list(zip(mine["amount"], mine["received_on"])) == [(30000, pd.Timestamp("2012-01-10"))]


def test_adjustment_without_partner_gets_its_own_row_and_totals_reconcile():
    lines = [pay("2012-05-01", 600, "A", "2012"), pay("2012-12-31", -1.25, "", "2012", doc_type="SA"),
             pay("2012-06-01", 50, "D", "2012", account="400200")]
    t, _ = build(lines)
    assert t.loc[(S.NO_PARTNER, "2012"), "received"] == -125
    assert t.loc[("D", "2012"), "assessed"] == 0  # a donor outside the scale: shown, nothing assessed
    period = t.xs("2012", level="period")
    assert period["received"].sum() == 60000 - 125 + 5000
    assert period["pending"].sum() == 100000 - period["received"].sum()


def test_as_of_cut_off_applies_to_receipts():
    t, _ = build([pay("2012-11-06", 300, "A", "2012"), pay("2012-04-04", 300, "A", "2012")], as_of="2012-10-31")
    assert t.loc[("A", "2012"), "received"] == 30000
    assert t.loc[("A", "2012"), "receipt_dates"] == "2012-04-04"


def test_alias_and_spacing_resolve_to_the_member():
    t, _ = build([pay("2012-05-01", 100, "alpha ", "2012"), pay("2012-05-02", 100, "Ä", "2012")])
    assert t.loc[("A", "2012"), "received"] == 20000


# ------------------------------------------------------------------ the sheet

# A: a partial payment then the rest; B: an overpayment, a payment in advance (for 2013) and one posted after
# the as-of date; an adjustment without partner; the last expense in September (the expenses' cut-off)
LINES = [pay("2012-03-01", 500, "A", "2012"), pay("2012-06-01", 100, "A", "2012"),
         pay("2011-02-01", 400.40, "B", "2011"), pay("2012-09-01", 200, "B", "2013"),
         pay("2012-11-06", 100, "B", "2012"), pay("2012-05-01", -1.25, "", "2012", doc_type="SA"),
         spend("2012-09-15", 10)]
AS_OF = "2012-10-31"
PERIOD_COL = {"2010": "C", "2011": "F", "2012": "I"}  # received; the dates and pending follow
NEXT = {"C": "DE", "F": "GH", "I": "JK"}


def test_sheet_labels_formulas_receipts_and_cached_values(tmp_path):
    rep = report(LINES, AS_OF)
    t = rep.tables[table4.NAME].set_index(["country", "period"])
    book = workbook(rep, tmp_path)
    ws, cached = book.formulas[table4.TITLE], book.values[table4.TITLE]
    top = find_row(ws, "Country")
    assert ws.cell(top, 2).value == "Approved scale of contributions"
    for period, col in PERIOD_COL.items():
        dates, pending = NEXT[col]
        assert ws[f"{col}{top}"].value == period
        assert ws[f"{col}{top + 1}"].value == f"01/01/{period} to 31/12/{period}"
        assert [ws[f"{c}{top + 2}"].value for c in (col, dates, pending)] == [
            "Received", "Date(s) of receipt", "Pending"]
    first = top + 3
    countries = ["A", "B", S.NO_PARTNER]
    total = first + len(countries)
    assert [ws.cell(r, 1).value for r in range(first, total + 1)] == [*countries, "TOTAL"]
    assert [cached[f"B{r}"].value for r in range(first, total + 1)] == [600, 400, None, 1000]
    assert ws[f"B{total}"].value == f"=SUM(B{first}:B{total - 1})"
    for i, country in enumerate(countries):
        r = first + i
        partner = '""' if country == S.NO_PARTNER else f'"="&$A{r}'
        for period, col in PERIOD_COL.items():
            dates, pending = NEXT[col]
            assert ws[f"{col}{r}"].value == ('=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"contribution",Ledger_Partner,'
                                             f'{partner},Ledger_Period,"="&{col}${top},Ledger_Date,"<="&AsOf)')
            assert ws[f"{pending}{r}"].value == f"=$B{r}-{col}{r}"
            for column, c in (("received", col), ("pending", pending)):
                want = int(t.loc[(country, period), column])
                assert cents(cached[f"{c}{r}"].value) == cents(book.computed(table4.TITLE, f"{c}{r}")) == want
    receipts = {(ws.cell(r, 1).value, period): ws[f"{NEXT[col][0]}{r}"].value
                for r in range(first, total) for period, col in PERIOD_COL.items()}
    assert receipts == {
        ("A", "2010"): "Pending", ("A", "2011"): "Pending", ("A", "2012"): "$500.00 (01/03/2012)\n$100.00 (01/06/2012)",
        ("B", "2010"): "Pending", ("B", "2011"): "$400.40 (01/02/2011)", ("B", "2012"): "Pending",
        (S.NO_PARTNER, "2010"): None, (S.NO_PARTNER, "2011"): None, (S.NO_PARTNER, "2012"): "($1.25) (01/05/2012)"}
    for period, col in PERIOD_COL.items():
        pending = NEXT[col][1]
        assert ws[f"{col}{total}"].value == f"=SUM({col}{first}:{col}{total - 1})"
        assert ws[f"{pending}{total}"].value == f"=SUM({pending}{first}:{pending}{total - 1})"
        mine = t.xs(period, level="period")
        assert cents(book.computed(table4.TITLE, f"{col}{total}")) == cents(cached[f"{col}{total}"].value) == (
            mine["received"].sum())
        assert cents(book.computed(table4.TITLE, f"{pending}{total}")) == mine["pending"].sum()
    # received in advance, below the table: B's payment for 2013
    advance = find_row(ws, "Received in advance, for periods after 2012")
    assert [ws.cell(advance + 1, c).value for c in range(1, 5)] == [
        "Country", "Period", "Received", "Date(s) of receipt"]
    row = advance + 2
    assert [ws.cell(row, c).value for c in (1, 2, 4)] == ["B", "2013", "$200.00 (01/09/2012)"]
    assert ws.cell(row, 3).value == ('=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"contribution",Ledger_Partner,'
                                     f'"="&$A{row},Ledger_Period,"="&$B{row},Ledger_Date,"<="&AsOf)')
    assert cached.cell(row, 3).value == book.computed(table4.TITLE, f"C{row}") == 200


# ------------------------------------------------------------------ the published rules

PUBLISHED_SCALE = """
    country,percentage,contribution_usd
    A,60,600
    B,40,400
"""
# A 2010: partial; A 2012: a date that differs; B 2011: overpaid, its date printed as a year; B 2012: received
# after the expenses' cut-off (2012-09-30), partial; the 2012 total is not the sum of its rows (700)
PUBLISHED_PAYMENTS = """
    country,period,amount,received_on
    A,2010,300,2010-05-05
    A,2012,500,2012-03-01
    A,2012,100,2012-06-02
    B,2011,400.40,2011
    B,2012,100,2012-11-06
"""
PUBLISHED_TOTALS = """
    period,total_received
    2010,300
    2011,400.40
    2012,650
"""


def published_files():
    return {annex1.FILE.key: published_table(PUBLISHED_SCALE),
            table4.FILE_PAYMENTS.key: published_table(PUBLISHED_PAYMENTS),
            table4.FILE_TOTALS.key: published_table(PUBLISHED_TOTALS)}


def test_published_rules_cutoff_partial_overpaid_dates_and_totals():
    rows = table4.published_rows(report(LINES, AS_OF), published_files())
    assert rule_codes(rows) == {
        ("A", "2010 received"): {"partial-payment"},
        ("A", "2012 received"): {"receipt-dates-differ"},
        ("B", "2011 received"): {"overpaid"},
        ("B", "2012 received"): {"after-expenses-cutoff", "partial-payment"},
        ("TOTAL", "2012 received"): {"total-not-sum-of-rows"},
    }
    labels = {(r.row, r.column, code): text for r in rows for code, text in r.rules}
    late = labels[("B", "2012 received", "after-expenses-cutoff")]
    assert "2012-11-06, after the expenses' cut-off (2012-09-30)" in late
    assert labels[("A", "2012 received", "receipt-dates-differ")] == (
        "published dates 2012-03-01, 2012-06-02; computed 2012-03-01, 2012-06-01")
    by_cell = {(r.row, r.column): r for r in rows}
    adjustments = by_cell[(S.NO_PARTNER, "2012 received")]  # not printed: no published figure
    assert (adjustments.published, adjustments.computed) == (None, Decimal("-1.25"))
    assert by_cell[("A", "2011 received")].published == 0  # a printed member without a payment


def test_published_rows_carry_the_tables_keys_and_link_to_their_cells(tmp_path):
    rep = report(LINES, AS_OF)
    files = published_files()
    rows = table4.published_rows(rep, files)
    for r in rows:
        period = r.column.removesuffix(" received")
        cell = (r.row, period) if r.row != "TOTAL" else ("TOTAL", period)
        assert r.cell == table4.key(cell, "received"), r
    book = workbook(rep, tmp_path, published=published_folder(tmp_path / "published", files))
    first = find_row(book.formulas[table4.TITLE], "Country") + 3
    row_of = {"A": first, "B": first + 1, S.NO_PARTNER: first + 2, "TOTAL": first + 3}
    assert linked_figures(book, rows) == {
        (r.row, r.column): (table4.TITLE, f"{PERIOD_COL[r.column.removesuffix(' received')]}{row_of[r.row]}")
        for r in rows}


# ------------------------------------------------------------------ the sample


def read_table4(ws) -> tuple[list[dict], list[dict]]:
    header = find_row(ws, "Country")
    periods = []
    col = 3
    while ws.cell(header, col).value:
        periods.append((ws.cell(header, col).value, col))
        col += 3
    cells, payments = [], []
    row = header + 3
    while ws.cell(row, 1).value != "TOTAL":
        country = ws.cell(row, 1).value
        for period, col in periods:
            text = ws.cell(row, col + 1).value or ""
            days = [dt.date(int(y), int(m), int(d)) for d, m, y in DATE_IN_TEXT.findall(text)]
            cells.append({"country": country, "period": period, "assessed": cents(ws.cell(row, 2).value),
                          "received": cents(ws.cell(row, col).value), "pending": cents(ws.cell(row, col + 2).value),
                          "receipt_dates": ";".join(d.isoformat() for d in sorted(days))})
            for line in filter(None, text.split("\n")):
                if line == "Pending":
                    continue
                amount = line.split(" (")[0]
                value = cents(amount.strip("()").replace("$", "").replace(",", ""))
                day = DATE_IN_TEXT.search(line).groups()
                payments.append({"country": country, "period": period, "amount": -value if amount[0] == "(" else value,
                                 "received_on": f"{day[2]}-{day[1]}-{day[0]}"})
        row += 1
    return cells, payments


def test_table4_cells_and_payments_equal_csv(values, csvs):
    cells, payments = read_table4(values["Table 4"])
    assert cells == money_frame(csvs["table4"], "table4").to_dict("records")
    assert payments == money_frame(csvs["table4_payments"], "table4_payments").to_dict("records")


def test_totals_are_sums_and_derived_columns_are_formulas_beside(formulas):
    t4 = formulas["Table 4"]
    total = find_row(t4, "TOTAL")
    assert t4[f"C{total}"].value == f"=SUM(C8:C{total - 1})" and t4[f"E{total}"].value == f"=SUM(E8:E{total - 1})"
    assert t4["E8"].value == "=$B8-C8"


def test_no_partner_row_sums_blank_partner_cells(formulas, values):
    ws = formulas["Table 4"]
    row = find_row(ws, S.NO_PARTNER)
    assert 'Ledger_Partner,"",' in ws.cell(row, 3).value
    assert values["Table 4"].cell(row, 3).value == -125  # 2009's bank charges (docs/discrepancies.md item 1)
    # the criterion "" matches empty cells: the partner-less income line's Partner cell is empty, not ""
    ledger = formulas["Ledger"]
    blank = [r for r in range(5, ledger.max_row + 1)
             if ledger.cell(r, 16).value == "contribution" and ledger.cell(r, 10).value in (None, "")]
    assert [(ledger.cell(r, 10).value, ledger.cell(r, 15).value) for r in blank] == [(None, -125)]


def test_item1_total_not_the_sum_of_its_rows_and_the_adjustment_row(frame):
    total = one(frame, "Table 4", "TOTAL", "2009 received")
    assert (total["published"], total["computed"]) == (Decimal(277639), Decimal(277639))
    assert "total-not-sum-of-rows" in total["rules"] and "277,764.00" in total["label"]
    adjustment = one(frame, "Table 4", S.NO_PARTNER, "2009 received")
    assert pd.isna(adjustment["published"]) and adjustment["computed"] == Decimal("-125")
    assert adjustment["rules"] == "not-printed"


def test_item4_receipts_after_the_expenses_cut_off(frame):
    late = frame.loc[frame["rules"].str.contains("after-expenses-cutoff")]
    assert sorted(zip(late["row"], late["column"])) == [("Mexico", "2012 received"), ("Panama", "2012 received")]
    assert "2012-10-31" in late.iloc[0]["label"]


def test_items5_and_10_whole_dollars_against_exact_cents(frame):
    assert rules(frame, "Table 4", "TOTAL", "2012 received") == {"rounding"}
    assert one(frame, "Table 4", "TOTAL", "2012 received")["difference"] == Decimal("0.38")


def test_item6_partial_payments(frame):
    for country, period in (("Dominican Republic", "2010"), ("Mexico", "2010"), ("Mexico", "2011"),
                            ("Nicaragua", "2010"), ("Guatemala", "2010"), ("Costa Rica", "2012")):
        assert "partial-payment" in rules(frame, "Table 4", country, f"{period} received"), (country, period)
    assert "pending 15.00" in one(frame, "Table 4", "Dominican Republic", "2010 received")["label"]


def test_item7_overpayments_make_pending_negative(frame):
    assert "overpaid" in rules(frame, "Table 4", "United States", "2012 received")
