"""Tests for the date and datetime fields: formats, column inference, impossible dates."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.base import FieldOptions, FieldResult, JsonScalar
from cleara.engine.fields.date import (
    DATETIME_FIELD,
    FIELD,
    DateColumnOptions,
    _fold,
    country_dayfirst,
    expand_year,
    infer_date_options,
    is_placeholder_day,
)


def codes(result: FieldResult) -> list[str]:
    return [issue.code for issue in result.issues]


def column_values(values: list[str], options: FieldOptions | None = None) -> list[JsonScalar]:
    return [result.value for result in FIELD.clean_column(values, options)]


@pytest.mark.parametrize(
    ("text", "expected", "fmt"),
    [
        ("2021-03-04", "2021-03-04", "%Y-%m-%d"),
        ("2021/3/4", "2021-03-04", "%Y/%m/%d"),
        ("20210304", "2021-03-04", "%Y%m%d"),
        ("13/04/2021", "2021-04-13", "%d/%m/%Y"),
        ("04/13/2021", "2021-04-13", "%m/%d/%Y"),
        ("25.12.2020", "2020-12-25", "%d.%m.%Y"),
        ("31-01-99", "1999-01-31", "%d-%m-%y"),
        ("12/31/05", "2005-12-31", "%m/%d/%y"),
        ("March 3rd, 2021", "2021-03-03", "%B %d %Y"),
        ("3 Mar 2021", "2021-03-03", "%d %b %Y"),
        ("04-Mar-21", "2021-03-04", "%d %b %y"),
        ("2021 Mar 04", "2021-03-04", "%Y %b %d"),
        ("12 de enero de 2020", "2020-01-12", "%d %B %Y"),
        ("3 März 2021", "2021-03-03", "%d %B %Y"),
        ("3 MAERZ 2021", None, None),
        ("1er janvier 2021", "2021-01-01", "%d %B %Y"),
        ("15 août 2021", "2021-08-15", "%d %B %Y"),
        ("1 de janeiro de 2021", "2021-01-01", "%d %B %Y"),
        ("5 dezembro 2019", "2019-12-05", "%d %B %Y"),
        ("3 marzo 2021", "2021-03-03", "%d %B %Y"),
        ("7 ottobre 2022", "2022-10-07", "%d %B %Y"),
        ("21 maart 2021", "2021-03-21", "%d %B %Y"),
        ("1 mei 2020", "2020-05-01", "%d %B %Y"),
        ("Monday, March 1, 2021", "2021-03-01", "%B %d %Y"),
        ("Thu, 04 Mar 2021 10:00:00 GMT", "2021-03-04", "%d %b %Y %H:%M:%S%z"),
        ("Donnerstag, 4. März 2021", "2021-03-04", "%d %B %Y"),
        ("segunda-feira, 1 de março de 2021", "2021-03-01", "%d %B %Y"),
        ("Sunday the 1st of March, 2021 at noon", "2021-03-01", "dateparser"),
        ("44197", "2021-01-01", "excel_serial"),
        ("1614852000", "2021-03-04", "unix_s"),
        ("1614852000123", "2021-03-04", "unix_ms"),
        ("2021-03-04T10:00:00Z", "2021-03-04", "%Y-%m-%dT%H:%M:%S%z"),
        ("2021-03-04 23:30:00-05:00", "2021-03-04", "%Y-%m-%d %H:%M:%S%z"),
    ],
)
def test_formats(text: str, expected: str | None, fmt: str | None) -> None:
    result = FIELD.validate(text)
    assert result.value == expected
    assert result.valid is (expected is not None)
    if fmt is not None:
        assert result.components["format"] == fmt


def test_components_and_rule() -> None:
    result = FIELD.validate("13/04/2021")
    assert result.components == {
        "year": 2021,
        "month": 4,
        "day": 13,
        "format": "%d/%m/%Y",
        "dayfirst": True,
    }
    assert result.rule == "date.iso8601"
    assert FIELD.validate("2021-04-13").rule is None


def test_time_is_dropped_from_a_date_with_an_info_issue() -> None:
    result = FIELD.validate("2021-03-04T10:00:00Z")
    assert result.valid
    assert codes(result) == ["date_time_dropped"]
    assert result.issues[0].severity == "info"
    assert codes(FIELD.validate("44197")) == []


def test_relative_words_are_not_dates() -> None:
    for text in ("yesterday", "2 days ago", "next week"):
        result = FIELD.validate(text)
        assert not result.valid
        assert codes(result) == ["date_invalid"]


# --- column inference --------------------------------------------------------------------


def test_day_over_twelve_makes_the_column_day_first() -> None:
    assert column_values(["03/04/2021", "13/04/2021"]) == ["2021-04-03", "2021-04-13"]


def test_second_number_over_twelve_makes_the_column_month_first() -> None:
    assert column_values(["03/04/2021", "04/13/2021"]) == ["2021-03-04", "2021-04-13"]


def test_infer_records_the_decision() -> None:
    inferred = infer_date_options(["03/04/2021", "13/04/2021", "05/06/2021"], FieldOptions())
    assert isinstance(inferred, DateColumnOptions)
    assert inferred.dayfirst is True
    assert inferred.order_source == "evidence"
    assert inferred.column_format == "%d/%m/%Y"


def test_infer_leaves_order_open_for_an_iso_column() -> None:
    inferred = infer_date_options(["2021-03-04", "2021-03-05"], FieldOptions())
    assert inferred.dayfirst is None
    assert inferred.column_format == "%Y-%m-%d"


def test_infer_dominant_format_counts_repeats() -> None:
    values = ["2021-03-04"] * 5 + ["13.04.2021", "01.02.2021"]
    assert infer_date_options(values, FieldOptions()).column_format == "%Y-%m-%d"


@pytest.mark.parametrize(
    ("country", "expected"),
    [("GB", "2021-04-03"), ("US", "2021-03-04"), ("de", "2021-04-03"), ("PH", "2021-03-04")],
)
def test_country_settles_a_fully_ambiguous_column(country: str, expected: str) -> None:
    results = FIELD.clean_column(["03/04/2021", "05/06/2021"], FieldOptions(country=country))
    assert results[0].value == expected
    assert codes(results[0]) == []
    assert results[0].confidence == pytest.approx(0.9)


def test_no_evidence_and_no_country_defaults_to_month_first_with_an_issue() -> None:
    result = FIELD.clean_column(["03/04/2021", "05/05/2021"])
    assert result[0].value == "2021-03-04"
    assert codes(result[0]) == ["date_ambiguous"]
    assert result[0].confidence < 0.9
    assert codes(result[1]) == []  # same day and month: nothing to choose


def test_dotted_dates_default_to_day_first() -> None:
    result = FIELD.clean_column(["03.04.2021", "05.06.2021"])
    assert [r.value for r in result] == ["2021-04-03", "2021-06-05"]
    assert codes(result[0]) == ["date_ambiguous"]


def test_mixed_column_takes_the_majority_and_flags_ambiguous_values() -> None:
    values = ["13/04/2021", "14/04/2021", "04/15/2021", "03/04/2021"]
    inferred = infer_date_options(values, FieldOptions())
    assert (inferred.dayfirst, inferred.order_source) == (True, "mixed")
    results = FIELD.clean_column(values)
    assert [r.value for r in results] == ["2021-04-13", "2021-04-14", "2021-04-15", "2021-04-03"]
    assert codes(results[3]) == ["date_ambiguous"]
    assert codes(results[2]) == []


def test_dayfirst_option_overrides_the_evidence() -> None:
    options = FieldOptions(dayfirst=False)
    results = FIELD.clean_column(["03/04/2021", "13/04/2021"], options)
    assert results[0].value == "2021-03-04"
    assert not results[1].valid
    assert codes(results[1]) == ["date_impossible"]
    assert results[1].suggestion == "2021-04-13"


def test_row_country_decides_ambiguous_values() -> None:
    results = FIELD.clean_column(["03/04/2021", "03/04/2021"], row_countries=["US", "FR"])
    assert [r.value for r in results] == ["2021-03-04", "2021-04-03"]


def test_date_format_order_is_the_default_when_nothing_else_decides() -> None:
    result = FIELD.validate("03/04/2021", FieldOptions(date_format="%d/%m/%Y"))
    assert result.value == "03/04/2021"
    assert result.components["month"] == 4


def test_country_lookup() -> None:
    assert country_dayfirst("US") is False
    assert country_dayfirst("gb") is True
    assert country_dayfirst(None) is None
    assert country_dayfirst("") is None


# --- Excel serials, Unix timestamps, two-digit years ---------------------------------------


def test_excel_serials_in_a_mostly_serial_column() -> None:
    results = FIELD.clean_column(["44197", "44198", "2021-01-05", "45000"])
    assert [r.value for r in results] == ["2021-01-01", "2021-01-02", "2021-01-05", "2023-03-15"]
    assert results[0].rule == "date.excel_serial"


def test_excel_serials_handle_the_1900_leap_year_bug() -> None:
    serials = ["44197", "44198", "44199", "44200", "44201"]
    results = FIELD.clean_column([*serials, "59", "61", "60", "1"])
    assert [r.value for r in results[5:]] == ["1900-02-28", "1900-03-01", None, "1900-01-01"]
    assert codes(results[7]) == ["date_impossible"]


def test_numbers_are_not_serials_when_the_column_is_not_mostly_serials() -> None:
    results = FIELD.clean_column(["44197", "12", "7", "300"])
    assert not results[0].valid
    assert codes(results[0]) == ["date_invalid"]
    assert not FIELD.validate("12345").valid  # outside the plausible serial range


def test_excel_serial_with_a_time_of_day() -> None:
    assert DATETIME_FIELD.validate("44197.75").value == "2021-01-01T18:00:00"


def test_unix_timestamps() -> None:
    assert DATETIME_FIELD.validate("1614852000").value == "2021-03-04T10:00:00+00:00"
    assert DATETIME_FIELD.validate("1614852000123").value == "2021-03-04T10:00:00.123000+00:00"


def test_two_digit_year_window() -> None:
    today = date(2026, 6, 1)
    assert expand_year(36, today) == 2036
    assert expand_year(37, today) == 1937
    assert expand_year(0, today) == 2000
    assert expand_year(99, today) == 1999


# --- impossible, invalid and implausible ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2021-02-30", "31/04/2020", "2021-13-01", "13/13/2021", "30 février 2021", "20211301",
     "2021-03-04 25:00", "2021-03-04 13:00 PM", "29/02/2021"],
)  # fmt: skip
def test_impossible_dates(text: str) -> None:
    result = FIELD.validate(text)
    assert not result.valid
    assert result.value is None
    assert codes(result) == ["date_impossible"]
    assert result.issues[0].severity == "error"


@pytest.mark.parametrize("text", ["garbage", "1/2/3", "2021/03", "12-", "x" * 500, "3 foo 2021"])
def test_unparseable_values(text: str) -> None:
    result = FIELD.validate(text)
    assert not result.valid
    assert codes(result) == ["date_invalid"]


def test_long_odd_values_do_not_stall_the_column() -> None:
    values = [", " * 50_000 + "1:00", "1" * 5000, "2021-03-04"]
    results = FIELD.clean_column(values)
    assert [r.valid for r in results] == [False, False, True]
    # Cut off by length before any pattern or dateparser reads them.
    assert [issue.message for issue in results[0].issues] == ["too long to be a date"]
    assert [issue.message for issue in results[1].issues] == ["too long to be a date"]


def test_leap_day_is_possible_in_a_leap_year() -> None:
    assert FIELD.validate("29/02/2020").value == "2020-02-29"


@pytest.mark.parametrize("text", ["1750-01-01", "2500-01-01"])
def test_implausible_years_warn(text: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == text
    assert codes(result) == ["date_out_of_range"]
    assert result.issues[0].severity == "warning"


def test_datetime_type_codes_are_prefixed_with_its_name() -> None:
    assert codes(DATETIME_FIELD.validate("2021-02-30 10:00")) == ["datetime_impossible"]
    assert codes(DATETIME_FIELD.validate("nonsense")) == ["datetime_invalid"]


# --- datetime ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "tz"),
    [
        ("2021-03-04T10:00:00Z", "2021-03-04T10:00:00+00:00", "+00:00"),
        ("2021-03-04 10:00:00 UTC", "2021-03-04T10:00:00+00:00", "+00:00"),
        ("2021-03-04T10:00:00+0530", "2021-03-04T10:00:00+05:30", "+05:30"),
        ("2021-03-04T10:00:00.250-03:00", "2021-03-04T10:00:00.250000-03:00", "-03:00"),
        ("13/03/2021 10:30 PM", "2021-03-13T22:30:00", None),
        ("13/03/2021 12:05 a.m.", "2021-03-13T00:05:00", None),
        ("March 3, 2021, 9:15", "2021-03-03T09:15:00", None),
        ("Mar 3rd, 2021 5pm EST", "2021-03-03T17:00:00-05:00", "-05:00"),
    ],
)
def test_datetime_values(text: str, expected: str, tz: str | None) -> None:
    result = DATETIME_FIELD.validate(text)
    assert result.valid
    assert result.value == expected
    assert result.components["tz"] == tz


def test_datetime_components() -> None:
    result = DATETIME_FIELD.validate("2021-03-04T10:11:12Z")
    assert {k: result.components[k] for k in ("hour", "minute", "second", "tz")} == {
        "hour": 10,
        "minute": 11,
        "second": 12,
        "tz": "+00:00",
    }


def test_datetime_of_a_date_only_value_is_midnight() -> None:
    result = DATETIME_FIELD.validate("2021-03-04")
    assert result.value == "2021-03-04T00:00:00"
    assert codes(result) == ["datetime_time_missing"]


def test_custom_output_format() -> None:
    options = FieldOptions(date_format="%d %b %Y")
    assert FIELD.validate("2021-03-04", options).value == "04 Mar 2021"
    assert FIELD.validate("2021-03-04", options).rule == "date.iso8601"


# --- reference data ------------------------------------------------------------------------


def test_month_names_never_map_one_word_to_two_months() -> None:
    raw = resources.files("cleara.engine").joinpath("data/date_month_names.json").read_text()
    seen: dict[str, int] = {}
    for months in json.loads(raw).values():
        assert len(months) == 12
        for number, names in enumerate(months, start=1):
            for name in names:
                assert seen.setdefault(_fold(name), number) == number, name


# --- properties ----------------------------------------------------------------------------

dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@given(dates)
def test_iso_output_is_idempotent(day: date) -> None:
    first = FIELD.validate(day.isoformat())
    assert first.value == day.isoformat()
    assert FIELD.validate(first.value).value == first.value


@given(dates, st.sampled_from(["%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d %B %Y", "%b %d, %Y"]))
def test_common_formats_round_trip_through_iso(day: date, fmt: str) -> None:
    first = FIELD.validate(day.strftime(fmt), FieldOptions(dayfirst=fmt.startswith("%d")))
    assert first.value == day.isoformat()
    assert FIELD.validate(first.value).value == first.value


@given(dates)
def test_day_first_column_round_trips(day: date) -> None:
    results = FIELD.clean_column([day.strftime("%d/%m/%Y"), "13/04/2021"])
    assert results[0].value == day.isoformat()
    assert results[0].components["dayfirst"] is True


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_datetime_output_is_idempotent(moment: datetime) -> None:
    first = DATETIME_FIELD.validate(moment.isoformat())
    assert first.value == moment.isoformat()
    assert DATETIME_FIELD.validate(first.value).value == first.value


@given(dates)
def test_custom_day_first_output_is_idempotent(day: date) -> None:
    options = FieldOptions(date_format="%d/%m/%Y")
    first = FIELD.validate(day.isoformat(), options)
    assert first.value == day.strftime("%d/%m/%Y")
    assert FIELD.validate(first.value, options).value == first.value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_result_and_normalized_values_are_stable(text: str) -> None:
    for field in (FIELD, DATETIME_FIELD):
        first = field.validate(text)
        assert first.valid or first.value is None
        if first.value is not None:
            assert field.validate(first.value).value == first.value


# --- speed ---------------------------------------------------------------------------------


def test_a_large_column_reads_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    start = date(1950, 1, 1)
    distinct = [start + timedelta(days=i * 3) for i in range(20_000)]
    values = [distinct[i % 20_000].strftime("%d/%m/%Y") for i in range(100_000)]
    read: list[str] = []
    validate_value = FIELD._validate_value

    def counted(text: str, options: FieldOptions) -> FieldResult:
        read.append(text)
        return validate_value(text, options)

    monkeypatch.setattr(FIELD, "_validate_value", counted)
    results = FIELD.clean_column(values)
    assert all(r.valid for r in results)
    assert results[1].value == distinct[1].isoformat()
    assert len(read) == len(set(read)) == 20_000  # speed: bench/bench_clean.py


def test_dateparser_readings_are_computed_once_per_value_and_order() -> None:
    from cleara.engine.fields import date as date_module

    date_module._parse_with_dateparser.cache_clear()
    first = FIELD.validate("Wednesday 3rd March 2021 at noon")  # read by dateparser
    again = DATETIME_FIELD.validate("Wednesday 3rd March 2021 at noon")
    assert first.value == "2021-03-03"
    assert again.value is not None
    assert again.value.startswith("2021-03-03")
    info = date_module._parse_with_dateparser.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_count_times_of_day_reads_the_column_as_a_whole() -> None:
    from cleara.engine.fields.date import count_times_of_day

    assert count_times_of_day(["2021-03-04T10:15:00Z", "2021-03-05", "soon"]) == (2, 1)
    # 13/04 shows the column is day-first, so 25/04 reads too (with a time); a long text not.
    assert count_times_of_day(["13/04/2021", "25/04/2021 9:30", "x" * 200]) == (2, 1)
    assert count_times_of_day([]) == (0, 0)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1900-01-01", "1900-01-01"),
        ("01/01/1900", "1900-01-01"),
        ("12/30/1899", "1899-12-30"),
        ("1753-01-01", "1753-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("0001-01-01", "0001-01-01"),
    ],
)
def test_default_dates_are_flagged_once(text: str, value: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == value
    assert result.placeholder
    assert codes(result) == ["date_placeholder"]  # not also out of range
    assert is_placeholder_day(value)


@pytest.mark.parametrize("text", ["1970-01-01", "1900-01-02", "2000-01-01", "1989-06-01"])
def test_ordinary_dates_are_not_fillers(text: str) -> None:
    result = FIELD.validate(text)
    assert not result.placeholder
    assert "date_placeholder" not in codes(result)
    assert not is_placeholder_day(text)


def test_unix_epoch_is_a_filler_for_timestamps_only() -> None:
    assert DATETIME_FIELD.validate("1970-01-01 00:00:00").placeholder
    assert "datetime_placeholder" in codes(DATETIME_FIELD.validate("1970-01-01T00:00:00"))
    assert not DATETIME_FIELD.validate("1970-01-01 10:30").placeholder
    assert not FIELD.validate("1970-01-01").placeholder
    assert not is_placeholder_day("1970-01-01")
