"""The export reader's fast paths agree with the slow paths they stand in for.

- the pre-flight reads each worksheet part once and scans it there: `extent.near` (fewer passes) never calls a
  sheet near that `extent.scan` finds far, `extent.scan_bytes` is `extent.scan`, `engines.error_cells_in` is what
  `engines.has_error_cells` finds in the part, and `preflight._counts` finds what the count pattern finds;
- plain text amounts (1,234.56) are converted in bulk to the cents `parse_amount` reads;
- each distinct cell of a column is parsed once, and text columns are built without pandas' check of each cell;
- the lines are proven valid from each column's distinct values (`schemas.surely_valid_values`) exactly when
  `surely_valid` proves them valid, and then pandera finds nothing either.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcm_tables import schemas as S
from rcm_tables.inputs import columns, engines, extent, preflight
from rcm_tables.inputs.extent_formats import ScanRefused
from rcm_tables.inputs.values import FormulaWithoutValue, ParseError, parse_amount
from rcm_tables.paths import SAMPLE_EXPORTS

SHEET = "xl/worksheets/sheet1.xml"


@contextlib.contextmanager
def _set(module, name: str, value):
    """A module's constant set for the block (small chunks: many windows in a small part)."""
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def _zipped(part: bytes, member: str = SHEET) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, part)
    return zipfile.ZipFile(buffer)


# ---------------------------------------------------------------- extent

TAGS = [b'<row r="1">', b'<row r="99999">', b'<row r="100000">', b'<row r="1048576">', b'<row spans="1:3" r="7">',
        b'<row>', b'</row>', b'<c r="A1" t="s">', b'<c r="Z99999">', b'<c r="A100000">', b'<c r="AA1">',
        b'<c r="XFD1048576">', b'<c s="1" r="AB5">', b'<c t="s" r="B2">', b'<c\tr="AC3">', b'<c>', b'<c ',
        b'r="', b'<v>1</v>', b'</c>', b' ', b'"', b'<row r="0123456">', b'<c r="A00000007">']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TAGS), max_size=60), st.sampled_from([97, 128, 333, 1 << 20]))
def test_near_is_never_wrong_and_scan_bytes_is_scan(tags, chunk):
    part = b"<worksheet><sheetData>" + b"".join(tags) + b"</sheetData></worksheet>"
    with _set(extent, "CHUNK", chunk):  # small chunks: tags cut at window ends, windows of both kinds in a part
        try:
            reach = extent.scan_bytes(part)
        except ScanRefused:  # tag soup that is not XML, where the fast patterns could not read it: parsed, refused
            with pytest.raises(ScanRefused):
                extent.scan(_zipped(part), SHEET)
            assert not extent.near(part)
            return
        assert reach == extent.scan(_zipped(part), SHEET)
        if extent.near(part):
            assert reach.columns <= extent.NEAR_COLUMNS and reach.rows <= extent.NEAR_ROWS
            assert reach.cells <= extent.MAX_CELLS


