"""Write the sample workbooks that rcm-tables reads, reproducing the 2012 report.

    python -m dev.sample [--out DIR]        # default: workbooks/sample/ (make sample)

Writes, with openpyxl (dev/xlsxout.py, the writer the history and the tests share) and byte-for-byte
deterministically (fixed seed, fixed document properties, fixed zip timestamps):

* ``reference.xlsx``: Periods, Budget Lines, Accounts, Scale, Opening Balances, Partners, and the report
  document's optional Notes and Payment Instructions (``dev/sample_document.py``).
* ``activities.xlsx``: the activities register of May-October 2012 (``--activities``).
* ``exports/IOM_LineItems_YYYY-MM.xlsx`` for every month 2007-01 ... 2012-11 (November 2012 is a
  partial run of 09/11/2012 holding only the receipts posted 1-9 November), plus two overlapping
  files whose lines are identical copies of lines in other files:
  ``IOM_LineItems_2012-06_rerun.xlsx`` and ``IOM_LineItems_2012-01_to_2012-03_YTD.xlsx``.

From these files the toolkit must reproduce, to the cent, the published figures in
``tests/published/report-2012`` (a copy of ../shared/reference/report-2012): contributions received per period 2007-2012 (Tables 1 and
4), operating costs per year 2007-2011 (Table 1), 2012 expenses per budget line (Table 2) and the
Return Fund (Table 5). Periods before 2007 come from the Opening Balances sheet (Table 1).

The exports vary the way real ones do, one variant per range of whole files:

* 2007-2009: the contract's column order, Document No. and G/L Account as numbers;
  2010 onward: another order, an extra ``Cost Center`` column, Document No. and G/L as text.
* Posting Date: 2007 date cells; 2008 Excel serial numbers (General format); 2009 ``dd/mm/yyyy``
  text; 2010-01...06 ``yyyy-mm-dd`` text; from 2010-07 date cells shown as dd/mm/yyyy.
* Amounts: text in all 2010 files (``1,234.56``; negatives ``(1,234.56)`` in 2010-01...06 and
  ``-1,234.56`` in 2010-07...12), number cells elsewhere.
* Title block of 3-6 rows (four layouts by month; every January the first row is merged); the
  total row reads ``Total`` in 2008 files, ``Grand Total`` elsewhere.
* One Panama payment is spelt ``Panamá``, one Mexico payment ``Mexico `` (trailing space).
* Some expense texts begin with ``=``, ``+``, ``-`` or ``@``; they are text, never formulas.

Document numbers are ``TTYYNNNNNN``: TT the document type (DZ 14, KR 19, SA 10, AB 17), YY the
posting year, NNNNNN a sequence in posting order; items number the lines within a document.

Honest devices (what the sample invents and why):

1. Table 4's 2009 country rows add up to 277,764 but its total says 277,639 (DISCREPANCIES 1). The
   sample books one SA line of -125.00 on 31/12/2009, Assignment 2009, no partner, saying so in its
   Text, so the ledger reproduces the published total while the country rows stay as printed.
2. The report gives operating costs for 2007-2011 only as yearly totals. The split over budget
   lines, months and accounts is invented (seeded random, shares close to 2012's); amounts are
   scaled to each bucket's target in integer cents and the bucket's last line absorbs the rounding,
   so yearly totals and 2012's per-line expenses are exact.
3. Receipt dates the report does not give are invented: 2007 and 2008 contributions (paid during
   the year, two 2007 ones early in 2008), all Return Fund receipts, and "paid during 2008/2009"
   (Costa Rica) set to 14/03/2008 and 20/04/2009.
4. Nicaragua's 2011 contribution is booked twice and the duplicate reversed (AB), and a few expense
   invoices are reversed in full (KR + AB), accruals are reversed (SA +/-) and journal reclasses move
   cost between two accounts of the same budget line: all net to zero, so no figure moves.
5. The receipts cut-off (09/11/2012) is later than the expenses cut-off (31/10/2012), as in the
   report (DISCREPANCIES 4): the November 2012 file holds receipts only.
6. In 2012 office rent and supplies (730300) sit inside "Equipment and Internet Access"; the 2013
   mapping in Accounts gives them their own line (DISCREPANCIES 9).
7. Return Fund expenses (780100) appear in no published table; they are invented, small and valid.
8. Table 2's printed balance of 38,027.73 is not reproduced: the ledger gives 261,483.38 -
   223,457.27 = 38,026.11 (DISCREPANCIES 2). Document numbers, texts and run dates are invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from dev import sample_document
from rcm_tables.init import published2012
from rcm_tables.init.published2012 import SCALE
from dev.xlsxout import (Cell, Properties, Sheet, amount_cell, code_cell, date_cell, export_rows, table_rows, total_row,
                         write)

SEED = 20121109
REFERENCE_STAMP = dt.datetime(2012, 11, 9)
ZIP_TIME = (2012, 11, 9, 0, 0, 0)
CREATOR = "rcm-tables sample generator"
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"

# --------------------------------------------------------------------------------------------
# Reference data (report-2012 tables)
# --------------------------------------------------------------------------------------------

# Annex 1 and Table 5: country, share (%), TS assessed, RF assessed; in the Annex's order (as `init` pre-fills).
MEMBERS = list(SCALE)
ASSESSED_TS = {country: ts for country, _share, ts, _rf in MEMBERS}
EU = "European Union"
ALIASES = {
    "Panama": "Panamá; Republic of Panama",
    "Mexico": "México",
    "United States": "United States of America; USA",
    "Dominican Republic": "República Dominicana",
    EU: "EU",
}

# Periods: label, start, end, approved budget.
PERIODS = published2012.periods()  # Table 1's periods and approved budgets, and 2013 with Table 3's total

# Table 2 (2012), used for every period 2005-2012: section, line, approved (Table 2 prints no sections: the
# staff line is Table 3's Staff section, the others its Operational Expenses)
LINES_2012 = [("Staff" if line == "Staff Expenses" else "Operational Expenses", line, approved)
              for line, approved in published2012.LINES_2012]
SEMINARS_2013 = "Support for Seminars and Meetings (Interpreting, Equipment, etc.)"
LINES_2013 = list(published2012.LINES_2013)  # Table 3, as `init` pre-fills it
assert LINES_2013[4][1] == SEMINARS_2013

# G/L account -> (budget line for all periods, budget line from 2013).
ACCOUNTS = {
    "710100": ("Staff Expenses", "Unit Coordinator"),
    "710110": ("Staff Expenses", "Information Technology Specialist"),
    "710120": ("Staff Expenses", "Project Assistant"),
    "710200": ("Staff Expenses", "Other Expenses and Staff Reserve"),
    "720100": ("Support for Seminars and Meetings", SEMINARS_2013),
    "720200": ("Support for Seminars and Meetings", SEMINARS_2013),
    "730100": ("Equipment and Internet Access", "Equipment and Internet Access"),
    "730200": ("Equipment and Internet Access", "Equipment and Internet Access"),
    "730300": ("Equipment and Internet Access", "Office Expenses"),  # rent and supplies
    "740100": ("Studies and Research", "Studies and Research"),
    "750100": ("Documents and Translation", "Documents and Translation"),
    "760100": ("Travel and per diem", "Travel and per diem"),
    "760200": ("Travel and per diem", "Travel and per diem"),
    "770100": ("Unforeseen Expenses", "Unforeseen Expenses"),
}

# Table 1, periods older than the exports: period, as of, received, operating costs.
OPENING_BALANCES = [
    ("2003-2004", dt.date(2004, 12, 31), 447635, 426341),
    ("2005", dt.date(2005, 12, 31), 282724, 273867),
    ("2006", dt.date(2006, 12, 31), 282709, 273826),
]

# --------------------------------------------------------------------------------------------
# Figures the exports must reproduce
# --------------------------------------------------------------------------------------------

# TS contributions 2007 and 2008 that differ from the assessed amount (Table 1).
TS_2007_2008_EXCEPTIONS = {
    (2007, "United States"): 141400,
    (2008, "United States"): 141400,
    (2008, "Honduras"): 4985,
}
# 2007 contributions paid early in the next year (invented, report says "2007 or early 2008").
TS_2007_PAID_IN_2008 = {"Guatemala", "Honduras"}
INSTALMENTS = ["1st instalment", "2nd instalment"]  # Mexico pays in two halves

# Table 4: country, period, amount, date received (a year alone -> the date chosen for it).
PAID_DURING = {"2008": "2008-03-14", "2009": "2009-04-20"}
TS_PAYMENTS_2009_2012 = [
    ("Belize", 2009, "5000", "2012-02-23"),
    ("Belize", 2010, "5000", "2012-02-23"),
    ("Belize", 2011, "5000", "2012-02-23"),
    ("Canada", 2009, "68000", "2010-02-12"),
    ("Canada", 2010, "68000", "2010-07-16"),
    ("Canada", 2011, "68000", "2011-08-18"),
    ("Canada", 2012, "68000", "2012-07-16"),
    ("Costa Rica", 2009, "5000", "2008"),
    ("Costa Rica", 2010, "5000", "2008"),
    ("Costa Rica", 2011, "5000", "2009"),
    ("Costa Rica", 2012, "3741.38", "2009"),
    ("Dominican Republic", 2009, "5000", "2009-11-23"),
    ("Dominican Republic", 2010, "4985", "2010-10-29"),
    ("Dominican Republic", 2011, "5000", "2011-11-16"),
    ("El Salvador", 2009, "5000", "2010-02-17"),
    ("El Salvador", 2010, "5000", "2011-09-10"),
    ("El Salvador", 2011, "5000", "2011-09-10"),
    ("El Salvador", 2012, "5000", "2012-03-28"),
    ("Guatemala", 2009, "5000", "2010-10-06"),
    ("Guatemala", 2010, "549.20", "2010-10-06"),
    ("Mexico", 2009, "16682", "2009-05-18"),
    ("Mexico", 2009, "16682", "2009-12-02"),
    ("Mexico", 2010, "16662", "2010-05-14"),
    ("Mexico", 2010, "16682", "2010-05-18"),
    ("Mexico", 2011, "16662", "2011-07-08"),
    ("Mexico", 2011, "16682", "2012-02-03"),
    ("Mexico", 2012, "16682", "2012-04-04"),
    ("Mexico", 2012, "16660", "2012-11-06"),
    ("Nicaragua", 2009, "5000", "2010-03-01"),
    ("Nicaragua", 2010, "4866", "2011-06-01"),
    ("Nicaragua", 2011, "5000", "2012-01-10"),
    ("Nicaragua", 2012, "5000", "2012-10-29"),
    ("Panama", 2009, "5000", "2011-02-14"),
    ("Panama", 2010, "5000", "2011-02-14"),
    ("Panama", 2011, "5000", "2011-04-07"),
    ("Panama", 2012, "5000", "2012-11-09"),
    ("United States", 2009, "141400", "2009-08-31"),
    ("United States", 2010, "141400", "2010-09-21"),
    ("United States", 2011, "141400", "2011-09-13"),
    ("United States", 2012, "141400", "2012-09-24"),
]
# The two misspelt partners: (country, date received) -> spelling in the export.
PARTNER_SPELLING = {
    ("Panama", "2011-04-07"): "Panamá",
    ("Mexico", "2009-12-02"): "Mexico ",
}
BANK_CHARGES_2009 = ("2009-12-31", "-125.00")
NICARAGUA_DUPLICATE = ("2012-01-12", "2012-01-20")  # duplicate DZ, its AB reversal

# Table 5: Return Fund receipts by country, 2007..2012 (None = nothing received).
RF_YEARS = range(2007, 2013)
RF_PAYMENTS = {
    "Belize": [1062, 1062, 1062, 1062, 1062, None],
    "Canada": [15000, 15000, 15000, 15000, 15000, 15000],
    "Costa Rica": [1062, 1062, 1062, 1062, 1062, 1062],
    "Dominican Republic": [1062, 1062, 1062, 1062, 1062, None],
    "El Salvador": [5000, 5000, 5000, 5000, 5000, 5000],
    "Guatemala": [207, None, None, None, None, None],
    "Honduras": [1062, 1062, None, None, None, None],
    "Mexico": [7080, 7080, 7080, 7080, 7080, 7080],
    "Nicaragua": [1062, 1062, 1062, 1100, 1100, 1100],
    "Panama": [1000, 1062, 1062, 1062, 1062, 1062],
    "United States": [30000, 31500, 31500, 40000, 40000, 40000],
}
US_RF_EXTRA = {2008: 1500, 2009: 1500}  # the 31,500 is 30,000 + 1,500 for a brochure
EU_RF = [(2009, "2009-11-20", "27000.00", "40116.00"), (2010, "2010-06-08", "27000.00", "33093.00")]

# Table 1 operating costs per posting year, and Table 2's 2012 (Jan-Oct) expenses per line.
TS_COSTS_BY_YEAR = {2007: "296904.00", 2008: "233845.00", 2009: "232762.00",
                    2010: "276759.00", 2011: "292106.00"}
TS_COSTS_2012 = {
    "Staff Expenses": "137935.24",
    "Support for Seminars and Meetings": "26604.09",
    "Equipment and Internet Access": "32938.78",
    "Studies and Research": "4833.15",
    "Documents and Translation": "6077.67",
    "Travel and per diem": "7411.38",
    "Unforeseen Expenses": "7656.96",
}
EXPENSE_YEARS = range(2007, 2013)
LAST_EXPENSE_MONTH = {2012: 10}  # expenses cut-off 31/10/2012
# Shares (per mille) for splitting 2007-2011 totals over lines: close to 2012's, then jittered.
LINE_SHARES = {
    "Staff Expenses": 617, "Support for Seminars and Meetings": 119,
    "Equipment and Internet Access": 147, "Studies and Research": 22,
    "Documents and Translation": 27, "Travel and per diem": 33, "Unforeseen Expenses": 34,
}
SHARE_JITTER = {True: (0.95, 1.05), False: (0.85, 1.15)}  # keyed by "is Staff Expenses"

# --------------------------------------------------------------------------------------------
# Expense templates (nominal USD amounts, scaled later to each bucket's target)
# --------------------------------------------------------------------------------------------

PAYROLL = [  # one SA document per month, one item per post
    ("710100", "Salary Unit Coordinator {mm}/{yyyy}", 6570),
    ("710110", "Salary Information Technology Specialist {mm}/{yyyy}", 3805),
    ("710120", "Salary Project Assistant {mm}/{yyyy}", 1916),
]
PAYROLL_DAY = 25
# Every month: G/L, doc type, posting day, text, nominal amount, jitter (fraction).
MONTHLY = [
    ("710200", "KR", 10, "Medical and accident insurance {mm}/{yyyy}", 700, 0.05),
    ("710200", "SA", 25, "Pension fund contributions {mm}/{yyyy}", 800, 0.0),
    ("730100", "KR", 8, "Internet access and web hosting {mm}/{yyyy}", 300, 0.0),
    ("730100", "KR", 18, "Telephone and mobile services {mm}/{yyyy}", 150, 0.25),
    ("730300", "KR", 3, "Office rent {mm}/{yyyy}", 1800, 0.0),
    ("730300", "KR", 14, "Electricity and water {mm}/{yyyy}", 310, 0.2),
    ("770100", "SA", 28, "Bank charges {mm}/{yyyy}", 45, 0.4),
]
CITIES = ["San Salvador", "Panama City", "Tegucigalpa", "Managua", "Guatemala City",
          "San José", "Santo Domingo", "Mexico City", "Belize City", "Ottawa", "Washington, D.C."]
EVENTS = ["CRCM meeting", "Vice-Ministerial meeting", "Liaison Officers' Network meeting",
          "workshop on migrant children", "seminar on trafficking in persons",
          "workshop on labour migration", "seminar on consular protection"]
TOPICS = ["unaccompanied migrant children", "labour migration flows in the region",
          "consular protection networks", "return and reintegration practices",
          "trafficking in persons statistics"]


class Occasional(NamedTuple):
    """Lines that come now and then: up to `most` a month, each with probability `chance`."""
    gl: str
    texts: list[str]
    low: int  # nominal USD range
    high: int
    most: int
    chance: float


OCCASIONAL = [Occasional(*spec) for spec in [
    ("720100", ["Interpreting services – {event}, {city}",
                "Simultaneous interpretation equipment – {event}"], 1500, 5000, 2, 0.25),
    ("720200", ["Meeting room and catering – {event}, {city}",
                "Audio-visual equipment – {event}", "Coffee breaks – {event}"], 400, 2200, 3, 0.30),
    ("730200", ["Laptop computer for the TS", "Multifunction printer", "Software licences",
                "Projector for meetings", "Maintenance of the RCM website server"], 300, 2000, 1, 0.25),
    ("730300", ["@ office supplies", "Office supplies and stationery", "Cleaning services",
                "Office maintenance"], 60, 450, 2, 0.40),
    ("740100", ["Consultancy: study on {topic}", "Research assistance: {topic}"], 800, 4000, 1, 0.15),
    ("750100", ["Translation of meeting documents into English",
                "Translation of the PPT's report into Spanish", "Printing of RCM brochures",
                "Copy-editing of the regional guidelines"], 150, 1200, 2, 0.35),
    ("760100", ["Airfare TS Coordinator to {city} – {event}",
                "Airfare TS staff to {city}"], 400, 1600, 2, 0.30),
    ("760200", ["Per diem TS Coordinator – {city}, {n} days",
                "Per diem TS staff – {city}, {n} days"], 150, 700, 2, 0.30),
    ("770100", ["Courier services", "Repair of air conditioning unit", "Notary and legal fees",
                "Visa fees for staff travel", "Emergency office repairs"], 100, 1800, 2, 0.30),
]]
MIN_LINES_PER_YEAR = 2  # a budget line with fewer drafts in a year gets extra ones

RF_EXPENSES_PER_YEAR = {2010: 3, 2011: 4, 2012: 3}
RF_NATIONALITIES = ["Nicaraguan", "Honduran", "Guatemalan", "Salvadoran", "Dominican"]

# --------------------------------------------------------------------------------------------
# Export layouts
# --------------------------------------------------------------------------------------------

CONTRACT_COLUMNS = ("Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account",
                    "Partner", "Assignment", "Currency", "Amount (Doc. Curr.)", "Amount (USD)",
                    "Text")
LATER_COLUMNS = ("Posting Date", "Doc. Type", "Document No.", "Item", "Fund", "Cost Center",
                 "G/L Account", "Text", "Partner", "Assignment", "Currency",
                 "Amount (Doc. Curr.)", "Amount (USD)")
COLUMN_WIDTHS = {"Text": 58, "Partner": 20, "Posting Date": 13, "Document No.": 14,
                 "Amount (Doc. Curr.)": 19, "Amount (USD)": 15, "G/L Account": 12}
REPORT_TITLE = "IOM Financial Systems — Line Item Report"
PROJECTS = ("Projects: RCM Technical Secretariat (TS); "
            "Fund to assist the return of intra-regional migrants (RF)")
AMOUNTS_NOTE = "Amounts in USD as converted by the system on the posting date"
DOC_TYPE_PREFIX = {"DZ": 14, "KR": 19, "SA": 10, "AB": 17}
FIRST_MONTH, LAST_MONTH = (2007, 1), (2012, 11)
RECEIPTS_CUTOFF = dt.date(2012, 11, 9)


# --------------------------------------------------------------------------------------------
# Ledger model
# --------------------------------------------------------------------------------------------

@dataclass
class Item:
    gl: str
    usd: int  # cents
    text: str
    partner: str = ""
    assignment: str = ""
    currency: str = "USD"
    doc_amount: int | None = None  # cents in the document currency; None: same as usd


@dataclass
class Document:
    date: dt.date
    doc_type: str
    fund: str
    items: list[Item]
    reverses: Document | None = None  # texts may say "{ref}" for the reversed document's number
    number: int = 0


@dataclass
class Draft:
    """An expense line before its amount is known: the weight is its nominal amount in cents."""
    date: dt.date
    gl: str
    doc_type: str
    text: str
    weight: int
    group: tuple | None = None  # drafts sharing a group become items of one document


@dataclass(frozen=True)
class Row:
    doc_no: int
    item: int
    date: dt.date
    doc_type: str
    fund: str
    gl: str
    partner: str
    assignment: str
    currency: str
    doc_amount: int
    usd: int
    text: str


def cents(amount: str | int) -> int:
    return int(Decimal(str(amount)) * 100)


def to_business_day(day: dt.date) -> dt.date:
    # Weekends move back to Friday, or forward to Monday near the start of a month.
    step = -1 if day.day > 3 else 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def random_day(rng: random.Random, year: int, first_month: int, last_month: int) -> dt.date:
    return to_business_day(dt.date(year, rng.randint(first_month, last_month), rng.randint(1, 28)))


def split(target: int, weights: list[int]) -> list[int]:
    """Share target cents in proportion to weights; the last share absorbs the rounding."""
    total = sum(weights)
    shares = [(2 * target * w + total) // (2 * total) for w in weights]
    shares[-1] += target - sum(shares)
    return shares


# --------------------------------------------------------------------------------------------
# Income
# --------------------------------------------------------------------------------------------

def contribution(period: int | str, payer: str, note: str = "") -> str:
    return f"Contribution {period} – {payer}" + (f", {note}" if note else "")


def ts_receipts(rng: random.Random) -> list[Document]:
    """TS contributions 2007-2012, grouped into one DZ document per payer and date."""
    payments = []  # (date, country, period, cents, note)
    for period in (2007, 2008):
        for country, _share, assessed, _rf in MEMBERS:
            amount = TS_2007_2008_EXCEPTIONS.get((period, country), assessed)
            if country == "Mexico":
                days = sorted(random_day(rng, period, 2, 11) for _ in range(2))
                for day, note in zip(days, INSTALMENTS):
                    payments.append((day, country, period, cents(amount) // 2, note))
                continue
            if country == "Costa Rica" and period == 2008:
                day = dt.date.fromisoformat(PAID_DURING["2008"])  # paid with 2009 and 2010
            elif period == 2007 and country in TS_2007_PAID_IN_2008:
                day = random_day(rng, 2008, 1, 2)
            else:
                day = random_day(rng, period, 2, 11)
            payments.append((day, country, period, cents(amount), ""))
    instalments: dict[tuple, int] = {}
    for country, period, amount, received in TS_PAYMENTS_2009_2012:
        day = dt.date.fromisoformat(PAID_DURING.get(received, received))
        notes = []
        if country == "Mexico":
            instalments[(country, period)] = instalments.get((country, period), 0) + 1
            notes.append(INSTALMENTS[instalments[(country, period)] - 1])
        if day.year < period:
            notes.append("advance payment")
        if cents(amount) < cents(ASSESSED_TS[country]) and country != "Mexico":
            notes.append("partial payment")
        payments.append((day, country, period, cents(amount), ", ".join(notes)))

    documents: dict[tuple, Document] = {}
    for day, country, period, amount, note in sorted(payments, key=lambda p: (p[0], p[1], p[2])):
        partner = PARTNER_SPELLING.get((country, day.isoformat()), country)
        item = Item("400100", amount, contribution(period, country, note), partner, str(period))
        key = (day, country)
        if key in documents:
            documents[key].items.append(item)
        else:
            documents[key] = Document(day, "DZ", "TS", [item])
    return list(documents.values()) + ts_adjustments()


def ts_adjustments() -> list[Document]:
    """The 2009 bank-charge device and Nicaragua's reversed duplicate receipt."""
    charge_day, charge = BANK_CHARGES_2009
    bank_charges = Document(dt.date.fromisoformat(charge_day), "SA", "TS", [Item(
        "400100", cents(charge),
        "Bank charges on 2009 contributions (sample adjustment reproducing the published 2009 total)",
        assignment="2009")])
    duplicate_day, reversal_day = (dt.date.fromisoformat(d) for d in NICARAGUA_DUPLICATE)
    duplicate = Document(duplicate_day, "DZ", "TS", [Item(
        "400100", cents(5000), contribution(2011, "Nicaragua"), "Nicaragua", "2011")])
    reversal = Document(reversal_day, "AB", "TS", [Item(
        "400100", -cents(5000), "Reversal of duplicate posting {ref}", "Nicaragua", "2011")],
        reverses=duplicate)
    return [bank_charges, duplicate, reversal]


