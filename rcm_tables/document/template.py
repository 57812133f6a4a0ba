"""A ``--template`` made fit to write from: a Word document (.docx), template (.dotx) or macro-enabled document
(.docm, .dotm) becomes a plain .docx in memory, with only the parts a document written from it uses.

- The main part's content type becomes a document's (python-docx opens nothing else); macros (``vbaProject.bin``
  and what goes with it) are dropped, never run and never copied into a document.
- The template's own body is dropped (the writer keeps its styles, header, footer and page set-up only), and
  with it every part only that body used: a 20 MB picture on the template's first page is in no statement.
- What cannot be read is a `TemplateError` with the reason (a usage error: exit 2, nothing read).
"""
from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import tempfile
import zipfile
import zlib
from pathlib import Path

DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAIN_TYPES = {
    DOCUMENT: "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "template",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "macro-enabled document",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "macro-enabled template",
}
MAIN = "word/document.xml"
RELS = "word/_rels/document.xml.rels"
MAX_TEMPLATE_BYTES = 64 * 1024**2  # a letterhead is a few hundred KB
MAX_PART_BYTES = 256 * 1024**2  # what any one part may expand to
# the parts the writer uses beside the body: everything else the main part points at goes with the body
KEPT_RELATIONS = ("styles", "stylesWithEffects", "settings", "webSettings", "fontTable", "theme", "numbering",
                  "footnotes", "endnotes", "header", "footer", "customXml")
MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|keyMapCustomizations\.xml|attachedToolbars\.bin)$",
                         re.IGNORECASE)


_KINDS = {1: "paragraph", 2: "character", 3: "table", 4: "list (numbering)"}  # WD_STYLE_TYPE's values


class TemplateError(ValueError):
    """A --template that cannot be used, with the reason."""


def check(path: Path) -> str | None:
    """Why ``path`` cannot be a template, or None."""
    try:
        usable(path)
    except TemplateError as exc:
        return str(exc)
    return None


def usable(path: Path) -> bytes:
    """The template at ``path`` as the bytes of a plain .docx holding only what a document written from it uses."""
    shown = repr(str(path))
    if path.is_dir():
        raise TemplateError(f"--template {shown} is a folder, not a Word document: name a .docx or .dotx file")
    if not path.is_file():
        raise TemplateError(f"--template {shown} does not exist" if not path.exists()
                            else f"--template {shown} is not a regular file")
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"--template {shown} is larger than {MAX_TEMPLATE_BYTES // 1024**2} MB: a letterhead "
                                "template is far smaller")
        data = path.read_bytes()
        cleaned = _cleaned(data, shown)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError, zlib.error,
            NotImplementedError) as exc:  # (a part damaged, compressed by a method or zip version Python lacks)
        if isinstance(exc, TemplateError):
            raise
        raise TemplateError(f"--template {shown} is not a Word document (.docx, .dotx, .docm): {exc}") from None
    _try(cleaned, shown)
    return cleaned


@functools.lru_cache(maxsize=4)  # a build checks its template before it starts, then uses it: tried once
def _try(cleaned: bytes, shown: str) -> None:
    """Open the template as each document is opened (`package._open`) and look up every style the writer assigns:
    a damaged part, or a style of the writer's name but another type (a character style named Heading 1), is a
    `TemplateError` now, before anything is written, not a failure halfway through the documents."""
    from docx.enum.style import WD_STYLE_TYPE
    from lxml.etree import LxmlError

    from . import styles
    from .package import _open

    try:
        document = _open(io.BytesIO(cleaned))
        found = {style.name: style.type for style in document.styles}
        document.save(io.BytesIO())
    except (LxmlError, KeyError, ValueError, IndexError, AttributeError, zipfile.BadZipFile, EOFError) as exc:
        said = " ".join(str(exc).split())[:200]
        raise TemplateError(f"--template {shown} cannot be used: a part of it cannot be read ({type(exc).__name__}: "
                            f"{said}); open it in Word and save it again as a .docx") from None
    for name, kind in styles.WRITTEN:
        if found.get(name, kind) != kind:
            raise TemplateError(f"--template {shown}: its style {name!r} is a {_KINDS[found[name]]} style, where "
                                f"the document needs a {_KINDS[kind]} style: rename that style in Word, or delete it")
    problem = _page_problem(document)
    if problem:
        raise TemplateError(f"--template {shown}: {problem}; set it in Word (Layout, Size and Margins)")


