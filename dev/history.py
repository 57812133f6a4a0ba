"""A synthetic history of monthly IOM exports in the contract's shape, and its reference workbook.

    python -m dev.history OUT [--years 10] [--lines 2000] [--first-year 2015]

writes ``OUT/reference.xlsx``, ``OUT/exports/IOM_LineItems_YYYY-MM.xlsx`` for every month of ``--years``
years, and ``OUT/next/IOM_LineItems_YYYY-MM.xlsx``: the month after the history, for a rebuild after one new
month. The default is 10 years x 12 months x 2,000 lines = 240,000 lines, plus four overlapping partial
re-runs (``..._run1.xlsx``: the first 12 % of a month's lines, identical copies) = 240,960 lines read.

The files vary the way real exports do, one variant per whole file: two column orders (the later one with an
extra ``Cost Center`` column), posting dates as date cells, Excel serials or dd/mm/yyyy text, amounts as
number cells or text (``1,234.56``, ``(1,234.56)``, ``-1,234.56``), document numbers and accounts as numbers
or text, title blocks of 3-6 rows, a ``Total`` or ``Grand Total`` row. The history builds without errors:
every member pays its assessment in two instalments a year, the Return Fund once a year (the European Union
in EUR), and there is one bank-charge adjustment without a partner a year (a warning, as in real data).

Written with xlsxwriter through dev/xlsxout.py, the writer the sample and the tests share. Deterministic: the same
arguments give the same bytes (fixed seed, fixed document properties).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from dev.xlsxout import (Cell, Properties, Sheet, amount_cell, code_cell, date_cell, export_rows, table_rows,
                         total_row, write)

SEED = 20240601
FIXED_STAMP = dt.datetime(2024, 6, 1)
MEMBERS = [  # country, share (%), TS assessed, RF assessed (USD)
    ("Belize", 1.77, 5000, 1062), ("Canada", 24.05, 68000, 14430), ("Costa Rica", 1.77, 5000, 1062),
    ("Dominican Republic", 1.77, 5000, 1062), ("El Salvador", 1.77, 5000, 1062),
    ("Guatemala", 1.77, 5000, 1062), ("Honduras", 1.77, 5000, 1062), ("Mexico", 11.80, 33364, 7080),
    ("Nicaragua", 1.77, 5000, 1062), ("Panama", 1.77, 5000, 1062), ("United States", 50.00, 141360, 30000),
]
EU = "European Union"
LINES = [  # section, budget line, share of the approved budget (per mille)
    ("Staff", "Staff Expenses", 620), ("Operational Expenses", "Support for Seminars and Meetings", 140),
    ("Operational Expenses", "Equipment and Internet Access", 110), ("Operational Expenses", "Studies and Research", 35),
    ("Operational Expenses", "Documents and Translation", 25), ("Operational Expenses", "Travel and per diem", 50),
    ("Operational Expenses", "Unforeseen Expenses", 20),
]
ACCOUNTS = {
    "710100": "Staff Expenses", "710110": "Staff Expenses", "710120": "Staff Expenses",
    "710200": "Staff Expenses", "720100": "Support for Seminars and Meetings",
    "720200": "Support for Seminars and Meetings", "730100": "Equipment and Internet Access",
    "730200": "Equipment and Internet Access", "730300": "Equipment and Internet Access",
    "740100": "Studies and Research", "750100": "Documents and Translation", "760100": "Travel and per diem",
    "760200": "Travel and per diem", "770100": "Unforeseen Expenses",
}
TEXTS = ["Office supplies", "Interpreting services - CRCM meeting", "Airfare TS staff to Panama City",
         "Per diem TS Coordinator - Managua, 3 days", "=Translation of meeting documents", "+ courier services",
         "-adjustment of accrual", "@ maintenance of the website", "Catering - Vice-Ministerial meeting",
         "Consultancy: study on labour migration", "Telephone and mobile services"]
CONTRACT = ("Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account", "Partner", "Assignment",
            "Currency", "Amount (Doc. Curr.)", "Amount (USD)", "Text")
LATER = ("Posting Date", "Doc. Type", "Document No.", "Item", "Fund", "Cost Center", "G/L Account", "Text",
         "Partner", "Assignment", "Currency", "Amount (Doc. Curr.)", "Amount (USD)")
DOC_PREFIX = {"DZ": 14, "KR": 19, "SA": 10, "AB": 17}
RERUN_MONTHS = 4  # partial re-runs, spread over the history
RERUN_SHARE = 0.12
BUDGET_PER_PERIOD = 12_000_000  # USD; about what 2,000 lines a month cost
# The title block's rows (the first ``title_rows`` of them); None: the file's period
TITLES = ("IOM Financial Systems - Line Item Report", None, "Run date: 05/01/2000",
          "Projects: RCM Technical Secretariat (TS); Return Fund (RF)", "Amounts in USD", "")


@dataclass(frozen=True)
class Line:
    doc: int
    item: int
    date: dt.date
    doc_type: str
    fund: str
    gl: str
    partner: str
    assignment: str
    currency: str
    doc_amount: int  # cents
    usd: int  # cents
    text: str


@dataclass(frozen=True)
class Layout:
    columns: tuple[str, ...]
    dates: str  # cell | serial | dmy_text
    amounts: str  # number | paren_text | minus_text
    numeric_ids: bool
    title_rows: int
    total_label: str


def layout_for(index: int, year: int) -> Layout:
    return Layout(
        columns=CONTRACT if year % 2 == 0 else LATER,
        dates="dmy_text" if index % 5 == 3 else "serial" if index % 7 == 5 else "cell",
        amounts=("paren_text" if index % 2 else "minus_text") if index % 6 == 4 else "number",
        numeric_ids=index % 4 == 1,
        title_rows=3 + index % 4,
        total_label="Total" if index % 3 == 0 else "Grand Total",
    )


def business_days(year: int, month: int) -> list[dt.date]:
    day, days = dt.date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def month_lines(year: int, month: int, count: int) -> list[Line]:
    """One month's lines, in posting order: contributions, then expenses up to ``count`` lines."""
    rng = random.Random(SEED * 1000 + year * 12 + month)
    days = business_days(year, month)
    seq = {t: 0 for t in DOC_PREFIX}

    def number(doc_type: str) -> int:
        seq[doc_type] += 1
        return (DOC_PREFIX[doc_type] * 100 + year % 100) * 10**6 + month * 10**4 + seq[doc_type]

    lines: list[Line] = []
    if month in (3, 9):  # TS contributions in two instalments, for the current year
        for country, _share, assessed, _rf in MEMBERS:
            first = assessed * 100 // 2
            usd = first if month == 3 else assessed * 100 - first
            lines.append(Line(number("DZ"), 1, rng.choice(days), "DZ", "TS", "400100", country, str(year), "USD",
                              usd, usd, f"Contribution {year} - {country}"))
    if month == 6:  # the Return Fund
        for country, _share, _ts, rf in MEMBERS:
            lines.append(Line(number("DZ"), 1, rng.choice(days), "DZ", "RF", "400100", country, str(year), "USD",
                              rf * 100, rf * 100, f"Return Fund {year} - {country}"))
        lines.append(Line(number("DZ"), 1, rng.choice(days), "DZ", "RF", "400200", EU, str(year), "EUR",
                          2_700_000, 3_500_000 + rng.randint(0, 500_000), f"Return Fund {year} - {EU}"))
    if month == 12:  # bank charges on the year's contributions: an adjustment without a partner
        lines.append(Line(number("SA"), 1, days[-1], "SA", "TS", "400100", "", str(year), "USD", -12_500, -12_500,
                          "Bank charges on contributions"))
    accounts = list(ACCOUNTS)
    while len(lines) < count:
        doc_type = rng.choices(("KR", "SA", "AB"), weights=(80, 15, 5))[0]
        fund = "RF" if rng.random() < 0.02 else "TS"
        doc, day = number(doc_type), rng.choice(days)
        for item in range(1, min(rng.randint(1, 4), count - len(lines)) + 1):
            usd = rng.randint(1_000, 500_000) * (-1 if doc_type == "AB" else 1)
            gl = "780100" if fund == "RF" else rng.choice(accounts)
            lines.append(Line(doc, item, day, doc_type, fund, gl, "", "", "USD", usd, usd, rng.choice(TEXTS)))
    return sorted(lines, key=lambda line: (line.date, line.doc, line.item))


