"""EM sessions: candidates that agree only on their blocking key are not taken for matches."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cleara.engine.dedupe import dedupe
from cleara.engine.dedupe import fellegi_sunter as fs
from cleara.engine.dedupe.blocking import candidate_pairs
from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fields import FieldSpec
from cleara.engine.table import InputError

# Four fields with levels exact / one typo / different, u as random record pairs give it.
U = [[0.001, 0.001, 0.998]] * 4
# (levels of fields a-d, pairs): 1,250 matches, then people sharing a home (b and c agree),
# then candidates that share one blocking key and nothing else.
ROWS = [
    ((0, 0, 0, 0), 1000), ((2, 0, 0, 0), 200), ((0, 0, 0, 2), 50),
    ((2, 0, 0, 2), 2000),
    ((0, 2, 2, 2), 3000), ((2, 2, 2, 0), 3000), ((2, 2, 0, 2), 1000),
]  # fmt: skip
PATTERNS = np.array([levels for levels, _ in ROWS], dtype=np.int8)
COUNTS = np.array([count for _, count in ROWS], dtype=np.float64)


def _model() -> fs.FellegiSunterModel:
    m = [fs._initial_m(3) for _ in range(4)]
    return fs.FellegiSunterModel(["a", "b", "c", "d"], ["code"] * 4, m, U, 0.1)


def _one_key_only_probability(model: fs.FellegiSunterModel) -> float:
    stayed, moved, _, _ = fs._responsibilities(model, PATTERNS[4:5])
    return float(stayed[0] + moved[0])


def test_one_em_over_all_candidates_calls_nearly_all_of_them_matches() -> None:
    model = _model()
    fs._em(model, PATTERNS, COUNTS, 1 - 1e-6, 60, 1e-5)
    assert model.prior > 0.9  # the failure the sessions exist for
    assert _one_key_only_probability(model) > 0.5


def test_sessions_keep_the_match_rate_and_single_key_candidates_low() -> None:
    model = _model()
    sessions = fs._session_estimates(model, PATTERNS, COUNTS, [False] * 4, 60, 1e-5)
    assert sessions is not None
    model.m, model.moved = sessions
    fs._em(model, PATTERNS, COUNTS, 1 - 1e-6, 60, 1e-5, fixed_m=True)
    assert model.prior < 0.5
    assert _one_key_only_probability(model) < 0.01


def test_without_a_distinctive_field_there_are_no_sessions() -> None:
    model = _model()
    model.u = [[0.5, 0.1, 0.4]] * 4  # random records often agree: nothing to block on
    assert fs._session_estimates(model, PATTERNS, COUNTS, [False] * 4, 60, 1e-5) is None


# --- people of one home ----------------------------------------------------------------------
# Fields a and d are personal (first name, birth date), b and c belong to the home (phone,
# address): the (2, 0, 0, 2) candidates are housemates, the rest as above.
HOME = [False, True, True, False]


def _fitted(
    home: list[bool],
    household: float,
    patterns: np.ndarray = PATTERNS,
    counts: np.ndarray = COUNTS,
    *,
    learned: bool = False,
) -> fs.FellegiSunterModel:
    """Fitted as `fit` does; with `learned`, the class learns field d's levels (birth date)."""
    model = _model()
    model.home, model.household = home, household
    if learned:
        model.household_levels = [[], [], [], list(model.u[3])]
    sessions = fs._session_estimates(model, patterns, counts, [False] * 4, 60, 1e-5)
    assert sessions is not None
    model.m, model.moved = sessions
    fs._em(model, patterns, counts, 1 - 1e-6, 60, 1e-5, fixed_m=True)
    return model


def _probability(model: fs.FellegiSunterModel, levels: tuple[int, ...]) -> float:
    stayed, moved, _, _ = fs._responsibilities(model, np.array([levels], dtype=np.int8))
    return float(stayed[0] + moved[0])


