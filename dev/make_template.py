"""Write the report document's default template, rcm_tables/document/template.docx, reproducibly.

    python -m dev.make_template [--out FILE]

It starts from python-docx's own default template and sets the look (`rcm_tables.document.styles`): Arial,
headings that keep with what follows, the table style "RCM Table", the caption and table-text styles, margins
of 2 cm on US Letter, and a page number centred in the footer. The bytes are the same on every run (fixed core
properties and zip dates); tests/document/test_template.py checks the committed file is what this writes.
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import docx
from docx.shared import Cm

from rcm_tables.document import styles
from rcm_tables.document.writer import DEFAULT_TEMPLATE, Writer

STAMP = dt.datetime(2012, 1, 1)


def make(path: Path) -> Path:
    document = docx.Document()
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    styles.define_defaults(document)
    styles.ensure_page_numbers(document)
    writer = Writer.__new__(Writer)  # only its reproducible save: the template is not a report
    writer.doc = document
    writer.save(path, STAMP, "RCM Technical Secretariat: report template", "en")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_TEMPLATE)
    print(f"wrote {make(parser.parse_args(argv).out)}")


if __name__ == "__main__":
    main()
