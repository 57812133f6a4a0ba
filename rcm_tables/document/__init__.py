"""The report document (.docx), in English and Spanish, and a statement for each member state.

`write_document` writes the financial section (Section 2 and the Annex) from the same `Report` as the workbook,
or the whole report when given an activities register; `write_statements` one statement per member. Each
table's Word layout lives in its own module (``spec.docx``); this package holds the assembly (`assemble`), the
facade over python-docx (`writer`), the languages (`i18n`, ``locale/``), the notes and payment instructions of the
reference workbook, the activities register and the statements. See docs/document.md.
"""
from __future__ import annotations

from .activities import read_register
from .assemble import build_document, write_document
from .i18n import LANGUAGES, LanguageError
from .statements import write_statements

__all__ = ["LANGUAGES", "LanguageError", "build_document", "read_register", "write_document", "write_statements"]