@pytest.mark.parametrize("body, near", [
    (b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="M1"><v>1.5</v></c></row>', True),
    (b'<row r="99999"><c r="Z99999"><v>1</v></c></row>', True),
    (b'<row r="1"><c r="AA1"><v>1</v></c></row>', False),
    (b'<row r="100000"><c r="A100000"><v>1</v></c></row>', False),
    (b'<row r="1"><c s="1" r="XFD1"><v>1</v></c></row>', False),  # not a regular tag: the part is parsed
    (b'<row r="1"><c s="1" r="B1"><v>1</v></c></row>', False),  # irregular: parsed (and found near), not guessed
])
def test_near_on_typical_sheets(body, near):
    part = b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"
    assert extent.near(part) is near
    assert extent.scan_bytes(part) == extent.scan(_zipped(part), SHEET)


def test_a_tag_cut_at_a_window_end_is_looked_at_in_its_window(monkeypatch):
    """A window ending inside "<c " is irregular (the part is parsed): a far cell written another way is found."""
    monkeypatch.setattr(extent, "CHUNK", 200)
    head = b"<worksheet><sheetData><row r=\"1\"><c\tr=\"XFD1\"><v>1</v></c>"
    part = head + b"x" * (200 - len(head) - 3) + b'<c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    assert extent.scan_bytes(part).columns == 16384  # the first window is irregular: the part is parsed
    assert not extent.near(part)


# ---------------------------------------------------------------- error cells

CELLS = [b'<c r="A1" t="e"><v>#N/A</v></c>', b"<c r='A1' t='e'><v>#N/A</v></c>", b'<c r="A1" t = "e"><v>#N/A</v></c>',
         b'<x:c r="A1"\n t=\n"e"><x:v>#N/A</x:v></x:c>', b'<c r="A1" t="str"><v>e</v></c>', b'<c r="A1"><f>1/0</f></c>',
         b'<c r="A1"><f>SUM(A2)</f><v>3</v></c>', b'<c r="A1"><f>A2</f><v></v></c>',
         b'<c r="A1"><f t="shared" si="0"/></c>',
         b'<c r="A1"><f t="shared" si="0"/><v>2</v></c>', b'<c r="A1"><v>1</v></c>', b" " * 40, b"\n", b"</f>", b"<f",
         b'<c r="B1" t="s"><v>0</v></c>', b"<fill/>", b"</c>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CELLS), max_size=40), st.sampled_from([300, 1000, 1 << 16]))
def test_error_cells_in_a_part_are_what_the_stream_finds(cells, chunk):
    part = b"<worksheet><sheetData><row r=\"1\">" + b"".join(cells) + b"</row></sheetData></worksheet>"
    with _set(engines, "_SCAN_CHUNK", chunk):
        assert engines.error_cells_in(part) == engines._part_has_error_cells(_zipped(part), SHEET)


# around the cell data: a sheet's header and footer, marks just outside it, and tags like it
AROUND = [b'<sheetPr t="e"/>', b"<f", b"</f>", b" t='e'", b' t="e"', b' count="99"', b' uniqueCount="7"', b"e", b"f",
          b"u", b">", b"<", b"x" * 20, b'<mergeCells count="4000000000">', b"<sheetData/>", b"</sheetData>"]
OPENING = [b"<sheetData>", b'<sheetData t="e">', b"<sheetData uniqueCount='12'>", b"<sheetData\n>", b"<sheetData"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(AROUND), max_size=6), st.sampled_from(OPENING),
       st.lists(st.sampled_from(CELLS + [b'<c r="A1"><v>1</v></c>'] * 4), max_size=12),
       st.lists(st.sampled_from(AROUND), max_size=6))
def test_what_is_looked_for_outside_the_cell_data_is_what_the_part_holds(before, opening, cells, after):
    """`extent.outside_data`: a text (an error mark, a formula tag, a count) is looked for before and after the
    cell data only when the data holds none of its letter; it is found there exactly when the part holds it."""
    part = b"<worksheet>" + b"".join(before) + opening + b"".join(cells) + b"</sheetData>" + b"".join(after) + \
        b"</worksheet>"
    for text, byte in [(b' t="e"', b"e"), (b" t='e'", b"e"), (b"</f>", b"f"), (b"<f", b"f"), (b"ount", b"u")]:
        pieces = extent.outside_data(part, byte)
        found = part.find(text) >= 0 if pieces is None else any(text in piece for piece in pieces)
        assert found is (text in part) and engines._holds(part, text, byte) is (text in part)
    assert engines.error_cells_in(part) == engines._part_has_error_cells(_zipped(part), SHEET)
    info = zipfile.ZipInfo(SHEET)
    info.file_size = len(part) * 1000  # counts up to a quarter of this pass; the 4,000,000,000 does not
    expected = any(int(m.group(2)) > min(info.file_size // 4 + 16, extent.MAX_CELLS)
                   for m in preflight._COUNT.finditer(part))
    try:
        found = _impossible_count(info, part)
    except ScanRefused:  # cells the fast patterns cannot read, in a part that is not XML: refused as corrupt
        assert not extent.near(part)
        return
    assert bool(found) is expected


def _impossible_count(info, part) -> list:
    """`preflight._impossible_count` of a part whose declared size is ``info.file_size``."""
    class Sized:
        def open(self, member):
            return io.BytesIO(part)

        def getinfo(self, name):
            return info

    return preflight._impossible_count(Sized(), info, "e.xlsx", {}, {})


def test_a_formula_cell_spread_over_two_windows_is_missed_by_both():
    """More than the windows' overlap of spaces between </f> and </c>, across a window boundary: the stream does
    not see it, and neither does the scan of the part in memory (it gives what the stream gives)."""
    head = b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><f>1/0</f>"
    part = b" " * (65_000 - len(head)) + head + b" " * 600 + b"</c></row></sheetData></worksheet>"
    assert engines._NO_VALUE.search(part)  # the part holds one
    assert engines.error_cells_in(part) is engines._part_has_error_cells(_zipped(part), SHEET) is False


def _sample_files() -> list[Path]:
    return sorted(SAMPLE_EXPORTS.glob("*.xlsx"))[:10]


def _error_workbook(tmp_path: Path) -> Path:
    import xlsxwriter

    path = tmp_path / "errors.xlsx"
    with xlsxwriter.Workbook(str(path)) as wb:
        wb.add_worksheet("Notes").write("A1", "note")
        ws = wb.add_worksheet("Line Items")
        ws.write_formula(1, 9, "=NA()", None, "#N/A")
    return path


def test_the_preflight_says_what_has_error_cells_says(tmp_path, monkeypatch):
    paths = _sample_files() + [_error_workbook(tmp_path)]
    for path in paths:
        data = path.read_bytes()
        assert preflight.check(data, path.name).error_cells is engines.has_error_cells(data)
    # a worksheet too large to be read whole is not known: open_book then asks has_error_cells itself
    monkeypatch.setattr(preflight, "COUNT_SCAN_BYTES", 100)
    assert preflight.check(paths[0].read_bytes(), paths[0].name).error_cells is None
    assert preflight.check(paths[-1].read_bytes(), paths[-1].name).error_cells is None


# ---------------------------------------------------------------- counts

COUNT_TOKENS = [b'<sst count="5" uniqueCount="3">', b' count = " 12"', b"\tuniqueCount='7'", b"Account",
                b'discount="3"', b'xcount="9"', b' count="1234567890123456789012345678901234"', b"count", b"ount",
                b" ", b'"4"', b"=", b' uniqueCount="', b"<si><t>count</t></si>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(COUNT_TOKENS), max_size=30))
def test_counts_are_what_the_pattern_finds(tokens):
    head = b"".join(tokens)
    found = [(m.span(), m.groups()) for m in preflight._counts(head)]
    assert found == [(m.span(), m.groups()) for m in preflight._COUNT.finditer(head)]


# ---------------------------------------------------------------- amounts

AMOUNT_CELLS = [0.1 + 0.2, -0.1, 1234.56, -1234.56, 1e7 - 0.01, 1e7 + 0.01, 999999999.99, 1e9, 1e9 + 0.01, 1e10,
                1.005, 2.675, -0.0, 0.0, 5e-324, float("nan"), float("inf"), -float("inf"), 3, -7, 10**12, True, None,
                dt.date(2012, 1, 1), "1,234.56", "-1,234.56", "1234.56", "1234.5", "1234", "-0.00", "0.10", "1,234",
                "1,000,000,000.00", "1,000,000,000.01", "-1,000,000,000.00", "1000000000.01", "12,34.56", "1,2345.00",
                "1.234", "1.", ".5", "+1.00", " 1.00", "1.00 ", "(1.00)", "1.00-", "$1.00", "\u22121.00", "1e5",
                "\u0663.00", "", "  ", "00012.30", "-", "1,234,567.8", "0000000000000000000000000000001.00",
                FormulaWithoutValue("=A1")]


def _per_cell(cells: list) -> tuple[list, list]:
    values, failures = [], []
    for pos, cell in enumerate(cells):
        try:
            if isinstance(cell, FormulaWithoutValue):
                raise ParseError("formula")
            values.append(parse_amount(cell))
        except ParseError as exc:
            values.append(pd.NA)
            failures.append((pos, exc.message, cell))
    return values, failures


def _in_bulk(column: str, cells: list) -> tuple[list, list]:
    values, failures = columns._parse_column(column, cells)
    return values, [(pos, exc.message if not isinstance(cell, FormulaWithoutValue) else "formula", cell)
                    for pos, exc, cell in failures]


@pytest.mark.parametrize("column", [S.ExportLine.amount_usd, S.ExportLine.amount_doc])
def test_amounts_in_bulk_are_the_cents_parse_amount_reads(column):
    values, failures = _in_bulk(column, AMOUNT_CELLS)
    expected_values, expected_failures = _per_cell(AMOUNT_CELLS)
    if column == S.ExportLine.amount_doc:  # optional: an empty cell is no amount, not an error
        expected_values = [pd.NA if c is None else v for c, v in zip(AMOUNT_CELLS, expected_values)]
        expected_failures = [f for f in expected_failures if f[2] is not None]
    assert [None if v is pd.NA else v for v in values] == [None if v is pd.NA else v for v in expected_values]
    assert all(type(v) is int for v in values if v is not pd.NA)
    assert [(p, m, repr(c)) for p, m, c in failures] == [(p, m, repr(c)) for p, m, c in expected_failures]


amount_text = st.one_of(
    st.builds(lambda cents, form: form.format(f"{abs(cents) / 100:,.2f}" if "," in form else f"{abs(cents) / 100:.2f}"),
              st.integers(-10**12, 10**12), st.sampled_from(["{}", "-{}", "{},", "-{}0", "0{}"])),
    st.text("0123456789,.-", max_size=16))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(amount_text, st.floats(allow_nan=True), st.integers(-10**12, 10**12)), max_size=30))
def test_random_amounts_in_bulk_are_the_cents_parse_amount_reads(cells):
    values, failures = _in_bulk(S.ExportLine.amount_usd, cells)
    expected_values, expected_failures = _per_cell(cells)
    assert [None if v is pd.NA else v for v in values] == [None if v is pd.NA else v for v in expected_values]
    assert [(p, m) for p, m, _c in failures] == [(p, m) for p, m, _c in expected_failures]


# ---------------------------------------------------------------- other columns, the frame

other_cells = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.0, 2.0, 0.5, -0.0, 1e15]),
                        st.text(" 0123abcTSRF", max_size=5), st.dates(dt.date(1600, 1, 1), dt.date(2300, 1, 1)),
                        st.just(FormulaWithoutValue("=B2")))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([c for c in columns._PARSERS if c not in columns._AMOUNTS]), st.lists(other_cells, max_size=25))
