"""The fast paths of the documents: the template prepared once and copied per document, parts compressed once, and
the documents built in a second process while the workbook is written. Each must give what the slow path gives."""
from __future__ import annotations

import io
import json
import os
import zipfile

import docx
import pytest

from tests.document.docread import CONTRACT, all_text

from rcm_tables.cli import main
from rcm_tables.document import package, parallel
from rcm_tables.document.writer import Writer

INPUTS = ["build", "--no-cache", "--exports", str(CONTRACT / "exports"), "--reference", str(CONTRACT / "reference.xlsx")]


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_documents_from_one_template_are_independent_copies():
    first, second = Writer(), Writer()
    first.paragraph("only in the first")
    assert "only in the first" in first.doc.element.body.xml and "only in the first" not in second.doc.element.body.xml
    assert first.doc.styles.element is second.doc.styles.element  # the template's styles: read once, shared
    first.doc.core_properties.title = "first"
    assert second.doc.core_properties.title != "first"  # each document's own core properties
    with zipfile.ZipFile(io.BytesIO(package.save(second.doc))) as archive:
        assert "only in the first" not in archive.read("word/document.xml").decode()


def test_a_changed_template_is_read_again(tmp_path):
    template = tmp_path / "t.docx"
    mine = docx.Document()
    mine.sections[0].header.paragraphs[0].text = "LETTERHEAD ONE"
    mine.save(str(template))
    assert "LETTERHEAD ONE" in Writer(template).doc.sections[0].header._element.xml
    mine.sections[0].header.paragraphs[0].text = "LETTERHEAD TWO"
    mine.save(str(template))
    assert "LETTERHEAD TWO" in Writer(template).doc.sections[0].header._element.xml


def test_a_part_compressed_once_is_written_as_zipfile_writes_it():
    data = ("".join(f"<w:p>row {i}</w:p>" for i in range(5000))).encode()  # well above SMALL_PART
    small = b"<x/>"
    outs = []
    for _ in range(2):  # the second time from the cache of compressed parts
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            package.write_part(archive, "word/big.xml", data)
            package.write_part(archive, "word/small.xml", small)
        outs.append(out.getvalue())
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in (("word/big.xml", data), ("word/small.xml", small)):
            info = zipfile.ZipInfo(name, date_time=package.ZIP_TIME)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            archive.writestr(info, part)
    assert outs[0] == outs[1] == plain.getvalue()
    with zipfile.ZipFile(io.BytesIO(outs[1])) as archive:
        assert archive.read("word/big.xml") == data and archive.testzip() is None


def _build(tmp_path, name, monkeypatch, fork: bool, extra=()):
    monkeypatch.setattr(parallel, "can_fork", lambda: fork)
    timings = tmp_path / f"{name}.json"
    monkeypatch.setenv("RCM_TABLES_TIMINGS", str(timings))
    out = tmp_path / name
    code = main(INPUTS + ["--out", str(out / "r.xlsx"), "--docx", str(out / "r.docx"), "--lang", "en,es",
                          "--statements", str(out / "st"), *extra])
    return code, out, json.loads(timings.read_text()) if timings.exists() else {}


def test_documents_built_in_a_second_process_are_the_same_bytes(tmp_path, monkeypatch):
    code, here, here_timings = _build(tmp_path, "here", monkeypatch, fork=False)
    assert code == 0 and "parallel: documents" not in here_timings and here_timings["documents"] > 0
    code, forked, forked_timings = _build(tmp_path, "forked", monkeypatch, fork=True)
    assert code == 0
    assert forked_timings["parallel: documents"] > 0 and forked_timings["parallel: statements"] > 0
    built, again = _files(here), _files(forked)
    docs = [n for n in built if n.endswith(".docx")]
    assert len(docs) == 2 + 2 * 2 and "st/statements.csv" in built  # two reports; Canada and Mexico, two languages
    assert {n: built[n] for n in docs} == {n: again[n] for n in docs}
    assert built["st/statements.csv"] == again["st/statements.csv"]
    assert "Sección 2: Informe financiero" in all_text(forked / "r.es.docx")


def test_an_error_the_second_process_finds_stops_the_build_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    from tests.document.activities_register import GOOD, register_file

    register = register_file(tmp_path / "register.xlsx", [["7", *GOOD[1:]]])  # no section 7
    code, out, timings = _build(tmp_path, "out", monkeypatch, fork=True, extra=["--activities", str(register)])
    assert code == 1 and not out.exists()
    captured = capsys.readouterr()
    assert "register.xlsx" in captured.out and "nothing was written" in captured.err  # problems on stdout
    assert timings == {}  # a run that writes nothing writes no timings either


def test_a_second_process_that_fails_is_replaced_by_a_build_here(tmp_path, monkeypatch):
    """A bug that shows only in the second process: the documents are built again here, the same."""
    parent, real = os.getpid(), parallel.prepare

    def fails_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("a bug in the second process")
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "prepare", fails_in_the_child)
    code, out, timings = _build(tmp_path, "out", monkeypatch, fork=True)
    assert code == 0 and timings["documents"] > 0 and "parallel: documents" not in timings
    assert "Sección 2: Informe financiero" in all_text(out / "r.es.docx")


def test_this_process_builds_what_a_slow_second_process_has_not_begun(tmp_path, monkeypatch):
    """The second process starts late (it sleeps first): this one, its workbook written, claims every document
    and statement and builds them; the second claims nothing and sends an empty part. The same bytes."""
    import time

    parent, real = os.getpid(), parallel.prepare

    def slow_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            time.sleep(3)
        return real(*args, **kwargs)

    code, here, _ = _build(tmp_path, "here", monkeypatch, fork=False)
    monkeypatch.setattr(parallel, "prepare", slow_in_the_child)
    code, joined, timings = _build(tmp_path, "joined", monkeypatch, fork=True)
    assert code == 0 and timings["documents"] > 0 and timings["statements"] > 0
    assert "parallel: documents" in timings  # the second process ran, and found nothing left to build
    assert _files(here) == {n: b for n, b in _files(joined).items() if not n.endswith((".xlsx", ".csv")) or
                            n == "st/statements.csv"} | {n: b for n, b in _files(here).items() if n.endswith(".xlsx")}


