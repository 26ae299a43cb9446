"""Incremental matching of new records against stored clusters."""

from __future__ import annotations

import json

import pytest
from people import (
    PEOPLE,
    catalogues,
    contact_list,
    national_copy,
    people_with_fillers,
    people_with_housemates,
    people_with_rare_fillers,
    spanish_people,
)

from cleara.engine.dedupe import DedupeOptions, dedupe
from cleara.engine.dedupe.incremental import BlockIndex, MatchIndex
from cleara.engine.table import InputError


def _index() -> MatchIndex:
    return MatchIndex.from_result(dedupe(PEOPLE, id_field="id"))


def test_new_record_joins_its_stored_cluster() -> None:
    index = _index()
    outcome = index.match(
        [
            {
                "first_name": "Jon",
                "last_name": "Smith",
                "email": "jon.smith@example.com",
                "phone": "4155552671",
                "dob": "1980-03-04",
                "city": "Boston",
            }
        ],
        ids=["new1"],
    )[0]
    assert not outcome.new_cluster
    assert set(outcome.matched_ids) == {"a", "b"}
    assert outcome.score >= index.threshold
    assert set(index.cluster_members()[outcome.cluster_id]) == {"a", "b", "new1"}


def test_unrelated_records_start_clusters_and_match_each_other() -> None:
    index = _index()
    stranger = {"first_name": "Zoe", "last_name": "Quinn", "email": "zq@example.io",
                "phone": "999 555 0000", "dob": "2001-02-03", "city": "Reno"}  # fmt: skip
    first, second = index.match([stranger, dict(stranger)], ids=["n1", "n2"])
    assert first.new_cluster
    assert not second.new_cluster
    assert second.cluster_id == first.cluster_id


def test_state_round_trips_through_json() -> None:
    index = _index()
    restored = MatchIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.cluster_members() == index.cluster_members()
    outcome = restored.match([dict(PEOPLE[2])], ids=["c-again"])[0]
    assert "c" in outcome.matched_ids


def test_a_stored_index_keeps_the_colleague_class() -> None:
    records, _ = contact_list(1000, 50)
    index = MatchIndex.from_result(dedupe(records))
    restored = MatchIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.fs_model.has_colleagues
    known = records[0]
    colleague = {**known, "first_name": "Zebulon", "last_name": "Quartermaine",
                 "phone": "999 555 0000"}  # fmt: skip
    again, other = restored.match([dict(known), colleague], ids=["again", "colleague"])
    assert not again.new_cluster
    assert 0 in again.matched_ids
    assert other.new_cluster


def _split_smith_index() -> MatchIndex:
    """The index of PEOPLE with Jonathan Smith's two records stored as two clusters."""
    state = _index().to_state()
    state["clusters"][state["ids"].index("b")] = max(state["clusters"]) + 1
    state.pop("next_cluster")  # as saved before the key existed
    return MatchIndex.from_state(json.loads(json.dumps(state)))


def test_indexes_of_two_tables_linked_by_best_match_links_merge_no_clusters() -> None:
    left, right = catalogues()
    assert not MatchIndex.from_result(dedupe(left, right, id_field="id")).merges
    every_link = DedupeOptions(best_match=False)
    assert MatchIndex.from_result(dedupe(left, right, id_field="id", options=every_link)).merges
    assert _index().merges


def test_an_index_saved_before_merging_existed_merges_nothing() -> None:
    state = _split_smith_index().to_state()
    state.pop("merges")
    index = MatchIndex.from_state(state)
    jon = {k: v for k, v in PEOPLE[0].items() if k != "id"}
    outcome = index.match([jon], ids=["a-again"])[0]
    assert outcome.merged_cluster_ids == []
    assert outcome.matched_ids in (["a"], ["b"])


def test_a_record_matching_two_clusters_of_one_person_merges_them() -> None:
    index = _split_smith_index()
    cluster_a = index.clusters[index.ids.index("a")]
    cluster_b = index.clusters[index.ids.index("b")]
    jon = {k: v for k, v in PEOPLE[0].items() if k != "id"}
    outcome = index.match([jon], ids=["a-again"])[0]
    assert (outcome.cluster_id, outcome.merged_cluster_ids) == (cluster_a, [cluster_b])
    assert set(outcome.matched_ids) == {"a", "b"}
    assert set(index.cluster_members()[cluster_a]) == {"a", "b", "a-again"}
    assert cluster_b not in index.cluster_members()
    restored = MatchIndex.from_state(json.loads(json.dumps(index.to_state())))
    stranger = restored.match([{"first_name": "Wendy", "last_name": "Darling"}], ids=["w"])[0]
    assert stranger.new_cluster
    assert stranger.cluster_id == cluster_b + 1  # the merged cluster's id is not given again


