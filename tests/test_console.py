"""The sources table drawn without rich (for a file or a pipe) is the table rich draws, character for character."""
from __future__ import annotations

import dataclasses
import io

import pytest
from rich.table import Table

from rcm_tables import console


def _rich(report) -> str:
    out = io.StringIO()
    table = Table(title=console.SOURCES_TITLE)
    for header in console.SOURCES_HEADERS:
        table.add_column(header, justify="right" if header not in ("file", "") else "left")
    for s in report.source_counts:
        state = "MISMATCH" if s.rows_read != s.used + s.duplicates + s.rejected else "rejected" if s.rejected else "ok"
        table.add_row(s.file, str(s.rows_read), str(s.used), str(s.duplicates), str(s.rejected), state)
    console._console(out).print(table)
    return out.getvalue()


@pytest.mark.parametrize("change", ["none", "mismatch and a long name", "too wide", "not ASCII"])
def test_the_plain_sources_table_is_the_one_rich_draws(sample_report, change):
    first = sample_report.source_counts[0]
    sources = {
        "none": sample_report.source_counts,
        "mismatch and a long name": (dataclasses.replace(first, used=first.used + 1, file="x" * 60),),
        "too wide": (dataclasses.replace(first, file="y" * 190),),
        "not ASCII": (dataclasses.replace(first, file="Exportación 輸出.xlsx"),),
    }[change]
    report = dataclasses.replace(sample_report, source_counts=sources)
    out = io.StringIO()
    console.print_sources(report, out)
    assert out.getvalue() == _rich(report)


def test_no_table_when_no_export_was_read(sample_report):
    # an empty table says nothing the problems (no-exports) do not
    out = io.StringIO()
    console.print_sources(dataclasses.replace(sample_report, source_counts=()), out)
    assert out.getvalue() == ""
