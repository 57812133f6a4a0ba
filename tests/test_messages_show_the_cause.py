"""Issue #26: no silent wrong figure from how a number is typed, and messages that show the cause."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.xlsx import contract_folder, load_folder, row, write_export, write_reference

import rcm_tables
from rcm_tables.inputs.values import parse_document_no
from rcm_tables.problems import Code, InputError, problem

CSV_HEADER = ("Document No.,Item,Posting Date,Doc. Type,Fund,G/L Account,Partner,Assignment,Currency,"
              "Amount (Doc. Curr.),Amount (USD),Text\n")


@pytest.fixture
def folder(tmp_path):
    return contract_folder(tmp_path)


load = load_folder


def test_a_document_number_is_a_number_however_it_is_typed(folder):
    """"0100000001" as text in a .csv and 100000001 as a number in its .xlsx re-run are one document."""
    (folder / "exports" / "2012-03.csv").write_text(
        CSV_HEADER + "0100000001,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,600.00,600.00,\n", encoding="utf-8")
    write_export(folder / "exports" / "2012-03 rerun.xlsx", [row(doc=100000001, usd=600),
                                                             row(doc=100000002, partner="Mexico", usd=400)])
    report = load(folder)
    t4 = report.table("table4", cents=True).set_index(["country", "period"])
    # by hand: Canada paid 600.00 once (not 1,200.00), pending 600.00 - 600.00 = 0; Mexico 400.00 of 400.00
    assert t4.at[("Canada", "2012"), "received"] == 60000 and t4.at[("Canada", "2012"), "pending"] == 0
    assert t4.at[("Mexico", "2012"), "received"] == 40000
    counts = {s.file: (s.rows_read, s.used, s.duplicates) for s in report.source_counts}
    assert counts == {"2012-03 rerun.xlsx": (2, 2, 0), "2012-03.csv": (1, 0, 1)}


@pytest.mark.parametrize("typed, key", [("0100000001", "100000001"), (100000001, "100000001"), ("000", "0"),
                                        ("1900012345", "1900012345"), ("0A12", "0A12"), (" 007 ", "7"),
                                        ("０１", "０１")])
def test_document_number_forms(typed, key):
    assert parse_document_no(typed) == key


def test_a_conflicting_duplicate_shows_the_amounts_as_typed(folder):
    write_export(folder / "exports" / "a.xlsx", [row(doc="D1", usd=4440.00)])
    write_export(folder / "exports" / "b.xlsx", [row(doc="D1", usd=4400.00)])
    with pytest.raises(InputError) as caught:
        load(folder)
    [error] = [p for p in caught.value.problems if p.code == "duplicate-conflict"]
    assert "Amount (USD) 4,440.00 there, 4,400.00 here" in error.message
    assert error.value == "4,400.00" and "np." not in error.message


@pytest.mark.parametrize("value, shown, named", [
    ("2012\u200b", "2012<U+200B>", "U+200B ZERO WIDTH SPACE"),
    ("\u200fTravel", "<U+200F>Travel", "U+200F RIGHT-TO-LEFT MARK"),
    ("Col\u043embia", "Col\u043e<U+043E>mbia", "U+043E CYRILLIC SMALL LETTER O"),
    ("12\x0034.00", "12<U+0000>34.00", "U+0000 a control character"),
    ("Panam\u00e1", "Panam\u00e1", None),  # an accent is no cause for alarm
])
def test_what_a_person_cannot_see_is_shown_and_named(value, shown, named):
    p = problem(Code.INVALID_VALUE, "amount is not a number", value=value, hint="type a number")
    assert p.value == shown
    assert (named in p.message) if named else p.message == "amount is not a number"


def test_control_characters_never_reach_the_terminal_raw():
    p = problem(Code.UNKNOWN_PARTNER, "unknown partner 'A\x1b[31mB'", value="x", hint="fix \x07 it")
    assert "\x1b" not in p.message and "<U+001B>" in p.message and p.hint == "fix <U+0007> it"


def test_an_invisible_character_in_an_assignment_is_shown_in_the_error(folder):
    write_export(folder / "exports" / "e.xlsx", [row(doc="1", assignment="2012\u200b", date=dt.date(2012, 3, 1))])
    with pytest.raises(InputError) as caught:
        load(folder)
    [error] = [p for p in caught.value.problems if p.severity == "error"]
    assert error.code == "assignment-unknown" and error.value == "2012<U+200B>"
    assert "U+200B ZERO WIDTH SPACE" in error.message


def _csv(folder, body: str) -> None:
    (folder / "exports" / "2012-03.csv").write_text(CSV_HEADER + body, encoding="utf-8")


def test_a_stray_quote_that_swallows_a_line_is_a_located_error(folder):
    """The quote opened in line 2's Text swallows line 3, a line of 1,733.25: an error, not a silent exit 0."""
    _csv(folder, '1900000001,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,600.00,600.00,"Payment\n'
                 '1900000002,1,02/03/2012,DZ,TS,400100,Mexico,2012,USD,1733.25,1733.25,Second\n')
    report = load(folder, strict=False)
    [error] = [p for p in report.problem_list if p.severity == "error"]
    assert (error.code, error.file, error.row, error.column) == ("csv-quote-swallows-lines", "2012-03.csv", 2, "L")
    assert "lines 2 to 3" in error.message


