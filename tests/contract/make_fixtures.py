"""Write the contract-only fixtures: inputs with none of rcm-tables' optional sheets (no Partners, no Opening
Balances, no notes), exactly as ../shared/spec/inputs.md describes them.

    python tests/contract/make_fixtures.py      # rewrites tests/contract/inputs/ (deterministic bytes)

The scenario (2011-2013, as of 2012-10-31) and the figures it must give, worked out by hand, are in
tests/contract/test_contract.py.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "inputs"
HEADER = ["Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account", "Partner", "Assignment",
          "Currency", "Amount (Doc. Curr.)", "Amount (USD)", "Text"]
STAMP = dt.datetime(2024, 1, 1)

REFERENCE = {
    "Periods": (["Period", "Start", "End", "Approved Budget (USD)"],
                [[str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 100000] for y in (2011, 2012, 2013)]),
    "Budget Lines": (["Period", "Section", "Budget Line", "Approved (USD)"],
                     [r for y in (2011, 2012, 2013) for r in ([str(y), "Staff", "Staff Expenses", 60000],
                                                              [str(y), "Operational Expenses", "Travel", 40000])]),
    "Accounts": (["Period", "G/L Account", "Budget Line"],
                 [[None, "710100", "Staff Expenses"], [None, "760100", "Travel"], ["2012", "760200", "Travel"]]),
    "Scale": (["Fund", "Country", "Share (%)", "Assessed (USD)"],
              [["TS", "Canada", 60, 60000], ["TS", "Mexico", 40, 40000],
               ["RF", "Canada", 50, 5000], ["RF", "Mexico", 50, 5000]]),
}


def line(doc, date, doc_type, fund, account, partner, assignment, usd, currency="USD", doc_amount=None, text=""):
    return [doc, 1, date, doc_type, fund, account, partner, assignment, currency,
            usd if doc_amount is None else doc_amount, usd, text]


EXPORTS = {
    "IOM_LineItems_2011.xlsx": [
        line("1900000001", dt.date(2011, 3, 15), "DZ", "TS", "400100", "Canada", "2011", 60000),
        line("1900000002", dt.date(2011, 6, 1), "DZ", "TS", "400100", "Mexico", "2011", 30000),
        line("5100000001", dt.date(2011, 6, 30), "KR", "TS", "710100", None, None, 24000),
        line("5100000002", dt.date(2011, 9, 30), "KR", "TS", "760100", None, None, 12345.67),
        line("1900000003", dt.date(2011, 4, 1), "DZ", "RF", "400100", "Canada", "2011", 5000),
        line("1900000004", dt.date(2011, 5, 5), "DZ", "RF", "400200", "European Union", "2011", 10000,
             "EUR", 7500),
    ],
    "IOM_LineItems_2012-06.xlsx": [
        line("1900000010", dt.date(2012, 2, 1), "DZ", "TS", "400100", "Canada", "2012", 60000),
        line("1900000011", dt.date(2012, 3, 1), "DZ", "TS", "400100", "Mexico", "2011", 10000),
        line("1900000012", dt.date(2012, 5, 1), "DZ", "TS", "400100", "Mexico", "2012", 20000),
        line("1900000013", dt.date(2012, 4, 10), "DZ", "TS", "400200", "Norway", "2012", 1500),
        line("5100000010", dt.date(2012, 3, 31), "KR", "TS", "710100", None, None, 30000),
        line("5100000011", dt.date(2012, 5, 31), "KR", "TS", "760200", None, None, 8000.50),
    ],
    "IOM_LineItems_2012-10.xlsx": [
        line("1900000010", dt.date(2012, 2, 1), "DZ", "TS", "400100", "Canada", "2012", 60000),  # re-run copy
        line("1700000001", dt.date(2012, 7, 31), "SA", "TS", "400100", None, "2012", -25, text="Bank charges"),
        line("5100000020", dt.date(2012, 9, 30), "KR", "TS", "760100", None, None, 1200),
        line("1900000020", dt.date(2012, 10, 15), "DZ", "TS", "400100", "Mexico", "2013", 40000),
    ],
}


def _workbook(path: Path):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"created": STAMP, "author": "rcm-tables tests"})
    return wb, wb.add_format({"num_format": "yyyy-mm-dd"})


def write_reference(path: Path) -> None:
    wb, date = _workbook(path)
    for name, (header, rows) in REFERENCE.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, header)
        for i, values in enumerate(rows, start=1):
            for j, value in enumerate(values):
                if isinstance(value, dt.date):
                    ws.write_datetime(i, j, dt.datetime.combine(value, dt.time()), date)
                elif value is not None:
                    ws.write(i, j, value)
    wb.close()


def write_export(path: Path, rows: list[list]) -> None:
    wb, date = _workbook(path)
    ws = wb.add_worksheet("Line Items")
    ws.write(0, 0, "IOM Financial Systems - Line Items")
    ws.write(1, 0, "Project: RCM Technical Secretariat")
    ws.write_row(3, 0, HEADER)
    for i, values in enumerate(rows, start=4):
        for j, value in enumerate(values):
            if isinstance(value, dt.date):
                ws.write_datetime(i, j, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, str):
                ws.write_string(i, j, value)
            elif value is not None:
                ws.write_number(i, j, value)
    total = 4 + len(rows) + 1
    ws.write(total, 0, "Total")
    ws.write_number(total, 10, round(sum(r[10] for r in rows), 2))
    wb.close()


def main() -> None:
    (OUT / "exports").mkdir(parents=True, exist_ok=True)
    write_reference(OUT / "reference.xlsx")
    for name, rows in EXPORTS.items():
        write_export(OUT / "exports" / name, rows)


if __name__ == "__main__":
    main()
