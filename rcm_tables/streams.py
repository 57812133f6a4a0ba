"""Console output that never fails on the stream's encoding.

Windows Python before 3.15 writes a redirected stream (``rcm-tables validate > out.txt``) in the ANSI code page
(cp1252 in the Americas and Western Europe); a POSIX shell with ``LANG=C`` may give ASCII. Such a stream cannot
encode a box-drawing line, a Cyrillic or Chinese file name, or an arrow, and Python then raises in the middle of
a listing. `make_safe` gives ``sys.stdout`` and ``sys.stderr`` the error handler ``rcm-plain``: a character the
encoding lacks is written in a plain ASCII form instead (box lines as ``-``, ``|`` and ``+``, an accented letter
as its base letter where the code page lacks it, anything else as a ``\\u`` escape, so that nothing is lost).
Characters the encoding has (``á`` in cp1252) are written as they are.

>>> "Panamá ┃ Москва → ok".encode("ascii", PLAIN)
b'Panama | \\\\u041c\\\\u043e\\\\u0441\\\\u043a\\\\u0432\\\\u0430 -> ok'
"""
from __future__ import annotations

import codecs
import io
import unicodedata

PLAIN = "rcm-plain"  # the name of the codecs error handler

# characters without an ASCII decomposition that have a usual ASCII spelling
_SPELLED = {"\u2014": "-", "\u2013": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
            "\u201d": '"', "\u2026": "...", "\u2192": "->", "\u2190": "<-", "\u2022": "*", "\u00d7": "x",
            "\u2264": "<=", "\u2265": ">=", "\u00a0": " ", "\u2713": "ok", "\u2717": "x", "\u00b7": "."}


def plain(char: str) -> str:
    """The ASCII form of one character.

    >>> [plain(c) for c in "é━┃┏→Ж"]
    ['e', '-', '|', '+', '->', '\\\\u0416']
    """
    if char.isascii():
        return char
    if char in _SPELLED:
        return _SPELLED[char]
    if "\u2500" <= char <= "\u257f":  # box drawing: rich's table borders
        return _box(unicodedata.name(char, ""))
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if base:
        return base
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name the file system encoding could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _box(name: str) -> str:
    corner = any(word in name for word in ("DOWN", "UP", "LEFT", "RIGHT", "ARC", "CROSS"))
    if "HORIZONTAL" in name and "VERTICAL" not in name and not corner:
        return "-"
    if "VERTICAL" in name and "HORIZONTAL" not in name and not corner:
        return "|"
    return "+"


def _handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(plain(c) for c in error.object[error.start:error.end]), error.end


codecs.register_error(PLAIN, _handler)


def is_unicode(stream) -> bool:
    """Whether ``stream`` can write every character (a UTF encoding, or a text buffer in memory)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True  # io.StringIO and the like hold str
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def make_safe(stream) -> None:
    """Write what ``stream``'s encoding lacks in its ASCII form (`plain`) rather than raise: for a text stream
    whose encoding is not a UTF (sys.stdout redirected to a file under a Windows code page, or LANG=C)."""
    if is_unicode(stream):
        return
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    try:
        reconfigure(errors=PLAIN)
    except (ValueError, io.UnsupportedOperation, AttributeError):  # a closed or detached stream: nothing to do
        pass
