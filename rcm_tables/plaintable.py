"""A table drawn as rich draws it for a file or a pipe, without importing rich: the problems and the rows read.

For a file or a pipe the command line prints its tables 200 characters wide, with rich's heavy-headed box and
columns that wrap their words (a word longer than its column folds). Importing rich and laying out a table
costs a build about 60 ms; this draws the same characters for tables of printable ASCII text. Anything else
(another character, a table that does not fit even wrapped) gives None, and rich draws it. The tests hold the
two to the same text, character for character, over many generated tables (tests/test_console.py).

What is reproduced, from rich 15 (`Table._calculate_column_widths`, `_collapse_widths`, `_ratio.ratio_reduce`,
`_wrap.divide_line`, `Text.wrap`): each column is as wide as its longest line plus one space each side; when
the table is too wide, the widest columns give up width in turn; a cell's text breaks between words, keeps a
word's trailing spaces, folds a word longer than the line, and is left-aligned; the title is centred.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it (rich's `_wrap.re_word`)
_TRAILING = re.compile(r"\s+$")


def _plain(text: str) -> bool:
    return text.isascii() and text.isprintable()


def draw(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]], width: int = 200,
         right: frozenset[int] = frozenset(), fold: bool = True) -> str | None:
    """The table's text, or None when rich must draw it. ``right``: the columns aligned right (the others left;
    right-aligned columns are drawn only when their cells fit without wrapping). ``fold``: the columns'
    overflow is rich's "fold" (a long word breaks across lines); without it ("ellipsis", rich's default) a
    table where a word would be cut short is left to rich."""
    cells = [headers, *rows]
    if not all(_plain(c) for row in cells for c in row) or not _plain(title):
        return None
    limit = width - (len(headers) + 1)  # the vertical lines
    widths = [min(max(_longest_line(row[i]) for row in cells) + 2, limit) or 1 for i in range(len(headers))]
    if sum(widths) > limit:
        widths = _collapse(widths, limit)
        if sum(widths) > limit:
            return None  # rich then shrinks every column evenly: rare, and left to it
    if min(widths) < 3 or any(widths[i] < _longest_line(row[i]) + 2 for i in right for row in cells):
        return None
    if not fold and any(len(word.rstrip()) > w - 2 for row in cells for text, w in zip(row, widths)
                        for _start, _end, word in _words(text)):
        return None
    total = sum(widths) + len(widths) + 1
    if len(title) > total:
        return None
    out = [(" " * ((total - len(title)) // 2) + title).ljust(total), _rule("┏", "┳", "┓", "━", widths)]
    out += _row(headers, widths, right, "┃")
    out.append(_rule("┡", "╇", "┩", "━", widths))
    for row in rows:
        out += _row(row, widths, right, "│")
    out.append(_rule("└", "┴", "┘", "─", widths))
    return "\n".join(out) + "\n"


def _longest_line(text: str) -> int:
    return len(text)  # (one line: a line break is not printable, and such a table goes to rich)


def _rule(left: str, middle: str, right: str, fill: str, widths: list[int]) -> str:
    return left + middle.join(fill * w for w in widths) + right


def _row(cells: tuple[str, ...], widths: list[int], right: frozenset[int], bar: str) -> list[str]:
    wrapped = [[text.rstrip().rjust(w - 2)] if i in right else _wrap(text, w - 2)  # (right: one line, checked)
               for i, (text, w) in enumerate(zip(cells, widths))]
    height = max(len(lines) for lines in wrapped)
    return [bar + bar.join(f" {lines[n] if n < len(lines) else ' ' * (w - 2)} " for lines, w in zip(wrapped, widths))
            + bar for n in range(height)]


def _wrap(text: str, width: int) -> list[str]:
    """rich's `Text.wrap(width, justify="left", overflow="fold")` of one line of ASCII text: lines `width` wide."""
    offsets = [0, *_breaks(text, width), len(text)]
    lines = []
    for start, end in zip(offsets, offsets[1:]):
        line = text[start:end]
        if len(line) > width:  # `rstrip_end`: the spaces beyond the width go
            spaces = _TRAILING.search(line)
            if spaces is not None:
                line = line[:len(line) - min(len(spaces.group(0)), len(line) - width)]
        lines.append(line[:width].ljust(width))
    return lines


def _words(text: str):
    """(start, end, word) of each word with the spaces after it (and, for the first, before it): rich's
    `_wrap.words`."""
    match = _WORD.match(text, 0)
    while match is not None:
        start, end = match.span()
        yield start, end, match.group(0)
        match = _WORD.match(text, end)


def _breaks(text: str, width: int) -> list[int]:
    """Where the lines break (rich's `divide_line` with single-cell characters)."""
    breaks: list[int] = []
    offset = 0
    for start, _end, word in _words(text):
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # longer than a line: folded
            pieces = [word[i:i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _collapse(widths: list[int], limit: int) -> list[int]:
    """rich's `Table._collapse_widths` (every column may wrap): the widest columns narrowed to the next widest,
    in turn, until the table fits or they are all as wide."""
    total = sum(widths)
    excess = total - limit
    while total and excess > 0:
        widest = max(widths)
        second = max((w if w != widest else 0) for w in widths)
        ratios = [1 if w == widest else 0 for w in widths]
        difference = widest - second
        if not difference:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
        total = sum(widths)
        excess = total - limit
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich's `_ratio.ratio_reduce`: ``total`` taken from ``values`` in proportion to ``ratios``."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            taken = min(most, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result