def line_cells(line: Line, layout: Layout) -> dict:
    """One line's cells by column name, in the layout's forms."""
    return {
        "Document No.": code_cell(line.doc, layout.numeric_ids), "Item": line.item,
        "Posting Date": date_cell(line.date, layout.dates), "Doc. Type": line.doc_type, "Fund": line.fund,
        "G/L Account": code_cell(line.gl, layout.numeric_ids), "Partner": line.partner,
        "Assignment": line.assignment, "Currency": line.currency,
        "Amount (Doc. Curr.)": amount_cell(line.doc_amount, layout.amounts),
        "Amount (USD)": amount_cell(line.usd, layout.amounts), "Text": line.text,
        "Cost Center": "TS01" if line.fund == "TS" else "RF01",
    }


def write_export(path: Path, lines: list[Line], layout: Layout, title: str) -> None:
    titles = [Cell(TITLES[0], bold=True), title, *TITLES[2:]][: layout.title_rows]
    header = [Cell(name, bold=True) for name in layout.columns]
    # the total is a number cell whatever the amounts' form
    total = total_row(Cell(layout.total_label, bold=True), layout.columns.index("Amount (USD)"),
                      amount_cell(sum(x.usd for x in lines)))
    rows = export_rows(header, (line_cells(line, layout) for line in lines), titles, total)
    write(path, [Sheet("Line Items", rows)], engine="xlsxwriter",
          properties=Properties(FIXED_STAMP, author="IOM Financial Systems", title=title))


