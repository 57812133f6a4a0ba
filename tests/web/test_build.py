"""Build from the page: the command line's outputs for the same inputs and options, kept in output/<date-time>/,
the latest marked; a failed build leaves the last good one; one build at a time; Verify re-performs."""
from __future__ import annotations

import io
import json
import re

import pytest

from tests.web.compare import cli_build, docx_text, same_tables, zip_members
from tests.web.webfixtures import app, client, folder  # noqa: F401  (fixtures)
from tests.web.webfixtures import changed_export, csrf_of, tree
from rcm_tables.web import builds
from rcm_tables.web.folder import Folder


def _links(page: str) -> list[str]:
    return re.findall(r'href="(/output/[^"]+)"', page)


@pytest.mark.slow
def test_build_gives_the_command_lines_workbook_documents_and_zips(client, folder, tmp_path):
    token = csrf_of(client)
    response = client.post("/build", data={"csrf_token": token, "as_of": "2012-11-09", "as_of_default": "2012-11-09",
                                           "lang_en": "1", "lang_es": "1", "statements": "1"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    (built,) = builds.history(Folder(folder))
    assert built.latest and (folder / "output" / "LATEST").read_text().strip() == built.stamp
    links = _links(page)
    assert [link.rsplit("/", 1)[1] for link in links] == [
        "rcm-report.xlsx", "rcm-report.docx", "rcm-report.es.docx", "rcm-report-csv.zip", "rcm-report-statements.zip"]
    record = json.loads((built.path / "build.json").read_text())
    assert record["as_of"] == "2012-11-09" and record["as_of_given"] is False
    cli = cli_build(folder, tmp_path / "cli", "--docx", str(tmp_path / "cli" / "rcm-report.docx"), "--lang", "en,es",
                    "--statements", str(tmp_path / "cli" / "statements"))
    workbook = client.get(links[0])
    assert workbook.status_code == 200 and workbook.data == (built.path / "rcm-report.xlsx").read_bytes()
    same_tables(built.path / "rcm-report.xlsx", cli / "rcm-report.xlsx")
    for link, name in ((links[1], "rcm-report.docx"), (links[2], "rcm-report.es.docx")):
        assert docx_text(io.BytesIO(client.get(link).data)) == docx_text(cli / name)
    assert zip_members(client.get(links[3]).data) == tree(cli / "csv")
    statements = zip_members(client.get(links[4]).data)
    assert sorted(statements) == sorted(tree(cli / "statements"))
    # the tables on the page hold the CSV's figures, with thousands separators
    assert "Table 1" in page and "Annex 1" in page
    first = (cli / "csv" / "table2_summary.csv").read_text().splitlines()[2].split(",")  # contributions_received
    whole, cents = first[1].split(".")
    assert f"<td class=\"num\">{int(whole):,}.{cents}</td>" in page
    # Verify, as the auditor: the workbook re-performs against the folder's inputs
    sent = {"csrf_token": token, "workbook": (io.BytesIO(workbook.data), "rcm-report.xlsx")}
    verdict = client.post("/verify", data=sent, content_type="multipart/form-data").get_data(as_text=True)
    assert "re-performs: the folder's inputs give this workbook, byte for byte" in verdict


@pytest.mark.slow
def test_a_chosen_as_of_date_and_no_documents(client, folder, tmp_path):
    token = csrf_of(client)
    client.post("/build", data={"csrf_token": token, "as_of": "2012-10-31", "as_of_default": "2012-11-09"})
    (built,) = builds.history(Folder(folder))
    assert built.files() == ["rcm-report.xlsx", "rcm-report-csv.zip"]
    assert json.loads((built.path / "build.json").read_text())["as_of"] == "2012-10-31"
    same_tables(built.path / "rcm-report.xlsx", cli_build(folder, tmp_path / "cli", "--as-of", "2012-10-31") /
                "rcm-report.xlsx")
    page = client.get("/").get_data(as_text=True)
    assert "223,457.27" in page and "239,823.38" in page  # 2012 expenses (as published), receipts to 31 October
    # a failed build: the inputs now have an error; the last good build stays, marked latest
    bad = changed_export(tmp_path, {"M9": "abc"}, name="IOM_LineItems_2012-12.xlsx")
    (folder / "exports" / bad.name).write_bytes(bad.read_bytes())
    before = tree(folder / "output")
    client.post("/build", data={"csrf_token": token, "as_of": "2012-10-31", "as_of_default": "2012-11-09"})
    assert tree(folder / "output") == before
    assert [b.stamp for b in builds.history(Folder(folder))] == [built.stamp]
    page = client.get("/").get_data(as_text=True)
    assert "not built: 1 error(s) in the inputs" in page and "amount is not a number" in page
    assert "Since this build the inputs changed: added: IOM_LineItems_2012-12.xlsx" in page


def test_one_build_at_a_time(client, folder):
    with builds.BuildLock(Folder(folder)):
        before = tree(folder)
        client.post("/build", data={"csrf_token": csrf_of(client), "as_of": ""})
        assert tree(folder) == before
        assert "a build of this folder is running" in client.get("/").get_data(as_text=True)
    assert not (folder / "output" / builds.LOCK).exists()


def test_a_lock_left_by_a_process_that_is_gone_is_taken_over(folder):
    lock = folder / "output" / builds.LOCK
    lock.parent.mkdir()
    lock.write_text("999999999")  # no such process
    with builds.BuildLock(Folder(folder)):
        assert lock.read_text() != "999999999"


def test_a_build_with_errors_writes_nothing(client, folder, tmp_path):
    bad = changed_export(tmp_path, {"M9": "abc"}, name="IOM_LineItems_2012-12.xlsx")
    (folder / "exports" / bad.name).write_bytes(bad.read_bytes())
    client.post("/build", data={"csrf_token": csrf_of(client), "as_of": ""})
    assert [p.name for p in (folder / "output").iterdir()] == []
    assert "1 error" in client.get("/").get_data(as_text=True)


def test_downloads_are_only_those_of_a_build(client, folder):
    for url in ("/output/../reference.xlsx", "/output/x/..%2F..%2Freference.xlsx", "/output/2012/rcm-report.xlsx"):
        assert client.get(url).status_code == 404, url
