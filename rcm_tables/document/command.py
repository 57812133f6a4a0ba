"""The command line's part for the document: ``build --docx FILE.docx [--lang en|es|en,es] [--template FILE.docx]
[--activities FILE.xlsx] [--statements DIR]``. Everything is built in memory first, so that the problems it
finds are printed with the inputs' and an error stops the run before anything is written; then each file is
staged in the run's `OutputSet` and moved into place with the workbook."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..outputs import Output
from ..problems import Problem
from ..progress import Steps


def issue(args):
    """The symbol, date of issue and meeting the options give (`official.Issue`)."""
    from .official import Issue

    return Issue(getattr(args, "symbol", None), getattr(args, "issued", None), getattr(args, "meeting", None))


def document_paths(docx: Path, langs: list[str]) -> list[tuple[str, Path]]:
    """FILE.docx in the first language, FILE.<lang>.docx in each other."""
    return [(lang, docx if i == 0 else docx.with_name(f"{docx.stem}.{lang}{docx.suffix}"))
            for i, lang in enumerate(langs)]


def check_usage(args) -> str | None:
    """What is wrong with the document's options (of a `BuildRequest`), or None."""
    if args.docx is not None and args.docx.suffix.lower() != ".docx":
        return f"--docx must name a .docx file, not {str(args.docx)!r}"
    if args.docx is None and args.statements is None:
        for option, value in (("--lang", args.langs), ("--locale", args.locale), ("--template", args.template),
                              ("--activities", args.activities), ("--symbol", args.symbol),
                              ("--issued", args.issued), ("--meeting", args.meeting)):
            if value is not None:
                return f"{option} is for the document: add --docx FILE.docx or --statements DIR"
    if args.activities is not None and args.docx is None:
        return "--activities makes the document the whole report: add --docx FILE.docx"
    if args.activities is not None and args.activities.is_dir():
        return f"the --activities file {str(args.activities)!r} is a folder: name the register (.xlsx)"
    if args.activities is not None and not args.activities.is_file():
        return f"the --activities file {str(args.activities)!r} does not exist"
    if args.template is not None:
        from .template import check  # .docx, .dotx, .docm: made a plain .docx, macros dropped (template.py)

        return check(args.template)
    return None


def outputs(args) -> list[Output]:
    found = [Output("--docx", path) for _, path in document_paths(args.docx, list(args.langs))] if args.docx else []
    if args.statements is not None:
        from .statements import STATEMENTS_CSV

        found.append(Output("--statements", args.statements, folder=True, replaces=("statement-*.docx", STATEMENTS_CSV)))
    return found


@dataclass
class Prepared:
    """The documents and statements, built in memory as the bytes of their files, and the problems found while
    building them; with the places of what was built (`places`), so that the parts that processes built can be
    put back in order (`combined`)."""

    documents: list = field(default_factory=list)  # (path, bytes)
    statements: list = field(default_factory=list)  # (file name, bytes), the languages of a member together
    table: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    timings: dict = field(default_factory=dict)  # phase -> seconds, when built in another process
    document_places: list[int] = field(default_factory=list)  # each document's place (its language's)
    member_places: list[int] = field(default_factory=list)  # each member's place in the scale, from 0
    problem_places: list[int] = field(default_factory=list)  # each problem's document (-1: the register's)


@dataclass(frozen=True)
class Share:
    """The part of the work one of ``of`` processes does: the places (the documents first, then the members'
    statements, from 0: `places`) whose number modulo ``of`` is ``index``. `parallel.Claims` is the other kind
    of share: each place to whichever process asks first."""

    index: int = 0
    of: int = 1

    def takes(self, place: int) -> bool:
        return place % self.of == self.index


def places(args, report) -> tuple[int, int]:
    """How many documents and how many members' statements ``args`` asks for: the places of the work, the
    documents numbered first (0 .. documents - 1), then the members (from documents on)."""
    documents = len(args.langs) if args.docx is not None else 0
    members = len(report.reference.scale_of("TS")) if args.statements is not None else 0  # `statements.statements`
    return documents, members


def wanted(args) -> bool:
    return args.docx is not None or args.statements is not None


