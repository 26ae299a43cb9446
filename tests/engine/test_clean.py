"""Table cleaning: types from headers or schema, column inference, change log, checks."""

from __future__ import annotations

import pandas as pd
import pytest

from cleara.engine.clean import CleanOptions, TableCleaner, clean
from cleara.engine.table import InputError

MESSY = [
    {
        "Full Name": "SMITH, JOHN",
        "E-mail": " John.Smith@Example.COM ",
        "Tel.": "(415) 555-2671",
        "DOB": "03/04/2021",
        "Country": "usa",
        "Zip": "2134",
        "State": "Massachusetts",
    },
    {
        "Full Name": "mary o'brien",
        "E-mail": "N/A",
        "Tel.": "020 7946 0958",
        "DOB": "13/04/2021",
        "Country": "United Kingdom",
        "Zip": "SW1A1AA",
        "State": None,
    },
]


def _change(result, row, column):
    return next(c for c in result.changes if c.row == row and c.column == column)


def test_clean_normalizes_every_typed_column_and_logs_each_change():
    result = clean(MESSY)
    first, second = result.records
    assert first["Full Name"] == "John Smith"
    assert first["E-mail"] == "John.Smith@example.com"
    assert first["Tel."] == "+14155552671"
    assert first["Country"] == "US"
    assert first["Zip"] == "02134"
    assert first["State"] == "MA"
    assert second["Tel."] == "+442079460958"  # region from the record's own country column
    assert second["E-mail"] is None
    assert second["Zip"] == "SW1A 1AA"
    change = _change(result, 0, "Tel.")
    assert change.before == "(415) 555-2671"
    assert change.after == "+14155552671"
    assert change.rule.startswith("phone.")
    assert _change(result, 1, "E-mail").rule == "null_token"


def test_day_first_is_decided_for_the_whole_column():
    result = clean(MESSY)
    assert result.records[0]["DOB"] == "2021-04-03"  # 13/04 elsewhere proves day-first
    summary = next(s for s in result.summary if s.column == "DOB")
    assert summary.inferred["dayfirst"] is True


def test_month_first_column_reads_the_same_text_differently():
    rows = [{"date": "03/04/2021"}, {"date": "04/13/2021"}]
    assert clean(rows).records[0]["date"] == "2021-03-04"


def test_street_lines_are_standardized_without_asking_for_a_city():
    rows = [
        {"Street": "2009 w. 6th street", "City": "Los Angeles", "Zip": "90057"},
        {"Street": "3100 ROSECRANS AVENUE", "City": "Hawthorne", "Zip": "90250"},
    ]
    result = clean(rows, schema={"Street": "street_address"})
    assert [r["Street"] for r in result.records] == ["2009 W 6th St", "3100 Rosecrans Ave"]
    summary = next(s for s in result.summary if s.column == "Street")
    assert (summary.cleaner, summary.inferred) == ("address", {"street_lines": True})
    assert not [p for p in result.problems if p.column == "Street"]


def test_schema_overrides_headers_and_unknown_headers_stay_text():
    rows = [{"col1": " a@B.com ", "col2": "  some   text "}]
    result = clean(rows, schema={"col1": "email"})
    assert result.records[0] == {"col1": "a@b.com", "col2": "some text"}
    kinds = {s.column: (s.type, s.type_source) for s in result.summary}
    assert kinds == {"col1": ("email", "schema"), "col2": ("text", "default")}


def test_only_selected_columns_are_touched():
    rows = [{"email": " A@B.COM ", "phone": "(415) 555-2671"}]
    result = clean(rows, columns=["email"], country="US")
    assert result.records[0] == {"email": "A@b.com", "phone": "(415) 555-2671"}


def test_invalid_values_are_kept_or_nulled_on_request():
    rows = [{"email": "not an email"}]
    kept = clean(rows)
    assert kept.records[0]["email"] == "not an email"
    assert [p.code for p in kept.problems] == ["email_invalid"]
    assert kept.summary[0].invalid == 1
    nulled = clean(rows, invalid="null")
    assert nulled.records[0]["email"] is None
    assert nulled.changes[0].rule == "invalid_to_null"


