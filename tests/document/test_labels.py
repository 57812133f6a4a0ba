"""The reference's own words in Spanish: Budget Lines' Section (es) and Budget Line (es), or a located warning."""
from __future__ import annotations

import pytest

from tests.document.docread import all_text, rows, tables

from rcm_tables import schemas as S


def _english_only(report) -> set[str]:
    """Budget lines and sections whose Spanish name differs from the English one (the ones a reader would see)."""
    lines = report.reference.budget_lines
    found = set()
    for en, es in ((S.BudgetLines.budget_line, S.BudgetLines.budget_line_es),
                   (S.BudgetLines.section, S.BudgetLines.section_es)):
        found |= {a for a, b in zip(lines[en], lines[es]) if a and b and a != b}
    return found


def test_the_sample_spanish_document_prints_no_english_budget_line_or_section(documents):
    report, path, _csv = documents["sample", "es"]
    english = _english_only(report)
    assert {"Staff Expenses", "Unit Coordinator", "Operational Expenses", "Travel and per diem"} <= english
    cells = {cell for name in ("table2", "table3") for t in tables(path)[name] for r in rows(t) for cell in r}
    assert not english & cells
    assert {"Gastos de personal", "Coordinador de la Unidad", "Gastos operativos", "Viajes y viáticos"} <= cells
    # the English document prints the names as given
    en_cells = {cell for t in tables(documents["sample", "en"][1])["table3"] for r in rows(t) for cell in r}
    assert {"Unit Coordinator", "Staff", "Operational Expenses"} <= en_cells


def test_a_label_without_its_spanish_name_is_printed_with_a_located_warning(contract_report):
    """The contract's reference has no Spanish names: the document is built, each cell to fill is named once."""
    from rcm_tables.document import build_document

    _writer, problems = build_document(contract_report, "es")
    missing = [p for p in problems if p.code == "spanish-name-missing"]
    ref = contract_report.reference
    lines = ref.budget_lines
    assert missing and all(p.severity == "warning" and p.sheet == "Budget Lines" for p in missing)
    assert {p.column for p in missing} <= {"Budget Line (es)", "Section (es)"}
    for p in missing:  # the row named holds the English name the document printed
        column = S.BudgetLines.budget_line if p.column == "Budget Line (es)" else S.BudgetLines.section
        assert lines.loc[p.row, column] == p.value
    assert len({(p.row, p.column) for p in missing}) == len(missing)
    _writer, english = build_document(contract_report, "en")
    assert not [p for p in english if p.code == "spanish-name-missing"]


@pytest.mark.parametrize("lang,expected", [("en", "Unit Coordinator"), ("es", "Coordinador de la Unidad")])
def test_init_pre_fills_the_spanish_names(lang, expected):
    from rcm_tables.init import published2012

    rows_ = published2012.budget_lines()
    headers = list(S.REFERENCE_SHEETS[S.BUDGET_LINES_SHEET][1].values())
    assert headers[-2:] == ["Section (es)", "Budget Line (es)"]
    by_line = {r[2]: r for r in rows_}
    assert len(rows_[0]) == len(headers)
    assert by_line["Unit Coordinator"][4] == "Personal"
    assert by_line["Unit Coordinator"][2 if lang == "en" else 5] == expected
    assert all(r[5] for r in rows_)  # every line of 2012 and 2013 has its Spanish name


def _paragraphs(path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_rows_and_totals_a_reader_cannot_add_up_carry_a_note(documents, lang):
    """The sample: a 2009 adjustment without a member ($125), the United States' over-payments ($40), the scale's
    shares adding up to 100.01 % (TS $282,724; RF $60,006)."""
    report, path, _csv = documents["sample", lang]
    text = "\n".join(_paragraphs(path))
    if lang == "en":
        assert "(no partner: adjustments): receipts booked to the budget of the TS without a member state" in text
        assert "A pending amount in brackets was paid in excess of the approved contribution" in text
        assert ("The approved shares add up to 100.01%, not 100 %: each is rounded to two decimals. The amounts are "
                "the approved ones and add up to $282,724.") in text
        assert "add up to $60,006." in text
        # Table 1 has no totals row: its rounding note says what may not add up
        assert text.count("some rows do not add up to the totals printed") <= 1  # Table 4's (it has a TOTAL)
    else:
        assert "(sin socio: ajustes): ingresos registrados" in text
        assert "Un monto pendiente entre paréntesis" in text
        assert "Los porcentajes aprobados suman 100,01\xa0%" in text and "suman US$282\xa0724." in text
        assert "suman US$60\xa0006." in text
    t4 = rows(tables(path)["table4"][0])
    us = next(r for r in t4 if r[0] in ("United States", "Estados Unidos"))
    assert ("Pending: ($40)" if lang == "en" else "Pendiente: (US$40)") in us[2]  # 2009: 141,400 against 141,360


def test_a_scale_that_adds_up_to_100_has_no_note(documents):
    text = "\n".join(_paragraphs(documents["contract", "en"][1]))
    assert "The approved shares add up to" not in text


def test_one_as_of_date_governs_table2_in_workbook_and_document_and_both_say_why_expenses_end_earlier(
        documents, sample_values):
    """The sample: receipts to 9 November 2012, expenses recorded to 31 October 2012 (the last expense month)."""
    from rcm_tables.tables import table2

    text = "\n".join(_paragraphs(documents["sample", "en"][1]))
    said = ("Contributions are counted to November 9, 2012; expenses, which IOM books month by month, are recorded "
            "to October 31, 2012.")
    assert said in text
    cells = [c for r in rows(tables(documents["sample", "en"][1])["table2"][1]) for c in r]
    assert "Balance, November 9, 2012" in cells and "Total Expenses, January – November 2012" in cells
    sheet = sample_values[table2.TITLE]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert ("Contributions are counted to 9 November 2012; expenses, which IOM books month by month, are recorded "
            "to 31 October 2012.") in values
    assert any(v.startswith("Balance, 9 November 2012") for v in values)
    spanish = "\n".join(_paragraphs(documents["sample", "es"][1]))
    assert "Las contribuciones se cuentan al 9 de noviembre de 2012" in spanish
    contract = "\n".join(_paragraphs(documents["contract", "en"][1]))
    # the contract's last expense line is of September, its as-of date 31 October 2012
    assert ("Contributions are counted to October 31, 2012; expenses, which IOM books month by month, are recorded "
            "to September 30, 2012.") in contract
