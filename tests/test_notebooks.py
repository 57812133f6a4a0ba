"""The notebooks as `make notebooks` runs them: papermill with parameters, then HTML with the charts inside.

(nbmake executes each notebook against the sample in `make test`; this checks the parameters and the HTML.)
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

pytestmark = pytest.mark.slow  # each notebook runs a kernel
from nbconvert import HTMLExporter

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize("name,charts", [("02_budget_execution", 3), ("03_audit_trail", 1)])
def test_parameterised_run_renders_charts_in_html(tmp_path, name, charts):
    out = tmp_path / f"{name}.ipynb"
    # another as-of date: the sample's asserted figures are skipped, the data-independent ones still run
    papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), parameters={"as_of": "2012-10-31"},
                               cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False)
    notebook = nbformat.read(out, as_version=4)
    assert notebook.cells[1].metadata["tags"] == ["parameters"]
    texts = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "as of 2012-10-31" in texts
    pngs = [o["data"]["image/png"] for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "image/png" in o.get("data", {})]
    assert len(pngs) == charts
    html, _ = HTMLExporter().from_notebook_node(notebook)
    for png in pngs:
        assert f"data:image/png;base64,{png.strip()[:200]}" in html


def test_notebooks_are_committed_without_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