def test_each_distinct_cell_parsed_once_is_each_cell_parsed(column, cells):
    parser = columns._PARSERS[column]
    values, failures = columns._parse_column(column, cells)
    blank = pd.NA if column in columns._NULLABLE_NUMBERS else ""
    for pos, cell in enumerate(cells):
        if cell is None and column in S.EXPORT_OPTIONAL:
            expected = blank
        else:
            try:
                expected = parser(cell) if not isinstance(cell, FormulaWithoutValue) else ParseError("formula")
            except ParseError as exc:
                expected = exc
        if isinstance(expected, ParseError):
            assert values[pos] is pd.NA and any(p == pos for p, _e, _c in failures)
        else:
            assert values[pos] is not pd.NA and values[pos] == expected and type(values[pos]) is type(expected)


@pytest.mark.parametrize("text", [["a", "b", ""], ["a", pd.NA, "c"], [], ["x"] * 3])
def test_text_columns_are_built_as_pandas_builds_them(text):
    values = {c: ([pd.NA] * len(text) if c in columns._NULLABLE_NUMBERS else
                  [dt.date(2012, 1, 1)] * len(text) if c == S.ExportLine.posting_date else list(text))
              for c in S.columns(S.ExportLine)}
    frame = columns._lines_frame(values, list(range(2, 2 + len(text))))
    for column in S.columns(S.ExportLine):
        if column not in columns._NULLABLE_NUMBERS and column != S.ExportLine.posting_date:
            expected = pd.array(text, dtype=str)
            assert frame[column].dtype == expected.dtype
            pd.testing.assert_extension_array_equal(frame[column].array, expected)
    assert frame.index.dtype == np.dtype("int64") and frame.index.name == "row"
    assert frame[S.ExportLine.posting_date].dtype == np.dtype("datetime64[ns]")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(columns._TEXT_COLUMNS)), st.lists(other_cells, max_size=25))
