"""Table 3: the next period's approved budget by section (subtotals and total are sums of these rows)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import money as M
from .. import schemas as S
from .comparison import Row, number, usd
from ..reference import Reference
from . import formulas as F
from . import common
from .spec import CellKey, DocxLayout, Frame, Published, PublishedFile, Spec

NAME = "table3"
TITLE = "Table 3"
T = S.Table3


def key(row, column: str = "amount") -> CellKey:
    """A figure of Table 3: (section, budget line), ("Subtotal", section) or "TOTAL"."""
    return CellKey(NAME, row, column)


def next_period(ref: Reference, as_of: dt.date) -> str | None:
    return ref.next_period(common.as_of_period(ref, as_of))


# ------------------------------------------------------------------------------------------------ build


def build(lines: pd.DataFrame, ref: Reference, as_of: dt.date) -> pd.DataFrame:
    nxt = next_period(ref, as_of)
    records = []
    if nxt is not None:
        for _, line in ref.lines_of(nxt).iterrows():
            records.append({T.section: line[S.BudgetLines.section], T.budget_line: line[S.BudgetLines.budget_line],
                            T.amount: int(line[S.BudgetLines.approved])})
    return common.to_frame(T, records)


# ------------------------------------------------------------------------------------------------ sheet


def write_sheet(book) -> None:
    s = book.sheets[TITLE]
    f = book.fmt
    t = book.report.tables[NAME]
    nxt = next_period(book.ref, book.as_of)
    lines = [(TITLE, "heading"), (f"Approved Budget for {nxt or '(no next period)'}", "title"),
             ("RCM Technical Secretariat (TS)", "subtitle")]
    if nxt is not None:
        p = book.ref.period_row(nxt)
        lines.append((f"Annual Budget, {p[S.Periods.start]:%B} – {p[S.Periods.end]:%B %Y}", "subtitle"))
    lines.append(("In US$", "subtitle"))
    header = s.titles(lines) + 1
    s.headers(header, [nxt or "", "Amount"])  # the period's label heads the lines: their formulas select by it
    if t.empty:
        s.text(header + 1, 0, "The reference workbook has no period after the as-of period.", f.note)
        s.finish(header_last=header, freeze=(header + 1, 0))
        return
    num_format = M.money_format_for(t[T.amount])
    row = header
    subtotals = []
    for section, group in t.groupby(T.section, sort=False):
        row = _section(book, s, row, (nxt, s.cell(header, 0, True, True)), section, group, num_format)
        subtotals.append(s.cell(row, 1))
        row += 1
    row += 1
    s.text(row, 0, "Total", f.total_text)
    s.money_formula(row, 1, f"=SUM({','.join(subtotals)})", int(t[T.amount].sum()), num_format, total=True)
    book.place(key("TOTAL"), s, row, 1)
    s.finish(header_last=header, freeze=(header + 1, 0))


def _section(book, s, row: int, period: tuple[str, str], section: str, group: pd.DataFrame, num_format: str) -> int:
    """A section's heading, lines and subtotal after ``row``; returns the subtotal's row. Each line's amount is
    its row of the Budget Lines sheet (period, section, line)."""
    f = book.fmt
    label, period_cell = period
    in_section = '""'  # lines without a section: a blank Section cell
    if section:
        row += 1
        s.text(row, 0, section, f.section)
        s.blank(row, 1, f.text)
        in_section = F.eq(s.cell(row, 0, True, True), section)
    first = row + 1
    for rec in group.itertuples(index=False):
        row += 1
        s.text(row, 0, rec.budget_line, f.indent)
        formula = F.sumifs("BudgetLines_Approved", ("BudgetLines_Period", F.eq(period_cell, label)),
                           ("BudgetLines_Section", in_section),
                           ("BudgetLines_Line", F.eq(s.cell(row, 0, col_abs=True), rec.budget_line)))
        s.money_formula(row, 1, "=" + formula, rec.amount, num_format)
        book.place(key((section, rec.budget_line)), s, row, 1)
    row += 1
    s.text(row, 0, "Subtotal", f.total_text)
    s.money_formula(row, 1, F.sum_of(first, row - 1, 1), int(group[T.amount].sum()), num_format, total=True)
    book.place(key(("Subtotal", section)), s, row, 1)
    return row


# ------------------------------------------------------------------------------------------------ published

FILE = PublishedFile(NAME, "table3_approved_budget_2013.csv", ("section", "budget_line", "amount"))


def published_rows(report, files: dict) -> list[Row]:
    """Each published line; a line the as-of period does not have is flagged ``mapping-changed``, naming the
    lines its accounts belong to in the as-of period."""
    pub = files.get(NAME)
    if pub is None:
        return []
    ref = report.reference
    t = report.tables[NAME].set_index([T.section, T.budget_line])[T.amount]
    current = ref.period_of(report.as_of)
    nxt = next_period(ref, report.as_of)
    current_lines = set(ref.lines_of(current)[S.BudgetLines.budget_line])
    rows = []
    for i, rec in pub.iterrows():
        line = (rec["section"].strip(), rec["budget_line"].strip())
        computed = usd(t[line]) if line in t.index else None
        row = Row("Table 3", line[1], "Amount", "USD", number(rec["amount"], FILE.file, i + 2, "amount"),
                  computed, key(line) if computed is not None else None)
        rows.append(row)
        if nxt is not None and line[1] not in current_lines:
            acc = ref.accounts
            accounts = sorted(set(acc.loc[acc[S.Accounts.budget_line] == line[1], S.Accounts.gl_account]))
            before = {a: ref.budget_line_for(current, a) for a in accounts}
            where = "; ".join(f"{a} in “{name}”" for a, name in before.items() if name)
            row.flag("mapping-changed", f"not a budget line of {current}" + (
                f": in {current} its account(s) sit inside other lines ({where})" if where else ""))
    return rows


# ------------------------------------------------------------------------------------------------ document


def write_docx(doc, report) -> None:
    """Section 2.3: the next period's budget by section, with subtotals and the total (whole dollars)."""
    from .layout import Column, Row, Table

    ref = report.reference
    t = report.tables[NAME]
    nxt = next_period(ref, report.as_of)
    if nxt is None:
        doc.section_heading(doc._("Approved Budget for the Next Period"))
        doc.w.paragraph(doc._("The reference workbook holds no budget for a period after {period}.",
                              period=common.as_of_period(ref, report.as_of)))
        return
    if t.empty:  # the next period is there, its budget lines not yet
        doc.section_heading(doc._("Approved Budget for {period}", period=nxt))
        doc.w.paragraph(doc._("The reference workbook holds no budget lines for {period} yet.", period=nxt))
        return
    p = ref.period_row(nxt)
    doc.section_heading(doc._("Approved Budget for {period}", period=nxt))
    lead = doc._("{table} shows the approved budget for the operation of the TS during {period}.",
                 table=doc.label(NAME), period=nxt)
    if _unchanged(ref, common.as_of_period(ref, report.as_of), nxt):
        lead += " " + doc._("No adjustments were made to items or figures from budgets for previous years.")
    doc.lead(lead)
    rows = []
    for section, group in t.groupby(T.section, sort=False):
        if section:
            rows.append(Row(section, [doc.section_name(nxt, section), ""], heading=True))
        rows += [Row(line, [doc.line(nxt, line), doc.money(amount)])
                 for line, amount in zip(group[T.budget_line], group[T.amount])]
        rows.append(Row(f"Subtotal {section}", [doc._("Subtotal"), doc.money(group[T.amount].sum())], total=True))
    rows.append(Row("TOTAL", [doc._("Total"), doc.money(t[T.amount].sum())], total=True))
    span = doc.lang.month_span(p[S.Periods.start].date(), p[S.Periods.end].date())
    doc.table(Table(NAME, [Column("Budget Line", ("",), 3.2, "left"), Column("Amount", (doc._("Amount"),), 1.0)],
                    rows, keep_together=True, span=0.8),
              [doc._("Approved Budget for {period}", period=nxt), doc._("RCM Technical Secretariat (TS)"),
               doc._("Annual Budget, {span}", span=span), doc._("In US$")])


def _unchanged(ref: Reference, current: str, nxt: str) -> bool:
    """The next period's lines are the current period's, line for line and amount for amount."""
    def lines(label):
        frame = ref.lines_of(label)
        return list(zip(frame[S.BudgetLines.budget_line], frame[S.BudgetLines.approved].astype(int)))
    return lines(current) == lines(nxt)


SPEC = Spec(NAME, TITLE, (Frame(NAME, T, build),), write_sheet, Published((FILE,), published_rows),
            docx=DocxLayout(write_docx))
