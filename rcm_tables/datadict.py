"""The data dictionary (docs/data-dictionary.md), generated from the pandera schemas: every column of the ledger
and of each table as the public frames and the CSVs give it, with its type, unit and meaning; then every sheet of
the reference workbook as its keeper fills it in.

    python -m rcm_tables.datadict > docs/data-dictionary.md

A test fails when the file is stale.
"""
from __future__ import annotations

from . import public
from . import schemas as S
from .tables import FRAMES

HEADER = """# Data dictionary

Generated from the schemas (`python -m rcm_tables.datadict > docs/data-dictionary.md`; a test keeps it
current). The public convention (docs/data-conventions.md): money is exact US dollars, `decimal128(18, 2)`, in
columns named `…_usd`; missing text is NA; fund, kind and doc type are categoricals; periods are text. The CSV
files have the same columns, money as dollars with two decimals.
"""


def _kind(model, column: str) -> tuple[str, str]:
    """(type, unit) of a column in the public frames."""
    if column in S.money_columns(model):
        return "decimal128(18, 2)", "the document's currency" if column == S.Ledger.amount_doc else "US dollars"
    if column in public.CATEGORIES:
        return "category", ""
    if column in S.date_columns(model):
        return "date", ""
    dtype = str(S.schema(model).columns[column].dtype)
    if "int" in dtype.lower():
        return "integer", ""
    if "float" in dtype.lower():
        return "float", "percentage points" if column == S.Annex1.share_pct else ""
    return "text", ""


def section(title: str, model, source: str) -> str:
    lines = [f"## {title}", "", source, "", "| column | type | unit | meaning |", "| --- | --- | --- | --- |"]
    for column, spec in S.schema(model).columns.items():
        kind, unit = _kind(model, column)
        name = public.money_name(column) if column in S.money_columns(model) else column
        lines.append(f"| `{name}` | {kind} | {unit} | {spec.description or ''} |")
    return "\n".join(lines) + "\n"


def _doc(model) -> str:
    return " ".join((model.__doc__ or "").split())  # one paragraph, whatever the docstring's wrapping


def reference_section(sheet: str, model, headers: dict[str, str], required: bool) -> str:
    need = "Required" if required else "Optional: the report builds without it"
    lines = [f"### {sheet}", "", f"{need}. {_doc(model)}", "",
             "| column (header) | meaning |", "| --- | --- |"]
    for column, header in headers.items():
        lines.append(f"| {header} | {S.description(model, column)} |")
    return "\n".join(lines) + "\n"


def markdown() -> str:
    ledger = section("The ledger", S.Ledger, "`report.ledger`: every line of every export, once, also those "
                     "posted after the as-of date (`report.lines_used()`: only the lines behind the tables).")
    ledger += ("| `in_report` | boolean |  | True for a line posted on or before the as-of date, one the tables "
               "use; False for a later line, kept in the ledger and in no table (`report.ledger` only) |\n")
    parts = [HEADER, ledger]
    for frame in FRAMES:
        parts.append(section(f"{frame.name}", frame.model, f"`report.table(\"{frame.name}\")` and "
                                                           f"`{frame.csv_name}`. {_doc(frame.model)}"))
    parts.append("## The reference workbook\n\nThe sheets `rcm-tables init` creates, in its order "
                 "(spec/inputs.md is the contract; the header row is found by its first names).\n")
    for sheet, (model, headers, required) in S.REFERENCE_SHEETS.items():
        parts.append(reference_section(sheet, model, headers, required))
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown(), end="")
