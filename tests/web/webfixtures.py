"""Fixtures of the page's tests: a folder as `rcm-tables init` lays it out, holding the bundled sample, and the
page's Flask app on it (the test client: real routes, real files, no server).

Not a conftest.py: tests elsewhere import names from tests/conftest.py as ``conftest``, which a second
conftest.py would shadow. The test modules import the fixtures from here."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "sample"
LAST_EXPORT = "IOM_LineItems_2012-11.xlsx"  # two lines: row 8 Mexico 16,660.00; row 9 Panama 5,000.00


@pytest.fixture
def folder(request, tmp_path) -> Path:
    """The sample in a folder laid out by init; with ``@pytest.mark.few_exports`` only its 2012 exports (the
    security tests need a folder, not the whole history)."""
    root = tmp_path / "RCM"
    (root / "exports").mkdir(parents=True)
    few = request.node.get_closest_marker("few_exports") is not None
    for path in sorted((SAMPLE / "exports").iterdir()):
        if not few or "_2012-" in path.name:
            shutil.copy(path, root / "exports" / path.name)
    shutil.copy(SAMPLE / "reference.xlsx", root / "reference.xlsx")
    return root


@pytest.fixture
def app(folder):
    from rcm_tables.web.app import create_app

    return create_app(folder)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(client, from_page: bool = False) -> str:
    """The form token the page puts in its forms: read from the page as a browser does (``from_page``), or from
    the server's guard (test_every_form_on_the_page_carries_the_token proves them the same)."""
    if not from_page:
        return client.application.extensions["rcm"]["guard"].csrf
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def changed_export(tmp_path: Path, cells: dict, name: str = LAST_EXPORT) -> Path:
    """The sample's last export with cells changed (a typing mistake, a hostile partner)."""
    book = openpyxl.load_workbook(SAMPLE / "exports" / LAST_EXPORT)
    for cell, value in cells.items():
        book.active[cell] = value
        if isinstance(value, str) and value.startswith("="):
            book.active[cell].data_type = "s"  # text that looks like a formula, as an export may hold
    path = tmp_path / "made" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def upload(client, paths_or_pairs, token: str | None, url: str = "/upload", field: str = "exports", **extra):
    """POST files as the page's form does: (name, bytes) pairs or paths."""
    files = []
    for item in paths_or_pairs:
        name, data = (item.name, item.read_bytes()) if isinstance(item, Path) else item
        files.append((io.BytesIO(data), name))
    form = {field: files, **extra}
    if token is not None:
        form["csrf_token"] = token
    return client.post(url, data=form, content_type="multipart/form-data")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes): to prove that nothing was written."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
