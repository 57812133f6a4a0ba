"""Recalculate .xlsx workbooks in LibreOffice (headless) and print every formula cell's result as JSON.

Run with a Python that has LibreOffice's `uno` module (Debian: /usr/bin/python3 with python3-uno), not the
project's venv:

    /usr/bin/python3 tests/lo_recalc.py [--pdf DIR [--print BOOK ...]] [--pidfile FILE] BOOK.xlsx [...] > results.json

One soffice process (private profile, named pipe) serves every workbook. For each workbook the document is
loaded, ``calculateAll()`` forces a full recalculation (LibreOffice keeps an .xlsx file's cached results on
load), and every formula cell of every sheet is reported: sheet, row and column (0-based), its formula, the
error code (0 = none), the result type and the value. Text cells that look like formulas are reported
separately, so a test can prove they stayed text. With ``--pdf DIR`` each workbook (or each ``--print`` one) is
also printed to PDF (LibreOffice lays out every sheet: a layout that crashes it fails here). ``--pidfile`` receives soffice's
process id, so that a caller that times out can end it.

Output: {"calculated": true, "seconds": s, "books": {path: {"formulas": [...], "formula_like_text": [...]}}}
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

# LibreOffice's modules (uno, com.sun.star...) are imported inside the functions, so that pytest can import
# this file from the project's venv (doctest collection) without them.
START_TIMEOUT = 90  # seconds: a first start with a fresh profile on a slow CI machine


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("soffice not found")


def _connect(pipe: str, proc: subprocess.Popen):
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"soffice exited with code {proc.returncode} before accepting connections")
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise SystemExit(f"soffice did not accept connections within {START_TIMEOUT} s")
            time.sleep(0.25)


def _addresses(ranges) -> set[tuple[int, int]]:
    cells = set()
    for a in ranges.getRangeAddresses():
        for row in range(a.StartRow, a.EndRow + 1):
            for col in range(a.StartColumn, a.EndColumn + 1):
                cells.add((row, col))
    return cells


def _read(doc) -> dict:
    """Every formula cell and every formula-like text cell, read a sheet at a time (few UNO calls: fast)."""
    from com.sun.star.sheet.CellFlags import FORMULA, STRING
    from com.sun.star.sheet.FormulaResult import ERROR

    formulas, texts = [], []
    sheets = doc.Sheets
    for s in range(sheets.Count):
        sheet = sheets.getByIndex(s)
        formula_cells = _addresses(sheet.queryContentCells(FORMULA))
        text_cells = _addresses(sheet.queryContentCells(STRING))
        if not formula_cells and not text_cells:
            continue
        errors = _addresses(sheet.queryFormulaCells(ERROR))
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        block = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
        data = block.getDataArray()
        formula_text = block.getFormulaArray()
        for row, col in sorted(formula_cells):
            value = data[row][col]
            formulas.append({"sheet": sheet.Name, "row": row, "col": col, "formula": formula_text[row][col],
                             "error": (row, col) in errors,
                             "type": "text" if isinstance(value, str) else "value", "value": value})
        for row, col in sorted(text_cells - formula_cells):
            text = data[row][col]
            if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
                texts.append({"sheet": sheet.Name, "row": row, "col": col, "text": text})
    return {"formulas": formulas, "formula_like_text": texts}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", type=Path)
    parser.add_argument("--print", action="append", default=[], dest="print_only")
    parser.add_argument("--pidfile", type=Path)
    parser.add_argument("--profile", type=Path, help="the user profile to use (and keep); default: a temporary one")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    started = time.monotonic()
    profile = args.profile or Path(tempfile.mkdtemp(prefix="rcm-lo-profile-"))
    pipe = f"rcm_lo_{uuid.uuid4().hex}"
    cmd = [_soffice(), "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if args.pidfile:
        args.pidfile.write_text(str(proc.pid))
    books = {}
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for path in args.paths:
            url = Path(path).resolve().as_uri()
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True), _prop("ReadOnly", True)))
            if doc is None:
                raise SystemExit(f"LibreOffice could not open {path}")
            try:
                doc.calculateAll()
                books[path] = _read(doc)
                if args.pdf and (not args.print_only or path in args.print_only):
                    target = args.pdf / (Path(path).stem + ".pdf")
                    doc.storeToURL(target.resolve().as_uri(), (_prop("FilterName", "calc_pdf_Export"),))
                    books[path]["pdf_bytes"] = target.stat().st_size
            finally:
                doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge drops as soffice exits
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        if args.profile is None:
            shutil.rmtree(profile, ignore_errors=True)
    json.dump({"calculated": True, "seconds": round(time.monotonic() - started, 2), "books": books}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
