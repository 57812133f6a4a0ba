"""Control totals: an export's Total row is the system's own footing of Amount (USD), checked in exact cents."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.xlsx import row, write_export, write_reference

import rcm_tables
from rcm_tables.inputs.cache import ExportCache
from rcm_tables.inputs.exports import read_export
from rcm_tables.paths import sample_inputs
from rcm_tables.problems import InputError

ROWS = [row(doc="A1", usd=1000.0), row(doc="A2", usd="(250.25)"), row(doc="A3", usd=0.1), row(doc="A4", usd=0.2)]
FOOTING = 100000 - 25025 + 10 + 20


def _with_total(path, rows, amount):
    """An export whose Total row holds ``amount`` under Amount (USD)."""
    write_export(path, rows)  # its Total is the exact sum; rewrite that cell
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Line Items"]
    total = next(r for r in ws.iter_rows() if r[0].value == "Grand Total")
    total[10].value = amount
    wb.save(path)
    return path


def test_a_total_that_foots_is_kept_in_exact_cents(tmp_path):
    export = read_export(write_export(tmp_path / "e.xlsx", ROWS))
    assert export.problems == ()
    assert (export.footing, export.total_row) == (FOOTING, 10)  # title 3 rows, header, 4 lines, a blank, Total


def test_a_total_one_cent_off_is_an_error_naming_the_row_and_both_sums(tmp_path):
    path = _with_total(tmp_path / "e.xlsx", ROWS, Decimal(FOOTING + 1).scaleb(-2))
    export = read_export(path)
    [error] = export.problems
    assert (error.code, error.severity, error.file, error.row, error.column) == (
        "control-total", "error", "e.xlsx", 10, "Amount (USD)")
    assert "750.06" in error.message and "750.05" in error.message and "0.01" in error.message
    assert export.footing == FOOTING + 1 and len(export.lines) == 4  # the lines are read; the build stops


def test_a_file_that_does_not_foot_stops_the_build_and_keeps_every_row_accounted_for(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    _with_total(exports / "e.xlsx", ROWS, 1.0)
    reference = write_reference(tmp_path / "reference.xlsx")
    with pytest.raises(InputError) as raised:
        rcm_tables.load(exports, reference)
    assert [p.code for p in raised.value.problems if p.severity == "error"] == ["control-total"]
    report = rcm_tables.load(exports, reference, strict=False)
    [source] = report.source_counts
    assert source.footing == 100 and source.rows_read == source.used + source.duplicates + source.rejected == 4


def test_no_total_row_is_a_note(tmp_path):
    export = read_export(write_export(tmp_path / "e.xlsx", ROWS, total=None))
    [note] = export.problems
    assert (note.code, note.severity, note.row) == ("no-control-total", "note", None)
    assert export.footing is None and export.total_row is None


def test_a_total_row_without_an_amount_is_a_note(tmp_path):
    export = read_export(_with_total(tmp_path / "e.xlsx", ROWS, None))
    [note] = export.problems
    assert (note.code, note.severity, note.row, note.column) == ("no-control-total", "note", 10, "Amount (USD)")
    assert export.footing is None and export.total_row == 10


def test_a_total_that_is_not_an_amount_is_a_located_error_but_not_a_rejected_line(tmp_path):
    export = read_export(_with_total(tmp_path / "e.xlsx", ROWS, "n/a"))
    [error] = export.problems
    assert (error.code, error.row, error.column, error.value) == ("invalid-value", 10, "Amount (USD)", "n/a")
    assert export.rejected_rows == () and export.rows_read == 4 and len(export.lines) == 4


def test_a_rejected_row_means_the_total_is_not_compared(tmp_path):
    rows = ROWS + [row(doc="A5", usd="12abc")]
    export = read_export(_with_total(tmp_path / "e.xlsx", rows, 1.0))  # would not foot either way
    *errors, note = export.problems
    assert {(p.code, p.row) for p in errors} == {("invalid-value", 9)}  # both amount cells of row 9
    assert (note.code, note.severity, note.row) == ("control-total-skipped", "note", 11)
    assert "1 row(s)" in note.message and export.rejected_rows == (9,)


def test_the_cache_keeps_the_footing(tmp_path):
    path = _with_total(tmp_path / "e.xlsx", ROWS, 7.5)
    fresh = read_export(path)
    cache = ExportCache(tmp_path / "cache")
    assert cache.put(fresh)
    hit = cache.get(fresh.sha256, path, path.name)
    assert (hit.footing, hit.total_row, hit.problems) == (750, 10, fresh.problems)
    none = read_export(write_export(tmp_path / "n.xlsx", ROWS, total=None))
    assert cache.put(none)
    assert cache.get(none.sha256, none.path, none.file).footing is None


def test_every_sample_export_foots():
    exports, _reference = sample_inputs()
    paths = sorted(exports.glob("*.xlsx"))
    assert len(paths) == 73
    for path in paths:
        export = read_export(path)
        assert export.footing is not None and export.problems == (), path.name


def test_a_grand_total_below_the_total_is_not_data(tmp_path):
    """SAP layouts with subtotals end in a Total and then a Grand Total: neither is a line, the first is the footing;
    a line below them is still an error."""
    import openpyxl

    path = write_export(tmp_path / "e.xlsx", ROWS, total="Total")
    wb = openpyxl.load_workbook(path)
    ws = wb["Line Items"]
    ws.cell(11, 1, "Grand Total")
    ws.cell(11, 11, float(Decimal(FOOTING).scaleb(-2)))
    wb.save(path)
    export = read_export(path)
    assert export.problems == () and (export.footing, export.total_row, export.rows_read) == (FOOTING, 10, 4)
    assert len(export.lines) == 4 and export.rejected_rows == ()
    ws.append(["A9", 1])  # row 12: a line below both totals
    wb.save(path)
    export = read_export(path)
    assert [(p.code, p.row) for p in export.problems if p.severity == "error"] == [("row-after-total", 12)]
    assert export.rows_read == 5 and export.rejected_rows == (12,)
