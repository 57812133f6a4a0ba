"""Keep the document's message catalogs in step with the code, and compile them.

    python -m dev.catalog            # extract, update locale/es/LC_MESSAGES/rcm_tables.po, compile the .mo

Extracts every ``_("…")``, ``N_("…")``, ``p_(context, "…")`` and ``NP_(context, "…")`` of the package with Babel
(``pybabel extract`` does the same), merges them into each language's ``.po`` (translations are kept; a new
message arrives untranslated, a removed one goes), writes the ``.pot`` template beside them, and compiles each
``.po`` into the ``.mo`` the package ships. Translate the new messages in the ``.po`` and run it again;
tests/document/test_catalog.py fails while any message lacks its Spanish translation or a ``.mo`` is stale.
"""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rcm_tables"
LOCALE = PACKAGE / "document" / "locale"
DOMAIN = "rcm_tables"
LANGUAGES = ("es",)
KEYWORDS = {"_": None, "N_": None, "p_": ((1, "c"), 2), "NP_": ((1, "c"), 2)}
METHOD_MAP = [("**.py", "python")]


def extract() -> Catalog:
    """Every fixed text of the package, in the order of the files and lines where it appears."""
    template = Catalog(project="rcm-tables", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), METHOD_MAP, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, locations=[(f"rcm_tables/{filename}", lineno)], auto_comments=comments,
                     context=context)
    return template


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, include_lineno=False, sort_output=False,
             ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update(lang: str, template: Catalog) -> Catalog:
    path = po_path(lang)
    if path.exists():
        catalog = read(lang)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="rcm-tables")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False  # the header: a fuzzy one would be left out of the .mo, and its charset with it
    catalog.last_translator = catalog.language_team = "RCM Technical Secretariat"
    catalog.msgid_bugs_address = ""
    catalog.version = ""
    catalog.revision_date = catalog.creation_date = template.creation_date.replace(year=2012, month=1, day=1,
                                                                                 hour=0, minute=0, second=0)
    return catalog


def main() -> None:
    template = extract()
    LOCALE.mkdir(parents=True, exist_ok=True)
    (LOCALE / f"{DOMAIN}.pot").write_bytes(po_bytes(template))
    for lang in LANGUAGES:
        catalog = update(lang, template)
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        po_path(lang).write_bytes(po_bytes(catalog))
        catalog = read(lang)  # compile what is written, exactly
        po_path(lang).with_suffix(".mo").write_bytes(mo_bytes(catalog))
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{lang}: {len(catalog) - 1} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
