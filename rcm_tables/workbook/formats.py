"""The workbook's cell formats: number formats, and the styles every sheet shares (created once per book)."""
from __future__ import annotations


from .. import money as M
from ..tables.formulas import PERCENT, long_date  # what a table's sheet declares; re-exported for the sheets

AMOUNT = M.AMOUNT
DATE = "yyyy-mm-dd"
COUNT = "#,##0"
MIN_WIDTH, MAX_WIDTH = 6, 68  # a SHA-256 (64 characters) fits
LINE_HEIGHT = 15  # points per line of the default 11-point font


class Formats:
    """The formats of one book, in a fixed order (the same inputs give the same bytes)."""

    def __init__(self, wb):
        def add(**props):
            return wb.add_format(props)

        self.heading = add(bold=True, font_size=14)
        self.title = add(bold=True, font_size=12)
        self.subtitle = add(italic=True)
        self.note = add(italic=True, font_color="#555555")
        self.bold = add(bold=True)
        self.bold_top = add(bold=True, valign="top")
        self.header = add(bold=True, bg_color="#DCE6F1", border=1, text_wrap=True, valign="vcenter", align="center")
        self.text = add(border=1)
        self.text_top = add(border=1, valign="top")
        self.indent = add(border=1, indent=1)
        self.section = add(border=1, bold=True)
        self.wrap = add(border=1, text_wrap=True, valign="top")
        self.wrap_indent = add(border=1, text_wrap=True, valign="top", align="left", indent=1)  # text beside a right-aligned figure
        self.total_text = add(bold=True, border=1, top=2)
        self.count = add(border=1, num_format=COUNT)
        self.date = add(num_format=DATE)
        self.date_cell = add(border=1, num_format=DATE, bold=True)
        self.date_text = add(border=1, num_format=DATE)
        self.amount = add(num_format=AMOUNT)
        self.grey = add(font_color="#808080", italic=True)
        # LibreOffice shows a FALSE result in a General cell as 0; Excel ignores number formats on booleans
        self.boolean = add(border=1, align="center", valign="top", bold=True, num_format='"TRUE";"TRUE";"FALSE"')
        self.count_top = add(border=1, num_format=COUNT, valign="top")
        self.status = add(border=1, align="center", valign="top", bold=True)
        # conditional formats (differential: only what changes)
        self.ok = add(bg_color="#C6EFCE", font_color="#006100")
        self.explained = add(bg_color="#FFEB9C", font_color="#7F6000")
        self.failed = add(bg_color="#FFC7CE", font_color="#9C0006")
        # titles and notes that run past their column: merged across the page and wrapped (`Sheet._heights`)
        top = {"text_wrap": True, "valign": "top"}
        self.wrapped = {id(fmt): add(**props, **top) for fmt, props in (
            (self.heading, {"bold": True, "font_size": 14}), (self.title, {"bold": True, "font_size": 12}),
            (self.subtitle, {"italic": True}), (self.note, {"italic": True, "font_color": "#555555"}),
            (self.bold, {"bold": True}), (None, {}))}
        self._money: dict[tuple[str, bool, bool], object] = {}
        self._wb = wb

    def money(self, num_format: str = M.MONEY, total: bool = False, valign_top: bool = False):
        """A bordered number format, made on first use (the order of first use is the book's order)."""
        key = (num_format, total, valign_top)
        if key not in self._money:
            props = {"num_format": num_format, "border": 1}
            if total:
                props.update(bold=True, top=2)
            if valign_top:
                props["valign"] = "top"
            self._money[key] = self._wb.add_format(props)
        return self._money[key]