def rf_receipts(rng: random.Random) -> list[Document]:
    documents = []
    for country, amounts in RF_PAYMENTS.items():
        for year, amount in zip(RF_YEARS, amounts):
            if amount is None:
                continue
            day = random_day(rng, year, 2, 10 if year == 2012 else 11)
            extra = US_RF_EXTRA.get(year, 0) if country == "United States" else 0
            text = f"Return Fund contribution {year} – {country}"
            items = [Item("400100", cents(amount - extra), text, country, str(year))]
            if extra:
                items.append(Item("400100", cents(extra),
                                  "Additional contribution: brochure on the Fund", country, str(year)))
            documents.append(Document(day, "DZ", "RF", items))
    for year, day, eur, usd in EU_RF:
        documents.append(Document(dt.date.fromisoformat(day), "DZ", "RF", [Item(
            "400200", cents(usd), f"European Union contribution to the Return Fund {year}",
            EU, str(year), "EUR", cents(eur))]))
    return documents


# --------------------------------------------------------------------------------------------
# Expenses
# --------------------------------------------------------------------------------------------

def fill(rng: random.Random, template: str) -> str:
    return template.format(city=rng.choice(CITIES), event=rng.choice(EVENTS),
                           topic=rng.choice(TOPICS), n=rng.randint(2, 5))


