"""Gender codes and words to one stable code: `M`, `F`, `X` or `U`.

* `M` male and `F` female (ISO/IEC 5218 codes 1 and 2 are accepted as input);
* `X` non-binary, diverse or another gender (the `X` of passports and the German `divers`);
* `U` explicitly not stated (`prefer not to say`, ISO/IEC 5218 codes 0 and 9).

Words and honorifics in English, Spanish, Portuguese, French, German, Italian and Dutch are
recognized (`man`, `Mrs`, `mujer`, `masculino`, `männlich`, `homme`, `femmina`, `vrouw`...).
Single letters follow the common English reading: `M` is male (not Spanish `mujer`), while
`H` (homme/hombre), `W` (weiblich) and `V` (vrouw) are read in their own languages.
Components: `label` (`male`, `female`, `other`, `not_stated`) and `iso5218` (1, 2, 9, 0 or
None for `X`). Unrecognized values are invalid with `gender_unknown`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import MappingProxyType

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, invalid

TYPE_NAME = "gender"
RULE = "gender.normalize"

LABELS = MappingProxyType({"M": "male", "F": "female", "X": "other", "U": "not_stated"})
_ISO_5218 = MappingProxyType({"M": 1, "F": 2, "U": 0})

_WORDS = MappingProxyType(
    {
        "M": (
            "m|male|males|man|men|boy|mr|mister|sir|masc|masculine|trans man|transman|"
            "trans male|ftm|1|♂|h|hombre|varón|varon|masculino|señor|sr|niño|homem|menino|"
            "homme|masculin|monsieur|garçon|männlich|maennlich|mannlich|mann|herr|junge|"
            "maschio|maschile|uomo|signore|mannelijk|jongen|meneer|dhr"
        ),
        "F": (
            "f|female|females|woman|women|girl|mrs|ms|miss|madam|lady|fem|feminine|"
            "trans woman|transwoman|trans female|mtf|2|♀|mujer|femenino|femenina|señora|"
            "sra|señorita|srta|niña|mulher|feminino|menina|femme|féminin|feminin|madame|"
            "mme|mademoiselle|mlle|fille|weiblich|w|frau|fräulein|mädchen|femmina|"
            "femminile|donna|signora|vrouw|v|vrouwelijk|meisje|mevrouw|mevr"
        ),
        "X": (
            "x|nb|enby|non binary|nonbinary|genderqueer|gender queer|agender|genderfluid|"
            "gender fluid|other|others|diverse|divers|d|intersex|mx|third gender|⚧|"
            "no binario|no binaria|otro|otra|não binário|nao binario|outro|non binaire|"
            "autre|nicht binär|andere|anderes|non binario|altro|non binair|anders"
        ),
        "U": (
            "u|unk|0|9|not stated|not specified|unspecified|undisclosed|not disclosed|"
            "prefer not to say|prefer not to answer|rather not say|declined|"
            "decline to state|declined to state|not known|not applicable|"
            "desconocido|no especificado|inconnu|non précisé|unbekannt|keine angabe|"
            "sconosciuto|onbekend|desconhecido"
        ),
    }
)
_SEPARATORS = re.compile(r"[\s_\-/]+")


def _key(text: str) -> str:
    """A lookup key: NFC, case-folded, trailing period dropped, separators as one space."""
    folded = unicodedata.normalize("NFC", text).casefold().strip().rstrip(".")
    return _SEPARATORS.sub(" ", folded).strip()


@lru_cache(maxsize=1)
def _lookup() -> MappingProxyType[str, str]:
    table: dict[str, str] = {}
    for code, words in _WORDS.items():
        for word in words.split("|"):
            table[_key(word)] = code
    return MappingProxyType(table)


def parse_gender(text: str) -> str | None:
    """The code (`M`, `F`, `X`, `U`) for a recognized gender value, else None."""
    return _lookup().get(_key(text))


def _validate_value(text: str, _options: FieldOptions) -> FieldResult:
    code = parse_gender(text)
    if code is None:
        return invalid(text, TYPE_NAME, "gender_unknown", f"{text!r} is not a recognized gender.")
    iso = 9 if code == "U" and _key(text) == "9" else _ISO_5218.get(code)
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=code,
        components={"label": LABELS[code], "iso5218": iso},
        rule=None if text == code else RULE,
    )


FIELD = FieldType(TYPE_NAME, _validate_value)
