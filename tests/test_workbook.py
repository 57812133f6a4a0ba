"""The auditor's workbook as a whole, read back with openpyxl.

Every ledger figure is a formula over bounded Ledger ranges whose cached value is the computed one; the checks,
the provenance, text safety and byte-for-byte determinism. Each table's own cells (labels, formulas, values
equal to its CSV) are tested in its module, tests/tables/test_<table>.py.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import HYPERLINK, TRICKY_PARTNERS
from tests.formula_eval import Evaluator

from rcm_tables.workbook import write_workbook

TABLE_SHEETS = ("Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1")


# ------------------------------------------------------------------ formulas


def all_formulas(book):
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    yield ws.title, cell


def same_value(computed, cached) -> bool:
    """A formula's independently computed value equals the one cached in the file (numbers to the cent)."""
    if isinstance(computed, bool) or isinstance(cached, bool):
        return computed is cached
    if isinstance(computed, str) or isinstance(cached, str):
        return computed == cached
    return cached is not None and round(computed * 100) == round(float(cached) * 100)


def cached_differences(path: Path) -> tuple[int, list[tuple]]:
    """(formula cells, those whose cached value differs from tests/formula_eval.py's evaluation of the formula)."""
    cached = openpyxl.load_workbook(path, data_only=True)
    book = Evaluator(path)
    cells = list(book.formula_cells())
    differ = [(sheet, coordinate, book.book[sheet][coordinate].value, book.cell(sheet, coordinate),
               cached[sheet][coordinate].value)
              for sheet, coordinate in cells if not same_value(book.cell(sheet, coordinate),
                                                               cached[sheet][coordinate].value)]
    return len(cells), differ


@pytest.mark.parametrize("workbook,at_least", [("sample_workbook", 1280), ("tricky_workbook", 100),
                                               ("summarised_workbook", 740)])
def test_every_formula_caches_the_value_it_computes(request, workbook, at_least):
    count, differ = cached_differences(request.getfixturevalue(workbook))
    assert differ == []
    assert count >= at_least  # every kind of formula, every sheet (the summarised book has no Published sheet)


def test_the_independent_evaluation_gives_the_reports_figures(sample_workbook, sample_report):
    book = Evaluator(sample_workbook)
    t1 = sample_report.table("table1", cents=True).set_index("period")
    assert round(book.cell("Table 1", "C14") * 100) == t1.at["2012", "contributions_received"] == 26148338
    assert round(book.cell("Table 1", "F14") * 100) == t1.at["2012", "operating_costs"] == 22345727
    assert round(book.cell("Table 4", "C19") * 100) == -12500  # the blank-partner row: SUMIFS with ""
    statuses = [book.cell("Checks", f"H{r}") for r in range(5, book.book["Checks"].max_row + 1)]
    assert statuses.count("EXPLAINED") == 2 and statuses.count("FAILED") == 0  # the 100.01 % scales
    assert book.cell("Checks", "H5") == "OK"
    assert (book.cell("Cover", "B9"), book.cell("Cover", "B10"), book.cell("Cover", "B11")) == (
        float(statuses.count("OK")), 2.0, 0.0)  # the Cover counts each status
    assert book.cell("Cover", "B12") == 73.0  # exports whose rows add up


def test_a_wrong_cached_value_is_caught(sample_workbook, tmp_path):
    """XlsxWriter's default cached value is 0: one such cell (Table 1's 2012 received) must be found."""
    part = "xl/worksheets/sheet2.xml"  # Table 1
    tampered = tmp_path / "tampered.xlsx"
    with zipfile.ZipFile(sample_workbook) as src, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                data, n = re.subn(rb'(<c r="C14"[^>]*><f>[^<]*</f><v>)261483.38(</v>)', rb"\g<1>0\g<2>", data)
                assert n == 1
            dst.writestr(item, data)
    _, differ = cached_differences(tampered)
    assert [(sheet, cell, cached) for sheet, cell, _, _, cached in differ] == [("Table 1", "C14", 0)]


