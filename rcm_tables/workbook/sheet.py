"""The sheet facade: what a layout writes (text, numbers, money, formulas with their cached values), and the
column widths and row heights fitted to what was written. Layouts never call xlsxwriter directly.
"""
from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from .. import money as M
from .fastsheet import TEXT, add_worksheet, write_block, writers
from .formats import AMOUNT, LINE_HEIGHT, MAX_WIDTH, MIN_WIDTH, PERCENT

PAPER_A4 = 9
PRINT_SCALE = 75  # of the 11-point font: 8.25 points, the smallest text a page may have
MARGIN_INCHES = 0.4  # left and right: a wide table keeps its 8 points
PAGE_WIDTH_POINTS = 842 - 2 * 72 * MARGIN_INCHES  # A4 landscape less the margins
POINTS_PER_CHARACTER = 7.5  # one unit of column width at 100 %, as LibreOffice prints it (measured: 7.4)
DEFAULT_WIDTH = 8.43


LISTED_ROWS = 30  # a reference sheet longer than this is a listing: its title and note print, not its rows


def printed_title_only(rows: int, what: str = "rows") -> str:
    """The sentence a listing's note ends with: what printing it gives (`Sheet.finish(print_rows=...)`)."""
    return f" Printing gives the lines above only: the {rows:,} {what} below are on screen."


def shown_width(value, num_format: str = "") -> int:
    """Roughly how many characters a value takes on screen, to fit the column."""
    if value.__class__ is str:  # most cells: its longest line
        return len(value) if "\n" not in value else max(len(line) for line in value.split("\n"))
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        if num_format == PERCENT:
            return len(f"{value:.2f}%")
        if num_format in (M.MONEY, M.MONEY_WHOLE, AMOUNT):
            return len(f"{abs(value):,.2f}") + 3
        return len(f"{value:,}") if isinstance(value, int) else len(f"{value:,.2f}")
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


