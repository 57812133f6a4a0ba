"""The cache of parsed exports: a cached read equals a fresh one; a bad entry is ignored and rewritten."""
from __future__ import annotations

import os
import shutil

import platformdirs
import pytest

from tests.rowwise_reader import assert_same_export
from tests.xlsx import row, write_export

from rcm_tables import __version__
from rcm_tables.inputs.parallel import read_exports
from rcm_tables.inputs.cache import ENV_VAR, FORMAT, ExportCache, cache_key, default_dir, open_cache
from rcm_tables.inputs.exports import read_export


@pytest.fixture
def export_path(tmp_path):
    """An export with a title block, a Total row, an extra column, bad cells and so problems."""
    rows = [row(doc="A1"), row(doc="A2", usd="12abc", amount_doc=12.0), row(doc="A3", date="31/02/2012"),
            row(doc="A4", usd="(1,234.56)", text="=SUM(A1)")]
    return write_export(tmp_path / "2012-03.xlsx", rows)


def test_a_cached_read_equals_a_fresh_one_also_under_another_name(tmp_path, export_path):
    cache = ExportCache(tmp_path / "cache")
    fresh = read_export(export_path)
    assert fresh.problems and fresh.rejected_rows == (6, 7)
    assert cache.put(fresh)
    assert_same_export(cache.get(fresh.sha256, export_path, export_path.name), fresh)
    renamed = tmp_path / "2012-03 rerun.xlsx"
    shutil.copy(export_path, renamed)
    hit = cache.get(fresh.sha256, renamed, renamed.name)
    assert_same_export(hit, read_export(renamed))
    assert {p.file for p in hit.problems} == {"2012-03 rerun.xlsx"}


def test_entries_are_named_by_sha256_and_written_atomically(tmp_path, export_path):
    cache = ExportCache(tmp_path / "cache")
    export = read_export(export_path)
    cache.put(export)
    [entry] = cache.entries.iterdir()  # and no temporary file left
    assert entry == cache.entry(export.sha256) and entry.name.startswith(f"{export.sha256}.")


def _payload(entry: bytes) -> bytes:
    from rcm_tables.inputs.cache import MAGIC

    return entry[len(MAGIC) + 32:]


def _checksummed(payload: bytes) -> bytes:
    """``payload`` behind the entry's magic and its own valid SHA-256: damage the checksum cannot see."""
    import hashlib

    from rcm_tables.inputs.cache import MAGIC

    return MAGIC + hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "valid checksum, not Arrow",
                                    "valid checksum, cut Arrow"])
def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path, export_path, damage):
    cache = ExportCache(tmp_path / "cache")
    fresh = read_export(export_path)
    cache.put(fresh)
    entry = cache.entry(fresh.sha256)
    data = entry.read_bytes()
    entry.write_bytes({"garbage": b"not Arrow at all", "truncated": data[: len(data) // 2], "empty": b"",
                       "valid checksum, not Arrow": _checksummed(b"ARROW1 but nothing else"),
                       "valid checksum, cut Arrow": _checksummed(_payload(data)[:-40])}[damage])
    [read], notes = read_exports([export_path], cache)
    assert_same_export(read, fresh)
    assert [(n.code, n.severity, n.file) for n in notes] == [("cache-entry-corrupt", "note", export_path.name)]
    assert entry.read_bytes() == data
    assert_same_export(cache.get(fresh.sha256, export_path, export_path.name), fresh)  # rewritten, and usable


def test_an_entry_written_under_another_key_is_not_used(tmp_path, export_path):
    cache = ExportCache(tmp_path / "cache")
    fresh = read_export(export_path)
    cache.put(fresh)
    entry = cache.entry(fresh.sha256)
    from rcm_tables.inputs import cache as module

    real = module.cache_key
    module.cache_key = lambda: "v0;rcm-tables=0.0.1"  # an entry as another version wrote it, whole and valid
    try:
        entry.write_bytes(module.encode(fresh))
    finally:
        module.cache_key = real
    assert cache.get(fresh.sha256, export_path, export_path.name) is None
    assert cache.corrupt == []  # stale, not damaged: no note


def test_an_entry_of_another_version_is_replaced_not_kept_beside(tmp_path, export_path):
    cache = ExportCache(tmp_path / "cache")
    fresh = read_export(export_path)
    cache.put(fresh)
    stale = cache.entries / f"{fresh.sha256}.0000000000000000.arrow"
    cache.entry(fresh.sha256).rename(stale)  # as an older rcm-tables would have left it
    assert not cache.entry(fresh.sha256).exists()
    [read], _ = read_exports([export_path], cache)
    assert_same_export(read, fresh)
    assert list(cache.entries.iterdir()) == [cache.entry(fresh.sha256)]


def test_the_key_holds_format_version_code_and_libraries():
    key = cache_key()
    assert key.startswith(f"v{FORMAT};rcm-tables={__version__};code=")
    for library in ("pandas=", "pandera=", "python-calamine=", "pyarrow="):
        assert library in key


def test_a_cache_folder_that_cannot_be_written_is_a_note_and_the_build_goes_on(tmp_path, export_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    [read], notes = read_exports([export_path], ExportCache(blocker))
    assert_same_export(read, read_export(export_path))
    [note] = notes
    assert (note.severity, note.code) == ("note", "cache-not-written")


def test_an_unreadable_file_is_not_cached(tmp_path):
    cache = ExportCache(tmp_path / "cache")
    [read], _ = read_exports([tmp_path / "gone.xlsx"], cache)
    assert read.problems[0].code == "file-unreadable"
    assert not cache.entries.exists() or not any(cache.entries.iterdir())


def test_default_folder_is_the_user_cache_or_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "here"))
    assert default_dir() == tmp_path / "here"
    assert open_cache(True).folder == tmp_path / "here"
    monkeypatch.delenv(ENV_VAR)
    assert str(default_dir()) == platformdirs.user_cache_dir("rcm-tables", appauthor=False)
    assert open_cache(False) is None and open_cache(None) is None
    assert open_cache(tmp_path / "x").folder == tmp_path / "x"


