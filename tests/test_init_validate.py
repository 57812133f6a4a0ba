"""What validate and build make of a folder `rcm-tables init` wrote: one located problem per gap on a new folder,
and, with the sample's exports and Accounts pasted in, the published tables; the newcomer's path from a wheel."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests import golden_checks as golden
from tests.initfolder import SAMPLE, copy_with, make_folder, paste_sample_accounts

import rcm_tables
from rcm_tables import schemas as S
from rcm_tables.cli import main


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("init") / "RCM")


# ------------------------------------------------------------------ validate: one located problem per gap


def located(problems) -> list[tuple]:
    return sorted((p.severity, str(p.code), Path(p.file).name, p.sheet) for p in problems)


SHARES = [("warning", "scale-shares", "reference.xlsx", "Scale")] * 2  # the published 100.01 % (DISCREPANCIES 3)


def test_validate_on_a_fresh_folder_lists_the_account_mapping_and_the_exports(folder, capsys):
    assert main(["validate", str(folder), "--no-cache"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err
    assert "2 error(s), 2 warning(s) in 0 export(s)" in out
    report = rcm_tables.load(folder / "exports", folder / "reference.xlsx", strict=False)
    assert located(report.problem_list) == [("error", "no-exports", "exports", ""),
                                        ("error", "sheet-no-rows", "reference.xlsx", "Accounts"), *SHARES]


def test_validate_on_a_blank_folder_lists_each_empty_sheet_once(tmp_path, capsys):
    assert main(["init", str(tmp_path), "--blank"]) == 0
    assert main(["validate", str(tmp_path), "--no-cache"]) == 1
    report = rcm_tables.load(tmp_path / "exports", tmp_path / "reference.xlsx", strict=False)
    assert located(report.problem_list) == [("error", "no-exports", "exports", ""),
                                        ("error", "no-periods", "reference.xlsx", "Periods"),
                                        *[("error", "sheet-no-rows", "reference.xlsx", sheet)
                                          for sheet in ("Accounts", "Budget Lines", "Scale")]]


@pytest.mark.parametrize("sheet, cell", [(S.PERIODS_SHEET, "B4"), (S.ACCOUNTS_SHEET, "B4")])
def test_a_header_that_cannot_be_read_is_the_one_problem_of_its_sheet(folder, tmp_path, sheet, cell):
    """No no-periods or sheet-no-rows on top of it: the rows are unknown, not absent."""
    def rename(book):
        book[sheet][cell] = "Renamed"
    path = copy_with(folder, tmp_path / "f", rename)
    report = rcm_tables.load(path / "exports", path / "reference.xlsx", strict=False)
    expected = [("error", "header-not-found", "reference.xlsx", sheet), ("error", "no-exports", "exports", "")]
    if sheet != S.ACCOUNTS_SHEET:
        expected.append(("error", "sheet-no-rows", "reference.xlsx", S.ACCOUNTS_SHEET))
    assert located(report.errors) == expected


def test_exports_without_an_account_mapping_give_one_error_not_one_per_line(folder, tmp_path):
    path = copy_with(folder, tmp_path / "f", lambda book: None)
    for export in (SAMPLE / "exports").glob("IOM_LineItems_2012-1[01].xlsx"):  # posted after the opening balances
        shutil.copy(export, path / "exports")
    report = rcm_tables.load(path / "exports", path / "reference.xlsx", strict=False)
    assert located(report.errors) == [("error", "sheet-no-rows", "reference.xlsx", "Accounts")]
    assert [p.code for p in report.problem_list if p.code == "ledger-checks-skipped"] == ["ledger-checks-skipped"]
    assert not [p for p in report.problem_list if p.code == "account-unmapped"]


# ------------------------------------------------------------------ the Secretariat's part pasted in: the report


@pytest.fixture(scope="module")
def adopted(folder, tmp_path_factory) -> Path:
    path = copy_with(folder, tmp_path_factory.mktemp("adopted") / "RCM", paste_sample_accounts)
    for export in (SAMPLE / "exports").iterdir():
        shutil.copy(export, path / "exports")
    assert main(["build", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def adopted_report(adopted):
    return rcm_tables.load(adopted / "exports", adopted / "reference.xlsx")


def test_build_dir_writes_into_its_output_folder_and_replaces_it_next_month(adopted):
    assert (adopted / "output" / "rcm-report.xlsx").is_file()
    assert main(["build", str(adopted)]) == 0  # its own default output: replaced without --force
    assert main(["build", str(adopted), "--out", str(adopted / "output" / "rcm-report.xlsx")]) == 2  # named: --force
    assert sorted(p.name for p in (adopted / "output" / "csv").iterdir()) == sorted(
        f"{spec.csv_name}" for spec in rcm_tables.tables.FRAMES)


def test_the_table_csvs_are_those_of_the_bundled_sample(adopted, sample_report, tmp_path):
    """The sample's own golden tests hold for these CSVs: they are the same bytes."""
    rcm_tables.write_csv(sample_report.tables, tmp_path)
    for csv_file in sorted(tmp_path.iterdir()):
        assert (adopted / "output" / "csv" / csv_file.name).read_bytes() == csv_file.read_bytes(), csv_file.name


