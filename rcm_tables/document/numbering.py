"""Table and annex numbers, and every cross-reference to them, from one place: the registry's order.

The n-th spec of `rcm_tables.tables.TABLES` whose Word layout is a "table" is Table n, the n-th "annex" is
Annex n; the captions and the sentences that introduce them both ask `label` here, so "Table 5 below" can
never introduce Table 4 again.
"""
from __future__ import annotations

from ..tables import TABLES
from .i18n import Lang


def numbers() -> dict[str, tuple[str, int]]:
    """Registry name -> (kind, number), for every table the document prints."""
    counts: dict[str, int] = {}
    out: dict[str, tuple[str, int]] = {}
    for spec in TABLES:
        if spec.docx is None:
            continue
        counts[spec.docx.kind] = counts.get(spec.docx.kind, 0) + 1
        out[spec.name] = (spec.docx.kind, counts[spec.docx.kind])
    return out


def label(name: str, lang: Lang) -> str:
    """'Table 4' / 'Cuadro 4', 'Annex 1' / 'Anexo 1' for the registry name ``name``."""
    kind, number = numbers()[name]
    return lang._("Table {number}", number=number) if kind == "table" else lang._("Annex {number}", number=number)
