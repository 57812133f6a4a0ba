"""The Sources sheet: how every row of every export was accounted for, and the reference workbook's sheets.

Per export: rows read = in the Ledger (SUMIFS of the Ledger sheet's Lines column) + identical duplicates
(COUNTIFS over the Duplicates sheet) + rejected. The Checks sheet compares the first with the sum of the others.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from xlsxwriter.utility import xl_range

from .. import schemas as S
from ..tables.spec import CellKey
from ..tables import formulas as F
from .sheet import printed_title_only

NAME = "Sources"
L = S.Ledger
HEADERS = ["File", "Kind", "Sheet", "SHA-256", "Rows read", "In the Ledger", "Identical duplicates", "Rejected",
           "Accounted for", "Status", "Total row (USD)"]
(COL_FILE, COL_KIND, COL_SHEET, COL_SHA, COL_READ, COL_LEDGER, COL_DUPS, COL_REJECTED, COL_ACCOUNTED, COL_STATUS,
 COL_FOOTING) = range(11)


def key(file: str, column: str) -> CellKey:
    return CellKey("sources", file, column)


@dataclass(frozen=True)
class Count:
    """How one export's rows were accounted for, as the Sources sheet computes it."""

    file: str
    rows_read: int
    used: int
    duplicates: int
    rejected: int

    @property
    def accounted(self) -> int:
        return self.used + self.duplicates + self.rejected


def counts(report) -> list[Count]:
    ledger_counts = report.ledger_cents[L.file].value_counts()
    dups = report.duplicates
    dup_counts = dups[L.file].value_counts() if not dups.empty else pd.Series(dtype=int)
    return [Count(x.file, x.rows_read, int(ledger_counts.get(x.file, 0)), int(dup_counts.get(x.file, 0)), x.rejected)
            for x in report.source_counts]


def write(book, has_duplicates_sheet: bool) -> None:
    s = book.sheets[NAME]
    f = book.fmt
    s.titles([("Sources", "heading"),
              ("How every row of every export was accounted for: in the Ledger, an identical duplicate, or "
               "rejected (Status: OK when they add up to the rows read). The Ledger count sums the Ledger sheet's "
               "Lines column (SUMIFS), the Duplicates count is COUNTIFS over that sheet. Total row: the export's own "
               "footing of Amount (USD), which the Checks sheet compares with its lines. The Cover counts the "
               "exports whose rows add up." + printed_title_only(len(book.report.source_counts), "exports"),
               "note")])
    header = 3
    s.headers(header, HEADERS)
    row = header
    for source, count in zip(book.report.source_counts, counts(book.report)):
        row += 1
        s.text(row, COL_FILE, source.file, f.text)
        s.text(row, COL_KIND, "export", f.text)
        s.text(row, COL_SHEET, source.sheet, f.text)
        s.text(row, COL_SHA, source.sha256, f.text, fit=0.5)
        s.number(row, COL_READ, source.rows_read, f.count)
        crit = F.eq(s.cell(row, COL_FILE, col_abs=True), source.file)
        s.formula(row, COL_LEDGER, f"=SUMIFS(Ledger_Lines,Ledger_File,{crit})", count.used, f.count)
        if has_duplicates_sheet:
            s.formula(row, COL_DUPS, f"=COUNTIFS(Duplicates_File,{crit})", count.duplicates, f.count)
        else:
            s.number(row, COL_DUPS, 0, f.count)
        s.number(row, COL_REJECTED, source.rejected, f.count)
        s.formula(row, COL_ACCOUNTED, f"=SUM({xl_range(row, COL_LEDGER, row, COL_REJECTED)})", count.accounted,
                  f.count)
        status = "OK" if count.accounted == source.rows_read else "FAILED"
        s.formula(row, COL_STATUS, f'=IF({s.cell(row, COL_READ)}={s.cell(row, COL_ACCOUNTED)},"OK","FAILED")',
                  status, f.status)
        footing = getattr(source, "footing", None)
        if footing is None:
            s.blank(row, COL_FOOTING, f.money())
        else:
            s.money(row, COL_FOOTING, footing)
            book.place(key(source.file, "footing"), s, row, COL_FOOTING)
        book.place(key(source.file, "rows_read"), s, row, COL_READ)
        book.place(key(source.file, "accounted"), s, row, COL_ACCOUNTED)
    ref = book.ref
    row = _published_files(book, s, row)
    for sheet, rows_read in ref.rows_read.items():
        row += 1
        s.text(row, COL_FILE, ref.file, f.text)
        s.text(row, COL_KIND, "reference", f.text)
        s.text(row, COL_SHEET, sheet, f.text)
        s.text(row, COL_SHA, ref.sha256, f.text, fit=0.5)
        s.number(row, COL_READ, rows_read, f.count)
    last = header + max(len(book.report.source_counts), 1)
    book.define("Sources_Status", s, header + 1, COL_STATUS, len(book.report.source_counts))
    status_colours(book, s, header + 1, COL_STATUS, last)
    s.finish(header_last=header, freeze=(header + 1, 1), print_rows=2)


def _published_files(book, s, row: int) -> int:
    """The published tables compared with (`--published`): each file with its SHA-256, for `rcm-tables verify`."""
    import hashlib

    folder = book.options.published
    if folder is None:
        return row
    f = book.fmt
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        row += 1
        s.text(row, COL_FILE, path.name, f.text)
        s.text(row, COL_KIND, "published", f.text)
        s.text(row, COL_SHEET, "", f.text)
        s.text(row, COL_SHA, hashlib.sha256(path.read_bytes()).hexdigest(), f.text, fit=0.5)
    return row


def status_colours(book, s, first: int, col: int, last: int) -> None:
    """OK green, EXPLAINED amber, FAILED red: cell-value rules, which LibreOffice renders beside wrapped text."""
    for value, fmt in (("OK", book.fmt.ok), ("EXPLAINED", book.fmt.explained), ("FAILED", book.fmt.failed)):
        s.ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{value}"',
                                                        "format": fmt})