def test_without_a_household_class_housemates_are_matches() -> None:
    model = _fitted([], 0.0)
    assert not model.has_households
    assert _probability(model, (2, 0, 0, 2)) > 0.9  # the failure the class exists for


def test_the_household_class_tells_housemates_from_matches() -> None:
    model = _fitted(HOME, 0.05)
    assert model.has_households
    assert model.household == pytest.approx(2000 / COUNTS.sum(), rel=0.2)
    assert _probability(model, (2, 0, 0, 2)) < 0.05
    assert _probability(model, (0, 0, 0, 0)) > 0.99
    # Probabilities from field weights agree with the responsibilities of EM.
    table = [np.log2(np.asarray(m) / np.asarray(u)) for m, u in zip(model.m, model.u, strict=True)]
    weights = np.array([[table[f][level] for f, level in enumerate((2, 0, 0, 2))]])
    levels = np.array([(2, 0, 0, 2)], dtype=np.int8)
    assert model.household_weight(weights, levels)[0] < -5
    assert float(model.probability(weights, levels)[0]) == pytest.approx(
        _probability(model, (2, 0, 0, 2)), rel=1e-6
    )


def test_strong_home_evidence_does_not_saturate_the_household_class() -> None:
    # At scale rare values make term-frequency weights large: here the home's two fields add
    # 80 bits, more than any clipped odds allowed. A different first name must still win.
    model = _fitted(HOME, 0.05)
    weights = np.array([[-5.0, 40.0, 40.0, 0.0]])
    levels = np.array([(2, 0, 0, 2)], dtype=np.int8)
    assert float(model.probability(weights, levels)[0]) < 0.05
    assert model.household_weight(weights, levels)[0] < -70  # no longer stops at -60


def test_a_household_class_needs_personal_and_home_fields() -> None:
    def dataset(types: list[str]) -> Dataset:
        fields = [encode_field(FieldSpec(t, "code", t), ["x", "y"], embed=False) for t in types]
        return Dataset([0, 1], 2, False, fields)

    assert fs.home_fields(dataset(["first_name", "phone", "city"])) == [False, True, True]
    assert fs.home_fields(dataset(["full_name", "phone"])) == [False, True]
    assert fs.home_fields(dataset(["last_name", "phone", "city"])) == [False, False, False]


def test_organizations_at_one_site_share_its_fields_not_a_phone() -> None:
    def dataset(types: list[str]) -> Dataset:
        fields = [encode_field(FieldSpec(t, "code", t), ["x", "y"], embed=False) for t in types]
        return Dataset([0, 1], 2, False, fields)

    suppliers = dataset(["company", "street_address", "city", "phone", "url"])
    assert fs.home_fields(suppliers) == [False, True, True, False, False]
    assert fs.is_organizations(["company", "street_address", "city", "phone", "url"])
    products = ["text", "company", "currency_amount"]  # a brand, no site: a product table
    assert not fs.is_organizations(products)
    assert fs.home_fields(dataset(products)) == [False, False, False]
    assert not fs.is_organizations(["company", "full_name", "email"])  # contacts: people


def test_colleagues_share_the_company_and_its_website_in_tables_of_people() -> None:
    def dataset(types: list[str]) -> Dataset:
        fields = [encode_field(FieldSpec(t, "code", t), ["x", "y"], embed=False) for t in types]
        return Dataset([0, 1], 2, False, fields)

    contacts = ["first_name", "last_name", "phone", "company", "url"]
    assert fs.workplace_fields(dataset(contacts)) == [False, False, False, True, True]
    assert fs._shared_in_class(contacts) == [False, False, False, False, True]
    assert fs.workplace_fields(dataset(["first_name", "phone", "url"])) == []  # no company
    assert fs.workplace_fields(dataset(["company", "city", "url"])) == []  # organizations
    assert fs._shared_in_class(["company", "city", "url"]) == [False, False, True]


