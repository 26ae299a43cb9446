"""Synthetic people of one contact list written in two scripts, with known duplicates.

    python -m bench.script_data 5000 mixed_scripts.csv

A list merged from offices in Russia, Greece and China: each person's name is written in
Cyrillic, Greek or Chinese characters in one record and in Latin letters in another, as two
systems typed it. Latin spellings follow the schemes people use, which are not one
standard: Russian names by the passport scheme (ICAO: `Юлия` -> `Iuliia`) or the common one
(`Yuliya`, `х` as `kh` or `h`), Greek names by ELOT 743 (`ου` -> `ou`, `η` -> `i`), Chinese
names in pinyin, family name first or last. Russian records may put the family name first
and add a patronymic (`Петров Иван Сергеевич`). Names come from Faker's ru_RU, el_GR and
zh_CN locales; the pinyin of Chinese names from AnyAscii (so Chinese pairs test word order
and spacing, not the reading itself). Each entity gets 1 record, or 2-3 with probability
`dup_rate`; a copy keeps its e-mail, phone, city and birth date, or loses or changes them.
Namesakes are common (`Иван Иванов`). The `entity_id` column is the truth.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path
from typing import Any

from anyascii import anyascii
from faker import Faker

_CYRILLIC_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_CYRILLIC_PASSPORT = {
    **_CYRILLIC_COMMON, "й": "i", "ъ": "ie", "ю": "iu", "я": "ia",
}  # fmt: skip
_CYRILLIC_INFORMAL = {**_CYRILLIC_COMMON, "х": "h", "ё": "yo", "ий": "y"}
_GREEK = {
    "ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "μπ": "b", "ντ": "d", "γκ": "g",
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    "ά": "a", "έ": "e", "ή": "i", "ί": "i", "ό": "o", "ύ": "y", "ώ": "o", "ϊ": "i", "ΐ": "i",
}  # fmt: skip
_CITIES = {
    "ru": ["Moscow", "Saint Petersburg", "Novosibirsk", "Yekaterinburg", "Kazan", "Samara"],
    "el": ["Athens", "Thessaloniki", "Patras", "Heraklion"],
    "zh": ["Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu"],
}
_NATIVE_CITIES = {
    "Moscow": "Москва", "Saint Petersburg": "Санкт-Петербург", "Novosibirsk": "Новосибирск",
    "Yekaterinburg": "Екатеринбург", "Kazan": "Казань", "Samara": "Самара",
    "Athens": "Αθήνα", "Thessaloniki": "Θεσσαλονίκη", "Patras": "Πάτρα",
    "Heraklion": "Ηράκλειο", "Beijing": "北京", "Shanghai": "上海", "Guangzhou": "广州",
    "Shenzhen": "深圳", "Chengdu": "成都",
}  # fmt: skip
_DOMAINS = {
    "ru": ["mail.ru", "yandex.ru", "gmail.com"],
    "el": ["gmail.com", "otenet.gr", "yahoo.gr"],
    "zh": ["qq.com", "163.com", "gmail.com"],
}
_CALLING = {"ru": ("+7", "9", 10), "el": ("+30", "69", 10), "zh": ("+86", "13", 11)}


def _by_table(text: str, table: dict[str, str]) -> str:
    """Letter by letter (two-letter keys first), capitalized as the text is."""
    out, i, lower = [], 0, text.lower()
    while i < len(lower):
        step = 2 if lower[i : i + 2] in table else 1
        out.append(table.get(lower[i : i + step], lower[i : i + step]))
        i += step
    word = "".join(out)
    return word.capitalize() if text[:1].isupper() else word


def _latin(person: dict[str, Any], rng: random.Random) -> dict[str, str]:
    """The person's given and family name in Latin letters, by a scheme people use."""
    if person["origin"] == "zh":
        return {"given": anyascii(person["given"]).capitalize(),
                "family": anyascii(person["family"]).capitalize()}  # fmt: skip
    table = (
        _GREEK
        if person["origin"] == "el"
        else rng.choice([_CYRILLIC_COMMON, _CYRILLIC_PASSPORT, _CYRILLIC_INFORMAL])
    )
    return {part: _by_table(person[part], table) for part in ("given", "family")}


