"""Exports as they really come: .xls, .ods and .csv copies of the sample (made by LibreOffice) read like the .xlsx.

A few exports are converted for the quick tests; the whole sample once, for the slow ones that build the report
from each format, and from a folder that mixes them (with Spanish SAP headers), comparing the CSV outputs byte
for byte with the .xlsx build.
"""
from __future__ import annotations

import csv
import filecmp
import io
import shutil
import struct
from pathlib import Path

import openpyxl
import pytest

from tests.convert import convert
from tests.xlsx import write_export, row

from rcm_tables.cli import main
from rcm_tables.inputs.exports import read_export
from rcm_tables.paths import sample_inputs
from rcm_tables.tables import FRAMES

SAMPLE_EXPORTS, SAMPLE_REFERENCE = sample_inputs()
SUBSET = ["IOM_LineItems_2008-03.xlsx", "IOM_LineItems_2012-06.xlsx", "IOM_LineItems_2012-06_rerun.xlsx",
          "IOM_LineItems_2012-01_to_2012-03_YTD.xlsx", "IOM_LineItems_2010-11.xlsx"]
FORMATS = ("xls", "ods", "csv")
# make test runs with pytest-xdist --dist loadgroup: the LibreOffice tests share one worker (one soffice at a
# time on a 2-core machine, one user profile for all: see conftest.lo_profile)
pytestmark = pytest.mark.xdist_group("libreoffice")


@pytest.fixture(scope="session")
def converted(tmp_path_factory, lo_profile) -> dict[str, list[Path]]:
    """The subset of sample exports in each format."""
    root = tmp_path_factory.mktemp("converted")
    files = [SAMPLE_EXPORTS / name for name in SUBSET]
    return {kind: convert(files, kind, root / kind, lo_profile) for kind in FORMATS}


@pytest.fixture(scope="session")
def converted_sample(tmp_path_factory, lo_profile) -> dict[str, Path]:
    """The whole sample's exports in each format: a folder per format."""
    root = tmp_path_factory.mktemp("converted-sample")
    files = sorted(SAMPLE_EXPORTS.glob("*.xlsx"))
    assert len(files) == 73
    for kind in FORMATS:
        convert(files, kind, root / kind, lo_profile)
    return {kind: root / kind for kind in FORMATS}


def same_read(a, b) -> None:
    """Two reads of one export in two formats: the same lines, rows and problems (but for the file's name)."""
    assert (a.header_row, a.rows_read, a.rejected_rows, a.footing, a.total_row) == (
        b.header_row, b.rows_read, b.rejected_rows, b.footing, b.total_row)
    assert [(p.code, p.row, p.column) for p in a.problems] == [(p.code, p.row, p.column) for p in b.problems]
    assert a.lines.equals(b.lines)


@pytest.mark.parametrize("kind", FORMATS)
def test_each_format_reads_like_the_xlsx(converted, kind):
    for path in converted[kind]:
        same_read(read_export(path), read_export(SAMPLE_EXPORTS / f"{path.stem}.xlsx"))


def test_an_xls_named_xlsx_is_read_by_its_content(converted, tmp_path):
    xls = next(p for p in converted["xls"] if p.stem.endswith("2012-06"))
    renamed = shutil.copy(xls, tmp_path / "IOM_LineItems_2012-06.xlsx")
    same_read(read_export(Path(renamed)), read_export(SAMPLE_EXPORTS / "IOM_LineItems_2012-06.xlsx"))


def _build(exports: Path, out: Path) -> Path:
    csv_dir = out / "csv"
    code = main(["build", "--exports", str(exports), "--reference", str(SAMPLE_REFERENCE), "--out",
                 str(out / "report.xlsx"), "--csv", str(csv_dir), "--no-cache"])
    assert code == 0
    return csv_dir


