"""rcm_tables.pipeline: one request in, the same outputs as the command line out."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rcm_tables import cli
from rcm_tables.pipeline import BuildRequest, RequestError, build, resolve, validate


def test_a_request_builds_what_the_command_line_builds(tmp_path):
    by_library, by_cli = tmp_path / "lib", tmp_path / "cli"
    result = build(BuildRequest(as_of="2012-10-31", out=by_library / "r.xlsx", csv=by_library / "csv",
                                docx=by_library / "r.docx", langs=["en", "es"], cache=False))
    assert result.ok and result.report.as_of == dt.date(2012, 10, 31)
    assert cli.main(["build", "--as-of", "2012-10-31", "--out", str(by_cli / "r.xlsx"), "--csv", str(by_cli / "csv"),
                     "--docx", str(by_cli / "r.docx"), "--lang", "en,es", "--no-cache"]) == 0
    names = sorted(p.relative_to(by_library).as_posix() for p in result.written)
    assert {"r.xlsx", "r.docx", "r.es.docx"} <= set(names)
    assert len([n for n in names if n.startswith("csv/")]) == len(result.report.tables)
    for name in names:
        if name.endswith((".xlsx", ".csv")):  # the byte-stable outputs (a document carries its time of writing)
            assert (by_library / name).read_bytes() == (by_cli / name).read_bytes(), name


def test_a_request_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(RequestError, match="does not exist"):
        resolve(BuildRequest(exports=tmp_path / "nowhere", reference=tmp_path / "ref.xlsx"))
    with pytest.raises(RequestError, match="must name an .xlsx"):
        resolve(BuildRequest(out=tmp_path / "report.pdf"))
    with pytest.raises(RequestError, match="--lang is for the document"):
        resolve(BuildRequest(out=tmp_path / "r.xlsx", langs=("es",)))
    with pytest.raises(RequestError, match="not a date"):
        BuildRequest(as_of="31/10/2012")
    assert not list(tmp_path.iterdir())


def test_defaults_are_filled_in():
    request = resolve(BuildRequest(docx="x.docx"))
    assert request.langs == ("en",) and request.replace_defaults and request.csv is not None
    assert isinstance(request.docx, Path) and request.exports is not None


def test_input_errors_write_nothing(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    out = tmp_path / "out" / "r.xlsx"
    result = build(BuildRequest(exports=exports, reference=Path("workbooks/sample/reference.xlsx"), out=out,
                                cache=False))
    assert not result.ok and result.written == () and not out.parent.exists()
    assert any(p.message == "no exports in the folder" for p in result.errors)
    assert validate(BuildRequest(exports=exports, reference=Path("workbooks/sample/reference.xlsx"),
                                 cache=False)).errors


@pytest.mark.parametrize("files,snapshot,started", [(16, False, True), (15, False, False), (16, True, False)])
def test_many_exports_start_the_parsers_server_before_pandas_is_imported(tmp_path, files, snapshot, started):
    """Two workers need 16 files at least (8 each): then the server they are forked from starts before this
    process imports pandas, to import its own on another core meanwhile; with fewer, nothing starts, nor when
    the cache holds a snapshot of the folder (a rebuild parses the new files here)."""
    import hashlib
    import multiprocessing
    import subprocess
    import sys

    from rcm_tables.inputs.cache import ExportCache
    from rcm_tables.snapshot import location

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver here (Windows): workers are spawned")
    exports, reference, cache = tmp_path / "exports", tmp_path / "reference.xlsx", tmp_path / "cache"
    exports.mkdir()
    reference.write_bytes(b"a reference")
    for i in range(files):
        (exports / f"2012-{i:02d}.xlsx").write_bytes(b"")
    (exports / ".~lock.x.xlsx").write_bytes(b"")  # a hidden file is no export
    if snapshot:  # where a build's snapshot of this folder and reference is
        found = location(ExportCache(cache), sorted(exports.glob("2012-*.xlsx")),
                         hashlib.sha256(reference.read_bytes()).hexdigest())
        found.parent.mkdir(parents=True)
        found.write_bytes(b"a snapshot")
    code = ("import sys; from pathlib import Path; from multiprocessing import forkserver\n"
            "from rcm_tables.pipeline import BuildRequest, _start_parsers\n"
            f"_start_parsers(BuildRequest(exports=Path({str(exports)!r}), reference=Path({str(reference)!r}), "
            f"cache=Path({str(cache)!r}), jobs=2))\n"
            "print('pandas' in sys.modules, forkserver._forkserver._forkserver_pid is not None)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", str(started)]