def jittered(rng: random.Random, nominal: int, jitter: float) -> int:
    return round(cents(nominal) * (1 + rng.uniform(-jitter, jitter)))


def occasional_draft(rng: random.Random, year: int, month: int, spec: Occasional) -> Draft:
    day = random_day(rng, year, month, month)
    weight = rng.randint(spec.low, spec.high) * 100 + rng.randint(0, 99)
    return Draft(day, spec.gl, "KR", fill(rng, rng.choice(spec.texts)), weight)


def year_drafts(rng: random.Random, year: int, last_month: int) -> list[Draft]:
    """Draft expense lines for one year: monthly costs plus occasional ones."""
    drafts = []
    for month in range(1, last_month + 1):
        stamp = {"mm": f"{month:02d}", "yyyy": year}
        payday = to_business_day(dt.date(year, month, PAYROLL_DAY))
        for gl, text, nominal in PAYROLL:
            drafts.append(Draft(payday, gl, "SA", text.format(**stamp), cents(nominal),
                                group=("payroll", year, month)))
        for gl, doc_type, day, text, nominal, jitter in MONTHLY:
            drafts.append(Draft(to_business_day(dt.date(year, month, day)), gl, doc_type,
                                text.format(**stamp), jittered(rng, nominal, jitter)))
        for spec in OCCASIONAL:
            count = sum(rng.random() < spec.chance for _ in range(spec.most))
            drafts += [occasional_draft(rng, year, month, spec) for _ in range(count)]
    # Every budget line needs a few lines a year so that its target is spread out.
    for spec in OCCASIONAL:
        line = ACCOUNTS[spec.gl][0]
        while sum(ACCOUNTS[d.gl][0] == line for d in drafts) < MIN_LINES_PER_YEAR:
            drafts.append(occasional_draft(rng, year, rng.randint(1, last_month), spec))
    return sorted(drafts, key=lambda d: (d.date, d.gl, d.text))