# every golden check of the bundled sample's report (the explicit list tests/golden_checks.py keeps), run on this
# folder's report
@pytest.mark.parametrize("check", golden.CHECKS, ids=[check.__name__ for check in golden.CHECKS])
def test_the_published_tables_as_the_golden_tests_compare_them(adopted_report, check):
    check(adopted_report)


def test_one_cut_off_as_the_published_report(adopted):
    """--as-of 2012-10-31 (DISCREPANCIES 4) works: the opening balances are as of that date."""
    october = rcm_tables.load(adopted / "exports", adopted / "reference.xlsx", as_of="2012-10-31")
    t1 = october.table("table1", cents=True).set_index("period")
    assert t1.at["2012", "contributions_received"] == 26148338 - 1666000 - 500000
    assert t1.at["2003-2004", "operating_costs"] == 42634100


# ------------------------------------------------------------------ the newcomer's path, from an installed wheel


@pytest.mark.slow
def test_from_pip_install_to_a_validated_folder_and_a_report(tmp_path):
    """The README's "Your own data", with the wheel installed alone in a fresh environment, outside the checkout."""
    import os
    import sysconfig

    from tests.fresh_venv import fresh_venv, run as run_command

    _venv, scripts = fresh_venv(tmp_path)
    libraries = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}  # the dependencies only
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sorted(libraries)), "PIP_NO_INDEX": "1",
           "RCM_TABLES_CACHE": str(tmp_path / "cache"), "RCM_TABLES_LOG_DIR": str(tmp_path / "logs")}
    command = shutil.which("rcm-tables", path=str(scripts))
    home = tmp_path / "home"
    home.mkdir()

    def run(*argv):
        return run_command([command, *argv], cwd=home, env=env)

    assert run("init", "RCM").returncode == 0
    fresh = run("validate", "RCM")
    assert fresh.returncode == 1 and "Traceback" not in fresh.stdout + fresh.stderr
    assert "the Accounts sheet has no rows" in fresh.stdout and "no exports in the folder" in fresh.stdout
    assert "2 error(s), 2 warning(s) in 0 export(s)" in fresh.stdout
    copy_with(home / "RCM", home / "adopted", paste_sample_accounts)
    for export in (SAMPLE / "exports").iterdir():
        shutil.copy(export, home / "adopted" / "exports")
    ready = run("validate", "adopted")
    assert ready.returncode == 0, ready.stdout[-3000:] + ready.stderr[-3000:]
    assert "0 error(s)" in ready.stdout
    built = run("build", "adopted")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    values = openpyxl.load_workbook(home / "adopted" / "output" / "rcm-report.xlsx", data_only=True)
    assert values["Table 1"]["C14"].value == 261483.38  # 2012's contributions received, as the sample's