def write_reference(path: Path, first_year: int, years: int) -> None:
    """Periods from the first year to two years past the history (the new month's year and the next)."""
    periods = list(range(first_year, first_year + years + 2))
    days = {"Start": "yyyy-mm-dd", "End": "yyyy-mm-dd"}
    scale = [("TS", c, share, ts) for c, share, ts, _rf in MEMBERS]
    scale += [("RF", c, share, rf) for c, share, _t, rf in MEMBERS]
    sheets = [
        ("Periods", ["Period", "Start", "End", "Approved Budget (USD)"],
         [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), BUDGET_PER_PERIOD) for y in periods], days),
        ("Budget Lines", ["Period", "Section", "Budget Line", "Approved (USD)"],
         [(str(y), section, name, BUDGET_PER_PERIOD * share // 1000) for y in periods
          for section, name, share in LINES], None),
        ("Accounts", ["Period", "G/L Account", "Budget Line"], [(None, gl, line) for gl, line in ACCOUNTS.items()],
         None),
        ("Scale", ["Fund", "Country", "Share (%)", "Assessed (USD)"], scale, None),
        ("Partners", ["Partner", "Kind", "Aliases"],
         [(c, "member", None) for c, *_ in MEMBERS] + [(EU, "donor", "EU")], None),
    ]
    properties = Properties(FIXED_STAMP, author="rcm-tables benchmark", title="RCM TS reference")
    write(path, [Sheet(name, table_rows(header, rows, formats)) for name, header, rows, formats in sheets],
          engine="xlsxwriter", properties=properties)


def months(first_year: int, years: int):
    for index in range(years * 12):
        yield index, first_year + index // 12, index % 12 + 1


def export_name(year: int, month: int, suffix: str = "") -> str:
    return f"IOM_LineItems_{year}-{month:02d}{suffix}.xlsx"


def write_month(folder: Path, index: int, year: int, month: int, lines_per_month: int) -> list[tuple[str, int]]:
    """Write one month's export (and its partial re-run, for some months); returns (file, lines) written."""
    lines = month_lines(year, month, lines_per_month)
    layout = layout_for(index, year)
    written = [(export_name(year, month), len(lines))]
    write_export(folder / written[0][0], lines, layout, f"Period: {year}-{month:02d}")
    return written


def rerun_indexes(years: int) -> set[int]:
    """Months (by index) that also have an earlier, partial run: spread over the history, never the last."""
    total = years * 12
    return {total * (k + 1) // (RERUN_MONTHS + 1) - 7 for k in range(RERUN_MONTHS)} if total > 12 else set()


def generate(out: Path, years: int = 10, lines: int = 2000, first_year: int = 2015) -> dict:
    """Write the history; returns its manifest (also written to OUT/manifest.json)."""
    exports, nxt = out / "exports", out / "next"
    exports.mkdir(parents=True, exist_ok=True)
    nxt.mkdir(parents=True, exist_ok=True)
    write_reference(out / "reference.xlsx", first_year, years)
    files: dict[str, int] = {}
    reruns = rerun_indexes(years)
    for index, year, month in months(first_year, years):
        for name, count in write_month(exports, index, year, month, lines):
            files[name] = count
        if index in reruns:
            partial = month_lines(year, month, lines)[: max(1, int(lines * RERUN_SHARE))]
            name = export_name(year, month, "_run1")
            write_export(exports / name, partial, layout_for(index + 1, year), f"Period: {year}-{month:02d} (partial)")
            files[name] = len(partial)
    index, year, month = years * 12, first_year + years, 1
    new = write_month(nxt, index, year, month, lines)
    manifest = {"years": years, "lines": lines, "first_year": first_year, "files": len(files),
                "lines_total": sum(files.values()), "new_month": new[0][0], "new_month_lines": new[0][1]}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--lines", type=int, default=2000, help="lines per monthly export")
    parser.add_argument("--first-year", type=int, default=2015)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out, args.years, args.lines, args.first_year)))


if __name__ == "__main__":
    main()
