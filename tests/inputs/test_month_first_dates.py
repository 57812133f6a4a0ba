"""An export that writes its text dates month first (mm/dd/yyyy, as a computer set to the United States exports a
CSV). Before, only its dates with a day of 13 or more were errors ("impossible date"); those with a day of 12 or
less were read, silently, as other dates (10/03/2012 as 10 March, 10/12/2012 as 10 December, after the as-of
date): correcting the rows shown left the others wrong. Now every such date of the file is an error that says why.
"""
from __future__ import annotations

import datetime as dt

from pathlib import Path

from tests.xlsx import row, write_export

from rcm_tables.inputs.exports import read_export

HEAD = ("Document No.;Item;Posting Date;Doc. Type;Fund;G/L Account;Partner;Assignment;Currency;Amount (Doc. Curr.);"
        "Amount (USD);Text\n")
LINES = [("D1", "10/18/2012"), ("D2", "10/03/2012"), ("D3", "10/10/2012"), ("D4", "2012-10-05"), ("D5", "10/12/2012")]


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "e.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def _lines(dates) -> str:
    return "".join(f"{doc};1;{day};DZ;TS;400100;Canada;2012;USD;100.00;100.00;x\n" for doc, day in dates)


def _errors(export) -> list[tuple[int, str]]:
    return [(p.row, p.message) for p in export.problems if p.severity == "error"]


def test_a_csv_that_writes_dates_month_first_has_each_of_them_refused_with_the_reason(tmp_path):
    export = read_export(_csv(tmp_path, HEAD + _lines(LINES)))
    errors = _errors(export)
    # rows 2 (10/18: impossible as dd/mm), 3 (10/03: 10 March) and 6 (10/12: 10 December); 10/10/2012 is the same
    # date either way, and 2012-10-05 is not ambiguous
    assert [r for r, _m in errors] == [2, 3, 6]
    assert "impossible date: this file writes its dates month first (mm/dd/yyyy)" in errors[0][1]
    assert errors[1][1] == ("Posting Date: 10/03/2012 would be read as day 10 of month 3, but this file writes its "
                            "dates month first (mm/dd/yyyy)")
    assert all("export the file again with dates as dd/mm/yyyy" in p.hint for p in export.problems
               if p.severity == "error")
    assert export.rejected_rows == (2, 3, 6) and export.rows_read == 5
    assert export.lines["posting_date"].dt.date.tolist() == [dt.date(2012, 10, 10), dt.date(2012, 10, 5)]


def test_a_csv_that_writes_dates_day_first_is_read_as_before(tmp_path):
    export = read_export(_csv(tmp_path, HEAD + _lines([("D1", "18/10/2012"), ("D2", "03/10/2012"),
                                                       ("D3", "10/12/2012")])))
    assert _errors(export) == []
    assert export.lines["posting_date"].dt.date.tolist() == [dt.date(2012, 10, 18), dt.date(2012, 10, 3),
                                                             dt.date(2012, 12, 10)]


def test_a_workbook_with_month_first_text_dates_is_refused_alike(tmp_path):
    """Text dates in an .xlsx (typed or pasted as text) are read by the same rule; date cells are not text."""
    path = write_export(tmp_path / "e.xlsx", [row(doc="D1", date="10/18/2012"), row(doc="D2", date="10/03/2012"),
                                              row(doc="D3", date=dt.date(2012, 10, 3))])
    export = read_export(path)
    assert [r for r, _m in _errors(export)] == [5, 6]  # below the title block (3 rows) and the header
    assert export.lines["posting_date"].dt.date.tolist() == [dt.date(2012, 10, 3)]
