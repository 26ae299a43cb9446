"""Golden records: survivorship rules and provenance per field."""

from __future__ import annotations

import pytest

from cleara.engine.dedupe.golden import ColumnForms, Survivorship, golden_record, recency_column
from cleara.engine.table import InputError

ROWS = [
    {"name": "Jon Smith", "phone": "555-0101", "updated_at": "2021-01-01"},
    {"name": "Jonathan Smith", "phone": "555-0101", "updated_at": "2023-06-01"},
    {"name": "Jon Smith", "phone": None, "updated_at": "2019-05-05"},
]
IDS = ["x", "y", "z"]
COLUMNS = ["name", "phone", "updated_at"]


def test_most_frequent_with_provenance() -> None:
    values, provenance = golden_record(ROWS, IDS, COLUMNS, Survivorship())
    assert values["name"] == "Jon Smith"
    assert provenance["name"]["rule"] == "most_frequent"
    assert provenance["name"]["support"] == ["x", "z"]
    assert provenance["phone"]["source"] in ("x", "y")


def test_most_complete_and_most_recent() -> None:
    rules = Survivorship(
        default="most_recent", columns={"name": "most_complete"}, recency_column="updated_at"
    )
    values, provenance = golden_record(ROWS, IDS, COLUMNS, rules)
    assert values["name"] == "Jonathan Smith"
    assert provenance["name"]["source"] == "y"
    assert values["updated_at"] == "2023-06-01"
    assert provenance["phone"] == {"rule": "most_recent", "source": "y", "support": ["x", "y"]}


def test_all_empty_column_and_recency_detection() -> None:
    values, provenance = golden_record([{"a": None}, {"a": " "}], [0, 1], ["a"], Survivorship())
    assert values == {"a": None}
    assert provenance["a"]["rule"] == "all_empty"
    assert recency_column(["id", "Last Modified"]) == "Last Modified"
    assert recency_column(["id", "name"]) is None


def test_unknown_rule_is_rejected() -> None:
    with pytest.raises(InputError, match="survivorship"):
        Survivorship(default="longest")


def test_a_filler_is_chosen_only_when_the_column_has_nothing_else() -> None:
    rows = [{"email": "noemail@example.com"}, {"email": "noemail@example.com"},
            {"email": "ann@lee.com"}]  # fmt: skip
    fillers = {(0, "email"), (1, "email")}
    values, provenance = golden_record(rows, IDS, ["email"], Survivorship(), fillers)
    assert (values["email"], provenance["email"]["source"]) == ("ann@lee.com", "z")
    assert "filler" not in provenance["email"]
    alone, marked = golden_record(rows[:2], IDS[:2], ["email"], Survivorship(), fillers)
    assert alone["email"] == "noemail@example.com"
    assert marked["email"]["filler"] is True
    single, single_marked = golden_record(rows[:1], IDS[:1], ["email"], Survivorship(), fillers)
    assert single["email"] == "noemail@example.com"
    assert single_marked["email"]["filler"] is True


@pytest.mark.parametrize(
    "survivorship",
    [Survivorship(), Survivorship(default="most_recent"),
     Survivorship(default="most_recent", recency_column="updated_at"),
     Survivorship(columns={"phone": "most_complete"})],
)  # fmt: skip
def test_a_cluster_of_one_record_gets_what_the_general_rules_give(
    survivorship: Survivorship,
) -> None:
    row = {"name": "Jon Smith", "phone": "  ", "updated_at": "2021-01-01", "note": "n/a"}
    columns = [*COLUMNS, "note", "absent"]
    one = golden_record([row], ["x"], columns, survivorship)
    # the same record twice takes the general path; its provenance names both copies
    twice = golden_record([row, row], ["x", "x"], columns, survivorship)
    assert one[0] == twice[0]
    for column in columns:
        expected = {**twice[1][column], "support": twice[1][column]["support"][:1]}
        assert one[1][column] == expected
    assert one[1]["phone"]["rule"] == "all_empty"


def test_values_of_one_comparison_form_count_as_one_vote() -> None:
    rows = [{"phone": "(415) 555-2671"}, {"phone": "415.555.2671"}, {"phone": "+1 617 555 1234"}]
    ids = ["a", "b", "c"]
    forms = {"phone": ColumnForms([7, 0, 0, 1], [2, 2, 1, 1])}  # the members: records 1-3
    values, provenance = golden_record(
        rows, ids, ["phone"], Survivorship(), forms=forms, members=[1, 2, 3]
    )
    assert values["phone"] == "(415) 555-2671"  # two votes; the longer spelling of the two
    assert provenance["phone"]["support"] == ["a", "b"]
    plain, _ = golden_record(rows, ids, ["phone"], Survivorship())
    assert plain["phone"] == "+1 617 555 1234"  # three values, a vote each: the longest won
    unread = {"phone": ColumnForms([-1, -1, -1], [])}
    assert golden_record(rows, ids, ["phone"], Survivorship(), forms=unread)[0] == plain


def test_a_tie_goes_to_the_form_more_records_of_the_table_hold() -> None:
    rows = [{"first": "Jonh"}, {"first": "John"}]  # a typo, and the name as many write it
    forms = {"first": ColumnForms([0, 1], [1, 40])}
    values, _ = golden_record(rows, ["a", "b"], ["first"], Survivorship(), forms=forms)
    assert values["first"] == "John"
    plain, _ = golden_record(rows, ["a", "b"], ["first"], Survivorship())
    assert plain["first"] == "Jonh"  # the first of the two


def test_cleaned_values_tie_on_their_length_as_typed() -> None:
    cleaned = [{"street": "12 Oak Stret"}, {"street": "12 Oak St"}]  # the typo stays long
    typed = [{"street": "12 Oak Stret"}, {"street": "12 Oak Street"}]
    ids = ["a", "b"]
    values, _ = golden_record(cleaned, ids, ["street"], Survivorship(), as_given=typed)
    assert values["street"] == "12 Oak St"
    assert golden_record(cleaned, ids, ["street"], Survivorship())[0]["street"] == "12 Oak Stret"
