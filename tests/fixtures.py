"""Small in-memory references and ledgers for unit tests (tables are pure functions of these); a small report
built from them without files, its workbook read back, inline published tables; and the helpers that read the
sample's workbook, CSVs and published comparison."""
from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from pathlib import Path

import pandas as pd

from rcm_tables import schemas as S
from rcm_tables.ledger import attribute
from rcm_tables.reference import Reference

L = S.Ledger


def _frame(model, records):
    cols = S.columns(model)
    frame = pd.DataFrame.from_records(records, columns=cols)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    for column in cols:
        dtype = str(model.__annotations__[column])
        if "Int64" in dtype:
            frame[column] = frame[column].astype("Int64")
        elif "DateTime" in dtype:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif "float" in dtype:
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def reference(periods=None, lines=None, accounts=None, scale=None, opening=(), partners=()) -> Reference:
    """Periods 2010-2013 (budget 1,000.00 each), two members A (60 %) and B (40 %), a donor D."""
    periods = periods or [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), 100000) for y in range(2010, 2014)]
    lines = lines or [(p[0], "Staff" if i == 0 else "Operational Expenses", name, amount)
                      for p in periods for i, (name, amount) in enumerate((("Staff", 60000), ("Travel", 40000)))]
    accounts = accounts or [("", "710100", "Staff"), ("", "760100", "Travel")]
    scale = scale or [("TS", "A", 60.0, 60000), ("TS", "B", 40.0, 40000),
                      ("RF", "A", 60.0, 6000), ("RF", "B", 40.0, 4000)]
    partners = partners or [("A", "member", "Alpha; Ä"), ("B", "member", ""), ("D", "donor", "")]
    return Reference(
        file="reference.xlsx", sha256="0" * 64,
        periods=_frame(S.Periods, [dict(zip(S.columns(S.Periods), p)) for p in periods]),
        budget_lines=_frame(S.BudgetLines, [dict(zip(S.columns(S.BudgetLines), p)) for p in lines]),
        accounts=_frame(S.Accounts, [dict(zip(S.columns(S.Accounts), p)) for p in accounts]),
        scale=_frame(S.Scale, [dict(zip(S.columns(S.Scale), p)) for p in scale]),
        opening=_frame(S.OpeningBalances, [dict(zip(S.columns(S.OpeningBalances), p)) for p in opening]),
        partners=_frame(S.Partners, [dict(zip(S.columns(S.Partners), p)) for p in partners]),
    )


def line(date, usd, *, account="400100", fund="TS", partner="", assignment="", doc_type=None,
         currency="USD", doc_amount=None, text="", doc=None, item=1) -> dict:
    """One ledger line; amounts in dollars (converted to exact cents)."""
    income = account.startswith("4")
    cents = round(usd * 100)
    return {
        L.document_no: doc, L.item: item, L.posting_date: pd.Timestamp(date),
        L.doc_type: doc_type or ("DZ" if income else "KR"), L.fund: fund, L.gl_account: account,
        L.partner: partner, L.assignment: assignment, L.currency: currency,
        L.amount_doc: cents if doc_amount is None else round(doc_amount * 100), L.amount_usd: cents,
        L.text: text, L.extra: "", L.file: "export.xlsx", L.sheet: "Line Items", L.row: None,
    }


def pay(date, usd, partner, period, **kw) -> dict:
    return line(date, usd, partner=partner, assignment=period, **kw)


def spend(date, usd, account="710100", **kw) -> dict:
    return line(date, usd, account=account, **kw)


def ledger(lines: list[dict], ref: Reference) -> pd.DataFrame:
    """The lines as an attributed ledger. A line's row is its position (row 2 is the first line, as under a
    header row) and, unless given, its document number too: the same list gives the same ledger in any test."""
    lines = [{**x, L.row: i + 2, L.document_no: x[L.document_no] or f"19{i + 2:08d}"} for i, x in enumerate(lines)]
    frame = pd.DataFrame.from_records(lines, columns=S.columns(S.ExportLine) + [L.file, L.sheet, L.row])
    frame[L.item] = frame[L.item].astype("Int64")
    frame[L.amount_doc] = frame[L.amount_doc].astype("Int64")
    frame[L.amount_usd] = frame[L.amount_usd].astype("Int64")
    frame[L.posting_date] = pd.to_datetime(frame[L.posting_date]).astype("datetime64[ns]")
    frame[L.copies] = 1
    out = attribute(frame, ref)
    out[L.amount_usd] = out[L.amount_usd].astype("int64")
    return out


# ------------------------------------------------------------------ a small report, its workbook, published tables


def report(lines: list[dict], as_of, /, *, ref: Reference | None = None, **ref_kw):
    """A report built from inline lines without any file: the ledger of ``lines`` (`ledger`) against
    ``ref`` (default ``reference(**ref_kw)``), every table built as of ``as_of`` (a date or "YYYY-MM-DD") by
    `tables.build_all`; no duplicates, sources or problems."""
    from rcm_tables.report import Report
    from rcm_tables.tables import build_all
    from rcm_tables.workbook.duplicates import DUPLICATE_COLUMNS

    ref = ref if ref is not None else reference(**ref_kw)
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    led = ledger(lines, ref)
    duplicates = pd.DataFrame(columns=[column for _label, column, _number in DUPLICATE_COLUMNS])
    return Report(day, ref, led, duplicates, (), (), build_all(led, ref, day))


