"""`inputs.prefetch`: a rebuild's first reads (every file's SHA-256, the snapshot's bytes and checksum) done on a
thread while the build imports pandas. What it read counts only while the file is the one read; a damaged
snapshot read ahead is found damaged, as one read later is."""
from __future__ import annotations

import hashlib
import os
import shutil

from rcm_tables import paths, snapshot
from rcm_tables.inputs import prefetch
from rcm_tables.inputs.store import SNAPSHOT_MAGIC

SAMPLE = paths.SAMPLE_EXPORTS


def _framed(payload: bytes) -> bytes:
    return SNAPSHOT_MAGIC + hashlib.sha256(payload).digest() + payload


def test_what_was_read_ahead_counts_while_the_file_is_the_one_read(tmp_path):
    a, b, blob, bad = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "s.snapshot", tmp_path / "bad.snapshot"
    a.write_bytes(b"first")
    b.write_bytes(b"second")
    blob.write_bytes(_framed(b"the ledger" * 1000))
    prefetch.start([a, b, tmp_path / "gone.xlsx"], blob, SNAPSHOT_MAGIC, lambda rest: bytes(rest[:10]).upper())
    assert prefetch.digest(a) == hashlib.sha256(b"first").hexdigest()
    b.write_bytes(b"changed!")  # another size: hashed again where it is needed
    assert prefetch.digest(b) is None and prefetch.digest(tmp_path / "gone.xlsx") is None
    assert prefetch.blob(blob) == (blob.read_bytes(), True, b"THE LEDGER")  # decoded on the thread
    assert prefetch.blob(blob) is None  # given once: its 17 MB are not kept
    prefetch.start([], blob, SNAPSHOT_MAGIC, lambda rest: 1 / 0)
    assert prefetch.blob(blob) == (blob.read_bytes(), True, None)  # a decoding that fails: decoded where it is read
    damaged = bytearray(_framed(b"the ledger" * 1000))
    damaged[-5] ^= 0xFF
    bad.write_bytes(bytes(damaged))
    decoded = []
    prefetch.start([], bad, SNAPSHOT_MAGIC, decoded.append)
    assert prefetch.blob(bad) == (bytes(damaged), False, None) and not decoded  # damaged: not decoded
    prefetch.start([a], blob, SNAPSHOT_MAGIC)
    assert prefetch.blob(blob) is not None  # (waits for the thread: what follows happens after its reads)
    os.utime(a, ns=(1, 1))  # the same bytes, touched: read again, to be safe
    assert prefetch.digest(a) is None
    prefetch.forget()
    assert prefetch.blob(blob) is None


def _build(exports, out, cache):
    from rcm_tables.pipeline import BuildRequest, build

    done = build(BuildRequest(exports=exports, reference=paths.SAMPLE_REFERENCE, out=out / "r.xlsx", csv=out / "csv",
                              force=True, cache=cache))
    assert done.ok, done.problems
    return done


def test_a_rebuild_with_its_reads_ahead_gives_the_same_files_and_finds_a_damaged_snapshot(tmp_path, monkeypatch):
    started, ahead = [], []
    real, real_decode = prefetch.start, snapshot.decode
    monkeypatch.setattr(prefetch, "start", lambda *args: started.append(args) or real(*args))
    monkeypatch.setattr(snapshot, "decode", lambda data, paths, verified=False, tables=None:
                        ahead.append((verified, tables is not None)) or real_decode(data, paths, verified, tables))
    exports = tmp_path / "exports"
    shutil.copytree(SAMPLE, exports)
    _build(exports, tmp_path / "cold", tmp_path / "cache")
    snapshot.wait()
    assert not started  # no snapshot yet: nothing to read ahead
    _build(exports, tmp_path / "warm", tmp_path / "cache")
    assert len(started) == 1 and len(started[0][0]) == len(list(SAMPLE.glob("*.xlsx"))) + 1  # + the reference
    assert ahead == [(True, True)]  # its checksum verified and its tables decompressed on the thread
    for name in ("r.xlsx", "csv/table4.csv"):
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()
    [stored] = (tmp_path / "cache" / f"snapshots-v{snapshot.FORMAT}").iterdir()
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    again = _build(exports, tmp_path / "again", tmp_path / "cache")
    assert len(started) == 2 and ahead[1:] == [(False, False)]  # damaged: found so where it is read
    assert [p.code for p in again.problems if p.code.startswith("snapshot")] == ["snapshot-corrupt"]
    for table in sorted((tmp_path / "cold" / "csv").iterdir()):  # (the workbook's Problems sheet has the note)
        assert (tmp_path / "again" / "csv" / table.name).read_bytes() == table.read_bytes()