def line_targets(rng: random.Random, year: int) -> dict[str, int]:
    """Cents per budget line: Table 2 for 2012, else the year's total split by jittered shares."""
    if year == 2012:
        return {line: cents(amount) for line, amount in TS_COSTS_2012.items()}
    weights = [round(share * 1000 * rng.uniform(*SHARE_JITTER[line == "Staff Expenses"]))
               for line, share in LINE_SHARES.items()]
    return dict(zip(LINE_SHARES, split(cents(TS_COSTS_BY_YEAR[year]), weights)))


def priced_documents(drafts: list[Draft], targets: dict[str, int]) -> list[Document]:
    """Scale each budget line's drafts to its target and gather them into documents."""
    amounts: dict[int, int] = {}
    for line, target in targets.items():
        bucket = [i for i, d in enumerate(drafts) if ACCOUNTS[d.gl][0] == line]
        for i, amount in zip(bucket, split(target, [drafts[i].weight for i in bucket])):
            amounts[i] = amount
    documents: dict[object, Document] = {}
    for i, draft in enumerate(drafts):
        key = draft.group or i
        item = Item(draft.gl, amounts[i], draft.text)
        if key in documents:
            documents[key].items.append(item)
        else:
            documents[key] = Document(draft.date, draft.doc_type, "TS", [item])
    return list(documents.values())


