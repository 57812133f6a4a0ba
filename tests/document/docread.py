"""Reading a written .docx back with python-docx: the body in order, each Word table by its registry name, and
the figures printed in it."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "tests" / "contract" / "inputs"  # the contract-only scenario
ACTIVITIES = ROOT / "workbooks" / "sample" / "activities.xlsx"
MONEY = re.compile(r"\(?(?:US)?\$[\d,]+(?:\.\d+)?\)?")


def body(path: Path) -> list[tuple[str, object]]:
    """("p", paragraph) and ("t", table) in the order of the document."""
    document = docx.Document(str(path))
    paragraphs = {id(p._p): p for p in document.paragraphs}
    tables = {id(t._tbl): t for t in document.tables}
    out = []
    for child in document.element.body:
        if child.tag == qn("w:p"):
            out.append(("p", paragraphs[id(child)]))
        elif child.tag == qn("w:tbl"):
            out.append(("t", tables[id(child)]))
    return out


def table_name(table) -> str:
    found = table._tbl.tblPr.find(qn("w:tblDescription"))
    return "" if found is None else found.get(qn("w:val"))


def tables(path: Path) -> dict[str, list]:
    """Registry name -> its Word tables, in order."""
    out: dict[str, list] = {}
    for kind, item in body(path):
        if kind == "t":
            out.setdefault(table_name(item), []).append(item)
    return out


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    return "\n".join(texts)


def money(text: str) -> Decimal:
    """'$282,724' -> 282724, '(US$14,140)' -> -14140, '$549.20' -> 549.20."""
    text = text.strip().rstrip("*")
    negative = text.startswith("(")
    value = Decimal(re.sub(r"[^\d.]", "", text))
    return -value if negative else value


def amounts(text: str) -> list[Decimal]:
    return [money(m) for m in MONEY.findall(text)]


def as_displayed(dollars, printed: str) -> Decimal:
    """A CSV figure rounded as ``printed`` shows it (whole dollars, or cents), half away from zero."""
    places = Decimal("0.01") if "." in printed.split("$")[-1] else Decimal("1")
    return Decimal(str(dollars)).quantize(places, rounding=ROUND_HALF_UP)
