"""Column widths that fit the page and the font: no word of a table (a header word, a figure) is wider than its
column, so that Word and LibreOffice never break one inside (“Contributio|ns”).

A word's width is measured with the advance widths of the template's body font family, kept here for ASCII
(in 1/1000 em): Liberation Sans (metric-compatible with Arial and Helvetica) for the narrow sans fonts, and
DejaVu Serif, among the widest text fonts, for any other font, so that an unknown font errs on the wide side.
A letter with an accent is measured as its base letter. When the words do not fit, in this order: the table
takes the whole text width; its font gets smaller, to `styles.SMALLEST_PT`; it spreads into the margins.
"""
from __future__ import annotations

import re
import unicodedata

_WIDTHS = {  # characters 32..126
    ("sans", False): "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
                     "556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 "
                     "778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 "
                     "556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584",
    ("sans", True): "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
                    "556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 "
                    "667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 "
                    "611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584",
    ("wide", False): "318 402 460 838 636 950 890 275 390 390 500 838 318 338 318 337 636 636 636 636 636 636 636 636 "
                     "636 636 337 337 838 838 838 536 1000 722 735 765 802 730 694 799 872 395 401 747 664 1024 875 "
                     "820 673 820 753 685 667 843 722 1028 712 660 695 390 337 390 838 500 500 596 640 560 640 592 370 "
                     "640 644 320 310 606 320 948 644 602 640 640 478 513 402 644 565 856 564 565 527 636 337 636 838",
    ("wide", True): "348 439 521 838 696 950 903 306 473 473 523 838 348 415 348 365 696 696 696 696 696 696 696 696 "
                    "696 696 369 369 838 838 838 586 1000 776 845 796 867 762 710 854 945 468 473 869 703 1107 914 "
                    "871 752 871 831 722 744 872 776 1123 776 714 730 473 365 473 838 500 500 648 699 609 699 636 430 "
                    "699 727 380 362 693 380 1058 727 667 699 699 527 563 462 727 581 861 596 581 568 643 364 643 838",
}
WIDTHS = {key: [int(w) for w in text.split()] for key, text in _WIDTHS.items()}
NARROW_SANS = ("arial", "liberation sans", "helvetica", "arimo", "calibri", "carlito", "nimbus sans")
EMU_PER_PT = 12700
CELL_MARGINS = 2 * 57 * 635  # the table style's 0.1 cm left and right (57 twips each)
SLACK = 1.04  # rounding of the renderers, kerning of bold text
# where a line may break: spaces, line breaks, after a hyphen (a no-break space, as in 282 724,00, keeps a figure)
BREAKS = re.compile(r"[ \t\n]+|(?<=-)")


def family(font: str | None) -> str:
    name = (font or "").casefold()
    return "sans" if any(name.startswith(known) for known in NARROW_SANS) else "wide"


def word_width(word: str, size: float, bold: bool, kind: str) -> int:
    """The width of ``word`` at ``size`` points, in EMU."""
    widths = WIDTHS[kind, bold]
    total = 0
    for char in word:
        code = ord(unicodedata.normalize("NFKD", char)[0])
        total += widths[code - 32] if 32 <= code < 127 else (widths[0] if char.isspace() else 1000)
    return int(total * size / 1000 * EMU_PER_PT * SLACK)


def needs(model, size: float, kind: str) -> list[int]:
    """Each column's narrowest width that holds its widest word, header (bold) and body, at ``size``."""
    out = []
    for j, column in enumerate(model.columns):
        texts = [(t, True) for t in column.header if t] + [(r.cells[j], r.total or r.heading) for r in model.rows
                                                           if j < len(r.cells) and r.cells[j]]
        widest = max((word_width(w, size, bold, kind) for text, bold in texts for w in BREAKS.split(text) if w),
                     default=0)
        out.append(widest + CELL_MARGINS)
    return out


def _share(widths: list[int], need: list[int], total: int) -> list[int]:
    """``total`` shared among the columns in proportion to ``widths``, none below its need."""
    fixed: set[int] = set()
    for _ in range(len(widths)):
        free = total - sum(need[j] for j in fixed)
        base = sum(widths[j] for j in range(len(widths)) if j not in fixed)
        out = [need[j] if j in fixed else int(widths[j] * free / base) for j in range(len(widths))]
        short = {j for j in range(len(widths)) if j not in fixed and out[j] < need[j]}
        if not short:
            return out
        fixed |= short
    return need


def fit(model, widths: list[int], text_width: int, page_room: int, font: str | None, smallest: float
        ) -> tuple[list[int], float]:
    """The columns' widths (EMU) and the table's font size: ``widths`` as they are when every word fits."""
    kind, size = family(font), model.font
    need = needs(model, size, kind)
    if all(n <= w for n, w in zip(need, widths)):
        return widths, size
    for room in (sum(widths), max(text_width, sum(widths))):
        if sum(need) <= room:
            return _share(widths, need, room), size
    while sum(need) > text_width and size - 0.5 >= smallest:
        size -= 0.5
        need = needs(model, size, kind)
    if sum(need) <= text_width:
        return _share(widths, need, text_width), size
    return (_share(widths, need, page_room) if sum(need) <= page_room
            else [int(n * page_room / sum(need)) for n in need]), size