def test_the_colleague_class_costs_the_pairs_it_explains() -> None:
    model = _model()
    model.workplace, model.colleagues = [False, False, True, True], 0.2
    levels = np.array([[2, 2, 0, 0], [0, 0, 0, 0]], dtype=np.int8)
    weights = np.log2(np.array([[0.05, 0.05, 0.9, 0.9], [0.9, 0.9, 0.9, 0.9]]) / 0.01)
    weights[0, :2] = np.log2(0.05 / 0.98)
    alone = fs.FellegiSunterModel.from_dict({**model.as_dict(), "colleagues": 0.0})
    assert alone.logit(weights, levels)[0] > 0  # one company and website outweigh the names
    colleague = model.colleague_weight(weights, levels)
    assert colleague[0] < -10
    logit = model.logit(weights, levels)
    assert logit[0] < 0 < 10 < logit[1]  # other names: colleagues; every field: a match
    stayed, _, _, coworkers = fs._responsibilities(model, levels)
    assert coworkers[0] > 0.9 > stayed[0]
    assert stayed[1] > 0.9
    again = fs.FellegiSunterModel.from_dict(model.as_dict())
    assert (again.workplace, again.colleagues) == (model.workplace, model.colleagues)
    # Among all pairs, colleagues are at least as common as random pairs of one employer:
    # blocking finds few of them, so the candidates' rate scaled down falls short.
    model.pair_share = 0.001
    model.u = [list(row) for row in U]
    model.u[2], model.u[3] = [0.003, 0.01, 0.987], [0.002, 0.01, 0.988]
    assert model.colleague_share_of_all_pairs() == pytest.approx(0.002)
    model.pair_share = 0.1
    assert model.colleague_share_of_all_pairs() == pytest.approx(0.02)
    older = {k: v for k, v in model.as_dict().items() if k not in {"workplace", "colleagues"}}
    assert not fs.FellegiSunterModel.from_dict(older).has_colleagues
    with pytest.raises(InputError, match="one workplace flag per field"):
        fs.FellegiSunterModel.from_dict({**model.as_dict(), "workplace": [True]})
    with pytest.raises(InputError, match="colleague rate"):
        fs.FellegiSunterModel.from_dict({**model.as_dict(), "colleagues": 1.5})


def test_a_stored_model_keeps_its_household_class() -> None:
    model = _fitted(HOME, 0.05)
    again = fs.FellegiSunterModel.from_dict(model.as_dict())
    assert again.home == HOME
    assert again.household == model.household
    older = {
        k: v
        for k, v in model.as_dict().items()
        if k not in {"home", "household", "household_levels"}
    }
    assert not fs.FellegiSunterModel.from_dict(older).has_households
    with pytest.raises(InputError, match="one home flag per field"):
        fs.FellegiSunterModel.from_dict({**model.as_dict(), "home": [True]})
    twins = _fitted(HOME, 0.05, learned=True)
    assert fs.FellegiSunterModel.from_dict(twins.as_dict()).household_levels == (
        twins.household_levels
    )
    with pytest.raises(InputError, match="household levels do not match"):
        fs.FellegiSunterModel.from_dict({**twins.as_dict(), "household_levels": [[1.0]]})
    short = [[], [], [], [1.0]]  # field d has three levels
    with pytest.raises(InputError, match="household levels do not match"):
        fs.FellegiSunterModel.from_dict({**twins.as_dict(), "household_levels": short})


# Twins: people of one home who share a birth date (field d) and differ in first name (a).
TWIN_ROWS = [
    ((0, 0, 0, 0), 1000), ((0, 0, 0, 2), 50),
    ((2, 0, 0, 2), 2000), ((2, 0, 0, 0), 400),
    ((0, 2, 2, 2), 3000), ((2, 2, 2, 0), 3000), ((2, 2, 0, 2), 1000),
]  # fmt: skip
TWIN_PATTERNS = np.array([levels for levels, _ in TWIN_ROWS], dtype=np.int8)
TWIN_COUNTS = np.array([count for _, count in TWIN_ROWS], dtype=np.float64)