def test_changed_file_is_parsed_again(tmp_path):
    path = write_export(tmp_path / "e.xlsx", [row(doc="A1", usd=10)])
    cache = ExportCache(tmp_path / "cache")
    [first], _ = read_exports([path], cache)
    write_export(path, [row(doc="A1", usd=20)])
    [second], _ = read_exports([path], cache)
    assert first.lines["amount_usd"].tolist() == [1000] and second.lines["amount_usd"].tolist() == [2000]
    assert len(list(cache.entries.iterdir())) == 2
    os.utime(path)  # touching a file does not change its content: same entry
    [third], _ = read_exports([path], cache)
    assert_same_export(third, second)


def test_every_single_bit_flip_of_an_entry_is_detected_or_decodes_to_the_same_read(tmp_path):
    """The hostile trial's sweep: flip each bit of one entry in turn. A flip must be caught by the checksum (the
    file is parsed again), or, if it were not, give exactly the same read: never different data."""
    from rcm_tables.inputs.cache import CorruptEntry, decode, encode

    path = tmp_path / "small.xlsx"
    write_export(path, [row(doc="D1", usd=1293.14), row(doc="D2", usd=-12.5, partner="Mexico")])
    fresh = read_export(path)
    blob = encode(fresh)
    assert_same_export(decode(blob, fresh.sha256, path, path.name), fresh)
    detected = same = 0
    for i in range(len(blob) * 8):
        flipped = bytearray(blob)
        flipped[i // 8] ^= 1 << (i % 8)
        try:
            read = decode(bytes(flipped), fresh.sha256, path, path.name)
        except CorruptEntry:
            detected += 1
            continue
        assert_same_export(read, fresh)
        same += 1
    assert detected + same == len(blob) * 8 and detected > 10_000


def test_entries_of_an_older_format_are_removed_and_nothing_else(tmp_path):
    from rcm_tables.inputs.store import prune_formats

    cache = tmp_path / "cache"
    old, foreign, newer, current = (cache / "exports-v4", cache / "snapshots-v0", cache / "exports-v9",
                                    cache / "references-v1")
    for folder in (old, foreign, newer, current):
        folder.mkdir(parents=True)
    (old / "ab12.0000.parquet").write_bytes(b"an old entry")
    (old / ".ab12.0000.parquet.1a2b.tmp").write_bytes(b"a write an interrupted build left")
    (foreign / "x.snapshot").write_bytes(b"an old snapshot")
    (foreign / "my notes.txt").write_text("not rcm-tables' own: kept, and its folder with it")
    (newer / "cd34.0000.arrow").write_bytes(b"a newer rcm-tables' entry")
    (current / "ef56.0000.ref").write_bytes(b"this version's")
    (cache / "exports-v3.txt").write_text("a file, not a folder of entries")
    prune_formats(cache, {"exports": 5, "snapshots": 1, "references": 1})
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")) == [
        "exports-v3.txt", "exports-v9", "exports-v9/cd34.0000.arrow", "references-v1", "references-v1/ef56.0000.ref",
        "snapshots-v0", "snapshots-v0/my notes.txt"]
    prune_formats(tmp_path / "no such folder", {"exports": 5})  # nothing there: nothing to do, no error


def test_a_build_removes_the_entries_an_older_format_left(tmp_path):
    import shutil

    from rcm_tables import paths
    from rcm_tables.inputs.cache import FORMAT
    from rcm_tables.pipeline import BuildRequest, build

    stale = tmp_path / "cache" / f"exports-v{FORMAT - 1}"
    stale.mkdir(parents=True)
    (stale / "ab12.0000.parquet").write_bytes(b"an old entry")
    exports = shutil.copytree(paths.SAMPLE_EXPORTS, tmp_path / "exports")
    done = build(BuildRequest(exports=exports, reference=paths.SAMPLE_REFERENCE, out=tmp_path / "out" / "r.xlsx",
                              force=True, cache=tmp_path / "cache"))
    assert done.ok and not stale.exists()
    assert len(list((tmp_path / "cache" / f"exports-v{FORMAT}").iterdir())) == len(list(exports.iterdir()))
