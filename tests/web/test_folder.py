"""The folder at a glance and the month's files: added when clean, set aside with their problems when not,
never silently replacing an export; the reference workbook replaced with the old one kept; the problems as a
sortable table and as an .xlsx."""
from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import openpyxl
import pytest

from tests.web.webfixtures import app, client, folder  # noqa: F401  (fixtures)
from tests.web.webfixtures import LAST_EXPORT, SAMPLE, changed_export, csrf_of, tree, upload


def test_the_page_shows_the_folder_at_a_glance(client):
    page = client.get("/").get_data(as_text=True)
    assert "Ready to build" in page
    assert "73 in <code>exports/</code>" in page
    assert "(none missing)" in page
    # the 2012-11 export: 2 rows read, both used; its month 2012-11 (worked out from the file, conftest)
    row = page.split("<td>IOM_LineItems_2012-11.xlsx</td>")[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert cells == ["2012-11", "2", "2", "0", "0"]
    assert 'type="file" name="exports" id="exports-input" multiple' in page
    assert 'type="date" name="as_of" value="2012-11-09"' in page  # the latest posting date, as the CLI


def test_a_missing_month_is_shown(client, folder):
    (folder / "exports" / "IOM_LineItems_2010-06.xlsx").unlink()
    page = client.get("/").get_data(as_text=True)
    assert "1 missing: 2010-06" in page
    assert 'class="missing" title="2010-06: no lines"' in page


def test_an_export_with_errors_is_set_aside_then_replaced_by_the_corrected_file(client, folder, tmp_path):
    bad = changed_export(tmp_path, {"M9": "abc"}, name="IOM_LineItems_2012-12.xlsx")
    good = changed_export(tmp_path / "fixed", {"C8": "1412000098", "C9": "1412000099"},
                          name="IOM_LineItems_2012-12 fixed.xlsx")
    token = csrf_of(client)
    exports_before = tree(folder / "exports")
    upload(client, [bad], token)
    assert tree(folder / "exports") == exports_before
    assert (folder / "incoming" / bad.name).read_bytes() == bad.read_bytes()
    page = client.get("/").get_data(as_text=True)
    assert "set aside in incoming/, not in exports/: 1 error(s) to correct" in page
    assert "amount is not a number" in page and "abc" in page
    assert "Ready to build" in page  # the folder itself is still clean
    upload(client, [good], token, url="/incoming/replace", name=bad.name)
    assert not (folder / "incoming" / bad.name).exists()
    assert (folder / "exports" / good.name).read_bytes() == good.read_bytes()
    assert len(tree(folder / "exports")) == 74


def test_a_set_aside_file_can_be_removed(client, folder, tmp_path):
    bad = changed_export(tmp_path, {"M9": "abc"}, name="IOM_LineItems_2012-12.xlsx")
    token = csrf_of(client)
    upload(client, [bad], token)
    client.post("/incoming/remove", data={"csrf_token": token, "name": bad.name})
    assert list((folder / "incoming").iterdir()) == []
    client.post("/incoming/remove", data={"csrf_token": token, "name": "../reference.xlsx"})
    assert (folder / "reference.xlsx").exists()


def test_a_file_named_like_an_export_never_replaces_it_silently(client, folder, tmp_path):
    original = (folder / "exports" / LAST_EXPORT).read_bytes()
    other = changed_export(tmp_path, {"M8": 16661, "L8": 16661, "M11": 21661})
    token = csrf_of(client)
    upload(client, [other], token)
    assert (folder / "exports" / LAST_EXPORT).read_bytes() == original
    assert (folder / "incoming" / LAST_EXPORT).read_bytes() == other.read_bytes()
    page = client.get("/").get_data(as_text=True)
    assert f"exports/ already holds {LAST_EXPORT}" in page
    # the same bytes again: nothing to do
    upload(client, [SAMPLE / "exports" / LAST_EXPORT], token)
    assert (folder / "exports" / LAST_EXPORT).read_bytes() == original
    # asked for: the new file in place, the old one kept
    client.post("/incoming/use", data={"csrf_token": token, "name": LAST_EXPORT})
    assert (folder / "exports" / LAST_EXPORT).read_bytes() == other.read_bytes()
    kept = list((folder / "replaced").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == original and kept[0].name.startswith("IOM_LineItems_2012-11 (")


def test_several_exports_in_one_go_land_byte_for_byte(client, folder):
    names = sorted(p.name for p in (SAMPLE / "exports").iterdir())
    for name in names:
        (folder / "exports" / name).unlink()
    upload(client, [SAMPLE / "exports" / n for n in names], csrf_of(client))
    assert tree(folder / "exports") == tree(SAMPLE / "exports")
    assert not list((folder / "incoming").iterdir())
    assert "Ready to build" in client.get("/").get_data(as_text=True)


def test_the_reference_workbook_is_downloaded_and_replaced_keeping_a_dated_copy(client, folder, tmp_path):
    old = (folder / "reference.xlsx").read_bytes()
    download = client.get("/reference/download")
    assert download.status_code == 200 and download.data == old
    book = openpyxl.load_workbook(SAMPLE / "reference.xlsx")
    newer = tmp_path / "reference (2).xlsx"
    book.save(newer)
    token = csrf_of(client)
    upload(client, [newer], token, url="/reference", field="reference")
    assert (folder / "reference.xlsx").read_bytes() == newer.read_bytes()
    copies = list((folder / "reference-history").iterdir())
    assert len(copies) == 1 and copies[0].read_bytes() == old and copies[0].name.startswith("reference-20")
    # an export is not a reference workbook: refused, the reference left alone
    upload(client, [SAMPLE / "exports" / LAST_EXPORT], token, url="/reference", field="reference")
    assert (folder / "reference.xlsx").read_bytes() == newer.read_bytes()
    assert "reference workbook not replaced" in client.get("/").get_data(as_text=True)


def test_the_reference_sent_twice_keeps_the_old_one(client, folder, tmp_path):
    """A double click sends the form twice: the second finds the folder holding the file already and changes
    nothing; the first's dated copy of the old workbook is never replaced, even within the same second."""
    old = (folder / "reference.xlsx").read_bytes()
    book = openpyxl.load_workbook(SAMPLE / "reference.xlsx")
    newer = tmp_path / "reference.xlsx"
    book.save(newer)
    token = csrf_of(client)
    frozen = dt.datetime(2026, 12, 7, 10, 15, 0)
    with mock.patch("rcm_tables.web.uploads._now", return_value=frozen):
        upload(client, [newer], token, url="/reference", field="reference")
        upload(client, [newer], token, url="/reference", field="reference")
        assert "reference workbook unchanged: the file sent is the one the folder holds" in client.get("/").get_data(
            as_text=True)
        copies = sorted((folder / "reference-history").iterdir())
        assert [c.name for c in copies] == ["reference-2026-12-07-101500.xlsx"]
        # a third workbook in the same second: the first copy stays, the second gets a number
        book["Periods"]["A1"].value = book["Periods"]["A1"].value  # the same content, saved again: other bytes
        third = tmp_path / "third" / "reference.xlsx"
        third.parent.mkdir()
        book.save(third)
        assert third.read_bytes() != newer.read_bytes()
        upload(client, [third], token, url="/reference", field="reference")
    copies = sorted((folder / "reference-history").iterdir())
    assert [c.name for c in copies] == ["reference-2026-12-07-101500 (2).xlsx", "reference-2026-12-07-101500.xlsx"]
    assert copies[1].read_bytes() == old and copies[0].read_bytes() == newer.read_bytes()
    assert (folder / "reference.xlsx").read_bytes() == third.read_bytes()


def test_an_export_replaced_twice_in_one_second_keeps_both_old_ones(client, folder, tmp_path):
    original = (folder / "exports" / LAST_EXPORT).read_bytes()
    second = changed_export(tmp_path / "a", {"M8": 16661, "L8": 16661, "M11": 21661})
    third = changed_export(tmp_path / "b", {"M8": 16662, "L8": 16662, "M11": 21662})
    token = csrf_of(client)
    with mock.patch("rcm_tables.web.uploads._now", return_value=dt.datetime(2026, 12, 7, 10, 15, 0)):
        for made in (second, third):
            upload(client, [made], token)
            client.post("/incoming/use", data={"csrf_token": token, "name": LAST_EXPORT})
    assert (folder / "exports" / LAST_EXPORT).read_bytes() == third.read_bytes()
    kept = {p.name: p.read_bytes() for p in (folder / "replaced").iterdir()}
    assert kept == {"IOM_LineItems_2012-11 (replaced 2026-12-07 101500).xlsx": original,
                    "IOM_LineItems_2012-11 (replaced 2026-12-07 101500) (2).xlsx": second.read_bytes()}


def test_a_refused_correction_leaves_the_file_set_aside(client, folder, tmp_path):
    bad = changed_export(tmp_path, {"M9": "abc"}, name="IOM_LineItems_2012-12.xlsx")
    token = csrf_of(client)
    upload(client, [bad], token)
    # a correction with a name no export may have is refused: the file set aside is still there to correct
    upload(client, [("IOM_LineItems_2012-12.txt", b"x")], token, url="/incoming/replace", name=bad.name)
    assert (folder / "incoming" / bad.name).read_bytes() == bad.read_bytes()
    assert "IOM_LineItems_2012-12.txt: not taken" in client.get("/").get_data(as_text=True)
    # a correction of the same name that still has errors takes its place, set aside in turn
    worse = changed_export(tmp_path / "worse", {"M9": "abc", "M8": "def"}, name=bad.name)
    upload(client, [worse], token, url="/incoming/replace", name=bad.name)
    assert (folder / "incoming" / bad.name).read_bytes() == worse.read_bytes()
    assert sorted(p.name for p in (folder / "incoming").iterdir()) == [bad.name]


def test_the_problems_download_as_an_xlsx_with_text_kept_as_text(client, folder, tmp_path):
    path = changed_export(tmp_path, {"C8": "1412000099", "I8": "=HYPERLINK(\"http://evil\",\"x\")"},
                          name="IOM_LineItems_2012-12.xlsx")
    upload(client, [path], csrf_of(client))
    response = client.get("/problems/download")
    assert response.status_code == 200
    assert "problems.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Severity", "File", "Sheet", "Row", "Column", "Value", "Problem", "How to fix", "Code")
    assert rows[1][0] == "error"  # errors first
    hit = [r for r in rows if r[8] == "unknown-partner"]
    assert hit and hit[0][1:6] == ("IOM_LineItems_2012-12.xlsx", "Line Items", 8, "Partner",
                                   "=HYPERLINK(\"http://evil\",\"x\")")
    assert sheet.cell(row=rows.index(hit[0]) + 1, column=6).data_type == "s"  # a string, not a formula
    warnings = [r for r in rows[1:] if r[0] == "warning"]
    assert len(warnings) == 3  # the sample's: an income adjustment, two scale shares (no tables: no cut-off check)


@pytest.mark.few_exports
def test_verify_says_when_a_file_is_not_a_workbook_it_wrote(client, folder):
    token = csrf_of(client)
    before = tree(folder)
    for data, said in ((b"not a zip", "'junk.xlsx' cannot be read as a workbook (BadZipFile: File is not a zip file)"),
                       ((SAMPLE / "reference.xlsx").read_bytes(), "'junk.xlsx' has no Cover and Sources sheets")):
        page = client.post("/verify", data={"csrf_token": token, "workbook": (io.BytesIO(data), "junk.xlsx")},
                           content_type="multipart/form-data").get_data(as_text=True)
        assert "Not verified" in page and said.replace("'", "&#39;") in page
    assert tree(folder) == before
