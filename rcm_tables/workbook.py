"""The auditor's workbook: the only module that touches xlsxwriter.

Every table figure that comes from the ledger is a live formula over the Ledger sheet (SUMIFS on defined
names over exact ranges, limited to lines posted on or before the named cell ``AsOf``); totals are SUMs;
derived columns are formulas over the cells beside them. Each formula carries the value pandas computed as
its cached result, so viewers that do not recalculate show the right figures. Every text from an export is
written with `write_string`: nothing a user typed can become a formula. Decisions: docs/workbook.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_range, xl_range_abs, xl_rowcol_to_cell

from . import __version__
from . import layout as Y
from . import schemas as S
from .atomic import atomic_path
from .csvfiles import write_ledger_csv
from .problems import ERROR
from .published import compare, notes
from .tables.table3 import next_period

L = S.Ledger
FIXED_DATE = dt.datetime(2000, 1, 1)  # document properties are fixed so the same inputs give the same bytes
TITLE = "RCM Technical Secretariat: financial tables"
WIDTH_SAMPLE_ROWS = 300  # Ledger column widths are fitted on its first rows (the sheet may hold 240k lines)

COVER, CHECKS, PUBLISHED = "Cover", "Checks", "Published vs computed"
TABLE1, TABLE2, TABLE3, TABLE4, TABLE5, ANNEX1 = "Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1"
LEDGER, OPENING, DUPLICATES, REJECTED, SOURCES, PROBLEMS = (
    "Ledger", "Opening Balances", "Duplicates", "Rejected", "Sources", "Problems")


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        def add(**props):
            return wb.add_format(props)

        self.heading = add(bold=True, font_size=14)
        self.title = add(bold=True, font_size=12)
        self.subtitle = add(italic=True)
        self.note = add(italic=True, font_color="#555555")
        self.bold = add(bold=True)
        self.header = add(bold=True, bg_color="#DCE6F1", border=1, text_wrap=True, valign="vcenter", align="center")
        self.text = add(border=1)
        self.text_top = add(border=1, valign="top")
        self.indent = add(border=1, indent=1)
        self.section = add(border=1, bold=True)
        self.wrap = add(border=1, text_wrap=True, valign="top")
        self.total_text = add(bold=True, border=1, top=2)
        self.count = add(border=1, num_format=Y.COUNT)
        self.date = add(num_format=Y.DATE)
        self.date_cell = add(border=1, num_format=Y.DATE, bold=True)
        self.amount = add(num_format=Y.AMOUNT)
        self.grey = add(font_color="#808080", italic=True)
        # LibreOffice shows a FALSE result in a General cell as 0; Excel ignores number formats on booleans
        self.boolean = add(border=1, align="center", valign="top", bold=True, num_format='"TRUE";"TRUE";"FALSE"')
        self.count_top = add(border=1, num_format=Y.COUNT, valign="top")
        self._money: dict[tuple[str, bool, bool], object] = {}
        self._wb = wb

    def money(self, num_format: str = Y.MONEY, total: bool = False, valign_top: bool = False):
        key = (num_format, total, valign_top)
        if key not in self._money:
            props = {"num_format": num_format, "border": 1}
            if total:
                props.update(bold=True, top=2)
            if valign_top:
                props["valign"] = "top"
            self._money[key] = self._wb.add_format(props)
        return self._money[key]


class _Sheet:
    """One worksheet, with helpers that fit the column widths to what is written."""

    def __init__(self, book: "_Book", name: str):
        self.book = book
        self.name = name
        self.ws = book.wb.add_worksheet(name)
        self.widths = Y.Widths()
        self.wrapped: list[tuple[int, int, str]] = []  # (row, col, text): rows are made tall enough at the end

    # references --------------------------------------------------------------------------------------
    def cell(self, row: int, col: int, row_abs: bool = False, col_abs: bool = False) -> str:
        return xl_rowcol_to_cell(row, col, row_abs, col_abs)

    def xref(self, row: int, col: int) -> str:
        """An absolute reference to a cell of this sheet from another sheet."""
        return f"{quote_sheetname(self.name)}!{xl_rowcol_to_cell(row, col, True, True)}"

    # writing -----------------------------------------------------------------------------------------
    def text(self, row: int, col: int, value: str, fmt=None, fit: float = 1.0) -> None:
        value = "" if value is None else str(value)
        if value == "":
            if fmt is not None:
                self.ws.write_blank(row, col, None, fmt)
            return
        self.ws.write_string(row, col, value, fmt)
        if fit:
            self.widths.see(col, value, weight=fit)
        if fmt is not None and fmt.text_wrap:
            self.wrapped.append((row, col, value))

    def number(self, row: int, col: int, value, fmt=None, num_format: str = "") -> None:
        self.ws.write_number(row, col, value, fmt)
        self.widths.see(col, value, num_format)

    def money(self, row: int, col: int, cents, num_format: str = Y.MONEY, total: bool = False) -> None:
        self.number(row, col, Y.dollars(cents), self.book.fmt.money(num_format, total), num_format)

    def formula(self, row: int, col: int, formula: str, value, fmt=None, num_format: str = "") -> None:
        """A formula with the value pandas computed as its cached result."""
        self.ws.write_formula(row, col, formula, fmt, value)
        self.widths.see(col, value, num_format)

    def money_formula(self, row: int, col: int, formula: str, cents, num_format: str = Y.MONEY,
                      total: bool = False) -> None:
        self.formula(row, col, formula, Y.dollars(cents), self.book.fmt.money(num_format, total), num_format)

    def merged(self, first_row: int, first_col: int, last_row: int, last_col: int, text: str, fmt) -> None:
        """A merged block holding text (written as a string; its width spans several columns, so no fitting)."""
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merge_range(first_row, first_col, last_row, last_col, "", fmt)
        self.ws.write_string(first_row, first_col, text, fmt)

    def blank(self, row: int, col: int, fmt) -> None:
        self.ws.write_blank(row, col, None, fmt)

    def headers(self, row: int, labels: list[str], first_col: int = 0) -> None:
        for col, label in enumerate(labels, start=first_col):
            self.text(row, col, label, self.book.fmt.header, fit=0.6)  # headers wrap, but never inside a word
            self.widths.see(col, max(label.split() or [""], key=len), weight=1.15)

    def titles(self, lines: list[tuple[str, str]]) -> int:
        """Title lines from the top (text, style name); returns the next free row."""
        for row, (text, style) in enumerate(lines):
            self.text(row, 0, text, getattr(self.book.fmt, style), fit=0)
        return len(lines)

    def finish(self, header_last: int | None = None, freeze: tuple[int, int] | None = None) -> None:
        widths = dict(self.widths.items())
        for col, width in widths.items():
            self.ws.set_column(col, col, width)
        # xlsxwriter does not size rows, and LibreOffice keeps the stored height: make wrapped rows tall enough
        heights: dict[int, int] = {}
        for row, col, text in self.wrapped:
            lines = Y.lines_needed(text, widths.get(col, 8))
            heights[row] = max(heights.get(row, 1), lines)
        for row, lines in sorted(heights.items()):
            if lines > 1:
                self.ws.set_row(row, Y.LINE_HEIGHT * lines)
        if freeze is not None:
            self.ws.freeze_panes(*freeze)
        if header_last is not None:
            self.ws.repeat_rows(0, header_last)
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)


def _sum_of(first_row: int, last_row: int, col: int) -> str:
    """A column total; "=0" when there are no rows (a reversed range would take in the header)."""
    return f"=SUM({xl_range(first_row, col, last_row, col)})" if last_row >= first_row else "=0"


@dataclass(frozen=True)
class _Check:
    text: str
    a_label: str
    a_formula: str | None  # None: a typed figure
    a_value: float
    b_label: str
    b_formula: str | None
    b_value: float
    holds: bool
    num_format: str
    note: str = ""


class _Book:
    """Writes one report into one workbook; remembers where each figure went (for Checks and Published)."""

    def __init__(self, report, path: Path, published: Path | None, ledger_lines: pd.DataFrame,
                 detail_csv: Path | None):
        self.report = report
        self.ledger_lines = ledger_lines  # what the Ledger sheet holds: every line, or closed periods summarised
        self.detail_csv = detail_csv  # where every line is, when the sheet is summarised
        self.ref = report.reference
        self.as_of: dt.date = report.as_of
        self.period = self.ref.period_of(self.as_of)
        self.published_dir = published
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"title": TITLE, "subject": f"As of {self.as_of.isoformat()}",
                                "author": "rcm-tables", "company": "RCM Technical Secretariat",
                                "comments": f"rcm-tables {__version__}", "created": FIXED_DATE})
        self.fmt = _Formats(self.wb)
        self.cells: dict[tuple, tuple[_Sheet, int, int]] = {}  # figure key -> where it is
        self.checks: list[_Check] = []

    # ---------------------------------------------------------------------------------------- helpers
    def place(self, key: tuple, sheet: _Sheet, row: int, col: int) -> None:
        self.cells[key] = (sheet, row, col)

    def xref(self, key: tuple) -> str:
        sheet, row, col = self.cells[key]
        return sheet.xref(row, col)

    @staticmethod
    def eq(cell: str, label: str) -> str:
        """A SUMIFS criterion matching ``label`` (the value of ``cell``) literally.

        A leading "=" makes the rest a value, not an operator (a name may begin with "<" or "="); wildcards
        are escaped with "~", in the formula, only where the label holds one, so plain formulas stay plain.
        """
        if Y.needs_escape(label):
            cell = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell},"~","~~"),"*","~*"),"?","~?")'
        return f'"="&{cell}'

    @staticmethod
    def sumifs(total: str, *criteria: tuple[str, str]) -> str:
        return "SUMIFS(" + ",".join([total] + [f"{rng},{crit}" for rng, crit in criteria]) + ")"

    def ledger_sum(self, fund: str, kind: str, *criteria: tuple[str, str]) -> str:
        """Ledger lines of a fund and kind, posted on or before AsOf, matching the criteria."""
        return self.sumifs("Ledger_USD", ("Ledger_Fund", f'"{fund}"'), ("Ledger_Kind", f'"{kind}"'), *criteria,
                           ("Ledger_Date", '"<="&AsOf'))

    def define(self, name: str, sheet: _Sheet, first_row: int, col: int, count: int) -> None:
        """A defined name over exactly ``count`` cells of a column (one blank cell when there are none)."""
        last = first_row + max(count, 1) - 1
        self.wb.define_name(name, f"={quote_sheetname(sheet.name)}!{xl_range_abs(first_row, col, last, col)}")

    # ----------------------------------------------------------------------------------------- layout
    def write(self) -> None:
        r = self.report
        sheets = [COVER, TABLE1, TABLE2, TABLE3, TABLE4, TABLE5, ANNEX1, CHECKS]
        if self.published_dir is not None:
            sheets.append(PUBLISHED)
        sheets += [LEDGER, OPENING]
        if not r.duplicates.empty:
            sheets.append(DUPLICATES)
        if self._rejected():
            sheets.append(REJECTED)
        sheets.append(SOURCES)
        if r.problems:
            sheets.append(PROBLEMS)
        # Sheets are created in reading order, then filled in dependency order (names before formulas).
        self.sheets = {name: _Sheet(self, name) for name in sheets}
        self._ledger()
        self._opening()
        if DUPLICATES in self.sheets:
            self._duplicates()
        if REJECTED in self.sheets:
            self._rejected_sheet()
        self._sources()
        self._table1()
        self._table2()
        self._table3()
        self._table4()
        self._table5()
        self._annex1()
        self._checks()
        if PUBLISHED in self.sheets:
            self._published()
        if PROBLEMS in self.sheets:
            self._problems()
        self._cover()
        self.sheets[COVER].ws.activate()

    def close(self) -> None:
        self.wb.close()

    # ------------------------------------------------------------------------------------------ Cover
    def _cover(self) -> None:
        s = self.sheets[COVER]
        f = self.fmt
        r = self.report
        s.text(0, 0, TITLE, f.heading, fit=0)
        s.text(1, 0, "Regional Conference on Migration (RCM): the financial tables of the Technical Secretariat's "
                     f"report, built by rcm-tables {__version__} from IOM's monthly line-item exports.", f.subtitle,
               fit=0)
        s.text(3, 0, "As of (named cell AsOf)", f.bold)
        s.widths.see(0, "Budget period of the as-of date")
        s.ws.write_datetime(3, 1, dt.datetime.combine(self.as_of, dt.time()), f.date_cell)
        self.wb.define_name("AsOf", f"={s.xref(3, 1)}")
        s.text(4, 0, "Budget period of the as-of date", f.bold)
        s.text(4, 1, self.period, f.text)
        s.text(5, 0, "Checks that hold", f.bold)
        n = len(self.checks)
        holds = sum(c.holds for c in self.checks)
        first, last = self.check_rows
        s.formula(5, 1, f"=COUNTIF({quote_sheetname(CHECKS)}!{xl_range_abs(first, 6, last, 6)},TRUE)", holds,
                  f.count)
        s.text(5, 2, f"of {n}: see the Checks sheet, which explains those that do not hold", f.note, fit=0)

        row = 7
        s.text(row, 0, "How to read this workbook", f.title)
        for line in self._guide():
            row += 1
            s.text(row, 0, line, fit=0)
        row += 2
        s.text(row, 0, "Inputs", f.title)
        row += 1
        s.headers(row, ["File", "Sheet", "SHA-256", "Rows read", "In the Ledger", "Identical duplicates",
                        "Rejected"])
        inputs = [(self.ref.file, sheet, self.ref.sha256, (count,)) for sheet, count in self.ref.rows_read.items()]
        inputs += [(x.file, x.sheet, x.sha256, (x.rows_read, x.used, x.duplicates, x.rejected)) for x in r.sources]
        for file, sheet, sha256, counts in inputs:
            row += 1
            s.text(row, 0, file, f.text)
            s.text(row, 1, sheet, f.text)
            s.text(row, 2, sha256, f.text)
            for col, value in enumerate(counts, start=3):
                s.number(row, col, value, f.count)
        s.finish()

    def _guide(self) -> list[str]:
        return [
            "• Tables 1 to 5 and Annex 1 are laid out like the published report. Amounts are US dollars to the "
            "cent (the report prints whole dollars).",
            "• Every figure that comes from the IOM exports is a formula over the Ledger sheet: SUMIFS over "
            "named columns (Ledger_USD, Ledger_Fund, Ledger_Kind, Ledger_Period, Ledger_Partner, "
            "Ledger_BudgetLine), counting only lines posted on or before AsOf.",
            "• Totals are SUM formulas; pending, net balance and the accumulated columns are formulas over the "
            "cells beside them. Approved budgets, budget lines and the scale are typed from the reference workbook.",
            "• Periods older than the exports come from the Opening Balances sheet, which Table 1's formulas add.",
            "• Ledger: one row per line used, with the export file, sheet and row it came from. Lines posted after "
            "AsOf are listed (in grey) but left out by every formula.",
            "• Checks: each reconciliation is a TRUE/FALSE formula with its two figures beside it. Sources: how "
            "every row of every export was accounted for.",
            "• Changing AsOf recalculates the figures, not the layout: the periods shown and Table 4's receipt "
            "dates are those of the build. Rebuild with rcm-tables build --as-of for another cut-off.",
        ] + ([
            "• This ledger is large: on the Ledger sheet, expense lines are summarised (one row per file, period, "
            f"account and budget line) and contributions stay line by line; every line is in "
            f"{self.detail_csv.name}, beside this workbook. The formulas give the same figures either way.",
        ] if self.detail_csv is not None else [])

    # ----------------------------------------------------------------------------------------- Ledger
    def _ledger(self) -> None:
        s = self.sheets[LEDGER]
        f = self.fmt
        ledger = self.ledger_lines
        note = ("Every unique line of every export, with the file, sheet and row it was read from. Lines "
                "posted after AsOf are shown in grey and left out of every table.")
        if self.detail_csv is not None:
            note += (" Expense lines are summarised, one row per file, period, account and budget line (Lines "
                     "says how many); contributions stay line by line; every line is in "
                     f"{self.detail_csv.name}, beside this workbook.")
        s.titles([("Ledger", "heading"), (note, "note")])
        header = 3
        s.headers(header, [c.header for c in Y.LEDGER_COLUMNS])
        first = header + 1
        ws = s.ws
        kinds = [c.kind for c in Y.LEDGER_COLUMNS]
        for i, values in enumerate(Y.ledger_rows(ledger)):
            row = first + i
            track = i < WIDTH_SAMPLE_ROWS
            for col, (kind, value) in enumerate(zip(kinds, values)):
                if value is None:
                    continue
                if kind == "text":
                    if value:
                        ws.write_string(row, col, value)
                elif kind == "money":
                    ws.write_number(row, col, value, f.amount)
                elif kind == "date":
                    ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), f.date)
                else:
                    ws.write_number(row, col, value)
                if track:
                    s.widths.see(col, value, Y.AMOUNT if kind == "money" else "")
        n = len(ledger)
        last = first + max(n, 1) - 1
        for col, column in enumerate(Y.LEDGER_COLUMNS):
            if column.name:
                self.define(column.name, s, first, col, n)
        date_col = next(i for i, c in enumerate(Y.LEDGER_COLUMNS) if c.column == L.posting_date)
        ws.conditional_format(first, 0, last, len(Y.LEDGER_COLUMNS) - 1, {
            "type": "formula", "criteria": f"={xl_rowcol_to_cell(first, date_col, col_abs=True)}>AsOf",
            "format": f.grey})
        ws.autofilter(header, 0, last, len(Y.LEDGER_COLUMNS) - 1)
        text_col = next(i for i, c in enumerate(Y.LEDGER_COLUMNS) if c.column == L.text)
        s.widths.widths[text_col] = min(s.widths.widths.get(text_col, 10), 50)
        s.finish(header_last=header, freeze=(first, 1))

    # --------------------------------------------------------------------------------- Opening Balances
    def _opening(self) -> None:
        s = self.sheets[OPENING]
        f = self.fmt
        ob = self.ref.opening
        O = S.OpeningBalances
        s.titles([("Opening Balances", "heading"),
                  (f"Totals brought forward for periods older than the exports, from {self.ref.file} (sheet "
                   f"{S.OPENING_SHEET}). Table 1 adds them to the Ledger's lines of the same period.", "note")])
        header = 3
        s.headers(header, ["Period", "As Of", "Contributions Received (USD)", "Operating Costs (USD)"])
        first = header + 1
        for i, (_, rec) in enumerate(ob.iterrows()):
            row = first + i
            s.text(row, 0, rec[O.period], f.text)
            s.ws.write_datetime(row, 1, rec[O.as_of].to_pydatetime(), self.fmt.date)
            s.widths.see(1, rec[O.as_of].date())
            s.money(row, 2, rec[O.contributions_received])
            s.money(row, 3, rec[O.operating_costs])
        if ob.empty:
            s.text(first, 0, "(none)", f.note)
        for col, name in ((0, "Opening_Period"), (2, "Opening_Received"), (3, "Opening_Costs")):
            self.define(name, s, first, col, len(ob))
        s.finish(header_last=header, freeze=(first, 0))

    # ------------------------------------------------------------------------------ Duplicates, Rejected
    def _duplicates(self) -> None:
        s = self.sheets[DUPLICATES]
        f = self.fmt
        d = self.report.duplicates
        s.titles([("Duplicates", "heading"),
                  ("Identical copies of a line (same Document No. and Item, same content) counted once: each copy "
                   "here, with the line that was kept (on the Ledger sheet).", "note")])
        header = 3
        s.headers(header, ["Document No.", "Item", "File", "Sheet", "Row", "Kept: file", "Kept: sheet", "Kept: row"])
        first = header + 1
        cols = [L.document_no, L.item, L.file, L.sheet, L.row, "kept_file", "kept_sheet", "kept_row"]
        for i, values in enumerate(d[cols].itertuples(index=False, name=None)):
            row = first + i
            for col, value in enumerate(values):
                if col in (1, 4, 7):
                    s.number(row, col, int(value), f.text)
                else:
                    s.text(row, col, value, f.text)
        self.define("Duplicates_File", s, first, 2, len(d))
        s.finish(header_last=header, freeze=(first, 0))

    def _rejected(self) -> list:
        """Errors located on a row: the rows not used (only when a report was built despite errors)."""
        return [p for p in self.report.problems if p.severity == ERROR and p.row is not None]

    def _rejected_sheet(self) -> None:
        s = self.sheets[REJECTED]
        f = self.fmt
        s.titles([("Rejected", "heading"), ("Rows that were read but not used, and why.", "note")])
        header = 3
        s.headers(header, ["File", "Sheet", "Row", "Column", "Value", "Problem", "How to fix"])
        for i, p in enumerate(self._rejected()):
            row = header + 1 + i
            for col, value in enumerate((p.file, p.sheet, p.row, p.column, p.value, p.message, p.hint)):
                if col == 2:
                    s.number(row, col, int(value), f.text)
                else:
                    s.text(row, col, value, f.wrap if col >= 5 else f.text, fit=0.5 if col >= 5 else 1)
        s.finish(header_last=header, freeze=(header + 1, 0))

    # ---------------------------------------------------------------------------------------- Sources
    def _sources(self) -> None:
        s = self.sheets[SOURCES]
        f = self.fmt
        r = self.report
        s.titles([("Sources", "heading"),
                  ("How every row of every export was accounted for: in the Ledger, an identical duplicate, or "
                   "rejected. The Ledger count sums the Ledger sheet's Lines column (SUMIFS), the Duplicates count "
                   "is COUNTIFS over that sheet.", "note")])
        header = 3
        s.headers(header, ["File", "Kind", "Sheet", "SHA-256", "Rows read", "In the Ledger", "Identical duplicates",
                           "Rejected", "Accounted for"])
        ledger_counts = r.ledger[L.file].value_counts()
        dup_counts = r.duplicates[L.file].value_counts() if not r.duplicates.empty else pd.Series(dtype=int)
        self.source_rows: list[tuple[str, int, int, int, bool]] = []  # file, row, rows read, accounted, holds
        row = header
        for source in r.sources:
            row += 1
            s.text(row, 0, source.file, f.text)
            s.text(row, 1, "export", f.text)
            s.text(row, 2, source.sheet, f.text)
            s.text(row, 3, source.sha256, f.text, fit=0.5)
            s.number(row, 4, source.rows_read, f.count)
            crit = self.eq(s.cell(row, 0, col_abs=True), source.file)
            used = int(ledger_counts.get(source.file, 0))
            s.formula(row, 5, f"=SUMIFS(Ledger_Lines,Ledger_File,{crit})", used, f.count)
            dups = int(dup_counts.get(source.file, 0))
            if DUPLICATES in self.sheets:
                s.formula(row, 6, f"=COUNTIFS(Duplicates_File,{crit})", dups, f.count)
            else:
                s.number(row, 6, 0, f.count)
            s.number(row, 7, source.rejected, f.count)
            accounted = used + dups + source.rejected
            s.formula(row, 8, f"=SUM({xl_range(row, 5, row, 7)})", accounted, f.count)
            self.source_rows.append((source.file, row, source.rows_read, accounted,
                                     accounted == source.rows_read))
        for sheet, count in self.ref.rows_read.items():
            row += 1
            s.text(row, 0, self.ref.file, f.text)
            s.text(row, 1, "reference", f.text)
            s.text(row, 2, sheet, f.text)
            s.text(row, 3, self.ref.sha256, f.text, fit=0.5)
            s.number(row, 4, count, f.count)
        s.finish(header_last=header, freeze=(header + 1, 1))

    # ---------------------------------------------------------------------------------------- Table 1
    def _table1(self) -> None:
        s = self.sheets[TABLE1]
        f = self.fmt
        t = self.report.tables["table1"]
        T = S.Table1
        start_year = self.ref.periods[S.Periods.start].min().year
        top = s.titles([(TABLE1, "heading"), ("Approved General Budgets against Incomes and Expenditures", "title"),
                        (f"({start_year}-{self.as_of.year} / In U.S. Dollars)", "subtitle")])
        header = top + 1
        s.headers(header, ["Budget Year", "Approved Budget", "Contributions Received", "Contributions Pending",
                           "Contributions Pending, Accumulated", "Operating Costs", "Net Balance",
                           "Accumulated Balance"])
        first = header + 1
        opening = not self.ref.opening.empty
        approved_fmt = Y.money_format_for(t[T.approved_budget])
        rows = list(t.itertuples(index=False))
        for i, rec in enumerate(rows):
            row = first + i
            label = s.cell(row, 0, col_abs=True)
            period = ("Ledger_Period", self.eq(label, rec.period))
            s.text(row, 0, rec.period, f.text)
            s.money(row, 1, rec.approved_budget, approved_fmt)
            received = "=" + self.ledger_sum("TS", "income", period)
            costs = "=" + self.ledger_sum("TS", "expense", period)
            if opening:
                received += "+" + self.sumifs("Opening_Received", ("Opening_Period", self.eq(label, rec.period)))
                costs += "+" + self.sumifs("Opening_Costs", ("Opening_Period", self.eq(label, rec.period)))
            s.money_formula(row, 2, received, rec.contributions_received)
            s.money_formula(row, 3, f"={s.cell(row, 1)}-{s.cell(row, 2)}", rec.contributions_pending)
            s.money_formula(row, 4, f"={s.cell(row, 3)}" if i == 0 else f"={s.cell(row - 1, 4)}+{s.cell(row, 3)}",
                            rec.contributions_pending_accumulated)
            s.money_formula(row, 5, costs, rec.operating_costs)
            s.money_formula(row, 6, f"={s.cell(row, 2)}-{s.cell(row, 5)}", rec.net_balance)
            s.money_formula(row, 7, f"={s.cell(row, 6)}" if i == 0 else f"={s.cell(row - 1, 7)}+{s.cell(row, 6)}",
                            rec.accumulated_balance)
            for col, column in enumerate(S.columns(S.Table1)[1:], start=1):
                self.place(("table1", rec.period, column), s, row, col)
        total = first + len(rows)
        last = total - 1
        s.text(total, 0, "Total", f.total_text)
        for col, column in enumerate(S.columns(S.Table1)[1:], start=1):
            if column in (T.contributions_pending_accumulated, T.accumulated_balance):
                s.blank(total, col, f.money(total=True))
                continue
            s.money_formula(total, col, _sum_of(first, last, col), int(t[column].sum()),
                            approved_fmt if column == T.approved_budget else Y.MONEY, total=True)
            self.place(("table1", "TOTAL", column), s, total, col)
        s.text(total + 2, 0, f"Source: IOM Financial Systems (Ledger sheet), lines posted up to "
                             f"{Y.long_date(self.as_of)}; periods before the exports from Opening Balances. "
                             "Exact cents; the published report prints whole dollars.", f.note, fit=0)
        s.finish(header_last=header, freeze=(first, 1))

    # ---------------------------------------------------------------------------------------- Table 2
    def _table2(self) -> None:
        s = self.sheets[TABLE2]
        f = self.fmt
        t = self.report.tables["table2"]
        summary = self.report.tables["table2_summary"].set_index(S.Table2Summary.item)[S.Table2Summary.amount]
        period = self.period
        start = self.ref.period_row(period)[S.Periods.start].date()
        span = f"{start:%B} – {self.as_of:%B %Y}"
        s.titles([(TABLE2, "heading"), ("Budget Execution", "title"),
                  (f"For the period {Y.long_date(start)} – {Y.long_date(self.as_of)}", "subtitle")])
        s.text(3, 0, "Budget period", f.bold)
        s.text(3, 1, period, f.text)
        period_cell = s.cell(3, 1, True, True)
        s.text(5, 0, "Contributions by Member Countries", f.title)
        s.text(6, 0, f"Approved Budget for {period}", f.text)
        s.money_formula(6, 1, f"={self.xref(('table1', period, S.Table1.approved_budget))}",
                        summary["approved_budget"])
        s.text(7, 0, f"Contributions Received for {period}", f.text)
        s.money_formula(7, 1, f"={self.xref(('table1', period, S.Table1.contributions_received))}",
                        summary["contributions_received"])
        s.text(8, 0, f"Pending Contributions for {period}", f.text)
        s.money_formula(8, 1, f"={s.cell(6, 1)}-{s.cell(7, 1)}", summary["contributions_pending"])
        for row, item in ((6, "approved_budget"), (7, "contributions_received"), (8, "contributions_pending")):
            self.place(("table2_summary", item, "amount"), s, row, 1)

        s.text(10, 0, f"Detailed Expenses for the {period} Budget", f.title)
        header = 11
        s.headers(header, ["Budget line", "Approved Budget", "Expenses", "Balance"])
        first = header + 1
        approved_fmt = Y.money_format_for(t[S.Table2.approved_budget])
        rows = list(t.itertuples(index=False))
        for i, rec in enumerate(rows):
            row = first + i
            s.text(row, 0, rec.budget_line, f.text)
            s.money(row, 1, rec.approved_budget, approved_fmt)
            formula = "=" + self.ledger_sum("TS", "expense", ("Ledger_Period", self.eq(period_cell, period)),
                                            ("Ledger_BudgetLine",
                                             self.eq(s.cell(row, 0, col_abs=True), rec.budget_line)))
            s.money_formula(row, 2, formula, rec.expenses)
            s.money_formula(row, 3, f"={s.cell(row, 1)}-{s.cell(row, 2)}", rec.balance)
            for col, column in ((1, S.Table2.approved_budget), (2, S.Table2.expenses), (3, S.Table2.balance)):
                self.place(("table2", rec.budget_line, column), s, row, col)
        total = first + len(rows)
        s.text(total, 0, f"Total Expenses, {span}", f.total_text)
        for col, column in ((1, S.Table2.approved_budget), (2, S.Table2.expenses), (3, S.Table2.balance)):
            s.money_formula(total, col, _sum_of(first, total - 1, col), int(t[column].sum()),
                            total=True)
            self.place(("table2", "TOTAL", column), s, total, col)
        self.place(("table2_summary", "total_expenses", "amount"), s, total, 2)
        balance = total + 1
        s.text(balance, 0, f"Balance, {Y.long_date(self.as_of)} (received − total expenses)", f.total_text)
        s.blank(balance, 1, f.money(total=True))
        s.money_formula(balance, 2, f"={s.cell(7, 1)}-{s.cell(total, 2)}", summary["balance"], total=True)
        s.blank(balance, 3, f.money(total=True))
        self.place(("table2_summary", "balance", "amount"), s, balance, 2)
        s.text(balance + 2, 0, "Source: IOM Financial Systems (Ledger sheet): expenses by posting date, mapped to "
                               "budget lines through the reference workbook's Accounts sheet.", f.note, fit=0)
        s.finish(header_last=header, freeze=(first, 1))

    # ---------------------------------------------------------------------------------------- Table 3
    def _table3(self) -> None:
        s = self.sheets[TABLE3]
        f = self.fmt
        t = self.report.tables["table3"]
        nxt = next_period(self.ref, self.as_of)
        lines = [(TABLE3, "heading"), (f"Approved Budget for {nxt or '(no next period)'}", "title"),
                 ("RCM Technical Secretariat (TS)", "subtitle")]
        if nxt is not None:
            p = self.ref.period_row(nxt)
            lines.append((f"Annual Budget, {p[S.Periods.start]:%B} – {p[S.Periods.end]:%B %Y}", "subtitle"))
        lines.append(("In US$", "subtitle"))
        header = s.titles(lines) + 1
        s.headers(header, ["", "Amount"])
        row = header
        self.table3_total = None
        if t.empty:
            s.text(row + 1, 0, "The reference workbook has no period after the as-of period.", f.note)
            s.finish(header_last=header, freeze=(header + 1, 0))
            return
        num_format = Y.money_format_for(t[S.Table3.amount])
        subtotals = []
        for section, group in t.groupby(S.Table3.section, sort=False):
            if section:
                row += 1
                s.text(row, 0, section, f.section)
                s.blank(row, 1, f.text)
            first = row + 1
            for rec in group.itertuples(index=False):
                row += 1
                s.text(row, 0, rec.budget_line, f.indent)
                s.money(row, 1, rec.amount, num_format)
                self.place(("table3", (section, rec.budget_line), "amount"), s, row, 1)
            row += 1
            s.text(row, 0, "Subtotal", f.total_text)
            s.money_formula(row, 1, _sum_of(first, row - 1, 1), int(group[S.Table3.amount].sum()),
                            num_format, total=True)
            self.place(("table3", ("Subtotal", section), "amount"), s, row, 1)
            subtotals.append(s.cell(row, 1))
            row += 1
        row += 1
        s.text(row, 0, "Total", f.total_text)
        s.money_formula(row, 1, f"=SUM({','.join(subtotals)})", int(t[S.Table3.amount].sum()), num_format,
                        total=True)
        self.place(("table3", "TOTAL", "amount"), s, row, 1)
        self.table3_total = (nxt, row)
        s.finish(header_last=header, freeze=(header + 1, 0))

    # ---------------------------------------------------------------------------------------- Table 4
    def _table4(self) -> None:
        s = self.sheets[TABLE4]
        f = self.fmt
        t = self.report.tables["table4"]
        pay = self.report.tables["table4_payments"]
        T, P = S.Table4, S.Table4Payments
        periods = list(dict.fromkeys(t[T.period]))
        countries = list(dict.fromkeys(t[T.country]))
        scale = self.ref.scale_of("TS")
        assessed = dict(zip(scale[S.Scale.country], scale[S.Scale.assessed].astype(int)))
        assessed_fmt = Y.money_format_for(assessed.values())
        s.titles([(TABLE4, "heading"), ("Contributions to the Budgets of the TS", "title"),
                  (f"({self.as_of:%B %Y})", "subtitle")])
        top = 4
        s.merged(top, 0, top + 2, 0, "Country", f.header)
        s.merged(top, 1, top + 2, 1, "Approved scale of contributions", f.header)
        s.widths.see(1, "contributions")
        label_cells = {}
        for j, period in enumerate(periods):
            col = 2 + 3 * j
            p = self.ref.period_row(period)
            s.merged(top, col, top, col + 2, period, f.header)
            s.merged(top + 1, col, top + 1, col + 2,
                     f"{p[S.Periods.start]:%d/%m/%Y} to {p[S.Periods.end]:%d/%m/%Y}", f.header)
            s.headers(top + 2, ["Received", "Date(s) of receipt", "Pending"], first_col=col)
            label_cells[period] = s.cell(top, col, row_abs=True)
        header = top + 2
        first = header + 1
        by_cell = {key: group for key, group in pay.groupby([P.country, P.period], sort=False)}
        records = t.set_index([T.country, T.period])
        for i, country in enumerate(countries):
            row = first + i
            s.text(row, 0, country, f.text_top)
            if country in assessed:
                s.number(row, 1, Y.dollars(assessed[country]), f.money(assessed_fmt, valign_top=True), assessed_fmt)
            else:
                s.blank(row, 1, f.money(assessed_fmt, valign_top=True))  # not on the scale: nothing assessed
            self.place(("table4", country, "assessed"), s, row, 1)
            partner = '""' if country == S.NO_PARTNER else self.eq(s.cell(row, 0, col_abs=True), country)
            for j, period in enumerate(periods):
                col = 2 + 3 * j
                rec = records.loc[(country, period)]
                formula = "=" + self.ledger_sum("TS", "income", ("Ledger_Partner", partner),
                                                ("Ledger_Period", self.eq(label_cells[period], period)))
                s.formula(row, col, formula, Y.dollars(rec[T.received]), f.money(valign_top=True), Y.MONEY)
                mine = by_cell.get((country, period))
                receipts = [] if mine is None else [(int(a), d.date()) for a, d in zip(mine[P.amount],
                                                                                        mine[P.received_on])]
                # "Pending", as the report prints it, only where something is assessed
                s.text(row, col + 1, Y.receipt_text(receipts) or ("Pending" if country in assessed else ""), f.wrap)
                s.formula(row, col + 2, f"={s.cell(row, 1, col_abs=True)}-{s.cell(row, col)}",
                          Y.dollars(rec[T.pending]), f.money(valign_top=True), Y.MONEY)
                self.place(("table4", (country, period), "received"), s, row, col)
                self.place(("table4", (country, period), "pending"), s, row, col + 2)
        total = first + len(countries)
        last = total - 1
        s.text(total, 0, "TOTAL", f.total_text)
        s.money_formula(total, 1, _sum_of(first, last, 1), sum(assessed.values()), assessed_fmt,
                        total=True)
        self.place(("table4", "TOTAL", "assessed"), s, total, 1)
        for j, period in enumerate(periods):
            col = 2 + 3 * j
            mine = t.loc[t[T.period] == period]
            s.money_formula(total, col, _sum_of(first, last, col), int(mine[T.received].sum()),
                            total=True)
            s.blank(total, col + 1, f.total_text)
            s.money_formula(total, col + 2, _sum_of(first, last, col + 2),
                            int(mine[T.pending].sum()), total=True)
            self.place(("table4", ("TOTAL", period), "received"), s, total, col)
            self.place(("table4", ("TOTAL", period), "pending"), s, total, col + 2)
        s.text(total + 2, 0, "Pending = approved scale − received: negative where a member paid more. The dates "
                             "list the receipts that stand after reversals; they add up to Received. Source: IOM "
                             "Financial Systems (Ledger sheet).", f.note, fit=0)
        self.table4_periods = periods
        s.finish(header_last=header, freeze=(first, 1))

    # ---------------------------------------------------------------------------------------- Table 5
    def _table5(self) -> None:
        s = self.sheets[TABLE5]
        f = self.fmt
        t = self.report.tables["table5"]
        T = S.Table5
        scale = self.ref.scale_of("RF").set_index(S.Scale.country)
        periods = list(dict.fromkeys(t[T.period]))
        countries = list(dict.fromkeys(t[T.country]))
        assessed_fmt = Y.money_format_for(scale[S.Scale.assessed])
        s.titles([(TABLE5, "heading"), ("Contributions to the Fund to Assist the Return of Intra-Regional Migrants",
                                        "title"),
                  ("in Highly Vulnerable Situations", "title"), ("In U.S. Dollars", "subtitle")])
        top = 5
        for col, label in enumerate(["Country", "Percentage", "Contribution in US$"]):
            s.merged(top, col, top + 1, col, label, f.header)
            s.widths.see(col, label, weight=0.6)
            s.widths.see(col, max(label.split(), key=len), weight=1.15)
        if periods:
            s.merged(top, 3, top, 2 + len(periods), "Contributions for", f.header)
            s.headers(top + 1, periods, first_col=3)
        header = top + 1
        first = header + 1
        received = t.set_index([T.country, T.period])[T.received]
        for i, country in enumerate(countries):
            row = first + i
            s.text(row, 0, country, f.text)
            share = scale[S.Scale.share_pct].get(country) if country in scale.index else None
            if share is not None and pd.notna(share):
                s.number(row, 1, float(share), f.money(Y.PERCENT), Y.PERCENT)
            else:
                s.blank(row, 1, f.money(Y.PERCENT))
            if country in scale.index:
                s.money(row, 2, scale.at[country, S.Scale.assessed], assessed_fmt)
            else:
                s.blank(row, 2, f.money(assessed_fmt))
            self.place(("table5", country, "share_pct"), s, row, 1)
            self.place(("table5", country, "assessed"), s, row, 2)
            partner = '""' if country == S.NO_PARTNER else self.eq(s.cell(row, 0, col_abs=True), country)
            for j, period in enumerate(periods):
                col = 3 + j
                formula = "=" + self.ledger_sum("RF", "income", ("Ledger_Partner", partner), (
                    "Ledger_Period", self.eq(s.cell(header, col, row_abs=True), period)))
                s.money_formula(row, col, formula, received[(country, period)])
                self.place(("table5", (country, period), "received"), s, row, col)
        total = first + len(countries)
        last = total - 1
        s.text(total, 0, "TOTAL", f.total_text)
        shares = round(float(scale[S.Scale.share_pct].dropna().sum()), 6)
        s.formula(total, 1, _sum_of(first, last, 1), shares, f.money(Y.PERCENT, total=True), Y.PERCENT)
        s.money_formula(total, 2, _sum_of(first, last, 2), int(scale[S.Scale.assessed].sum()),
                        assessed_fmt, total=True)
        self.place(("table5", "TOTAL", "share_pct"), s, total, 1)
        self.place(("table5", "TOTAL", "assessed"), s, total, 2)
        for j, period in enumerate(periods):
            col = 3 + j
            s.money_formula(total, col, _sum_of(first, last, col),
                            int(t.loc[t[T.period] == period, T.received].sum()), total=True)
            self.place(("table5", ("TOTAL", period), "received"), s, total, col)
        s.text(total + 2, 0, "Source: IOM Financial Systems (Ledger sheet, fund RF); amounts in US dollars as "
                             "converted by IOM on the posting date.", f.note, fit=0)
        s.finish(header_last=header, freeze=(first, 1))

    # ---------------------------------------------------------------------------------------- Annex 1
    def _annex1(self) -> None:
        s = self.sheets[ANNEX1]
        f = self.fmt
        t = self.report.tables["annex1"]
        T = S.Annex1
        s.titles([(ANNEX1, "heading"), ("Percentages and Amounts of Contributions by RCM Member States to the Budget "
                                        "of the Technical Secretariat", "title")])
        header = 3
        s.headers(header, ["Country", "Percentage", "Contribution in US$"])
        first = header + 1
        num_format = Y.money_format_for(t[T.assessed_usd])
        for i, rec in enumerate(t.itertuples(index=False)):
            row = first + i
            s.text(row, 0, rec.country, f.text)
            s.number(row, 1, float(rec.share_pct), f.money(Y.PERCENT), Y.PERCENT)
            s.money(row, 2, rec.assessed_usd, num_format)
            self.place(("annex1", rec.country, "share_pct"), s, row, 1)
            self.place(("annex1", rec.country, "assessed_usd"), s, row, 2)
        total = first + len(t)
        last = total - 1
        s.text(total, 0, "TOTAL", f.total_text)
        s.formula(total, 1, _sum_of(first, last, 1), round(float(t[T.share_pct].sum()), 6),
                  f.money(Y.PERCENT, total=True), Y.PERCENT)
        s.money_formula(total, 2, _sum_of(first, last, 2), int(t[T.assessed_usd].sum()), num_format,
                        total=True)
        self.place(("annex1", "TOTAL", "share_pct"), s, total, 1)
        self.place(("annex1", "TOTAL", "assessed_usd"), s, total, 2)
        s.finish(header_last=header, freeze=(first, 1))

    # ----------------------------------------------------------------------------------------- Checks
    def _build_checks(self) -> list[_Check]:
        t = self.report.tables
        ref = self.ref
        period = self.period
        t1 = t["table1"].set_index(S.Table1.period)
        t4 = t["table4"]
        checks: list[_Check] = []

        def money_check(text, a_label, a_key, a_cents, b_label, b_key, b_cents, note=""):
            checks.append(_Check(text, a_label, f"={self.xref(a_key)}", Y.dollars(a_cents), b_label,
                                 None if b_key is None else f"={self.xref(b_key)}", Y.dollars(b_cents),
                                 int(a_cents) == int(b_cents), Y.MONEY, note))

        for p in self.table4_periods:
            money_check(f"Table 1's contributions received for {p} equal Table 4's total for {p}",
                        f"Table 1, {p}, Contributions Received", ("table1", p, S.Table1.contributions_received),
                        t1.at[p, S.Table1.contributions_received],
                        f"Table 4, TOTAL, {p} received", ("table4", ("TOTAL", p), "received"),
                        t4.loc[t4[S.Table4.period] == p, S.Table4.received].sum())
        money_check(f"Table 2's total expenses equal Table 1's operating costs for {period}",
                    "Table 2, Total Expenses", ("table2", "TOTAL", S.Table2.expenses), t["table2"][S.Table2.expenses].sum(),
                    f"Table 1, {period}, Operating Costs", ("table1", period, S.Table1.operating_costs),
                    t1.at[period, S.Table1.operating_costs])
        money_check(f"Table 2's budget lines add up to the approved budget for {period}",
                    "Table 2, Total, Approved Budget", ("table2", "TOTAL", S.Table2.approved_budget),
                    t["table2"][S.Table2.approved_budget].sum(),
                    f"Table 1, {period}, Approved Budget", ("table1", period, S.Table1.approved_budget),
                    t1.at[period, S.Table1.approved_budget])
        if self.table3_total is not None:
            nxt, _ = self.table3_total
            approved = ref.approved_budget(nxt)
            checks.append(_Check(
                f"Table 3's budget lines add up to the approved budget for {nxt}", "Table 3, Total",
                f"={self.xref(('table3', 'TOTAL', 'amount'))}", Y.dollars(t["table3"][S.Table3.amount].sum()),
                f"Approved budget for {nxt} (reference workbook, {S.PERIODS_SHEET})", None, Y.dollars(approved),
                int(t["table3"][S.Table3.amount].sum()) == approved, Y.MONEY))
        for fund, table, what in (("TS", "annex1", "Annex 1"), ("RF", "table5", "Table 5")):
            shares = ref.scale_of(fund)[S.Scale.share_pct].dropna()
            if shares.empty:
                continue
            total = round(float(shares.sum()), 6)
            holds = round(total * 100) == 10000
            note = "" if holds else (
                f"Flagged, not hidden: the approved {fund} scale in the reference workbook adds up to {total:.2f} %. "
                "This is the published report's own discrepancy (its scale prints 100.01 %; docs/discrepancies.md "
                "item 3); amounts are taken from Assessed (USD), not from the shares.")
            checks.append(_Check(f"The {fund} scale's shares add up to 100 % ({what})", f"{what}, TOTAL, Percentage",
                                 f"={self.xref((table, 'TOTAL', 'share_pct'))}", total, "100 %", None, 100.0, holds,
                                 Y.PERCENT, note))
        annex = t["annex1"][S.Annex1.assessed_usd].sum()
        money_check(f"Annex 1's scale amounts add up to the approved budget for {period}",
                    "Annex 1, TOTAL, Contribution in US$", ("annex1", "TOTAL", "assessed_usd"), annex,
                    f"Table 1, {period}, Approved Budget", ("table1", period, S.Table1.approved_budget),
                    t1.at[period, S.Table1.approved_budget])
        last = t1.index[-1]
        money_check("Table 1's accumulated balance equals the running sum of its net balances",
                    f"Table 1, {last}, Accumulated Balance", ("table1", last, S.Table1.accumulated_balance),
                    t1.at[last, S.Table1.accumulated_balance],
                    "Table 1, Total, Net Balance", ("table1", "TOTAL", S.Table1.net_balance),
                    t1[S.Table1.net_balance].sum())
        money_check("Table 1's accumulated pending equals the running sum of its pending contributions",
                    f"Table 1, {last}, Contributions Pending, Accumulated",
                    ("table1", last, S.Table1.contributions_pending_accumulated),
                    t1.at[last, S.Table1.contributions_pending_accumulated],
                    "Table 1, Total, Contributions Pending", ("table1", "TOTAL", S.Table1.contributions_pending),
                    t1[S.Table1.contributions_pending].sum())
        src = self.sheets[SOURCES]
        for file, row, rows_read, accounted, holds in self.source_rows:
            checks.append(_Check(f"Rows read = Ledger + duplicates + rejected: {file}", "Sources, Rows read",
                                 f"={src.xref(row, 4)}", rows_read, "Sources, Accounted for",
                                 f"={src.xref(row, 8)}", accounted, holds, Y.COUNT))
        return checks

    def _checks(self) -> None:
        s = self.sheets[CHECKS]
        f = self.fmt
        self.checks = self._build_checks()
        s.titles([(CHECKS, "heading"),
                  ("Each reconciliation is a formula: TRUE when its two figures agree to the cent. A check that "
                   "does not hold is explained in Note.", "note")])
        header = 3
        s.headers(header, ["#", "Check", "First figure", "Value", "Second figure", "Value", "Holds", "Note"])
        first = header + 1
        for i, c in enumerate(self.checks):
            row = first + i
            s.number(row, 0, i + 1, f.count_top)
            s.text(row, 1, c.text, f.wrap, fit=0.8)
            s.text(row, 2, c.a_label, f.wrap, fit=0.6)
            fmt = f.count_top if c.num_format == Y.COUNT else f.money(c.num_format, valign_top=True)
            for col, formula, value in ((3, c.a_formula, c.a_value), (5, c.b_formula, c.b_value)):
                if formula is None:
                    s.number(row, col, value, fmt, c.num_format)
                else:
                    s.formula(row, col, formula, value, fmt, c.num_format)
            s.text(row, 4, c.b_label, f.wrap, fit=0.6)
            s.formula(row, 6, f"=ROUND({s.cell(row, 3)}-{s.cell(row, 5)},2)=0", c.holds, f.boolean)
            s.text(row, 7, c.note, f.wrap, fit=0.4)
        last = first + max(len(self.checks), 1) - 1
        self.check_rows = (first, last)
        # No conditional colouring here: LibreOffice 7.4 crashes rendering a row that has both a conditional
        # format and a wrapped cell (docs/workbook.md); the wrapped texts matter more for print.
        s.finish(header_last=header, freeze=(first, 2))

    # ------------------------------------------------------------------------------ Published vs computed
    def _published(self) -> None:
        s = self.sheets[PUBLISHED]
        f = self.fmt
        frame = compare(self.report, self.published_dir)
        s.titles([(PUBLISHED, "heading"),
                  (f"The published tables ({self.published_dir.name}) beside the figures computed here. Computed "
                   "links to the table cell; Difference = Computed − Published. Label: the rule that explains a "
                   "difference, or flags the published report's own inconsistency.", "note")])
        header = 3
        s.headers(header, ["Table", "Row", "Column", "Unit", "Published", "Computed", "Difference", "Rule",
                           "Label"])
        row = header
        for rec in frame.itertuples(index=False):
            row += 1
            num_format = Y.PERCENT if rec.unit == "%" else Y.MONEY
            fmt = f.money(num_format)
            s.text(row, 0, rec.table, f.text)
            s.text(row, 1, rec.row, f.text)
            s.text(row, 2, rec.column, f.text)
            s.text(row, 3, rec.unit, f.text)
            if pd.notna(rec.published):
                s.number(row, 4, float(rec.published), fmt, num_format)
            else:
                s.blank(row, 4, fmt)
            if pd.notna(rec.computed):
                value = float(rec.computed)
                if rec.cell in self.cells:
                    s.formula(row, 5, f"={self.xref(rec.cell)}", value, fmt, num_format)
                else:
                    s.number(row, 5, value, fmt, num_format)
                s.formula(row, 6, f"={s.cell(row, 5)}-{s.cell(row, 4)}", float(rec.difference), fmt,
                          num_format)
            else:
                s.blank(row, 5, fmt)
                s.blank(row, 6, fmt)
            s.text(row, 7, rec.rules, f.wrap, fit=0.8)
            s.text(row, 8, rec.label, f.wrap, fit=0.35)
        extra = notes(self.published_dir)
        if extra:
            row += 2
            s.text(row, 0, f"As listed with the published tables ({extra[0]}):", f.title, fit=0)
            for line in extra[1:]:
                row += 1
                s.text(row, 0, line, fit=0)
        s.finish(header_last=header, freeze=(header + 1, 3))

    # --------------------------------------------------------------------------------------- Problems
    def _problems(self) -> None:
        s = self.sheets[PROBLEMS]
        f = self.fmt
        s.titles([(PROBLEMS, "heading"), ("Warnings and notes found while reading and checking the inputs.", "note")])
        header = 3
        s.headers(header, ["Severity", "Code", "File", "Sheet", "Row", "Column", "Value", "Problem", "How to fix"])
        for i, p in enumerate(self.report.problems):
            row = header + 1 + i
            values = (p.severity, p.code, p.file, p.sheet, p.row, p.column, p.value, p.message, p.hint)
            for col, value in enumerate(values):
                if col == 4:
                    if value is None:
                        s.blank(row, col, f.text)
                    else:
                        s.number(row, col, int(value), f.text)
                else:
                    s.text(row, col, value, f.wrap if col >= 7 else f.text, fit=0.5 if col >= 6 else 1)
        s.finish(header_last=header, freeze=(header + 1, 0))


def write_workbook(report, path: Path, published: Path | None = None, ledger_detail: str = "auto") -> Path:
    """Write the report workbook atomically to ``path``; with ``published`` (a folder of the published
    tables as CSV) add the "Published vs computed" sheet.

    ``ledger_detail`` (``auto``, ``all``, ``summary``) says what the Ledger sheet holds (`layout.ledger_sheet_lines`);
    when it is summarised, every line is also written to ``<workbook>-ledger.csv`` beside the workbook.
    """
    from concurrent.futures import ThreadPoolExecutor

    path = Path(path)
    lines, summarised = Y.ledger_sheet_lines(report, ledger_detail)
    detail = Y.detail_csv_path(path) if summarised else None
    with ThreadPoolExecutor(max_workers=1) as pool:
        # pyarrow writes the full ledger CSV without holding the GIL: on a second core, beside XlsxWriter
        detail_written = pool.submit(write_ledger_csv, report.ledger, detail) if detail is not None else None
        with atomic_path(path) as tmp:
            book = _Book(report, tmp, None if published is None else Path(published), lines, detail)
            book.write()
            book.close()
        if detail_written is not None:
            detail_written.result()
    return path