def test_ledger_figures_are_sumifs_over_exact_ledger_ranges(formulas, sample_report):
    n = len(sample_report.ledger_cents)
    names = {name: d.attr_text for name, d in formulas.defined_names.items()}
    assert names["AsOf"] == "Cover!$B$4"
    for name, col in (("Ledger_USD", "O"), ("Ledger_Date", "F"), ("Ledger_Partner", "J"), ("Ledger_Period", "Q")):
        assert names[name] == f"Ledger!${col}$5:${col}${4 + n}"  # the ledger's rows exactly, no whole column
    assert formulas["Ledger"][f"O{4 + n}"].value is not None and formulas["Ledger"][f"O{5 + n}"].value is None
    ledger_cells = {"Table 1": "CF", "Table 2": "C", "Table 4": "CFIL", "Table 5": "DEFGHI"}
    seen = 0
    for sheet, cols in ledger_cells.items():
        for row in formulas[sheet].iter_rows():
            for cell in row:
                if cell.data_type == "f" and "SUMIFS" in cell.value and cell.column_letter in cols:
                    assert cell.value.startswith("=SUMIFS(Ledger_USD,Ledger_Fund,"), cell.value
                    assert 'Ledger_Date,"<="&AsOf)' in cell.value
                    seen += 1
    assert seen == 9 * 2 + 7 + 12 * 4 + 12 * 6
    whole_column = re.compile(r"(?<![A-Za-z0-9_$])\$?[A-Z]{1,3}:\$?[A-Z]{1,3}(?![0-9A-Za-z])")
    for sheet, cell in all_formulas(formulas):
        assert not whole_column.search(cell.value), (sheet, cell.coordinate, cell.value)


def test_wildcard_and_operator_names_match_literally(tricky_workbook, tricky_report):
    ws = openpyxl.load_workbook(tricky_workbook)["Table 4"]
    by_name = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value}
    assert set(TRICKY_PARTNERS) <= set(by_name)
    for name in TRICKY_PARTNERS:
        escaped = any(ch in name for ch in "*?~")
        assert ("SUBSTITUTE(SUBSTITUTE(SUBSTITUTE($A" in by_name[name]) == escaped, name
        assert '"="&' in by_name[name]  # "=<Less" is the value <Less, not the operator <
    values = openpyxl.load_workbook(tricky_workbook, data_only=True)["Table 2"]
    assert [values.cell(r, 1).value for r in (13, 14)] == ["Staff*", "Staff Travel"]
    assert [values.cell(r, 3).value for r in (13, 14)] == [123.45, 67.89]


# ------------------------------------------------------------------ checks and sources


def test_checks_hold_except_the_explained_scale_shares(values):
    ws = values["Checks"]
    rows = [[ws.cell(r, c).value for c in range(1, 10)] for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value]
    # #, group, check, first figure, value, second figure, value, status, note
    explained = [r for r in rows if r[7] != "OK"]
    assert [r[2] for r in explained] == ["The TS scale's shares add up to 100 % (Annex 1)",
                                         "The RF scale's shares add up to 100 % (Table 5)"]
    for r in explained:
        assert r[7] == "EXPLAINED" and round(r[4], 2) == 100.01 and r[6] == 100
        assert "published report's own discrepancy" in r[8]
    assert all(r[8] is None for r in rows if r[7] == "OK")
    texts = [r[2] for r in rows]
    assert "Table 1's contributions received for 2012 equal Table 4's total for 2012" in texts
    assert "Table 2's total expenses equal Table 1's operating costs for 2012" in texts
    groups = {r[1] for r in rows}
    assert groups == {"Tables", "Reference", "Funds and kinds", "Periods", "Budget lines", "Partners", "Control totals"}
    # every one of the sample's 73 exports ends in a Total row: one control-total check each
    assert sum(r[1] == "Control totals" for r in rows) == 73
    assert values["Cover"]["B9"].value == len(rows) - 2 and values["Cover"]["B10"].value == 2


def test_rows_read_check_counts_the_ledger_with_sumifs_and_duplicates_with_countifs(formulas, values, sample_report):
    src = formulas["Sources"]
    per_file = sample_report.ledger_cents["file"].value_counts()
    for i, source in enumerate(sample_report.source_counts):
        row = 5 + i
        assert src.cell(row, 1).value == source.file
        assert src.cell(row, 6).value == f'=SUMIFS(Ledger_Lines,Ledger_File,"="&$A{row})'
        assert src.cell(row, 7).value == f'=COUNTIFS(Duplicates_File,"="&$A{row})'
        assert values["Sources"].cell(row, 6).value == per_file.get(source.file, 0) == source.used
        assert values["Sources"].cell(row, 9).value == source.rows_read
        # rows read = accounted for, as a status on the Sources sheet (the Cover counts them)
        assert src.cell(row, 10).value == f'=IF(E{row}=I{row},"OK","FAILED")'
        assert values["Sources"].cell(row, 10).value == "OK"


# ------------------------------------------------------------------ the Ledger: provenance and cut-off


def test_ledger_sheet_lists_every_line_with_its_provenance(values, sample_report):
    ws = values["Ledger"]
    got = [tuple(c.value for c in row[:5]) + (row[14].value,) for row in ws.iter_rows(min_row=5)]
    led = sample_report.ledger_cents
    want = [(f, s, int(r), d, int(i), int(a) / 100) for f, s, r, d, i, a in
            zip(led["file"], led["sheet"], led["row"], led["document_no"], led["item"], led["amount_usd"])]
    assert got == want


