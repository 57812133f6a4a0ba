"""The auditor's workbook read back with openpyxl and pandas.

Each table's values equal the CSV output; every ledger figure is a formula over bounded Ledger ranges whose
cached value is the computed one; the checks, the provenance, text safety and byte-for-byte determinism.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import HYPERLINK, TRICKY_PARTNERS
from formula_eval import Evaluator

from rcm_tables import schemas as S
from rcm_tables import write_csv
from rcm_tables.tables import FRAMES, frame_spec
from rcm_tables.workbook import write_workbook

TABLE_SHEETS = ("Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1")
DATE_IN_TEXT = re.compile(r"\((\d\d)/(\d\d)/(\d{4})\)")


def cents(value) -> int:
    """Cents of a sheet number (float dollars) or a CSV amount ('261483.38'), exactly."""
    if value is None or value == "":
        return 0
    if isinstance(value, str):
        return int(Decimal(value) * 100)
    return round(float(value) * 100)


@pytest.fixture(scope="module")
def values(sample_workbook):
    return openpyxl.load_workbook(sample_workbook, data_only=True)


@pytest.fixture(scope="module")
def formulas(sample_workbook):
    return openpyxl.load_workbook(sample_workbook)


@pytest.fixture(scope="module")
def csvs(sample_report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    write_csv(sample_report.tables, folder)
    return {f.name: pd.read_csv(folder / f.csv_name, dtype=str, keep_default_na=False) for f in FRAMES}


def find_row(ws, text: str, col: int = 1, start: int = 1) -> int:
    for row in range(start, ws.max_row + 1):
        value = ws.cell(row, col).value
        if isinstance(value, str) and value.startswith(text):
            return row
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def money_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A CSV table with its money columns in cents."""
    out = frame.copy()
    for column in S.money_columns(frame_spec(name).model):
        out[column] = [cents(v) for v in out[column]]
    return out


# ------------------------------------------------------------------ every table equals the CSV output


def test_table1_equals_csv(sample_workbook, values, csvs):
    header = find_row(values["Table 1"], "Budget Year")
    sheet = pd.read_excel(sample_workbook, engine="openpyxl", sheet_name="Table 1", header=header - 1, dtype={"Budget Year": str})
    sheet = sheet.loc[: sheet.index[sheet["Budget Year"] == "Total"][0] - 1]
    assert list(sheet.columns) == ["Budget Year", "Approved Budget", "Contributions Received", "Contributions Pending",
                                   "Contributions Pending, Accumulated", "Operating Costs", "Net Balance",
                                   "Accumulated Balance"]
    sheet.columns = S.columns(S.Table1)
    for column in S.money_columns(S.Table1):
        sheet[column] = [cents(v) for v in sheet[column]]
    expected = money_frame(csvs["table1"], "table1")
    pd.testing.assert_frame_equal(sheet.reset_index(drop=True), expected, check_dtype=False)


def test_table2_lines_and_summary_equal_csv(sample_workbook, values, csvs):
    ws = values["Table 2"]
    header = find_row(ws, "Budget line")
    total = find_row(ws, "Total Expenses", start=header)
    sheet = pd.read_excel(sample_workbook, engine="openpyxl", sheet_name="Table 2", header=header - 1, nrows=total - header - 1)
    sheet.columns = S.columns(S.Table2)
    for column in S.money_columns(S.Table2):
        sheet[column] = [cents(v) for v in sheet[column]]
    pd.testing.assert_frame_equal(sheet, money_frame(csvs["table2"], "table2"), check_dtype=False)

    summary = {
        "approved_budget": ws.cell(find_row(ws, "Approved Budget for"), 2).value,
        "contributions_received": ws.cell(find_row(ws, "Contributions Received for"), 2).value,
        "contributions_pending": ws.cell(find_row(ws, "Pending Contributions for"), 2).value,
        "total_expenses": ws.cell(total, 3).value,
        "balance": ws.cell(find_row(ws, "Balance,"), 3).value,
    }
    expected = money_frame(csvs["table2_summary"], "table2_summary").set_index("item")["amount"].to_dict()
    assert {k: cents(v) for k, v in summary.items()} == expected


def test_table3_equals_csv(values, csvs):
    ws = values["Table 3"]
    records, section = [], ""
    for row in range(find_row(ws, "", col=2, start=1) + 1, ws.max_row + 1):
        label, amount = ws.cell(row, 1).value, ws.cell(row, 2).value
        if not label or label in ("Subtotal", "Total"):
            continue
        if amount is None:
            section = label
        else:
            records.append({"section": section, "budget_line": label, "amount": cents(amount)})
    assert pd.DataFrame(records).to_dict("records") == money_frame(csvs["table3"], "table3").to_dict("records")


