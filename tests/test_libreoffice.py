"""Recalculate the workbooks in a real spreadsheet engine: LibreOffice Calc, headless, driven through UNO.

`lo_recalc.py` runs under a Python that has LibreOffice's `uno` module (Debian: /usr/bin/python3 with
python3-uno), loads each workbook, forces a full recalculation with ``calculateAll()``, prints it to PDF, and
reports every formula cell's recalculated value. The tests then compare each one with the value cached in
the file (what pandas computed), to the cent. A copy with deliberately wrong cached values proves that the
recalculation really happens. Without LibreOffice the tests skip, except on CI (CI=true), where they fail.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

# make test runs with pytest-xdist --dist loadgroup: the LibreOffice tests share one worker (one soffice at a
# time on a 2-core machine, one user profile for all: see conftest.lo_profile)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("libreoffice")]  # LibreOffice: seconds per workbook

from tests.helpers import HYPERLINK

SCRIPT = Path(__file__).with_name("lo_recalc.py")
TIMEOUT = 900  # seconds for the whole run: a first start of LibreOffice on a cold CI machine is slow
# Two cells given wrong cached values: Table 1's 2012 received, and the first check (which depends on it).
TAMPERED = {("Table 1", "C14"): ("261483.38", "999999"), ("Checks", "H5"): ("OK", "FAILED")}


def uno_python() -> str | None:
    """A Python that can `import uno`, or None (also when soffice itself is missing)."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return None
    for candidate in (os.environ.get("RCM_UNO_PYTHON"), "/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if candidate and Path(candidate).exists():
            done = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=120)
            if done.returncode == 0:
                return candidate
    return None


