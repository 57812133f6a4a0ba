"""What the published 2012 report says, as a new reference workbook starts with it (`rcm-tables init`).

The figures are the report's own, as printed (whole dollars where it prints whole dollars); tests/test_init.py
compares them, cell by cell, with its tables as transcribed in tests/published/report-2012. Nothing here is
invented: no account mapping, no document numbers, no receipt dates. The report's own inconsistencies
(docs/discrepancies.md) are kept as printed: the scale's shares add up to 100.01 %, the Return Fund's assessed
amounts to 60,006.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import schemas as S

# Table 1: period, approved budget, contributions received, operating costs (US dollars, as printed).
TABLE1 = (
    ("2003-2004", 447635, 447635, 426341),
    ("2005", 282724, 282724, 273867),
    ("2006", 282724, 282709, 273826),
    ("2007", 282724, 282764, 296904),
    ("2008", 282724, 282749, 233845),
    ("2009", 282724, 277639, 232762),
    ("2010", 282724, 273144, 276759),
    ("2011", 282724, 272744, 292106),
    ("2012", 282724, 261483, 223457),
)
# The date of Table 1's figures for the periods before 2012: the report's date (Table 2: "Balance October 31st
# 2012"). Its receipts after that date (to 9 November, DISCREPANCIES 4) are all for 2012 (Table 4), so the
# earlier periods' totals are as of 31 October 2012: the As Of of every opening balance taken from it. A line
# in the exports of such a period posted on or before it is already in the balance, and validate says so
# (opening-double-count) instead of counting it twice; --as-of 2012-10-31 (the report's own cut-off) is allowed.
TABLE1_AS_OF = dt.date(2012, 10, 31)
# Table 2: the 2012 budget lines (the table prints no sections).
LINES_2012 = (
    ("Staff Expenses", 173779),
    ("Support for Seminars and Meetings", 40000),
    ("Equipment and Internet Access", 31000),
    ("Studies and Research", 10000),
    ("Documents and Translation", 6000),
    ("Travel and per diem", 13945),
    ("Unforeseen Expenses", 8000),
)
# Table 3: the approved budget for 2013, by section and line; its total is 2013's approved budget.
LINES_2013 = (
    ("Staff", "Unit Coordinator", 78840),
    ("Staff", "Information Technology Specialist", 45664),
    ("Staff", "Project Assistant", 22995),
    ("Staff", "Other Expenses and Staff Reserve", 26280),
    ("Operational Expenses", "Support for Seminars and Meetings (Interpreting, Equipment, etc.)", 37000),
    ("Operational Expenses", "Equipment and Internet Access", 8000),
    ("Operational Expenses", "Office Expenses", 41000),
    ("Operational Expenses", "Studies and Research", 1000),
    ("Operational Expenses", "Documents and Translation", 6000),
    ("Operational Expenses", "Travel and per diem", 13945),
    ("Operational Expenses", "Unforeseen Expenses", 2000),
)
# Annex 1 (TS) and Table 5 (RF): country, share (%), TS assessed, RF assessed; in the report's order.
SCALE = (
    ("Belize", "1.77", 5000, 1062),
    ("Canada", "24.05", 68000, 14430),
    ("Costa Rica", "1.77", 5000, 1062),
    ("Dominican Republic", "1.77", 5000, 1062),
    ("El Salvador", "1.77", 5000, 1062),
    ("Guatemala", "1.77", 5000, 1062),
    ("Honduras", "1.77", 5000, 1062),
    ("Mexico", "11.80", 33364, 7080),
    ("Nicaragua", "1.77", 5000, 1062),
    ("Panama", "1.77", 5000, 1062),
    ("United States", "50.00", 141360, 30000),
)
DONORS = ("European Union",)  # Table 5: a contributor to the Return Fund outside the scale
# The partners' Spanish names, where they differ: exports kept in Spanish may write them so (not figures).
SPANISH = {"Belize": "Belice", "Canada": "Canadá", "Dominican Republic": "República Dominicana",
           "Mexico": "México", "Panama": "Panamá", "United States": "Estados Unidos",
           "European Union": "Unión Europea"}

# The Spanish names of the report's sections and budget lines (the Budget Lines sheet's Section (es) and Budget
# Line (es)), as the Spanish report prints them.
SPANISH_LINES = {
    "Staff": "Personal",
    "Operational Expenses": "Gastos operativos",
    "Staff Expenses": "Gastos de personal",
    "Support for Seminars and Meetings": "Apoyo a seminarios y reuniones",
    "Equipment and Internet Access": "Equipo y acceso a Internet",
    "Studies and Research": "Estudios e investigaciones",
    "Documents and Translation": "Documentos y traducción",
    "Travel and per diem": "Viajes y viáticos",
    "Unforeseen Expenses": "Imprevistos",
    "Unit Coordinator": "Coordinador de la Unidad",
    "Information Technology Specialist": "Especialista en tecnologías de la información",
    "Project Assistant": "Asistente de proyectos",
    "Other Expenses and Staff Reserve": "Otros gastos y reserva de personal",
    "Support for Seminars and Meetings (Interpreting, Equipment, etc.)":
        "Apoyo a seminarios y reuniones (interpretación, equipo, etc.)",
    "Office Expenses": "Gastos de oficina",
}
# The Organization sheet: the RCM as its 2012 report names it, in English and Spanish (Field, Value, Value (es)).
# The document prints these where the reference workbook has no Organization sheet.
ORGANIZATION = (
    ("Name", "Regional Conference on Migration", "Conferencia Regional sobre Migración"),
    ("Acronym", "RCM", "CRM"),
    ("Secretariat", "Technical Secretariat", "Secretaría Técnica"),
    ("Secretariat Acronym", "TS", "ST"),
    ("Host", "International Organization for Migration (IOM)", "Organización Internacional para las Migraciones (OIM)"),
    ("Scale Approval", "The amounts to be contributed by each member state were approved by Vice-Ministers during "
                       "the VI RCM, held in San Jose, Costa Rica in 2001.",
     "Los montos que aporta cada País Miembro fueron aprobados por los Viceministros durante la VI CRM, celebrada "
     "en San José, Costa Rica, en 2001."),
    ("Fund Approval", "At the XI RCM held in San Salvador, El Salvador in May 2006, Vice-Ministers approved the "
                      "establishment of a fund to assist the return of intra-regional migrants in highly vulnerable "
                      "situations.",
     "En la XI CRM, celebrada en San Salvador, El Salvador, en mayo de 2006, los Viceministros aprobaron la creación "
     "de un fondo para apoyar el retorno de migrantes intrarregionales en situación de alta vulnerabilidad."),
    # Table 4's "Seventh … Tenth Regular Operation Period" (2009 … 2012): the Periods sheet's first, 2003-2004, is
    # the second
    ("First Period Number", "2", ""),
)


def _period(label: str) -> tuple[dt.date, dt.date]:
    """2003-2004 ran from 1 July 2003 to 31 December 2004; every later period is a calendar year."""
    if label == "2003-2004":
        return dt.date(2003, 7, 1), dt.date(2004, 12, 31)
    year = int(label)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def periods() -> list[tuple]:
    """Table 1's periods and approved budgets, and 2013 with Table 3's total."""
    rows = [(label, *_period(label), approved) for label, approved, _received, _costs in TABLE1]
    return rows + [("2013", *_period("2013"), sum(amount for _s, _l, amount in LINES_2013))]


def budget_lines() -> list[tuple]:
    """Period, Section, Budget Line, Approved (USD), Section (es), Budget Line (es)."""
    return ([("2012", None, line, amount, None, SPANISH_LINES[line]) for line, amount in LINES_2012]
            + [("2013", section, line, amount, SPANISH_LINES[section], SPANISH_LINES[line])
               for section, line, amount in LINES_2013])


def scale() -> list[tuple]:
    return ([("TS", country, Decimal(share), ts) for country, share, ts, _rf in SCALE]
            + [("RF", country, Decimal(share), rf) for country, share, _ts, rf in SCALE])


def opening_balances(exports_from: int) -> list[tuple]:
    """Table 1's received and operating costs of every period that ends before the exports start."""
    return [(label, TABLE1_AS_OF, received, costs) for label, _approved, received, costs in TABLE1
            if _period(label)[1] < dt.date(exports_from, 1, 1)]


