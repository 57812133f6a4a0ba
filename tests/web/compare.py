"""Compare what the page built with what the command line builds from the same inputs."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

TABLE_SHEETS = ("Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1", "Return Fund account")


def cli_build(folder: Path, target: Path, *options: str) -> Path:
    """``rcm-tables build --exports DIR/exports --reference DIR/reference.xlsx --out target/rcm-report.xlsx``."""
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "rcm_tables", "build", "--exports", str(folder / "exports"),
                           "--reference", str(folder / "reference.xlsx"), "--out", str(target / "rcm-report.xlsx"),
                           "--csv", str(target / "csv"), *options], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return target


def sheet_cells(path: Path, values: bool) -> dict[str, dict[str, object]]:
    """Each table sheet's cells: formulas as written (``values=False``) or the values cached with them."""
    book = openpyxl.load_workbook(path, data_only=values)
    return {name: {cell.coordinate: cell.value for row in book[name].iter_rows() for cell in row
                   if cell.value is not None} for name in TABLE_SHEETS}


def same_tables(web: Path, cli: Path) -> None:
    for values in (False, True):
        ours, theirs = sheet_cells(web, values), sheet_cells(cli, values)
        for name in TABLE_SHEETS:
            assert ours[name] == theirs[name], name
            assert len(ours[name]) > 10, name


def docx_text(path: Path) -> bytes:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml")


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