def lines_needed(text: str, width: int) -> int:
    """How many lines a wrapped text takes in a column ``width`` characters wide."""
    room = max(width - 1, 1)
    return sum(max(1, -(-len(line) // room)) for line in str(text).split("\n"))


class Widths:
    """The widest content of each column of a sheet (headers wrap, so they count less)."""

    def __init__(self):
        self.widths: dict[int, int] = {}

    def see(self, col: int, value, num_format: str = "", weight: float = 1.0) -> None:
        width = min(int(shown_width(value, num_format) * weight) + 2, MAX_WIDTH)
        seen = self.widths.get(col)
        if seen is None:
            self.widths[col] = max(width, MIN_WIDTH)
        elif width > seen:
            self.widths[col] = width

    def cap(self, col: int, most: int) -> None:
        self.widths[col] = min(self.widths.get(col, 10), most)

    def items(self):
        return sorted(self.widths.items())


class Sheet:
    """One worksheet of a `Book`, with helpers that fit the column widths to what is written."""

    def __init__(self, book, name: str):
        self.book = book
        self.fmt = book.fmt
        self.name = name
        self.ws = add_worksheet(book.wb, name)
        self._put = writers(self.ws)  # XlsxWriter's write_* (without their A1-notation wrapper where it may)
        self.widths = Widths()
        self.wrapped: list[tuple[int, int, str]] = []  # (row, col, text): rows are made tall enough at the end
        self.spanning: list[tuple[int, int, str, object]] = []  # titles and notes: wrapped across the page at the end
        self.filled: dict[int, set[int]] = {}  # row -> the columns written (where a spanning text must stop)
        self.last_row = self.last_col = 0  # the extent written: the print area

    # references --------------------------------------------------------------------------------------
    @staticmethod
    def cell(row: int, col: int, row_abs: bool = False, col_abs: bool = False) -> str:
        return xl_rowcol_to_cell(row, col, row_abs, col_abs)

    def xref(self, row: int, col: int) -> str:
        """An absolute reference to a cell of this sheet from another sheet."""
        return f"{quote_sheetname(self.name)}!{xl_rowcol_to_cell(row, col, True, True)}"

    # writing -----------------------------------------------------------------------------------------
    def extent(self, row: int, col: int) -> None:
        """Note that a cell was written (for the print area); the Ledger, written directly, says its own extent."""
        if row > self.last_row:
            self.last_row = row
        if col > self.last_col:
            self.last_col = col
        columns = self.filled.get(row)
        if columns is None:
            self.filled[row] = {col}
        else:
            columns.add(col)

    def text(self, row: int, col: int, value: str, fmt=None, fit: float = 1.0) -> None:
        """Text from anywhere (an export included) is written as a string: it never becomes a formula."""
        self.extent(row, col)
        value = "" if value is None else str(value)
        if value == "":
            if fmt is not None:
                self._put.blank(row, col, None, fmt)
            return
        self._put.string(row, col, value, fmt)
        if fit:
            self.widths.see(col, value, weight=fit)
        elif not (fmt is not None and fmt.text_wrap):
            self.spanning.append((row, col, value, fmt))  # a title or a note: wraps across the page (`_span`)
        if fmt is not None and fmt.text_wrap:
            self.wrapped.append((row, col, value))

    def number(self, row: int, col: int, value, fmt=None, num_format: str = "") -> None:
        self.extent(row, col)
        self._put.number(row, col, value, fmt)
        self.widths.see(col, value, num_format)

    def date(self, row: int, col: int, day: dt.date, fmt) -> None:
        self.extent(row, col)
        self._put.datetime(row, col, dt.datetime.combine(day, dt.time()), fmt)
        self.widths.see(col, day)

    def money(self, row: int, col: int, cents, num_format: str = M.MONEY, total: bool = False) -> None:
        self.number(row, col, M.dollars(cents), self.fmt.money(num_format, total), num_format)

    def formula(self, row: int, col: int, formula: str, value, fmt=None, num_format: str = "") -> None:
        """A formula with the value pandas computed as its cached result."""
        self.extent(row, col)
        self._put.formula(row, col, formula, fmt, value)
        self.widths.see(col, value, num_format)

    def money_formula(self, row: int, col: int, formula: str, cents, num_format: str = M.MONEY,
                      total: bool = False) -> None:
        self.formula(row, col, formula, M.dollars(cents), self.fmt.money(num_format, total), num_format)

    def rows(self, first_row: int, rows: list, kinds: list[str], formats: list, num_formats: list[str]) -> None:
        """Rows of plain values (`fastsheet.write_block`), each cell counted as `text` (fitted at full width) and
        `number` count theirs: the extent, and the column widths (a column's widest value decides)."""
        write_block(self.ws, first_row, rows, kinds, formats)
        if not rows:
            return
        for row in range(first_row, first_row + len(rows)):
            self.extent(row, len(kinds) - 1)
            self.filled[row].update(range(len(kinds)))
        for col, (kind, shown) in enumerate(zip(kinds, num_formats)):
            values = [v for v in (values[col] for values in rows) if v is not None and not (kind == TEXT and v == "")]
            if values:  # `Widths.see` of every value: the widest one's
                self.widths.see(col, max(values, key=lambda v: shown_width(v, shown)), shown)

    def merged(self, first_row: int, first_col: int, last_row: int, last_col: int, text: str, fmt) -> None:
        """A merged block holding text (written as a string; its width spans several columns, so no fitting)."""
        self.extent(last_row, last_col)
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merge_range(first_row, first_col, last_row, last_col, "", fmt)
        self.ws.write_string(first_row, first_col, text, fmt)

    def blank(self, row: int, col: int, fmt) -> None:
        self.extent(row, col)
        self._put.blank(row, col, None, fmt)

    def headers(self, row: int, labels: list[str], first_col: int = 0) -> None:
        for col, label in enumerate(labels, start=first_col):
            self.text(row, col, label, self.fmt.header, fit=0.6)  # headers wrap, but never inside a word
            self.widths.see(col, max(label.split() or [""], key=len), weight=1.15)

    def titles(self, lines: list[tuple[str, str]]) -> int:
        """Title lines from the top (text, style name); returns the next free row."""
        for row, (text, style) in enumerate(lines):
            self.text(row, 0, text, getattr(self.fmt, style), fit=0)
        return len(lines)

    def finish(self, header_last: int | None = None, freeze: tuple[int, int] | None = None,
               one_page: bool = False, keep_columns: int = 1, scale: int = PRINT_SCALE,
               bands: list[tuple[int, int]] | None = None, print_rows: int | None = None) -> None:
        """Column widths, row heights, panes and the page: A4 landscape, the header rows repeated, a footer with
        the sheet's name and "page N of M". A sheet that fits the page's width at ``scale`` % or more is fitted to
        it; a wider one prints at ``scale`` %, its first ``keep_columns`` columns repeated on each page and the
        groups of columns in ``bands`` (first, last) kept together on one page (``one_page``: the whole sheet on
        one page, as the Cover). ``print_rows``: a listing, of which only the first rows (its title and note) are
        printed. Titles and notes wrap across the columns printed beside them."""
        widths = dict(self.widths.items())
        for col, width in widths.items():
            self.ws.set_column(col, col, width)
        room = PAGE_WIDTH_POINTS / (POINTS_PER_CHARACTER * scale / 100)  # characters across a page at ``scale``
        total = sum(widths.get(col, DEFAULT_WIDTH) for col in range(self.last_col + 1))
        wide = not one_page and total > room
        last_col = self.last_col if print_rows is None else self._fitting(widths, room)
        # titles and notes span the columns printed with them: the repeated ones of a banded sheet, else the page
        span_last = keep_columns - 1 if bands and wide else (self._fitting(widths, room) if wide else last_col)
        heights = self._heights(widths, span_last)
        for row, points in sorted(heights.items()):
            self.ws.set_row(row, points)
        if freeze is not None:
            self.ws.freeze_panes(*freeze)
        if header_last is not None and print_rows is None:
            self.ws.repeat_rows(0, header_last)
        self._page(one_page or print_rows is not None, wide and print_rows is None, keep_columns, scale,
                   self._breaks(widths, room, keep_columns, bands or []), print_rows, last_col)

    def _fitting(self, widths: dict[int, float], room: float) -> int:
        """The last column that still fits on one page across."""
        used, col = 0.0, 0
        while col < self.last_col and used + widths.get(col, DEFAULT_WIDTH) + widths.get(col + 1, DEFAULT_WIDTH) <= room:
            used += widths.get(col, DEFAULT_WIDTH)
            col += 1
        return col

    def _heights(self, widths: dict[int, float], span_last: int) -> dict[int, float]:
        """Row heights (points) for wrapped cells, and each title or note that does not fit its column merged
        across the columns up to ``span_last`` (or the next cell written in its row) and wrapped there:
        xlsxwriter does not size rows, LibreOffice keeps the stored height, and a text running past the print
        area is cut at the page's edge (or prints over the repeated columns)."""
        lines: dict[int, float] = {}
        for row, col, text in self.wrapped:
            lines[row] = max(lines.get(row, 0), lines_needed(text, widths.get(col, 8)) * LINE_HEIGHT)
        for row, col, text, fmt in self.spanning:
            wrapped = self.fmt.wrapped.get(id(fmt))
            if wrapped is None:
                continue
            later = [c for c in self.filled.get(row, ()) if c > col]
            end = max(col, min([span_last, *(c - 1 for c in later)]))
            width = sum(widths.get(c, DEFAULT_WIDTH) for c in range(col, end + 1))
            if len(text) + 1 <= width and "\n" not in text:
                continue  # it fits: nothing to do
            if end > col:
                self.ws.merge_range(row, col, row, end, "", wrapped)
            self.ws.write_string(row, col, text, wrapped)
            size = getattr(fmt, "font_size", 11) or 11
            lines[row] = max(lines.get(row, 0), lines_needed(text, int(width * 0.9)) * LINE_HEIGHT * size / 11)
        return {row: points for row, points in lines.items() if points > LINE_HEIGHT}

    @staticmethod
    def _breaks(widths: dict[int, float], room: float, keep_columns: int, bands: list[tuple[int, int]]) -> list[int]:
        """Page breaks (the column each page starts at) that keep each band of columns on one page."""
        kept = sum(widths.get(c, DEFAULT_WIDTH) for c in range(keep_columns))
        breaks, used = [], 0.0
        for first, last in bands:
            width = sum(widths.get(c, DEFAULT_WIDTH) for c in range(first, last + 1))
            if used and kept + used + width > room:
                breaks.append(first)
                used = 0.0
            used += width
        return breaks

    def _page(self, one_page: bool, wide: bool, keep_columns: int, scale: int, breaks: list[int],
              print_rows: int | None, last_col: int) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(PAPER_A4)
        ws.set_margins(left=MARGIN_INCHES, right=MARGIN_INCHES, top=0.6, bottom=0.6)
        ws.set_footer("&L&A&RPage &P of &N")
        ws.print_area(0, 0, self.last_row if print_rows is None else print_rows - 1, last_col)
        if one_page:
            ws.fit_to_pages(1, 1)
        elif not wide:
            ws.fit_to_pages(1, 0)  # fitting makes it no smaller than ``scale``
        else:
            ws.set_print_scale(scale)
            ws.repeat_columns(0, keep_columns - 1)
            if breaks:
                ws.set_v_pagebreaks(breaks)
