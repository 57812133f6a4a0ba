import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "tests" / "contract" / "inputs"
ACTIVITIES = ROOT / "workbooks" / "sample" / "activities.xlsx"


@pytest.fixture(scope="session")
def contract_report():
    import rcm_tables

    return rcm_tables.load(CONTRACT / "exports", CONTRACT / "reference.xlsx", as_of="2012-10-31")


@pytest.fixture(scope="session")
def register():
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
