"""Write small export and reference workbooks for reader tests, with openpyxl as a stand-in for IOM's system.

The writing is dev/xlsxout.py's (openpyxl engine), shared with the sample and the synthetic history; strings are
always text, never formulas. Files carry the clock in their properties, as any openpyxl file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from decimal import Decimal

from openpyxl.utils import column_index_from_string

from dev.xlsxout import Sheet, dense, export_rows, table_rows, write
from rcm_tables.inputs.values import ParseError, parse_amount

HEADER = ["Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account", "Partner", "Assignment",
          "Currency", "Amount (Doc. Curr.)", "Amount (USD)", "Text"]


def row(doc="1900000001", item=1, date=dt.date(2012, 3, 1), doc_type="DZ", fund="TS", account="400100",
        partner="Canada", assignment="2012", currency="USD", amount_doc=None, usd=1000.0, text="") -> list:
    return [doc, item, date, doc_type, fund, account, partner, assignment, currency,
            usd if amount_doc is None else amount_doc, usd, text]


def write_export(path: Path, rows: list[list], header=HEADER, title=("IOM Financial Systems", "Run date: 05/04/2012",
                 ""), total="Grand Total", sheet="Line Items", number_formats: dict | None = None) -> Path:
    """``number_formats`` maps column letters to a format for the whole column (as a user formats one)."""
    total_cells = None
    if total:  # every header column present, the label in A and the number amounts' sum under Amount (USD)
        usd = header.index("Amount (USD)") if "Amount (USD)" in header else len(header) - 2
        total_cells = [None] * len(header)
        total_cells[0] = total
        total_cells[usd] = _footing(r[usd] for r in rows)
    formats = {column_index_from_string(c) - 1: fmt for c, fmt in (number_formats or {}).items()}
    cells = dense(export_rows(header, rows, title, total_cells))  # dense: the files these tests always had
    write(path, [Sheet(sheet, cells, column_formats=formats)])
    return path


def _footing(cells) -> Decimal:
    """The Total row's amount: the exact sum of the amounts the reader can read (as the system foots them)."""
    cents = 0
    for cell in cells:
        try:
            cents += parse_amount(cell)
        except ParseError:
            pass
    return Decimal(cents).scaleb(-2)


def write_reference(path: Path, periods=None, lines=None, accounts=None, scale=None, opening=None,
                    partners=None, column_aliases=None) -> Path:
    """A small reference workbook: periods 2011-2013 of 1,000.00, members Canada (60 %) and Mexico (40 %)."""
    years = (2011, 2012, 2013)
    sheets = {
        "Periods": (["Period", "Start", "End", "Approved Budget (USD)"], periods or [
            [str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 1000] for y in years]),
        "Budget Lines": (["Period", "Section", "Budget Line", "Approved (USD)"], lines or [
            r for y in years for r in ([str(y), "Staff", "Staff Expenses", 600],
                                       [str(y), "Operational Expenses", "Travel", 400])]),
        "Accounts": (["Period", "G/L Account", "Budget Line"], accounts or [
            [None, "710100", "Staff Expenses"], [None, "760100", "Travel"]]),
        "Scale": (["Fund", "Country", "Share (%)", "Assessed (USD)"], scale or [
            ["TS", "Canada", 60, 600], ["TS", "Mexico", 40, 400], ["RF", "Canada", 60, 60], ["RF", "Mexico", 40, 40]]),
        "Opening Balances": (["Period", "As Of", "Contributions Received (USD)", "Operating Costs (USD)"],
                             opening or []),
        "Partners": (["Partner", "Kind", "Aliases"], partners or [
            ["Canada", "member", ""], ["Mexico", "member", "México"], ["European Union", "donor", "EU"]]),
    }
    if column_aliases is not None:
        sheets["Column Aliases"] = (["Column", "Alias"], column_aliases)
    write(path, [Sheet(name, dense(table_rows(header, rows))) for name, (header, rows) in sheets.items()])
    return path


# ---------------------------------------------------------------- damaged workbooks that are still valid zips


def _rebuild(path: Path, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    import io
    import zipfile

    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename not in drop:
                zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
    path.write_bytes(out.getvalue())
    return path


def _patch_member(path: Path, member: str, patch) -> Path:
    """Change the stored bytes of one zip member in place (``patch(data, local_header_offset, info)``)."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    patch(data, info)
    central = 0
    while (central := data.find(b"PK\x01\x02", central)) >= 0:  # the central directory's copy of the method
        name_len = struct.unpack("<H", data[central + 28:central + 30])[0]
        if bytes(data[central + 46:central + 46 + name_len]) == member.encode() and patch is _method_99:
            data[central + 10:central + 12] = (99).to_bytes(2, "little")
        central += 4
    path.write_bytes(bytes(data))
    return path


def _corrupt_deflate(data: bytearray, info) -> None:
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    for i in range(start, start + 20):
        data[i] ^= 0x55


def _method_99(data: bytearray, info) -> None:
    data[info.header_offset + 8:info.header_offset + 10] = (99).to_bytes(2, "little")


SHEET_PART = "xl/worksheets/sheet1.xml"


def _sheet(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(SHEET_PART)


# name -> how to damage a good workbook (written by openpyxl) so that it is still a zip but not a workbook
DAMAGES = {
    "sheet-xml-cut-short": lambda p: _rebuild(p, {SHEET_PART: _sheet(p)[: len(_sheet(p)) // 2]}),
    "sheet-xml-garbage": lambda p: _rebuild(p, {SHEET_PART: b"\x00\x01 not xml"}),
    "sheet-part-missing": lambda p: _rebuild(p, drop=(SHEET_PART,)),
    "workbook-part-missing": lambda p: _rebuild(p, drop=("xl/workbook.xml",)),
    "relationships-missing": lambda p: _rebuild(p, drop=("xl/_rels/workbook.xml.rels",)),
    "styles-xml-garbage": lambda p: _rebuild(p, {"xl/styles.xml": b"<styleSheet><numFmts"}),
    "bad-cell-reference": lambda p: _rebuild(p, {SHEET_PART: _sheet(p).replace(b'r="A1"', b'r="A!1"', 1)}),
    "bad-number-cell": lambda p: _rebuild(p, {SHEET_PART: _sheet(p).replace(b"<v>", b"<v>x", 3)}),
    "no-parts-at-all": lambda p: _rebuild(p, drop=tuple(__import__("zipfile").ZipFile(p).namelist())),
    "corrupt-deflate-stream": lambda p: _patch_member(p, SHEET_PART, _corrupt_deflate),
    "unknown-compression-method": lambda p: _patch_member(p, SHEET_PART, _method_99),
}


def contract_folder(root: Path) -> Path:
    """``root`` with an empty exports/ folder and the contract's reference.xlsx beside it."""
    (root / "exports").mkdir()
    write_reference(root / "reference.xlsx")
    return root


def load_folder(folder: Path, **kw):
    """`rcm_tables.load` of a folder made by `contract_folder`."""
    import rcm_tables

    return rcm_tables.load(folder / "exports", folder / "reference.xlsx", **kw)
