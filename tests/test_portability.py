"""An installed package works outside the source checkout, and nothing POSIX-only is on its runtime path.

The slow test builds a wheel, installs it into a fresh virtual environment without any package index, and runs
`rcm-tables` from another folder; the others pretend to be outside a checkout by pointing the sample elsewhere.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sysconfig
from pathlib import Path

import openpyxl
import pytest

from tests.rowwise_reader import assert_same_export
from tests.xlsx import row, write_export, write_reference
from tests.fresh_venv import fresh_venv, run

import rcm_tables
from rcm_tables import paths
from rcm_tables.cli import main
from rcm_tables.inputs import parallel
from rcm_tables.paths import SampleNotAvailable

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_EXPORTS, SAMPLE_REFERENCE = paths.SAMPLE_EXPORTS, paths.SAMPLE_REFERENCE


def small_inputs(folder: Path) -> tuple[Path, Path]:
    (folder / "exports").mkdir(parents=True)
    write_export(folder / "exports" / "2012-03.xlsx", [row(doc="S1", usd=600), row(doc="S2", partner="Mexico")])
    return folder / "exports", write_reference(folder / "reference.xlsx")


@pytest.fixture
def outside_checkout(tmp_path, monkeypatch) -> Path:
    """As an installed package sees it: no workbooks/ beside the package; the current folder is elsewhere."""
    monkeypatch.setattr(paths, "SAMPLE_EXPORTS", tmp_path / "site-packages" / "workbooks" / "sample" / "exports")
    monkeypatch.setattr(paths, "SAMPLE_REFERENCE", tmp_path / "site-packages" / "workbooks" / "sample" / "ref.xlsx")
    here = tmp_path / "elsewhere"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


def test_the_checkout_has_the_sample():
    assert paths.in_checkout() and paths.sample_inputs() == (SAMPLE_EXPORTS, SAMPLE_REFERENCE)


def test_load_without_inputs_outside_a_checkout_says_where_the_sample_is(outside_checkout):
    with pytest.raises(SampleNotAvailable) as caught:
        rcm_tables.load()
    message = str(caught.value)
    assert "source tree (workbooks/sample/)" in message and "load(exports=" in message
    assert isinstance(caught.value, FileNotFoundError)
    with pytest.raises(SampleNotAvailable):
        rcm_tables.load(exports=SAMPLE_EXPORTS)  # the reference would be the sample's too


@pytest.mark.parametrize("argv", [["build"], ["validate"], ["build", "--exports", str(SAMPLE_EXPORTS)],
                                  ["build", "--out", "r.xlsx"]])
def test_the_command_without_inputs_outside_a_checkout_exits_2_saying_how(outside_checkout, capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "the bundled sample lives in the rcm-tables source tree" in err
    assert "pass --exports DIR and --reference FILE" in err and "Traceback" not in err
    assert list(outside_checkout.iterdir()) == []


def test_out_defaults_to_rcm_report_xlsx_in_the_current_folder_outside_a_checkout(outside_checkout, tmp_path,
                                                                                  capsys):
    exports, reference = small_inputs(tmp_path / "in")
    argv = ["build", "--no-cache", "--exports", str(exports), "--reference", str(reference)]
    assert main(argv) == 0
    assert [p.name for p in outside_checkout.iterdir()] == ["rcm-report.xlsx"]  # and no CSV folder
    assert "wrote rcm-report.xlsx" in capsys.readouterr().out
    assert main(argv) == 2 and "pass --force" in capsys.readouterr().err  # never replaced without --force
    assert main(argv + ["--force"]) == 0


def test_an_output_that_cannot_be_written_is_a_usage_error(tmp_path, capsys):
    exports, reference = small_inputs(tmp_path / "in")
    (tmp_path / "a-file").write_text("not a folder")
    for extra in (["--out", str(tmp_path / "a-file" / "r.xlsx")],
                  ["--out", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "a-file" / "csv")]):
        code = main(["build", "--no-cache", "--exports", str(exports), "--reference", str(reference), *extra])
        err = capsys.readouterr().err
        assert code == 2, err
        assert "cannot write" in err and "a-file" in err and "Traceback" not in err and "internal error" not in err
    assert main(["validate", "--no-cache", "--exports", str(exports), "--reference", str(reference),
                 "--report", str(tmp_path / "a-file" / "p.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err


# ------------------------------------------------------------------ no POSIX-only call without a fallback


def test_without_forkserver_the_pool_spawns_and_reads_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    assert parallel._context().get_start_method() == "spawn"
    files = [write_export(tmp_path / f"2012-{i:02d}.xlsx", [row(doc=f"D{i}", usd=i)]) for i in range(16)]
    plan = parallel.plan_reading(files, None, jobs=2)
    assert plan.workers == 2
    pooled, _ = parallel.read_exports(plan)
    serial, _ = parallel.read_exports(files, jobs=1)
    assert len(pooled) == len(serial) == 16
    for a, b in zip(pooled, serial):
        assert_same_export(a, b)


def test_cpus_without_sched_getaffinity(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # Windows and macOS have none
    assert parallel.available_cpus() == (os.cpu_count() or 1)


def test_the_runtime_path_holds_no_posix_only_call():
    """os.umask, fcntl, resource, pty, POSIX-only signals and hard-coded venv paths have no place in the package
    (SIGINT and SIGTERM, which Windows has too, are fine)."""
    forbidden = ("os.umask", "import fcntl", "import resource", "import pty", ".venv/bin", "os.killpg",
                 "os.getuid", "os.fork(", "SIGKILL", "SIGHUP", "SIGUSR", "SIGALRM", "SIGCHLD", "signal.pause")
    found = [(path.relative_to(ROOT), word) for path in sorted((ROOT / "rcm_tables").rglob("*.py"))
             for word in forbidden if word in path.read_text(encoding="utf-8")]
    assert found == []
    parallel_code = (ROOT / "rcm_tables" / "inputs" / "pool.py").read_text(encoding="utf-8")  # the start method
    assert '"forkserver" not in multiprocessing.get_all_start_methods()' in parallel_code


# ------------------------------------------------------------------ a wheel in a fresh environment


@pytest.mark.slow
def test_an_installed_wheel_builds_from_any_folder(tmp_path):
    venv, scripts = fresh_venv(tmp_path)
    # the dependencies come from this environment's site-packages, on PYTHONPATH: its .pth files (the editable
    # install of the checkout) are not processed there, so only the wheel's rcm_tables can be imported
    libraries = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sorted(libraries)), "PIP_NO_INDEX": "1",
           "RCM_TABLES_CACHE": str(tmp_path / "cache"), "RCM_TABLES_LOG_DIR": str(tmp_path / "logs")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    where = run([python, "-c", "import rcm_tables; print(rcm_tables.__file__)"], cwd=elsewhere, env=env)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve()), where.stdout
    command = shutil.which("rcm-tables", path=str(scripts))
    assert command is not None and Path(command).parent == scripts

    out = tmp_path / "out" / "report.xlsx"
    document = tmp_path / "out" / "report.docx"  # the wheel ships the template and the Spanish catalog
    done = run([command, "build", "--exports", SAMPLE_EXPORTS, "--reference", SAMPLE_REFERENCE, "--out", out,
                 "--docx", document, "--lang", "en,es"], cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert document.is_file() and (tmp_path / "out" / "report.es.docx").is_file()
    values = openpyxl.load_workbook(out, data_only=True)
    assert values["Table 1"]["C14"].value == 261483.38  # the sample's 2012 contributions received
    assert list(elsewhere.iterdir()) == []

    copied = run([command, "notebooks", "~/analysis"], cwd=elsewhere, env={**env, "HOME": str(tmp_path / "home"),
                                                                        "USERPROFILE": str(tmp_path / "home")})
    assert copied.returncode == 0, copied.stdout + copied.stderr
    assert sorted(p.name for p in (tmp_path / "home" / "analysis").iterdir()) == [
        "01_contributions_and_arrears.ipynb", "02_budget_execution.ipynb", "03_audit_trail.ipynb"]

    bare = run([command, "build"], cwd=elsewhere, env=env)
    assert bare.returncode == 2, bare.stdout + bare.stderr
    assert "the bundled sample lives in the rcm-tables source tree" in bare.stderr
    assert "pass --exports DIR and --reference FILE" in bare.stderr and "Traceback" not in bare.stderr

    library = run([python, "-c", "import rcm_tables; rcm_tables.load()"], cwd=elsewhere, env=env)
    assert library.returncode == 1 and "SampleNotAvailable" in library.stderr
    assert "source tree (workbooks/sample/)" in library.stderr

    exports, reference = small_inputs(tmp_path / "in")
    default = run([command, "build", "--exports", exports, "--reference", reference], cwd=elsewhere, env=env)
    assert default.returncode == 0, default.stdout + default.stderr
    assert [p.name for p in elsewhere.iterdir()] == ["rcm-report.xlsx"]