def test_a_text_column_is_marked_all_text_only_when_it_is(column, cells):
    values, failures = columns._parse_column(column, cells)
    assert isinstance(values, columns.Texts) == (not failures)
    if isinstance(values, columns.Texts):
        assert all(type(v) is str for v in values)


def _extra_reference(data: np.ndarray, extras: dict[int, str]) -> list[str]:
    """The Extra column cell by cell: each extra cell's text, the row's as JSON."""
    import json

    from rcm_tables.inputs.values import as_text

    out = []
    for row in data.tolist():
        extra = {name: as_text(row[idx]) for idx, name in extras.items() if idx < len(row) and row[idx] is not None}
        out.append(json.dumps(extra, ensure_ascii=False) if extra else "")
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(other_cells, other_cells), max_size=20), st.booleans())
def test_the_extra_column_is_each_row_as_json(pairs, both):
    data = np.empty((len(pairs), 3), dtype=object)
    for i, (a, b) in enumerate(pairs):
        data[i] = ["x", a, b]
    extras = {1: "Cost Center", 2: "Ref"} if both else {1: "Cost Center"}
    assert list(columns._extra_column(data, extras)) == _extra_reference(data, extras)
    assert columns._extra_column(data, {}) == [""] * len(pairs)


# ---------------------------------------------------------------- the proof of validity from distinct values

