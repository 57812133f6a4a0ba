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
# a figure as any locale prints it: $282,724.00 (en_US), US$282\xa0724,00 (es_CR), US$1062 (Spanish does not
# group four digits), US$282.724,00 (es_ES)
MONEY = re.compile(r"\(?(?:US)?\$\d+(?:[,.\xa0\u202f ]\d{3})*(?:[.,]\d{1,2}(?!\d))?\)?")
CENTS = re.compile(r"[.,](\d{1,2})$")


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
    """'$282,724' -> 282724, '(US$14,140)' -> -14140, '$549.20' -> 549.20, 'US$282\xa0724,00' -> 282724.00
    (a mark followed by one or two digits at the end is the decimal mark, any other a group separator)."""
    text = text.strip().rstrip("*")
    negative = text.startswith("(")
    figure = re.sub(r"[^\d.,]", "", text)
    cents = CENTS.search(figure)
    if cents:
        value = Decimal(re.sub(r"\D", "", figure[:cents.start()]) + "." + cents.group(1))
    else:
        value = Decimal(re.sub(r"\D", "", figure))
    return -value if negative else value


def amounts(text: str) -> list[Decimal]:
    return [money(m) for m in MONEY.findall(text)]


def as_displayed(dollars, printed: str) -> Decimal:
    """A CSV figure rounded as ``printed`` shows it (whole dollars, or cents), half away from zero."""
    places = Decimal("0.01") if CENTS.search(re.sub(r"[^\d.,]", "", printed.split("$")[-1])) else Decimal("1")
    return Decimal(str(dollars)).quantize(places, rounding=ROUND_HALF_UP)
