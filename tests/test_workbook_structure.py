"""Golden structure of the sample's workbook, in the spirit of XlsxWriter's comparison tests: sheet names and
order, defined names, panes and print titles, and the position and exact text of key cells and formulas.

A change here is a change an auditor sees: update the expectations on purpose, never to make a test pass.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

SHEETS = ["Cover", "Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1", "Return Fund account", "Checks",
          "Published vs computed",
          "Published notes", "Ledger", "Periods", "Budget Lines", "Accounts", "Scale", "Opening Balances", "Partners",
          "Notes", "Payment Instructions", "Duplicates", "Sources", "Problems"]
# sheet: (frozen at, print title rows)
PANES = {"Table 1": ("B6", "$1:$5"), "Table 2": ("B13", "$1:$12"), "Table 3": ("A8", "$1:$7"),
         "Table 4": ("B8", "$1:$7"), "Table 5": ("B8", "$1:$7"), "Annex 1": ("B5", "$1:$4"),
         "Checks": ("D5", "$1:$4"), "Published vs computed": ("D5", None), "Ledger": ("B5", None),
         "Sources": ("B5", None)}  # listings print their title and note only: no title rows to repeat
NAMES = {"AsOf": "Cover!$B$4", "Ledger_File": "Ledger!$A$5:$A$1245", "Ledger_Date": "Ledger!$F$5:$F$1245",
         "Ledger_Fund": "Ledger!$H$5:$H$1245", "Ledger_Partner": "Ledger!$J$5:$J$1245",
         "Ledger_Kind": "Ledger!$P$5:$P$1245", "Ledger_Period": "Ledger!$Q$5:$Q$1245",
         "Ledger_BudgetLine": "Ledger!$R$5:$R$1245", "Ledger_USD": "Ledger!$O$5:$O$1245",
         "Ledger_Lines": "Ledger!$T$5:$T$1245",
         "Ledger_Account": "Ledger!$I$5:$I$1245", "Ledger_Assignment": "Ledger!$L$5:$L$1245",
         "Ledger_PartnerWritten": "Ledger!$K$5:$K$1245",
         "Opening_Period": "'Opening Balances'!$B$5:$B$7", "Opening_AsOf": "'Opening Balances'!$C$5:$C$7",
         "Opening_Received": "'Opening Balances'!$D$5:$D$7", "Opening_Costs": "'Opening Balances'!$E$5:$E$7",
         "Duplicates_File": "Duplicates!$C$5:$C$83", "Duplicates_USD": "Duplicates!$F$5:$F$83",
         "Periods_Period": "Periods!$B$5:$B$14", "Periods_Start": "Periods!$C$5:$C$14", "Periods_End": "Periods!$D$5:$D$14",
         "Periods_Approved": "Periods!$E$5:$E$14", "BudgetLines_Period": "'Budget Lines'!$B$5:$B$71",
         "BudgetLines_Section": "'Budget Lines'!$C$5:$C$71", "BudgetLines_Line": "'Budget Lines'!$D$5:$D$71",
         "BudgetLines_Approved": "'Budget Lines'!$E$5:$E$71", "Accounts_Period": "Accounts!$B$5:$B$32",
         "Accounts_Account": "Accounts!$C$5:$C$32", "Accounts_Line": "Accounts!$D$5:$D$32",
         "Scale_Fund": "Scale!$B$5:$B$26", "Scale_Country": "Scale!$C$5:$C$26", "Scale_Share": "Scale!$D$5:$D$26",
         "Scale_Assessed": "Scale!$E$5:$E$26", "Checks_Status": "Checks!$H$5:$H$138", "Sources_Status": "Sources!$J$5:$J$77",
         "BuildRecord": "Cover!$B$19"}
RECEIVED = ('=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"contribution",Ledger_Period,"="&$A14,Ledger_Date,"<="&AsOf)'
            '+SUMIFS(Opening_Received,Opening_Period,"="&$A14)')
KEY_CELLS = {
    "Cover": {"A4": "As of (named cell AsOf)", "B4": dt.datetime(2012, 11, 9), "A5": "As-of date",
              "A9": "OK", "B9": '=COUNTIF(Checks!$H$5:$H$138,"OK")', "A10": "EXPLAINED",
              "B10": '=COUNTIF(Checks!$H$5:$H$138,"EXPLAINED")', "A11": "FAILED",
              "B11": '=COUNTIF(Checks!$H$5:$H$138,"FAILED")', "B12": '=COUNTIF(Sources_Status,"OK")',
              "C9": '="of "&COUNTA(Checks!$H$5:$H$138)&" checks"', "C12": '="of "&COUNTA(Sources_Status)&" exports"',
              "A15": "Command", "B15": "rcm-tables build --exports DIR --reference FILE --ledger-detail auto "
                                      "--published DIR",
              "A19": "Build record (for verify)",
              "B19": '{"as_of": "2012-11-09", "as_of_given": false, "format": 1, "ledger_detail": "auto", '
                     '"published": true, "since": null}'},
    "Table 1": {"A1": "Table 1", "A2": "Approved General Budgets against Incomes and Expenditures",
                "A3": "(2003-2012 / In U.S. Dollars)", "A5": "Budget Year", "H5": "Accumulated Balance",
                "A6": "2003-2004", "A14": "2012", "B14": '=SUMIFS(Periods_Approved,Periods_Period,"="&$A14)',
                "C14": RECEIVED,
                "F14": RECEIVED.replace("contribution", "expense").replace("Opening_Received", "Opening_Costs"),
                "D14": "=B14-C14", "E14": "=E13+D14", "G14": "=C14-F14", "H14": "=H13+G14",
                "A15": "Total", "C15": "=SUM(C6:C14)", "H15": None},
    "Table 2": {"B4": "2012", "A7": "Approved Budget for 2012", "B7": "='Table 1'!$B$14", "B8": "='Table 1'!$C$14",
                "B9": "=B7-B8", "A12": "Budget line", "A13": "Staff Expenses",
                "C13": '=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"expense",Ledger_Period,"="&$B$4,'
                       'Ledger_BudgetLine,"="&$A13,Ledger_Date,"<="&AsOf)',
                "D13": "=B13-C13", "A20": "Total Expenses, January – November 2012", "C20": "=SUM(C13:C19)",
                "A21": "Balance, 9 November 2012 (received − total expenses)", "C21": "=B8-C20"},
    "Table 3": {"A2": "Approved Budget for 2013", "A7": "2013", "A8": "Staff", "A9": "Unit Coordinator",
                "B9": '=SUMIFS(BudgetLines_Approved,BudgetLines_Period,"="&$A$7,BudgetLines_Section,"="&$A$8,'
                      'BudgetLines_Line,"="&$A9)',
                "A13": "Subtotal", "B13": "=SUM(B9:B12)", "A15": "Operational Expenses", "A25": "Total",
                "B25": "=SUM(B13,B23)"},
    "Table 4": {"A5": "Country", "C5": "2009", "L5": "2012", "L6": "01/01/2012 to 31/12/2012", "L7": "Received",
                "M7": "Date(s) of receipt", "N7": "Pending", "A15": "Mexico",
                "B15": '=SUMIFS(Scale_Assessed,Scale_Fund,"TS",Scale_Country,"="&$A15)',
                "L15": '=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"contribution",Ledger_Partner,"="&$A15,'
                       'Ledger_Period,"="&L$5,Ledger_Date,"<="&AsOf)',
                "M15": "$16,682.00 (04/04/2012)\n$16,660.00 (06/11/2012)", "N15": "=$B15-L15",
                "A19": "(no partner: adjustments)", "B19": None,
                "C19": '=SUMIFS(Ledger_USD,Ledger_Fund,"TS",Ledger_Kind,"contribution",Ledger_Partner,"",'
                       'Ledger_Period,"="&C$5,Ledger_Date,"<="&AsOf)',
                "D19": "($125.00) (31/12/2009)", "A20": "TOTAL", "B20": "=SUM(B8:B19)", "C20": "=SUM(C8:C19)"},
    "Table 5": {"D6": "Contributions for", "D7": "2007", "I7": "2012", "A9": "Canada",
                "B9": '=SUMIFS(Scale_Share,Scale_Fund,"RF",Scale_Country,"="&$A9)',
                "C9": '=SUMIFS(Scale_Assessed,Scale_Fund,"RF",Scale_Country,"="&$A9)',
                "D9": '=SUMIFS(Ledger_USD,Ledger_Fund,"RF",Ledger_Kind,"contribution",Ledger_Partner,"="&$A9,'
                      'Ledger_Period,"="&D$7,Ledger_Date,"<="&AsOf)',
                "A19": "European Union", "B19": None, "A20": "TOTAL", "B20": "=SUM(B8:B19)", "C20": "=SUM(C8:C19)"},
    "Annex 1": {"A4": "Country", "A5": "Belize", "B5": '=SUMIFS(Scale_Share,Scale_Fund,"TS",Scale_Country,"="&$A5)',
                "A16": "TOTAL", "B16": "=SUM(B5:B15)", "C16": "=SUM(C5:C15)"},
    "Checks": {"B4": "Group", "C4": "Check", "H4": "Status", "B5": "Tables",
               "C5": "Table 1's contributions received for 2009 equal Table 4's total for 2009",
               "E5": "='Table 1'!$C$11", "G5": "='Table 4'!$C$20", "H5": '=IF(ROUND(E5-G5,2)=0,"OK","FAILED")',
               "G11": "=Periods!$E$14",  # Table 3's total against the approved budget on the Periods sheet
               "C15": "The TS scale's shares add up to 100 % (Annex 1)", "E15": "='Annex 1'!$B$16", "G15": 100,
               "H15": '=IF(ROUND(E15-G15,2)=0,"OK",IF(ROUND(E15-G15-(0.01),2)=0,"EXPLAINED","FAILED"))',
               "B17": "Reference", "E17": '=SUMIFS(BudgetLines_Approved,BudgetLines_Period,"=2005")',
               "G17": "=Periods!$E$6"},
    "Published vs computed": {"A4": "Table", "E4": "Published", "F4": "Computed", "G4": "Difference",
                              "A5": "Table 1", "B5": "2003-2004", "E5": 447635, "F5": "='Table 1'!$B$6",
                              "G5": "=ROUND(F5-E5,2)", "A3": "Compared", "C3": "Equal", "E3": "Unexplained",
                              "G3": "Explained"},
    "Ledger": {"A4": "File", "C4": "Row", "F4": "Posting Date", "J4": "Partner", "O4": "Amount (USD)", "T4": "Lines", "U4": "Text",
               "A5": "IOM_LineItems_2007-01.xlsx", "B5": "Line Items", "C5": 7, "D5": "1907000001",
               "F5": dt.datetime(2007, 1, 3), "O5": 1968.4},
    "Sources": {"A5": "IOM_LineItems_2007-01.xlsx", "E5": 18, "F5": '=SUMIFS(Ledger_Lines,Ledger_File,"="&$A5)',
                "G5": '=COUNTIFS(Duplicates_File,"="&$A5)', "H5": 0, "I5": "=SUM(F5:H5)", "J4": "Status",
                "J5": '=IF(E5=I5,"OK","FAILED")', "K4": "Total row (USD)"},
    "Periods": {"A4": "Source row", "B4": "Period", "E4": "Approved Budget (USD)", "B5": "2003-2004",
                "E14": 282724},
    "Accounts": {"A4": "Source row", "B4": "Period", "C4": "G/L Account", "D4": "Budget Line"},
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
