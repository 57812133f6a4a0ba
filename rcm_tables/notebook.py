"""How a `Report` shows itself in Jupyter: the as-of date, the inputs, the line counts and the tables' totals."""
from __future__ import annotations

from html import escape

from . import schemas as S
from .money import grouped


def report_html(report) -> str:
    """A small HTML summary (every text from the inputs escaped: it is data, never markup)."""
    ref = report.reference
    rows = [("As of", f"{report.as_of} ({'given' if report.as_of_given else 'the latest posting date'})"),
            ("Reference", f"{ref.file} ({', '.join(ref.rows_read)})"),
            ("Exports", f"{len(report.source_counts)} files, {len(report.ledger_cents):,} ledger lines, "
                        f"{len(report.duplicates):,} identical duplicates counted once"),
            ("Problems", ", ".join(f"{sum(p.severity == s for p in report.problem_list)} {s}(s)"
                                   for s in ("error", "warning", "note")))]
    totals = []
    from .tables import FRAMES

    for frame in FRAMES:
        table = report.tables.get(frame.name)
        if table is None:
            continue
        money = S.money_columns(frame.model)
        cells = ", ".join(f"{c}: {grouped(int(table[c].sum()))}" for c in money[:3])
        totals.append((frame.name, f"{len(table)} rows" + (f"; totals {cells}" if cells else "")))
    body = "".join(f"<tr><th style='text-align:left'>{escape(k)}</th><td style='text-align:left'>{escape(v)}</td>"
                   "</tr>" for k, v in rows + totals)
    return f"<div><b>rcm-tables report</b><table>{body}</table></div>"