def test_clusters_too_large_to_score_all_their_pairs_are_not_merged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cleara.engine.dedupe.incremental.MAX_BRIDGE_PAIRS", 0)
    index = _split_smith_index()
    jon = {k: v for k, v in PEOPLE[0].items() if k != "id"}
    outcome = index.match([jon], ids=["a-again"])[0]
    assert outcome.merged_cluster_ids == []
    assert len(outcome.matched_ids) == 1


def test_a_record_matching_two_different_people_does_not_merge_them() -> None:
    index = _index()
    zoe = {"first_name": "Zoe", "last_name": "Quinn", "city": "Reno"}
    older = {**zoe, "email": "zoe.quinn@other.org", "phone": "775 555 0199", "dob": "1962-08-19"}
    younger = {**zoe, "email": "zq@example.io", "phone": "999 555 0000", "dob": "2001-02-03"}
    first, second = index.match([older, younger], ids=["older", "younger"])
    assert second.new_cluster  # namesakes in one town, otherwise different
    unsure = index.match([zoe], ids=["name-and-town"])[0]
    assert unsure.merged_cluster_ids == []
    position = index.ids.index("name-and-town")
    stored = [index.ids.index("older"), index.ids.index("younger")]
    scores = index._scores([column[position] for column in index.values], stored)
    assert min(scores.values()) >= index.threshold  # it matches each of them alone
    assert {first.cluster_id, second.cluster_id} <= set(index.cluster_members())


def test_repeated_id_and_bad_version_are_errors() -> None:
    index = _index()
    with pytest.raises(InputError, match="already"):
        index.match([dict(PEOPLE[0])], ids=["a"])
    with pytest.raises(InputError, match="version"):
        MatchIndex.from_state({"version": 99})


def test_a_new_housemate_starts_a_cluster_of_their_own() -> None:
    records, _, housemates = people_with_housemates()
    first, newcomer = max(housemates, key=lambda pair: int(pair[1]))
    stored = [r for r in records if r["id"] != newcomer]
    index = MatchIndex.from_result(dedupe(stored, id_field="id"))
    arriving = next(r for r in records if r["id"] == newcomer)
    outcome = index.match([{k: v for k, v in arriving.items() if k != "id"}], ids=[newcomer])[0]
    assert outcome.new_cluster  # same last name, phone, address and city as `first`
    resident = next(r for r in records if r["id"] == first)
    returning = {k: v for k, v in resident.items() if k != "id"}
    again = index.match([{**returning, "email": resident["email"].upper()}], ids=["x"])
    assert first in again[0].matched_ids


def _catalogue() -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """Two listings per product: the model number in its own field, or inside the title."""
    records, labels = [], []
    for n in range(40):
        code, kind = f"xq-{7000 + n}-b", ["lamp", "chair", "desk", "shelf"][n % 4]
        wood = "oak" if n % 3 else "pine"
        records.append({"id": f"a{n}", "title": f"acme {kind} {wood} {code}", "model": code})
        records.append({"id": f"b{n}", "title": f"acme {kind} {code.replace('-', '')} wood"})
    for n in range(0, 40, 2):
        other = n + 4 if n + 4 < 40 else n - 4  # the same kind of furniture, another model
        answers = [("a", n, "b", n, True), ("a", n, "b", other, False),
                   ("a", n, "a", other, False), ("b", n, "b", other, False)]  # fmt: skip
        for side, i, other_side, j, match in answers:
            labels.append({"left_id": f"{side}{i}", "right_id": f"{other_side}{j}", "match": match})
    return records, labels


def test_a_classifier_reading_product_codes_matches_new_listings_after_a_round_trip() -> None:
    records, labels = _catalogue()
    result = dedupe(records, id_field="id", labels=labels)
    assert result.scorer is not None
    assert result.scorer.classifier is not None
    assert result.scorer.classifier.tokens is not None
    assert result.scorer.classifier.tokens.code_fields  # codes sit in the titles
    pairs = {tuple(sorted((p.left_id, p.right_id))) for p in result.pairs}
    assert all(a[1:] == b[1:] for a, b in pairs)  # no two products joined
    assert len(pairs) >= 30
    state = json.loads(json.dumps(MatchIndex.from_result(result).to_state()))
    outcome = MatchIndex.from_state(state).match(
        [{"title": "acme desk xq 7002 b", "model": "XQ7002B"}], ids=["new"]
    )[0]
    assert set(outcome.matched_ids) == {"a2", "b2"}