def read_table4(ws) -> tuple[list[dict], list[dict]]:
    header = find_row(ws, "Country")
    periods = []
    col = 3
    while ws.cell(header, col).value:
        periods.append((ws.cell(header, col).value, col))
        col += 3
    cells, payments = [], []
    row = header + 3
    while ws.cell(row, 1).value != "TOTAL":
        country = ws.cell(row, 1).value
        for period, col in periods:
            text = ws.cell(row, col + 1).value or ""
            days = [dt.date(int(y), int(m), int(d)) for d, m, y in DATE_IN_TEXT.findall(text)]
            cells.append({"country": country, "period": period, "assessed": cents(ws.cell(row, 2).value),
                          "received": cents(ws.cell(row, col).value), "pending": cents(ws.cell(row, col + 2).value),
                          "receipt_dates": ";".join(d.isoformat() for d in sorted(days))})
            for line in filter(None, text.split("\n")):
                if line == "Pending":
                    continue
                amount = line.split(" (")[0]
                value = cents(amount.strip("()").replace("$", "").replace(",", ""))
                day = DATE_IN_TEXT.search(line).groups()
                payments.append({"country": country, "period": period, "amount": -value if amount[0] == "(" else value,
                                 "received_on": f"{day[2]}-{day[1]}-{day[0]}"})
        row += 1
    return cells, payments


def test_table4_cells_and_payments_equal_csv(values, csvs):
    cells, payments = read_table4(values["Table 4"])
    assert cells == money_frame(csvs["table4"], "table4").to_dict("records")
    assert payments == money_frame(csvs["table4_payments"], "table4_payments").to_dict("records")


def test_table5_and_annex1_equal_csv(values, csvs):
    ws = values["Table 5"]
    header = find_row(ws, "Country")
    periods = [(ws.cell(header + 1, c).value, c) for c in range(4, ws.max_column + 1) if ws.cell(header + 1, c).value]
    records = []
    row = header + 2
    while ws.cell(row, 1).value != "TOTAL":
        records += [{"country": ws.cell(row, 1).value, "period": p, "received": cents(ws.cell(row, c).value)}
                    for p, c in periods]
        row += 1
    assert records == money_frame(csvs["table5"], "table5").to_dict("records")

    ws = values["Annex 1"]
    records = []
    row = find_row(ws, "Country") + 1
    while ws.cell(row, 1).value != "TOTAL":
        records.append({"country": ws.cell(row, 1).value, "share_pct": f"{ws.cell(row, 2).value:.2f}",
                        "assessed_usd": cents(ws.cell(row, 3).value)})
        row += 1
    assert records == money_frame(csvs["annex1"], "annex1").to_dict("records")


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
    t1 = sample_report.table("table1").set_index("period")
    assert round(book.cell("Table 1", "C14") * 100) == t1.at["2012", "contributions_received"] == 26148338
    assert round(book.cell("Table 1", "F14") * 100) == t1.at["2012", "operating_costs"] == 22345727
    assert round(book.cell("Table 4", "C19") * 100) == -12500  # the blank-partner row: SUMIFS with ""
    assert book.cell("Checks", "G5") is True and book.cell("Checks", "G12") is False  # 100.01 %
    assert book.cell("Cover", "B6") == 83.0  # checks that hold


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
    n = len(sample_report.ledger)
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


def test_totals_are_sums_and_derived_columns_are_formulas_beside(formulas):
    t1 = formulas["Table 1"]
    assert [t1[f"{c}15"].value for c in "BCDFG"] == [f"=SUM({c}6:{c}14)" for c in "BCDFG"]
    assert (t1["D14"].value, t1["E14"].value, t1["G14"].value, t1["H14"].value) == (
        "=B14-C14", "=E13+D14", "=C14-F14", "=H13+G14")
    t4 = formulas["Table 4"]
    total = find_row(t4, "TOTAL")
    assert t4[f"C{total}"].value == f"=SUM(C8:C{total - 1})" and t4[f"E{total}"].value == f"=SUM(E8:E{total - 1})"
    assert t4["E8"].value == "=$B8-C8"
    t2 = formulas["Table 2"]
    assert t2["B9"].value == "=B7-B8" and t2["D13"].value == "=B13-C13"


def test_no_partner_row_sums_blank_partner_cells(formulas, values):
    ws = formulas["Table 4"]
    row = find_row(ws, S.NO_PARTNER)
    assert 'Ledger_Partner,"",' in ws.cell(row, 3).value
    assert values["Table 4"].cell(row, 3).value == -125  # 2009's bank charges (docs/discrepancies.md item 1)
    # the criterion "" matches empty cells: the partner-less income line's Partner cell is empty, not ""
    ledger = formulas["Ledger"]
    blank = [r for r in range(5, ledger.max_row + 1)
             if ledger.cell(r, 16).value == "income" and ledger.cell(r, 10).value in (None, "")]
    assert [(ledger.cell(r, 10).value, ledger.cell(r, 15).value) for r in blank] == [(None, -125)]


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


