"""The page refuses what a hostile site or a hostile file could make it do: another Host (DNS rebinding), a
cross-site POST, a stale or missing form token, a path in a file name, a device name, a file too large, HTML in
an export. Each refusal writes nothing."""
from __future__ import annotations

import io
import re

import pytest

from tests.web.webfixtures import app, client, folder  # noqa: F401  (fixtures)
from tests.web.webfixtures import LAST_EXPORT, SAMPLE, changed_export, csrf_of, tree, upload
from rcm_tables.web.security import Guard, UnsafeName, safe_name

EXPORT = (SAMPLE / "exports" / LAST_EXPORT).read_bytes()
pytestmark = pytest.mark.few_exports


def test_another_host_header_is_refused(client, folder):
    assert client.get("/", headers={"Host": "127.0.0.1"}).status_code == 200
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.:5000"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 403, host
        assert "answers for" in response.get_data(as_text=True)
    before = tree(folder.parent)
    response = client.post("/upload", headers={"Host": "evil.example"},
                           data={"csrf_token": csrf_of(client)}, content_type="multipart/form-data")
    assert response.status_code == 403
    assert tree(folder.parent) == before


def test_the_server_answers_its_own_address_only():
    guard = Guard(hosts={"127.0.0.1:8765", "localhost:8765"})
    from rcm_tables.web.app import create_app

    app = create_app(SAMPLE.parent, guard)  # never reached: every request below is refused before a route
    client = app.test_client()
    assert client.get("/static/page.css", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/static/page.css", headers={"Host": "127.0.0.1:9999"}).status_code == 403
    assert client.get("/static/page.css", headers={"Host": "attacker.example:8765"}).status_code == 403


def test_a_cross_site_post_without_the_token_is_refused_and_writes_nothing(client, folder):
    before = tree(folder.parent)
    for token in (None, "", "forged"):
        response = upload(client, [("IOM_LineItems_2012-12.xlsx", EXPORT)], token)
        assert response.status_code == 403
        assert "form token" in response.get_data(as_text=True)
    assert tree(folder.parent) == before
    assert not (folder / "incoming").exists()


def test_the_origin_of_a_post_is_checked(client, folder):
    token = csrf_of(client)
    before = tree(folder.parent)
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "http://localhost:1"}):
        response = client.post("/upload", headers=headers, content_type="multipart/form-data",
                               data={"csrf_token": token, "exports": [(io.BytesIO(EXPORT), "a.xlsx")]})
        assert response.status_code == 403, headers
    assert tree(folder.parent) == before
    ok = client.post("/upload", headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
                     content_type="multipart/form-data",
                     data={"csrf_token": token, "exports": [(io.BytesIO(EXPORT), "a.xlsx")]})
    assert ok.status_code == 302
    assert (folder / "exports" / "a.xlsx").read_bytes() == EXPORT


def test_every_form_on_the_page_carries_the_token(client):
    page = client.get("/").get_data(as_text=True)
    forms = page.count('method="post"')
    assert forms >= 4
    assert page.count(f'name="csrf_token" value="{csrf_of(client)}"') == forms
    assert csrf_of(client, from_page=True) == csrf_of(client)


def test_an_uploaded_name_is_reduced_to_a_safe_base_name(client, folder, tmp_path):
    token = csrf_of(client)
    outside = tree(folder.parent)
    response = upload(client, [("../../escaped.xlsx", EXPORT), ("..\\..\\win.xlsx", EXPORT)], token)
    assert response.status_code == 302
    after = tree(folder.parent)
    new = sorted(set(after) - set(outside))
    assert new == ["RCM/exports/escaped.xlsx", "RCM/exports/win.xlsx"]
    assert after["RCM/exports/escaped.xlsx"] == EXPORT
    assert not (tmp_path.parent / "escaped.xlsx").exists()


@pytest.mark.parametrize("name", ["CON.xlsx", "nul.csv", "com1.xlsx", "LPT9.ods", "a<b.xlsx", "a:b.xlsx",
                                  "..", "../", "notes.txt", "export.exe", "x" * 200 + ".xlsx", ""])
def test_an_unsafe_name_is_refused_and_nothing_is_written(client, folder, name):
    before = tree(folder.parent)
    response = upload(client, [(name, EXPORT)], csrf_of(client))
    assert response.status_code == 302
    assert tree(folder.parent) == before
    said = [m["text"] for m in client.application.extensions["rcm"]["messages"]]  # what the page shows next
    assert said == ([f"{name}: not taken: {exc_text(name)}"] if name else ["choose one or more export files first"])
    with pytest.raises(UnsafeName):
        safe_name(name, (".xlsx", ".csv", ".ods"))


