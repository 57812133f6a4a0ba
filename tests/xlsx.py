"""Write small export workbooks for reader tests (openpyxl, as a stand-in for IOM's system)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

HEADER = ["Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account", "Partner", "Assignment",
          "Currency", "Amount (Doc. Curr.)", "Amount (USD)", "Text"]


def _as_text(ws) -> None:
    """Strings beginning with "=" are data in an export, never formulas (openpyxl would make them formulas)."""
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def row(doc="1900000001", item=1, date=dt.date(2012, 3, 1), doc_type="DZ", fund="TS", account="400100",
        partner="Canada", assignment="2012", currency="USD", amount_doc=None, usd=1000.0, text="") -> list:
    return [doc, item, date, doc_type, fund, account, partner, assignment, currency,
            usd if amount_doc is None else amount_doc, usd, text]


def write_export(path: Path, rows: list[list], header=HEADER, title=("IOM Financial Systems", "Run date: 05/04/2012",
                 ""), total="Grand Total", sheet="Line Items", number_formats: dict | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for line in title:
        ws.append([line] if line else [])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # data, as IOM's system writes it: openpyxl would store a formula
    if total:
        ws.append([])
        usd = header.index("Amount (USD)") if "Amount (USD)" in header else len(header) - 2
        cells = [None] * len(header)
        cells[0] = total
        cells[usd] = sum(r[usd] for r in rows if isinstance(r[usd], (int, float)))
        ws.append(cells)
    _as_text(ws)
    for column, fmt in (number_formats or {}).items():
        for cell in ws[column]:
            cell.number_format = fmt
    wb.save(path)
    return path


def write_reference(path: Path, periods=None, lines=None, accounts=None, scale=None, opening=None,
                    partners=None) -> Path:
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
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(list(r))
        _as_text(ws)
    wb.save(path)
    return path