def _same_csvs(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) == sorted(frame.csv_name for frame in FRAMES)
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.fixture(scope="session")
def xlsx_csvs(tmp_path_factory) -> Path:
    return _build(SAMPLE_EXPORTS, tmp_path_factory.mktemp("build-xlsx"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", FORMATS)
def test_the_sample_in_each_format_gives_byte_identical_csv_outputs(converted_sample, xlsx_csvs, kind, tmp_path):
    _same_csvs(_build(converted_sample[kind], tmp_path), xlsx_csvs)


SPANISH = {"Document No.": "N° documento", "Posting Date": "Fecha contabilización", "Doc. Type": "Clase de documento",
           "Amount (Doc. Curr.)": "Importe en moneda doc.", "Text": "Texto", "Assignment": "Asignación",
           "G/L Account": "Cuenta de mayor", "Fund": "Fondo", "Currency": "Moneda"}


def spanish_headers(source: Path, target: Path) -> Path:
    """An .xlsx export with its header in SAP's Spanish forms (the values untouched)."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Line Items"]
    for cells in ws.iter_rows(max_row=30):
        names = [c.value for c in cells]
        if "Document No." in names and "Posting Date" in names:
            for cell in cells:
                cell.value = SPANISH.get(cell.value, cell.value)
            break
    wb.save(target)
    return target


@pytest.mark.slow
def test_a_folder_of_mixed_formats_and_header_spellings_builds_the_same_report(converted_sample, xlsx_csvs,
                                                                                tmp_path):
    mixed = tmp_path / "exports"
    mixed.mkdir()
    for i, path in enumerate(sorted(SAMPLE_EXPORTS.glob("*.xlsx"))):
        choice = i % 4
        if choice == 3:
            spanish_headers(path, mixed / path.name)
        else:
            kind = FORMATS[choice]
            shutil.copy(converted_sample[kind] / f"{path.stem}.{kind}", mixed)
    assert {p.suffix for p in mixed.iterdir()} == {".xlsx", ".xls", ".ods", ".csv"}
    _same_csvs(_build(mixed, tmp_path / "out"), xlsx_csvs)


# ---------------------------------------------------------------- CSV variants


def _rewrite_csv(source: Path, target: Path, sep=",", decimal_comma=False, encoding="utf-8") -> Path:
    """A LibreOffice CSV rewritten with another separator, decimal mark or encoding (the amounts' text forms
    kept: 1,234.56 becomes 1.234,56)."""
    records = list(csv.reader(io.StringIO(source.read_text("utf-8"), newline="")))
    if decimal_comma:
        swap = str.maketrans({",": ".", ".": ","})
        header = next(i for i, r in enumerate(records) if "Amount (USD)" in r)
        amounts = [j for j, name in enumerate(records[header]) if name.startswith("Amount")]
        for record in records[header + 1:]:
            for j in amounts:
                if j < len(record):
                    record[j] = record[j].translate(swap)
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(records)
    target.write_bytes(out.getvalue().encode(encoding))
    return target


@pytest.mark.parametrize("variant", [
    {"sep": ";", "decimal_comma": True}, {"sep": "\t"}, {"encoding": "cp1252"}, {"encoding": "utf-8-sig"},
    {"sep": ";", "decimal_comma": True, "encoding": "cp1252"}], ids=["semicolon-comma", "tab", "cp1252", "bom",
                                                                     "semicolon-comma-cp1252"])
def test_csv_variants_read_alike(converted, variant, tmp_path):
    for path in converted["csv"]:
        variant_path = _rewrite_csv(path, tmp_path / path.name, **variant)
        read = read_export(variant_path)
        original = read_export(SAMPLE_EXPORTS / f"{path.stem}.xlsx")
        guessed = [p for p in read.problems if p.code == "csv-encoding-guessed"]
        assert len(guessed) == (variant.get("encoding") == "cp1252" and any(
            ord(ch) > 127 for ch in path.read_text("utf-8")))
        assert all(p.severity == "warning" for p in guessed)
        read = read.__class__(**{**read.__dict__, "problems": tuple(p for p in read.problems if p not in guessed)})
        same_read(read, original)
        assert read.lines["text"].tolist() == original.lines["text"].tolist()  # accents and dashes intact


def _csv(tmp_path, text: str, name="e.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEAD = "Document No.;Item;Posting Date;Doc. Type;Fund;G/L Account;Partner;Assignment;Currency;Amount (Doc. Curr.);Amount (USD);Text\n"


def test_amounts_that_read_either_way_are_an_error_naming_an_example_cell(tmp_path):
    lines = "".join(f"D{i};1;01/03/2012;DZ;TS;400100;Canada;2012;USD;1,234;1,234;x\n" for i in range(3))
    export = read_export(_csv(tmp_path, "Report\n" + HEAD + lines + "Total;;;;;;;;;;3,702;\n"))
    errors = [p for p in export.problems if p.severity == "error"]
    assert [(p.code, p.row, p.column, p.value) for p in errors] == [
        ("decimal-mark-ambiguous", 3, "Amount (Doc. Curr.)", "1,234")]
    assert export.file == "e.csv" and export.rows_read == 3 and export.rejected_rows == (3,)


def test_other_amounts_decide_the_decimal_mark(tmp_path):
    lines = "D1;1;01/03/2012;DZ;TS;400100;Canada;2012;USD;1.234;1.234;x\nD2;1;01/03/2012;DZ;TS;400100;Canada;2012;USD;12,50;12,50;x\n"
    export = read_export(_csv(tmp_path, HEAD + lines + "Total;;;;;;;;;;1.246,50;\n"))
    assert export.problems == () and export.lines["amount_usd"].tolist() == [123400, 1250]
    assert export.footing == 124650 and export.total_row == 4  # line numbers


def test_a_quoted_text_over_two_lines_keeps_the_file_s_line_numbers(tmp_path):
    lines = ('D1,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,10.00,10.00,"two\nlines"\n'
             "D2,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,x,5.00,\n")
    export = read_export(_csv(tmp_path, HEAD.replace(";", ",") + lines))
    [error] = [p for p in export.problems if p.severity == "error"]
    assert (error.row, error.column) == (4, "Amount (Doc. Curr.)")  # line 4 of the file
    assert export.lines.index.tolist() == [2] and export.lines["text"].tolist() == ["two\nlines"]


def test_a_line_of_many_separators_costs_nothing_and_a_far_value_is_refused(tmp_path, monkeypatch):
    body = "D1,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,10.00,10.00,x" + "," * 16_000 + "\n"
    export = read_export(_csv(tmp_path, HEAD.replace(";", ",") + body * 100))
    assert export.rows_read == 100 and all(p.severity != "error" for p in export.problems)
    monkeypatch.setattr("rcm_tables.inputs.csvgrid.MAX_CELLS", 100_000)
    far = HEAD.replace(";", ",") + (body[:-1] + "stray\n") * 10
    [error] = read_export(_csv(tmp_path, far, "far.csv")).problems
    assert error.code == "sheet-too-far" and error.row == 2 and "16,012 fields" in error.message


@pytest.mark.parametrize("text, code", [
    ("", "sheet-empty"), ("\n\n", "sheet-empty"), ("just,some,text\n1,2,3\n", "header-not-found"),
    (HEAD.replace("Amount (USD);", ""), "header-missing")])
def test_bad_csv_files_are_located_errors(tmp_path, text, code):
    export = read_export(_csv(tmp_path, text))
    assert [p.code for p in export.problems if p.severity == "error"] == [code]


def test_a_csv_in_no_known_encoding_is_an_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(HEAD.encode() + b"\x81\x8d\n")  # undefined in Windows-1252, and not UTF-8
    [error] = read_export(path).problems
    assert error.code == "file-unreadable" and "neither UTF-8 nor Windows-1252" in error.message


# ---------------------------------------------------------------- bad workbooks in each format


@pytest.fixture(scope="session")
def bad_workbooks(tmp_path_factory, lo_profile) -> dict[str, Path]:
    """An empty sheet, a header without Amount (USD), a far stray value and error cells, as .xls and .ods."""
    root = tmp_path_factory.mktemp("bad")
    sources = []
    empty = openpyxl.Workbook()
    empty.active.title = "Line Items"
    empty.save(root / "empty.xlsx")
    sources.append(root / "empty.xlsx")
    header = [h for h in ("Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account", "Currency")]
    sources.append(write_export(root / "noheader.xlsx", [row()[:7]], header=header, total=None))
    far = openpyxl.Workbook()
    far.active.title = "Line Items"
    far.active["A1"], far.active["XFD1048576"] = "x", "stray"
    far.save(root / "far.xlsx")
    sources.append(root / "far.xlsx")
    errors = write_export(root / "errors.xlsx", [row(usd=5.0)])
    wb = openpyxl.load_workbook(errors)
    wb["Line Items"]["K5"] = "=NA()"
    wb.save(errors)
    sources.append(errors)
    out = {}
    for kind in ("xls", "ods"):
        for path in convert(sources, kind, root / kind, lo_profile):
            out[path.name] = path
    return out


@pytest.mark.parametrize("name, code", [
    ("empty.xls", "sheet-empty"), ("empty.ods", "sheet-empty"), ("noheader.xls", "header-missing"),
    ("noheader.ods", "header-missing"), ("far.ods", "sheet-too-far"), ("errors.xls", "invalid-value"),
    ("errors.ods", "invalid-value")])
def test_bad_workbooks_give_located_errors(bad_workbooks, name, code):
    export = read_export(bad_workbooks[name])
    errors = [p for p in export.problems if p.severity == "error"]
    assert errors and errors[0].code == code and errors[0].file == name
    if code == "invalid-value":  # calamine reads #N/A as empty in these formats: the scan puts it back
        assert (errors[0].row, errors[0].column, errors[0].value) == (5, "Amount (USD)", "#N/A")


def test_an_xls_with_a_far_cell_is_refused_before_calamine_builds_it(bad_workbooks, tmp_path):
    import olefile

    path = shutil.copy(bad_workbooks["noheader.xls"], tmp_path / "far.xls")
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while pos + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, pos)
            if kind == 0x00FD:  # the first text cell, moved to row 65536, column XFD
                struct.pack_into("<HH", stream, pos + 4, 65535, 16383)
                break
            pos += 4 + size
        ole.write_stream("Workbook", bytes(stream))
    [error] = read_export(Path(path)).problems
    assert error.code == "sheet-too-far" and "XFD65536" in error.message


@pytest.mark.parametrize("kind", ["xls", "ods", "csv"])
def test_damaged_files_are_located_errors(converted, kind, tmp_path):
    path = converted[kind][0]
    cut = tmp_path / path.name
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) // 2] if kind != "csv" else data[: len(data) // 2] + b"\xff\xfe\x81")
    export = read_export(cut)
    assert [p.severity for p in export.problems if p.severity == "error"], export.problems
