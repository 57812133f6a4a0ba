"""The ledger, reference and figure checks that no other test reached, each on a small inline case: the problem
it must raise (code, severity, place), the case beside it that must raise nothing, and its boundary date.

Expected codes and rows are worked out from the inline lines (row 2 is the first line, `fixtures.ledger`).
"""
from __future__ import annotations

import datetime as dt

from tests.fixtures import ledger, line, pay, reference, report, spend

from rcm_tables.checks import Context, check_overpayments, check_receipt_cutoff, run_ledger_checks
from rcm_tables.checks.reference import check_periods, check_scale
from rcm_tables.ledger import clamp

YEARS = (2010, 2011, 2012, 2013)


def ledger_problems(items, **ref_kw):
    ref = reference(**ref_kw)
    return [(p.code, p.severity, p.row, p.column) for p in run_ledger_checks(Context(ledger(items, ref), ref))]


# ------------------------------------------------------------------ ledger checks


def test_a_usd_document_whose_two_amounts_differ_is_flagged():
    found = ledger_problems([spend("2012-01-05", 100, doc_amount=100),  # agree
                             spend("2012-01-06", 100, doc_amount=90),  # USD: must agree
                             spend("2012-01-07", 100, doc_amount=90, currency="EUR")])  # converted: may differ
    assert found == [("usd-mismatch", "warning", 3, "Amount (USD)")]


def test_a_contribution_without_assignment_is_missing_not_unknown():
    found = ledger_problems([pay("2012-03-01", 100, "A", ""), pay("2012-03-02", 100, "A", "2099"),
                             pay("2012-03-03", 100, "A", "2012")])
    assert found == [("assignment-missing", "error", 2, "Assignment"), ("assignment-unknown", "error", 3, "Assignment")]


def test_an_account_mapped_to_a_line_its_period_does_not_have_is_an_error():
    accounts = [("", "710100", "Staff"), ("", "760100", "Travel"), ("2012", "760100", "Office")]
    found = ledger_problems([spend("2011-05-05", 10, "760100"), spend("2012-05-05", 10, "760100"),
                             spend("2012-05-06", 10, "710100")], accounts=accounts)
    assert found == [("account-line-unknown", "error", 3, "G/L Account")]  # 2012 has no line "Office"


def test_a_line_on_an_account_that_is_neither_income_nor_expense_is_noted():
    found = ledger_problems([spend("2012-05-05", 10, "710100"), line("2012-05-06", 10, account="500100")])
    assert [(code, row) for code, _severity, row, _column in found] == [("account-unused", 3)]


def test_a_period_without_budget_lines_is_said_once_unless_an_opening_balance_covers_it():
    periods = [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 100000) for y in YEARS]
    budget = [(p, "Staff", "Staff", 60000) for p in ("2010", "2012")]  # 2011 has none
    expenses = [spend("2011-02-01", 10), spend("2011-03-01", 20), spend("2012-02-01", 5)]
    found = ledger_problems(expenses, periods=periods, lines=budget, accounts=[("", "710100", "Staff")])
    assert found == [("period-without-lines", "warning", 2, "G/L Account")]  # the first 2011 line only
    opening = [("2011", dt.date(2010, 12, 31), 0, 0)]  # before the lines: not counted twice either
    assert ledger_problems(expenses, periods=periods, lines=budget, accounts=[("", "710100", "Staff")],
                           opening=opening) == []


def test_a_line_posted_on_the_as_of_date_of_its_opening_balance_counts_twice():
    opening = [("2011", dt.date(2011, 6, 30), 50000, 40000)]
    found = ledger_problems([spend("2011-06-30", 10), spend("2011-07-01", 20), pay("2011-06-30", 30, "A", "2011")],
                            opening=opening)
    assert [(code, row) for code, _severity, row, _column in found] == [("opening-double-count", 2),
                                                                        ("opening-double-count", 4)]


# ------------------------------------------------------------------ reference checks

def test_a_period_that_ends_before_it_starts_is_an_error():
    periods = [("2010", dt.date(2010, 1, 1), dt.date(2010, 12, 31), 1), ("2011", dt.date(2011, 12, 31),
                                                                           dt.date(2011, 1, 1), 1)]
    found = [(p.code, p.severity, p.sheet, p.row, p.column) for p in check_periods(reference(periods=periods))]
    assert ("period-reversed", "error", "Periods", 3, "End") in found


