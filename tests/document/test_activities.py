"""The activities register: read and checked like every other input (located problems), and with it the
document becomes the whole report: Introduction, Section 1, Section 2, Annex."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.document.activities_register import GOOD, HEADER, register_file
from tests.document.docread import all_text, body

from rcm_tables.document import read_register, write_document



def test_the_sample_register_makes_the_whole_report(sample_report, register, tmp_path):
    path = tmp_path / "full.docx"
    write_document(sample_report, path, register=register)
    headings = [p.text for k, p in body(path) if k == "p" and p.style.name.startswith("Heading")]
    assert headings[:8] == ["Introduction", "Section 1: Activities",
                            "1.1 General coordination meetings with governments", "1.2 Activities of the RCM",
                            "1.3 External Activities to the RCM",
                            "1.4 Improvements and Changes to the Virtual Secretariat (VS)",
                            "1.5 Other General Activities", "Section 2: Financial Report"]
    text = all_text(path)
    assert "a) Regional Work Meeting of Consular Departments (San José, Costa Rica, August 28 – 29, 2012)" in text
    assert "from August to November 2012" in text


def test_the_spanish_report_takes_the_spanish_columns_and_falls_back_to_english(documents):
    text = all_text(documents["sample-full", "es"][1])
    assert "Reunión Regional de Trabajo de Departamentos Consulares (San José, Costa Rica, 28 – 29 de agosto de 2012)" \
        in text
    assert "Dialogue meeting between the RCM member countries" in text  # a row without Spanish columns


@pytest.mark.parametrize("row,column,code", [
    (["1.9", *GOOD[1:]], "Section", "invalid-value"),
    ([GOOD[0], "", *GOOD[2:]], "Title", "invalid-value"),
    ([*GOOD[:3], "someday", *GOOD[4:]], "Start", "invalid-value"),
    ([*GOOD[:3], dt.date(2012, 9, 5), dt.date(2012, 9, 4), GOOD[5]], "End", "activity-dates"),
])
def test_a_bad_row_is_a_located_error(tmp_path, row, column, code):
    path = register_file(tmp_path / "register.xlsx", [GOOD, row])
    register, problems = read_register(path)
    (found,) = problems
    assert (found.code.value, found.severity, found.file, found.sheet, found.row, found.column) == (
        code, "error", "register.xlsx", "Activities", 3, column)


def test_a_missing_column_and_an_unreadable_file_are_errors(tmp_path):
    path = register_file(tmp_path / "register.xlsx", [GOOD[:5]], header=HEADER[:5])
    _register, problems = read_register(path)
    assert [(p.code.value, p.column) for p in problems] == [("header-missing", "Description")]
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    _register, problems = read_register(tmp_path / "bad.xlsx")
    assert problems and problems[0].severity == "error"


def test_a_register_error_stops_the_build_and_nothing_is_written(tmp_path, capsys):
    from rcm_tables.cli import main

    from tests.document.docread import CONTRACT

    register = register_file(tmp_path / "register.xlsx", [["7", *GOOD[1:]]])
    out = tmp_path / "out"
    code = main(["build", "--no-cache", "--exports", str(CONTRACT / "exports"), "--reference",
                 str(CONTRACT / "reference.xlsx"), "--out", str(out / "r.xlsx"), "--docx", str(out / "r.docx"),
                 "--activities", str(register)])
    assert code == 1 and not out.exists()
    assert "Section must be one of" in capsys.readouterr().out  # the problems on standard output


def test_activities_beyond_26_are_lettered_aa_ab_and_none_is_lost(sample_report, tmp_path):
    from rcm_tables.document.activities import letter

    assert [letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == ["a", "z", "aa", "ab", "az", "ba", "zz", "aaa"]
    rows = [["1.2", f"Meeting {n}", "Panama City", dt.date(2012, 9, 3), dt.date(2012, 9, 4), "x"] for n in range(300)]
    register, problems = read_register(register_file(tmp_path / "register.xlsx", rows))
    assert not problems
    path = tmp_path / "full.docx"
    write_document(sample_report, path, register=register)
    titles = [p.text for k, p in body(path) if k == "p" and p.text.startswith(tuple(f"{letter(i)}) Meeting"
                                                                                    for i in range(300)))]
    assert len(titles) == 300 and titles[26].startswith("aa) Meeting 26") and titles[-1].startswith("kn) Meeting 299")


def test_a_period_across_years_names_both_years(sample_report, tmp_path):
    rows = [["1.2", "Early", "Panama City", dt.date(2011, 11, 3), dt.date(2011, 11, 4), "x"], GOOD]
    register, _ = read_register(register_file(tmp_path / "register.xlsx", rows))
    path = tmp_path / "full.docx"
    write_document(sample_report, path, register=register)
    assert "from November 2011 to November 2012" in all_text(path)


def test_a_damaged_register_is_not_told_to_be_exported_again(tmp_path):
    data = register_file(tmp_path / "r.xlsx", [GOOD]).read_bytes()
    (tmp_path / "r.xlsx").write_bytes(data[: len(data) // 2])
    _register, problems = read_register(tmp_path / "r.xlsx")
    assert problems and all("export" not in p.hint for p in problems)
    assert "activities register" in problems[0].hint
