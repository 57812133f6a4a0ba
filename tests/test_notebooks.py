"""The notebooks as `make notebooks` runs them: papermill with parameters, then HTML with the charts inside.

nbmake executes each notebook against the sample with its default parameters in `make test` (notebook 03 then
compares with nothing). Here: another as-of date; a second data set of our own, contract-only and with no
published report (tests/contract/inputs); notebook 03 against the published 2012 report; and each chart's alt
text in the HTML.
"""
from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path

import nbformat
import papermill
import pytest
from nbconvert import HTMLExporter

from tests.helpers import KERNELS

pytestmark = [pytest.mark.slow, KERNELS]  # each notebook runs a kernel, one at a time (tests.helpers.KERNELS)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "rcm_tables" / "notebooks"
CONTRACT = ROOT / "tests" / "contract" / "inputs"


def run(tmp_path, name, **parameters):
    out = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), parameters=parameters,
                               cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False)
    return nbformat.read(out, as_version=4)


def outputs(notebook):
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def text_of(notebook) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/markdown", "") for o in outputs(notebook))


def charts(notebook) -> list[tuple[str, str]]:
    """(base64 PNG, alt text) of each chart."""
    return [(o["data"]["image/png"], o.get("metadata", {}).get("image/png", {}).get("alt", ""))
            for o in outputs(notebook) if "image/png" in o.get("data", {})]


@pytest.mark.parametrize("name,count", [("01_contributions_and_arrears", 3), ("02_budget_execution", 3)])
def test_another_as_of_date_renders_each_chart_with_its_alt_text_in_the_html(tmp_path, name, count):
    # the sample's asserted figures are skipped; the data-independent ones still run
    notebook = run(tmp_path, name, as_of="2012-10-31")
    assert notebook.cells[1].metadata["tags"] == ["parameters"]
    assert "as of 2012-10-31" in text_of(notebook)
    found = charts(notebook)
    assert len(found) == count
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(notebook)
    for png, alt in found:
        assert len(alt) > 60 and base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"
        image = re.search(r'<img alt="([^"]*)"[^>]*src="data:image/png;base64,' + re.escape(png.replace("\n", "")), html)
        assert image and unescape(image.group(1)) == alt
        assert alt in text_of(notebook).replace("\\", "")  # and the same words under the chart


def test_the_notebooks_run_on_a_second_data_set_with_no_published_report(tmp_path):
    # tests/contract/inputs: three members, two periods, only what spec/inputs.md requires
    inputs = {"exports": str(CONTRACT / "exports"), "reference": str(CONTRACT / "reference.xlsx")}
    arrears = run(tmp_path, "01_contributions_and_arrears", **inputs)
    text = text_of(arrears)
    assert "as of 2012-10-15: 15 ledger lines from 3 exports" in text
    alts = [alt for _, alt in charts(arrears)]
    # the Return Fund's account of the contract data, worked by hand: 15,000.00 received in 2011, nothing spent
    assert "stands at 15,000.00 at the end of 2012, after 0.00 spent in all" in alts[2]
    assert "In 2012 the TS received 81,475.00 of 100,000.00 (short by 18,525.00)" in alts[1]
    execution = run(tmp_path, "02_budget_execution", **inputs)
    assert "running total as a line reaching 39,200.50" in charts(execution)[1][1]  # 30,000 + 8,000.50 + 1,200
    audit = run(tmp_path, "03_audit_trail", **inputs, country="Mexico", period="2012")
    text = text_of(audit)
    assert "table4 {'country': 'Mexico', 'period': '2012'} received_usd: 20,000.00 from 1 ledger line(s)" in text
    assert "No published report given" in text and charts(audit) == []


def test_a_trace_that_finds_nothing_warns_in_the_notebook(tmp_path):
    notebook = run(tmp_path, "03_audit_trail", country="Narnia", period="2012")
    warnings = [o["text"] for o in outputs(notebook) if o.get("name") == "stderr"]
    assert any("found no ledger lines" in w for w in warnings)
    assert "from 0 ledger line(s)" in text_of(notebook)


def test_notebook_03_compares_with_the_published_report_only_when_given(tmp_path):
    notebook = run(tmp_path, "03_audit_trail", published=str(ROOT / "tests" / "published" / "report-2012"))
    text = text_of(notebook)
    assert "figures compared" in text and "10 Table 1 in whole dollars:" in text
    (png, alt), = charts(notebook)
    assert alt.startswith("Horizontal bar chart of the") and "published figures with a rule" in alt


def test_notebooks_are_committed_without_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
