"""The .docx package of every document of a build, made fast: the template opened and prepared once, each document
a copy of it, and each saved straight into a reproducible zip.

- `blank(template)`: a new document from the template, its own text removed, the styles it lacks added and a page
  number in its footer (`styles`). The template is read and prepared once (again only when its bytes change);
  each document is a deep copy of the prepared one that shares the parts no document changes (styles, theme,
  fonts, numbering, settings, footers...). Only the main document part and the core properties are its own.
- `save(document)`: the package's parts written once, in python-docx's order, each with a fixed date and
  attributes (so that the same inputs give the same bytes). A part every document shares (the template's
  styles, 350 KB) is compressed once per build, not once per document.
"""
from __future__ import annotations

import copy
import hashlib
import io
import threading
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn

from . import styles

DEFAULT_TEMPLATE = Path(__file__).with_name("template.docx")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: every part of every document gets it
COMPRESSED_PARTS = 32  # parts kept compressed between documents (the shared ones: a few per template)
SMALL_PART = 4096  # bytes: a part this small is compressed each time (cheaper than remembering it)


@dataclass
class _Prepared:
    key: tuple
    document: object  # docx.document.Document: the template without its text, with the styles it lacks
    shared: dict  # id -> part: the parts every copy shares
    style_ids: dict  # (name, type) -> style id, filled by the writers as they look styles up
    blobs: dict = field(default_factory=dict)  # id -> the bytes of a shared part, serialized once (`_blob`)


_lock = threading.Lock()
_prepared: _Prepared | None = None  # one template at a time: a build uses one


def blank(template: Path | None = None):
    """A new document from ``template`` (the default one when None) and its cache of style ids, shared by every
    document of the same template."""
    prepared = _prepare(Path(template) if template is not None else DEFAULT_TEMPLATE)
    memo = dict(prepared.shared)  # deepcopy keeps these as they are: the copy refers to the same parts
    return copy.deepcopy(prepared.document, memo), prepared.style_ids


def _prepare(path: Path) -> _Prepared:
    global _prepared
    key = (str(path.resolve()), hashlib.sha256(path.read_bytes()).digest())  # a template changed is read again
    with _lock:
        if _prepared is None or _prepared.key != key:
            document = _open(path)
            package = document.part.package
            own = {id(document.part)} | {id(rel.target_part) for rel in package.rels.values()
                                         if rel.reltype == RT.CORE_PROPERTIES and not rel.is_external}
            # headers and footers are each document's own too: a running header is written into them
            own |= {id(rel.target_part) for rel in document.part.rels.values()
                    if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external}
            shared = {id(part): part for part in package.iter_parts() if id(part) not in own}
            _prepared = _Prepared(key, document, shared, {})
        return _prepared


def _open(source: Path | io.BytesIO):
    """The template at ``source`` (a path, or its bytes: `template.usable` tries it so) as a blank document."""
    document = docx.Document(str(source) if isinstance(source, Path) else source)
    body = document.element.body
    for child in list(body):  # the template's own text goes; its styles, header and footer stay
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles.ensure(document)
    styles.ensure_page_numbers(document)
    return document


def save(document) -> bytes:
    """``document``'s package as python-docx writes it, each part with the date ZIP_TIME."""
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    prepared = _prepared
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _Parts(archive)
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        for part in parts:  # as PackageWriter._write_parts, each shared part serialized once (`_blob`)
            writer.write(part.partname, _blob(part, prepared))
            if len(part.rels):
                writer.write(part.partname.rels_uri, part.rels.xml)
    return out.getvalue()


def _blob(part, prepared: _Prepared | None) -> bytes:
    """``part.blob``; for a part every document shares, the bytes serialized the first time (the styles: 2 ms
    each time). The shared parts are not changed after the template is prepared: the writers only read them."""
    if prepared is None or prepared.shared.get(id(part)) is not part:
        return part.blob
    found = prepared.blobs.get(id(part))
    if found is None:
        found = prepared.blobs[id(part)] = part.blob
    return found


class _Parts:
    """What python-docx's PackageWriter writes parts through (its PhysPkgWriter), into a reproducible zip."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive

    def write(self, uri, blob: bytes) -> None:
        write_part(self.archive, uri.membername, blob)


_compressed: OrderedDict[bytes, bytes] = OrderedDict()  # digest of a part -> its deflated bytes
_last_deflated: dict[int, tuple[bytes, bytes]] = {}  # id of a part's bytes -> (those bytes, deflated)


def write_part(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """``archive.writestr`` of ``data`` with a fixed date and attributes; a large part seen before is not
    compressed again (the bytes written are those zipfile's own compressor gives)."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    if len(data) < SMALL_PART:
        archive.writestr(info, data)
        return
    info.file_size = len(data)
    with archive.open(info, mode="w") as target:
        if getattr(target, "_compressor", None) is not None:
            target._compressor = _Deflated(_deflated(data))
        target.write(data)


def _deflated(data: bytes) -> bytes:
    last = _last_deflated.get(id(data))
    if last is not None and last[0] is data:  # the same bytes object as before (a shared part's `_blob`)
        return last[1]
    digest = hashlib.blake2b(data, digest_size=20).digest()
    with _lock:
        found = _compressed.get(digest)
        if found is not None:
            _compressed.move_to_end(digest)
            return found
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile's ZIP_DEFLATED
    found = compressor.compress(data) + compressor.flush()
    with _lock:
        _compressed[digest] = found
        while len(_compressed) > COMPRESSED_PARTS:
            _compressed.popitem(last=False)
        if len(_last_deflated) >= COMPRESSED_PARTS:
            _last_deflated.clear()
        _last_deflated[id(data)] = (data, found)  # holding ``data`` keeps its id from being reused
    return found


class _Deflated:
    """Stands for zipfile's compressor of one part whose deflated bytes are known: written in one piece."""

    def __init__(self, data: bytes):
        self._data = data

    def compress(self, _data: bytes) -> bytes:
        data, self._data = self._data, b""
        return data

    def flush(self) -> bytes:
        return b""