def test_a_text_typed_over_two_lines_is_a_warning_and_kept(folder):
    _csv(folder, '1900000001,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,600.00,600.00,"first\nsecond"\n')
    report = load(folder)
    [warning] = [p for p in report.problem_list if p.code == "csv-quote-spans-lines"]
    assert (warning.severity, warning.row, warning.column) == ("warning", 2, "L")
    assert report.ledger_cents["text"].tolist() == ["first\nsecond"]


def test_a_line_split_by_another_separator_is_said_so(folder):
    _csv(folder, "1900000001,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,600.00,600.00,\n"
                 "1900000002;1;02/03/2012;DZ;TS;400100;Mexico;2012;USD;400.00;400.00;x\n")
    report = load(folder, strict=False)
    [error] = [p for p in report.problem_list if p.code == "csv-other-separator"]
    assert (error.row, error.severity) == (3, "error")
    assert "split by semicolons (;), the file by commas (,)" in error.message
    assert {s.file: s.rejected for s in report.source_counts} == {"2012-03.csv": 1}


@pytest.mark.skipif(__import__("sys").platform in ("win32", "darwin"), reason="file names are bytes on Linux only")
def test_file_names_that_are_not_utf8_are_read_and_named(folder):
    import os

    write_export(folder / "plain.xlsx", [row(doc="1", usd=600)])
    odd = os.fsdecode(b"caf\xe9.xlsx")  # a Windows-1252 name on a Linux share
    (folder / "plain.xlsx").rename(folder / "exports" / odd)
    reference = folder / os.fsdecode(b"r\xe9f.xlsx")
    (folder / "reference.xlsx").rename(reference)
    report = rcm_tables.load(folder / "exports", reference, cache=folder / "cache")
    assert [s.file for s in report.source_counts] == ["caf\\xe9.xlsx"]
    assert report.ledger_cents["file"].tolist() == ["caf\\xe9.xlsx"]
    assert report.reference.file == "r\\xe9f.xlsx"
    assert report.table("table1", cents=True).set_index("period").at["2012", "contributions_received"] == 60000
    again = rcm_tables.load(folder / "exports", reference, cache=folder / "cache")  # from the cache and snapshot
    assert [s.file for s in again.source_counts] == ["caf\\xe9.xlsx"]


def test_a_formula_with_no_saved_value_in_an_export_is_said_to_be_one(folder):
    from openpyxl import load_workbook

    path = write_export(folder / "exports" / "e.xlsx", [row(doc="1", usd=600), row(doc="2", usd=400)])
    book = load_workbook(path)
    book.active["K6"] = "=SUM(K5:K5)"  # Amount (USD) of the second line: a formula, no result stored
    book.save(path)
    report = load(folder, strict=False)
    [error] = [p for p in report.problem_list if p.severity == "error"]
    assert (error.file, error.row, error.column) == ("e.xlsx", 6, "Amount (USD)")
    assert "formula (=SUM(K5:K5)) with no saved value" in error.message
    assert [(s.used, s.rejected) for s in report.source_counts] == [(1, 1)]
