"""Assemble the report document in a fixed order, as the workbook's packager does: the title, then (with an
activities register) the Introduction and Section 1, then Section 2 (each table's part from its spec, in the
registry's order), the annex and How to Make Contributions."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..problems import InputError, Problem, errors_in
from ..tables import TABLES
from . import activities as A
from . import payment
from .context import Context
from .i18n import language
from .labels import Labels
from .organization import organization
from .official import Issue, write_title_block
from .notes import read_notes
from .writer import Writer


def build_document(report, lang: str = "en", template: Path | None = None, register=None,
                   locale: str | None = None, issue: Issue | None = None) -> tuple[Writer, list[Problem]]:
    """The document in memory, and the problems found while writing it (absent optional sheets are notes).
    ``register``: the activities (`activities.Register`), which make it the whole report; ``locale``: the Babel
    locale of its numbers and dates (default: the language's, `i18n.LOCALES`); ``issue``: its symbol, date of issue
    and meeting (`official.Issue`; defaults without)."""
    language_ = language(lang, locale)
    writer = Writer(template)
    notes, problems = read_notes(report.reference, language_)
    doc = Context(writer, language_, notes, report.reference.file)
    doc.labels = Labels(report.reference, language_.code)
    doc.org = organization(report.reference, language_.code)
    _title(doc, report, register, issue or Issue())
    if register is not None:
        A.write_introduction(doc, report, register)
        A.write_section(doc, report, register)
    writer.heading(doc._("Section 2: Financial Report"), 1)
    for spec in TABLES:
        if spec.docx is not None:
            spec.docx.write(doc, report)
    payment.write(doc, report.reference, together=True)
    return writer, problems + doc.problems + doc.labels.problems + payment.absent_note(report.reference)


def _title(doc: Context, report, register, issue: Issue) -> None:
    doc.w.paragraph(doc.org.title, style="Title")
    doc.w.paragraph(doc._("Report of the {secretariat} ({acronym})", secretariat=doc.org.secretariat,
                          acronym=doc.org.secretariat_acronym), style="Subtitle")
    write_title_block(doc, report, issue)
    when = doc.lang.long_date(report.as_of)
    if register is not None:
        start, end = A.period(register, report.as_of)
        doc.w.paragraph(doc._("Activities from {start} to {end}; figures as of {date}",
                              start=doc.lang.month(start), end=doc.lang.month_year(end), date=when))
    else:
        doc.w.paragraph(doc._("Financial report as of {date}", date=when))


def stamp(report) -> dt.datetime:
    """The document's fixed creation time: midnight of the as-of date (so the same inputs give the same bytes)."""
    return dt.datetime.combine(report.as_of, dt.time(0, 0))


def write_document(report, path, lang: str = "en", template: Path | None = None, register=None,
                   outputs=None, locale: str | None = None, issue: Issue | None = None) -> list[Problem]:
    """Write the report document to ``path`` (staged in ``outputs``, the run's transaction, when given).

    Returns the problems found while writing it (notes and warnings); raises `InputError` without writing
    anything when one is an error (a note naming no table, say)."""
    from ..outputs import staged

    writer, problems = build_document(report, lang, template, register, locale, issue)
    if errors_in(problems):
        raise InputError(problems)
    with staged(outputs) as out:
        writer.save(out.stage(Path(path)), stamp(report), writer_title(writer), lang)
    return problems


def writer_title(writer: Writer) -> str:
    paragraphs = writer.doc.paragraphs
    return " – ".join(p.text for p in paragraphs[:2])
