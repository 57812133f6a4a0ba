"""The document's languages: fixed text from gettext catalogs (Babel), numbers and dates by Babel's CLDR data.

Every fixed text of the document is written in the code as ``lang._("English text")`` (or ``N_`` where it is
only marked, ``lang.p_(context, text)`` for a name such as a country) and translated through the catalog
``locale/<lang>/LC_MESSAGES/rcm_tables.mo`` (compiled from the committed ``.po`` by ``python -m dev.catalog``).
Month names and the separators of numbers come from Babel's locale data; text read from the inputs is never
translated, only chosen from its Spanish column where the input has one.
"""
from __future__ import annotations

import datetime as dt
import gettext
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_percent
from babel.support import Translations

from .. import money as M

DOMAIN = "rcm_tables"
LOCALE_DIR = Path(__file__).with_name("locale")
# Babel locale of each document language by default; --locale chooses another (es_MX: 282,724.00). Spanish is
# Costa Rica's (282 724,00; 1,77 %), where the Secretariat sits.
LOCALES = {"en": "en_US", "es": "es_CR"}
LANGUAGES = tuple(LOCALES)
COUNTRY = "country"  # the message context of country and partner names


def N_(message: str) -> str:
    """Mark a text for the catalog where it is defined; translate it where it is used (``lang._(name)``)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a text with its context for the catalog (translated with ``lang.p_(context, message)``)."""
    return message


class LanguageError(ValueError):
    """A language the document does not come in."""


@dataclass(frozen=True)
class Lang:
    """One language of the document: its catalog and its Babel locale."""

    code: str
    locale: str
    catalog: gettext.NullTranslations

    def _(self, message: str, **values) -> str:
        """The translation of a fixed text, with ``{name}`` placeholders filled from ``values``."""
        text = self.catalog.gettext(message)
        return text.format(**values) if values else text

    def p_(self, context: str, message: str) -> str:
        return self.catalog.pgettext(context, message)

    # ------------------------------------------------------------ names
    def country(self, name: str) -> str:
        """A partner's name: the catalog's, else Babel's territory name for an English one, else as given."""
        translated = self.p_(COUNTRY, name)
        if translated != name or self.code == "en":
            return translated
        english = {v.casefold(): k for k, v in Locale.parse("en").territories.items()}
        code = english.get(name.strip().casefold())
        return Locale.parse(self.locale).territories.get(code, name) if code else name

    def in_sentence(self, name: str) -> str:
        """A country's name as it reads inside a sentence: 'the Dominican Republic', 'the United States',
        'la República Dominicana'; 'Belize', 'México' as they are."""
        words = name.split()
        if not words:
            return name
        if self.code == "es":
            return f"la {name}" if words[0] in ("República", "Unión", "Federación", "Mancomunidad") else name
        plural = words[-1] in ("States", "Islands", "Emirates", "Netherlands", "Philippines", "Bahamas", "Maldives")
        if words[0] in ("United", "Dominican", "Czech", "Central", "European", "Republic") or plural \
                or words[-1] in ("Republic", "Union", "Kingdom", "Federation"):
            return f"the {name}"
        return name

    # ------------------------------------------------------------ numbers and dates
    def money(self, cents, places: int = 0) -> str:
        return M.money_display(cents, places, self.locale, self.p_("currency", "$"))

    def percent(self, value: float) -> str:
        """A share as the locale writes a percentage, to two places: '1.77%' (en_US), '1,77 %' (es_CR). The
        separators are the locale's (Babel); Spanish puts a no-break space before the sign, as the RAE and ISO 80000
        write it (CLDR's es_CR and es_419 patterns have none)."""
        pattern = Locale.parse(self.locale).percent_formats[None].pattern.replace("#,##0", "#,##0.00", 1)
        if self.code == "es" and "\xa0%" not in pattern:
            pattern = pattern.replace("%", "\xa0%")
        share = Decimal(str(value)) / 100
        return format_percent(share, format=pattern, locale=self.locale, decimal_quantization=True)

    def day(self, day: dt.date) -> str:
        """A receipt's date as the report prints it: 23/02/2012."""
        return format_date(day, "dd/MM/yyyy", locale=self.locale)

    def long_date(self, day: dt.date) -> str:
        """'October 31, 2012' / '31 de octubre de 2012'."""
        return format_date(day, "long", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """The month's name as the language writes it in a sentence: 'October' / 'octubre'."""
        return format_date(day, "LLLL", locale=self.locale)

    def month_year(self, day: dt.date) -> str:
        return self._("{month} {year}", month=self.month(day), year=day.year)

    def month_span(self, start: dt.date, end: dt.date) -> str:
        """'January – October 2012' (one year) or 'July 2003 – October 2012'."""
        if start.year == end.year:
            return self._("{start} – {end}", start=self.month(start), end=self.month_year(end))
        return self._("{start} – {end}", start=self.month_year(start), end=self.month_year(end))

    def day_span(self, start: dt.date, end: dt.date) -> str:
        """The dates of an activity: 'August 28 – 29, 2012', 'September 3, 2012'."""
        if start == end:
            return self.long_date(start)
        if (start.year, start.month) == (end.year, end.month):
            return self._("{month} {first} – {last}, {year}", month=self.month(start), first=start.day,
                          last=end.day, year=start.year)
        return self._("{start} – {end}", start=self.long_date(start), end=self.long_date(end))


def language(code: str, locale: str | None = None) -> Lang:
    """The language ``code`` ('en' or 'es'); English needs no catalog (its texts are the messages). ``locale``:
    the Babel locale of its numbers and dates (`check_locale`), else the language's default (`LOCALES`)."""
    if code not in LOCALES:
        raise LanguageError(f"no document language {code!r}; the languages are {', '.join(LANGUAGES)}")
    locale = locale or LOCALES[code]
    if code == "en":
        return Lang(code, locale, gettext.NullTranslations())
    catalog = Translations.load(str(LOCALE_DIR), [code], DOMAIN)
    if not isinstance(catalog, Translations):  # Babel returns NullTranslations when the .mo is missing
        raise LanguageError(f"the {code!r} catalog is missing from {LOCALE_DIR}: run python -m dev.catalog")
    return Lang(code, locale, catalog)


def check_locale(text: str) -> str:
    """A Babel locale name for a document language ('es_CR', 'es-MX', 'en_GB'), normalised ('es_MX');
    `LanguageError` when Babel does not know it or its language is not a document language."""
    from babel import UnknownLocaleError

    try:
        parsed = Locale.parse(text.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise LanguageError(f"{text!r} is not a locale Babel knows (e.g. es_CR, es_MX, en_US)") from None
    if parsed.language not in LOCALES:
        raise LanguageError(f"{text!r}: its language is not one of the document's ({', '.join(LANGUAGES)})")
    return str(parsed)


# Names the catalog translates (context "country"): the RCM's members and donors as the reference workbook spells
# them. A name not listed falls back to Babel's territory names, then to the name as given.
NAMES = (
    NP_("country", "Belize"), NP_("country", "Canada"), NP_("country", "Costa Rica"),
    NP_("country", "Dominican Republic"), NP_("country", "El Salvador"), NP_("country", "Guatemala"),
    NP_("country", "Honduras"), NP_("country", "Mexico"), NP_("country", "Nicaragua"), NP_("country", "Panama"),
    NP_("country", "United States"), NP_("country", "European Union"),
)
