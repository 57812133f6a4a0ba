"""The report document read back with python-docx: every figure of every table equals the CSV figure rounded as
printed (English and Spanish, the sample and the contract-only scenario), the structure is the published
report's, each "Table N" introduces Table N, and the same inputs give the same bytes."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.document.docread import MONEY, all_text, amounts, as_displayed, body, money, rows, tables

from rcm_tables.tables.common import as_of_period  # noqa: E402
from rcm_tables.tables.table3 import next_period  # noqa: E402

CASES = [("sample", "en"), ("sample", "es"), ("contract", "en"), ("contract", "es")]


def csv(csv_dir, name: str) -> pd.DataFrame:
    from tests.fixtures import internal_names

    return internal_names(pd.read_csv(csv_dir / f"{name}.csv", dtype={"period": str}, keep_default_na=False), name)


def printed_name(report, lang: str, period: str, name: str, column: str = "budget_line") -> str:
    """A budget line (or section) as the document prints it: in Spanish its Budget Line (es), where given."""
    if lang == "en":
        return name
    lines = report.reference.lines_of(period)
    given = [v for v in lines.loc[lines[column] == name, column + "_es"] if v.strip()]
    return given[0] if given else name


def percent(cell: str) -> str:
    """'1,77\xa0%' (es_CR) or '1.77%' (en_US) -> '1.77'."""
    return cell.replace("\xa0", "").replace(" ", "").rstrip("%").replace(",", ".")


def same(printed: str, dollars) -> None:
    assert money(printed) == as_displayed(dollars, printed), (printed, dollars)


@pytest.mark.parametrize("scenario,lang", CASES)
def test_table1_figures_are_the_csv_figures(documents, scenario, lang):
    _report, path, csv_dir = documents[scenario, lang]
    t = csv(csv_dir, "table1")
    (word,) = tables(path)["table1"]
    body_rows = rows(word)[1:]
    assert [r[0] for r in body_rows] == list(t["period"])
    for printed, (_, rec) in zip(body_rows, t.iterrows()):
        for cell, column in zip(printed[1:], t.columns[1:]):
            assert "." not in cell  # whole dollars
            same(cell, rec[column])


@pytest.mark.parametrize("scenario,lang", CASES)
def test_table2_figures_are_the_csv_figures_in_cents(documents, scenario, lang):
    report, path, csv_dir = documents[scenario, lang]
    summary = csv(csv_dir, "table2_summary").set_index("item")["amount"]
    lines = csv(csv_dir, "table2")
    first, second = tables(path)["table2"]
    for printed, item in zip(rows(first), ("approved_budget", "contributions_received", "contributions_pending")):
        assert re.search(r"[.,]\d\d$", printed[1])  # cents, by the locale's decimal mark
        same(printed[1], summary[item])
    printed = rows(second)[1:]
    period = as_of_period(report.reference, report.as_of)
    assert [r[0] for r in printed[:len(lines)]] == [printed_name(report, lang, period, line)
                                                    for line in lines["budget_line"]]
    for cells, (_, rec) in zip(printed, lines.iterrows()):
        same(cells[1], rec["approved_budget"])
        same(cells[2], rec["expenses"])
    total, balance = printed[len(lines):]
    same(total[1], lines["approved_budget"].sum())
    same(total[2], summary["total_expenses"])
    same(balance[2], summary["balance"])


@pytest.mark.parametrize("scenario,lang", CASES)
def test_table3_figures_are_the_csv_figures(documents, scenario, lang):
    report, path, csv_dir = documents[scenario, lang]
    t = csv(csv_dir, "table3")
    (word,) = tables(path)["table3"]
    printed = [r for r in rows(word)[1:] if r[1]]
    lines = iter(printed)
    for section, group in t.groupby("section", sort=False):
        for _, rec in group.iterrows():
            cells = next(lines)
            assert cells[0] == printed_name(report, lang, next_period(report.reference, report.as_of), rec["budget_line"])
            same(cells[1], rec["amount"])
        same(next(lines)[1], group["amount"].sum())  # the subtotal
    same(next(lines)[1], t["amount"].sum())


@pytest.mark.parametrize("scenario,lang", CASES)
def test_table4_receipts_pending_and_totals_are_the_csv_figures(documents, scenario, lang):
    _report, path, csv_dir = documents[scenario, lang]
    t = csv(csv_dir, "table4")
    payments = csv(csv_dir, "table4_payments")
    (word,) = tables(path)["table4"]
    periods = list(dict.fromkeys(t["period"]))
    printed = rows(word)[3:]
    countries = list(dict.fromkeys(t["country"]))
    assert len(printed) == len(countries) + 1
    pending_word = "Pendiente" if lang == "es" else "Pending"
    for cells, country in zip(printed, countries):
        assert len(cells) == 2 + len(periods), (country, cells)
        for cell, period in zip(cells[2:], periods):
            rec = t.loc[(t["country"] == country) & (t["period"] == period)].iloc[0]
            paid = list(payments.loc[(payments["country"] == country) & (payments["period"] == period), "amount"])
            receipts = [MONEY.findall(line)[0] for line in cell.split("\n") if "$" in line and ":" not in line]
            # one line per payment of the CSV (zip alone would let a missing receipt, or all of them, pass)
            assert len(receipts) == len(paid), (country, period, cell)
            assert [money(x) for x in receipts] == [as_displayed(a, x) for a, x in zip(paid, receipts)]
            left = [line for line in cell.split("\n") if ":" in line]
            # below a partial payment, what it leaves, below an over-payment what was paid over it (negative, as
            # the workbook shows it); "Pending" alone where nothing came of an assessment
            owed = rec["assessed"] > 0 and rec["pending"] > 0
            assert len(left) == (1 if rec["assessed"] > 0 and rec["pending"] != 0 and paid else 0), (country, period,
                                                                                                     cell)
            if left:
                same(left[0].split(":")[1], rec["pending"])
            assert (cell == pending_word) == (owed and not paid), (country, period, cell)
    total = printed[-1]
    for cell, period in zip(total[2:], periods):
        same(cell, t.loc[t["period"] == period, "received"].sum())


@pytest.mark.parametrize("scenario,lang", CASES)
def test_table5_figures_are_the_csv_figures(documents, scenario, lang):
    report, path, csv_dir = documents[scenario, lang]
    t = csv(csv_dir, "table5")
    periods = list(dict.fromkeys(t["period"]))
    countries = list(dict.fromkeys(t["country"]))
    found = {}
    for word in tables(path)["table5"]:
        head, *printed = rows(word)
        block = [c for c in periods if any(c in h for h in head[3:])]
        for cells, country in zip(printed, countries + ["TOTAL"]):
            for cell, period in zip(cells[3:], block):
                found[country, period] = cell
    scale = report.reference.scale_of("RF").set_index("country")["assessed"]  # the input, in cents
    pending_word, na_word = ("Pendiente", "N/A") if lang == "es" else ("Pending", "NA")
    for (country, period), cell in found.items():
        exact = (t.loc[t["period"] == period, "received"].sum() if country == "TOTAL"
                 else t.loc[(t["country"] == country) & (t["period"] == period), "received"].item())
        shown = amounts(cell)
        assert (shown[0] if shown else 0) == as_displayed(exact, cell.split("\n")[0]), (country, period, cell)
        if country == "TOTAL":
            continue
        # nothing received: "Pending" where the scale assesses the country, "NA" where it does not; a partial
        # payment has what it leaves below it
        assessed = int(scale[country]) / 100 if country in scale.index else 0
        if exact == 0:
            assert cell == (pending_word if assessed else na_word), (country, period, cell)
        elif exact < assessed:
            assert shown[1:] == [as_displayed(assessed - exact, cell.split("\n")[1])], (country, period, cell)
        else:
            assert len(shown) == 1, (country, period, cell)
    assert len(found) == (len(countries) + 1) * len(periods)


@pytest.mark.parametrize("scenario,lang", CASES)
def test_annex1_figures_are_the_csv_figures(documents, scenario, lang):
    _report, path, csv_dir = documents[scenario, lang]
    t = csv(csv_dir, "annex1")
    (word,) = tables(path)["annex1"]
    printed = rows(word)[1:]
    for cells, (_, rec) in zip(printed, t.iterrows()):
        assert percent(cells[1]) == f"{rec['share_pct']:.2f}"
        same(cells[2], rec["assessed_usd"])
    same(printed[-1][2], t["assessed_usd"].sum())


def test_a_note_says_so_where_rounded_rows_do_not_add_up(documents):
    from tests.document.docread import table_name

    noted, last = [], None
    for kind, item in body(documents["sample", "en"][1]):
        if kind == "t":
            last = table_name(item)
        elif item.text.startswith("Figures are rounded"):
            noted.append(last)
    t5 = documents["sample", "en"][0].tables["table5"]
    t5_adds_up = all(sum(round(x / 100 + 1e-9) for x in g) == round(g.sum() / 100 + 1e-9)
                     for _, g in t5.groupby("period")["received"])
    # Table 1: running sums of rounded figures drift; Table 4: 2012's receipts add up to 261,483.38
    assert noted == ["table1", "table4"] + ([] if t5_adds_up else ["table5"])


# ------------------------------------------------------------------------------------------------ structure

GOLDEN = [  # the sample's headings, captions and each table's header row, in order
    ("h", "Section 2: Financial Report"),
    ("h", "2.1 Overview: Incomes and Expenditures of the TS"), ("c", "Table 1"),
    ("t", "table1", ["Budget Year", "Approved Budget", "Contributions Received", "Contributions Pending",
                     "Contributions Pending, Accumulated", "Operating Costs", "Net Balance", "Accumulated Balance"]),
    ("h", "2.2 Budget Execution for 2012"), ("c", "Table 2"),
    ("t", "table2", ["Approved Budget for 2012", "$282,724.00"]),
    ("t", "table2", ["", "Approved Budget", "Expenses"]),
    ("h", "2.3 Approved Budget for 2013"), ("c", "Table 3"), ("t", "table3", ["", "Amount"]),
    ("h", "2.4 Contributions to the Budget of the Technical Secretariat (TS)"), ("c", "Table 4"),
    ("t", "table4", ["Country", "Approved scale of contributions", "2009", "2010", "2011", "2012"]),
    ("h", "2.5 Contributions to the Assistance Fund for the Return of Migrants"), ("c", "Table 5"),
    ("t", "table5", ["Country", "Percentage", "Contribution in US$", *(f"Contributions for {y}" for y in
                                                                       range(2007, 2013))]),
    ("h", "Annex 1: Percentages and Amounts of Contributions by RCM Member States to the Budget of the Technical "
          "Secretariat"),
    ("t", "annex1", ["Country", "Percentage", "Contribution in US$"]),
    ("h", "How to Make Contributions"),
]


def structure(path) -> list[tuple]:
    out = []
    for kind, item in body(path):
        if kind == "t":
            from tests.document.docread import table_name
            out.append(("t", table_name(item), [c.text for c in item.rows[0].cells]))
        elif item.style.name.startswith("Heading"):
            out.append(("h", item.text))
        elif item.style.name == "RCM Caption" and re.fullmatch(r"(Table|Cuadro) \d+", item.text):
            out.append(("c", item.text))
    return out


def test_the_document_has_the_published_sections_tables_and_header_rows(documents):
    assert structure(documents["sample", "en"][1]) == GOLDEN


@pytest.mark.parametrize("scenario,lang", CASES + [("sample-full", "es")])
def test_each_table_reference_names_the_table_that_follows(documents, scenario, lang):
    word = "Cuadro" if lang == "es" else "Table"
    seen = 0
    items = [(k, p.text, p.style.name) for k, p in body(documents[scenario, lang][1]) if k == "p"]
    for i, (_k, text, style) in enumerate(items):
        if style == "RCM Caption":
            continue
        for number in re.findall(rf"\b{word} (\d+)\b", text):
            following = next(t for _k, t, s in items[i + 1:] if s == "RCM Caption" and t.startswith(word))
            assert following == f"{word} {number}", (text, following)
            seen += 1
    assert seen == 5


def test_the_contract_inputs_without_optional_sheets_give_a_complete_financial_section(documents):
    report, path, _ = documents["contract", "en"]
    headings = [h[1] for h in structure(path) if h[0] == "h"]
    assert headings[:5] == ["Section 2: Financial Report", "2.1 Overview: Incomes and Expenditures of the TS",
                            "2.2 Budget Execution for 2012", "2.3 Approved Budget for 2013",
                            "2.4 Contributions to the Budget of the Technical Secretariat (TS)"]
    assert "How to Make Contributions" not in headings  # no Payment Instructions sheet: left out
    assert set(tables(path)) == {"table1", "table2", "table3", "table4", "table5", "annex1"}
    from rcm_tables.document import build_document

    _writer, problems = build_document(report)
    assert sorted(p.code.value for p in problems) == ["notes-absent", "payment-instructions-absent"]
    assert {p.severity for p in problems} == {"note"}


def test_the_workbook_only_build_gets_no_document_notes(sample_report):
    assert not [p for p in sample_report.problem_list if p.code.value in ("notes-absent", "payment-instructions-absent")]


def test_the_sample_notes_carry_their_marks(documents):
    path = documents["sample", "en"][1]
    t4, t5 = rows(tables(path)["table4"][0]), rows(tables(path)["table5"][0])
    assert any(r[0] == "Costa Rica*" for r in t4)
    us = next(r for r in t5 if r[0].startswith("United States"))
    assert us[4].startswith("$31,500*") and us[5].startswith("$31,500*")
    assert any(r[0] == "European Union**" for r in t5)
    text = [p.text for k, p in body(path) if k == "p"]
    assert sum(line.startswith("* The United States") for line in text) == 1


def test_the_same_inputs_give_the_same_bytes(sample_report, tmp_path):
    from rcm_tables.document import write_document

    for lang in ("en", "es"):
        first, second = tmp_path / f"a.{lang}.docx", tmp_path / f"b.{lang}.docx"
        write_document(sample_report, first, lang=lang)
        write_document(sample_report, second, lang=lang)
        assert first.read_bytes() == second.read_bytes()
    import zipfile

    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2012-11-09T00:00:00Z" in core and "rcm-tables" in core


def test_text_from_the_inputs_is_written_as_text_never_as_a_field(tricky_report, tmp_path):
    from rcm_tables.document import write_document
    import zipfile

    path = tmp_path / "tricky.docx"
    write_document(tricky_report, path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "fldSimple" not in xml and "instrText" not in xml  # the page number lives in the footer
    assert "=Equals" in xml and "&lt;Less" in xml


def test_control_characters_in_the_inputs_do_not_stop_the_document(tmp_path):
    """A vertical tab (Word's manual line break, pasted into Excel) or another control character in a name was an
    internal error: python-docx refuses them ('All strings must be XML compatible')."""
    import datetime as dt
    import zipfile

    from tests.fixtures import pay, reference, report, spend
    from rcm_tables.document import write_document, write_statements

    periods = [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 100000) for y in range(2010, 2014)]
    lines = [(p[0], "Sta\x1bff", name, amount) for p in periods
             for name, amount in (("Staff\x0bExpenses", 60000), ("Travel", 40000))]
    ref = reference(periods=periods, lines=lines, accounts=[("", "710100", "Staff\x0bExpenses"), ("", "760100", "Travel")],
                    scale=[("TS", "Can\x01ada", 60.0, 60000), ("TS", "B", 40.0, 40000)],
                    partners=[("Can\x01ada", "member", ""), ("B", "member", "")])
    r = report([pay(dt.date(2012, 3, 1), 500.0, "Can\x01ada", "2012"), spend(dt.date(2012, 3, 2), 100.0)],
               "2012-06-30", ref=ref)
    write_document(r, tmp_path / "r.docx")
    write_statements(r, tmp_path / "statements")
    xml = zipfile.ZipFile(tmp_path / "r.docx").read("word/document.xml").decode()
    assert "Canada" in xml and "Staff</w:t><w:br/><w:t>Expenses" in xml  # dropped; a line break kept as one
    assert (tmp_path / "statements" / "statement-can-ada.docx").is_file()


@pytest.mark.parametrize("lang, heading, says", [
    ("en", "Approved Budget for 2013", "The reference workbook holds no budget lines for 2013 yet."),
    ("es", "Presupuesto aprobado para 2013",
     "El libro de referencia aún no contiene las líneas presupuestarias de 2013.")])
def test_a_next_period_without_budget_lines_is_said_so_not_called_missing(tmp_path, lang, heading, says):
    """Section 2.3 when the next period (2013) is in the Periods sheet but its budget lines are not yet."""
    import datetime as dt

    from tests.fixtures import pay, reference, report
    from rcm_tables.document import write_document

    periods = [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 100000) for y in (2011, 2012, 2013)]
    lines = [(p, "Staff", "Staff Expenses", 100000) for p in ("2011", "2012")]
    r = report([pay(dt.date(2012, 3, 1), 500.0, "Canada", "2012")], "2012-06-30",
               ref=reference(periods=periods, lines=lines, accounts=[("", "710100", "Staff Expenses")]))
    assert r.tables["table3"].empty
    write_document(r, tmp_path / "r.docx", lang=lang)
    texts = [item.text for kind, item in body(tmp_path / "r.docx") if kind == "p"]
    at = texts.index(says)
    assert heading in texts[at - 1] and not any("no budget for a period" in t for t in texts)


def test_a_member_without_a_share_is_NA_in_annex_1_and_the_total_adds_the_others(tricky_report, tmp_path):
    """The tricky reference leaves its last TS member's share empty (tests/conftest.py)."""
    from rcm_tables.document import write_document

    path = tmp_path / "tricky.docx"
    write_document(tricky_report, path)
    (annex,) = tables(path)["annex1"]
    printed = {row[0]: row[1:] for row in rows(annex)[1:]}
    assert printed["<Less"] == ["NA", "$50"] and printed["Star*"] == ["30.00%", "$300"]
    assert printed["TOTAL"] == ["95.00%", "$1,000"]  # 30 + 20 + 20 + 10 + 10 + 5: the empty share is not one
    # the note under it says why the shares do not add up to 100 %: not the rounding note of the 2012 report
    text = all_text(path)
    assert ("NA: the approved scale gives no share. The shares given add up to 95.00%; the amounts are the approved "
            "ones and add up to $1,000.") in text and "each is rounded to two decimals" not in text
