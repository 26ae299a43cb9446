"""Columnar comparison form: fillers that stand for unknown values."""

from __future__ import annotations

from collections.abc import Sequence

from cleara.engine.dedupe.data import build_dataset, encode_field, placeholder_values
from cleara.engine.dedupe.fields import FieldSpec, normalize_values

SPECS = [
    FieldSpec("first_name", "name", "first_name"),
    FieldSpec("email", "email", "email"),
    FieldSpec("dob", "date", "date_of_birth"),
    FieldSpec("city", "text", "city"),
]
PHONE = FieldSpec("phone", "phone", "phone")
STREET = FieldSpec("street", "text", "street_address")


def _fillers(
    columns: Sequence[Sequence[str | None]], specs: list[FieldSpec] = SPECS
) -> list[list[str]]:
    fields = [encode_field(s, c, embed=False) for s, c in zip(specs, columns, strict=True)]
    return placeholder_values(fields)


def test_a_filler_many_different_people_hold_is_a_placeholder() -> None:
    names = [f"person {n}" for n in range(100)]
    emails = ["none@none.com" if n % 4 == 0 else f"p{n}@mail.com" for n in range(100)]
    dobs = [
        "1900-01-01" if n % 5 == 0 else f"19{50 + n % 40}-01-{1 + n % 28:02d}" for n in range(100)
    ]
    cities = ["boston"] * 100  # a shared city is no filler: not a type that identifies people
    assert _fillers([names, emails, dobs, cities]) == [[], ["none@none.com"], ["1900-01-01"], []]


def test_one_customer_entered_many_times_is_no_placeholder() -> None:
    names = ["ann lee"] * 30 + [f"person {n}" for n in range(70)]
    emails = ["ann@lee.com"] * 30 + [f"p{n}@mail.com" for n in range(70)]
    assert _fillers([names, emails, [None] * 100, [None] * 100]) == [[], [], [], []]


def test_no_placeholders_without_names_or_below_ten_records_or_at_common_counts() -> None:
    emails = ["shared@mail.com"] * 40 + [f"p{n}@mail.com" for n in range(60)]
    nothing: list[str | None] = [None] * 100
    assert _fillers([emails, nothing, nothing], SPECS[1:]) == [[], [], []]
    names = [f"person {n}" for n in range(100)]
    nine = ["shared@mail.com"] * 9 + [f"p{n}@mail.com" for n in range(91)]
    assert _fillers([names, nine, nothing, nothing])[1] == []
    # 100 birth dates held by 10 people each: none is far above the common count
    dates = [f"1980-01-{1 + n % 10:02d}" for n in range(100)]
    assert _fillers([names, nothing, dates, nothing])[2] == []


def test_the_dataset_reads_fillers_as_missing_and_marks_their_records() -> None:
    rows = [
        {"first_name": f"Person{n}", "email": "none@none.com" if n % 4 == 0 else f"p{n}@mail.com"}
        for n in range(100)
    ]
    data = build_dataset(SPECS[:2], rows, list(range(100)))
    email = data.fields[1]
    assert email.placeholders == ["none@none.com"]
    assert "none@none.com" not in email.uniques
    assert email.filler_rows is not None
    assert email.filler_rows.tolist() == [n % 4 == 0 for n in range(100)]
    assert (email.codes[email.filler_rows] == -1).all()
    assert email.non_null == 75


def test_known_fillers_are_placeholders_however_few_and_without_names() -> None:
    emails = ["noemail@gmail.com", "x@x.com", "ann.lee@mail.com", "jo@jo-art.com", None]
    dobs = ["1900-01-01", "1970-01-01", "1989-06-01", None, None]
    firsts = ["test", "ann", "john doe", None, None]
    phones = ["+12025550142", "2025550142", "2079460123", "+442079460123", "0000000000"]
    streets = normalize_values(STREET, ["No fixed abode", "Street address", "9 Elm St", "", ""])
    specs = [SPECS[1], SPECS[2], FieldSpec("name", "name", "full_name"), PHONE, STREET]
    assert _fillers([emails, dobs, firsts, phones, streets], specs) == [
        ["noemail@gmail.com", "x@x.com"],
        ["1900-01-01"],
        ["john doe", "test"],
        ["+12025550142", "+442079460123", "0000000000"],  # fictional ones keep their `+`
        ["st address", "unit fixed abode"],  # street words in their one spelling
    ]


def test_without_names_other_identifying_fields_tell_people_apart() -> None:
    emails = ["office@acme.com" if n % 4 == 0 else f"p{n}@mail.com" for n in range(100)]
    phones = [f"415555{2000 + n}" for n in range(100)]
    assert _fillers([emails, phones], [SPECS[1], PHONE]) == [["office@acme.com"], []]
    one_customer = [p if n % 4 else "4155550000" for n, p in enumerate(phones)]
    assert _fillers([emails, one_customer], [SPECS[1], PHONE]) == [[], []]
