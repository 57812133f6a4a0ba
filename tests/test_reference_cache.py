"""`reference_cache`: the reference workbook read and checked once per content and name. What comes from the cache
equals a fresh read in every field, sheet and problem, for good and broken workbooks alike; a damaged, stale or
renamed entry is read again; a rebuild reads the workbook from the cache and writes the same files."""
from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest

from rcm_tables import paths, reference_cache
from rcm_tables.checks import run_reference_checks
from rcm_tables.inputs.cache import ExportCache
from rcm_tables.inputs.store import sha256_of
from rcm_tables.reference import load_reference
from tests.xlsx import write_reference

FIELDS = ("file", "sha256", "rows_read", "column_names", "rejected", "unread")


def _sample(path):
    return shutil.copy(paths.SAMPLE_REFERENCE, path)


def _aliases(path):  # one valid alias (it reaches ColumnNames), one naming two columns, one unknown column
    return write_reference(path, column_aliases=[["Amount (USD)", "Betrag USD"], ["Item", "Posting Date"],
                                                 ["Colour", "Farbe"]])


def _rejected_rows(path):  # a period whose date is text, a budget line whose amount is a word, formula-like text
    return write_reference(path, periods=[["2011", dt.date(2011, 1, 1), dt.date(2011, 12, 31), 1000],
                                          ["2012", "the first of January", dt.date(2012, 12, 31), 1000]],
                           lines=[["2011", "Staff", "Staff Expenses", "six hundred"],
                                  ["2011", "Opérations  ", "=HYPERLINK(\"x\")", 400]])


def _broken(path):  # a required sheet gone, a header not found, a share that is a word
    write_reference(path)
    wb = openpyxl.load_workbook(path)
    del wb["Periods"]
    wb["Scale"]["C3"] = "sixty"
    wb["Accounts"].delete_rows(1)
    wb.save(path)
    return path


@pytest.mark.parametrize("make, found", [(_sample, 2), (write_reference, 0), (_aliases, 2), (_rejected_rows, 2),
                                         (_broken, 3)])
def test_what_the_cache_gives_back_is_what_reading_gives(tmp_path, monkeypatch, make, found):
    path = make(tmp_path / "reference.xlsx")
    cache = ExportCache(tmp_path / "cache")
    fresh, fresh_problems = load_reference(path)
    fresh_problems += run_reference_checks(fresh)
    first = reference_cache.read_reference(path, cache, sha256_of(path))
    [entry] = (tmp_path / "cache" / f"references-v{reference_cache.FORMAT}").iterdir()
    monkeypatch.setattr(reference_cache, "load_reference", lambda *a, **k: pytest.fail("read again"))
    ref, problems = reference_cache.read_reference(path, cache, sha256_of(path))
    assert problems == fresh_problems == first[1] and len(problems) >= found
    for name in FIELDS:
        assert getattr(ref, name) == getattr(fresh, name), name
    for name in reference_cache.FRAMES:
        pd.testing.assert_frame_equal(getattr(ref, name), getattr(fresh, name), check_exact=True,
                                      check_index_type=True, check_column_type=True, obj=name)
        assert type(getattr(ref, name).index) is type(getattr(fresh, name).index)
    assert ref.account_map == fresh.account_map and ref.partner_names == fresh.partner_names
    assert entry.exists()


def test_an_entry_holds_every_field_of_the_reference():
    """A field added to `Reference` and not to the entry would come back as its default, silently."""
    import dataclasses

    from rcm_tables.reference import Reference

    assert {f.name for f in dataclasses.fields(Reference)} == set(reference_cache.FRAMES) | set(FIELDS)


def test_a_damaged_stale_or_renamed_entry_is_read_again(tmp_path, monkeypatch):
    path = _aliases(tmp_path / "reference.xlsx")
    sha = sha256_of(path)
    cache = ExportCache(tmp_path / "cache")
    reads = []
    real = reference_cache.load_reference
    monkeypatch.setattr(reference_cache, "load_reference", lambda p, *a: reads.append(p.name) or real(p, *a))
    expected = reference_cache.read_reference(path, cache, sha)
    [entry] = list((tmp_path / "cache").rglob("*.ref"))
    assert reads == ["reference.xlsx"]
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a flipped bit: read again and rewritten
    entry.write_bytes(bytes(data))
    assert reference_cache.read_reference(path, cache, sha)[1] == expected[1] and len(reads) == 2
    assert reference_cache.read_reference(path, cache, sha)[1] == expected[1] and len(reads) == 2  # mended
    renamed = shutil.copy(path, tmp_path / "reference 2013.xlsx")  # the problems name the file: read under it
    ref, problems = reference_cache.read_reference(renamed, cache, sha)
    assert ref.file == "reference 2013.xlsx" and problems and {p.file for p in problems} == {"reference 2013.xlsx"}
    assert len(reads) == 3
    monkeypatch.setattr(reference_cache, "key", lambda: "another version of rcm-tables")
    reference_cache.read_reference(path, cache, sha)
    assert len(reads) == 4
    assert reference_cache.decode(b"RCMREF\x00\x01" + b"\x00" * 40, sha, "reference.xlsx") is None


def test_a_workbook_changed_since_it_was_hashed_is_not_stored_under_the_old_hash(tmp_path):
    path = write_reference(tmp_path / "reference.xlsx")
    old = sha256_of(path)
    write_reference(path, scale=[["TS", "Canada", 100, 1000], ["RF", "Canada", 100, 100]])
    ref, _problems = reference_cache.read_reference(path, ExportCache(tmp_path / "cache"), old)
    assert ref.sha256 != old and list(ref.scale["country"]) == ["Canada", "Canada"]
    assert not list((tmp_path / "cache").rglob("*.ref"))


def test_without_a_cache_or_a_hash_the_workbook_is_read(tmp_path):
    path = write_reference(tmp_path / "reference.xlsx")
    for cache, sha in ((None, sha256_of(path)), (ExportCache(tmp_path / "cache"), None)):
        ref, _problems = reference_cache.read_reference(path, cache, sha)
        assert ref.sha256 == sha256_of(path)
    assert not (tmp_path / "cache").exists()


def test_a_rebuild_takes_the_reference_from_the_cache_and_writes_the_same_files(tmp_path, monkeypatch):
    from rcm_tables.pipeline import BuildRequest, build

    reads = []
    real = reference_cache.load_reference
    monkeypatch.setattr(reference_cache, "load_reference", lambda p, *a: reads.append(p) or real(p, *a))
    exports = shutil.copytree(paths.SAMPLE_EXPORTS, tmp_path / "exports")
    outs = []
    for name in ("first", "second"):
        out = tmp_path / name
        done = build(BuildRequest(exports=exports, reference=paths.SAMPLE_REFERENCE, out=out / "r.xlsx",
                                  csv=out / "csv", force=True, cache=tmp_path / "cache"))
        assert done.ok, done.problems
        outs.append(out)
    assert len(reads) == 1
    for table in sorted((outs[0] / "csv").iterdir()):
        assert (outs[1] / "csv" / table.name).read_bytes() == table.read_bytes()
    assert (outs[1] / "r.xlsx").read_bytes() == (outs[0] / "r.xlsx").read_bytes()