def sheet_files(path: Path) -> dict[str, str]:
    """Sheet name -> its XML part inside the .xlsx."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship Id="(rId\d+)" Type="[^"]+/worksheet" Target="([^"]+)"', rels))
    return {name: "xl/" + targets[rid] for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"',
                                                                       book)}


def tamper(source: Path, target: Path) -> None:
    """Copy a workbook, replacing the cached results of the TAMPERED cells (their formulas stay)."""
    parts = sheet_files(source)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            for (sheet, cell), (old, new) in TAMPERED.items():
                if parts[sheet] == item.filename:
                    text, n = re.subn(rf'(<c r="{cell}"[^>]*><f>[^<]*</f><v>){re.escape(old)}(</v>)',
                                      rf"\g<1>{new}\g<2>", data.decode())
                    assert n == 1, (sheet, cell)
                    data = text.encode()
            dst.writestr(item, data)


TAMPERS = ("receipt", "expense", "budget-line", "partner")


def tamper_ledger(source: Path, target: Path, how: str) -> Path:
    """An auditor's test: change one thing on the Ledger sheet (openpyxl keeps the formulas; LibreOffice then
    recalculates every one)."""
    book = openpyxl.load_workbook(source)
    ws = book["Ledger"]
    header = [c.value for c in ws[4]]
    col = {name: header.index(name) + 1 for name in ("Amount (USD)", "Kind", "Period", "Budget Line", "Partner",
                                                     "Fund")}
    rows = list(range(5, ws.max_row + 1))

    def first(kind: str, period: str) -> int:
        return next(r for r in rows if ws.cell(r, col["Kind"]).value == kind and ws.cell(r, col["Fund"]).value == "TS"
                    and ws.cell(r, col["Period"]).value == period)

    if how == "receipt":  # 16,682 -> 6,682, as the auditor's trial did
        row = next(r for r in rows if ws.cell(r, col["Amount (USD)"]).value == 16682)
        ws.cell(row, col["Amount (USD)"]).value = 6682
    elif how == "expense":
        row = first("expense", "2012")
        ws.cell(row, col["Amount (USD)"]).value = round(ws.cell(row, col["Amount (USD)"]).value * 10, 2)
    elif how == "budget-line":
        row = first("expense", "2012")
        lines = {ws.cell(r, col["Budget Line"]).value for r in rows if ws.cell(r, col["Period"]).value == "2012"}
        other = sorted(lines - {ws.cell(row, col["Budget Line"]).value, None, ""})[0]
        ws.cell(row, col["Budget Line"]).value = other
    else:  # a receipt's partner
        row = next(r for r in rows if ws.cell(r, col["Partner"]).value == "Mexico")
        ws.cell(row, col["Partner"]).value = "Canada"
    book.save(target)
    return target


@pytest.fixture(scope="module")
def recalculated(sample_workbook, tricky_workbook, summarised_workbook, tmp_path_factory, lo_profile):
    python = uno_python()
    if python is None:
        message = "LibreOffice (soffice) with Python UNO is not installed: apt-get install libreoffice-calc-nogui python3-uno"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("libreoffice")
    tampered = folder / "tampered.xlsx"
    tamper(sample_workbook, tampered)
    books = {"sample": Path(sample_workbook), "tricky": Path(tricky_workbook), "tampered": tampered,
             "summarised": Path(summarised_workbook)}
    for how in TAMPERS:
        books[f"ledger-{how}"] = tamper_ledger(sample_workbook, folder / f"ledger-{how}.xlsx", how)
    pidfile = folder / "soffice.pid"
    started = time.monotonic()
    printed = [arg for name in ("sample", "tricky") for arg in ("--print", str(books[name]))]  # tampered: same layout
    proc = subprocess.Popen([python, str(SCRIPT), "--pdf", str(folder), *printed, "--pidfile", str(pidfile),
                             "--profile", str(lo_profile),
                             *map(str, books.values())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        if pidfile.exists():  # the soffice this run started, by its own process group
            try:
                os.killpg(int(pidfile.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.communicate()
        pytest.fail(f"LibreOffice did not finish within {TIMEOUT} s")
    assert proc.returncode == 0, err
    result = json.loads(out)
    elapsed = time.monotonic() - started
    print(f"\nLibreOffice recalculated {len(books)} workbooks in {elapsed:.1f} s "
          f"({sum(len(b['formulas']) for b in result['books'].values())} formula cells)")
    return {name: result["books"][str(path)] for name, path in books.items()}, books, folder


def cached_values(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    return {(ws.title, cell.coordinate): book[ws.title][cell.coordinate].value
            for ws in formulas.worksheets for row in ws.iter_rows() for cell in row if cell.data_type == "f"}


def coordinate(f: dict) -> tuple[str, str]:
    return f["sheet"], openpyxl.utils.get_column_letter(f["col"] + 1) + str(f["row"] + 1)


def to_cents(value) -> int:
    return round(float(value) * 100)  # True/False are 1/0, as LibreOffice gives them


@pytest.mark.parametrize("name", ["sample", "tricky", "summarised"])
def test_every_formula_recalculates_to_its_cached_value(recalculated, name):
    results, books, _ = recalculated
    cached = cached_values(books[name])
    formulas = results[name]["formulas"]
    assert {coordinate(f) for f in formulas} == set(cached)  # LibreOffice saw every formula of the file
    differ = []
    for f in formulas:
        assert not f["error"], (coordinate(f), f["formula"])
        want = cached[coordinate(f)]
        if isinstance(want, str):  # a status: OK, EXPLAINED or FAILED
            assert f["type"] == "text", (coordinate(f), f["value"])
            if f["value"] != want:
                differ.append((coordinate(f), f["formula"], f["value"], want))
            continue
        assert f["type"] == "value", (coordinate(f), f["value"])
        if to_cents(f["value"]) != to_cents(want):
            differ.append((coordinate(f), f["formula"], f["value"], want))
    assert differ == []
    print(f"{name}: {len(formulas)} formula cells equal their cached values to the cent")
    if name == "sample":
        assert len(formulas) > 1200


def test_libreoffice_really_recalculates(recalculated):
    results, books, _ = recalculated
    stored = cached_values(books["tampered"])
    assert stored[("Table 1", "C14")] == 999999 and stored[("Checks", "H5")] == "FAILED"  # the wrong caches
    got = {coordinate(f): f["value"] for f in results["tampered"]["formulas"]}
    assert got[("Table 1", "C14")] == pytest.approx(261483.38, abs=0.001)  # recalculated, not read from the file
    assert got[("Checks", "H5")] == "OK"


def test_no_cell_holds_an_error_value(recalculated):
    results, _, _ = recalculated
    for name, book in results.items():
        for f in book["formulas"]:
            shown = str(f["value"])
            assert not f["error"] and not shown.startswith(("#", "Err:")), (name, coordinate(f), shown)


def test_blank_partner_and_literal_names_in_libreoffice(recalculated):
    results, _, _ = recalculated
    sample = {coordinate(f): f["value"] for f in results["sample"]["formulas"]}
    assert sample[("Table 4", "C19")] == pytest.approx(-125)  # (no partner: adjustments), 2009
    tricky = {coordinate(f): f["value"] for f in results["tricky"]["formulas"]}
    # Table 4, 2012 received: Star* is not Star* + StarBright; Why? not Why? + WhyZ; =Equals and <Less literal
    assert [tricky[("Table 4", f"F{r}")] for r in range(8, 16)] == pytest.approx([300, 200, 150, 100, 100, 50, 50,
                                                                                  -1.25])


def test_formula_like_text_stays_text_in_libreoffice(recalculated):
    results, _, _ = recalculated
    texts = {t["text"] for t in results["tricky"]["formula_like_text"]}
    assert {HYPERLINK, "=1+1", "+ bank charges", "- salary", "@ late", "=Equals"} <= texts
    assert not [f for book in results.values() for f in book["formulas"] if "HYPERLINK" in f["formula"]]


def test_libreoffice_prints_the_workbooks(recalculated):
    results, books, folder = recalculated
    for name in ("sample", "tricky"):
        path = books[name]
        assert results[name]["pdf_bytes"] > 10_000, name
        assert (folder / (path.stem + ".pdf")).read_bytes()[:5] == b"%PDF-"


def test_a_summarised_ledger_gives_every_figure_of_the_full_one(recalculated):
    # closed periods' expense lines summarised on the Ledger sheet: the same figures, recalculated
    results, _, _ = recalculated
    full = {coordinate(f): f["value"] for f in results["sample"]["formulas"] if f["sheet"] != "Ledger"}
    summarised = {coordinate(f): f["value"] for f in results["summarised"]["formulas"] if f["sheet"] != "Ledger"}
    tables = {k for k in full if k[0].startswith(("Table", "Annex", "Checks", "Sources"))}
    assert tables and tables <= set(summarised)
    def same(a, b) -> bool:
        return a == b if isinstance(a, str) or isinstance(b, str) else to_cents(a) == to_cents(b)

    assert [k for k in tables if not same(full[k], summarised[k])] == []


@pytest.mark.parametrize("how, group", [("receipt", "Control totals"), ("expense", "Control totals"),
                                        ("budget-line", "Budget lines"), ("partner", "Partners")])
def test_a_change_on_the_ledger_turns_a_check_failed(recalculated, how, group):
    """After LibreOffice recalculates a workbook changed on its Ledger, at least one check of the group that
    guards that kind of change is FAILED (the untouched sample has none)."""
    results, books, _ = recalculated
    groups = {row: ws_row[1] for row, ws_row in enumerate(
        openpyxl.load_workbook(books["sample"])["Checks"].iter_rows(values_only=True), start=1)}

    def failed(name):
        return {groups[f["row"] + 1] for f in results[name]["formulas"]
                if f["sheet"] == "Checks" and f["col"] == 7 and f["value"] == "FAILED"}

    assert failed("sample") == set()
    assert group in failed(f"ledger-{how}"), failed(f"ledger-{how}")


def test_the_cover_counts_follow_the_checks_after_a_change_on_the_ledger(recalculated):
    """After a tamper and recalculation, the Cover's figures move with the Checks (they are COUNTIFs over them)."""
    results, _books, _ = recalculated

    def cover_and_checks(name):
        cells = {coordinate(f): f["value"] for f in results[name]["formulas"]}
        statuses = [f["value"] for f in results[name]["formulas"] if f["sheet"] == "Checks" and f["col"] == 7]
        return [cells[("Cover", f"B{row}")] for row in (9, 10, 11)], statuses

    before, statuses = cover_and_checks("sample")
    assert before == [statuses.count("OK"), statuses.count("EXPLAINED"), 0]
    after, statuses = cover_and_checks("ledger-receipt")
    assert after[2] == statuses.count("FAILED") > 0
    assert after[0] == before[0] - after[2] and after[1] == before[1]


