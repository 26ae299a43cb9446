"""Synthetic training columns."""

from __future__ import annotations

import random

from cleara.engine.schema.header_variants import header_variant
from cleara.engine.schema.synth import GENERATORS, LOCALES, corrupt, generate_columns
from cleara.engine.schema.types import SEMANTIC_TYPES


def test_a_generator_per_type_and_ten_locales() -> None:
    assert set(GENERATORS) == set(SEMANTIC_TYPES)
    assert len(LOCALES) >= 10


def test_generation_is_reproducible_from_the_seed() -> None:
    first = generate_columns(7, 1, ("email", "date", "postal_code"))
    second = generate_columns(7, 1, ("email", "date", "postal_code"))
    assert [c.values for c in first] == [c.values for c in second]
    assert [c.type for c in first] == ["email", "date", "postal_code"]


def test_generation_does_not_depend_on_the_time_it_runs() -> None:
    """Austrian social security numbers embed a birth date Faker draws relative to now."""
    import datetime as dt
    from unittest import mock

    import faker.providers.date_time as faker_dates

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls(2031, 3, 3, 17, 45, tzinfo=tz)

    locales = LOCALES.index("de_AT") + 1  # columns cycle through the locales in order
    now = generate_columns(5, locales, ("national_id", "email"))
    with mock.patch.object(faker_dates, "datetime", Later):
        assert faker_dates.datetime.now().year == 2031
        later = generate_columns(5, locales, ("national_id", "email"))
    assert [c.values for c in later] == [c.values for c in now]


def test_editing_the_synonym_lists_changes_headers_only() -> None:
    """Headers draw from their own random stream: values stay as they were."""
    from unittest import mock

    import cleara.engine.schema.header_variants as variants

    types = ("email", "street_address", "city", "company")
    before = generate_columns(3, 6, types)
    edited = {t: ("edited", *names[:1]) for t, names in variants.synonyms().items()}
    with mock.patch.object(variants, "synonyms", return_value=edited):
        after = generate_columns(3, 6, types)
    assert [c.values for c in after] == [c.values for c in before]
    assert [c.header for c in after] != [c.header for c in before]


def test_changing_one_generator_leaves_the_other_columns_as_they_were() -> None:
    from unittest import mock

    import cleara.engine.schema.synth as synth

    types = ("email", "date", "city", "company")
    before = generate_columns(4, 8, types)
    generators = {**synth.GENERATORS, "date": lambda fk, rng, n: ["2001-01-01"] * n}
    with mock.patch.object(synth, "GENERATORS", generators):
        after = generate_columns(4, 8, types)
    for old, new in zip(before, after, strict=True):
        if new.type == "date":
            assert new.values != old.values
            continue
        differing = [(a, b) for a, b in zip(old.values, new.values, strict=True) if a != b]
        assert all(b == "2001-01-01" for _, b in differing)  # only a date's wrong-column values


def test_corruption_adds_nulls_and_keeps_length() -> None:
    rng = random.Random(3)
    values = ["alpha"] * 400
    noisy = corrupt(values, rng, ["zzz"], strength=1.5)
    assert len(noisy) == 400
    assert noisy != values


def test_header_variants_include_headerless() -> None:
    rng = random.Random(1)
    headers = [header_variant("email", rng) for _ in range(200)]
    assert "" in headers
    assert any("mail" in h.lower() for h in headers)
    # phrases that only a sentence embedding reads well: `email of the customer`
    assert any("of" in h.lower().replace("_", " ").split() or "'s" in h for h in headers)


def test_real_phone_numbers_are_valid_in_their_region() -> None:
    import random

    import phonenumbers

    from cleara.engine.schema.synth import _real_phones

    for region in ("US", "DE", "FR", "BR"):
        for text in _real_phones(region, random.Random(1), 20):
            number = phonenumbers.parse(text, region)
            assert phonenumbers.is_valid_number(number), (region, text)


def test_us_postal_codes_keep_leading_zeros_and_exist() -> None:
    import random

    import zipcodes

    from cleara.engine.schema.synth import _gen_postal, faker_for

    fk = faker_for("en_US", 3)
    rng = random.Random(3)
    values = [v for _ in range(12) for v in _gen_postal(fk, rng, 30)]
    assert all(len(v.split("-")[0]) == 5 for v in values)
    assert any(zipcodes.is_real(v) for v in values)


def test_real_world_value_styles() -> None:
    from cleara.engine.schema.features import column_features, feature_names
    from cleara.engine.schema.synth import repeated, shortest_float

    rng = random.Random(5)
    values = [f"v{i}" for i in range(100)]
    pooled = repeated(values, rng)
    assert len(pooled) == 100
    assert len(set(pooled)) <= 25
    assert shortest_float(27.0, 3) == "27.0"
    assert shortest_float(48.866671, 5) == "48.86667"
    columns = generate_columns(11, 6, ("city", "company", "categorical", "county"))
    assert {c.type for c in columns} == {"city", "company", "categorical", "county"}
    names = feature_names()
    gazetteer = names.index("gaz_city_names")
    city_hits = [column_features(c.values)[gazetteer] for c in columns if c.type == "city"]
    assert max(city_hits) > 0.8  # some city columns hold real place names


def test_iso_numeric_codes_are_identifiers() -> None:
    from cleara.engine.schema.synth import _iso_numeric_codes

    countries, currencies = _iso_numeric_codes()
    assert "276" in countries
    assert "978" in currencies


def test_event_dates_cover_past_eras_and_period_series() -> None:
    """Event dates are not all recent: some columns hold one past era (a riot's days, a
    decade of records), unlike birth dates, which span a lifetime; some date a series by
    its month or year (`1975-01-01`)."""
    import re
    from datetime import date

    from faker import Faker

    from cleara.engine.schema.synth import _dates

    fk = Faker()
    short_past_eras = 0
    for seed in range(300):
        values = GENERATORS["date"](fk, random.Random(seed), 40)
        years = [int(m.group(0)) for v in values if (m := re.search(r"\d{4}", v))]
        if len(years) == len(values) and max(years) < 2015 and max(years) - min(years) <= 1:
            short_past_eras += 1
    assert short_past_eras >= 15
    monthly = _dates(fk, random.Random(1), 50, date(2000, 1, 1), date(2010, 1, 1), "month")
    yearly = _dates(fk, random.Random(1), 50, date(2000, 1, 1), date(2010, 1, 1), "year")
    assert len(set(monthly)) > len(set(yearly)) > 1
    assert len(set(yearly)) <= 10


def _styles(type_name: str) -> list[list[str]]:
    from faker import Faker

    fk = Faker()
    return [GENERATORS[type_name](fk, random.Random(seed), 60) for seed in range(80)]


def _is_whole_amount(value: str) -> bool:
    return value.lstrip("$€¥£").replace(",", "").isdigit()


def _minority_share(column: list[str]) -> float:
    return min(column.count(v) for v in set(column)) / len(column)


def test_money_flags_and_times_in_the_forms_real_tables_use() -> None:
    """Whole-unit amounts (`52000`), rare-event flags and HHMM clock times are among the
    generated styles."""
    assert any(all(_is_whole_amount(v) for v in c) for c in _styles("currency_amount"))
    flags = [c for c in _styles("boolean") if len(set(c)) == 2]
    assert any(_minority_share(c) <= 0.1 for c in flags)
    clocks = [c for c in _styles("time") if all(v.removesuffix(".0").isdigit() for v in c)]
    assert clocks
    for column in clocks:
        times = [int(float(v)) for v in column]
        assert all(0 <= t <= 2359 and t % 100 < 60 for t in times)
