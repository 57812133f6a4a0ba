"""The words of a new folder: the workbook's Instructions sheet, each empty sheet's instruction row, README.txt."""
from __future__ import annotations

from pathlib import Path

from .. import schemas as S

INSTRUCTIONS_SHEET = "Instructions"
EMPTY_NOTE = "Type one row per item from row 5, below the header. Select a header cell to see what its column means."
# The instruction row of a sheet left empty: what to type (only the Secretariat knows it).
EMPTY = {
    S.PERIODS_SHEET: "Empty: type one row per budget period from row 5, oldest first; periods follow each other "
                     "without gaps.",
    S.BUDGET_LINES_SHEET: "Empty: type the approved budget of each period line by line from row 5; a period's lines "
                          "add up to its Approved Budget.",
    S.ACCOUNTS_SHEET: "Empty: only the Secretariat knows which G/L accounts make up each budget line. Type one row "
                      "per expense account (7xxxxx) from row 5; leave Period empty when the line is the same in "
                      "every period.",
    S.SCALE_SHEET: "Empty: type the approved scale of each fund (TS, RF) from row 5, one row per member country.",
    S.OPENING_SHEET: "Empty (optional): totals brought forward for periods older than your exports, one row each.",
    S.PARTNERS_SHEET: "Empty (optional): donors and the other spellings your exports use for a partner.",
    S.NOTES_SHEET: "Empty (optional): the notes printed under the report document's tables, one row each.",
    S.PAYMENT_SHEET: "Empty (optional): only the Secretariat knows its bank details. Type How to Make "
                     "Contributions line by line from row 5; without it the document leaves that part out.",
    S.ORGANIZATION_SHEET: "Empty (optional): the conference's name, acronym, Secretariat, host and approvals, in "
                          "English and Spanish; without it the document prints the RCM's.",
    S.COLUMN_ALIASES_SHEET: "Empty (optional): needed only when validate cannot find an export's header. One row "
                            "per header your exports write differently.",
}
# The monthly routine, in five lines (README.txt and the Instructions sheet). FOLDER: this folder's path.
ROUTINE = (
    "1. Save the month's IOM line-item export into exports/ (.xlsx, .xls, .xlsb, .ods or .csv; any file name).",
    "2. Add what is new to reference.xlsx: a period, its budget lines, an account, a partner's spelling.",
    "3. Check everything: rcm-tables validate FOLDER",
    "4. Fix what it lists (file, sheet, row, column, how to fix) until it says 0 error(s).",
    "5. Build the report: rcm-tables build FOLDER   (writes FOLDER/output/rcm-report.xlsx and output/csv/)",
)
LAYOUT = (
    "Rows 1 to 3 of each sheet are instructions: rcm-tables never reads them, and you may delete them.",
    "Row 4 is the header: keep its names (columns may be in any order; extra columns are ignored). Select a header "
    "cell to see what its column means.",
    "Type one row per item from row 5. Cells refuse a value of the wrong form: a fund other than TS or RF, a date "
    "typed as text, an amount that is not a number, an account that is not six digits, a period that the Periods "
    "sheet does not have. Cells pasted from elsewhere escape these checks: validate checks every cell.",
    "Amounts are US dollars (cents allowed); dates are date cells; periods are labels such as 2013 or 2003-2004.",
)
SOURCE = ("The pre-filled figures are the published report of the Technical Secretariat for May-October 2012, as "
          "printed, including where it contradicts itself: the scale's shares add up to 100.01 % (validate warns "
          "about it). Nothing is invented: the account mapping and the bank details are yours to type.")


def routine(folder: str) -> list[str]:
    return [line.replace("FOLDER", folder) for line in ROUTINE]


def readme(folder: Path) -> str:
    """README.txt: what the folder is, the monthly routine in five lines, the commands to validate and build."""
    here = f'"{folder}"' if " " in str(folder) else str(folder)  # quoted as both Windows and POSIX shells read it
    return "\n".join([
        "This folder holds the inputs of the RCM Technical Secretariat's financial tables (rcm-tables).",
        "  exports/         the monthly IOM line-item exports, as they come",
        "  reference.xlsx   periods, budget lines, account mapping, scale (its Instructions sheet says what goes where)",
        "",
        "Every month:",
        *routine(here),
        "",
        "The same with every input named (give the folder's new path if you move it):",
        f"  rcm-tables validate --exports {here}/exports --reference {here}/reference.xlsx",
        "",
    ])


WIDTHS = [22, 11, 70, 34]  # the Instructions sheet's columns: Sheet, Required, What it holds, In this workbook
