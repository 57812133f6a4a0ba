"""Who the report is from: the optional Organization sheet of the reference workbook (Field, Value, Value (es)),
so that another secretariat (the South American Conference's, say) builds its own report. A field the sheet does
not give is the RCM's, as its 2012 report states it (`init.published2012.ORGANIZATION`, which `init` pre-fills);
a Spanish text left empty prints the English one."""
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

    @property
    def title(self) -> str:
        """'Regional Conference on Migration (RCM)'."""
        return f"{self.name} ({self.acronym})"

    @property
    def author(self) -> str:
        return f"{self.secretariat} – {self.title}"


def organization(ref, lang: str) -> Organization:
    """The texts in ``lang`` ('en' or 'es'): the sheet's where it gives them, else the RCM's."""
    texts = {normalize_name(field): (en, es) for field, en, es in RCM}
    frame = ref.organization
    for field, value, value_es in zip(frame[O.field], frame[O.value], frame[O.value_es]):
        key = normalize_name(field)
        if key in texts and str(value).strip():
            texts[key] = (str(value).strip(), str(value_es).strip() or str(value).strip())
    pick = 1 if lang == "es" else 0
    values = [texts[normalize_name(field)][pick] for field in FIELDS]
    return Organization(*values)