def _page_problem(document) -> str | None:
    """What makes the template's page unusable: no page set-up, a size or margins missing or unreadable, a size
    beyond what Word allows (0.1 to 22 inches), or margins that leave less than an inch of text (the writer turns
    pages and sizes tables from these)."""
    from docx.shared import Inches

    if not document.sections:
        return "it has no page set-up (no section properties)"
    for number, section in enumerate(document.sections, start=1):
        try:  # python-docx converts an attribute as it is read: "abc" or "12240.5" raise here
            width, height = section.page_width, section.page_height
            margins = [section.left_margin, section.right_margin, section.top_margin, section.bottom_margin]
        except (ValueError, TypeError) as exc:
            return f"its page set-up (section {number}) cannot be read ({' '.join(str(exc).split())[:120]})"
        if width is None or height is None or not (Inches(0.1) <= min(width, height)
                                                     and max(width, height) <= Inches(22)):
            size = "missing" if width is None or height is None else f"{width / 914400:g} by {height / 914400:g} inches"
            return f"its page size (section {number}) is {size}, not a page Word makes"
        if None in margins:
            return f"its margins (section {number}) are missing"
        if min(width, height) - max(margins[0] + margins[1], margins[2] + margins[3]) < Inches(1):
            return f"its margins (section {number}) leave less than an inch for the text"
    return None


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise TemplateError(f"the part {name} would expand to {info.file_size:,} bytes")
    with archive.open(info) as part:
        data = part.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise TemplateError(f"the part {name} expands beyond {MAX_PART_BYTES:,} bytes")
    return data


def _cleaned(data: bytes, shown: str) -> bytes:
    from ..inputs.engines import zip_encrypted

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if zip_encrypted(archive):  # (Word encrypts a document as an OLE file: refused above as not a zip)
            raise TemplateError(f"--template {shown}: its parts are encrypted (a zip password): save a copy without "
                                "the password")
        names = archive.namelist()
        if MAIN not in names or "[Content_Types].xml" not in names:
            raise TemplateError(f"--template {shown} is not a Word document (.docx, .dotx, .docm): it has no "
                                f"{MAIN}")
        types = _read(archive, "[Content_Types].xml").decode("utf-8")
        main_type = re.search(r'PartName="/word/document\.xml"\s+ContentType="([^"]+)"', types)
        if main_type is None or main_type.group(1) not in MAIN_TYPES:
            found = main_type.group(1) if main_type else "none"
            raise TemplateError(f"--template {shown} is not a Word document or template (its main part is {found})")
        if b"http://purl.oclc.org/ooxml/" in _read(archive, MAIN)[:4096]:  # (its namespaces, in the root element)
            raise TemplateError(f"--template {shown} is saved as a Strict Open XML document, which cannot be read: "
                                "in Word, save it again as a Word Document (.docx)")
        types = types.replace(main_type.group(1), DOCUMENT)
        types = re.sub(r'<Override PartName="[^"]*(vbaProject\.bin|vbaData\.xml|keyMapCustomizations\.xml|'
                       r'attachedToolbars\.bin)"[^>]*/>', "", types)
        main = _emptied(_read(archive, MAIN))
        rels, dropped = _kept_relations(_read(archive, RELS).decode("utf-8"), main) if RELS in names else (None, [])
        others = b"".join(_read(archive, n) for n in names if n.endswith(".rels") and n != RELS)
        unused = {f"word/{t}" for t in dropped if f'Target="{t}"'.encode() not in others
                  and f'Target="/word/{t}"'.encode() not in others}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                if MACRO_PARTS.search(name) or name.endswith("/") or name.startswith("word/_rels/vbaProject") \
                        or name in unused:
                    continue
                content = {MAIN: main, "[Content_Types].xml": types.encode("utf-8")}.get(name)
                if name == RELS and rels is not None:
                    content = rels.encode("utf-8")
                target.writestr(name, content if content is not None else _read(archive, name))
    return out.getvalue()


_BODY = re.compile(rb"(<w:body[^>]*>)(.*)(</w:body>)", re.DOTALL)
_SECTION = re.compile(rb"<w:sectPr\b.*?</w:sectPr>\s*$", re.DOTALL)


def _emptied(main: bytes) -> bytes:
    """The main part with its body reduced to the last section's properties (the page, header and footer)."""
    body = _BODY.search(main)
    if body is None:
        raise TemplateError("its main part has no body")
    section = _SECTION.search(body.group(2))
    kept = section.group(0) if section else b""
    return main[:body.start(2)] + kept + main[body.end(2):]


def _kept_relations(rels: str, main: bytes) -> tuple[str, list[str]]:
    """The main part's relationships without those only its (dropped) body used, and without macros; and the
    targets (inside the package) of those dropped."""
    text = main.decode("utf-8", "replace")
    dropped: list[str] = []

    def keep(match: re.Match) -> str:
        element = match.group(0)
        rid = re.search(r'\bId="([^"]+)"', element)
        kind = re.search(r'\bType="[^"]*/([^"/]+)"', element)
        used = rid is not None and f'"{rid.group(1)}"' in text
        structural = kind is not None and kind.group(1) in KEPT_RELATIONS
        if used or structural:
            return element
        target = re.search(r'\bTarget="([^"]+)"', element)
        if target is not None and "TargetMode=\"External\"" not in element:
            dropped.append(target.group(1).removeprefix("/word/"))
        return ""

    return re.sub(r"<Relationship\b[^>]*/>", keep, rels), dropped


@contextlib.contextmanager
def prepared(path: Path | None):
    """The usable template as a file for the time of the block (None stays None), then removed."""
    if path is None:
        yield None
        return
    data = usable(path)
    handle, name = tempfile.mkstemp(suffix=".docx", prefix="rcm-template-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