def prepare(args, report, steps=None, share=Share()) -> Prepared:
    """Read the register and build every document in memory (nothing is written), or a share of them (a `Share`
    or `parallel.Claims`: anything whose ``takes(place)`` says whether to build that place, `places`).
    ``steps`` (`rcm_tables.progress.Steps`) times the documents and the statements."""
    steps = steps if steps is not None else Steps()
    done = Prepared()
    register = None
    if args.activities is not None:  # each import where it is needed: a build without --docx needs no python-docx
        steps.start("documents")
        from .activities import read_register

        register, done.problems = read_register(args.activities)
        done.problem_places = [-1] * len(done.problems)
        if register is None or any(p.severity == "error" for p in done.problems):
            return done
    from .template import prepared

    documents = places(args, report)[0]
    with prepared(args.template) as template:  # a .dotx or .docm as a plain .docx, for as long as the writers read it
        if args.docx is not None:
            steps.start("documents")
            from .assemble import build_document, stamp, writer_title

            for place, (lang, path) in enumerate(document_paths(args.docx, list(args.langs))):
                if not share.takes(place):
                    continue
                writer, found = build_document(report, lang, template, register, (args.locale or {}).get(lang),
                                               issue(args))
                done.documents.append((path, _saved(writer, stamp(report), writer_title(writer), lang)))
                done.document_places.append(place)
                new = [p for p in found if p not in done.problems]  # each language finds the same
                done.problems += new
                done.problem_places += [place] * len(new)
        if args.statements is not None:
            steps.start("statements")
            from .assemble import stamp
            from .statements import build_statements, forget

            def takes(member: int) -> bool:
                if share.takes(documents + member):
                    done.member_places.append(member)
                    return True
                return False

            files, done.table = build_statements(report, list(args.langs), template, args.locale, issue(args), takes)
            done.statements = [(name, _saved(writer, stamp(report), name, lang)) for name, writer, lang in files]
            forget()
    steps.stop()
    return done


def warm(args, report) -> None:
    """Do once, before the processes that build the documents are forked (they inherit it), what each would
    otherwise do for itself: the template read and prepared, each language's catalog and Babel's data for its
    locale loaded, the members' statements computed. Nothing is built; an error here is met again, and
    reported, where the documents are built."""
    from . import package
    from .statements import _language, statements
    from .template import prepared

    try:
        with prepared(args.template) as template:
            package.blank(template)
        for lang in args.langs:
            words = _language(lang, (args.locale or {}).get(lang))
            words.money(123456, 2)
            if report.as_of is not None:
                words.long_date(report.as_of)
        if args.statements is not None:
            statements(report)
    except Exception:  # noqa: BLE001  (see the docstring: reported where the documents are built)
        pass


def combined(parts: list[Prepared], langs: int) -> Prepared:
    """The parts' documents and statements (``langs`` per member), in the order one process builds them."""
    documents = sorted((place, doc) for part in parts for place, doc in zip(part.document_places, part.documents))
    members = sorted((place, part.statements[k * langs:(k + 1) * langs])
                     for part in parts for k, place in enumerate(part.member_places))
    found = sorted(((place, k, p) for part in parts for k, (place, p) in
                    enumerate(zip(part.problem_places, part.problems))), key=lambda found: found[:2])
    problems, problem_places = [], []
    for place, _, p in found:  # in the order one process finds them: every part reads the same register
        if p not in problems:
            problems.append(p)
            problem_places.append(place)
    timings: dict = {}
    for part in parts:
        for phase, seconds in part.timings.items():
            timings[phase] = timings.get(phase, 0.0) + seconds
    return Prepared([doc for _, doc in documents], [file for _, files in members for file in files],
                    next((part.table for part in parts if part.table), b""), problems, timings,
                    [place for place, _ in documents], [place for place, _ in members], problem_places)


def _saved(writer, when, title: str, lang: str) -> bytes:
    import io

    buffer = io.BytesIO()
    writer.save(buffer, when, title, lang)
    return buffer.getvalue()


def write(args, report, done: Prepared, staged, steps=None) -> list[str]:
    """Stage every file in the run's transaction; returns the lines to print."""
    steps = steps if steps is not None else Steps()
    lines: list[str] = []
    if not wanted(args):
        return lines
    from .statements import STATEMENTS_CSV

    steps.start("documents: write")
    for path, data in done.documents:
        staged.stage(path).write_bytes(data)
        lines.append(f"wrote {path}")
    if args.statements is not None:
        csv_name = STATEMENTS_CSV
        for name, data in done.statements:
            staged.stage(args.statements / name).write_bytes(data)
        staged.stage(args.statements / csv_name).write_bytes(done.table)
        lines.append(f"wrote {len(done.statements)} statement(s) and {csv_name} to {args.statements}")
    return lines