def netting_documents(rng: random.Random, year: int, last_month: int) -> list[Document]:
    """Lines that net to zero within a budget line and year: reversals, accruals, a reclass."""
    documents = []
    for _ in range(2):  # an invoice reversed in full
        gl = rng.choice(["720200", "760100", "730200"])
        invoice_day = random_day(rng, year, 1, last_month - 1)
        amount = rng.randint(300, 1500) * 100 + rng.randint(0, 99)
        invoice = Document(invoice_day, "KR", "TS", [Item(gl, amount, fill(rng, rng.choice(
            ["Hotel accommodation – {event}, {city}", "Airfare TS staff to {city}",
             "Equipment rental – {event}"])))])
        reversal_day = to_business_day(invoice_day + dt.timedelta(days=rng.randint(3, 20)))
        documents += [invoice, Document(reversal_day, "AB", "TS", [Item(
            gl, -amount, "Reversal of document {ref}: duplicate invoice")], reverses=invoice)]
    month = rng.randint(1, last_month - 1)  # accrual at month end, reversed next month
    amount = rng.randint(800, 3000) * 100
    documents += [
        Document(to_business_day(month_end(year, month)), "SA", "TS", [Item(
            "720100", amount, f"Accrual: interpreting services {month:02d}/{year}")]),
        Document(to_business_day(dt.date(year, month + 1, 2)), "SA", "TS", [Item(
            "720100", -amount, "+ accrual reversal")]),
    ]
    amount = rng.randint(150, 600) * 100 + rng.randint(0, 99)  # per diem booked as airfare
    documents.append(Document(random_day(rng, year, 2, last_month), "SA", "TS", [
        Item("760100", -amount, "- correction: per diem posted to airfare"),
        Item("760200", amount, '=HYPERLINK("http://example.org","reclass")'),
    ]))
    return documents