def test_a_listing_no_blocking_key_finds_is_found_by_its_text() -> None:
    records, labels = _catalogue()
    state = MatchIndex.from_result(dedupe(records, id_field="id", labels=labels)).to_state()
    listing = {"title": "xq7002b writing desk by acme"}  # the code first: no title key shared
    index = MatchIndex.from_state(state)
    assert index.texts is not None
    outcome = index.match([listing], ids=["new"])[0]
    assert set(outcome.matched_ids) == {"a2", "b2"}
    keys_only = MatchIndex.from_state(state)
    keys_only.texts = None
    assert keys_only.match([listing], ids=["new"])[0].new_cluster


def test_people_get_no_text_index() -> None:
    index = MatchIndex.from_result(dedupe(PEOPLE, id_field="id"))
    assert index.texts is None


def test_a_batch_with_a_bad_id_adds_none_of_its_records() -> None:
    index = _index()
    stored = len(index.ids)
    fresh = {"first_name": "Wendy", "last_name": "Darling", "email": "wendy@example.co.uk"}
    for ids, message in ((["w1", "a"], "already in the index"), (["w1", "w1"], "given twice")):
        with pytest.raises(InputError, match=message) as error:
            index.match([fresh, dict(PEOPLE[0])], ids=ids)
        assert error.value.row == 1
        assert len(index.ids) == stored


def _day_first_people() -> list[dict[str, str]]:
    """Birth dates written day first; `25/12/1980` settles the column's order."""
    return [
        {"id": "1", "name": "Anna Berg", "dob": "25/12/1980", "phone": "020 7946 0958"},
        {"id": "2", "name": "Tom Hale", "dob": "03/04/1985", "phone": "020 7946 0111"},
        {"id": "3", "name": "Li Wei", "dob": "17/06/1990", "phone": "020 7946 0222"},
        {"id": "4", "name": "Sara Moss", "dob": "30/01/1975", "phone": "020 7946 0333"},
        {"id": "5", "name": "Sarah Moss", "dob": "30/01/1975", "phone": "020 7946 0333"},
    ]


def test_new_dates_are_read_in_the_order_the_stored_column_settled() -> None:
    result = dedupe(_day_first_people(), id_field="id")
    state = json.loads(json.dumps(MatchIndex.from_result(result).to_state()))
    assert {"dayfirst": True} in state["settings"]
    index = MatchIndex.from_state(state)
    alone = {"name": "Tom Hale", "dob": "03/04/1985", "phone": "020 7946 0111"}
    outcome = index.match([alone], ids=["n"])[0]  # one date: no order of its own to infer
    assert outcome.matched_ids == ["2"]
    dob = [spec.name for spec in index.specs].index("dob")
    assert index.values[dob][-1] == index.values[dob][1] == "1985-04-03"


def test_an_index_saved_without_settings_still_loads() -> None:
    state = MatchIndex.from_result(dedupe(_day_first_people(), id_field="id")).to_state()
    del state["settings"]
    index = MatchIndex.from_state(state)
    assert index.settings == [{}] * len(index.specs)
    assert index.match([{"name": "Li Wei", "dob": "1990-06-17"}], ids=["n"])[0].matched_ids


def test_records_may_name_fields_as_the_second_linked_table_did() -> None:
    crm = [
        {"id": "c1", "name": "Jon Smith", "email": "jon.smith@example.com"},
        {"id": "c2", "name": "Mary Jones", "email": "mary@example.org"},
        {"id": "c3", "name": "Peter Brown", "email": "pb@example.net"},
    ]
    billing = [
        {"id": "b1", "full_name": "John Smith", "mail": "JON.SMITH@example.com"},
        {"id": "b2", "full_name": "Ann Lee", "mail": "ann.lee@example.com"},
    ]
    fields = [{"name": "name", "right": "full_name"}, {"name": "email", "right": "mail"}]
    index = MatchIndex.from_result(dedupe(crm, billing, id_field="id", fields=fields))
    second = {"full_name": "Mary Jones", "mail": "MARY@example.org"}
    first = {"name": "Peter Brown", "email": "pb@example.net"}
    outcomes = index.match([second, first], ids=["b3", "b4"])
    assert [o.matched_ids for o in outcomes] == [["c2"], ["c3"]]
    with pytest.raises(InputError, match="none of the index's fields") as error:
        index.match([first, {"fullname": "Mary Jones"}], ids=["x1", "x2"])
    assert error.value.row == 1
    assert "x1" not in index.ids


