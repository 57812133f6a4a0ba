"""The command line's part for the document: ``build --docx FILE.docx [--lang en|es|en,es] [--template FILE.docx]
[--activities FILE.xlsx] [--statements DIR]``. Everything is built in memory first, so that the problems it
finds are printed with the inputs' and an error stops the run before anything is written; then each file is
staged in the run's `OutputSet` and moved into place with the workbook."""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from ..outputs import Output
from ..problems import Problem


def add_options(build: argparse.ArgumentParser) -> None:
    build.add_argument("--docx", type=Path, metavar="FILE.docx",
                       help="also write the report document (Section 2 and the Annex; the whole report with "
                            "--activities)")
    build.add_argument("--lang", type=_languages, default=None, metavar="en|es",
                       help="the language of the document and statements (default en); several, e.g. en,es, write "
                            "one file each: FILE.docx in the first, FILE.es.docx in Spanish")
    build.add_argument("--template", type=Path, metavar="FILE.docx",
                       help="a Word document whose styles, header and footer (the Secretariat's letterhead) the "
                            "document and statements take")
    build.add_argument("--activities", type=Path, metavar="FILE.xlsx",
                       help="the activities register: the document becomes the whole report (Introduction, "
                            "Section 1, Section 2, Annex)")
    build.add_argument("--statements", type=Path, metavar="DIR",
                       help="also write one statement (.docx) per member state and statements.csv into DIR")


def _languages(text: str) -> list[str]:
    from .i18n import LANGUAGES  # here: Babel and pandas are not needed to parse the options

    langs = [part.strip() for part in text.split(",") if part.strip()]
    bad = [lang for lang in langs if lang not in LANGUAGES]
    if not langs or bad or len(set(langs)) != len(langs):
        raise argparse.ArgumentTypeError(f"{text!r}: choose among {', '.join(LANGUAGES)} (e.g. en or en,es)")
    return langs


def document_paths(docx: Path, langs: list[str]) -> list[tuple[str, Path]]:
    """FILE.docx in the first language, FILE.<lang>.docx in each other."""
    return [(lang, docx if i == 0 else docx.with_name(f"{docx.stem}.{lang}{docx.suffix}"))
            for i, lang in enumerate(langs)]


def check_usage(args) -> str | None:
    """What is wrong with the document's options (of a `BuildRequest`), or None."""
    if args.docx is not None and args.docx.suffix.lower() != ".docx":
        return f"--docx must name a .docx file, not {str(args.docx)!r}"
    if args.docx is None and args.statements is None:
        for option, value in (("--lang", args.langs), ("--template", args.template), ("--activities", args.activities)):
            if value is not None:
                return f"{option} is for the document: add --docx FILE.docx or --statements DIR"
    if args.activities is not None and args.docx is None:
        return "--activities makes the document the whole report: add --docx FILE.docx"
    for option, value in (("--template", args.template), ("--activities", args.activities)):
        if value is not None and not value.is_file():
            return f"the {option} file {str(value)!r} does not exist"
    if args.template is not None:
        return _check_template(args.template)
    return None


def _check_template(path: Path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                raise zipfile.BadZipFile("no word/document.xml")
    except (zipfile.BadZipFile, OSError) as exc:
        return f"--template {str(path)!r} is not a Word document (.docx): {exc}"
    return None


def outputs(args) -> list[Output]:
    found = [Output("--docx", path) for _, path in document_paths(args.docx, list(args.langs))] if args.docx else []
    if args.statements is not None:
        found.append(Output("--statements", args.statements, folder=True))
    return found


def inputs(args) -> list[Path]:
    """The document's own inputs, which no output may be."""
    return [p for p in (args.template, args.activities) if p is not None]


@dataclass
class Prepared:
    """The documents and statements, built in memory, and the problems found while building them."""

    documents: list = field(default_factory=list)  # (path, writer, lang)
    statements: list = field(default_factory=list)  # (file name, writer, lang)
    table: bytes = b""
    problems: list[Problem] = field(default_factory=list)


def prepare(args, report) -> Prepared:
    """Read the register and build every document in memory (nothing is written)."""
    done = Prepared()
    register = None
    if args.activities is not None:  # each import where it is needed: a build without --docx needs no python-docx
        from .activities import read_register

        register, done.problems = read_register(args.activities)
        if register is None or any(p.severity == "error" for p in done.problems):
            return done
    if args.docx is not None:
        from .assemble import build_document

        for lang, path in document_paths(args.docx, list(args.langs)):
            writer, found = build_document(report, lang, args.template, register)
            done.documents.append((path, writer, lang))
            done.problems += [p for p in found if p not in done.problems]  # each language finds the same
    if args.statements is not None:
        from .statements import build_statements

        done.statements, done.table = build_statements(report, list(args.langs), args.template)
    return done


def write(args, report, done: Prepared, staged) -> list[str]:
    """Stage every file in the run's transaction; returns the lines to print."""
    lines: list[str] = []
    if not done.documents and args.statements is None:
        return lines  # nothing to write: python-docx is not even imported
    from .assemble import stamp, writer_title
    from .statements import CSV_NAME

    for path, writer, lang in done.documents:
        writer.save(staged.stage(path), stamp(report), writer_title(writer), lang)
        lines.append(f"wrote {path}")
    if args.statements is not None:
        for name, writer, lang in done.statements:
            writer.save(staged.stage(args.statements / name), stamp(report), name, lang)
        staged.stage(args.statements / CSV_NAME).write_bytes(done.table)
        lines.append(f"wrote {len(done.statements)} statement(s) and {CSV_NAME} to {args.statements}")
    return lines