def ts_expenses(rng: random.Random) -> list[Document]:
    documents = []
    for year in EXPENSE_YEARS:
        last_month = LAST_EXPENSE_MONTH.get(year, 12)
        drafts = year_drafts(rng, year, last_month)
        documents += priced_documents(drafts, line_targets(rng, year))
        documents += netting_documents(rng, year, last_month)
    return documents


def rf_expenses(rng: random.Random) -> list[Document]:
    documents = []
    for year, count in RF_EXPENSES_PER_YEAR.items():
        for _ in range(count):
            day = random_day(rng, year, 1, LAST_EXPENSE_MONTH.get(year, 12))
            people = rng.randint(1, 6)
            text = (f"Return assistance: {people} {rng.choice(RF_NATIONALITIES)} national"
                    f"{'s' if people > 1 else ''} from {rng.choice(CITIES[:8])}")
            amount = people * rng.randint(350, 900) * 100 + rng.randint(0, 99)
            documents.append(Document(day, "KR", "RF", [Item("780100", amount, text)]))
    return documents


# --------------------------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------------------------

def build_ledger() -> list[Row]:
    rng = random.Random(SEED)
    documents = ts_receipts(rng) + rf_receipts(rng) + ts_expenses(rng) + rf_expenses(rng)
    number_documents(documents)
    rows = []
    for doc in documents:
        for n, item in enumerate(doc.items, 1):
            text = item.text.replace("{ref}", str(doc.reverses.number)) if doc.reverses else item.text
            doc_amount = item.usd if item.doc_amount is None else item.doc_amount
            rows.append(Row(doc.number, n, doc.date, doc.doc_type, doc.fund, item.gl, item.partner,
                            item.assignment, item.currency, doc_amount, item.usd, text))
    return sorted(rows, key=lambda r: (r.date, r.doc_no, r.item))


