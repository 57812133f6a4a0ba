"""The formatted report workbook: the only module that touches xlsxwriter.

Every text from an export is written with `write_string`, so nothing a user typed can become a formula.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlsxwriter

from . import schemas as S
from .atomic import atomic_path

MONEY = '$#,##0.00;($#,##0.00);"-"'
MONEY_WHOLE = '$#,##0;($#,##0);"-"'
FIXED_DATE = dt.datetime(2000, 1, 1)  # document properties are fixed so the same inputs give the same bytes


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.subtitle = wb.add_format({"italic": True})
        self.header = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                     "valign": "vcenter", "align": "center"})
        self.text = wb.add_format({"border": 1})
        self.money = wb.add_format({"num_format": MONEY, "border": 1})
        self.money_whole = wb.add_format({"num_format": MONEY_WHOLE, "border": 1})
        self.pct = wb.add_format({"num_format": '0.00"%"', "border": 1})
        self.total_text = wb.add_format({"bold": True, "border": 1, "top": 2})
        self.total_money = wb.add_format({"bold": True, "num_format": MONEY, "border": 1, "top": 2})
        self.total_pct = wb.add_format({"bold": True, "num_format": '0.00"%"', "border": 1, "top": 2})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.note = wb.add_format({"italic": True, "font_color": "#555555"})


def _dollars(cents) -> float:
    return int(cents) / 100


def _sheet(wb, fmt, name: str, title: str, subtitle: str, headers: list[str], widths: list[int]):
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, fmt.title)
    ws.write_string(1, 0, subtitle, fmt.subtitle)
    for col, (header, width) in enumerate(zip(headers, widths)):
        ws.write_string(3, col, header, fmt.header)
        ws.set_column(col, col, width)
    ws.freeze_panes(4, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    return ws


def write_workbook(report, path: Path) -> Path:
    """Write the report workbook atomically to ``path``."""
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "RCM Technical Secretariat: financial tables", "author": "rcm-tables",
                           "created": FIXED_DATE})
        fmt = _Formats(wb)
        _cover(wb, fmt, report)
        _table1(wb, fmt, report)
        _table2(wb, fmt, report)
        _table3(wb, fmt, report)
        _table4(wb, fmt, report)
        _table5(wb, fmt, report)
        _annex1(wb, fmt, report)
        wb.close()
    return Path(path)


def _cover(wb, fmt, report) -> None:
    ws = wb.add_worksheet("Cover")
    ws.set_column(0, 0, 48)
    ws.set_column(1, 5, 16)
    ws.write_string(0, 0, "RCM Technical Secretariat: financial tables", fmt.title)
    ws.write_string(1, 0, f"As of {report.as_of.isoformat()}", fmt.subtitle)
    ws.write_string(3, 0, "Reference workbook", fmt.header)
    ws.write_string(3, 1, "SHA-256", fmt.header)
    ws.write_string(4, 0, report.reference.file, fmt.text)
    ws.write_string(4, 1, report.reference.sha256, fmt.text)
    row = 6
    for col, header in enumerate(["Export", "Sheet", "Rows read", "Used", "Duplicates", "Rejected", "SHA-256"]):
        ws.write_string(row, col, header, fmt.header)
    for source in report.sources:
        row += 1
        ws.write_string(row, 0, source.file, fmt.text)
        ws.write_string(row, 1, source.sheet, fmt.text)
        for col, value in enumerate([source.rows_read, source.used, source.duplicates, source.rejected], start=2):
            ws.write_number(row, col, value, fmt.text)
        ws.write_string(row, 6, source.sha256, fmt.text)


def _table1(wb, fmt, report) -> None:
    t = report.tables["table1"]
    T = S.Table1
    periods = list(t[T.period])
    ws = _sheet(wb, fmt, "Table 1", "Table 1: Approved General Budgets against Incomes and Expenditures",
                f"({periods[0]} - {periods[-1]} / In U.S. Dollars)" if periods else "",
                ["Budget Year", "Approved Budget", "Contributions Received", "Contributions Pending",
                 "Contributions Pending, Accumulated", "Operating Costs", "Net Balance", "Accumulated Balance"],
                [12] + [16] * 7)
    money = S.MONEY_COLUMNS["table1"]
    for i, (_, rec) in enumerate(t.iterrows()):
        ws.write_string(4 + i, 0, rec[T.period], fmt.text)
        for col, column in enumerate(money, start=1):
            ws.write_number(4 + i, col, _dollars(rec[column]), fmt.money)


def _table2(wb, fmt, report) -> None:
    t = report.tables["table2"]
    summary = report.tables["table2_summary"].set_index(S.Table2Summary.item)[S.Table2Summary.amount]
    period = report.reference.period_of(report.as_of)
    start = report.reference.period_row(period)[S.Periods.start].date()
    ws = _sheet(wb, fmt, "Table 2", "Table 2: Budget Execution",
                f"For the period {start:%d %B %Y} - {report.as_of:%d %B %Y}",
                ["Budget line", "Approved Budget", "Expenses", "Balance"], [44, 18, 18, 18])
    row = 4
    for _, rec in t.iterrows():
        ws.write_string(row, 0, rec[S.Table2.budget_line], fmt.text)
        for col, column in enumerate((S.Table2.approved_budget, S.Table2.expenses, S.Table2.balance), start=1):
            ws.write_number(row, col, _dollars(rec[column]), fmt.money)
        row += 1
    ws.write_string(row, 0, "Total", fmt.total_text)
    for col, column in enumerate((S.Table2.approved_budget, S.Table2.expenses, S.Table2.balance), start=1):
        ws.write_number(row, col, _dollars(t[column].sum()), fmt.total_money)
    row += 2
    labels = {
        "approved_budget": f"Approved Budget for {period}",
        "contributions_received": f"Contributions Received for {period}",
        "contributions_pending": f"Pending Contributions for {period}",
        "total_expenses": f"Total Expenses to {report.as_of:%d %B %Y}",
        "balance": f"Balance, {report.as_of:%d %B %Y}",
    }
    for item, label in labels.items():
        ws.write_string(row, 0, label, fmt.text)
        ws.write_number(row, 1, _dollars(summary[item]), fmt.money)
        row += 1


def _table3(wb, fmt, report) -> None:
    from .tables.table3 import next_period

    t = report.tables["table3"]
    nxt = next_period(report.reference, report.as_of) or "-"
    ws = _sheet(wb, fmt, "Table 3", f"Table 3: Approved Budget for {nxt}",
                "RCM Technical Secretariat (TS), in US$", ["Section", "Budget line", "Amount"], [24, 60, 16])
    row = 4
    for section, group in t.groupby(S.Table3.section, sort=False):
        for _, rec in group.iterrows():
            ws.write_string(row, 0, section, fmt.text)
            ws.write_string(row, 1, rec[S.Table3.budget_line], fmt.text)
            ws.write_number(row, 2, _dollars(rec[S.Table3.amount]), fmt.money_whole)
            row += 1
        ws.write_string(row, 1, f"Subtotal {section}", fmt.total_text)
        ws.write_number(row, 2, _dollars(group[S.Table3.amount].sum()), fmt.total_money)
        row += 1
    ws.write_string(row, 1, "Total", fmt.total_text)
    ws.write_number(row, 2, _dollars(t[S.Table3.amount].sum()), fmt.total_money)


def _table4(wb, fmt, report) -> None:
    t = report.tables["table4"]
    pay = report.tables["table4_payments"]
    T, P = S.Table4, S.Table4Payments
    periods = list(dict.fromkeys(t[T.period]))
    headers = ["Country", "Assessed"]
    for period in periods:
        headers += [f"{period} received", f"{period} date(s) of receipt", f"{period} pending"]
    ws = _sheet(wb, fmt, "Table 4", "Table 4: Contributions to the Budgets of the TS", f"({report.as_of:%B %Y})",
                headers, [26, 14] + [14, 24, 14] * len(periods))
    row = 4
    for country, group in t.groupby(T.country, sort=False):
        ws.write_string(row, 0, country, fmt.text)
        ws.write_number(row, 1, _dollars(group[T.assessed].iloc[0]), fmt.money)
        for j, (_, rec) in enumerate(group.iterrows()):
            col = 2 + 3 * j
            mine = pay.loc[(pay[P.country] == country) & (pay[P.period] == rec[T.period])]
            detail = "\n".join(f"${_dollars(a):,.2f} ({d:%d/%m/%Y})" for a, d in zip(mine[P.amount], mine[P.received_on]))
            ws.write_number(row, col, _dollars(rec[T.received]), fmt.money)
            ws.write_string(row, col + 1, detail or "Pending", fmt.wrap)
            ws.write_number(row, col + 2, _dollars(rec[T.pending]), fmt.money)
        row += 1
    ws.write_string(row, 0, "TOTAL", fmt.total_text)
    ws.write_number(row, 1, _dollars(t.drop_duplicates(T.country)[T.assessed].sum()), fmt.total_money)
    for j, period in enumerate(periods):
        mine = t.loc[t[T.period] == period]
        ws.write_number(row, 2 + 3 * j, _dollars(mine[T.received].sum()), fmt.total_money)
        ws.write_number(row, 4 + 3 * j, _dollars(mine[T.pending].sum()), fmt.total_money)


def _table5(wb, fmt, report) -> None:
    t = report.tables["table5"]
    T = S.Table5
    scale = report.reference.scale_of("RF").set_index(S.Scale.country)
    periods = list(dict.fromkeys(t[T.period]))
    ws = _sheet(wb, fmt, "Table 5",
                "Table 5: Contributions to the Fund to Assist the Return of Intra-Regional Migrants in Highly "
                "Vulnerable Situations", "In U.S. Dollars",
                ["Country", "Percentage", "Contribution in US$"] + [f"Contributions for {p}" for p in periods],
                [26, 12, 16] + [16] * len(periods))
    row = 4
    for country, group in t.groupby(T.country, sort=False):
        ws.write_string(row, 0, country, fmt.text)
        if country in scale.index:
            share = scale.at[country, S.Scale.share_pct]
            if pd.notna(share):
                ws.write_number(row, 1, float(share), fmt.pct)
            ws.write_number(row, 2, _dollars(scale.at[country, S.Scale.assessed]), fmt.money)
        for j, (_, rec) in enumerate(group.iterrows()):
            ws.write_number(row, 3 + j, _dollars(rec[T.received]), fmt.money)
        row += 1
    ws.write_string(row, 0, "TOTAL", fmt.total_text)
    ws.write_number(row, 1, float(scale[S.Scale.share_pct].sum()), fmt.total_pct)
    ws.write_number(row, 2, _dollars(scale[S.Scale.assessed].sum()), fmt.total_money)
    for j, period in enumerate(periods):
        ws.write_number(row, 3 + j, _dollars(t.loc[t[T.period] == period, T.received].sum()), fmt.total_money)


def _annex1(wb, fmt, report) -> None:
    t = report.tables["annex1"]
    T = S.Annex1
    ws = _sheet(wb, fmt, "Annex 1", "Annex 1: Percentages and Amounts of Contributions by RCM Member States to the "
                "Budget of the Technical Secretariat", "Scale of contributions", ["Country", "Percentage",
                                                                                 "Contribution in US$"], [26, 12, 18])
    for i, (_, rec) in enumerate(t.iterrows()):
        ws.write_string(4 + i, 0, rec[T.country], fmt.text)
        ws.write_number(4 + i, 1, float(rec[T.share_pct]), fmt.pct)
        ws.write_number(4 + i, 2, _dollars(rec[T.assessed_usd]), fmt.money_whole)
    row = 4 + len(t)
    ws.write_string(row, 0, "TOTAL", fmt.total_text)
    ws.write_number(row, 1, float(t[T.share_pct].sum()), fmt.total_pct)
    ws.write_number(row, 2, _dollars(t[T.assessed_usd].sum()), fmt.total_money)
