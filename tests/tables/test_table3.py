import datetime as dt

from fixtures import reference

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