def number_documents(documents: list[Document]) -> None:
    """TTYYNNNNNN: type prefix, posting year, sequence in posting order."""
    order = {t: i for i, t in enumerate(DOC_TYPE_PREFIX)}
    counters: dict[tuple, int] = {}
    ranked = sorted(enumerate(documents), key=lambda p: (p[1].date, order[p[1].doc_type], p[0]))
    for _, doc in ranked:
        key = (doc.doc_type, doc.date.year)
        counters[key] = counters.get(key, 0) + 1
        doc.number = (DOC_TYPE_PREFIX[doc.doc_type] * 10**8 + doc.date.year % 100 * 10**6
                      + counters[key])


# --------------------------------------------------------------------------------------------
# Writing workbooks
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    columns: tuple[str, ...]
    dates: str  # "cell", "serial", "dmy_text" or "iso_text"
    date_format: str
    numeric_ids: bool  # Document No. and G/L Account as numbers
    amounts: str  # "number", "paren_text" or "minus_text"
    total_label: str


@dataclass
class ExportFile:
    name: str
    rows: list[Row]
    layout: Layout
    title: list[str | None]
    merge_title: bool
    run_date: dt.date


def layout_for(year: int, month: int) -> Layout:
    early = year <= 2009
    dates = {2007: "cell", 2008: "serial", 2009: "dmy_text"}.get(year, "cell")
    if year == 2010 and month <= 6:
        dates = "iso_text"
    amounts = "number" if year != 2010 else ("paren_text" if month <= 6 else "minus_text")
    return Layout(columns=CONTRACT_COLUMNS if early else LATER_COLUMNS, dates=dates,
                  date_format="yyyy-mm-dd" if year == 2007 else "dd/mm/yyyy",
                  numeric_ids=early, amounts=amounts,
                  total_label="Total" if year == 2008 else "Grand Total")


def title_block(variant: int, first: dt.date, last: dt.date, run_date: dt.date,
                note: str = "") -> list[str | None]:
    period = f"Period: {first:%d/%m/%Y} – {last:%d/%m/%Y}{note}"
    run = f"Run date: {run_date:%d/%m/%Y}"
    return [
        [REPORT_TITLE, PROJECTS, period, run, None],
        [REPORT_TITLE, period, run],
        [REPORT_TITLE, PROJECTS, period, run, AMOUNTS_NOTE, None],
        [REPORT_TITLE, run, period, None],
    ][variant]


def monthly_run_date(year: int, month: int) -> dt.date:
    # A few working days into the following month.
    return to_business_day(month_end(year, month) + dt.timedelta(days=3 + (year + month) % 5))


def export_files(rows: list[Row]) -> list[ExportFile]:
    by_month: dict[tuple, list[Row]] = {}
    for row in rows:
        by_month.setdefault((row.date.year, row.date.month), []).append(row)
    files = []
    year, month = FIRST_MONTH
    while (year, month) <= LAST_MONTH:
        first, last = dt.date(year, month, 1), month_end(year, month)
        run, note = monthly_run_date(year, month), ""
        if (year, month) == LAST_MONTH:  # partial run: receipts up to the cut-off only
            last, run, note = RECEIPTS_CUTOFF, RECEIPTS_CUTOFF, " (month to date)"
        files.append(ExportFile(f"IOM_LineItems_{year}-{month:02d}.xlsx", by_month[(year, month)],
                                layout_for(year, month),
                                title_block((month - 1) % 4, first, last, run, note),
                                merge_title=month == 1, run_date=run))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    rerun = dt.date(2012, 7, 19)
    files.append(ExportFile("IOM_LineItems_2012-06_rerun.xlsx", by_month[(2012, 6)],
                            layout_for(2012, 6),
                            title_block(2, dt.date(2012, 6, 1), dt.date(2012, 6, 30), rerun,
                                        " (re-run)"), merge_title=False, run_date=rerun))
    ytd_run = dt.date(2012, 4, 10)
    files.append(ExportFile("IOM_LineItems_2012-01_to_2012-03_YTD.xlsx",
                            [r for m in (1, 2, 3) for r in by_month[(2012, m)]],
                            layout_for(2012, 1),
                            title_block(0, dt.date(2012, 1, 1), dt.date(2012, 3, 31), ytd_run,
                                        " (year to date)"), merge_title=True, run_date=ytd_run))
    return files


def cell_value(column: str, row: Row, layout: Layout):
    """One export cell, in the layout's forms (dev/xlsxout.py)."""
    if column == "Posting Date":
        return date_cell(row.date, layout.dates, layout.date_format)
    if column == "Amount (USD)":
        return amount_cell(row.usd, layout.amounts)
    if column == "Amount (Doc. Curr.)":
        return amount_cell(row.doc_amount, layout.amounts)
    if column == "Document No.":
        return code_cell(row.doc_no, layout.numeric_ids)
    if column == "G/L Account":
        return code_cell(row.gl, layout.numeric_ids)
    value = {"Item": row.item, "Doc. Type": row.doc_type, "Fund": row.fund,
             "Cost Center": f"{row.fund}01", "Partner": row.partner,
             "Assignment": row.assignment, "Currency": row.currency, "Text": row.text}[column]
    return value if value != "" else None


