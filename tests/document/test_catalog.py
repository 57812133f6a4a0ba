"""The message catalogs: every fixed text of the code is in the catalog, every entry has its Spanish translation
with the same placeholders, the shipped .mo is the compiled .po, and no fixed English sentence is left in the
Spanish document."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from dev import catalog as C
from tests.document.docread import all_text

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.fixture(scope="module")
def spanish():
    return C.read("es")


def test_every_catalog_entry_has_a_spanish_translation(spanish):
    untranslated = [m.id for m in spanish if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"translate these in {C.po_path('es')} and run python -m dev.catalog: {untranslated}"


def test_every_fixed_text_of_the_code_is_in_the_catalog(spanish):
    code = {(m.context, m.id) for m in C.extract() if m.id}
    catalog = {(m.context, m.id) for m in spanish if m.id}
    assert code == catalog, "run python -m dev.catalog"


def test_translations_keep_the_placeholders(spanish):
    for m in spanish:
        if m.id:
            assert sorted(PLACEHOLDER.findall(m.string)) == sorted(PLACEHOLDER.findall(m.id)), m.id


def test_the_shipped_mo_is_the_compiled_po(spanish):
    assert C.po_path("es").with_suffix(".mo").read_bytes() == C.mo_bytes(spanish)


def test_a_wheel_ships_the_catalogs_and_the_template():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = data["rcm_tables.document"]
    package = ROOT / "rcm_tables" / "document"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    assert package / "template.docx" in shipped
    assert C.po_path("es").with_suffix(".mo") in shipped


def english_sentences(spanish) -> list[str]:
    """The fixed parts (between placeholders) of every message that Spanish translates differently, of three
    words or more: none of them may be left in a Spanish document."""
    found = []
    for m in spanish:
        if m.id and m.string != m.id:
            found += [part.strip() for part in PLACEHOLDER.split(m.id) if len(part.split()) >= 3]
    return found


@pytest.mark.parametrize("scenario", ["sample", "contract", "sample-full"])
def test_the_spanish_document_holds_no_fixed_english_sentence(documents, spanish, scenario):
    text = all_text(documents[scenario, "es"][1])
    left = [s for s in english_sentences(spanish) if s in text]
    assert not left
    for word in ("Pending", "Table ", "Source:", "TOTAL Expenses", "Country"):
        assert word not in text, word


def test_the_spanish_document_prints_months_and_countries_in_spanish(documents):
    text = all_text(documents["sample", "es"][1])
    assert "octubre" in text and "noviembre de 2012" in text
    for name in ("México", "Panamá", "Estados Unidos", "República Dominicana", "Belice"):
        assert name in text
    # es_CR, the default: a no-break space groups thousands, a comma marks the decimals (Babel's CLDR data)
    assert "US$282\xa0724" in text and "US$282,724" not in text
    assert "Pendiente" in text and "pagado durante 2008" in text


def test_a_name_the_catalog_lacks_falls_back_to_babel_then_to_itself():
    from rcm_tables.document.i18n import language

    es = language("es")
    assert es.country("Norway") == "Noruega"
    assert es.country("Atlantis") == "Atlantis"
    assert language("en").country("Mexico") == "Mexico"
