"""Helpers of the `rcm-tables init` tests: a new folder, its sheets' rows, the sample's Accounts pasted in."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from tests.helpers import ROOT

from rcm_tables import schemas as S
from rcm_tables.cli import main
from rcm_tables.init.workbook import FIRST_DATA, HEADER_ROW

SAMPLE = ROOT / "workbooks" / "sample"


def make_folder(target: Path, *argv: str) -> Path:
    assert main(["init", str(target), *argv]) == 0
    return target


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    """The rows below a sheet's header, as {header: value} (openpyxl: the cells as written)."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[HEADER_ROW + 1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=FIRST_DATA + 1, values_only=True)
            if any(v is not None for v in row)]


def copy_with(folder: Path, target: Path, edit) -> Path:
    """A copy of ``folder`` whose reference workbook ``edit`` (an openpyxl workbook -> None) has changed."""
    shutil.copytree(folder, target)
    book = openpyxl.load_workbook(target / "reference.xlsx")
    edit(book)
    book.save(target / "reference.xlsx")
    return target


def paste_sample_accounts(book) -> None:
    """The sample's Accounts rows (its invented mapping, which only a Secretariat knows) below init's header."""
    source = openpyxl.load_workbook(SAMPLE / "reference.xlsx")[S.ACCOUNTS_SHEET]
    target = book[S.ACCOUNTS_SHEET]
    for i, values in enumerate(source.iter_rows(min_row=2, values_only=True)):
        for j, value in enumerate(values):
            target.cell(FIRST_DATA + 1 + i, j + 1, value)
