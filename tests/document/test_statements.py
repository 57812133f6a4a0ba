"""Statements for members: one .docx per member of the scale and statements.csv; the figures are Table 4's
rules over every period with something pending, and the Return Fund's; a member with nothing outstanding is
told so."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tests.document.docread import all_text, money, rows, tables

from rcm_tables import analysis
from rcm_tables.document import write_statements
from rcm_tables.document.statements import file_name


@pytest.fixture(scope="module")
def sample_statements(sample_report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("statements")
    write_statements(sample_report, folder, ["en", "es"])
    with (folder / "statements.csv").open(encoding="utf-8") as f:
        return folder, list(csv.DictReader(f))


def test_one_statement_per_member_and_a_csv_for_mail_merge(sample_report, sample_statements):
    folder, table = sample_statements
    members = list(sample_report.reference.scale_of("TS")["country"])
    assert [r["country"] for r in table] == members
    for r in table:
        assert (folder / r["file"]).is_file() and (folder / r["file_es"]).is_file()
    assert file_name("República Dominicana", "es", False) == "statement-republica-dominicana.es.docx"


def test_outstanding_is_every_pending_amount_of_the_member(sample_report, sample_statements):
    _folder, table = sample_statements
    arrears = analysis.arrears(sample_report)
    for r in table:
        mine = arrears.loc[arrears["country"] == r["country"], "pending_usd"]
        assert Decimal(r["ts_outstanding_usd"]) == mine[mine > 0].sum()  # exact dollars, as the analysis gives
        assert Decimal(r["outstanding_usd"]) == Decimal(r["ts_outstanding_usd"]) + Decimal(r["rf_outstanding_usd"])
    honduras = next(r for r in table if r["country"] == "Honduras")
    assert Decimal(honduras["rf_outstanding_usd"]) == 4 * Decimal("1062")  # nothing for 2009-2012


def test_a_statement_lists_every_period_with_something_pending_not_only_the_last_four(sample_report,
                                                                                        sample_statements):
    folder, table = sample_statements
    arrears = analysis.arrears(sample_report)
    overpaid = []
    for r in table:
        (budget,) = tables(folder / r["file"])["statement"][:1]
        printed = rows(budget)[1:-1]
        periods = [row[0] for row in printed]
        mine = arrears.loc[arrears["country"] == r["country"]].set_index("period")
        # Table 4's four periods, and every other one with something pending or overpaid
        assert set(periods) == {"2009", "2010", "2011", "2012"} | set(mine.index[mine["pending_usd"] != 0]), r
        overpaid += [(r["country"], p) for p in periods if p < "2009" and mine.at[p, "pending_usd"] < 0]
        for cells in printed:
            rec = mine.loc[cells[0]]
            assert money(cells[1]) == rec["assessed_usd"] and money(cells[2]) == rec["received_usd"]
            assert money(cells[4]) == rec["pending_usd"]
    # DISCREPANCIES 7: the United States overpaid 2007 (by 40) and 2008 (by 25), before Table 4's periods
    assert overpaid == [("United States", "2007"), ("United States", "2008")]


def test_a_member_with_nothing_outstanding_is_told_so(sample_statements):
    folder, table = sample_statements
    paid_up = next(r for r in table if Decimal(r["outstanding_usd"]) == 0)
    assert "Nothing is outstanding" in all_text(folder / paid_up["file"])
    assert "No hay saldo pendiente" in all_text(folder / paid_up["file_es"])
    late = next(r for r in table if Decimal(r["outstanding_usd"]) > 0)
    text = all_text(folder / late["file"])
    assert "Total outstanding as of November 9, 2012: $" in text and "SWIFT BIC: CITIUS33" in text


def test_statements_of_the_contract_scenario(contract_report, tmp_path):
    written = write_statements(contract_report, tmp_path, "es")
    assert sorted(p.name for p in written) == ["statement-canada.docx", "statement-mexico.docx", "statements.csv"]
    text = all_text(tmp_path / "statement-mexico.docx")
    assert "US$20\xa0000,00" in text and "Cómo realizar" not in text  # no payment instructions in the contract


def test_statements_are_the_same_bytes_twice(contract_report, tmp_path):
    write_statements(contract_report, tmp_path / "a")
    write_statements(contract_report, tmp_path / "b")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_every_member_gets_its_own_file_whatever_its_name(tmp_path):
    """Names with no Latin letter all slug to 'member', and a long name must still make a file name the file
    system takes: each member keeps its own statement."""
    import datetime as dt

    from tests.fixtures import pay, report, reference

    long_name = "República " + "Muy Larga " * 40
    members = ["مصر", "ישראל", long_name, "Panamá", "Panama"]
    scale = [("TS", m, 20.0, 20000) for m in members]
    ref = reference(scale=scale, partners=[(m, "member", "") for m in members])
    r = report([pay(dt.date(2012, 3, 1), 200.0, "مصر", "2012")], "2012-06-30", ref=ref)
    written = write_statements(r, tmp_path, ["en", "es"])
    with (tmp_path / "statements.csv").open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [row["country"] for row in table] == members
    files = [row["file"] for row in table] + [row["file_es"] for row in table]
    assert len(set(files)) == len(files) == 10 and len(written) == 11
    assert all(len(name.encode()) <= 100 and (tmp_path / name).is_file() for name in files)
    egypt = next(row for row in table if row["country"] == "مصر")
    assert "مصر" in all_text(tmp_path / egypt["file"])
