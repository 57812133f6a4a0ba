"""How the notebooks show frames and charts: dollars with thousands separators, and every chart with its words.

A chart is shown as a PNG whose output carries an ``alt`` text (nbconvert's classic HTML template writes it into
the ``<img>``), followed by the same sentence as Markdown, so a reader who cannot see the image, or prints the
page, still gets what it says. Imported by the notebooks only: matplotlib and IPython load here, not with
``rcm_tables``.
"""
from __future__ import annotations

import io

import pandas as pd

from .public import usd_dtype


def money_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == usd_dtype()]


def _usd(value) -> str:
    return "" if pd.isna(value) else f"{value:,.2f}"


def table(frame: pd.DataFrame, percent: tuple[str, ...] = ()):
    """``frame`` styled for reading: dollars as 1,234.56, ``percent`` columns as 12.3 %, missing values blank.

    The frame itself is untouched (its values stay exact decimals); only the display changes.
    """
    formats = {c: _usd for c in money_columns(frame)}
    formats.update({c: (lambda v: "" if pd.isna(v) else f"{float(v):.1%}") for c in percent})
    return frame.style.format(formats, na_rep="")


def usd_axis(axis, decimals: int = 0) -> None:
    """Thousands separators on a matplotlib axis (``ax.yaxis`` / ``ax.xaxis``) that counts dollars or days."""
    from matplotlib.ticker import StrMethodFormatter

    axis.set_major_formatter(StrMethodFormatter("{x:,.%df}" % decimals))


def chart(fig, alt: str) -> None:
    """Show ``fig`` as a PNG carrying ``alt`` as its alternative text, then ``alt`` again as a caption."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, Markdown, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png"), metadata={"image/png": {"alt": alt}})
    display(Markdown(f"*{_escape(alt)}*"))


def _escape(text: str) -> str:
    # names from the inputs are data: no Markdown or HTML of theirs is interpreted in the caption
    for char in "\\`*_{}[]<>()#+-.!|":
        text = text.replace(char, "\\" + char)
    return text
