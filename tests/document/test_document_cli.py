"""build --docx, --lang, --template, --activities, --statements: every file through the run's transaction."""
from __future__ import annotations

import docx
import pytest

from tests.document.docread import ACTIVITIES, CONTRACT
from tests.document.docread import all_text

from rcm_tables.cli import main

INPUTS = ["build", "--no-cache", "--exports", str(CONTRACT / "exports"), "--reference", str(CONTRACT / "reference.xlsx")]


def test_docx_in_two_languages_and_statements(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(INPUTS + ["--out", str(out / "r.xlsx"), "--docx", str(out / "r.docx"), "--lang", "en,es",
                          "--statements", str(out / "st")]) == 0
    printed = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["r.docx", "r.es.docx", "r.xlsx", "st"]
    assert (out / "st" / "statements.csv").is_file() and (out / "st" / "statement-canada.es.docx").is_file()
    assert "Notes" in printed.out and "Payment" in printed.out  # the two absent optional sheets, as notes
    assert "Sección 2: Informe financiero" in all_text(out / "r.es.docx")


@pytest.mark.parametrize("extra,message", [
    (["--activities", str(ACTIVITIES)], "--activities is for the document"),
    (["--lang", "es"], "--lang is for the document"),  # was ignored: an English-only build, without a word
    (["--docx", "r.txt"], "--docx must name a .docx file"),
    (["--docx", "r.docx", "--lang", "fr"], "argument --lang: 'fr': choose among en, es"),  # argparse exits itself
    (["--docx", "r.docx", "--template", str(CONTRACT / "reference.xlsx")], "is not a Word document"),
    (["--docx", "r.docx", "--locale", "fr_FR"], "its language is not one of the document's"),
    (["--docx", "r.docx", "--locale", "xx_YY"], "is not a locale Babel knows"),
    (["--docx", "r.docx", "--locale", "es_MX,es_CR"], "one locale for each language"),
    (["--locale", "es_MX"], "--locale is for the document"),
])
def test_bad_document_options_are_usage_errors(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(INPUTS + ["--out", "r.xlsx", *extra])
    except SystemExit as exited:
        code = exited.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()


def test_no_output_may_be_the_template_or_the_register(tmp_path, capsys):
    template = tmp_path / "t.docx"
    docx.Document().save(str(template))
    code = main(INPUTS + ["--out", str(tmp_path / "r.xlsx"), "--docx", str(template), "--template", str(template),
                          "--force"])
    assert code == 2 and "is an input" in capsys.readouterr().err


def test_the_secretariats_template_keeps_its_letterhead_and_gets_page_numbers(contract_report, tmp_path):
    from rcm_tables.document import write_document

    mine = docx.Document()
    mine.sections[0].header.paragraphs[0].text = "RCM LETTERHEAD"
    mine.add_paragraph("Sample text of the template, which the report replaces.")
    template = tmp_path / "letterhead.docx"
    mine.save(str(template))
    out = tmp_path / "r.docx"
    write_document(contract_report, out, template=template)
    written = docx.Document(str(out))
    assert written.sections[0].header.paragraphs[0].text == "RCM LETTERHEAD"
    assert "PAGE" in written.sections[0].footer._element.xml
    assert "Sample text of the template" not in all_text(out)
    assert "RCM Table" in [s.name for s in written.styles]


def test_the_committed_template_is_what_the_script_writes(tmp_path):
    from dev import make_template
    from rcm_tables.document.writer import DEFAULT_TEMPLATE

    assert make_template.make(tmp_path / "t.docx").read_bytes() == DEFAULT_TEMPLATE.read_bytes()


def test_the_locale_option_chooses_the_spanish_numbers(tmp_path, capsys):
    """es_MX writes 60,000.00 and 60.00 %; the default es_CR 60\xa0000,00 (Babel's CLDR data). The contract's
    scale: Canada 60 %, $60,000; Mexico 40 %, $40,000."""
    out = tmp_path / "out"
    assert main(INPUTS + ["--as-of", "2012-10-31", "--out", str(out / "r.xlsx"), "--docx", str(out / "r.docx"),
                          "--lang", "es", "--locale", "es-MX"]) == 0
    text = all_text(out / "r.docx")
    assert "60.00\xa0%" in text and "60,00\xa0%" not in text
    assert "US$60,000" in text and "US$60\xa0000" not in text and "US$100,000" in text