def test_lines_after_the_as_of_date_are_listed_but_excluded(tricky_workbook, tricky_report):
    book = openpyxl.load_workbook(tricky_workbook, data_only=True)
    dates = [row[5].value.date() for row in book["Ledger"].iter_rows(min_row=5)]
    assert dt.date(2012, 11, 15) in dates  # StarBright's payment for 2013, after 2012-10-31
    assert book["Cover"]["B4"].value == dt.datetime(2012, 10, 31)
    t1 = tricky_report.table("table1", cents=True).set_index("period")
    assert list(t1.index) == ["2011", "2012"]
    ledger = openpyxl.load_workbook(tricky_workbook)["Ledger"]
    assert ledger.conditional_formatting  # lines after AsOf are greyed by a formula over AsOf


# ------------------------------------------------------------------ safety, layout, determinism


def test_text_from_exports_stays_text(tricky_workbook, sample_workbook):
    for path in (tricky_workbook, sample_workbook):
        ws = openpyxl.load_workbook(path)["Ledger"]
        texts = {c.value: c.data_type for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, str)}
        assert not [t for t, kind in texts.items() if kind != "s"]
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            xml = "".join(z.read(n).decode() for n in names)
        assert "HYPERLINK" not in xml  # in shared strings only, never in a <f> element
    texts = {c.value for row in openpyxl.load_workbook(tricky_workbook)["Ledger"].iter_rows(min_row=5) for c in row}
    assert {HYPERLINK, "=1+1", "+ bank charges", "- salary", "@ late", "=Equals", "<Less"} <= texts


def test_tables_are_laid_out_for_screen_and_print(formulas):
    for name in ("Ledger", "Sources", "Published vs computed", "Duplicates", "Budget Lines"):  # listings
        ws = formulas[name]
        # the title and the note (and the summary line of Published vs computed)
        last = re.search(r"!\$A\$1:\$[A-Z]+\$(\d+)$", ws.print_area).group(1)
        assert last == ("3" if name == "Published vs computed" else "2"), (name, ws.print_area)
        assert "Printing gives the lines above only: the " in ws["A2"].value, name
    for name in TABLE_SHEETS + ("Checks",):
        ws = formulas[name]
        assert ws.freeze_panes, name
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, name  # A4
        assert ws.print_title_rows and ws.print_area, name
        assert ws.oddFooter.left.text == "&A" and ws.oddFooter.right.text == "Page &P of &N", name
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # narrow: one page wide (1 is the default, not written)
            assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0, name
        else:  # wide: across pages at a readable size, its first columns repeated
            assert int(ws.page_setup.scale) >= 65 and ws.print_title_cols, name
    assert int(formulas["Table 4"].page_setup.scale) == 72  # 7.9 points, each period's columns on one page
    assert formulas["Table 4"].col_breaks.count == 1  # two periods to a page: 2009-2010, 2011-2012
    assert formulas["Table 4"]["D8"].alignment.indent == 1  # a receipt's text does not run into Received
    cover = formulas["Cover"]
    assert cover.sheet_properties.pageSetUpPr.fitToPage and (cover.page_setup.fitToHeight or 1) == 1  # one page
    assert formulas["Table 1"]["C14"].number_format == "$#,##0.00;($#,##0.00)"
    assert formulas["Annex 1"]["C5"].number_format == "$#,##0;($#,##0)"
    assert formulas["Table 1"].column_dimensions["E"].width > 10


def test_same_inputs_give_the_same_bytes(sample_report, sample_workbook, tmp_path):
    again = write_workbook(sample_report, tmp_path / "again.xlsx", published=Path(__file__).parent / "published"
                           / "report-2012")
    assert again.read_bytes() == Path(sample_workbook).read_bytes()
    props = openpyxl.load_workbook(again).properties
    assert props.created == dt.datetime(2000, 1, 1) and props.creator == "rcm-tables"