@dataclass(frozen=True)
class Written:
    """A workbook written from a report, read back: its formulas, the values cached in it, and
    `formula_eval.Evaluator`'s independent evaluation of the formulas (`computed`)."""

    path: Path
    formulas: object  # openpyxl.Workbook
    values: object  # openpyxl.Workbook, data_only

    @cached_property
    def _evaluator(self):
        from tests.formula_eval import Evaluator

        return Evaluator(self.path)

    def computed(self, sheet: str, coordinate: str):
        """The value of a formula cell as `formula_eval` computes it from the formulas, never the cache."""
        return self._evaluator.cell(sheet, coordinate)


def workbook(report, folder: Path, published: Path | None = None) -> Written:
    """``report``'s workbook in ``folder`` (with "Published vs computed" when ``published`` is a folder)."""
    import openpyxl

    from rcm_tables import write_workbook

    path = write_workbook(report, Path(folder) / "report.xlsx", published=published)
    return Written(path, openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True))


def published_table(text: str) -> pd.DataFrame:
    """An inline published table (CSV text), read as `rcm_tables.published.read` reads its file: every cell a
    text, an empty cell ''."""
    return pd.read_csv(io.StringIO(textwrap.dedent(text).strip() + "\n"), dtype=str, keep_default_na=False)


def published_folder(folder: Path, files: dict[str, pd.DataFrame]) -> Path:
    """Inline published tables (keyed as `published.read` keys them) written as the CSV files they stand for."""
    from rcm_tables.tables import TABLES

    names = {f.key: f.file for spec in TABLES if spec.published is not None for f in spec.published.files}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for key, frame in files.items():
        frame.to_csv(folder / names[key], index=False)
    return folder


def rule_codes(rows) -> dict[tuple[str, str], set[str]]:
    """The rule codes of each comparison row (`published.Row`), by (row, column); rows without a rule left out."""
    return {(r.row, r.column): {code for code, _text in r.rules} for r in rows if r.rules}


def linked_cells(written: Written) -> dict[tuple[str, str, str], tuple[str, str]]:
    """"Published vs computed": for each (table, row, column) whose Computed cell is a formula link, the
    (sheet, cell) it links to ("='Table 1'!$C$8" -> ("Table 1", "C8")). Rows with a computed figure that is not
    a link are returned as (None, formula) so that a test sees them."""
    ws = written.formulas["Published vs computed"]
    links = {}
    for r in range(5, ws.max_row + 1):
        table, row, column = (ws.cell(r, c).value for c in (1, 2, 3))
        if not table or not row or not column:
            break
        formula = ws.cell(r, 6).value
        if formula is None:
            continue
        hit = LINK.fullmatch(str(formula))
        links[(table, row, column)] = (hit.group(1).replace("''", "'"), hit.group(2).replace("$", "")) if hit \
            else (None, formula)
    return links


LINK = re.compile(r"='((?:[^']|'')+)'!(\$[A-Z]+\$\d+)")


# ------------------------------------------------------------------ reading the sample's workbook and CSVs


def cents(value) -> int:
    """Cents of a sheet number (float dollars) or a CSV amount ('261483.38'), exactly."""
    if value is None or value == "":
        return 0
    if isinstance(value, str):
        return int(Decimal(value) * 100)
    return round(float(value) * 100)


def find_row(ws, text: str, col: int = 1, start: int = 1) -> int:
    for row in range(start, ws.max_row + 1):
        value = ws.cell(row, col).value
        if isinstance(value, str) and value.startswith(text):
            return row
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def money_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A CSV table with its money columns in cents."""
    from rcm_tables.tables import frame_spec

    out = frame.copy()
    for column in S.money_columns(frame_spec(name).model):
        out[column] = [cents(v) for v in out[column]]
    return out


# ------------------------------------------------------------------ the sample's published comparison


def one(frame, table, row, column) -> pd.Series:
    hit = frame.loc[(frame["table"] == table) & (frame["row"] == row) & (frame["column"] == column)]
    assert len(hit) == 1, (table, row, column)
    return hit.iloc[0]


def rules(frame, table, row, column) -> set[str]:
    return set(filter(None, one(frame, table, row, column)["rules"].split(", ")))


def published_with(folder: Path, file: str, key: tuple[str, str], column: str, text: str) -> Path:
    """A copy of the published 2012 tables in ``folder`` with one cell of ``file`` (the row whose ``key`` column
    holds ``key`` value) transcribed as ``text``."""
    import shutil

    from tests.helpers import PUBLISHED

    shutil.copytree(PUBLISHED, folder)
    table = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
    table.loc[table[key[0]] == key[1], column] = text
    table.to_csv(folder / file, index=False)
    return folder


def linked_figures(written: Written, rows) -> dict[tuple[str, str], tuple[str, str]]:
    """Check that every computed comparison row (`published.Row`) is, in the workbook's "Published vs computed",
    a formula link to a table cell whose cached value is the computed figure; returns the cell of each, by
    (row, column)."""
    import pytest

    links = linked_cells(written)
    out = {}
    for r in rows:
        if r.computed is None:
            assert (r.table, r.row, r.column) not in links, r
            continue
        sheet, cell = links[(r.table, r.row, r.column)]
        assert sheet is not None, (r, cell)  # a computed figure that is not a link
        assert written.values[sheet][cell].value == pytest.approx(float(r.computed), abs=1e-9), (r, sheet, cell)
        out[(r.row, r.column)] = (sheet, cell)
    return out


def internal_names(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A CSV table read back with the schema's (internal) column names: the CSVs say the unit, ``*_usd``."""
    from rcm_tables import public
    from rcm_tables.tables import frame_spec

    model = frame_spec(name).model
    return frame.rename(columns=dict(zip(public.names(model), S.columns(model))))
