import os
from pathlib import Path

import pytest

from tests.helpers import HYPERLINK, KERNELS, PUBLISHED, TRICKY_PARTNERS


def pytest_addoption(parser):
    parser.addoption("--regenerate-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from what the code builds now (review the diff before committing)")


def pytest_collection_modifyitems(config, items):
    """Notebooks run by nbmake are slow tests too (make test-fast leaves them out), and start a kernel: they share
    the xdist group "kernels" with tests/test_notebooks.py (`tests.helpers.KERNELS`)."""
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)
            item.add_marker(KERNELS)


class _OneKernelAtATime:
    """A test that starts a Jupyter kernel (`tests.helpers.KERNELS`) holds a lock shared by this run's xdist
    workers while it runs: one kernel starts at a time. A plugin, not a hook of this conftest: nbmake's notebooks
    are collected outside tests/, where this file's hooks do not reach."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        group = item.get_closest_marker("xdist_group")
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
        if group is None or group.args[:1] != KERNELS.args or run is None:
            yield
            return
        import fcntl  # (the tests run on Linux; the package itself never uses it)
        import tempfile

        with open(Path(tempfile.gettempdir()) / f"rcm-tables-kernels-{run}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def pytest_configure(config):
    config.pluginmanager.register(_OneKernelAtATime(), "rcm-tables-one-kernel-at-a-time")


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory) -> Path:
    """The LibreOffice user profile of every soffice run in this test process (a private one: no clash with a
    LibreOffice the user has open), one per xdist worker. The LibreOffice tests share the xdist group
    "libreoffice", meant to run them in one worker so that only the first run pays for making the profile; with
    pytest 9 and xdist 3.8 the group is ignored (`tests.helpers.KERNELS`), and each worker makes its own."""
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture(scope="session")
def regenerate_golden(request) -> bool:
    return bool(request.config.getoption("--regenerate-golden") or os.environ.get("RCM_TABLES_REGENERATE_GOLDEN"))
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On CI (CI=true) a golden test that skips fails: the golden figures are vendored, so nothing excuses a skip.
    Only a test marked ``needs_shared`` (the comparison of the copy with ../shared) may skip there."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and os.environ.get("CI") == "true" and item.module is not None
            and item.module.__name__ == "tests.test_golden" and item.get_closest_marker("needs_shared") is None):
        report.outcome = "failed"
        report.longrepr = f"a golden test skipped on CI (CI=true): {report.longrepr}"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory) -> Path:
    """Every command the tests run caches into a temporary folder, never the user's cache."""
    folder = tmp_path_factory.mktemp("rcm-tables-cache")
    before = os.environ.get("RCM_TABLES_CACHE")
    os.environ["RCM_TABLES_CACHE"] = str(folder)
    yield folder
    if before is None:
        del os.environ["RCM_TABLES_CACHE"]
    else:
        os.environ["RCM_TABLES_CACHE"] = before


