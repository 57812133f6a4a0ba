"""environment.yml and pyproject.toml list the same dependencies; the README documents commands and tables."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from rcm_tables.tables import FRAMES
from rcm_tables.cli import make_parser

ROOT = Path(__file__).resolve().parents[1]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = {_name(d): d.replace(" ", "") for d in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_deps.update({_name(d): d.replace(" ", "") for d in extra})
    conda = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("dependencies:"):].splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.\-]+[^#]*)", line)
        if m and not line.strip().startswith("- pip:"):
            spec = m.group(1).strip()
            if _name(spec) not in {"python", "pip"}:
                conda[_name(spec)] = spec.replace(" ", "")
    assert conda == pip_deps
    # the same Python floor: pandas 3 needs 3.11 (`make` says so before installing on an older one)
    floor = project["requires-python"].removeprefix(">=")
    assert re.search(r"^\s*-\s+python>=(\S+)", text, re.M).group(1) == floor
    guard = re.search(r"sys\.version_info >= \((\d+), (\d+)\)", (ROOT / "Makefile").read_text())
    assert ".".join(guard.groups()) == floor


def test_readme_documents_every_command_option_and_table():
    readme = (ROOT / "README.md").read_text()
    for text in ("make report", "make test", "rcm-tables build"):
        assert text in readme
    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"rcm-tables {name}" in readme, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in readme, (name, option)
    for frame in FRAMES:
        assert frame.csv_name in readme, frame.name


def test_readme_lists_every_problem_code_with_its_severity():
    from rcm_tables.problems import codes_markdown

    readme = (ROOT / "README.md").read_text()
    assert codes_markdown() in readme  # regenerate the table with rcm_tables.problems.codes_markdown()


def test_the_readme_installs_the_wheel_by_its_real_name():
    """pip names the wheel after the distribution normalised (rcm_tables), not the project name (rcm-tables); the
    install lines are the ones people copy (tests/test_portability.py checks the built wheel's name)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wheel = f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"
    readme = (ROOT / "README.md").read_text()
    assert f"python -m pip wheel --no-deps -w dist .\n   python -m pip install dist/{wheel}\n" in readme
    assert "rcm-tables-0.1.0-py3-none-any.whl" not in readme and "pip install rcm-tables-" not in readme
    first_steps = readme[:readme.index("### The workbook")]  # install, your own data, the command line
    for line in first_steps.splitlines():  # no POSIX-only continuation in a command people copy into cmd.exe
        if line.lstrip().startswith("rcm-tables "):
            assert not line.rstrip().endswith("\\"), line
