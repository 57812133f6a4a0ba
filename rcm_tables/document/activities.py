"""The activities register (``--activities FILE.xlsx``): Section 1 of the report, and its Introduction.

One row per activity on the sheet ``Activities`` (or the workbook's only sheet): Section (1.1 … 1.5), Title,
Place, Start, End, Description, and optionally Title (es), Place (es), Description (es). It is checked like every
other input: each problem located (file, sheet, row, column, value), and nothing is written on an error.
"""
from __future__ import annotations

import datetime as dt
import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .. import schemas as S
from ..inputs.grid import find_header, map_header, open_workbook, sheet_grid
from ..inputs.preflight import REEXPORT_HINTS, preflight
from ..inputs.values import EXCEL_EPOCH, ParseError, as_code, as_text, parse_date
from ..problems import Code, Problem, problem, show_value
from .i18n import N_

H = S.ACTIVITY_HEADERS
SECTION_TITLES = {  # Section 1's parts, as the 2012 report names them
    "1.1": N_("General coordination meetings with governments"),
    "1.2": N_("Activities of the RCM"),
    "1.3": N_("External Activities to the RCM"),
    "1.4": N_("Improvements and Changes to the Virtual Secretariat (VS)"),
    "1.5": N_("Other General Activities"),
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def letter(i: int) -> str:
    """The i-th item's letter (from 0): a … z, then aa, ab, … az, ba, … (none lost, none repeated)."""
    out = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, len(LETTERS))
        out = LETTERS[rest] + out
    return out


@dataclass(frozen=True)
class Activity:
    section: str
    title: str
    place: str
    start: dt.date
    end: dt.date
    description: str
    title_es: str = ""
    place_es: str = ""
    description_es: str = ""

    def text(self, column: str, spanish: bool) -> str:
        """A text column, from its Spanish column where the document is Spanish and that is filled in."""
        return (getattr(self, column + "_es") if spanish else "") or getattr(self, column)


@dataclass(frozen=True)
class Register:
    file: str
    sha256: str
    activities: tuple[Activity, ...]


def read_register(path: Path) -> tuple[Register | None, list[Problem]]:
    """The register at ``path``, or None with the problems that stop it being read (every one located)."""
    path = Path(path)
    label = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [problem(Code.FILE_UNREADABLE, "the activities register cannot be read", file=label,
                              value=show_value(f"{type(exc).__name__}: {exc}"),
                              hint="check that the file exists and that you may read it")]
    problems = [_as_register(p) for p in preflight(data, label)]
    if problems:
        return None, problems
    book, problems = open_workbook(data, label, hints=("save an unprotected copy of the register",
                                                        "save the register as an Excel workbook (.xlsx)"))
    if book is None:
        return None, problems
    grid, problems = sheet_grid(book, S.ACTIVITIES_SHEET, label)
    if grid is None:
        return None, problems
    where = {"file": label, "sheet": grid.sheet}
    head = find_header(grid, (H["section"], H["title"]))
    if head is None:
        return None, [problem(Code.HEADER_NOT_FOUND, "no header row with 'Section' and 'Title'", **where,
                              hint=f"the first row names the columns: {', '.join(H.values())}")]
    found, _extra, problems = map_header(grid.rows[head], H, S.ACTIVITY_OPTIONAL, {**where, "row": head + 1})
    if problems:
        return None, problems
    activities = []
    for i in range(head + 1, len(grid.rows)):
        values = grid.rows[i]
        if all(v is None for v in values):
            continue
        cells = {c: (values[j] if j < len(values) else None) for c, j in found.items()}
        activity, found_problems = _activity(cells, {**where, "row": i + 1}, grid.epoch)
        problems += found_problems
        if activity is not None:
            activities.append(activity)
    return Register(label, hashlib.sha256(data).hexdigest(), tuple(activities)), problems


def _as_register(found: Problem) -> Problem:
    """Pre-flight's hints tell to export a damaged file again: the register is the Secretariat's own workbook."""
    if found.hint not in REEXPORT_HINTS:
        return found
    return dataclasses.replace(found, hint="open the activities register (or its backup) in Excel and save it "
                                           "again as an Excel workbook (.xlsx)")


