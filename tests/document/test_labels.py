"""The reference's own words in Spanish: Budget Lines' Section (es) and Budget Line (es), or a located warning."""
from __future__ import annotations

import pytest

from docread import all_text, rows, tables

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