def test_duplicates_and_rejected_sheets_only_where_there_are_any(tricky_workbook, sample_report, tmp_path):
    import dataclasses

    from rcm_tables.problems import Code, problem

    tricky = openpyxl.load_workbook(tricky_workbook)
    assert "Duplicates" not in tricky.sheetnames and "Rejected" not in tricky.sheetnames
    assert tricky["Sources"]["G5"].value == 0  # no Duplicates sheet to count over
    assert "Ledger_File" in tricky.defined_names and "Duplicates_File" not in tricky.defined_names

    bad = problem(Code.INVALID_VALUE, "Amount (USD) is not a number", file="IOM_LineItems_2012-10.xlsx",
                sheet="Line Items", row=99, column="Amount (USD)", value="=1+1", hint="type the amount")
    report = dataclasses.replace(sample_report, problem_list=sample_report.problem_list + (bad,))
    book = openpyxl.load_workbook(write_workbook(report, tmp_path / "rejected.xlsx"))
    assert "Rejected" in book.sheetnames and "Published vs computed" not in book.sheetnames
    ws = book["Rejected"]
    assert [ws.cell(5, c).value for c in range(1, 7)] == ["IOM_LineItems_2012-10.xlsx", "Line Items", 99,
                                                          "Amount (USD)", "=1+1", "Amount (USD) is not a number"]
    assert ws.cell(5, 5).data_type == "s"


def test_large_ledgers_are_summarised_on_the_sheet_and_written_in_full_beside(summarised_workbook, sample_report):
    import csv

    from rcm_tables.workbook import ledger_sheet as layout
    from rcm_tables import schemas as S

    book = openpyxl.load_workbook(summarised_workbook, read_only=True)
    ledger = book["Ledger"]
    header = [c.value for c in next(ledger.iter_rows(min_row=4, max_row=4))]
    rows = [dict(zip(header, r)) for r in ledger.iter_rows(min_row=5, values_only=True)]
    assert sum(r["Lines"] for r in rows) == len(sample_report.ledger_cents) == 1241
    assert round(sum(r["Amount (USD)"] for r in rows), 2) == sample_report.ledger_cents["amount_usd"].sum() / 100
    summaries = [r for r in rows if r["Row"] is None]
    assert summaries and all(r["Kind"] == "expense" for r in summaries)
    assert sum(r["Lines"] for r in summaries) == int((sample_report.ledger_cents["kind"] == "expense").sum())
    contributions = [r for r in rows if r["Kind"] == "contribution"]
    assert len(contributions) == int((sample_report.ledger_cents["kind"] == "contribution").sum())
    assert all(r["Lines"] == 1 and r["Row"] for r in contributions)  # receipts stay line by line
    detail = layout.detail_csv_path(summarised_workbook)
    with open(detail, newline="", encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == 1241 and list(lines[0]) == S.columns(S.Ledger)
    assert sum(round(float(x["amount_usd"]) * 100) for x in lines) == sample_report.ledger_cents["amount_usd"].sum()
    assert any(detail.name in str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value)


def test_every_number_in_the_table_sheets_is_a_formula(formulas):
    """No figure is typed in: every number of the six table sheets is a formula (over the Ledger, the reference
    sheets, or the cells beside it). The counts are the sample's, per sheet."""
    counts = {}
    for name in TABLE_SHEETS:
        ws = formulas[name]
        typed = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
        assert typed == [], (name, typed)
        counts[name] = sum(1 for row in ws.iter_rows() for c in row if c.data_type == "f")
    assert counts == {"Table 1": 68, "Table 2": 28, "Table 3": 14, "Table 4": 116, "Table 5": 102, "Annex 1": 24}


def test_a_check_is_explained_only_by_exactly_its_explained_difference():
    """The Checks sheet's status in Python (its cached value): OK when the two figures agree to the cent,
    EXPLAINED only for the difference a known rule explains (the 100.01 % scale), FAILED otherwise."""
    from rcm_tables.workbook.checks_list import Check

    def status(a, b, explained=None):
        return Check("Tables", "a check", "first", None, a, "second", None, b, explained=explained).status

    assert [status(100.0, 100.0), status(100.004, 100.0), status(100.01, 100.0)] == ["OK", "OK", "FAILED"]
    assert [status(100.01, 100.0, 0.01), status(100.02, 100.0, 0.01), status(100.0, 100.0, 0.01),
            status(99.99, 100.0, 0.01)] == ["EXPLAINED", "FAILED", "OK", "FAILED"]


def test_auto_summarises_the_ledger_only_above_the_threshold(monkeypatch):
    from tests.fixtures import pay, report, spend

    from rcm_tables.workbook import ledger_sheet as layout

    rep = report([pay("2012-03-01", 100, "A", "2012"), spend("2012-03-05", 10), spend("2012-03-06", 20)],
                 "2012-12-31")
    monkeypatch.setattr(layout, "SUMMARY_THRESHOLD", 3)  # three lines: not above it
    lines, summarised = layout.ledger_sheet_lines(rep)
    assert not summarised and len(lines) == 3
    monkeypatch.setattr(layout, "SUMMARY_THRESHOLD", 2)
    lines, summarised = layout.ledger_sheet_lines(rep)
    assert summarised and sorted(lines["lines"]) == [1, 2]  # the receipt alone; the two expenses in one row