def _activity(cells: dict, where: dict, epoch: dt.date = EXCEL_EPOCH) -> tuple[Activity | None, list[Problem]]:
    """One row as an activity, or the problems of its cells (``epoch``: the register's date system's, for a date
    given as a serial)."""
    problems = []
    values = {c: as_text(cells.get(c)).strip() for c in H if c not in ("start", "end")}
    values["section"] = as_code(cells.get("section"))
    if values["section"] not in S.ACTIVITY_SECTIONS:
        problems.append(problem(Code.INVALID_VALUE, f"Section must be one of {', '.join(S.ACTIVITY_SECTIONS)}",
                                **where, column=H["section"], value=show_value(cells.get("section")),
                                hint="1.1 coordination with governments, 1.2 RCM activities, 1.3 external "
                                     "activities, 1.4 Virtual Secretariat, 1.5 other"))
    for column in ("title", "description"):
        if not values[column]:
            problems.append(problem(Code.INVALID_VALUE, f"{H[column]} is empty", **where, column=H[column]))
    for column in ("start", "end"):
        try:
            if cells.get(column) is None:
                raise ParseError(f"{H[column]} is empty", "enter the date as dd/mm/yyyy or yyyy-mm-dd")
            values[column] = parse_date(cells[column], epoch)
        except ParseError as exc:
            problems.append(problem(Code.INVALID_VALUE, f"{H[column]}: {exc.message}", **where, column=H[column],
                                    value=show_value(cells.get(column)), hint=exc.hint))
    if not problems and values["end"] < values["start"]:
        problems.append(problem(Code.ACTIVITY_DATES, f"the activity ends ({values['end']}) before it starts "
                                f"({values['start']})", **where, column=H["end"], value=str(values["end"]),
                                hint="swap Start and End, or correct the year"))
    return (None if problems else Activity(**values)), problems


def period(register: Register, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The months the activities cover: from the first activity's start to the as-of date."""
    starts = [a.start for a in register.activities]
    return (min(starts) if starts else as_of), as_of


def write_introduction(doc, report, register: Register) -> None:
    from ..tables import common, table3

    start, end = period(register, report.as_of)
    nxt = table3.next_period(report.reference, report.as_of) or common.as_of_period(report.reference,
                                                                                     report.as_of)
    doc.w.heading(doc._("Introduction"), 1)
    doc.w.paragraph(doc._("Section 1 describes the actions implemented by the Technical Secretariat (TS) from "
                          "{start} to {end}.", start=doc.lang.month(start), end=doc.lang.month_year(end)))
    doc.w.paragraph(doc._("Section 2 includes the financial report, including TS budget execution for the current "
                          "period, the budget approved for {period}, and the status of contributions by RCM Member "
                          "Countries to the budget of the TS and the fund to assist the return of migrants in "
                          "highly vulnerable situations – managed directly by the International Organization for "
                          "Migration (IOM).", period=nxt))
    doc.w.paragraph(doc._("The Annex includes a table with the percentages of the total TS budget covered by Member "
                          "Countries, also used to establish the respective contributions to the above mentioned "
                          "Fund."))


def write_section(doc, report, register: Register) -> None:
    """Section 1: the activities by part (1.1 … 1.5), each as 'a) Title (Place, dates)' and its description."""
    start, end = period(register, report.as_of)
    spanish = doc.lang.code == "es"
    doc.w.heading(doc._("Section 1: Activities"), 1)
    doc.w.paragraph(doc._("The main activities, in which the Technical Secretariat (TS) participated in the period "
                          "from {start} to {end}, are listed below:",
                          start=doc.lang.month(start) if start.year == end.year else doc.lang.month_year(start),
                          end=doc.lang.month_year(end)))
    for section, title in SECTION_TITLES.items():
        mine = [a for a in register.activities if a.section == section]
        if not mine:
            continue
        doc.w.heading(f"{section} {doc._(title)}", 2)
        for i, activity in enumerate(mine):
            where = ", ".join(x for x in (activity.text("place", spanish),
                                          doc.lang.day_span(activity.start, activity.end)) if x)
            doc.w.paragraph(f"{letter(i)}) {activity.text('title', spanish)} ({where})", bold=True, keep=True)
            for text in activity.text("description", spanish).split("\n"):
                if text.strip():
                    doc.w.paragraph(text.strip())