def test_text_embeddings_are_compared_as_in_the_batch_run() -> None:
    records, labels = _catalogue()
    fields = [{"name": "title", "type": "long_text"}, "model"]
    result = dedupe(records, id_field="id", fields=fields, labels=labels)
    fresh = MatchIndex.from_result(result)
    assert fresh.embedded == [True, False]
    loaded = MatchIndex.from_state(json.loads(json.dumps(fresh.to_state())))
    assert loaded.embedded == [True, False]
    listing = [{"title": "acme desk xq 7002 b", "model": "XQ7002B"}]
    first, again = fresh.match(listing, ids=["n"])[0], loaded.match(listing, ids=["n"])[0]
    assert set(first.matched_ids) == set(again.matched_ids) == {"a2", "b2"}
    assert again.score == pytest.approx(first.score, abs=1e-4)  # embedded again, not stored


def _reloaded_from_older_forms(
    records: list[dict[str, str]], field: str, stored: str, current: str, forms: int | None
) -> tuple[MatchIndex, int]:
    """The index of the records, reloaded as an index of `forms` (None: before forms were
    counted) that stored the first record's `field` as `stored` (today: `current`); and the
    field's position."""
    state = MatchIndex.from_result(dedupe(records, id_field="id")).to_state()
    column = [f["name"] for f in state["fields"]].index(field)
    assert state["values"][column][0] == current
    state["values"][column][0] = stored
    if forms is None:
        del state["forms"]
    else:
        state["forms"] = forms
    return MatchIndex.from_state(state), column


def test_addresses_stored_in_the_old_spelling_are_read_in_the_new_one() -> None:
    records = [
        {"id": "1", "name": "Anna Berg", "street": "12 North Lake Road"},
        {"id": "2", "name": "Tom Hale", "street": "9 Elm Avenue"},
        {"id": "3", "name": "Tom Hale", "street": "9 Elm Ave"},
    ]  # an index of version 1 stored the street as it was written
    index, street = _reloaded_from_older_forms(
        records, "street", "12 north lake road", "12 n lk rd", None
    )
    assert index.values[street][0] == "12 n lk rd"
    outcome = index.match([{"name": "Anna Berg", "street": "12 N. Lake Rd"}], ids=["n"])[0]
    assert outcome.matched_ids == ["1"]


def test_company_names_stored_with_their_legal_form_are_read_without_it() -> None:
    records = [
        {"id": "1", "company": "Acme Corporation", "city": "Springfield", "phone": "2174320199"},
        {"id": "2", "company": "Globex GmbH", "city": "Berlin", "phone": "+49 30 1234567"},
        {"id": "3", "company": "Globex", "city": "Berlin", "phone": "030 1234567"},
    ]
    index, company = _reloaded_from_older_forms(records, "company", "acme corporation", "acme", 3)
    assert index.values[company][0] == "acme"
    arriving = {"company": "ACME Corp.", "city": "Springfield", "phone": "217-432-0199"}
    assert index.match([arriving], ids=["n"])[0].matched_ids == ["1"]


def test_cities_stored_in_another_script_are_read_by_their_own_name() -> None:
    records = [
        {"id": "1", "name": "Ivan Petrov", "city": "Москва", "phone": "+7 912 345 67 89"},
        {"id": "2", "name": "Olga Sokolova", "city": "Kazan", "phone": "+7 917 111 22 33"},
        {"id": "3", "name": "Olga Sokolova", "city": "Казань", "phone": "89171112233"},
    ]
    index, city = _reloaded_from_older_forms(records, "city", "москва", "moscow", 4)
    assert index.values[city][0] == "moscow"


