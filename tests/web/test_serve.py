"""``rcm-tables serve`` as a user runs it: the address printed at once, the page answered there and only there,
a token beyond 127.0.0.1, Ctrl-C stopping it with exit 0, a folder that is not one made by init refused."""
from __future__ import annotations

import http.client
import subprocess
import sys
import urllib.parse

import pytest

from tests.web.webfixtures import folder  # noqa: F401  (fixtures)

from tests.web.browser import Served


def get(address: str, path: str = "/", host: str | None = None) -> tuple[int, str]:
    url = urllib.parse.urlsplit(address)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request("GET", path, headers={"Host": host} if host else {})
    response = connection.getresponse()
    return response.status, response.read().decode()


@pytest.mark.few_exports
def test_serve_prints_its_address_and_stops_on_ctrl_c(folder):
    with Served(folder) as served:
        assert served.seconds < 20 and served.before == []  # the address is the first line
        assert served.address.startswith("http://127.0.0.1:") and served.address.endswith("/")
        status, page = get(served.address)
        assert status == 200 and 'type="file" name="exports" id="exports-input" multiple' in page
        port = urllib.parse.urlsplit(served.address).port
        assert get(served.address, host=f"localhost:{port}")[0] == 200
        assert get(served.address, host=f"evil.example:{port}")[0] == 403  # DNS rebinding
        assert get(served.address, host="127.0.0.1")[0] == 403  # another port's page
        code, said = served.stop()
    assert code == 0 and "the page is stopped" in said


@pytest.mark.few_exports
def test_with_host_the_address_carries_a_token_that_is_required(folder):
    with Served(folder, "--host", "127.0.0.2") as served:
        url = urllib.parse.urlsplit(served.address)
        assert url.hostname == "127.0.0.2" and url.query.startswith("token=") and len(url.query) > 30
        assert get(served.address, "/")[0] == 403
        assert get(served.address, "/?token=wrong")[0] == 403
        assert get(served.address, f"/?{url.query}")[0] == 200
        assert served.stop()[0] == 0


def test_serve_refuses_a_folder_that_does_not_exist(tmp_path):
    done = subprocess.run([sys.executable, "-m", "rcm_tables", "serve", str(tmp_path / "nowhere"), "--no-browser"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "does not exist (rcm-tables init" in done.stderr and done.stdout == ""


def test_a_folder_without_its_reference_workbook_says_so_and_takes_one(tmp_path):
    from tests.web.webfixtures import SAMPLE, csrf_of, upload
    from rcm_tables.web.app import create_app

    root = tmp_path / "RCM"
    root.mkdir()
    (root / "exports").mkdir()
    client = create_app(root).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Not ready: the folder cannot be read" in page and "no reference.xlsx" in page
    assert 'type="date"' in page and "Build" in page
    upload(client, [SAMPLE / "reference.xlsx"], csrf_of(client), url="/reference", field="reference")
    assert (root / "reference.xlsx").read_bytes() == (SAMPLE / "reference.xlsx").read_bytes()
    assert "no exports in the folder" in client.get("/").get_data(as_text=True)


@pytest.mark.few_exports
def test_a_port_in_use_is_a_usage_error(folder):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "rcm_tables", "serve", str(folder), "--no-browser", "--port",
                               str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr and done.stdout == ""