def exc_text(name: str) -> str:
    try:
        safe_name(name, (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv"))
    except UnsafeName as exc:
        return str(exc)
    raise AssertionError(name)


def test_safe_names():
    assert safe_name("/home/me/IOM_LineItems_2012-12.xlsx", (".xlsx",)) == "IOM_LineItems_2012-12.xlsx"
    assert safe_name("C:\\Users\\me\\Desktop\\Nov.XLSX", (".xlsx",)) == "Nov.XLSX"
    assert safe_name(".hidden.xlsx", (".xlsx",)) == "hidden.xlsx"
    assert safe_name("console.xlsx", (".xlsx",)) == "console.xlsx"  # CON only as the whole stem
    assert safe_name("CON.backup.xlsx".replace("CON.", "CONS."), (".xlsx",)) == "CONS.backup.xlsx"


def test_a_file_over_the_size_limit_is_refused_whole(client, folder, monkeypatch):
    from rcm_tables.web import uploads

    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", len(EXPORT) - 1)
    before = tree(folder.parent)
    upload(client, [("IOM_LineItems_2012-12.xlsx", EXPORT)], csrf_of(client))
    assert tree(folder.parent) == before
    assert not list((folder / "incoming").glob("*")) if (folder / "incoming").exists() else True
    assert "larger than" in client.get("/").get_data(as_text=True)


def test_a_request_over_the_limit_is_refused(app, client, folder):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    before = tree(folder.parent)
    response = upload(client, [("a.xlsx", EXPORT), ("b.xlsx", EXPORT)], csrf_of(client))
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)
    assert tree(folder.parent) == before


def test_a_partner_written_as_html_shows_as_text(client, folder, tmp_path):
    hostile = '<img src=x onerror="document.title=\'owned\'">'
    path = changed_export(tmp_path, {"C8": "1412000099", "I8": hostile}, name="IOM_LineItems_2012-12.xlsx")
    upload(client, [path], csrf_of(client))
    assert (folder / "exports" / path.name).read_bytes() == path.read_bytes()  # a clean file, read alone
    page = client.get("/").get_data(as_text=True)
    assert "<img" not in page
    assert "&lt;img src=x onerror=&#34;document.title=&#39;owned&#39;&#34;&gt;" in page
    assert "1 error" in page and "unknown-partner" in page


def test_with_a_token_every_request_must_show_it(folder):
    from rcm_tables.web.app import create_app

    app = create_app(folder, Guard(hosts=set(), token="s3cret-token"))
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/static/page.css").status_code == 403
    assert client.get("/?token=s3cret-token").status_code == 200
    assert client.get("/").status_code == 200  # the cookie holds it now
    other = app.test_client()
    assert other.get("/problems/download").status_code == 403


def test_the_page_forbids_other_sites_frames_and_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "form-action 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and not re.search(r"<[^>]*\son[a-z]+=", page)  # no inline script or handler


def test_an_export_built_to_abort_the_reader_is_an_error_on_the_page(client, folder, tmp_path):
    """A far cell behind a namespace prefix: calamine would ask for 113 GB and abort the server's process with the
    page. The pre-flight refuses it (`sheet-too-far`), and the page keeps answering."""
    import zipfile

    from tests.xlsx import SHEET_PART, _rebuild, _sheet

    path = tmp_path / LAST_EXPORT.replace("12", "13")
    path.write_bytes(EXPORT)
    sheet = _sheet(path)
    sheet = re.sub(rb"<(/?)(c|row|sheetData)\b", rb"<\1x:\2", sheet)
    sheet = sheet.replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
                                          b'2006/main" ', 1)
    sheet = re.sub(rb'<x:c r="[A-Z]+1"', b'<x:c r="ZZZZZZ1"', sheet, count=1)
    _rebuild(path, {SHEET_PART: sheet})
    assert b'<x:c r="ZZZZZZ1"' in zipfile.ZipFile(path).read(SHEET_PART)
    upload(client, [path], csrf_of(client))
    page = client.get("/").get_data(as_text=True)
    assert "sheet-too-far" in page and "ZZZZZZ1" in page
    assert client.get("/").status_code == 200
