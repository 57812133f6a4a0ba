"""Who the report is from: the optional Organization sheet of the reference workbook (Field, Value, Value (es)),
so that another secretariat (the South American Conference's, say) builds its own report. A field the sheet does
not give is the RCM's, as its 2012 report states it (`init.published2012.ORGANIZATION`, which `init` pre-fills),
but for the periods' numbering (Table 4's "Seventh Regular Operation Period"), which only the sheet gives; a
Spanish text left empty prints the English one."""
from __future__ import annotations

from dataclasses import dataclass

from .. import schemas as S
from ..init.published2012 import ORGANIZATION as RCM
from ..inputs.values import normalize_name

O = S.Organization
FIELDS = tuple(field for field, _en, _es in RCM)


@dataclass(frozen=True)
class Organization:
    name: str
    acronym: str
    secretariat: str
    secretariat_acronym: str
    host: str
    scale_approval: str
    fund_approval: str
    first_period_number: str = ""  # the ordinal of the Periods sheet's first period ("2"): Table 4's headings

    @property
    def title(self) -> str:
        """'Regional Conference on Migration (RCM)'."""
        return f"{self.name} ({self.acronym})"

    @property
    def author(self) -> str:
        return f"{self.secretariat} – {self.title}"


ORDINALS = {
    "en": ("First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth Fourteenth "
           "Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth").split(),
    "es": ("Primer Segundo Tercer Cuarto Quinto Sexto Séptimo Octavo Noveno Décimo Undécimo Duodécimo Decimotercer "
           "Decimocuarto Decimoquinto Decimosexto Decimoséptimo Decimoctavo Decimonoveno Vigésimo").split(),
}


def ordinal(org: Organization, ref, period: str, lang: str) -> str | None:
    """'Seventh' for 2009 when the Organization sheet numbers the periods (First Period Number), else None (also
    past the twentieth, or when the number is not a whole number)."""
    try:
        first = int(org.first_period_number.strip())
    except ValueError:
        return None
    number = first + ref.period_labels.index(period)
    words = ORDINALS["es" if lang == "es" else "en"]
    return words[number - 1] if 1 <= number <= len(words) else None


def organization(ref, lang: str) -> Organization:
    """The texts in ``lang`` ('en' or 'es'): the sheet's where it gives them, else the RCM's."""
    texts = {normalize_name(field): (en, es) for field, en, es in RCM}
    texts[normalize_name("First Period Number")] = ("", "")  # the RCM's numbering fits the RCM's periods only
    frame = ref.organization
    for field, value, value_es in zip(frame[O.field], frame[O.value], frame[O.value_es]):
        key = normalize_name(field)
        if key in texts and str(value).strip():
            texts[key] = (str(value).strip(), str(value_es).strip() or str(value).strip())
    pick = 1 if lang == "es" else 0
    values = [texts[normalize_name(field)][pick] for field in FIELDS]
    return Organization(*values)
