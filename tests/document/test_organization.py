"""The organisation and its history are data: the reference's optional Organization sheet (English and Spanish),
else the RCM's as its 2012 report states them."""
from __future__ import annotations

import shutil

import openpyxl

from tests.document.docread import CONTRACT, all_text

import rcm_tables

SACM = [
    ("Name", "South American Conference on Migration", "Conferencia Suramericana sobre Migraciones"),
    ("Acronym", "SACM", "CSM"),
    ("Secretariat", "Technical Secretariat", "Secretaría Técnica"),
    ("Secretariat Acronym", "TS", "ST"),
    ("Host", "International Organization for Migration (IOM)", "Organización Internacional para las Migraciones"),
    ("Scale Approval", "The scale was approved at the X SACM, Cochabamba, 2010.",
     "La escala fue aprobada en la X CSM, Cochabamba, 2010."),
    ("Fund Approval", "The fund was established at the XII SACM, Santiago, 2012.", ""),
    ("First Period Number", "11", ""),  # the contract's periods 2011, 2012: the Eleventh and Twelfth
]


def test_another_conference_builds_its_own_report(tmp_path):
    from rcm_tables.document import build_document, write_document

    exports = tmp_path / "exports"
    shutil.copytree(CONTRACT / "exports", exports)
    reference = tmp_path / "reference.xlsx"
    book = openpyxl.load_workbook(CONTRACT / "reference.xlsx")
    sheet = book.create_sheet("Organization")
    sheet.append(["Field", "Value", "Value (es)"])
    for row in SACM:
        sheet.append(list(row))
    book.save(reference)
    report = rcm_tables.load(exports, reference, as_of="2012-10-31")
    for lang in ("en", "es"):
        write_document(report, tmp_path / f"r.{lang}.docx", lang=lang)
    english, spanish = all_text(tmp_path / "r.en.docx"), all_text(tmp_path / "r.es.docx")
    assert "South American Conference on Migration (SACM)" in english and "SACM/TS/FIN/2012-10" in english
    assert "The scale was approved at the X SACM, Cochabamba, 2010." in english
    assert "The fund was established at the XII SACM, Santiago, 2012." in english
    assert "Conferencia Suramericana sobre Migraciones (CSM)" in spanish and "SACM/TS/FIN/2012-10" in spanish
    assert "La escala fue aprobada en la X CSM" in spanish
    assert "The fund was established at the XII SACM" in spanish  # no Spanish text given: the English one
    for text in (english, spanish):
        assert "XI RCM" not in text and "VI RCM" not in text and "San Jose" not in text
        assert "Regional Conference on Migration" not in text and "Conferencia Regional" not in text
    from tests.document.docread import rows, tables

    head = rows(tables(tmp_path / "r.en.docx")["table4"][0])[0]
    assert head[2:] == ["Eleventh Regular Operation Period", "Twelfth Regular Operation Period"]
    head = rows(tables(tmp_path / "r.es.docx")["table4"][0])[0]
    assert head[2:] == ["Undécimo Período Ordinario de Operación", "Duodécimo Período Ordinario de Operación"]
    writer, _problems = build_document(report, "es")
    assert writer.author == "Secretaría Técnica de la Conferencia Suramericana sobre Migraciones (CSM)"


def test_without_the_sheet_the_document_is_the_rcms(documents):
    text = all_text(documents["contract", "en"][1])
    assert "Regional Conference on Migration (RCM)" in text and "Report of the Technical Secretariat (TS)" in text
    assert "approved by Vice-Ministers during the VI RCM, held in San Jose, Costa Rica in 2001." in text
    spanish = all_text(documents["contract", "es"][1])
    assert "Conferencia Regional sobre Migración (CRM)" in spanish and "Informe de la Secretaría Técnica (ST)" in spanish
    assert "En la XI CRM, celebrada en San Salvador" in spanish
    from tests.document.docread import rows, tables

    assert rows(tables(documents["contract", "en"][1])["table4"][0])[0][2:] == ["2011", "2012"]  # not numbered


def test_init_pre_fills_the_rcms_organization():
    from rcm_tables import schemas as S
    from rcm_tables.init.published2012 import prefill

    rows = {field: (en, es) for field, en, es in prefill(2007)[S.ORGANIZATION_SHEET]}
    assert rows["Acronym"] == ("RCM", "CRM")
    assert rows["Name"] == ("Regional Conference on Migration", "Conferencia Regional sobre Migración")
    assert "XI RCM" in rows["Fund Approval"][0] and "XI CRM" in rows["Fund Approval"][1]
    assert rows["First Period Number"][0] == "2"  # 2003-2004 the second: 2009 … 2012 the Seventh … Tenth


def test_the_rcms_numbering_names_2009_the_seventh_period(sample_report):
    from rcm_tables.document.organization import Organization, ordinal
    from rcm_tables.init.published2012 import ORGANIZATION

    org = Organization(*(en for _f, en, _es in ORGANIZATION))
    ref = sample_report.reference
    assert [ordinal(org, ref, p, "en") for p in ("2009", "2010", "2011", "2012")] == [
        "Seventh", "Eighth", "Ninth", "Tenth"]
    assert ordinal(org, ref, "2009", "es") == "Séptimo"
