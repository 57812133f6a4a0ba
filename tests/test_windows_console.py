"""The command as a Windows PC runs it: standard output and error redirected to files in a code page that cannot
encode every character (cp1252, as Windows Python before 3.15 writes a redirected stream), or in ASCII (a POSIX
locale C without UTF-8 mode). Every run is a real process, its streams real files: exit 0 or 1, never 3.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.xlsx import row, write_export, write_reference

from rcm_tables import paths
from rcm_tables.streams import PLAIN

ENVIRONMENTS = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "ascii locale": {"PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C", "LANG": "C"},
}
ENCODING = {"cp1252": "cp1252", "ascii locale": "ascii"}
# A non-ASCII file name under an ASCII file system encoding (LC_ALL=C, PYTHONUTF8=0, no locale coercion: POSIX
# only, Windows file names are Unicode) reaches the reader as surrogate escapes: docs/windows.md, known limits.
EXPORT_NAME = {"cp1252": "Exportación 輸出 2012-03.xlsx", "ascii locale": "2012-03.xlsx"}


def run(env_name: str, tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    """``python -m rcm_tables ARGV > out.txt 2> err.txt`` in the given environment: (exit code, out, err)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIOENCODING", "PYTHONUTF8", "LC_"))}
    env.update(ENVIRONMENTS[env_name])
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        code = subprocess.run([sys.executable, "-m", "rcm_tables", *argv], stdout=fo, stderr=fe, env=env,
                              cwd=tmp_path, timeout=300).returncode
    encoding = ENCODING[env_name]
    # what was written is in the stream's encoding: it decodes without a single error
    return code, out.read_bytes().decode(encoding), err.read_bytes().decode(encoding)


def foreign(folder: Path, env_name: str = "cp1252") -> Path:
    """Inputs whose problems speak Spanish, Russian and Chinese: a file name, partners, a stray file."""
    (folder / "exports").mkdir(parents=True)
    write_export(folder / "exports" / EXPORT_NAME[env_name],
                 [row(doc="F1", partner="Panamá"), row(doc="F2", partner="Москва", text="übertrag — “quoted”"),
                  row(doc="F3", partner="中国", usd=-12.5)])
    (folder / "exports" / ("notas del año.txt" if env_name == "cp1252" else "notas.txt")).write_text("not an export", encoding="utf-8")
    write_reference(folder / "reference.xlsx")
    return folder


def _inputs(folder: Path) -> list[str]:
    return ["--no-cache", "--exports", str(folder / "exports"), "--reference", str(folder / "reference.xlsx")]


@pytest.mark.parametrize("env_name", sorted(ENVIRONMENTS))
@pytest.mark.parametrize("command", ["validate", "build"])
def test_problems_with_foreign_letters_reach_a_code_page_file(tmp_path, env_name, command):
    extra = ["--out", str(tmp_path / "report.xlsx")] if command == "build" else []
    inputs = foreign(tmp_path / "in", env_name)
    code, out, err = run(env_name, tmp_path, command, *_inputs(inputs), *extra)
    assert code == 1, err  # Москва and 中国 are not members: an error each, said in plain text
    assert "internal error" not in err and "Traceback" not in out + err
    assert "Problems found" in out  # the problems on standard output, for every command
    assert "\\u041c\\u043e\\u0441\\u043a\\u0432\\u0430" in out  # Москва, as escapes that lose nothing
    assert "\\u4e2d\\u56fd" in out  # 中国
    if env_name == "cp1252":
        assert "Panamá" in out  # cp1252 has á: written as it is
        assert "Exportación \\u8f38\\u51fa 2012-03.xlsx" in out
    else:
        assert "Panama" in out  # ASCII has not: the base letter
    assert "┃" not in out and "━" not in out  # the tables' borders in ASCII
    if command == "build":
        assert "nothing was written" in err and not (tmp_path / "report.xlsx").exists()


@pytest.mark.parametrize("env_name", sorted(ENVIRONMENTS))
def test_the_sample_builds_and_validates_under_a_code_page(tmp_path, env_name):
    sample = ["--no-cache", "--exports", str(paths.SAMPLE_EXPORTS), "--reference", str(paths.SAMPLE_REFERENCE)]
    code, out, err = run(env_name, tmp_path, "validate", *sample)
    assert code == 0, err
    assert "0 error(s)" in out and "Rows read = used + duplicates + rejected" in out
    code, out, err = run(env_name, tmp_path, "build", *sample, "--out", str(tmp_path / "r.xlsx"))
    assert code == 0, err
    assert f"wrote {tmp_path / 'r.xlsx'}" in out and (tmp_path / "r.xlsx").stat().st_size > 10_000


def test_quiet_prints_only_the_errors_and_warnings(tmp_path):
    code, out, err = run("cp1252", tmp_path, "validate", "--quiet", *_inputs(foreign(tmp_path / "in")))
    assert code == 1
    assert "notas del a" not in out  # the stray file's note is left out
    assert "Москва".encode("ascii", PLAIN).decode() in out  # the errors are not
    assert "Rows read" not in out and "error(s)" not in out and err == ""
