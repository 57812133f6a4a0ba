"""The one writer of workbooks shaped like IOM's line-item exports, and of reference workbooks.

The sample (``dev/sample.py``), the synthetic history (``dev/history.py``) and the tests' helpers
(``tests/xlsx.py``, ``tests/bigexport.py``) describe what they want the same way and write it here:

* a workbook is a list of :class:`Sheet`; a sheet is rows of cells from column A; a cell is a plain value or
  a :class:`Cell` (a value with a number format, bold, a font size); ``None`` is an empty cell and ``[]`` a
  blank row. Strings are always text, never formulas: ``=HYPERLINK(...)`` in an export is data.
* :func:`export_rows` lays out an export: the title block, the header in any column order, the line rows
  (lists in header order, or mappings from column name to cell), a blank row and the Total row;
  :func:`table_rows` a reference sheet's header and rows.
* :func:`date_cell`, :func:`amount_cell` and :func:`code_cell` give the cell forms exports use: date cells,
  Excel serials and ``dd/mm/yyyy`` text; amounts as numbers or text (``1,234.56``, ``(1,234.56)``,
  ``-1,234.56``); document numbers and accounts as numbers or as text.
* :func:`write` renders the sheets with one of three engines, each the bytes its callers have always had:
  ``openpyxl`` (the sample and the tests), ``xlsxwriter`` (the synthetic history: fast) and ``stream``
  (sheet XML streamed into the zip, for exports of a million lines; no styles, rows may be a generator).
  With :class:`Properties` the document properties and zip times are fixed, so the same call gives the
  same bytes; without, openpyxl and the zip stamp the clock, as a real export would.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

EXCEL_EPOCH = dt.date(1899, 12, 30)
MONEY = "#,##0.00"
NUMBER = (int, float, Decimal)


class Cell(NamedTuple):
    """A value with its look; a plain value in a row is a cell without one."""
    value: Any
    number_format: str | None = None
    bold: bool = False
    size: float | None = None  # font size; None: the default


@dataclass
class Sheet:
    name: str
    rows: Iterable[Sequence]  # from row 1; read once (a generator is fine: the stream engine writes as it goes)
    widths: dict[int, float] = field(default_factory=dict)  # column (0-based) -> width
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, col, last row, col (0-based)
    freeze: tuple[int, int] | None = None  # rows and columns kept in view
    # a number format for whole columns (0-based), set after the cells as a user formats a column: every
    # cell from row 1 to the last row, empty ones included (openpyxl only)
    column_formats: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Properties:
    """Fixed document properties, for the same bytes from the same call."""
    created: dt.datetime  # also the modified time
    author: str | None = None
    title: str | None = None
    zip_time: tuple = (1980, 1, 1, 0, 0, 0)  # openpyxl's zip entries (xlsxwriter fixes its own)


# ---------------------------------------------------------------- cell forms


def date_cell(day: dt.date, form: str = "cell", number_format: str = "dd/mm/yyyy"):
    """A posting date as ``cell`` (a date cell), ``serial`` (its Excel serial, General format), ``dmy_text`` or
    ``iso_text``."""
    if form == "cell":
        return Cell(day, number_format)
    if form == "serial":
        return (day - EXCEL_EPOCH).days
    if form in ("dmy_text", "iso_text"):
        return day.strftime("%d/%m/%Y" if form == "dmy_text" else "%Y-%m-%d")
    raise ValueError(f"unknown date form {form!r}")


def amount_cell(cents: int, form: str = "number", number_format: str = MONEY):
    """An amount as ``number`` (exact, two decimals), or text with thousands separators and negatives as
    ``paren_text`` ``(1,234.56)`` or ``minus_text`` ``-1,234.56``."""
    if form == "number":
        return Cell(Decimal(cents).scaleb(-2), number_format) if number_format else Decimal(cents).scaleb(-2)
    if form not in ("paren_text", "minus_text"):
        raise ValueError(f"unknown amount form {form!r}")
    text = f"{Decimal(abs(cents)).scaleb(-2):,.2f}"
    if cents >= 0:
        return text
    return f"({text})" if form == "paren_text" else f"-{text}"


def code_cell(code: int | str, numeric: bool):
    """A document number or G/L account: a number cell, or its digits as text."""
    return int(code) if numeric else str(code)


# ---------------------------------------------------------------- layouts


def export_rows(header: Sequence, lines: Iterable, title: Iterable = (), total: Sequence | None = None,
                gap: int = 1) -> Iterator[list]:
    """An export's rows: one row per title entry (None or "" a blank row), the header, the lines, ``gap``
    blank rows and the total row (None: no total). A line is a list in header order, or a mapping from
    column name to cell (missing columns empty)."""
    for entry in title:
        yield [entry] if entry is not None and entry != "" else []
    yield list(header)
    names = [h.value if isinstance(h, Cell) else h for h in header]
    for line in lines:
        if type(line) is list:  # the common case, and the fast one (a million-line export)
            yield line
        else:
            yield [line.get(name) for name in names] if isinstance(line, Mapping) else list(line)
    if total is not None:
        yield from ([] for _ in range(gap))
        yield list(total)


def total_row(label, column: int | None = None, amount=None) -> list:
    """The Total row: the label in column A and, if given, the amount in ``column``."""
    return [label] if column is None else [label] + [None] * (column - 1) + [amount]


def dense(rows: Iterable[Sequence]) -> list[list]:
    """Every row padded with empty cells to the widest (one cell at least), as in a workbook visited cell by cell
    before it was saved: openpyxl then writes a blank row inside the used range as an empty row element."""
    rows = [list(row) for row in rows]
    width = max((len(row) for row in rows), default=0) or 1
    return [row + [None] * (width - len(row)) for row in rows] or [[None]]


def table_rows(header: Sequence[str], rows: Iterable[Sequence], formats: Mapping[str, str] | None = None,
               bold_header: bool = False) -> Iterator[list]:
    """A reference sheet's rows: the header, then the rows with each column's number format, if any."""
    yield [Cell(name, bold=True) for name in header] if bold_header else list(header)
    looks = dict(enumerate((formats or {}).get(name) for name in header))
    for row in rows:  # cells past the header stay as they are
        yield [Cell(value, looks[c]) if looks.get(c) else value for c, value in enumerate(row)]


# ---------------------------------------------------------------- writing


def write(path: Path, sheets: Sequence[Sheet], engine: str = "openpyxl",
          properties: Properties | None = None) -> Path:
    """Write ``sheets`` to ``path`` with ``engine`` (openpyxl, xlsxwriter or stream); returns ``path``."""
    writers = {"openpyxl": _write_openpyxl, "xlsxwriter": _write_xlsxwriter, "stream": _write_stream}
    if engine not in writers:
        raise ValueError(f"unknown engine {engine!r}")
    writers[engine](Path(path), sheets, properties)
    return Path(path)


def _parts(cell) -> Cell:
    return cell if isinstance(cell, Cell) else Cell(cell)


# ---------------------------------------------------------------- openpyxl


def _write_openpyxl(path: Path, sheets: Sequence[Sheet], properties: Properties | None) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for n, sheet in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = sheet.name
        _fill_openpyxl(ws, sheet)
    if properties is None:
        wb.save(path)  # the clock in core.xml and the zip, as any openpyxl file
    else:
        _save_fixed(wb, path, properties)


def _fill_openpyxl(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for r, row in enumerate(sheet.rows, 1):
        for c, cell in enumerate(row, 1):
            value, number_format, bold, size = _parts(cell)
            target = ws.cell(row=r, column=c)
            target.value = value
            if isinstance(value, str):
                target.data_type = "s"  # text is data: openpyxl would store "=..." as a formula
            if number_format:
                target.number_format = number_format
            if bold or size:
                target.font = Font(bold=bold or None, size=size)
    for c, width in sheet.widths.items():
        ws.column_dimensions[get_column_letter(c + 1)].width = width
    for first_row, first_col, last_row, last_col in sheet.merges:
        ws.merge_cells(start_row=first_row + 1, start_column=first_col + 1, end_row=last_row + 1,
                       end_column=last_col + 1)
    if sheet.freeze:
        ws.freeze_panes = f"{get_column_letter(sheet.freeze[1] + 1)}{sheet.freeze[0] + 1}"
    for c, number_format in sheet.column_formats.items():
        for target in ws[get_column_letter(c + 1)]:
            target.number_format = number_format


def _save_fixed(wb, path: Path, properties: Properties) -> None:
    """Save, then pin what openpyxl stamps with the clock: core.xml's modified time and the zip times."""
    if properties.author is not None:
        wb.properties.creator = properties.author
    if properties.title is not None:
        wb.properties.title = properties.title
    wb.properties.created = wb.properties.modified = properties.created
    buffer = io.BytesIO()
    wb.save(buffer)
    fixed = properties.created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + fixed + rb"\g<2>",
                              data)
            entry = zipfile.ZipInfo(info.filename, date_time=properties.zip_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # the same bytes on every OS
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------- xlsxwriter


def _write_xlsxwriter(path: Path, sheets: Sequence[Sheet], properties: Properties | None) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    if properties is not None:
        wb.set_properties({key: value for key, value in (("title", properties.title), ("author", properties.author),
                                                         ("created", properties.created)) if value is not None})
    formats: dict[tuple, object] = {}

    def look(number_format, bold, size):
        # one Format per look: xlsxwriter numbers formats by first use, and equal Formats would share a number
        if not (number_format or bold or size):
            return None
        key = (number_format, bold, size)
        if key not in formats:
            spec = {"num_format": number_format, "bold": bold or None, "font_size": size}
            formats[key] = wb.add_format({k: v for k, v in spec.items() if v is not None})
        return formats[key]

    for sheet in sheets:
        if sheet.merges or sheet.column_formats:
            raise ValueError("merges and column formats: openpyxl only")
        ws = wb.add_worksheet(sheet.name)
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                value, number_format, bold, size = _parts(cell)
                _put_xlsxwriter(ws, r, c, value, look(number_format, bold, size))
        for c, width in sheet.widths.items():
            ws.set_column(c, c, width)
        if sheet.freeze:
            ws.freeze_panes(*sheet.freeze)
    wb.close()


def _put_xlsxwriter(ws, r: int, c: int, value, fmt) -> None:
    if value is None or value == "":  # xlsxwriter would store "" as a string: an export has nothing there
        ws.write_blank(r, c, None, fmt)  # nothing at all unless it has a format
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)  # never write(): it would make "=..." a formula
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, NUMBER):
        ws.write_number(r, c, float(value), fmt)  # a double, as Excel stores it ("1234.5", never "1234.50")
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(r, c, value, fmt)
    else:
        raise TypeError(f"cannot write {type(value).__name__} {value!r}")