def test_the_household_class_learns_how_often_housemates_share_a_birth_date() -> None:
    plain = _fitted(HOME, 0.05, TWIN_PATTERNS, TWIN_COUNTS)
    assert _probability(plain, (2, 0, 0, 0)) > 0.5  # twins taken for one person
    model = _fitted(HOME, 0.05, TWIN_PATTERNS, TWIN_COUNTS, learned=True)
    assert model.household_levels[3][0] == pytest.approx(400 / 2400, abs=0.03)
    assert _probability(model, (2, 0, 0, 0)) < 0.2
    assert _probability(model, (0, 0, 0, 0)) > 0.99
    assert _probability(model, (0, 0, 0, 2)) > 0.9


# --- matches that moved ----------------------------------------------------------------------
# Field a is an identifier (e-mail), b a name, c-f move with the person (address, city, ZIP,
# phone). 120 duplicates moved: they agree on a and b only; 3,000 namesakes agree on b only.
MOVED_U = [[0.001, 0.001, 0.998]] * 6
MOVED_ROWS = [
    ((0, 0, 0, 0, 0, 0), 1000), ((0, 1, 0, 0, 0, 0), 100), ((0, 0, 1, 0, 0, 0), 100),
    ((0, 0, 2, 2, 2, 2), 120),
    ((2, 0, 2, 2, 2, 2), 3000),
    ((2, 2, 0, 2, 2, 2), 1000), ((2, 2, 2, 2, 2, 0), 1000),
]  # fmt: skip
MOVED_PATTERNS = np.array([levels for levels, _ in MOVED_ROWS], dtype=np.int8)
MOVED_COUNTS = np.array([count for _, count in MOVED_ROWS], dtype=np.float64)
MOVABLE = [False, False, True, True, True, True]


def _moved_model(movable: list[bool]) -> fs.FellegiSunterModel:
    m = [fs._initial_m(3) for _ in range(6)]
    model = fs.FellegiSunterModel(list("abcdef"), ["code"] * 6, m, MOVED_U, 0.1)
    model.movable = movable
    identifiers = [True] + [False] * 5
    sessions = fs._session_estimates(model, MOVED_PATTERNS, MOVED_COUNTS, identifiers, 60, 1e-5)
    assert sessions is not None
    model.m, model.moved = sessions
    fs._em(model, MOVED_PATTERNS, MOVED_COUNTS, 1 - 1e-6, 60, 1e-5, fixed_m=True)
    return model


def test_the_moved_class_learns_how_many_matches_moved() -> None:
    plain = _moved_model([False] * 6)
    assert not plain.has_moves
    assert _probability(plain, (0, 0, 2, 2, 2, 2)) < 0.01  # four disagreements, counted apart
    model = _moved_model(MOVABLE)
    assert model.moved == pytest.approx(120 / 1320, abs=0.01)
    assert _probability(model, (0, 0, 2, 2, 2, 2)) > 0.99
    assert _probability(model, (2, 0, 2, 2, 2, 2)) < 0.05  # namesakes who live apart
    assert _probability(model, (0, 0, 0, 0, 0, 0)) > 0.99
    # Scoring from field weights agrees with EM's responsibilities.
    levels = MOVED_PATTERNS[3:5]
    table = [np.log2(np.asarray(m) / np.asarray(u)) for m, u in zip(model.m, model.u, strict=True)]
    weights = np.array([[table[f][level] for f, level in enumerate(row)] for row in levels])
    assert model.moved_weight(weights)[0] > 10
    expected = [_probability(model, tuple(row)) for row in levels]
    np.testing.assert_allclose(model.probability(weights, levels), expected, rtol=1e-6)
    assert set(model.adjustments(weights, levels)) == {"moved"}


