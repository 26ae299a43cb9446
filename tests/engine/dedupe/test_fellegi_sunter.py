"""EM sessions: candidates that agree only on their blocking key are not taken for matches."""

from __future__ import annotations

import numpy as np

from cleara.engine.dedupe import fellegi_sunter as fs

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
    return float(fs._posterior(model, PATTERNS[4:5])[0])


def test_one_em_over_all_candidates_calls_nearly_all_of_them_matches() -> None:
    model = _model()
    fs._em(model, PATTERNS, COUNTS, 1 - 1e-6, 60, 1e-5)
    assert model.prior > 0.9  # the failure the sessions exist for
    assert _one_key_only_probability(model) > 0.5


def test_sessions_keep_the_match_rate_and_single_key_candidates_low() -> None:
    model = _model()
    sessions = fs._session_estimates(model, PATTERNS, COUNTS, 60, 1e-5)
    assert sessions is not None
    model.m = sessions
    fs._em(model, PATTERNS, COUNTS, 1 - 1e-6, 60, 1e-5, fixed_m=True)
    assert model.prior < 0.5
    assert _one_key_only_probability(model) < 0.01


def test_without_a_distinctive_field_there_are_no_sessions() -> None:
    model = _model()
    model.u = [[0.5, 0.1, 0.4]] * 4  # random records often agree: nothing to block on
    assert fs._session_estimates(model, PATTERNS, COUNTS, 60, 1e-5) is None