def test_checks_hold_except_the_flagged_scale_shares(values):
    ws = values["Checks"]
    rows = [[ws.cell(r, c).value for c in range(1, 9)] for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value]
    failing = [r for r in rows if r[6] is not True]
    assert [r[1] for r in failing] == ["The TS scale's shares add up to 100 % (Annex 1)",
                                       "The RF scale's shares add up to 100 % (Table 5)"]
    for r in failing:
        assert r[6] is False and round(r[3], 2) == 100.01 and r[5] == 100
        assert "published report's own discrepancy" in r[7]
    assert all(r[7] is None for r in rows if r[6] is True)
    texts = [r[1] for r in rows]
    assert "Table 1's contributions received for 2012 equal Table 4's total for 2012" in texts
    assert "Table 2's total expenses equal Table 1's operating costs for 2012" in texts
    assert values["Cover"]["B6"].value == len(rows) - 2


def test_rows_read_check_counts_the_ledger_with_sumifs_and_duplicates_with_countifs(formulas, values, sample_report):
    src = formulas["Sources"]
    per_file = sample_report.ledger["file"].value_counts()
    checks = {formulas["Checks"].cell(r, 2).value: r for r in range(5, formulas["Checks"].max_row + 1)}
    for i, source in enumerate(sample_report.sources):
        row = 5 + i
        assert src.cell(row, 1).value == source.file
        assert src.cell(row, 6).value == f'=SUMIFS(Ledger_Lines,Ledger_File,"="&$A{row})'
        assert src.cell(row, 7).value == f'=COUNTIFS(Duplicates_File,"="&$A{row})'
        assert values["Sources"].cell(row, 6).value == per_file.get(source.file, 0) == source.used
        assert values["Sources"].cell(row, 9).value == source.rows_read
        check = checks[f"Rows read = Ledger + duplicates + rejected: {source.file}"]
        assert formulas["Checks"].cell(check, 4).value == f"=Sources!$E${row}"
        assert formulas["Checks"].cell(check, 6).value == f"=Sources!$I${row}"


# ------------------------------------------------------------------ the Ledger: provenance and cut-off


def test_ledger_sheet_lists_every_line_with_its_provenance(values, sample_report):
    ws = values["Ledger"]
    got = [tuple(c.value for c in row[:5]) + (row[14].value,) for row in ws.iter_rows(min_row=5)]
    led = sample_report.ledger
    want = [(f, s, int(r), d, int(i), int(a) / 100) for f, s, r, d, i, a in
            zip(led["file"], led["sheet"], led["row"], led["document_no"], led["item"], led["amount_usd"])]
    assert got == want


def test_lines_after_the_as_of_date_are_listed_but_excluded(tricky_workbook, tricky_report):
    book = openpyxl.load_workbook(tricky_workbook, data_only=True)
    dates = [row[5].value.date() for row in book["Ledger"].iter_rows(min_row=5)]
    assert dt.date(2012, 11, 15) in dates  # StarBright's payment for 2013, after 2012-10-31
    assert book["Cover"]["B4"].value == dt.datetime(2012, 10, 31)
    t1 = tricky_report.table("table1").set_index("period")
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
    for name in TABLE_SHEETS + ("Checks", "Ledger", "Sources"):
        ws = formulas[name]
        assert ws.freeze_panes, name
        assert ws.page_setup.orientation == "landscape", name
        # fit to one page wide (fitToWidth 1 is the file format's default, so it is not written)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1, name
        assert ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows, name
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
    report = dataclasses.replace(sample_report, problems=sample_report.problems + (bad,))
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
    assert sum(r["Lines"] for r in rows) == len(sample_report.ledger) == 1241
    assert round(sum(r["Amount (USD)"] for r in rows), 2) == sample_report.ledger["amount_usd"].sum() / 100
    summaries = [r for r in rows if r["Row"] is None]
    assert summaries and all(r["Kind"] == "expense" for r in summaries)
    assert sum(r["Lines"] for r in summaries) == int((sample_report.ledger["kind"] == "expense").sum())
    contributions = [r for r in rows if r["Kind"] == "income"]
    assert len(contributions) == int((sample_report.ledger["kind"] == "income").sum())
    assert all(r["Lines"] == 1 and r["Row"] for r in contributions)  # receipts stay line by line
    detail = layout.detail_csv_path(summarised_workbook)
    with open(detail, newline="", encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == 1241 and list(lines[0]) == S.columns(S.Ledger)
    assert sum(round(float(x["amount_usd"]) * 100) for x in lines) == sample_report.ledger["amount_usd"].sum()
    assert any(detail.name in str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value)
