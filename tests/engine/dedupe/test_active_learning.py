"""Active learning proposes unlabeled, uncertain pairs, each record once."""

from __future__ import annotations

from people import PEOPLE

from cleara.engine.dedupe.active_learning import propose_labels
from cleara.engine.dedupe.pipeline import DedupeOptions


def test_proposals_skip_labeled_pairs_and_repeat_no_record() -> None:
    options = DedupeOptions(id_field="id")
    first = propose_labels(PEOPLE, count=3, options=options)
    assert 1 <= len(first) <= 3
    ids = [p["left_id"] for p in first] + [p["right_id"] for p in first]
    assert len(ids) == len(set(ids))
    assert all("fields" in p["explanation"] for p in first)
    labels = [{"left_id": p["left_id"], "right_id": p["right_id"], "match": False} for p in first]
    second = propose_labels(PEOPLE, count=3, labels=labels, options=options)
    asked = {(p["left_id"], p["right_id"]) for p in first}
    assert not asked & {(p["left_id"], p["right_id"]) for p in second}


def test_a_first_answer_of_each_kind_is_enough_to_ask_again() -> None:
    # Two labels cannot train a classifier: Fellegi-Sunter keeps proposing.
    options = DedupeOptions(id_field="id")
    labels = [
        {"left_id": "a", "right_id": "b", "match": True},
        {"left_id": "a", "right_id": "c", "match": False},
    ]
    proposals = propose_labels(PEOPLE, count=3, labels=labels, options=options)
    assert proposals
    assert ("a", "b") not in {(p["left_id"], p["right_id"]) for p in proposals}
