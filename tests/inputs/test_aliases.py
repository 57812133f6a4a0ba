"""Column names from other report layouts: the built-in SAP aliases, the reference's Column Aliases sheet, conflicts."""
from __future__ import annotations

import pytest

from tests.xlsx import HEADER, row, write_export, write_reference

import rcm_tables
from rcm_tables import schemas as S
from rcm_tables.inputs.aliases import BUILT_IN, ColumnNames
from rcm_tables.inputs.cache import ExportCache
from rcm_tables.inputs.exports import read_export
from rcm_tables.inputs.parallel import read_exports
from rcm_tables.inputs.pool import workers_for
from rcm_tables.inputs.values import normalize_name
from rcm_tables.problems import InputError

ENGLISH = {"Document No.": "Document Number", "Doc. Type": "Document Type", "Currency": "Document currency",
           "Amount (Doc. Curr.)": "Amount in Doc. Curr.", "Posting Date": "Pstng Date"}
SPANISH = {"Document No.": "N° documento", "Posting Date": "Fecha contabilización", "Doc. Type": "Clase de documento",
           "Amount (Doc. Curr.)": "Importe en moneda doc.", "Text": "Texto", "Assignment": "Asignación",
           "G/L Account": "Cuenta de mayor", "Fund": "Fondo"}
ROWS = [row(doc="A1"), row(doc="A2", usd="(12.50)", text="Señal")]


def test_every_built_in_alias_names_one_column_and_no_contract_header():
    headers = {normalize_name(h) for h in S.EXPORT_HEADERS.values()}
    seen: dict[str, str] = {}
    for column, aliases in S.EXPORT_ALIASES.items():
        assert column in S.EXPORT_HEADERS
        for alias in aliases:
            key = normalize_name(alias)
            assert key not in headers and seen.setdefault(key, column) == column, alias


@pytest.mark.parametrize("names", [ENGLISH, SPANISH], ids=["english", "spanish"])
def test_sap_headers_read_like_the_contract_s_with_one_note(tmp_path, names):
    plain = read_export(write_export(tmp_path / "plain.xlsx", ROWS))
    header = [names.get(h, h) for h in HEADER]
    aliased = read_export(write_export(tmp_path / "sap.xlsx", ROWS, header=header))
    assert aliased.lines.equals(plain.lines) and aliased.footing == plain.footing
    [note] = aliased.problems
    assert (note.code, note.severity, note.row) == ("alias-used", "note", 4)
    for alias, header_name in ((a, h) for h, a in names.items()):
        assert f"{alias!r} as {header_name!r}" in note.message


def test_aliases_match_ignoring_case_spaces_and_unicode_form(tmp_path):
    # spaces, case, and the accent typed as a combining character (NFD)
    header = [{"Document No.": "  DOCUMENT   number ", "Posting Date": "FECHA CONTABILIZACIO\u0301N"}.get(h, h)
              for h in HEADER]
    export = read_export(write_export(tmp_path / "e.xlsx", ROWS, header=header))
    assert [p.code for p in export.problems] == ["alias-used"] and len(export.lines) == 2


def test_the_reference_adds_aliases_and_they_reach_every_reader(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    header = ["Betrag USD" if h == "Amount (USD)" else h for h in HEADER]
    for month in range(1, 17):  # enough files for two parsing processes (jobs=2): started before the reference
        # is read, they parse under the built-in names, are stopped once its aliases are known, and parse again
        write_export(exports / f"{2011 + month // 13}-{month % 13 or 1:02}-{month}.xlsx",
                     [row(doc=f"D{month}", usd=100.0)], header=header)
    reference = write_reference(tmp_path / "reference.xlsx", column_aliases=[["Amount (USD)", "Betrag USD"]])
    assert workers_for(16, 2) == 2
    report = rcm_tables.load(exports, reference, jobs=2, cache=tmp_path / "cache")
    assert len(report.ledger_cents) == 16
    assert sum(p.code == "alias-used" for p in report.problem_list) == 16  # once per file
    names = ColumnNames((("Betrag USD", S.ExportLine.amount_usd),))
    cache = ExportCache(tmp_path / "cache")
    assert all(cache.entry(sha, names).exists() for sha in report.sources["sha256"])
    with pytest.raises(InputError) as raised:  # without the alias the column is missing
        rcm_tables.load(exports, write_reference(tmp_path / "plain.xlsx"), cache=tmp_path / "cache")
    assert {p.code for p in raised.value.problems if p.severity == "error"} == {"header-missing"}


@pytest.mark.parametrize("rows, message", [
    ([["Document No.", "Beleg"], ["Item", "Beleg"]], "would name both 'Item' and 'Document No.'"),
    ([["Item", "Document Number"]], "would name both 'Item' and 'Document No.'"),
    ([["Item", "Posting Date"]], "would name both 'Item' and 'Posting Date'"),
])
def test_an_alias_naming_two_columns_is_an_error_on_its_row(tmp_path, rows, message):
    exports = tmp_path / "exports"
    exports.mkdir()
    write_export(exports / "e.xlsx", ROWS)
    reference = write_reference(tmp_path / "reference.xlsx", column_aliases=rows)
    with pytest.raises(InputError) as raised:
        rcm_tables.load(exports, reference)
    [error] = [p for p in raised.value.problems if p.severity == "error"]
    assert (error.code, error.sheet, error.row, error.column) == (
        "column-alias-conflict", "Column Aliases", len(rows) + 1, "Alias")
    assert message in error.message


def test_an_alias_for_a_column_the_contract_does_not_have_is_an_error(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    write_export(exports / "e.xlsx", ROWS)
    reference = write_reference(tmp_path / "reference.xlsx", column_aliases=[["Cost Centre", "CeCo"]])
    with pytest.raises(InputError) as raised:
        rcm_tables.load(exports, reference)
    [error] = [p for p in raised.value.problems if p.severity == "error"]
    assert (error.code, error.row, error.column) == ("invalid-value", 2, "Column")


def test_a_header_naming_one_column_twice_is_an_error(tmp_path):
    header = HEADER + ["Document Number"]
    export = read_export(write_export(tmp_path / "e.xlsx", [r + ["X"] for r in ROWS], header=header))
    [error] = [p for p in export.problems if p.severity == "error"]
    assert (error.code, error.row, error.column) == ("alias-conflict-header", 4, "Document Number")
    # as for any header error, every row below the header (the Total row too) is read and rejected
    assert export.lines.empty and export.rows_read == 3 and len(export.rejected_rows) == 3


def test_a_new_alias_re_parses_the_exports(tmp_path):
    header = ["Betrag USD" if h == "Amount (USD)" else h for h in HEADER]
    path = write_export(tmp_path / "e.xlsx", ROWS, header=header)
    cache = ExportCache(tmp_path / "cache")
    [before], _ = read_exports([path], cache)
    assert before.lines.empty
    names = ColumnNames((("Betrag USD", S.ExportLine.amount_usd),))
    assert cache.entry(before.sha256, names) != cache.entry(before.sha256, BUILT_IN)
    [after], _ = read_exports([path], cache, names=names)
    assert len(after.lines) == 2
    [again], _ = read_exports([path], cache, names=names)  # from the cache, under the new aliases
    assert len(again.lines) == 2 and cache.entry(before.sha256, names).exists()