def test_fillers_are_reported_and_nulled_on_request():
    rows = [
        {"name": "Test Test", "email": "noemail@gmail.com", "dob": "01/01/1900",
         "address": "No fixed abode", "phone": "000-000-0000"},
        {"name": "Ann Lee", "email": "ann.lee@gmail.com", "dob": "1989-06-01",
         "address": "12 Main St, Boston, MA 02108", "phone": "(415) 555-2671"},
    ]  # fmt: skip
    kept = clean(rows)
    assert kept.records[0] == {
        "name": "Test Test",
        "email": "noemail@gmail.com",
        "dob": "1900-01-01",
        "address": "No fixed abode",
        "phone": "000-000-0000",  # no number: kept as it was
    }
    assert [(p.row, p.column, p.code) for p in kept.problems] == [
        (0, "name", "name_placeholder"),
        (0, "email", "email_placeholder"),
        (0, "dob", "date_placeholder"),
        (0, "address", "address_placeholder"),
        (0, "phone", "phone_placeholder"),
    ]
    nulled = clean(rows, placeholders="null")
    assert set(nulled.records[0].values()) == {None}
    assert nulled.records[1] == kept.records[1]
    assert {(c.column, c.rule) for c in nulled.changes if c.row == 0} == {
        (column, "placeholder_to_null") for column in ("name", "email", "dob", "address", "phone")
    }
    assert nulled.summary[-1].invalid == 1  # still counted as no valid number
    assert [p.code for p in nulled.problems] == [p.code for p in kept.problems]


def test_zip_state_mismatch_is_reported_per_record():
    rows = [{"zip": "10001", "state": "CA", "country": "US"}]
    codes = [p.code for p in clean(rows).problems]
    assert "zip_state_mismatch" in codes


def test_phone_country_mismatch_is_reported():
    rows = [{"phone": "+44 20 7123 4567", "country": "US"}]
    problems = clean(rows).problems
    assert [(p.column, p.code) for p in problems] == [("phone", "phone_country_mismatch")]


def test_dataframe_in_dataframe_out():
    frame = pd.DataFrame({"email": [" X@Y.ORG ", None], "n": [1, 2]})
    result = clean(frame)
    out = result.to_dataframe()
    assert list(out.columns) == ["email", "n"]
    assert out["email"].tolist()[0] == "X@y.org"


def test_numbers_keep_their_type_when_unchanged():
    result = clean([{"amount": 12}, {"amount": "12"}], schema={"amount": "number"})
    assert result.records == [{"amount": 12}, {"amount": "12"}]
    assert result.changes == []


def test_chunks_share_column_decisions_and_row_numbers():
    rows = [{"date": "13/04/2021"}, {"date": "03/04/2021"}]
    cleaner = TableCleaner(["date"], options=CleanOptions()).fit(rows)
    second = cleaner.clean_rows(rows[1:], start=1)
    assert second.rows == [{"date": "2021-04-03"}]
    assert second.changes[0].row == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schema": {"missing": "email"}}, "schema names columns"),
        ({"schema": {"email": "colour"}}, "unknown type"),
        ({"columns": ["nope"]}, "options.columns"),
    ],
)
def test_bad_requests_name_the_problem(kwargs, message):
    with pytest.raises(InputError, match=message):
        clean([{"email": "a@b.com"}], **kwargs)


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="unknown clean options"):
        clean([{"a": 1}], colour="red")


def test_empty_input_gives_empty_output():
    result = clean([])
    assert result.records == []
    assert result.columns == []