@pytest.mark.parametrize("table", ["people", "catalogue"])
def test_indexing_many_records_at_once_equals_adding_them_one_by_one(table: str) -> None:
    if table == "people":
        index = _index()
    else:
        records, labels = _catalogue()
        index = MatchIndex.from_result(dedupe(records, id_field="id", labels=labels))
    state = index.to_state()
    one_by_one = MatchIndex.from_state({**state, "ids": [], "clusters": [],
                                        "values": [[] for _ in state["values"]]})  # fmt: skip
    for position, record_id in enumerate(state["ids"]):
        values = [column[position] for column in state["values"]]
        one_by_one._add(record_id, values, state["clusters"][position])
    for single, bulk in zip(one_by_one.blocks, index.blocks, strict=True):
        assert single.recent_keys()
        for key in single.recent_keys():
            assert bulk.get(key) == single.get(key)
        assert bulk.get("no such key") == []
    assert one_by_one.frequencies == index.frequencies
    assert one_by_one.members == index.members
    assert (one_by_one.texts is None) == (index.texts is None)
    if index.texts is not None and one_by_one.texts is not None:
        assert one_by_one.texts.postings == index.texts.postings


def test_a_block_gives_its_last_positions_from_bulk_and_recent_records() -> None:
    block = BlockIndex()
    block.add_many(["a", None, "b", "a", "a"], start=0)
    block.add("a", 5)
    block.add("a", 6)
    assert block.get("a") == [0, 3, 4, 5, 6]
    assert block.get("a", 3) == [4, 5, 6]
    assert block.get("a", 1) == [6]
    assert block.get("a", 0) == []
    assert block.get("b", 5) == [2]
    assert block.get("c") == []


def test_an_index_of_no_records_says_it_has_nothing_to_compare() -> None:
    index = MatchIndex.from_result(dedupe([], id_field="id"))
    with pytest.raises(InputError, match="no fields to compare"):
        index.match([{"name": "Ann"}], ids=["a"])
    assert index.match([], ids=[]) == []


def test_records_of_one_call_find_each_other_by_text() -> None:
    records, labels = _catalogue()
    index = MatchIndex.from_result(dedupe(records, id_field="id", labels=labels))
    listings = [{"title": "acme lamp oak zq-5555-k", "model": "zq-5555-k"},
                {"title": "zq5555k oak lamp by acme"}]  # fmt: skip
    first, second = index.match(listings, ids=["n1", "n2"])  # no title key shared
    assert first.new_cluster
    assert second.cluster_id == first.cluster_id


def test_full_names_compared_by_parts_are_read_so_in_new_records_of_either_table() -> None:
    crm = [
        {"id": "c1", "name": "Jon Smith", "email": "jon.smith@example.com", "city": "Boston"},
        {"id": "c2", "name": "Mary Jones", "email": "mary@example.org", "city": "Denver"},
        {"id": "c3", "name": "Peter Brown", "email": "pb@example.net", "city": "Austin"},
        {"id": "c4", "name": "Linda Garcia", "email": "lg@example.com", "city": "Miami"},
    ]
    billing = [
        {"id": "b1", "full_name": "Smith, John", "mail": "JON.SMITH@example.com", "town": "Boston"},
        {"id": "b2", "full_name": "Ann Lee", "mail": "ann.lee@example.com", "town": "Reno"},
    ]
    result = dedupe(crm, billing, id_field="id")
    assert [(f.name, f.right_name) for f in result.fields][:2] == [
        ("name.given", "full_name"), ("name.family", "full_name")
    ]  # fmt: skip
    assert [(p.left_id, p.right_id) for p in result.pairs] == [("c1", "b1")]
    index = MatchIndex.from_state(json.loads(json.dumps(MatchIndex.from_result(result).to_state())))
    assert index.specs == result.fields
    inverted = {"full_name": "Jones, Mary", "mail": "MARY@example.org", "town": "Denver"}
    plain = {"name": "Peter Brown", "email": "pb@example.net", "city": "Austin"}
    outcomes = index.match([inverted, plain], ids=["b3", "b4"])
    assert [o.matched_ids for o in outcomes] == [["c2"], ["c3"]]