def _person(fakers: dict[str, Faker], rng: random.Random, number: int) -> dict[str, Any]:
    origin = rng.choices(["ru", "el", "zh"], [0.7, 0.15, 0.15])[0]
    fake = fakers[origin]
    female = rng.random() < 0.5
    if origin == "zh":
        given, family = fake.first_name(), fake.last_name()
    elif female:
        given, family = fake.first_name_female(), fake.last_name_female()
    else:
        given, family = fake.first_name_male(), fake.last_name_male()
    patronymic = ""
    if origin == "ru":
        patronymic = fake.middle_name_female() if female else fake.middle_name_male()
    person: dict[str, Any] = {
        "entity_id": f"e{number}", "origin": origin, "given": given, "family": family,
        "patronymic": patronymic,
    }  # fmt: skip
    latin = _latin(person, rng)
    user = rng.choice([f"{latin['given']}.{latin['family']}",
                       f"{latin['given'][0]}{latin['family']}",
                       f"{latin['family']}{rng.randint(1, 99)}"]).lower()  # fmt: skip
    code, prefix, digits = _CALLING[origin]
    national = prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits - len(prefix)))
    person.update(
        email=f"{user}@{rng.choice(_DOMAINS[origin])}",
        phone=f"{code}{national}",
        city=rng.choice(_CITIES[origin]),
        birth=f"{rng.randint(1950, 2003)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )
    return person


def _name(person: dict[str, Any], rng: random.Random, *, native: bool) -> str:
    if native:
        given, family = person["given"], person["family"]
        if person["origin"] == "zh":
            return f"{family}{given}"
        if person["origin"] == "ru" and rng.random() < 0.5:
            if rng.random() < 0.5:
                return f"{family} {given} {person['patronymic']}"
            return f"{family} {given}"
        return f"{given} {family}"
    latin = _latin(person, rng)
    if rng.random() < 0.2:
        return f"{latin['family']} {latin['given']}"
    return f"{latin['given']} {latin['family']}"


def _phone(number: str, code: str, rng: random.Random) -> str:
    """The number as typed: E.164, grouped, or (in Russia) with the trunk prefix 8."""
    national, style = number[len(code) :], rng.random()
    if style < 0.4:
        return number
    if style < 0.7 or code != "+7":
        return f"{code} {national[:3]} {national[3:6]}-{national[6:8]}-{national[8:]}"
    return "8" + national


def _record(
    person: dict[str, Any],
    rng: random.Random,
    *,
    native: bool,
    copy: bool,
    native_cities: float = 0.0,
) -> dict[str, Any]:
    city = person["city"]
    row = {
        "entity_id": person["entity_id"],
        "name": _name(person, rng, native=native),
        "email": person["email"],
        "phone": _phone(person["phone"], _CALLING[person["origin"]][0], rng),
        "city": _NATIVE_CITIES[city] if native and _draw(rng, native_cities) else city,
        "birth_date": person["birth"],
    }
    if not copy:
        return row
    draw = rng.random()
    if draw < 0.25:
        row["email"] = None
    elif draw < 0.5:
        domain = rng.choice(_DOMAINS[person["origin"]])
        row["email"] = f"{person['email'].split('@')[0]}{rng.randint(1, 9)}@{domain}"
    if rng.random() < 0.25:
        row["phone"] = None
    if rng.random() < 0.1:
        row["city"] = rng.choice(_CITIES[person["origin"]])  # moved
    if rng.random() < 0.1:
        row["birth_date"] = None
    return row


def _draw(rng: random.Random, probability: float) -> bool:
    """True with the probability; no draw at 0, so the other columns stay as they were."""
    return probability > 0 and rng.random() < probability


def generate(
    count: int, seed: int = 1, dup_rate: float = 0.4, native_cities: float = 0.0
) -> list[dict[str, Any]]:
    """`count` entities; each duplicate copy is written in the other script. A record whose
    name is in its own script writes the city in it too with probability `native_cities`
    (`Москва`, `Θεσσαλονίκη`, `北京`)."""
    rng = random.Random(seed)
    fakers = {"ru": Faker("ru_RU"), "el": Faker("el_GR"), "zh": Faker("zh_CN")}
    for number, fake in enumerate(fakers.values()):
        fake.seed_instance(seed * 10 + number)
    rows: list[dict[str, Any]] = []
    taken: set[str] = set()
    for number in range(count):
        person = _person(fakers, rng, number)
        while person["email"] in taken:  # one address, one person
            user, _, domain = person["email"].partition("@")
            person["email"] = f"{user}{rng.randint(0, 9)}@{domain}"
        taken.add(person["email"])
        native = rng.random() < 0.5
        rows.append(_record(person, rng, native=native, copy=False, native_cities=native_cities))
        if rng.random() < dup_rate:
            for _ in range(rng.randint(1, 2)):
                rows.append(
                    _record(person, rng, native=not native, copy=True, native_cities=native_cities)
                )
    rng.shuffle(rows)
    return rows


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write(Path(sys.argv[2]), generate(int(sys.argv[1])))
