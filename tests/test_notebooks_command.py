"""`rcm-tables notebooks DIR`: the notebooks shipped in the package, copied into a folder of the user's choice."""
from __future__ import annotations

import json

from rcm_tables.cli import main
from rcm_tables.notebooks import FOLDER

NAMES = ["01_contributions_and_arrears.ipynb", "02_budget_execution.ipynb", "03_audit_trail.ipynb"]


def test_copies_every_notebook_into_a_new_folder_under_home(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))  # what expanduser reads on Windows
    assert main(["notebooks", "~/RCM/notebooks"]) == 0
    target = tmp_path / "home" / "RCM" / "notebooks"
    assert sorted(p.name for p in target.iterdir()) == NAMES  # no staging file left
    for name in NAMES:
        assert (target / name).read_bytes() == (FOLDER / name).read_bytes()
        assert json.loads((target / name).read_text(encoding="utf-8"))["cells"][1]["metadata"]["tags"] == ["parameters"]
    out = capsys.readouterr().out
    assert f"wrote {target / NAMES[0]}" in out and 'python -m pip install "rcm-tables[notebooks]"' in out


def test_an_edited_notebook_is_kept_unless_force(tmp_path, capsys):
    (tmp_path / NAMES[1]).write_text("my edits", encoding="utf-8")
    assert main(["notebooks", str(tmp_path)]) == 0
    assert (tmp_path / NAMES[1]).read_text(encoding="utf-8") == "my edits"
    assert "kept" in capsys.readouterr().out
    assert main(["notebooks", str(tmp_path), "--force"]) == 0
    assert (tmp_path / NAMES[1]).read_bytes() == (FOLDER / NAMES[1]).read_bytes()


def test_a_file_in_the_way_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["notebooks", str(tmp_path / "a-file")]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "a-file" in err and "Traceback" not in err