def _pages(path: Path) -> list[tuple[str, str, list[float]]]:
    """(sheet named in the footer, the page's text above the footer, its font sizes) per printed page."""
    import pymupdf

    pages = []
    for page in pymupdf.open(path):
        spans = [s for b in page.get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]
                 if s["text"].strip()]
        assert spans, f"page {page.number + 1} is blank"
        bottom = page.rect.height * 0.9
        footer = [s for s in spans if s["bbox"][1] > bottom]
        assert any(s["text"].startswith("Page ") and " of " in s["text"] for s in footer), page.number
        name = next((s["text"] for s in footer if not s["text"].startswith("Page ")), "?")
        body = [s for s in spans if s["bbox"][1] <= bottom]
        pages.append((name, " ".join(s["text"] for s in body), [s["size"] for s in body]))
    return pages


def test_the_printed_workbook_is_readable(recalculated):
    """The sample printed by LibreOffice: the report, not the listings (the Ledger, the reference sheets and the
    comparison print their title and note), at most 40 pages, no blank page, no text below 7.5 points, every
    page with its sheet's name and "Page N of M" in the footer, the Cover whole on one page, Table 4 with each
    period's columns together."""
    _results, books, folder = recalculated
    pages = _pages(folder / (books["sample"].stem + ".pdf"))
    count: dict[str, int] = {}
    for name, _text, _sizes in pages:
        count[name] = count.get(name, 0) + 1
    print(f"\n{len(pages)} pages: {count}")
    assert len(pages) <= 40
    assert min(size for _n, _t, sizes in pages for size in sizes) >= 7.5
    assert count["Cover"] == 1 and count["Ledger"] == 1 and count["Published vs computed"] == 1
    ledger = next(text for name, text, _ in pages if name == "Ledger")
    assert "Printing gives the lines above only" in ledger and "IOM_LineItems_2007-01.xlsx" not in ledger
    assert set(count) >= {"Table 1", "Table 4", "Checks", "Sources"}
    cover_text = "".join(next(text for name, text, _ in pages if name == "Cover").split())
    values = openpyxl.load_workbook(books["sample"], data_only=True)["Cover"]
    texts = [c.value for row in values.iter_rows() for c in row if isinstance(c.value, str)]
    assert len(texts) > 20 and [t for t in texts if "".join(t.split()) not in cover_text] == []
    table4 = [text for name, text, _ in pages if name == "Table 4"]
    assert len(table4) == 2  # 2009-2010, 2011-2012: each period's three columns under its header
    for text in table4:
        periods = re.findall(r"\d\d/\d\d/\d{4} to \d\d/\d\d/\d{4}", text)
        assert len(periods) == 2 and text.count("Date(s) of receipt") >= 2 and text.count("Pending") >= 2