def bold(cell) -> Cell:
    """The cell in bold (the header and the Total row)."""
    return cell._replace(bold=True) if isinstance(cell, Cell) else Cell(cell, bold=True)


def write_export(export: ExportFile, path: Path) -> None:
    layout = export.layout
    columns = layout.columns
    title = [Cell(text, bold=True, size=12) if r == 0 else text for r, text in enumerate(export.title)]
    lines = ([cell_value(name, row, layout) for name in columns] for row in export.rows)
    usd = columns.index("Amount (USD)")
    total = total_row(bold(layout.total_label), usd, bold(amount_cell(sum(r.usd for r in export.rows), layout.amounts)))
    sheet = Sheet("Line Items", export_rows([bold(name) for name in columns], lines, title, total),
                  widths={c: COLUMN_WIDTHS.get(name, 11) for c, name in enumerate(columns)},
                  merges=[(0, 0, 0, len(columns) - 1)] if export.merge_title else [])
    stamp = dt.datetime.combine(export.run_date, dt.time(18, 0))
    write(path, [sheet], properties=Properties(stamp, author=CREATOR, zip_time=ZIP_TIME))


def reference_sheet(title: str, header: list[str], rows: list[tuple], formats: dict[str, str] | None = None) -> Sheet:
    """Bold header, columns as wide as their contents, the header row frozen."""
    widths = {c: min(max(len(str(v)) for v in [name] + [row[c] for row in rows]) + 2, 70)
              for c, name in enumerate(header)}
    rows = [[value if value != "" else None for value in row] for row in rows]
    return Sheet(title, table_rows(header, rows, formats, bold_header=True), widths=widths, freeze=(1, 0))


def write_reference(path: Path) -> None:
    spanish = published2012.SPANISH_LINES  # the Spanish document's names, as `init` pre-fills them
    budget_lines = [(str(y), s, line, a, spanish[s], spanish[line])
                    for y in range(2005, 2013) for s, line, a in LINES_2012]
    budget_lines += [("2013", s, line, a, spanish[s], spanish[line]) for s, line, a in LINES_2013]
    accounts = [("", gl, general) for gl, (general, _) in ACCOUNTS.items()]
    accounts += [("2013", gl, line_2013) for gl, (_, line_2013) in ACCOUNTS.items()]
    scale = [("TS", c, Decimal(share), ts) for c, share, ts, _ in MEMBERS]
    scale += [("RF", c, Decimal(share), rf) for c, share, _, rf in MEMBERS]
    partners = [(c, "member", ALIASES.get(c, "")) for c, *_ in MEMBERS]
    partners.append((EU, "donor", ALIASES[EU]))
    sheets = [
        reference_sheet("Periods", ["Period", "Start", "End", "Approved Budget (USD)"], PERIODS,
                        {"Start": "yyyy-mm-dd", "End": "yyyy-mm-dd", "Approved Budget (USD)": "#,##0"}),
        reference_sheet("Budget Lines", ["Period", "Section", "Budget Line", "Approved (USD)", "Section (es)",
                                         "Budget Line (es)"], budget_lines,
                        {"Approved (USD)": "#,##0"}),
        reference_sheet("Accounts", ["Period", "G/L Account", "Budget Line"], accounts),
        reference_sheet("Scale", ["Fund", "Country", "Share (%)", "Assessed (USD)"], scale,
                        {"Share (%)": "0.00", "Assessed (USD)": "#,##0"}),
        reference_sheet("Opening Balances", ["Period", "As Of", "Contributions Received (USD)",
                                             "Operating Costs (USD)"], OPENING_BALANCES,
                        {"As Of": "yyyy-mm-dd", "Contributions Received (USD)": "#,##0",
                         "Operating Costs (USD)": "#,##0"}),
        reference_sheet("Partners", ["Partner", "Kind", "Aliases"], partners),
        reference_sheet("Notes", sample_document.NOTES_HEADER, sample_document.NOTES),
        reference_sheet("Payment Instructions", sample_document.PAYMENT_HEADER, sample_document.PAYMENT),
    ]
    write(path, sheets, properties=Properties(REFERENCE_STAMP, author=CREATOR, zip_time=ZIP_TIME))


def write_activities(path: Path) -> None:
    """The activities register of the report's May-October 2012 (dates as date cells)."""
    sheet = reference_sheet("Activities", sample_document.ACTIVITIES_HEADER, sample_document.ACTIVITIES,
                            {"Start": "dd/mm/yyyy", "End": "dd/mm/yyyy"})
    write(path, [sheet], properties=Properties(REFERENCE_STAMP, author=CREATOR, zip_time=ZIP_TIME))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE,
                        help="output folder (default: workbooks/sample)")
    out = parser.parse_args(argv).out
    exports = out / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    for stale in exports.glob("IOM_LineItems_*.xlsx"):  # ours only: a rerun leaves no leftovers
        stale.unlink()
    write_reference(out / "reference.xlsx")
    write_activities(out / "activities.xlsx")
    files = export_files(build_ledger())
    for export in files:
        write_export(export, exports / export.name)
    print(f"wrote {out / 'reference.xlsx'} and {len(files)} exports in {exports}")


if __name__ == "__main__":
    main()