def test_a_stored_model_keeps_its_moved_class() -> None:
    model = _moved_model(MOVABLE)
    again = fs.FellegiSunterModel.from_dict(model.as_dict())
    assert (again.movable, again.moved) == (MOVABLE, model.moved)
    older = {k: v for k, v in model.as_dict().items() if k not in {"movable", "moved"}}
    assert not fs.FellegiSunterModel.from_dict(older).has_moves
    with pytest.raises(InputError, match="one movable flag per field"):
        fs.FellegiSunterModel.from_dict({**model.as_dict(), "movable": [True]})
    with pytest.raises(InputError, match="moved share"):
        fs.FellegiSunterModel.from_dict({**model.as_dict(), "moved": 1.5})


def test_a_moved_class_needs_a_field_that_stays_with_the_person() -> None:
    def dataset(types: list[str]) -> Dataset:
        fields = [encode_field(FieldSpec(t, "code", t), ["x", "y"], embed=False) for t in types]
        return Dataset([0, 1], 2, False, fields)

    assert fs.moved_fields(dataset(["email", "last_name", "phone", "city"])) == [
        False,
        False,
        True,
        True,
    ]
    assert fs.moved_fields(dataset(["first_name", "last_name", "phone", "city"])) == [False] * 4


def test_duplicates_that_moved_are_found_and_namesakes_are_not() -> None:
    # A move changes address, city, state, ZIP and often the phone at once: counted as five
    # independent disagreements, the same person at a new home at the same e-mail was lost.
    columns = (
        "first_name",
        "last_name",
        "dob",
        "email",
        "phone",
        "address",
        "city",
        "state",
        "zip",
    )
    records, truth = _persons(3000, columns)
    home = ("address", "city", "state", "zip")
    moved = {
        (a, b)
        for a, b in truth
        if all(records[a][c] != records[b][c] for c in home)
        and records[a]["email"] == records[b]["email"]
    }
    assert len(moved) >= 10
    result = dedupe(records)
    model = result.scorer.fs_model
    assert model is not None
    assert model.has_moves
    found = {(int(p.left_id), int(p.right_id)) for p in result.pairs}
    assert len(found & moved) >= 0.98 * len(moved)  # 0.92 without the class
    assert len(found & truth) >= 0.99 * len(found)  # precision
    regained = [
        p.explanation["moved"]
        for p in result.pairs
        if p.explanation is not None and (int(p.left_id), int(p.right_id)) in moved
    ]
    assert max(regained) > 10


def test_one_field_alone_keeps_the_guessed_m_and_fits_only_the_match_rate() -> None:
    streets = ["maple place", "oak drive", "pine avenue", "west drive"]
    values: list[str | None] = [f"{100 + n} {streets[n % 4]} oxford" for n in range(80)]
    values += values[:10]  # ten addresses twice
    spec = FieldSpec("address", "long_text", "address")
    data = Dataset(
        list(range(len(values))), len(values), False, [encode_field(spec, values, embed=False)]
    )
    candidates = candidate_pairs(data)
    model = fs.fit(data, compare(data, candidates.left, candidates.right))
    assert model.m == [fs._initial_m(len(model.m[0]))]  # EM moved only the prior
    assert model.prior < 0.5


def _persons(
    size: int, columns: tuple[str, ...]
) -> tuple[list[dict[str, str]], set[tuple[int, int]]]:
    from bench.dedupe_data import generate

    rows = generate(size, seed=2)
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row["entity_id"], []).append(i)
    truth = {(a, b) for g in groups.values() for a, b in itertools.combinations(g, 2)}
    return [{c: row[c] for c in columns} for row in rows], truth


