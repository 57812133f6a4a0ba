"""Assemble the workbook: the sheets in a fixed, visible order, as XlsxWriter's packager assembles parts.

Sheets are created in reading order (`reading_order`), then filled in dependency order (`_fill`): the Ledger
and the reference sheets first (their defined names are what the tables' formulas use), then the tables
(each from its spec), then the sheets that link to table cells (Checks, Published vs computed), and the
Cover last (it counts the checks). The order of filling is also the order of the shared strings, so it is
part of what makes the same inputs give the same bytes.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import collector
from ..csvfiles import is_ledger_csv, write_ledger_csv
from ..outputs import OutputSet, staged
from ..published import notes
from ..tables import TABLES
from . import (changes_sheet, checks_sheet, cover, duplicates, ledger_sheet, problems_sheet, published_sheet, reference_sheets,
               sources)
from .book import Book, Options


def reading_order(report, options: Options) -> list[str]:
    """The sheets a reader sees, left to right; a sheet with nothing to show is left out."""
    names = [cover.NAME, *(spec.title for spec in TABLES), checks_sheet.NAME]
    if options.since is not None:
        names.append(changes_sheet.NAME)
    if options.published is not None:
        names.append(published_sheet.NAME)
        if notes(options.published):
            names.append(published_sheet.NOTES)
    names += [ledger_sheet.NAME, *reference_sheets.sheets(report.reference)]
    if not report.duplicates.empty:
        names.append(duplicates.DUPLICATES)
    if duplicates.rejected(report):
        names.append(duplicates.REJECTED)
    names.append(sources.NAME)
    if problems_sheet.shown(report):
        names.append(problems_sheet.NAME)
    return names


def _fill(book: Book) -> None:
    """Fill every sheet in dependency order (see the module's docstring)."""
    present = book.sheets
    ledger_sheet.write(book)
    for sheet in reference_sheets.sheets(book.ref):
        reference_sheets.write(book, sheet)
    if duplicates.DUPLICATES in present:
        duplicates.write_duplicates(book)
    if duplicates.REJECTED in present:
        duplicates.write_rejected(book)
    sources.write(book, duplicates.DUPLICATES in present)
    for spec in TABLES:
        spec.write_sheet(book)
    checks_sheet.write(book)
    if changes_sheet.NAME in present:
        changes_sheet.write(book)
    if published_sheet.NAME in present:
        published_sheet.write(book)
    if published_sheet.NOTES in present:
        published_sheet.write_notes(book)
    if problems_sheet.NAME in present:
        problems_sheet.write(book)
    cover.write(book)
    present[cover.NAME].ws.activate()


def write_workbook(report, path: Path, published: Path | None = None, ledger_detail: str = "auto",
                   outputs: OutputSet | None = None, since=None) -> Path:
    """Write the report workbook atomically to ``path``; with ``published`` (a folder of the published
    tables as CSV) add the "Published vs computed" sheet.

    ``ledger_detail`` (``auto``, ``all``, ``summary``) says what the Ledger sheet holds
    (`ledger_sheet.ledger_sheet_lines`); when it is summarised, every line is also written to
    ``<workbook>-ledger.csv`` beside the workbook (and a previous run's, when this one is not summarised, is
    removed). ``outputs``: the run's transaction (by default the workbook is its own). ``since`` (a date, the
    last report's): adds the Changes sheet, what arrived after it.
    """
    path = Path(path)
    lines, summarised = ledger_sheet.ledger_sheet_lines(report, ledger_detail)
    detail = ledger_sheet.detail_csv_path(path) if summarised else None
    options = Options(None if published is None else Path(published), ledger_detail, lines, detail, since)
    with staged(outputs) as out, ThreadPoolExecutor(max_workers=1) as pool, collector.paused():
        # pyarrow writes the full ledger CSV without holding the GIL: on a second core, beside XlsxWriter
        detail_written = pool.submit(write_ledger_csv, report.ledger_cents, detail, out) if detail is not None else None
        stale = ledger_sheet.detail_csv_path(path)
        if detail is None and is_ledger_csv(stale):
            out.remove(stale)  # a previous run's full ledger, which this workbook does not go with
        book = Book(report, out.stage(path), options)
        book.add_sheets(reading_order(report, options))
        _fill(book)
        book.close()
        if detail_written is not None:
            detail_written.result()
    return path


