"""Write a large, valid IOM export quickly: sheet XML streamed into the zip (dev/xlsxout.py's stream engine).

    python -m tests.bigexport OUT.xlsx LINES      # from the root of the checkout
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

from tests.xlsx import HEADER

from dev.xlsxout import Sheet, amount_cell, export_rows, total_row, write

TITLE = ("IOM Financial Systems: line items", "")


def write_big_export(path: Path, lines: int, seed: int = 7) -> tuple[int, int]:
    """An export of ``lines`` expense lines posted in 2012 (account 710100). Returns (lines, total cents)."""
    rng = random.Random(seed)
    total = 0

    def rows():  # a generator: the stream engine writes each line as it comes
        nonlocal total
        for n in range(lines):
            cents = rng.randrange(1, 500_000)
            total += cents
            usd = amount_cell(cents, number_format=None)  # "1234.50": the digits an export holds
            serial = 40909 + n % 300  # a date in 2012 as an Excel serial
            yield [5_100_000_000 + n, 1, serial, "KR", "TS", 710100, None, None, "USD", usd, usd,
                   f"Invoice {n} for services rendered, ref. {rng.getrandbits(64):016x}"]

    write(path, [Sheet("Line Items", export_rows(HEADER, rows(), TITLE, total_row("Grand Total"), gap=0))],
          engine="stream")
    return lines, total


if __name__ == "__main__":
    print(write_big_export(Path(sys.argv[1]), int(sys.argv[2])))
