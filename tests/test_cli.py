"""The `rcm-tables` command end to end: exit codes, what is written, and what is not."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.xlsx import row, write_export, write_reference

from rcm_tables.cli import main

CSV_COLUMNS = {  # money columns say their unit: exact dollars
    "table1": "period,approved_budget_usd,contributions_received_usd,contributions_pending_usd,"
              "contributions_pending_accumulated_usd,operating_costs_usd,net_balance_usd,accumulated_balance_usd",
    "table2": "budget_line,approved_budget_usd,expenses_usd,balance_usd",
    "table2_summary": "item,amount_usd",
    "table3": "section,budget_line,amount_usd",
    "table4": "country,period,assessed_usd,received_usd,pending_usd,receipt_dates",
    "table5": "country,period,received_usd",
    "annex1": "country,share_pct,assessed_usd",
    "return_fund_account": "period,received_usd,spent_usd,balance_usd,accumulated_balance_usd",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    code = main(["build", "--out", str(out / "report.xlsx"), "--csv", str(out / "csv")])
    return code, out


def test_build_sample_writes_workbook_and_csvs(built):
    code, out = built
    assert code == 0
    names = openpyxl.load_workbook(out / "report.xlsx", read_only=True).sheetnames
    for sheet in ("Table 1", "Table 2", "Table 3", "Table 4", "Table 5", "Annex 1"):
        assert sheet in names
    for name, header in CSV_COLUMNS.items():
        with open(out / "csv" / f"{name}.csv", newline="") as fh:
            assert fh.readline().strip() == header, name


def test_csv_amounts_are_dollars_with_two_decimals_and_dates_iso(built):
    _, out = built
    with open(out / "csv" / "table4.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mexico = next(r for r in rows if r["country"] == "Mexico" and r["period"] == "2012")
    assert mexico == {"country": "Mexico", "period": "2012", "assessed_usd": "33364.00", "received_usd": "33342.00",
                      "pending_usd": "22.00", "receipt_dates": "2012-04-04;2012-11-06"}
    with open(out / "csv" / "table1.csv", newline="") as fh:
        last = list(csv.DictReader(fh))[-1]
    assert last["contributions_received_usd"] == "261483.38" and last["period"] == "2012"


def test_input_errors_exit_1_print_every_problem_and_write_nothing(tmp_path, capsys):
    (tmp_path / "exports").mkdir()
    write_reference(tmp_path / "ref.xlsx")
    write_export(tmp_path / "exports" / "bad.xlsx", [row(doc="1", usd="abc", amount_doc=1), row(doc="2", partner="Narnia")])
    out = tmp_path / "out.xlsx"
    code = main(["build", "--exports", str(tmp_path / "exports"), "--reference", str(tmp_path / "ref.xlsx"),
                 "--out", str(out), "--csv", str(tmp_path / "csv")])
    printed = capsys.readouterr()
    assert code == 1
    assert not out.exists() and not (tmp_path / "csv").exists()
    # the problems on standard output, as validate prints them; what went wrong on standard error
    assert "bad.xlsx" in printed.out and "Amount (USD)" in printed.out and "Narnia" in printed.out
    assert "nothing was written" in printed.err
    assert "Traceback" not in printed.out + printed.err


@pytest.mark.parametrize("argv", [["build", "--as-of", "31/10/2012"], ["build", "--exports", "/no/such/dir"],
                                  ["build", "--out", "report.csv"], ["frobnicate"], []])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        sys.exit(main(argv))
    assert caught.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"keep me")
    args = ["build", "--exports", "workbooks/sample/exports", "--out", str(out)]
    root = Path(__file__).resolve().parents[1]
    args[2] = str(root / args[2])
    assert main(args) == 2 and out.read_bytes() == b"keep me"
    assert main(args + ["--force"]) == 0 and out.read_bytes()[:2] == b"PK"


def test_help_shows_an_example_and_both_entry_points_work():
    import shutil

    script = shutil.which("rcm-tables", path=str(Path(sys.executable).parent))  # bin/ or Scripts\ (.exe)
    assert script is not None
    for cmd in ([sys.executable, "-m", "rcm_tables", "build", "--help"], [script, "build", "--help"]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "example:" in done.stdout and "rcm-tables build --exports" in done.stdout


def test_outputs_get_the_usual_file_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        assert main(["build", "--out", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "csv")]) == 0
    finally:
        os.umask(mask)
    assert (tmp_path / "r.xlsx").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "csv" / "table1.csv").stat().st_mode & 0o777 == 0o644


def test_ledger_detail_help_says_what_is_summarised_and_takes_the_threshold_from_the_ledger_sheet(monkeypatch, capsys):
    from rcm_tables import workbook
    from rcm_tables.workbook import ledger_sheet as layout

    assert layout.SUMMARY_THRESHOLD is workbook.SUMMARY_THRESHOLD
    monkeypatch.setattr(workbook, "SUMMARY_THRESHOLD", 1234)
    with pytest.raises(SystemExit) as caught:
        main(["build", "--help"])
    assert caught.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    assert "above 1,234 ledger lines" in text and "50,000" not in text
    assert "closed periods" not in text
    assert "expense lines posted on or before the as-of date" in text


def test_the_program_ends_with_main_s_code_its_output_flushed_and_its_snapshot_whole(tmp_path):
    """Run as a program (`cli.run`), rcm-tables ends without the interpreter's teardown (`cli.exit_now`): the exit
    code is main's, what it printed is all there, and the ledger snapshot, written on a thread, is whole."""
    import hashlib

    from rcm_tables import paths, snapshot
    from rcm_tables.inputs.folder import list_exports
    from rcm_tables.inputs.store import snapshot_file

    cmd = [sys.executable, "-m", "rcm_tables", "build", "--exports", str(paths.SAMPLE_EXPORTS), "--reference",
           str(paths.SAMPLE_REFERENCE), "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run(cmd + ["--out", str(tmp_path / "r.xlsx")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / 'r.xlsx'}" in done.stdout and done.stdout.endswith("\n")
    exports = list_exports(paths.SAMPLE_EXPORTS)[0]
    sha = hashlib.sha256(paths.SAMPLE_REFERENCE.read_bytes()).hexdigest()
    snap, problems = snapshot.load(snapshot_file(tmp_path / "cache", exports, sha), sha, exports)
    assert problems == [] and snap is not None and sum(snap.counts) == 1320  # the sample's lines, every one
    again = subprocess.run(cmd + ["--out", str(tmp_path / "r.xlsx")], capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "--force" in again.stderr  # a usage error's code and message, as main's


def test_the_program_s_build_never_runs_the_garbage_collector(tmp_path):
    """Run as the program (``argv`` None), a build leaves the collector off from start to end: the build pauses it
    for its work (`collector`), and resuming it at each pause's end would first walk every object alive (the
    imports' and the report's). Called as a library (``argv`` given), the caller's collector is left as it was."""
    from rcm_tables import paths

    args = ["build", "--exports", str(paths.SAMPLE_EXPORTS), "--reference", str(paths.SAMPLE_REFERENCE),
            "--no-cache", "--force"]
    # counted from the command's start (parsing the options may collect once, before the command is known)
    child = ("import gc, sys; from rcm_tables import cli, commands; sys.argv = ['rcm-tables', *sys.argv[1:]]\n"
             "count = lambda: sum(s['collections'] for s in gc.get_stats()); command = commands.build\n"
             "def build(*args):\n    global before; before = count(); return command(*args)\n"
             "commands.build = build; code = cli.main({argv}); print(code, gc.isenabled(), count() - before)")
    runs = {}
    for name, argv in (("program", "None"), ("library", "sys.argv[1:]")):
        out = ["--out", str(tmp_path / f"{name}.xlsx")]
        done = subprocess.run([sys.executable, "-c", child.format(argv=argv), *args, *out], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        runs[name] = done.stdout.split()[-3:]
    assert runs["program"] == ["0", "False", "0"]
    code, enabled, collections = runs["library"]
    assert (code, enabled) == ("0", "True") and int(collections) > 0  # the build's paused collector resumed
