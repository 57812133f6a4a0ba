"""One convention for every public frame: money in exact dollars (decimal) in columns named *_usd, missing
text as NA, closed sets as categoricals, periods as text; and the data dictionary kept current."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tests.fixtures import ledger, pay, reference, spend

import rcm_tables
from rcm_tables import analysis, datadict
from rcm_tables.ledger import clamp
from rcm_tables.tables import FRAMES, build_all

ROOT = Path(__file__).resolve().parents[1]
DECIMAL = "decimal128(18, 2)[pyarrow]"


def public_frames(report) -> dict[str, pd.DataFrame]:
    frames = {f"table {f.name}": report.table(f.name) for f in FRAMES}
    frames.update({"ledger": report.ledger, "lines_used": report.lines_used(), "problems": report.problems,
                   "sources": report.sources, "arrears": analysis.arrears(report), "ageing": analysis.ageing(report),
                   "members_behind": analysis.members_behind(report),
                   "funds_side_by_side": analysis.funds_side_by_side(report),
                   "execution": analysis.execution(report), "monthly_spending": analysis.monthly_spending(report),
                   "fund_account RF": analysis.fund_account(report), "fund_account TS": analysis.fund_account(
                       report, "TS"), "trace": analysis.trace(report, "table4", country="Mexico", period="2012")})
    changes = analysis.changes(report, "2012-06-30")
    frames.update({"changes.receipts": changes.receipts, "changes.expenses": changes.expenses,
                   "changes.figures": changes.figures})
    return frames


def test_every_public_frame_follows_the_convention(sample_report):
    for name, frame in public_frames(sample_report).items():
        for column in frame.columns:
            dtype = str(frame[column].dtype)
            if str(column).endswith("_usd"):
                assert dtype == DECIMAL, (name, column, dtype)  # no *_usd column holds cents
            if dtype == DECIMAL:
                assert str(column).endswith("_usd") or column == "amount_doc" or name == "monthly_spending", (
                    name, column)
            assert "cents" not in str(column), (name, column)
            if dtype in ("string", "str", "object") and len(frame):
                assert not (frame[column].astype("string") == "").any(), (name, column)  # missing text is NA
            if column in ("fund", "kind", "doc_type", "severity"):
                assert dtype == "category", (name, column)
            if column == "period":
                assert dtype in ("string", "str", "object"), (name, dtype)
                assert all(isinstance(v, str) for v in frame[column].dropna()), name
    ledger = sample_report.ledger
    assert set(ledger["kind"].cat.categories) == {"contribution", "expense", "other"}
    assert ledger.loc[ledger["kind"] == "contribution", "amount_usd"].sum() > 0  # the README's word selects lines


def test_money_is_exact_dollars(sample_report):
    t1 = sample_report.table("table1").set_index("period")
    assert t1.at["2012", "contributions_received_usd"] == Decimal("261483.38")
    assert sample_report.ledger["amount_usd"].sum() == Decimal(int(sample_report.ledger_cents["amount_usd"].sum())) / 100
    assert sample_report.table("table1", cents=True).set_index("period").at["2012", "contributions_received"] == 26148338


def test_unknown_table_names_list_the_known_ones(sample_report):
    with pytest.raises(KeyError, match="the tables are table1, table2"):
        sample_report.table("Table1")


def test_analysis_and_published_need_no_import():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import rcm_tables; print(rcm_tables.analysis.__name__, "
                           "rcm_tables.published.compare.__name__)"], capture_output=True, text=True)
    assert done.stdout.split() == ["rcm_tables.analysis", "compare"], done.stderr


def test_the_report_shows_itself_in_jupyter(sample_report):
    html = sample_report._repr_html_()
    assert "2012-11-09" in html and "reference.xlsx" in html and "73 files, 1,241 ledger lines" in html
    # Table 1's totals: every period's received, pending as the sum of pending (45,835.42: DISCREPANCIES item 10)
    assert "table1</th><td style='text-align:left'>9 rows; totals approved_budget: 2,709,427.00, " in html
    assert "contributions_received: 2,663,591.58, contributions_pending: 45,835.42" in html


def test_the_data_dictionary_is_current():
    written = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == datadict.markdown(), "run: python -m rcm_tables.datadict > docs/data-dictionary.md"
    for frame in FRAMES:
        assert f"## {frame.name}" in written
    assert "| `amount_usd` | decimal128(18, 2) | US dollars |" in written


def test_the_return_fund_account_on_an_inline_ledger():
    """Receipts by Assignment, spending by posting date; worked out by hand."""
    ref = reference()
    lines = [pay("2010-03-01", 600, "A", "2010", fund="RF"), pay("2011-02-01", 400, "B", "2010", fund="RF"),
             spend("2010-06-30", 150.25, account="780100", fund="RF"), spend("2011-04-30", 300, account="780100",
                                                                             fund="RF"),
             pay("2011-05-01", 500, "A", "2011", fund="RF"), pay("2012-01-10", 9, "A", "2012", fund="TS"),
             spend("2013-01-05", 70, account="780100", fund="RF")]  # after the as-of date: not counted
    day = dt.date(2012, 6, 30)
    led = ledger(lines, ref)
    built = build_all(led, ref, day)["return_fund_account"].set_index("period")
    assert built.to_dict("index") == {
        "2010": {"received": 100000, "spent": 15025, "balance": 84975, "accumulated_balance": 84975},
        "2011": {"received": 50000, "spent": 30000, "balance": 20000, "accumulated_balance": 104975},
        "2012": {"received": 0, "spent": 0, "balance": 0, "accumulated_balance": 104975}}
    from rcm_tables.tables import fund_account

    ts = fund_account.account(clamp(led, day), ref, day, "TS").set_index("period")
    assert list(ts.index) == ["2012"] and ts.at["2012", "received"] == 900


def test_changes_since_a_date_are_the_lines_posted_after_it(sample_report):
    since = pd.Timestamp("2012-06-30")
    changes = analysis.changes(sample_report, "2012-06-30")
    lines = sample_report.clamped()
    after = lines.loc[lines["posting_date"] > since]
    receipts = after.loc[after["kind"] == "contribution"]
    assert sorted(zip(changes.receipts["file"], changes.receipts["row"])) == sorted(zip(receipts["file"], receipts["row"]))
    assert changes.receipts["amount_usd"].sum() == Decimal(int(receipts["amount_usd"].sum())) / 100
    expenses = after.loc[after["kind"] == "expense"]
    assert changes.expenses["amount_usd"].sum() == Decimal(int(expenses["amount_usd"].sum())) / 100
    assert changes.expenses["lines"].sum() == len(expenses)
    moved = changes.figures.set_index(["table", "row", "column"])
    before = build_all(sample_report.ledger_cents, sample_report.reference, since.date())["table1"].set_index("period")
    got = moved.loc[[("table1", "2012", "contributions_received")]].iloc[0]  # one row (pandas 3.0 gives a frame for the full key)
    assert got["before_usd"] == Decimal(int(before.at["2012", "contributions_received"])) / 100
    assert got["after_usd"] == Decimal("261483.38")


def test_a_trace_that_finds_no_lines_warns(sample_report):
    with pytest.warns(UserWarning, match="found no ledger lines"):
        found = analysis.trace(sample_report, "table4", country="Narnia", period="2012")
    assert found.empty


def test_the_trace_of_the_no_partner_row_finds_the_lines_without_a_partner(sample_report):
    # the public ledger holds NA for a missing partner: the 2009 bank charges (DISCREPANCIES.md item 1)
    found = analysis.trace(sample_report, "table4", country=rcm_tables.schemas.NO_PARTNER, period="2009")
    assert len(found) == 1 and found["amount_usd"].sum() == Decimal("-125.00")
    assert found["partner_as_written"].isna().all()


def test_problems_and_sources_are_frames_with_the_records_reachable(sample_report):
    problems, sources = sample_report.problems, sample_report.source_counts
    assert list(sample_report.problems.columns)[:3] == ["severity", "code", "file"]
    assert len(problems) == len(sample_report.problem_list)
    frame = sample_report.sources
    assert len(frame) == len(sources) == 73 and (frame["rows_read"] == frame["used"] + frame["duplicates"]
                                                   + frame["rejected"]).all()