# ---------------------------------------------------------------- stream

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _package_parts(names: Sequence[str]) -> dict[str, str]:
    """The parts a minimal workbook needs besides its sheets (no styles, no shared strings)."""
    numbers = range(1, len(names) + 1)
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
                     for n in numbers)
    return {
        "[Content_Types].xml": f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>',
        "_rels/.rels": f'{XML}<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
        f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
        + "".join(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>' for n, name in zip(numbers, names))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{RELATIONSHIPS}">'
        + "".join(f'<Relationship Id="rId{n}" Type="{DOCUMENT}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                  for n in numbers) + "</Relationships>",
    }


def _stream_cell(cell) -> str:
    kind = type(cell)  # the common cases first: a million-line export is 12 million cells
    if kind is str:
        return f'<c t="inlineStr"><is><t>{escape(cell)}</t></is></c>'
    if kind is int or kind is Decimal or kind is float:
        return f"<c><v>{cell}</v></c>"  # a Decimal keeps its digits: 12.50 stays "12.50"
    if cell is None:
        return "<c/>"
    if isinstance(cell, Cell):
        if cell.number_format or cell.bold or cell.size:
            raise ValueError("the stream engine writes no styles")
        return _stream_cell(cell.value)
    if isinstance(cell, bool):
        return f'<c t="b"><v>{int(cell)}</v></c>'
    if isinstance(cell, str):
        return _stream_cell(str(cell))
    if isinstance(cell, NUMBER):
        return f"<c><v>{cell}</v></c>"
    raise TypeError(f"the stream engine writes no {type(cell).__name__} (a date: give its serial)")


def _write_stream(path: Path, sheets: Sequence[Sheet], properties: Properties | None) -> None:
    if properties is not None:
        raise ValueError("the stream engine writes no document properties")
    if any(s.widths or s.merges or s.freeze or s.column_formats for s in sheets):
        raise ValueError("the stream engine writes cells only")
    # level 1: a 50 MB export is written in seconds; zip64, as a sheet may pass 4 GB uncompressed
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in _package_parts([s.name for s in sheets]).items():
            z.writestr(name, text)
        for n, sheet in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                out.write(f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
                for row in sheet.rows:
                    out.write(("<row>" + "".join(map(_stream_cell, row)) + "</row>" if row else "<row/>").encode())
                out.write(b"</sheetData></worksheet>")
