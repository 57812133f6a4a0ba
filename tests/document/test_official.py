"""The report and the statements as official documents: symbol, date of issue, meeting, running header, the
Secretariat as author; statements as letters whose last page is never almost empty."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import docx
import pytest

from tests.convert import soffice
from tests.document.docread import CONTRACT, all_text

from rcm_tables.cli import main
from rcm_tables.document.official import Issue

INPUTS = ["build", "--no-cache", "--exports", str(CONTRACT / "exports"), "--reference", str(CONTRACT / "reference.xlsx"),
          "--as-of", "2012-10-31"]


def _header(document) -> str:
    return "\n".join(p.text for p in document.sections[0].header.paragraphs)


def test_the_report_has_its_symbol_date_of_issue_meeting_and_author(contract_report, tmp_path):
    from rcm_tables.document import write_document

    path = tmp_path / "r.es.docx"
    write_document(contract_report, path, lang="es",
                   issue=Issue("CRM/ST/INF/2012", dt.date(2012, 11, 20), "XVIII Reunión Viceministerial"))
    document = docx.Document(str(path))
    text = all_text(path)
    assert "CRM/ST/INF/2012" in text and "Fecha de emisión: 20 de noviembre de 2012" in text
    assert "Para: XVIII Reunión Viceministerial" in text
    assert "CRM/ST/INF/2012 · Informe de la Secretaría Técnica · 20 de noviembre de 2012" in _header(document)
    assert document.core_properties.author == "Secretaría Técnica de la Conferencia Regional sobre Migración (CRM)"
    assert document.core_properties.subject == "CRM/ST/INF/2012"


def test_defaults_the_as_of_month_and_date(contract_report, tmp_path):
    from rcm_tables.document import write_document

    path = tmp_path / "r.docx"
    write_document(contract_report, path)
    text = all_text(path)
    assert "RCM/TS/FIN/2012-10" in text and "Date of issue: October 31, 2012" in text and "For: " not in text
    author = docx.Document(str(path)).core_properties.author
    assert author == "Technical Secretariat of the Regional Conference on Migration (RCM)"


def test_statements_are_letters_with_reference_date_addressee_and_signature(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(INPUTS + ["--out", str(out / "r.xlsx"), "--statements", str(out / "st"), "--lang", "en,es",
                          "--symbol", "RCM/TS/2012/11", "--issued", "2012-11-15"]) == 0
    files = sorted((out / "st").glob("statement-*.docx"))
    assert files
    for i, name in enumerate(["canada", "mexico"], start=1):  # the contract's scale, in its order
        text = all_text(out / "st" / f"statement-{name}.docx")
        assert f"Ref.: RCM/TS/2012/11/{i:02d}" in text and "Date of issue: November 15, 2012" in text
        assert "Yours sincerely," in text and "Technical Secretariat" in text
        spanish = all_text(out / "st" / f"statement-{name}.es.docx")
        assert f"Ref.: RCM/TS/2012/11/{i:02d}" in spanish and "Fecha de emisión: 15 de noviembre de 2012" in spanish
        assert "Atentamente," in spanish
    assert "To: the Government of Canada" in all_text(out / "st" / "statement-canada.docx")
    assert "A: el Gobierno de México" in all_text(out / "st" / "statement-mexico.es.docx")


@pytest.mark.parametrize("lang,name,expected", [
    ("en", "Dominican Republic", "the Dominican Republic"), ("en", "United States", "the United States"),
    ("en", "Belize", "Belize"), ("en", "European Union", "the European Union"),
    ("es", "República Dominicana", "la República Dominicana"), ("es", "México", "México"),
])
def test_names_read_right_in_a_sentence(lang, name, expected):
    from rcm_tables.document.i18n import language

    assert language(lang).in_sentence(name) == expected


@pytest.mark.parametrize("extra,message", [
    (["--symbol", "X"], "--symbol is for the document"),
    (["--docx", "r.docx", "--issued", "15/11/2012"], "is not a date in the form YYYY-MM-DD"),
])
def test_bad_official_options_are_usage_errors(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(INPUTS + ["--out", "r.xlsx", *extra])
    except SystemExit as exited:
        code = exited.code
    assert code == 2 and message in capsys.readouterr().err


@pytest.mark.slow
def test_no_statement_ends_on_a_page_with_fewer_than_five_lines(sample_report, tmp_path):
    """The sample's statements (with payment instructions, Option 3 and the fill-in lines last), through
    LibreOffice: every page holds five lines or more besides the running header and the page number."""
    from rcm_tables.document import write_document, write_statements

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    written = [p for p in write_statements(sample_report, tmp_path / "st", ["en", "es"]) if p.suffix == ".docx"]
    written = written[:4] + written[-4:]  # LibreOffice takes seconds a file: both languages, first and last members
    report = tmp_path / "report.es.docx"
    write_document(sample_report, report, lang="es")
    done = subprocess.run([soffice("libreoffice-writer-nogui"), f"-env:UserInstallation=file://{tmp_path / 'p'}",
                           "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                           *map(str, written + [report])], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for source in written + [report]:
        pdf = tmp_path / "pdf" / f"{source.stem}.pdf"
        pages = int(next(line.split()[1] for line in subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
            if line.startswith("Pages:")))
        for page in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout
            lines = [line for line in text.splitlines() if line.strip()]
            assert len(lines) - 2 >= 5, (source.name, page, lines)
