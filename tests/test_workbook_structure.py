"""Golden structure of the sample's workbook, in the spirit of XlsxWriter's comparison tests: sheet names and
order, defined names, panes and print titles, and the position and exact text of key cells and formulas.

A change here is a change an auditor sees: update the expectations on purpose, never to make a test pass.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

SHEETS = ["Cover", "Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1", "Checks", "Published vs computed",
          "Ledger", "Opening Balances", "Duplicates", "Sources", "Problems"]
# sheet: (frozen at, print title rows)
PANES = {"Table 1": ("B6", "$1:$5"), "Table 2": ("B13", "$1:$12"), "Table 3": ("A8", "$1:$7"),
         "Table 4": ("B8", "$1:$7"), "Table 5": ("B8", "$1:$7"), "Annex 1": ("B5", "$1:$4"),
         "Checks": ("C5", "$1:$4"), "Published vs computed": ("D5", "$1:$4"), "Ledger": ("B5", "$1:$4"),
         "Sources": ("B5", "$1:$4")}
NAMES = {"AsOf": "Cover!$B$4", "Ledger_File": "Ledger!$A$5:$A$1245", "Ledger_Date": "Ledger!$F$5:$F$1245",
         "Ledger_Fund": "Ledger!$H$5:$H$1245", "Ledger_Partner": "Ledger!$J$5:$J$1245",
         "Ledger_Kind": "Ledger!$P$5:$P$1245", "Ledger_Period": "Ledger!$Q$5:$Q$1245",
         "Ledger_BudgetLine": "Ledger!$R$5:$R$1245", "Ledger_USD": "Ledger!$O$5:$O$1245",
         "Ledger_Lines": "Ledger!$T$5:$T$1245",
         "Opening_Period": "'Opening Balances'!$A$5:$A$7", "Opening_Received": "'Opening Balances'!$C$5:$C$7",
         "Opening_Costs": "'Opening Balances'!$D$5:$D$7", "Duplicates_File": "Duplicates!$C$5:$C$83"}
RECEIVED = ('=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"income",Ledger_Period,"="&$A14,Ledger_Date,"<="&AsOf)'
            '+SUMIFS(Opening_Received,Opening_Period,"="&$A14)')
KEY_CELLS = {
    "Cover": {"A4": "As of (named cell AsOf)", "B4": dt.datetime(2012, 11, 9), "A6": "Checks that hold",
              "B6": "=COUNTIF(Checks!$G$5:$G$89,TRUE)"},
    "Table 1": {"A1": "Table 1", "A2": "Approved General Budgets against Incomes and Expenditures",
                "A3": "(2003-2012 / In U.S. Dollars)", "A5": "Budget Year", "H5": "Accumulated Balance",
                "A6": "2003-2004", "A14": "2012", "B14": 282724, "C14": RECEIVED,
                "F14": RECEIVED.replace("income", "expense").replace("Opening_Received", "Opening_Costs"),
                "D14": "=B14-C14", "E14": "=E13+D14", "G14": "=C14-F14", "H14": "=H13+G14",
                "A15": "Total", "C15": "=SUM(C6:C14)", "H15": None},
    "Table 2": {"B4": "2012", "A7": "Approved Budget for 2012", "B7": "='Table 1'!$B$14", "B8": "='Table 1'!$C$14",
                "B9": "=B7-B8", "A12": "Budget line", "A13": "Staff Expenses",
                "C13": '=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"expense",Ledger_Period,"="&$B$4,'
                       'Ledger_BudgetLine,"="&$A13,Ledger_Date,"<="&AsOf)',
                "D13": "=B13-C13", "A20": "Total Expenses, January – November 2012", "C20": "=SUM(C13:C19)",
                "A21": "Balance, 9 November 2012 (received − total expenses)", "C21": "=B8-C20"},
    "Table 3": {"A2": "Approved Budget for 2013", "A8": "Staff", "A9": "Unit Coordinator", "B9": 78840,
                "A13": "Subtotal", "B13": "=SUM(B9:B12)", "A15": "Operational Expenses", "A25": "Total",
                "B25": "=SUM(B13,B23)"},
    "Table 4": {"A5": "Country", "C5": "2009", "L5": "2012", "L6": "01/01/2012 to 31/12/2012", "L7": "Received",
                "M7": "Date(s) of receipt", "N7": "Pending", "A15": "Mexico", "B15": 33364,
                "L15": '=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"income",Ledger_Partner,"="&$A15,'
                       'Ledger_Period,"="&L$5,Ledger_Date,"<="&AsOf)',
                "M15": "$16,682.00 (04/04/2012)\n$16,660.00 (06/11/2012)", "N15": "=$B15-L15",
                "A19": "(no partner: adjustments)", "B19": None,
                "C19": '=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"income",Ledger_Partner,"",'
                       'Ledger_Period,"="&C$5,Ledger_Date,"<="&AsOf)',
                "D19": "($125.00) (31/12/2009)", "A20": "TOTAL", "B20": "=SUM(B8:B19)", "C20": "=SUM(C8:C19)"},
    "Table 5": {"D6": "Contributions for", "D7": "2007", "I7": "2012", "A9": "Canada", "B9": 24.05, "C9": 14430,
                "D9": '=SUMIFS(Ledger_USD,Ledger_Fund,"RF",Ledger_Kind,"income",Ledger_Partner,"="&$A9,'
                      'Ledger_Period,"="&D$7,Ledger_Date,"<="&AsOf)',
                "A19": "European Union", "B19": None, "A20": "TOTAL", "B20": "=SUM(B8:B19)", "C20": "=SUM(C8:C19)"},
    "Annex 1": {"A4": "Country", "A5": "Belize", "A16": "TOTAL", "B16": "=SUM(B5:B15)", "C16": "=SUM(C5:C15)"},
    "Checks": {"B4": "Check", "G4": "Holds",
               "B5": "Table 1's contributions received for 2009 equal Table 4's total for 2009",
               "D5": "='Table 1'!$C$11", "F5": "='Table 4'!$C$20", "G5": "=ROUND(D5-F5,2)=0",
               "B12": "The TS scale's shares add up to 100 % (Annex 1)", "D12": "='Annex 1'!$B$16", "F12": 100,
               "G12": "=ROUND(D12-F12,2)=0",
               "B17": "Rows read = Ledger + duplicates + rejected: IOM_LineItems_2007-01.xlsx",
               "D17": "=Sources!$E$5", "F17": "=Sources!$I$5", "G17": "=ROUND(D17-F17,2)=0"},
    "Published vs computed": {"A4": "Table", "E4": "Published", "F4": "Computed", "G4": "Difference",
                              "A5": "Table 1", "B5": "2003-2004", "E5": 447635, "F5": "='Table 1'!$B$6",
                              "G5": "=F5-E5"},
    "Ledger": {"A4": "File", "C4": "Row", "F4": "Posting Date", "J4": "Partner", "O4": "Amount (USD)", "T4": "Lines", "U4": "Text",
               "A5": "IOM_LineItems_2007-01.xlsx", "B5": "Line Items", "C5": 7, "D5": "1907000001",
               "F5": dt.datetime(2007, 1, 3), "O5": 1968.4},
    "Sources": {"A5": "IOM_LineItems_2007-01.xlsx", "E5": 18, "F5": '=SUMIFS(Ledger_Lines,Ledger_File,"="&$A5)',
                "G5": '=COUNTIFS(Duplicates_File,"="&$A5)', "H5": 0, "I5": "=SUM(F5:H5)"},
}


@pytest.fixture(scope="module")
def book(sample_workbook):
    return openpyxl.load_workbook(sample_workbook)


def test_sheets_in_reading_order(book):
    assert book.sheetnames == SHEETS
    assert book.active.title == "Cover"


def test_defined_names_cover_exact_ranges(book):
    assert {name: d.attr_text for name, d in book.defined_names.items()} == NAMES


def test_frozen_headers_and_print_titles(book):
    assert {name: (book[name].freeze_panes, book[name].print_title_rows) for name in PANES} == PANES


@pytest.mark.parametrize("sheet", sorted(KEY_CELLS))
def test_key_cells(book, sheet):
    ws = book[sheet]
    assert {cell: ws[cell].value for cell in KEY_CELLS[sheet]} == KEY_CELLS[sheet]