# each column's valid values, then values pandera refuses (a missing value where none may be, a value a check fails)
POOLS = {
    S.ExportLine.document_no: (["D1", "D2", "19000001"], [""]),
    S.ExportLine.item: ([1, 2, 1_000_000_000], [0, -1, pd.NA]),
    S.ExportLine.posting_date: ([dt.date(2012, 1, 1), dt.date(2020, 5, 1)], [pd.NA]),
    S.ExportLine.doc_type: (["DZ", "KR", "SA", "AB"], ["dz", "ZZ", ""]),
    S.ExportLine.fund: (["TS", "RF"], ["XX", "ts"]),
    S.ExportLine.gl_account: (["400100", "710100"], ["4001000", "40010", "\u0664\u0660\u0660\u0661\u0660\u0660", "",
                                                    "400 100", "400100\n"]),
    S.ExportLine.partner: (["Canada", ""], [pd.NA]),
    S.ExportLine.assignment: (["2012", ""], [pd.NA]),
    S.ExportLine.currency: (["USD", "EUR"], ["usd", "US$", "\u00c9UR", "USDX", ""]),
    S.ExportLine.amount_doc: ([100, -5, pd.NA], []),
    S.ExportLine.amount_usd: ([100, 0, -99_999_999_999], [pd.NA]),
    S.ExportLine.text: (["x", ""], [pd.NA]),
    S.ExportLine.extra: (["", '{"Cost Center": "TS01"}'], [pd.NA]),
}


def _values(n: int, draw) -> dict[str, list]:
    """A frame's values, valid but in one column (or none), where each row may hold a value pandera refuses."""
    bad = draw(st.sampled_from([None, *POOLS]))
    return {c: [draw(st.sampled_from(good + (wrong if c == bad else []))) for _ in range(n)]
            for c, (good, wrong) in POOLS.items()}