@pytest.fixture(scope="session", autouse=True)
def private_logs(tmp_path_factory) -> Path:
    """Internal-error logs go to a temporary folder, never the user's log folder."""
    folder = tmp_path_factory.mktemp("rcm-tables-logs")
    before = os.environ.get("RCM_TABLES_LOG_DIR")
    os.environ["RCM_TABLES_LOG_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["RCM_TABLES_LOG_DIR"]
    else:
        os.environ["RCM_TABLES_LOG_DIR"] = before


@pytest.fixture(scope="session")
def published() -> Path:
    return PUBLISHED


@pytest.fixture(scope="session")
def sample_report():
    import rcm_tables

    return rcm_tables.load()


@pytest.fixture(scope="session")
def sample_workbook(sample_report, tmp_path_factory) -> Path:
    """The sample's workbook with the "Published vs computed" sheet, built once per test session."""
    from rcm_tables.workbook import write_workbook

    return write_workbook(sample_report, tmp_path_factory.mktemp("workbook") / "rcm-report.xlsx", published=PUBLISHED)


@pytest.fixture(scope="session")
def sample_values(sample_workbook):
    """The sample workbook's cached values (openpyxl, data_only)."""
    import openpyxl

    return openpyxl.load_workbook(sample_workbook, data_only=True)


@pytest.fixture(scope="session")
def sample_formulas(sample_workbook):
    """The sample workbook's formulas (openpyxl)."""
    import openpyxl

    return openpyxl.load_workbook(sample_workbook)


@pytest.fixture(scope="session")
def sample_csvs(sample_report, tmp_path_factory):
    """The sample's CSV files as text frames, by table frame name."""
    import pandas as pd

    from rcm_tables import write_csv
    from rcm_tables.tables import FRAMES

    folder = tmp_path_factory.mktemp("csv")
    write_csv(sample_report.tables, folder)
    from tests.fixtures import internal_names

    return {f.name: internal_names(pd.read_csv(folder / f.csv_name, dtype=str, keep_default_na=False), f.name)
            for f in FRAMES}


@pytest.fixture(scope="session")
def sample_comparison(sample_report):
    """The sample against the published 2012 report (`published.compare`)."""
    from rcm_tables.published import compare

    return compare(sample_report, PUBLISHED)


# The short names the sample's tests use (tests/test_workbook.py, tests/test_published.py, tests/tables/).
@pytest.fixture(scope="session")
def values(sample_values):
    return sample_values


@pytest.fixture(scope="session")
def formulas(sample_formulas):
    return sample_formulas


@pytest.fixture(scope="session")
def csvs(sample_csvs):
    return sample_csvs


@pytest.fixture(scope="session")
def frame(sample_comparison):
    return sample_comparison


@pytest.fixture(scope="session")
def summarised_workbook(sample_report, tmp_path_factory) -> Path:
    """The sample with its Ledger sheet summarised, as a large ledger would be (every formula must hold)."""
    from rcm_tables.workbook import write_workbook

    return write_workbook(sample_report, tmp_path_factory.mktemp("summarised") / "rcm-report.xlsx",
                          ledger_detail="summary")


@pytest.fixture(scope="session")
def tricky_report(tmp_path_factory):
    """A small report whose partner and budget-line names are wildcards and operators, with formula-like texts,
    a partner-less adjustment, a line posted after the as-of date (2012-10-31), and a member of the TS scale
    whose share is empty (the reference allows it: Annex 1 then leaves it out of its total)."""
    import datetime as dt

    import rcm_tables
    from tests.xlsx import row, write_export, write_reference

    folder = tmp_path_factory.mktemp("tricky")
    years = ("2011", "2012", "2013")
    shares = (30, 20, 20, 10, 10, 5, 5)
    write_reference(
        folder / "reference.xlsx",
        periods=[[y, dt.date(int(y), 1, 1), dt.date(int(y), 12, 31), 1000] for y in years],
        lines=[r for y in years for r in ([y, "Staff", "Staff*", 600], [y, "Operational Expenses", "Staff Travel", 400])],
        accounts=[[None, "710100", "Staff*"], [None, "760100", "Staff Travel"]],
        scale=[["TS", name, share if i < len(shares) - 1 else None, share * 10]
               for i, (name, share) in enumerate(zip(TRICKY_PARTNERS, shares))]
        + [["RF", "Star*", 60, 60], ["RF", "StarBright", 40, 40]],
        partners=[[name, "member", ""] for name in TRICKY_PARTNERS],
    )
    (folder / "exports").mkdir()
    day = dt.date(2012, 3, 1)
    rows = [row(doc=f"19000000{i:02d}", partner=name, usd=usd, date=day, assignment="2012")
            for i, (name, usd) in enumerate(zip(TRICKY_PARTNERS, (300, 200, 150, 100, 100, 50, 50)))]
    rows[5][-1] = HYPERLINK
    rows += [
        row(doc="1900000100", partner="<Less", usd=45.5, assignment="2011", date=dt.date(2011, 6, 1), text="@ late"),
        row(doc="1900000101", doc_type="SA", partner=None, usd=-1.25, text="+ bank charges"),
        row(doc="1900000102", doc_type="KR", account="710100", partner=None, assignment=None, usd=123.45,
            date=dt.date(2012, 2, 1), text="- salary"),
        row(doc="1900000103", doc_type="KR", account="760100", partner=None, assignment=None, usd=67.89,
            date=dt.date(2012, 4, 1), text="=1+1"),
        row(doc="1900000104", doc_type="KR", account="760100", partner=None, assignment=None, usd=10,
            date=dt.date(2011, 5, 1)),
        row(doc="1900000105", fund="RF", partner="Star*", usd=60),
        row(doc="1900000106", fund="RF", partner="StarBright", usd=40),
        row(doc="1900000107", partner="StarBright", usd=10, assignment="2013", date=dt.date(2012, 11, 15)),
    ]
    write_export(folder / "exports" / "IOM_LineItems_2012.xlsx", rows)
    report = rcm_tables.load(folder / "exports", folder / "reference.xlsx", as_of="2012-10-31")
    assert report.ok, report.errors
    return report


@pytest.fixture(scope="session")
def tricky_workbook(tricky_report, tmp_path_factory) -> Path:
    from rcm_tables.workbook import write_workbook

    return write_workbook(tricky_report, tmp_path_factory.mktemp("tricky-book") / "tricky.xlsx")


# ---------------------------------------------------------------- the report document (tests/document/)


@pytest.fixture(scope="session")
def contract_report():
    """The contract-only scenario (tests/contract/inputs: no optional sheet), as of 2012-10-31."""
    import rcm_tables

    from tests.document.docread import CONTRACT

    return rcm_tables.load(CONTRACT / "exports", CONTRACT / "reference.xlsx", as_of="2012-10-31")


@pytest.fixture(scope="session")
def register():
    """The sample's activities register."""
    from tests.document.docread import ACTIVITIES
    from rcm_tables.document import read_register

    found, problems = read_register(ACTIVITIES)
    assert not problems
    return found


@pytest.fixture(scope="session")
def documents(sample_report, contract_report, register, tmp_path_factory):
    """(scenario, lang) -> (report, path of its document, path of its CSV folder)."""
    from rcm_tables import write_csv
    from rcm_tables.document import write_document

    folder = tmp_path_factory.mktemp("documents")
    out = {}
    for scenario, report in (("sample", sample_report), ("contract", contract_report)):
        csv_dir = folder / f"{scenario}-csv"
        write_csv(report.tables, csv_dir)
        for lang in ("en", "es"):
            path = folder / f"{scenario}.{lang}.docx"
            write_document(report, path, lang=lang)
            out[scenario, lang] = (report, path, csv_dir)
    full = folder / "sample-full.es.docx"
    write_document(sample_report, full, lang="es", register=register)
    out["sample-full", "es"] = (sample_report, full, folder / "sample-csv")
    return out
