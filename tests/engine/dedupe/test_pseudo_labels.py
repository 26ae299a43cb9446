import numpy as np

from cleara.engine.dedupe import pseudo_labels


def _candidates() -> np.ndarray:
    """Fellegi-Sunter log-odds of 1,000 candidates: 600 sure non-matches, 100 unsure, 300
    sure matches."""
    rng = np.random.default_rng(0)
    return np.concatenate(
        [rng.uniform(-20.0, -3.0, 600), rng.uniform(-2.0, 2.0, 100), rng.uniform(3.0, 20.0, 300)]
    )


def _boundary_labels() -> tuple[np.ndarray, np.ndarray]:
    """Forty labels where Fellegi-Sunter is unsure, as active learning proposes them."""
    logit = np.linspace(-1.5, 1.5, 40)
    return logit, np.arange(40) % 3 == 0


def _choose(
    label_logit: np.ndarray, truth: np.ndarray, matched: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    candidates = _candidates()
    return pseudo_labels.choose(
        candidate_logit=candidates,
        label_logit=label_logit,
        truth=truth,
        eligible=np.ones(len(candidates), dtype=bool),
        matched=matched,
    )


def test_a_classifier_overruling_sure_decisions_gets_them_as_labels() -> None:
    candidates = _candidates()
    label_logit, truth = _boundary_labels()
    matched = candidates > 0.0
    matched[:200] = True  # the classifier calls a third of the sure non-matches matches
    rows, decided = _choose(label_logit, truth, matched)
    assert len(rows) >= pseudo_labels.PER_STRATUM
    assert (candidates[rows] <= -pseudo_labels.CONFIDENT).all()  # only where it overrules
    assert not decided.any()  # Fellegi-Sunter's decision: no match
    assert len(set(rows.tolist())) == len(rows)


def test_nothing_is_added_where_the_classifier_agrees_or_the_rows_are_labelled() -> None:
    candidates = _candidates()
    label_logit, truth = _boundary_labels()
    agreeing = candidates > 0.0
    kwargs = {"candidate_logit": candidates, "label_logit": label_logit, "truth": truth}
    eligible = np.ones(len(candidates), dtype=bool)
    rows, _ = pseudo_labels.choose(**kwargs, eligible=eligible, matched=agreeing)
    assert len(rows) == 0
    overruling = agreeing.copy()
    overruling[:200] = True
    eligible[:600] = False  # every sure non-match is labelled already
    rows, _ = pseudo_labels.choose(**kwargs, eligible=eligible, matched=overruling)
    assert len(rows) == 0


def test_labels_that_find_fellegi_sunter_wrong_where_it_is_sure_lend_nothing() -> None:
    candidates = _candidates()
    matched = candidates > 0.0
    matched[:200] = True
    # Twenty sure non-matches by Fellegi-Sunter, of which the labels call half matches.
    label_logit = np.full(20, -8.0)
    truth = np.arange(20) % 2 == 0
    rows, _ = _choose(label_logit, truth, matched)
    assert len(rows) == 0


def test_overruling_within_what_the_labels_show_is_left_alone() -> None:
    # The labels find Fellegi-Sunter's sure matches wrong 1 time in 20; the classifier
    # rejecting 4% of them is in line with that.
    candidates = _candidates()
    matched = candidates > 0.0
    sure_matches = np.flatnonzero(candidates >= 10.0)
    matched[sure_matches[: int(0.04 * len(sure_matches))]] = False
    label_logit = np.full(20, 12.0)
    truth = np.arange(20) != 0
    rows, _ = _choose(label_logit, truth, matched)
    assert len(rows) == 0