def test_a_table_of_people_is_scored_at_the_match_rate_among_all_pairs() -> None:
    # Blocked on names, the candidates are full of people who share a first name or a
    # surname; at the candidates' own match rate `ETHAN MOOREFIELD` / `ETHAN MOORE` at
    # another e-mail scored 0.99 (precision 0.80 here; 0.58 at 10,000 records).
    records, truth = _persons(5000, ("first_name", "last_name", "email"))
    result = dedupe(records)
    model = result.scorer.fs_model
    assert model is not None
    assert model.pair_share == pytest.approx(
        result.stats["candidate_pairs"] / fs.all_pairs(result.scorer.data)
    )
    assert model.scoring_prior_weight < model.prior_weight - 10
    found = {(int(p.left_id), int(p.right_id)) for p in result.pairs}
    assert len(found & truth) >= 0.95 * len(found)  # precision
    assert len(found & truth) >= 0.85 * len(truth)  # recall
    restored = fs.FellegiSunterModel.from_dict(model.as_dict())
    assert restored.pair_share == model.pair_share
    legacy = {k: v for k, v in model.as_dict().items() if k != "pair_share"}
    assert fs.FellegiSunterModel.from_dict(legacy).pair_share == 1.0


@pytest.mark.parametrize(
    ("size", "columns"),
    [
        (400, ("first_name", "last_name", "email")),  # too few records to measure u on
        (1500, ("email",)),  # one field: its m is a guess
        (1500, ("address", "city", "phone")),  # no personal field
    ],
)
def test_other_tables_are_scored_at_the_candidates_match_rate(
    size: int, columns: tuple[str, ...]
) -> None:
    records, _ = _persons(size, columns)
    model = dedupe(records).scorer.fs_model
    assert model is not None
    assert model.pair_share == 1.0
    assert model.scoring_prior_weight == model.prior_weight


def test_sessions_that_cannot_tell_matches_from_housemates_are_left_out() -> None:
    # Field a is personal (first name), b and c belong to the home (last name, city). The
    # session on a sees only b and c, on which matches and housemates agree alike.
    model = fs.FellegiSunterModel(
        ["a", "b", "c"], ["code"] * 3, [[0.9, 0.1]] * 3, [[0.001, 0.999]] * 3, 0.1
    )
    model.home, model.household = [False, True, True], 0.05
    patterns = np.array([(0, 0, 0), (0, 1, 0), (1, 0, 0)], dtype=np.int8)
    counts = np.array([100.0, 100.0, 100.0])
    assert fs._session_fields(model, patterns, counts) == [1, 2]
    alone = np.array([(0, 1, 1), (1, 1, 1)], dtype=np.int8)  # only a is ever agreed on
    assert fs._session_fields(model, alone, counts[:2]) == [0]
    model.household = 0.0  # without a household class every distinctive field is held
    assert fs._session_fields(model, patterns, counts) == [0, 1, 2]


def test_first_name_last_name_and_city_find_duplicates_among_namesakes() -> None:
    # The session on first names once taught m that half of all matches have another last
    # name: precision 0.77 here (0.47 at 10,000 records).
    records, truth = _persons(5000, ("first_name", "last_name", "city"))
    found = {(int(p.left_id), int(p.right_id)) for p in dedupe(records).pairs}
    assert len(found & truth) >= 0.9 * len(found)
    assert len(found & truth) >= 0.75 * len(truth)


def _session(m_different: list[float]) -> fs.FellegiSunterModel:
    """A session blocked on field a; its match class's share of "different" per field."""
    m = [[1.0 - d, 0.0, d] for d in m_different]
    return fs.FellegiSunterModel(["a", "b", "c", "d"], ["code"] * 4, m, U, 0.3)


def test_a_session_whose_matches_disagree_on_every_distinctive_field_learned_no_matches() -> None:
    # Its "matches" were people of one first name and city: other last names, birth dates.
    assert not fs._learned_matches(_session([0.0, 0.72, 0.81, 0.9]), 0)


def test_a_session_whose_matches_agree_on_one_distinctive_field_learned_matches() -> None:
    assert fs._learned_matches(_session([0.0, 0.72, 0.2, 0.9]), 0)


def test_a_session_with_no_other_distinctive_field_is_kept() -> None:
    session = _session([0.0, 0.9, 0.9, 0.9])
    session.u = [U[0], [0.5, 0.0, 0.5], [0.5, 0.0, 0.5], [0.5, 0.0, 0.5]]
    assert fs._learned_matches(session, 0)
