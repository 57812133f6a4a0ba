"""One ledger from many exports: identical copies once, differing copies an error naming both places."""
from __future__ import annotations

import pytest

from tests.xlsx import contract_folder, load_folder, row, write_export, write_reference

import rcm_tables
from rcm_tables.problems import InputError


@pytest.fixture
def folder(tmp_path):
    return contract_folder(tmp_path)


load = load_folder


def test_identical_copies_count_once_and_every_row_is_accounted_for(folder):
    lines = [row(doc="D1", usd=600), row(doc="D2", partner="Mexico", usd=400)]
    write_export(folder / "exports" / "2012-03.xlsx", lines)
    write_export(folder / "exports" / "2012-03 rerun.xlsx", lines + [row(doc="D3", usd=1)])
    report = load(folder)
    assert len(report.ledger_cents) == 3
    t1 = report.table("table1", cents=True).set_index("period")
    assert t1.at["2012", "contributions_received"] == 100100
    by_file = {s.file: s for s in report.source_counts}
    counts = {f: (s.rows_read, s.used, s.duplicates, s.rejected) for f, s in by_file.items()}
    assert counts == {"2012-03 rerun.xlsx": (3, 3, 0, 0), "2012-03.xlsx": (2, 0, 2, 0)}
    # files are read by name: "2012-03 rerun.xlsx" sorts before "2012-03.xlsx", so its copies are the ones kept
    kept = report.ledger_cents.set_index("document_no")["file"]
    assert kept["D1"] == "2012-03 rerun.xlsx"
    assert report.duplicates[["document_no", "file", "kept_file"]].values.tolist() == [
        ["D1", "2012-03.xlsx", "2012-03 rerun.xlsx"], ["D2", "2012-03.xlsx", "2012-03 rerun.xlsx"]]


def test_differing_copies_are_an_error_naming_both_files_and_rows(folder):
    write_export(folder / "exports" / "a.xlsx", [row(doc="D1", usd=600, amount_doc=600)])
    write_export(folder / "exports" / "b.xlsx", [row(doc="X"), row(doc="D1", usd=650, amount_doc=600)])
    with pytest.raises(InputError) as caught:
        load(folder)
    [problem] = [p for p in caught.value.problems if p.severity == "error"]
    assert problem.code == "duplicate-conflict"
    assert (problem.file, problem.row, problem.column) == ("b.xlsx", 6, "Amount (USD)")
    assert "a.xlsx row 5" in problem.message and "600" in problem.message and "650" in problem.message
    report = load(folder, strict=False)
    by_file = {s.file: s for s in report.source_counts}
    assert (by_file["a.xlsx"].rejected, by_file["b.xlsx"].rejected, by_file["b.xlsx"].used) == (1, 1, 1)


def test_business_errors_are_located(folder):
    write_export(folder / "exports" / "e.xlsx", [
        row(doc="1", partner="Narnia"), row(doc="2", partner="Mexico", assignment="2099"),
        row(doc="3", account="790900", partner="", assignment="", doc_type="KR"),
        row(doc="4", account="710100", partner="", assignment="", doc_type="KR", date="2010-05-05"),
        row(doc="5", partner="México"), row(doc="6", partner=""),
    ])
    with pytest.raises(InputError) as caught:
        load(folder)
    found = {(p.code, p.row) for p in caught.value.problems if p.severity == "error"}
    assert found == {("unknown-partner", 5), ("assignment-unknown", 6), ("account-unmapped", 7),
                     ("date-outside-periods", 8), ("partner-missing", 10)}


def test_opening_balance_double_counting(folder):
    write_reference(folder / "reference.xlsx", opening=[["2011", "2011-12-31", 900, 800]])
    write_export(folder / "exports" / "e.xlsx", [row(doc="1", assignment="2011", date="2011-06-01"),
                                                 row(doc="2", assignment="2011", date="2012-01-15")])
    with pytest.raises(InputError) as caught:
        load(folder)
    [problem] = [p for p in caught.value.problems if p.severity == "error"]
    assert (problem.code, problem.row) == ("opening-double-count", 5)


@pytest.mark.parametrize("values, pool", [
    (["D1", "D2", "", "D9"], ["D2", "D3", "D4", "D5", "D6", "D7", "D8", "D10", "D11", "D12", "D13", "D14", "D15", "", "D1"]),
    (["D1", "D2"], [f"D{n}" for n in range(3, 40)]),  # none there
    (["D1", "D2", "D3", "D4", "D5"], ["D5", "D1"]),  # the pool the smaller
    ([], ["D1"]), (["D1"], []),
])
def test_membership_by_arrow_is_pandas_isin_whichever_side_is_hashed(values, pool):
    import numpy as np
    import pandas as pd

    from rcm_tables.ledger import _member

    left, right = pd.Series(values, dtype="str"), pd.Series(pool, dtype="str")
    assert np.array_equal(_member(left, right), left.isin(right).to_numpy())