def test_overlapping_periods_are_an_error_and_adjacent_ones_are_not():
    adjacent = [("2010", dt.date(2010, 1, 1), dt.date(2010, 12, 31), 1),
                ("2011", dt.date(2011, 1, 1), dt.date(2011, 12, 31), 1)]
    assert check_periods(reference(periods=adjacent)) == []
    overlapping = [adjacent[0], ("2011", dt.date(2010, 12, 31), dt.date(2011, 12, 31), 1)]
    found = [(p.code, p.severity, p.row, p.column) for p in check_periods(reference(periods=overlapping))]
    assert found == [("period-overlap", "error", 3, "Start")]


def test_a_country_twice_in_a_fund_scale_is_an_error():
    scale = [("TS", "A", 60.0, 60000), ("TS", " a ", 0.0, 0), ("TS", "B", 40.0, 40000), ("RF", "A", 100.0, 10000)]
    found = [(p.code, p.severity, p.row, p.value) for p in check_scale(reference(scale=scale))]
    assert found == [("scale-duplicate", "error", 3, " a ")]


def test_a_scale_with_an_empty_share_says_so_where_its_shares_fall_short():
    scale = [("TS", "A", 60.0, 60000), ("TS", "B", None, 40000), ("RF", "A", 100.0, 10000)]
    found = [(p.code, p.severity, p.message) for p in check_scale(reference(scale=scale))]
    assert found == [("scale-shares", "warning", "the TS scale's shares add up to 60.00 %, not 100 % (1 member(s) "
                                                 "with no share)")]


# ------------------------------------------------------------------ figure checks


def test_overpaid_is_said_only_where_pending_is_below_zero():
    rep = report([pay("2010-02-01", 1000, "A", "2010"), pay("2011-02-01", 1000.01, "A", "2011")], "2011-12-31")
    assert [(p.code, p.message[:4], p.value) for p in check_overpayments(rep.tables)] == [
        ("overpaid", "2011", "-0.01")]  # 2010 is paid exactly: nothing pending, nothing overpaid


def test_receipts_after_the_expenses_month_end_are_said_and_one_on_it_is_not():
    ref = reference()
    as_of = dt.date(2012, 11, 30)
    on_cutoff = [spend("2012-10-05", 10), pay("2012-10-31", 100, "A", "2012")]  # expenses booked to 31 October
    assert check_receipt_cutoff(clamp(ledger(on_cutoff, ref), as_of), as_of) == []
    late = on_cutoff + [pay("2012-11-01", 5, "B", "2012"), pay("2012-11-02", 5, "B", "2012", fund="RF")]
    [warning] = check_receipt_cutoff(clamp(ledger(late, ref), as_of), as_of)
    assert (warning.code, warning.severity, warning.value) == ("receipts-after-expenses", "warning", "5.00")
    assert "1 receipt(s)" in warning.message and "2012-10-31" in warning.message


def test_budget_lines_that_do_not_add_up_to_the_approved_budget_are_an_error_either_way():
    from rcm_tables.checks.reference import check_budget_totals

    periods = [("2012", dt.date(2012, 1, 1), dt.date(2012, 12, 31), 100000)]  # 1,000.00 approved
    for amounts, found in (((60000, 40000), []), ((60000, 39999), [("budget-lines-total", "error", 2)]),
                           ((60000, 40001), [("budget-lines-total", "error", 2)])):
        lines = [("2012", "Staff", "Staff", amounts[0]), ("2012", "Operational Expenses", "Travel", amounts[1])]
        problems = check_budget_totals(reference(periods=periods, lines=lines))
        assert [(p.code, p.severity, p.row) for p in problems] == found, amounts


def test_an_expense_on_a_month_end_sets_the_cut_off_to_that_day():
    ref = reference()
    as_of = dt.date(2012, 11, 30)
    lines = [spend("2012-10-31", 10), pay("2012-11-01", 5, "B", "2012")]
    [warning] = check_receipt_cutoff(clamp(ledger(lines, ref), as_of), as_of)
    assert "(2012-10-31:" in warning.message and warning.hint == "pass --as-of 2012-10-31 to use one cut-off for both"


def test_a_fund_whose_members_have_no_share_is_a_warning():
    """A Scale sheet without its Share (%) column (or with it empty for a fund) builds, printing NA: said once."""
    scale = [("TS", "A", None, 60000), ("TS", "B", None, 40000), ("RF", "A", 100.0, 10000)]
    found = [(p.code, p.severity, p.row, p.message) for p in check_scale(reference(scale=scale))]
    assert found == [("scale-shares", "warning", 2,
                      "no member of the TS scale has a share: Annex 1 prints NA for each")]
