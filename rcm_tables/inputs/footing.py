"""The control total: an export's Total / Grand Total row is the system's own footing of ``Amount (USD)``.

The footing covers every line row above the Total row. It is compared, in exact cents, with the sum of the
file's lines as read (before de-duplication across files: a re-run month foots on its own). When some of
those rows were rejected (a bad cell), their amounts are not reliable and the comparison cannot be made:
that is a note, and the rejected rows have their own errors. An export without a Total row, or whose Total
row has no amount, gets a note.
"""
from __future__ import annotations

import pandas as pd

from .. import schemas as S
from ..money import grouped
from ..problems import Code, Problem, problem, show_value
from .values import ParseError, parse_amount

USD = S.EXPORT_HEADERS[S.ExportLine.amount_usd]


def read_footing(cell, where: dict, total_row: int) -> tuple[int | None, list[Problem]]:
    """The Total row's Amount (USD) in cents (None when the cell is empty or cannot be read)."""
    if cell is None:
        return None, [problem(Code.NO_CONTROL_TOTAL, f"the Total row has no {USD}: the lines cannot be checked "
                              "against it", **where, row=total_row, column=USD,
                              hint="nothing to do if the report was run without totals")]
    try:
        return parse_amount(cell), []
    except ParseError as exc:
        return None, [problem(Code.INVALID_VALUE, f"{USD} of the Total row: {exc.message}", **where, row=total_row,
                              column=USD, value=show_value(cell), hint=exc.hint)]


def check_footing(footing: int | None, total_row: int | None, lines: pd.DataFrame, rejected: set,
                  where: dict) -> list[Problem]:
    """Compare the footing with the sum of the lines above the Total row (``rejected``: rows rejected)."""
    if total_row is None:
        return [problem(Code.NO_CONTROL_TOTAL, "the export has no Total row: its lines cannot be checked against "
                        "the system's own total", **where,
                        hint="nothing to do if the report was run without totals")]
    if footing is None:
        return []
    above = sorted(r for r in rejected if r is not None and r < total_row)
    if above:
        return [problem(Code.CONTROL_TOTAL_SKIPPED, f"the Total row was not compared with the lines: {len(above)} "
                        f"row(s) above it were rejected (first: row {above[0]})", **where, row=total_row,
                        column=USD, value=grouped(footing),
                        hint="fix the rejected rows; the total is then checked")]
    summed = int(lines[S.ExportLine.amount_usd].sum()) if len(lines) else 0
    if summed == footing:
        return []
    return [problem(Code.CONTROL_TOTAL, f"the Total row says {grouped(footing)} but the lines add up to "
                    f"{grouped(summed)} (difference {grouped(footing - summed)})", **where, row=total_row,
                    column=USD, value=grouped(footing),
                    hint="the file is incomplete or was edited after it was exported: export it again")]
