"""The report document (.docx), in English and Spanish, and a statement for each member state.

`write_document` writes the financial section (Section 2 and the Annex) from the same `Report` as the workbook,
or the whole report when given an activities register; `write_statements` one statement per member. Each
table's Word layout lives in its own module (``spec.docx``); this package holds the assembly (`assemble`), the
facade over python-docx (`writer`), the languages (`i18n`, ``locale/``), the notes and payment instructions of the
reference workbook, the activities register and the statements. See docs/document.md.
"""
from __future__ import annotations

# Imported on first use (PEP 562): the command line's options (`command`) need none of python-docx
_LAZY = {"read_register": "activities", "build_document": "assemble", "write_document": "assemble",
         "LANGUAGES": "i18n", "LanguageError": "i18n", "write_statements": "statements"}

__all__ = ["LANGUAGES", "LanguageError", "build_document", "read_register", "write_document", "write_statements"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
