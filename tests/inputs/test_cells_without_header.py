"""Values in an export's column that has no header: a note typed beside a line, a stray value far to the right.

They were dropped without a word (only columns with a header were read). They are now kept with their lines, in
the ledger's extra column under "(column N)", and one warning per export names the first of them; the figures
do not change. Found while measuring a stray value at XFD2000 of a 2,000-line export (read in 4.7 s and 1.4 GB,
and not mentioned).
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.xlsx import HEADER, row, write_export

from rcm_tables.inputs.exports import read_export


def _warnings(export):
    return [p for p in export.problems if p.code == "cells-without-header"]


def test_a_note_beside_a_line_is_kept_and_named(tmp_path):
    path = write_export(tmp_path / "notes.xlsx", [row(doc="D1", usd=100), row(doc="D2", usd=200) + ["paid twice?"],
                                                  row(doc="D3", usd=300) + [None, "ask IOM"]])
    export = read_export(path)
    [warning] = _warnings(export)
    assert warning.severity == "warning" and (warning.file, warning.sheet) == ("notes.xlsx", "Line Items")
    # the header is row 4: D2 is row 6 (its note in M, the 13th column), D3 row 7 (its note in N)
    assert (warning.row, warning.column, warning.value) == (6, "(M)", "paid twice?")
    assert "2 value(s) in 2 column(s) without a header: M6, N7" in warning.message
    assert [p.code for p in export.problems] == ["cells-without-header"]
    extra = export.lines["extra"]
    assert json.loads(extra.loc[6]) == {"(M)": "paid twice?"} and json.loads(extra.loc[7]) == {"(N)": "ask IOM"}
    assert extra.loc[5] == ""
    # every line read and used, the Total row footing them as before
    assert (export.rows_read, len(export.lines), export.rejected_rows) == (3, 3, ())
    assert export.lines["amount_usd"].tolist() == [10_000, 20_000, 30_000] and export.footing == 60_000


def test_a_row_holding_only_such_a_value_is_a_note_among_the_lines(tmp_path):
    """Its own error says so (`row-not-a-line`); the warning is about values beside lines."""
    path = write_export(tmp_path / "note.xlsx", [row(doc="D1", usd=100), [None] * len(HEADER) + ["a note"]])
    export = read_export(path)
    assert [p.code for p in export.problems] == ["row-not-a-line", "control-total-skipped"]
    assert export.rejected_rows == (6,)


def test_a_csv_field_beyond_the_header_is_named_by_its_number(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("Document No.,Item,Posting Date,Doc. Type,Fund,G/L Account,Partner,Assignment,Currency,"
                    "Amount (Doc. Curr.),Amount (USD),Text\n"
                    "D1,1,01/03/2012,DZ,TS,400100,Canada,2012,USD,100.00,100.00,paid,late\n"
                    "D2,1,02/03/2012,DZ,TS,400100,Canada,2012,USD,50.00,50.00,\n", encoding="utf-8")
    export = read_export(path)
    [warning] = _warnings(export)
    assert (warning.row, warning.column, warning.value) == (2, "(field 13)", "late")
    assert "field 13 row 2" in warning.message
    assert json.loads(export.lines["extra"].loc[2]) == {"(field 13)": "late"} and len(export.lines) == 2


def test_a_column_with_a_header_is_kept_as_before_without_a_warning(tmp_path):
    path = write_export(tmp_path / "named.xlsx", [row(doc="D1") + ["TS01"]], header=HEADER + ["Cost Center"])
    export = read_export(path)
    assert export.problems == () and json.loads(export.lines["extra"].iloc[0]) == {"Cost Center": "TS01"}
