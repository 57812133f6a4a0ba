"""What the page shows, put in the shape its template wants: the folder, the problems (verdict first), the builds,
the tables of the latest build (read from its CSVs: the workbook's figures), and the problems as a workbook.

Values from the inputs stay text: the template escapes them, the problems workbook writes them as strings.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from . import builds, uploads
from .folder import Folder

PROBLEM_COLUMNS = (("severity", "Severity"), ("file", "File"), ("sheet", "Sheet"), ("row", "Row"),
                   ("column", "Column"), ("value", "Value"), ("message", "Problem"), ("hint", "How to fix"),
                   ("code", "Code"))


@dataclass(frozen=True)
class HtmlTable:
    name: str
    title: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    main: bool = True  # the table itself, not one of its parts (Table 4's payments)


DOWNLOADS = {"rcm-report.xlsx": "The workbook", "rcm-report.docx": "The report document (English)",
             "rcm-report.es.docx": "The report document (Spanish)", "rcm-report-csv.zip": "The tables as CSV (zip)",
             "rcm-report-statements.zip": "The member statements (zip)"}


def page(folder: Folder) -> dict:
    """Everything the page template needs."""
    glance = folder.glance()
    history = builds.history(folder)
    latest = next((b for b in history if b.latest), history[0] if history else None)
    previous = next((b for b in history if latest is not None and b.stamp < latest.stamp), None)
    errors = len(glance.errors)
    return {
        "folder": folder, "glance": glance, "aside": uploads.set_aside(folder),
        "problems": [problem_row(p) for p in sorted(glance.problems, key=_severity_first)],
        "verdict": _verdict(glance), "ready": glance.ready, "warnings": len(glance.problems) - errors,
        "history": history, "latest": latest,
        "since_build": builds.changes(latest.record.get("inputs", {}), glance.digests) if latest else [],
        "table_changes": builds.table_changes(previous, latest) if previous else None,
        "previous": previous, "tables": tables_of(latest) if latest else [],
        "as_of_default": glance.as_of.isoformat() if glance.as_of else "", "downloads": DOWNLOADS,
    }


def _verdict(glance) -> str:
    errors = len(glance.errors)
    if glance.unusable:
        return "Not ready: the folder cannot be read"
    return "Ready to build" if not errors else f"{errors} error{'s' if errors != 1 else ''}"


def _severity_first(p) -> tuple:
    return (p.severity != "error", p.file, p.sheet, p.row or 0)


# the command line's words in a hint, as the page says them
ON_THE_PAGE = (("pass --as-of ", "set As of (under Build) to "), ("pass an earlier --as-of", "set an earlier As of"))


def problem_row(p) -> dict:
    """A problem's fields as text, its hint in the page's words.

    >>> from rcm_tables.problems import Code, Problem
    >>> problem_row(Problem("warning", Code.RECEIPTS_AFTER_EXPENSES, "m", hint="pass --as-of 2012-10-31 to"))["hint"]
    'set As of (under Build) to 2012-10-31 to'
    """
    values = p.as_dict()
    values["row"] = "" if p.row is None else str(p.row)
    for command_line, page in ON_THE_PAGE:
        values["hint"] = values["hint"].replace(command_line, page)
    return {key: str(values.get(key, "") or "") for key, _label in PROBLEM_COLUMNS}


def tables_of(built: builds.Built) -> list[HtmlTable]:
    """The latest build's tables, in the workbook's order, from its CSV files."""
    from ..tables import TABLES

    found = []
    for spec in TABLES:
        for frame in spec.frames:
            path = built.path / "csv" / f"{frame.name}.csv"
            if not path.is_file():
                continue
            with open(path, newline="", encoding="utf-8") as handle:
                header, *rows = list(csv.reader(handle)) or [[]]
            numeric = [h.endswith(("_usd", "_pct")) for h in header]
            rows = [[money(v) if num else v for v, num in zip(row, numeric)] for row in rows]
            part = frame.name.removeprefix(spec.name).strip("_").replace("_", " ")
            title = f"{spec.title}: {part}" if part else spec.title
            found.append(HtmlTable(frame.name, title, [_heading(h) for h in header], rows, numeric, not part))
    return found


def _heading(name: str) -> str:
    text = name.removesuffix("_usd").removesuffix("_pct").replace("_", " ")
    unit = " (USD)" if name.endswith("_usd") else " (%)" if name.endswith("_pct") else ""
    return text[:1].upper() + text[1:] + unit


def money(text: str) -> str:
    """A decimal as the CSV writes it, with thousands separators (text in, text out: no float).

    >>> money("-1938.78"), money("261483.38"), money("0.00"), money("")
    ('-1,938.78', '261,483.38', '0.00', '')
    """
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, cents = text.partition(".")
    if not whole.isdigit():
        return sign + text
    return f"{sign}{int(whole):,}{dot}{cents}"


def problems_workbook(problems) -> io.BytesIO:
    """The problems as an .xlsx: one row each, every value written as text (never a formula)."""
    import xlsxwriter

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Problems")
    bold = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    widths = (9, 30, 14, 6, 18, 24, 50, 50, 22)
    for col, ((_key, label), width) in enumerate(zip(PROBLEM_COLUMNS, widths)):
        sheet.write_string(0, col, label, bold)
        sheet.set_column(col, col, width, wrap)
    for r, p in enumerate(sorted(problems, key=_severity_first), start=1):
        row = problem_row(p)
        for col, (key, _label) in enumerate(PROBLEM_COLUMNS):
            if key == "row" and row[key]:
                sheet.write_number(r, col, int(row[key]))
            else:
                sheet.write_string(r, col, row[key])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(problems), 1), len(PROBLEM_COLUMNS) - 1)
    book.close()
    data.seek(0)
    return data
