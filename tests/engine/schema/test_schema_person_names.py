"""People's names the value classifier reads as places: gazetteers, e-mails, birth dates."""

from __future__ import annotations

import numpy as np

from cleara.engine.schema.detect import detect_schema
from cleara.engine.schema.features import column_features
from cleara.engine.schema.header_model import header_evidence
from cleara.engine.schema.person_names import apply_person_names
from cleara.engine.schema.types import SEMANTIC_TYPES

RUSSIAN = [
    ("Ivan Petrov", "ivan.petrov"), ("Ольга Кузнецова", "okuznetsova"),
    ("Sergei Smirnov", "smirnov71"), ("Анна Волкова", "anna.volkova"),
    ("Dmitry Sokolov", "dsokolov"), ("Μαγδαληνή Φαρμάκη", "magdalini.farmaki"),
    ("王小明", "xiaoming.wang"), ("Aleksei Morozov", "morozov"),
    ("Наталья Лебедева", "nlebedeva"), ("Pavel Kozlov", "pavel.kozlov"),
    ("Елена Новикова", "novikova88"), ("Mikhail Popov", "mpopov"),
]  # fmt: skip
CITIES = ["Moscow", "Kazan", "Samara", "Athens", "Beijing", "Novosibirsk"]


def _contacts(with_email: bool = True, with_birth: bool = False) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, (name, user) in enumerate(RUSSIAN * 3):
        row: dict[str, object] = {"name": name, "city": CITIES[i % len(CITIES)]}
        if with_email:
            row["email"] = f"{user}@mail.ru"
        if with_birth:
            row["birth_date"] = f"19{60 + i % 30}-0{1 + i % 9}-1{i % 10}"
        rows.append(row)
    return rows


def _type(rows: list[dict[str, object]], column: str = "name") -> str:
    return next(c.type for c in detect_schema(rows).columns if c.name == column)


def test_names_whose_email_addresses_spell_them_are_people() -> None:
    assert _type(_contacts()) == "full_name"


def test_names_beside_a_birth_date_are_people() -> None:
    assert _type(_contacts(with_email=False, with_birth=True)) == "full_name"


def test_a_name_column_of_known_places_stays_places() -> None:
    rows = [{"name": city, "population": 1000 + i} for i, city in enumerate(CITIES * 3)]
    assert _type(rows) == "city"


def test_companies_with_their_name_in_the_email_stay_companies() -> None:
    companies = [
        "Acme Plumbing LLC", "Wells Systems Inc.", "Trivo Software Ltd",
        "Northwind Traders GmbH", "Blue Harbor Logistics Inc.", "Greenfield Farms LLC",
    ]  # fmt: skip
    rows = [
        {"name": name, "email": name.split()[0].lower() + "@gmail.com"} for name in companies * 3
    ]
    assert _type(rows) == "company"


def test_place_types_lose_only_under_a_header_that_can_name_a_person() -> None:
    names = [name for name, _ in RUSSIAN]
    features = np.array([column_features(names)] * 2)
    city_first = np.full(len(SEMANTIC_TYPES), 0.1 / (len(SEMANTIC_TYPES) - 1))
    city_first[SEMANTIC_TYPES.index("city")] = 0.9
    headers = header_evidence(["name", None], use_embeddings=False)
    notes: list[list[str]] = [[], []]
    named, bare = apply_person_names([city_first] * 2, features, headers, [names] * 2, notes)
    city = SEMANTIC_TYPES.index("city")
    assert named[city] < 0.2
    assert "known places" in notes[0][0]
    assert bare[city] == 0.9
    assert notes[1] == []


def test_too_few_rows_with_an_email_do_not_judge() -> None:
    rows = _contacts()[:5]
    names = [r["name"] for r in rows]
    emails = [r["email"] for r in rows]
    probs = np.full(len(SEMANTIC_TYPES), 1.0 / len(SEMANTIC_TYPES))
    headers = header_evidence(["client", "email"], use_embeddings=False)
    features = np.array([column_features(names), column_features(emails)])
    notes: list[list[str]] = [[], []]
    adjusted = apply_person_names([probs, probs], features, headers, [names, emails], notes)
    full_name = SEMANTIC_TYPES.index("full_name")
    # The gazetteer check moved it; the e-mail check (5 rows < 10) did not multiply it.
    assert adjusted[0][full_name] < 0.1


def test_a_second_email_column_judges_when_the_first_has_too_few_addresses() -> None:
    rows = [
        {"name": row["name"], "city": row["city"],
         "email": "x@corp.example" if i < 3 else None,  # three addresses: no judgement
         "work_email": row["email"]}
        for i, row in enumerate(_contacts())
    ]  # fmt: skip
    assert _type(rows) == "full_name"


def test_names_by_their_form_in_their_own_script_are_people() -> None:
    # No e-mail, birth date or gender to tell: a mixed list's names read as companies before.
    rows = [
        {"name": name, "phone": f"+7 912 555 {1000 + i}", "city": CITIES[i % len(CITIES)]}
        for i, (name, _) in enumerate(RUSSIAN * 3)
    ]
    rows += [
        {"name": name, "phone": f"+86 138 0013 {8000 + i}", "city": "Beijing"}
        for i, name in enumerate(["李娜", "张伟", "陈静", "刘洋", "黄磊", "赵敏"] * 2)
    ]
    assert _type(rows) == "full_name"


def test_company_names_in_chinese_and_cyrillic_are_not_read_as_people() -> None:
    companies = [
        "华为技术有限公司", "阿里巴巴集团控股有限公司", "中国石油天然气股份有限公司",
        "腾讯控股有限公司", "ООО Ромашка", "Газпром", "Сбербанк России", "АО Северсталь",
    ]  # fmt: skip
    rows = [{"name": name, "city": CITIES[i % len(CITIES)]} for i, name in enumerate(companies * 3)]
    assert _type(rows) not in ("full_name", "first_name", "last_name", "middle_name")


def test_japanese_names_in_kanji_are_people() -> None:
    names = [
        "佐藤 花子", "鈴木 一郎", "高橋 直樹", "田中 太郎", "渡辺 美咲", "伊藤 健",
        "山本 裕子", "中村 翔太", "小林 恵", "加藤 大輔", "吉田 真由美", "佐々木 健太",
    ]  # fmt: skip
    rows = [
        {"name": name, "phone": f"+81 3 5555 {1000 + i}", "city": "Tokyo"}
        for i, name in enumerate(names * 2)
    ]
    assert _type(rows) == "full_name"