def test_headerless_columns_are_typed_from_their_values():
    rows = [
        {"col1": f" User{i}@Example.com", "col2": f"+1 415 {230 + i} {1000 + 37 * i}"}
        for i in range(20)
    ]
    result = clean(rows)
    kinds = {s.column: (s.cleaner, s.type_source) for s in result.summary}
    assert kinds["col1"] == ("email", "detected")
    assert kinds["col2"] == ("phone", "detected")
    assert result.records[0] == {"col1": "User0@example.com", "col2": "+14152301000"}


def test_a_few_values_never_change_how_an_unnamed_column_is_cleaned():
    result = clean([{"b": "x"}])
    assert result.records == [{"b": "x"}]
    assert result.summary[0].type_source == "default"


def test_a_failing_detector_falls_back_to_headers(monkeypatch, caplog):
    from cleara.engine.schema import detect

    def broken(*_args, **_kwargs):
        raise RuntimeError("model file damaged")

    monkeypatch.setattr(detect, "detect_column_types", broken)
    rows = [{"col1": f"user{i}@example.com", "email": " A@B.COM "} for i in range(10)]
    result = clean(rows)
    kinds = {s.column: s.type_source for s in result.summary}
    assert kinds == {"col1": "default", "email": "header"}
    assert result.records[0]["email"] == "A@b.com"
    assert "schema detection failed" in caplog.text


def _people_sharing(value: str, every: int, column: str = "email") -> list[dict[str, str]]:
    """300 people; every `every`-th holds `value` in `column`, the others their own."""
    own = {"email": "p{n}@mail.com", "phone": "+1 415 555 {n:04d}", "dob": "19{y}-03-1{d}"}
    rows = []
    for n in range(300):
        mine = own[column].format(n=2000 + n, y=50 + n % 40, d=n % 9)
        row = {"first_name": f"Ann{n}", "last_name": "Lee", column: mine}
        row[column] = value if n % every == 0 else mine
        rows.append(row)
    return rows


def test_values_many_different_people_hold_are_reported_as_fillers():
    rows = _people_sharing("+1 (212) 555-1234", 5, "phone")
    rows[5]["phone"] = "212.555.1234"  # another spelling of the same number
    result = clean(rows)
    summary = {s.column: s for s in result.summary}
    assert summary["phone"].inferred["fillers"] == ["+1 (212) 555-1234"]
    flagged = [p.row for p in result.problems if p.code == "phone_placeholder"]
    assert flagged == list(range(0, 300, 5))
    assert summary["phone"].issues["phone_placeholder"] == 60
    nulled = clean(rows, placeholders="null")
    assert [r["phone"] for r in nulled.records[:2]] == [None, "+14155552001"]
    assert nulled.records[5]["phone"] is None


def test_one_person_entered_many_times_or_a_table_without_names_has_no_filler():
    rows = _people_sharing("ann@lee.com", 5)
    for row in rows[::5]:
        row["first_name"] = "Ann"  # the same person each time
    assert "fillers" not in {s.column: s for s in clean(rows).summary}["email"].inferred
    nameless = [{"email": r["email"]} for r in _people_sharing("x1@mail.com", 5)]
    assert not [p for p in clean(nameless).problems if p.code == "email_placeholder"]


def test_without_names_the_other_identifying_columns_tell_people_apart():
    rows = [
        {"email": r["email"], "phone": f"+1 415 555 {2000 + n:04d}"}
        for n, r in enumerate(_people_sharing("x1@mail.com", 5))
    ]
    summary = {s.column: s for s in clean(rows).summary}
    assert summary["email"].inferred["fillers"] == ["x1@mail.com"]  # 60 different phones
    for row in rows[::5]:
        row["phone"] = "+1 415 555 0000"  # one customer entered 60 times
    assert "fillers" not in {s.column: s for s in clean(rows).summary}["email"].inferred


def test_a_known_filler_is_reported_once():
    rows = _people_sharing("01/01/1900", 5, "dob")
    problems = [p for p in clean(rows).problems if p.row == 0 and p.column == "dob"]
    assert [p.code for p in problems] == ["date_placeholder"]
    assert "1900-01-01 is a common default" in problems[0].message
