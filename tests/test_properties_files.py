"""Random contract-valid histories, written as files and read by `load`, against an oracle written from the
contract alone (issue #26): the as-of date before the last export (later lines that fall in no period or pay a
period not yet defined), Document No. as zero-padded text in a .csv and as a number in the .xlsx re-run, and a
period brought forward by Opening Balances. Every figure compared to the cent."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.xlsx import HEADER, write_export, write_reference

import rcm_tables

ASSESSED = {"Canada": 60000, "Mexico": 40000}  # write_reference's TS scale, in cents
OPENING = ("2011", 90000, 80000)  # brought forward: received 900.00, costs 800.00

dates = st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2014, 3, 31))
receipts = st.tuples(st.just("pay"), dates, st.integers(1, 80000), st.sampled_from(["Canada", "Mexico"]),
                     st.sampled_from(["2012", "2013", "2014"]))
expenses = st.tuples(st.just("spend"), dates, st.integers(1, 50000), st.sampled_from(["710100", "760100"]),
                     st.just(""))
histories = st.tuples(st.lists(st.one_of(receipts, expenses), min_size=1, max_size=25),
                      st.dates(min_value=dt.date(2012, 3, 1), max_value=dt.date(2013, 12, 31)),
                      st.randoms(use_true_random=False))


def _valid(line, as_of) -> bool:
    """The contract asks periods and assignments of the lines the report uses only."""
    kind, day, _cents, _who, period = line
    if day > as_of:
        return True
    return day.year <= 2013 and (kind == "spend" or period in ("2012", "2013"))


def _rows(lines, text_numbers: bool):
    out = []
    for n, (kind, day, cents, who, period) in enumerate(lines, start=1):
        doc = f"{n:010d}" if text_numbers else n  # "0000000001" in the .csv, 1 in the .xlsx
        usd = f"{cents / 100:.2f}" if text_numbers else cents / 100
        if kind == "pay":
            out.append([doc, 1, day, "DZ", "TS", "400100", who, period, "USD", usd, usd, ""])
        else:
            out.append([doc, 1, day, "KR", "TS", who, "", "", "USD", usd, usd, ""])
    return out


def _oracle(lines, as_of):
    """Table 1 received and costs by period, Table 4 (received, pending) by member and period: from the contract."""
    used = [ln for ln in lines if ln[1] <= as_of]
    t1 = {"2011": [OPENING[1], OPENING[2]]}
    for year in range(2012, as_of.year + 1):
        p = str(year)
        t1[p] = [sum(c for k, _d, c, _w, a in used if k == "pay" and a == p),
                 sum(c for k, d, c, _w, _a in used if k == "spend" and d.year == year)]
    t4 = {}
    for who, assessed in ASSESSED.items():
        for p in t1:
            got = sum(c for k, _d, c, w, a in used if k == "pay" and w == who and a == p)
            t4[(who, p)] = (got, 0 if p == OPENING[0] else assessed - got)
    return t1, t4


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories)
def test_random_histories_agree_with_the_oracle_to_the_cent(history):
    lines, as_of, rnd = history
    lines = [ln for ln in lines if _valid(ln, as_of)]
    if not any(ln[1] <= as_of for ln in lines):
        return
    folder = Path(tempfile.mkdtemp(prefix="rcm-prop-"))
    try:
        (folder / "exports").mkdir()
        write_reference(folder / "reference.xlsx", opening=[[OPENING[0], "2011-12-31", 900, 800]])
        with open(folder / "exports" / "a.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows([r[:2] + [r[2].strftime("%d/%m/%Y")] + r[3:] for r in _rows(lines, True)])
        rerun = [r for r in _rows(lines, False) if rnd.random() < 0.5]  # the same lines, numbers as numbers
        if rerun:
            write_export(folder / "exports" / "b.xlsx", rerun)
        report = rcm_tables.load(folder / "exports", folder / "reference.xlsx", as_of=as_of)
        t1, t4 = _oracle(lines, as_of)
        got = report.table("table1", cents=True).set_index("period")
        for period, (received, costs) in t1.items():
            assert (got.at[period, "contributions_received"], got.at[period, "operating_costs"]) == (received, costs)
        table4 = report.table("table4", cents=True).set_index(["country", "period"])
        for (who, period), (received, pending) in t4.items():
            if (who, period) in table4.index:
                assert tuple(table4.loc[(who, period), ["received", "pending"]]) == (received, pending)
        after = sum(1 for ln in lines if ln[1] > as_of)
        noted = sum(int(p.message.split(" ")[0].replace(",", "")) for p in report.problem_list
                    if p.code == "lines-after-as-of")
        assert noted == after
        assert sum(s.used for s in report.source_counts) == len(lines)  # each document once
        assert sum(s.duplicates for s in report.source_counts) == len(rerun)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