@settings(max_examples=400, deadline=None)
@given(st.data(), st.integers(0, 6), st.booleans())
def test_the_proof_from_distinct_values_is_surely_valid_and_pandera_agrees(data, n, as_texts):
    values = _values(n, data.draw)
    if as_texts:  # as the parser hands them over, where every value is a str
        values = {c: columns.Texts(v) if v and all(type(x) is str for x in v) else v for c, v in values.items()}
    known: dict = {}
    frame = columns._lines_frame(values, list(range(2, 2 + n)), known)
    proven = S.surely_valid_values(S.ExportLine, frame, known)
    assert proven == S.surely_valid(S.ExportLine, frame)
    if proven:
        S.schema(S.ExportLine).validate(frame, lazy=True)  # pandera finds nothing either


@pytest.mark.parametrize("storage", ["object", "pyarrow", "python"])
def test_a_values_verdict_kept_for_the_process_is_what_surely_valid_says(storage):
    """The checks asked of each value once per process (kept apart by dtype: another string storage may run a
    regular expression with another engine) answer as `surely_valid` does, whichever storage comes first."""
    rows = ["400100", "\u0664\u0660\u0660\u0661\u0660\u0660", "71010\n", "710100\n", "400100"]
    for account in rows:
        line = {S.ExportLine.document_no: "D1", S.ExportLine.item: 1, S.ExportLine.posting_date: dt.date(2012, 1, 1),
                S.ExportLine.doc_type: "DZ", S.ExportLine.fund: "TS", S.ExportLine.gl_account: account,
                S.ExportLine.partner: "", S.ExportLine.assignment: "", S.ExportLine.currency: "USD",
                S.ExportLine.amount_doc: 1, S.ExportLine.amount_usd: 1, S.ExportLine.text: "", S.ExportLine.extra: ""}
        text = np.dtype(object) if storage == "object" else pd.StringDtype(storage, na_value=np.nan)
        frame = pd.DataFrame({c: pd.array([v], dtype="Int64") if c in columns._NULLABLE_NUMBERS else
                              np.array([np.datetime64(v, "ns")]) if c == S.ExportLine.posting_date else
                              pd.array([v], dtype=text) for c, v in line.items()})
        known = {c: (False, {v} if c in S.checked_columns(S.ExportLine) else None) for c, v in line.items()}
        assert S.surely_valid_values(S.ExportLine, frame, known) == S.surely_valid(S.ExportLine, frame), account


@pytest.mark.parametrize("cell, error", [
    (b'<c r="A1" t="e"><v>#N/A</v></c>', True), (b"<c r='A1' t='e'><v>#N/A</v></c>", True),
    (b'<c r="A1" t = "e"><v>#N/A</v></c>', True), (b'<c r="A1"\n t=\n"e"><v>#N/A</v></c>', True),
    (b'<x:c r="A1" t="e"><x:v>#N/A</x:v></x:c>', True),
    (b'<c r="A1" t="str"><v>e</v></c>', False), (b'<c r="A1" t="s"><v>0</v></c>', False),
])
def test_an_error_cell_is_found_however_its_type_is_written(cell, error):
    """calamine reads t = "e" (spaces, a line break) as an error cell too, and gives it as an empty cell: found by
    both scans, the workbook is read with openpyxl, which gives the error's text."""
    part = b'<worksheet><sheetData><row r="1">' + cell + b"</row></sheetData></worksheet>"
    assert engines.error_cells_in(part) is error
    assert engines._part_has_error_cells(_zipped(part), SHEET) is error


def test_an_error_cell_written_with_spaces_is_read_as_its_error_not_as_an_empty_cell(tmp_path):
    """The Partner #N/A is then an unknown partner (an error naming it), where calamine gave an empty Partner."""
    from tests.xlsx import _rebuild, _sheet, row, write_export

    from rcm_tables.inputs.exports import read_export

    path = write_export(tmp_path / "spaced.xlsx", [row(doc="E1", usd=100, partner="Canada")])
    sheet = _sheet(path)
    cell = re.search(rb'<c r="G5"[^>]*>.*?</c>', sheet).group(0)
    assert b"Canada" in cell
    _rebuild(path, {SHEET: sheet.replace(cell, b'<c r="G5" t = "e"><v>#N/A</v></c>')})
    assert preflight.check(path.read_bytes(), "spaced.xlsx").error_cells is True
    assert read_export(path).lines["partner"].tolist() == ["#N/A"]