def partners() -> list[tuple]:
    return ([(country, "member", SPANISH.get(country)) for country, *_ in SCALE]
            + [(donor, "donor", SPANISH.get(donor)) for donor in DONORS])


def prefill(exports_from: int) -> dict[str, list[tuple]]:
    """Rows of each sheet, in its header's order (`schemas.REFERENCE_SHEETS`); a sheet not named stays empty."""
    return {S.PERIODS_SHEET: periods(), S.BUDGET_LINES_SHEET: budget_lines(), S.SCALE_SHEET: scale(),
            S.OPENING_SHEET: opening_balances(exports_from), S.PARTNERS_SHEET: partners(),
            S.ORGANIZATION_SHEET: list(ORGANIZATION)}


# Where each pre-filled sheet's figures come from (the sheet's instruction row says it).
SOURCES = {
    S.PERIODS_SHEET: "Pre-filled from the published 2012 report: Table 1's approved budgets for 2003-2004 to 2012, "
                     "and Table 3's total for 2013. Add a row for each new period.",
    S.BUDGET_LINES_SHEET: "Pre-filled from the published 2012 report: 2012's lines from Table 2 (which prints no "
                          "sections), 2013's from Table 3, with the Spanish report's names. Add the lines of each new period.",
    S.SCALE_SHEET: "Pre-filled from the published 2012 report: Annex 1 (TS) and Table 5 (RF), as printed (the shares "
                   "add up to 100.01 %). Change it when a new scale is approved.",
    S.OPENING_SHEET: "Pre-filled from Table 1 of the published 2012 report for the periods before {year}, as of "
                     "31 October 2012 (the report's date). Delete a period's row if your exports hold its lines.",
    S.ORGANIZATION_SHEET: "Pre-filled: the RCM, its Technical Secretariat, its host and the approvals of the scale "
                          "and of the Return Fund, as the 2012 report states them. Another conference writes its own.",
    S.PARTNERS_SHEET: "Pre-filled: Annex 1's member countries and Table 5's European Union, with their Spanish names "
                      "as aliases. Add the other spellings your exports use.",
}