def test_claims_give_each_place_to_one_process(tmp_path):
    """`parallel.Claims`: the places another process claimed (the first document, the second member) are not
    built here; the rest are, once; put together, the parts are what one process builds."""
    import multiprocessing
    from types import SimpleNamespace

    from rcm_tables.document.command import combined, places, prepare
    from rcm_tables.pipeline import BuildRequest, resolve
    from rcm_tables.report import load

    request = resolve(BuildRequest(exports=CONTRACT / "exports", reference=CONTRACT / "reference.xlsx",
                                   out=tmp_path / "r.xlsx", docx=tmp_path / "r.docx", langs=("en", "es"),
                                   statements=tmp_path / "st", cache=False))
    report = load(request.exports, request.reference, strict=False)
    assert places(request, report) == (2, 2)  # two languages; Canada and Mexico
    claims = parallel.Claims(multiprocessing.get_context("fork"), 4)
    other = prepare(request, report, share=SimpleNamespace(takes=lambda place: place in (0, 3) and claims.takes(place)))
    assert claims.left() == 2
    mine = prepare(request, report, share=claims)
    assert (other.document_places, other.member_places) == ([0], [1])
    assert (mine.document_places, mine.member_places) == ([1], [0])
    assert claims.left() == 0 and not any(claims.takes(place) for place in range(5))
    whole, together = prepare(request, report), combined([mine, other], 2)
    assert together.documents == whole.documents and together.statements == whole.statements
    assert together.table == whole.table and together.problems == whole.problems


@pytest.mark.parametrize("count", [2, 3, 7])
def test_shares_put_together_are_the_documents_one_process_builds(tmp_path, count):
    """Each process builds the documents and members whose place modulo the count is its own; `combined` puts
    them back in order: the same files, bytes and table as one process (7 shares: some have nothing to do)."""
    from rcm_tables.document.command import Share, combined, prepare
    from rcm_tables.pipeline import BuildRequest, resolve
    from rcm_tables.report import load

    request = resolve(BuildRequest(exports=CONTRACT / "exports", reference=CONTRACT / "reference.xlsx",
                                   out=tmp_path / "r.xlsx", docx=tmp_path / "r.docx", langs=("en", "es"),
                                   statements=tmp_path / "st", cache=False))
    report = load(request.exports, request.reference, strict=False)
    whole = prepare(request, report)
    parts = [prepare(request, report, share=Share(i, count)) for i in range(count)]
    assert sum(len(p.documents) for p in parts) == 2 and sum(len(p.statements) for p in parts) == 4
    together = combined(parts, 2)
    assert [name for name, _ in together.statements] == [name for name, _ in whole.statements]
    assert together.documents == whole.documents and together.statements == whole.statements
    assert together.table == whole.table and together.problems == whole.problems


@pytest.mark.parametrize("env,expected", [("1", False)])
def test_the_environment_can_keep_the_documents_in_one_process(monkeypatch, env, expected):
    monkeypatch.setenv(parallel.JOBS_ENV, env)
    assert parallel.can_fork() is expected


@pytest.mark.parametrize("text", ["plain", " leading and trailing ", "tab\there", "two\r\nlines\nand\rmore",
                                  "\tstarts with a tab", "ends with a break\n", "", "x\x0by\x0cz\x00"])
@pytest.mark.parametrize("bold,italic,size", [(False, False, None), (True, False, 9), (False, True, 7.5),
                                              (True, True, 12)])
def test_a_run_is_written_as_python_docx_writes_it(text, bold, italic, size):
    """`Writer.run` makes the XML python-docx's add_run, bold, italic and font.size make, for any text."""
    from docx.shared import Pt

    from rcm_tables.document import styles
    from rcm_tables.document.writer import printable

    writer = Writer()
    fast = writer.doc.add_paragraph()
    Writer.run(fast, text, bold=bold, italic=italic, size=size)
    slow = writer.doc.add_paragraph()
    run = slow.add_run(printable(text))
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = Pt(max(size, styles.SMALLEST_PT))
    assert fast._p.xml == slow._p.xml


@pytest.mark.parametrize("align,keep,bold,shade", [("left", False, False, False), ("right", True, True, False),
                                                   ("center", False, True, True)])
def test_a_table_cell_is_written_as_python_docx_writes_it(align, keep, bold, shade):
    """`Writer._cell` makes the XML of python-docx's paragraph style, alignment, keep_with_next and run."""
    from docx.shared import Pt

    from rcm_tables.document import styles
    from rcm_tables.document.writer import ALIGN, _shade

    writer = Writer()
    table = writer.doc.add_table(rows=1, cols=2)
    fast, slow = table.rows[0].cells
    writer._cell(fast, "  $1,234\n(Pending)", 9, align, bold=bold, shade=shade, keep=keep)
    para = slow.paragraphs[0]
    para.style = writer.doc.styles[styles.TABLE_TEXT]
    para.alignment = ALIGN[align]
    para.paragraph_format.keep_with_next = keep or None
    run = para.add_run("  $1,234\n(Pending)")
    run.bold, run.italic = bold or None, None
    run.font.size = Pt(9)
    if shade:
        _shade(slow, "D9E2F3")
    assert fast._tc.xml == slow._tc.xml