def test_a_person_who_moved_joins_their_stored_cluster_after_a_round_trip() -> None:
    from bench.dedupe_data import generate

    rows = generate(2000, seed=7)
    for row in rows:
        del row["entity_id"]
    result = dedupe(rows)
    assert result.scorer is not None
    assert result.scorer.fs_model is not None
    assert result.scorer.fs_model.has_moves
    index = MatchIndex.from_state(json.loads(json.dumps(MatchIndex.from_result(result).to_state())))
    assert index.fs_model is not None
    assert index.fs_model.moved == result.scorer.fs_model.moved
    stored = rows[0]
    moved = {  # the same name and e-mail, no birth date, a new home
        **stored,
        "dob": "",
        "phone": "5550001234",
        "address": "12 Nowhere Lane",
        "city": "Elsewhere",
        "state": "ZZ",
        "zip": "00001",
    }
    outcome = index.match([moved], ids=["moved"])[0]
    assert not outcome.new_cluster  # five disagreements counted apart made it a new cluster
    assert 0 in outcome.matched_ids


def test_the_batch_runs_fillers_are_read_as_missing_in_new_records() -> None:
    records, _ = people_with_fillers()
    records = [{k: v for k, v in r.items() if k != "phone"} for r in records]
    index = MatchIndex.from_result(dedupe(records, id_field="id"))
    restored = MatchIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.placeholders[[s.name for s in restored.specs].index("email")] == {
        "noemail@example.com"
    }
    known = [r for r in records if "@mail.com" in r["email"] and r["dob"] != "1900-01-01"]
    arrivals = [{**r, "email": "NoEmail@example.com"} for r in known[:20]]
    outcomes = restored.match(
        [{k: v for k, v in r.items() if k != "id"} for r in arrivals],
        ids=[f"{r['id']}-new" for r in arrivals],
    )
    assert all(r["id"] in o.matched_ids for r, o in zip(arrivals, outcomes, strict=True))


@pytest.mark.parametrize("field", ["email", "phone"])  # addresses: see test_data
def test_known_fillers_in_new_records_are_read_as_missing(field: str) -> None:
    records, namesakes, _ = people_with_rare_fillers(field)
    arriving = {name for pair in namesakes for name in pair}
    stored = [r for r in records if r["id"] not in arriving and not r["id"].endswith("-copy")]
    stored += [  # copies that teach the model what a match looks like
        {**r, "id": f"{r['id']}-again", "last_name": r["last_name"].upper()} for r in stored[40:70]
    ]
    index = MatchIndex.from_result(dedupe(stored, id_field="id"))
    arrivals = [r for r in records if r["id"] in arriving]  # namesakes sharing a new filler
    for record in arrivals:  # a shared phone weighs less against a different birth date
        if record["id"].endswith("namesake"):
            record["dob"] = ""
    outcomes = index.match(
        [{k: v for k, v in r.items() if k != "id"} for r in arrivals],
        ids=[r["id"] for r in arrivals],
    )
    assert all(outcome.new_cluster for outcome in outcomes)  # 8 namesakes joined before


def test_a_new_national_number_agrees_with_a_stored_international_one() -> None:
    records = spanish_people()
    index = MatchIndex.from_result(dedupe(records, id_field="id"))
    assert index.settings[[s.name for s in index.specs].index("phone")] == {"country": "ES"}
    arrivals = [national_copy(r, "new") for r in records[20:25]]
    outcomes = index.match(
        [{k: v for k, v in r.items() if k != "id"} for r in arrivals],
        ids=[r["id"] for r in arrivals],
    )
    assert [o.matched_ids for o in outcomes] == [[str(n)] for n in range(20, 25)]


def test_new_records_join_stored_ones_whose_names_are_in_another_script() -> None:
    # `bench.script_data`: each copy writes the name in the other script. Before names were
    # read across scripts, 468 of the 488 new records with a stored duplicate joined it.
    from bench.script_data import generate

    people = generate(1500, seed=4)
    columns = ("name", "email", "phone", "city", "birth_date")
    rows = [{"id": i, **{c: p[c] for c in columns}} for i, p in enumerate(people)]
    stored, new = rows[:1200], rows[1200:]
    index = MatchIndex.from_state(MatchIndex.from_result(dedupe(stored, id_field="id")).to_state())
    entity = {row["id"]: people[int(str(row["id"]))]["entity_id"] for row in rows}
    stored_entities = {entity[row["id"]] for row in stored}
    outcomes = index.match(new, [row["id"] for row in new])
    expected = [o for o in outcomes if entity[o.id] in stored_entities]
    joined = [o for o in expected if not o.new_cluster]
    wrong = [o for o in outcomes if any(entity[m] != entity[o.id] for m in o.matched_ids)]
    assert len(joined) >= 0.975 * len(expected)
    assert len(wrong) <= 0.01 * len(outcomes)
