"""The ledger snapshot: a rebuild that continues a stored merge writes what a cold build writes, byte for byte.

On the bundled sample (73 exports, with a year-to-date export and a re-run overlapping the monthly ones): a
month added, the re-run and year-to-date files merged into a snapshot of the files before them, a month re-run
with a changed line (a conflicting copy is still an error), a file removed, a new file whose name sorts first,
and a damaged, a stale or a foreign snapshot.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import rcm_tables
from rcm_tables import paths, report as report_module, snapshot
from rcm_tables.cli import main
from rcm_tables.inputs.cache import ExportCache

SAMPLE = paths.SAMPLE_EXPORTS
NAMES = sorted(p.name for p in SAMPLE.iterdir() if p.suffix == ".xlsx")
RERUN, YTD = "IOM_LineItems_2012-06_rerun.xlsx", "IOM_LineItems_2012-01_to_2012-03_YTD.xlsx"


@pytest.fixture
def read_counts(monkeypatch) -> list[int]:
    """How many exports each build read (the others came from the snapshot)."""
    counts: list[int] = []
    real = report_module.read_exports

    def counting(plan, **kw):
        counts.append(len(plan.paths))
        return real(plan, **kw)

    monkeypatch.setattr(report_module, "read_exports", counting)
    return counts


def folder_of(tmp: Path, names: list[str]) -> Path:
    folder = tmp / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(SAMPLE / name, folder / name)
    return folder


def build(exports: Path, out: Path, *cache: str) -> dict[str, bytes]:
    assert main(["build", "--exports", str(exports), "--reference", str(paths.SAMPLE_REFERENCE), "--out",
                 str(out / "report.xlsx"), "--csv", str(out / "csv"), "--force", *cache]) == 0
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def cold(exports: Path, out: Path) -> dict[str, bytes]:
    return build(exports, out, "--no-cache")


def with_cache(exports: Path, out: Path, cache: Path) -> dict[str, bytes]:
    return build(exports, out, "--cache-dir", str(cache))


@pytest.mark.parametrize("first", [NAMES[-1], RERUN, YTD], ids=["a month added", "re-run", "year-to-date"])
def test_a_rebuild_from_a_snapshot_of_the_files_before_equals_a_cold_build(tmp_path, first, read_counts):
    """The snapshot holds every file before ``first``; the rebuild reads ``first`` and the files after it."""
    before = NAMES[:NAMES.index(first)]
    exports = folder_of(tmp_path, before)
    with_cache(exports, tmp_path / "old", tmp_path / "cache")
    folder_of(tmp_path, NAMES[NAMES.index(first):])
    assert with_cache(exports, tmp_path / "new", tmp_path / "cache") == cold(exports, tmp_path / "cold")
    assert read_counts[:2] == [len(before), len(NAMES) - len(before)]
    report = rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")
    snapshot.wait()
    stored = snapshot.decode(next((tmp_path / "cache").glob("snapshots-v*/*.snapshot")).read_bytes(), {})
    kept = len(stored.exports) == len(before)  # the old snapshot (`still_enough`), or a new one of every file
    # a month added (a few lines beside the snapshot's): the snapshot is kept and the month merged onto it again,
    # from the per-file cache, in every build until a year of files or a tenth more lines come after it
    assert kept or first != NAMES[-1]
    assert read_counts[-1] == (len(NAMES) - len(before) if kept else 0)
    if first in (RERUN, YTD):  # the copies across old and new files were found
        assert first in set(report.duplicates["file"]) or first in set(report.duplicates["kept_file"])


def test_the_same_report_from_the_snapshot_as_from_a_cold_load(tmp_path):
    exports = folder_of(tmp_path, NAMES[:-1])
    rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")
    folder_of(tmp_path, NAMES[-1:])
    warm = rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")
    fresh = rcm_tables.load(exports, paths.SAMPLE_REFERENCE)
    for name in ("ledger", "duplicates"):
        a, b = getattr(warm, name), getattr(fresh, name)
        assert list(a.dtypes.astype(str)) == list(b.dtypes.astype(str))
        assert a.equals(b), name
    assert warm.source_counts == fresh.source_counts and warm.problem_list == fresh.problem_list
    # the snapshot's lines and the new month's joined into one chunk per text column, as a cold load's
    assert chunks(warm.ledger) == chunks(fresh.ledger) == {1}


def chunks(frame: pd.DataFrame) -> set[int]:
    """How many Arrow chunks the text columns hold (each selection of lines joins a column's chunks again:
    0.2 ms a column instead of 0.03, some 400 times in a build's checks and tables)."""
    return {values.array._pa_array.num_chunks for _, values in frame.items() if hasattr(values.array, "_pa_array")}


def test_a_batch_of_files_is_combined_into_one_chunk_per_text_column():
    """`ledger.combine` joins the files' columns once: the batch merges select its lines a few dozen times, and
    a column of one chunk per file would be joined again at each selection. The lines are those of the files,
    in file order, whatever the chunks."""
    from rcm_tables.inputs.exports import read_export
    from rcm_tables.ledger import combine

    exports = [read_export(SAMPLE / name) for name in NAMES[:6]]
    combined = combine(exports)
    assert chunks(combined) == {1}
    assert len(combined) == sum(len(e.lines) for e in exports) > 0
    for column in ("document_no", "text", "partner"):
        assert combined[column].tolist() == [v for e in exports for v in e.lines[column].tolist()]
    assert combined["file"].tolist() == [e.file for e in exports for _ in range(len(e.lines))]


def _changed_copy(source: Path, target: Path, header: str = "Amount (USD)") -> None:
    """``source`` with the first line's Amount (USD) raised by 1.00 (or its Text changed)."""
    book = openpyxl.load_workbook(source)
    ws = book.active
    for row in ws.iter_rows():
        cells = {str(c.value).strip(): c for c in row if c.value is not None}
        if header in cells:
            cell = ws.cell(row=row[0].row + 1, column=cells[header].column)
            cell.value = (float(str(cell.value).replace(",", "")) + 1 if header == "Amount (USD)"
                          else f"{cell.value} (corrected)")
            break
    book.save(target)


@pytest.mark.parametrize("source", [NAMES[-1], "IOM_LineItems_2012-06.xlsx"],
                         ids=["the last month", "a month whose lines have identical copies in the snapshot"])
def test_a_month_re_run_with_a_changed_line_is_still_a_conflict(tmp_path, read_counts, source):
    exports = folder_of(tmp_path, NAMES)
    rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")
    _changed_copy(SAMPLE / source, exports / "IOM_LineItems_2012-11_rerun.xlsx")  # sorts last
    warm = rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache", strict=False)
    assert read_counts[-1] == 1
    fresh = rcm_tables.load(exports, paths.SAMPLE_REFERENCE, strict=False)
    conflicts = [p for p in warm.problem_list if p.code == "duplicate-conflict"]
    assert len(conflicts) == 1 and conflicts[0].file.endswith("_rerun.xlsx")
    assert warm.problem_list == fresh.problem_list and warm.source_counts == fresh.source_counts
    assert warm.ledger_cents.equals(fresh.ledger_cents) and warm.duplicates.equals(fresh.duplicates)
    assert main(["build", "--exports", str(exports), "--reference", str(paths.SAMPLE_REFERENCE), "--out",
                 str(tmp_path / "r.xlsx"), "--cache-dir", str(tmp_path / "cache")]) == 1


@pytest.mark.parametrize("change", ["removed", "sorts first", "changed"])
def test_a_snapshot_that_is_not_the_first_files_is_not_used(tmp_path, change, read_counts):
    exports = folder_of(tmp_path, NAMES)
    with_cache(exports, tmp_path / "old", tmp_path / "cache")
    if change == "removed":
        (exports / NAMES[10]).unlink()
    elif change == "sorts first":  # its copies of the 2012-06 lines are now the ones kept
        shutil.copy2(SAMPLE / RERUN, exports / "2012-06 again.xlsx")
    else:
        _changed_copy(SAMPLE / NAMES[0], exports / NAMES[0], "Text")
    assert with_cache(exports, tmp_path / "new", tmp_path / "cache") == cold(exports, tmp_path / "cold")
    assert read_counts[1] == len(list(exports.iterdir()))  # merged from the start


def test_a_damaged_snapshot_is_noted_and_every_export_merged_again(tmp_path, read_counts):
    exports = folder_of(tmp_path, NAMES)
    rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")
    snapshot.wait()  # it is written on a thread
    [stored] = (tmp_path / "cache" / f"snapshots-v{snapshot.FORMAT}").iterdir()
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    warm = rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")
    fresh = rcm_tables.load(exports, paths.SAMPLE_REFERENCE)
    assert read_counts[-2] == len(NAMES)
    assert [(p.code, p.severity) for p in warm.problem_list if p.code.startswith("snapshot")] == [
        ("snapshot-corrupt", "note")]
    assert warm.ledger_cents.equals(fresh.ledger_cents) and warm.source_counts == fresh.source_counts
    rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache")  # a new one was written
    assert read_counts[-1] == 0


def test_a_snapshot_is_bound_to_its_reference_and_code(tmp_path, monkeypatch):
    exports = folder_of(tmp_path, NAMES[:12])
    rcm_tables.load(exports, paths.SAMPLE_REFERENCE, cache=tmp_path / "cache", strict=False)
    cache = ExportCache(tmp_path / "cache")
    files = sorted(exports.iterdir())
    ref_sha = snapshot.digest(paths.SAMPLE_REFERENCE)
    where = snapshot.location(cache, files, ref_sha)
    snap, notes = snapshot.load(where, ref_sha, files)
    assert snap is not None and not notes and len(snap.exports) == 12
    assert snapshot.load(where, "0" * 64, files) == (None, [])  # another reference
    # another folder (or another reference) has a snapshot of its own
    assert snapshot.location(cache, [tmp_path / "other" / f.name for f in files], ref_sha) != where
    assert snapshot.location(cache, files, "0" * 64) != where
    monkeypatch.setattr(snapshot, "snapshot_key", lambda: "other code")
    assert snapshot.load(where, ref_sha, files) == (None, [])


def test_a_snapshot_is_written_again_after_a_year_of_new_files_or_a_tenth_more_lines():
    def files(count: int, lines: int) -> list:
        return [type("Read", (), {"lines": [0] * lines})() for _ in range(count)]

    decade = (2000,) * 120
    assert snapshot.still_enough(decade, files(1, 2000))  # a month: kept
    assert snapshot.still_enough(decade, files(11, 2000))
    assert not snapshot.still_enough(decade, files(12, 2000))  # a year: written again
    assert not snapshot.still_enough(decade, files(2, 12_001))  # more than a tenth of its lines
    assert snapshot.still_enough(decade, [])


def _merged(reads, ref, batch: int | None) -> snapshot.Merged:
    merging = snapshot.Merging(None, ref)
    if batch is not None:
        for i in range(0, len(reads) - batch, batch):  # the rest, as a build leaves it, to `finish`
            merging.add(reads[i: i + batch])
    return merging.finish(reads)


def test_merging_in_batches_while_parsing_gives_the_one_merge(tmp_path):
    """`snapshot.Merging` (a cold build merges the first files while the last are parsed) gives exactly the merge
    of every file at once: the same first copies, pairs, conflicts and conflicting keys, in batches of any size,
    with a conflict and identical copies across batches."""
    from rcm_tables.inputs.parallel import read_exports
    from rcm_tables.reference import load_reference

    exports = folder_of(tmp_path, NAMES)
    _changed_copy(SAMPLE / "IOM_LineItems_2012-06.xlsx", exports / "IOM_LineItems_2012-06_z.xlsx")
    reads, _ = read_exports(sorted(exports.iterdir()))
    ref, _ = load_reference(paths.SAMPLE_REFERENCE)
    whole = _merged(reads, ref, None)
    assert len(whole.conflicts) == 1 and len(whole.pairs) > 90  # the changed line; the re-runs' copies
    assert chunks(whole.first) == {1}
    for batch in (1, 7, 30):
        merged = _merged(reads, ref, batch)
        pd.testing.assert_frame_equal(merged.first, whole.first)
        pd.testing.assert_frame_equal(merged.pairs, whole.pairs)
        assert merged.conflicts == whole.conflicts and merged.bad_keys == whole.bad_keys


def test_a_pool_hands_the_first_reads_over_in_order_while_it_parses(tmp_path):
    """`read_exports`' ``ready``: batches of the first reads, in file order, each the reads returned."""
    from rcm_tables.inputs.parallel import FILES_PER_WORKER, read_exports

    files = [SAMPLE / name for name in NAMES]
    batches: list[list] = []
    reads, _ = read_exports(files, jobs=2, ready=batches.append)
    given = [read for batch in batches for read in batch]
    assert len(batches) >= 4 and all(len(batch) >= FILES_PER_WORKER for batch in batches)
    assert given == reads[:len(given)] and len(given) > len(reads) // 2
