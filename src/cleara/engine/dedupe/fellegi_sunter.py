"""Unsupervised Fellegi-Sunter scoring: u from random pairs, m by EM, term-frequency weights.

Each field's agreement level l contributes log2(m[l] / u[l]) to a pair's match weight, where
m is P(level | match) and u is P(level | non-match). As in Splink, u is estimated from random
record pairs (almost all non-matches) and m by expectation-maximisation over the candidate
pairs with u held fixed. Exact agreement on a rare value counts for more than on a common one:
its u is the value's frequency instead of the field's average (term-frequency adjustment).

People who share a home agree on last name, address, ZIP and phone at once, which independent
evidence would add up to a match. When a table has fields of both kinds, a third latent class
stands for them: different people of one home, who agree on the home's fields as matches do and
on personal fields (first name, e-mail) as random records do; how often they share a birth date
(twins) is learned. EM estimates how common they are; a pair's match weight then loses
log2(1 + P(home) / P(unrelated)).

Contacts with their employer hold colleagues: different people who agree on the company name
and website as matches do and on everything else as random records do. Among 10,000
contacts, a company that twenty of them share adds some 9 bits to every pair of them and its
website as many: more than two other names and phones took away. Where a table of people
has a company column, a fourth class stands for them, and a pair's match weight loses
log2(1 + (P(home) + P(colleagues)) / P(unrelated)).

A duplicate made after its person moved disagrees on the address, city, state, ZIP and often
the phone at once, which independent evidence would count against the match once per field.
Where a field that stays with a person who moves (e-mail, birth date, national id) can tell
how often that happens, matches are a mixture: those that stayed agree on the moved fields as
m says, and those that moved agree on them as random records do (u). The share that moved is
learned on the candidates that agree on such a field; a pair's match weight then gains
log2(1 - moved + moved / BF), where BF is the Bayes factor of its moved fields.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.compare import Comparison, compare, level_counts
from cleara.engine.dedupe.data import Dataset, FloatArray, IntArray
from cleara.engine.dedupe.fields import (
    HOME_TYPES,
    ORGANIZATION_TYPES,
    PERSONAL_TYPES,
    SITE_TYPES,
    is_organizations,
    is_people,
)
from cleara.engine.table import InputError

TF_KINDS = frozenset({"name", "text", "long_text", "code"})
_SMOOTHING = 1e-4
# Pseudo-counts that keep EM sane on a handful of pairs: a Beta(1, 9) prior on the match rate
# and 10 pseudo-pairs at the initial m values; on real data volumes they vanish.
_PRIOR_PSEUDO = (1.0, 9.0)
_M_PSEUDO = 10.0
_U_SAMPLES = 200_000
_MAX_WEIGHT = 20.0
_LINKS_PER_RECORD = 1.0
_DUPLICATE_PAIRS_PER_RECORD = 3.0
_PACKED_FIELDS = 21  # 21 fields x 3 bits fit in an int64
_INITIAL_HOUSEHOLD = 0.05
_INITIAL_MOVED = 0.05
_MAX_MOVED = 0.5
CAPPED_PRIOR = 0.99
"""A match rate this close to its bound (`max_prior`) counts as bounded."""

SHARED_PERSONAL_TYPES = frozenset({"date_of_birth"})
"""Personal types that people of one home may still share (twins' birth date): the household
class learns how often they agree, where other personal fields agree as random records do."""
MOVED_TYPES = HOME_TYPES - {"last_name"}
"""Semantic types that change when a person moves."""
SHARED_ORGANIZATION_TYPES = frozenset({"url"})
"""Fields that neighbours may still share, and that their class learns: sister companies
often keep one group website. Not the company name: where it was the one field to tell
neighbours apart, a class that learned it took in matches with a typo in the name (company,
address and city of 2,000 synthetic suppliers: recall 0.59; 0.997 without)."""
IDENTIFIER_TYPES = frozenset({"email", "date_of_birth", "national_id"})
"""Personal types that stay with a person who moves: the candidates that agree on one tell how
many duplicates moved."""
_HOUSEHOLD_PSEUDO = 100.0  # pseudo-pairs at u for those fields: few households keep h near u


@dataclass(slots=True)
class FellegiSunterModel:
    """m and u probabilities per field and level, and the match rate of candidates."""

    fields: list[str]
    kinds: list[str]
    m: list[list[float]]
    u: list[list[float]]
    prior: float
    iterations: int = 0
    home: list[bool] = field(default_factory=list)
    """Per field: whether people of one home share it (empty: no household class)."""
    household: float = 0.0
    """Share of candidates that are different people of one home (0: no household class)."""
    household_levels: list[list[float]] = field(default_factory=list)
    """Per field: P(level | people of one home) where learned (`SHARED_PERSONAL_TYPES`), else
    empty (the class then agrees as matches do on home fields, as random records elsewhere)."""
    pair_share: float = 1.0
    """Candidates per record pair where pairs are scored by their rates among all pairs (tables
    of people, see `fit`); 1: scored by their rates among the candidates."""
    movable: list[bool] = field(default_factory=list)
    """Per field: whether a person's move changes it (empty: no moved class)."""
    moved: float = 0.0
    """Share of matches whose movable fields agree as random records do (0: no moved class);
    those fields' m then counts the matches that stayed."""
    workplace: list[bool] = field(default_factory=list)
    """Per field: whether colleagues (different people of one organization) share it (empty:
    no colleague class)."""
    colleagues: float = 0.0
    """Share of candidates that are colleagues (0: no colleague class)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": self.fields,
            "kinds": self.kinds,
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "iterations": self.iterations,
            "home": self.home,
            "household": self.household,
            "household_levels": self.household_levels,
            "pair_share": self.pair_share,
            "movable": self.movable,
            "moved": self.moved,
            "workplace": self.workplace,
            "colleagues": self.colleagues,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FellegiSunterModel:
        home = data.get("home", [])
        shared = data.get("household_levels", [])
        if len(home) not in (0, len(data["fields"])):
            raise InputError("stored model: one home flag per field expected")
        if len(shared) not in (0, len(home)) or any(
            row and len(row) != len(levels) for row, levels in zip(shared, data["u"], strict=False)
        ):
            raise InputError("stored model: household levels do not match its fields")
        movable = data.get("movable", [])
        if len(movable) not in (0, len(data["fields"])):
            raise InputError("stored model: one movable flag per field expected")
        moved = float(data.get("moved", 0.0))
        if not 0.0 <= moved < 1.0:
            raise InputError("stored model: the moved share must be in [0, 1)")
        workplace = data.get("workplace", [])
        if len(workplace) not in (0, len(data["fields"])):
            raise InputError("stored model: one workplace flag per field expected")
        colleagues = float(data.get("colleagues", 0.0))
        if not 0.0 <= colleagues < 1.0:
            raise InputError("stored model: the colleague rate must be in [0, 1)")
        return cls(
            list(data["fields"]),
            list(data["kinds"]),
            [list(map(float, row)) for row in data["m"]],
            [list(map(float, row)) for row in data["u"]],
            float(data["prior"]),
            int(data.get("iterations", 0)),
            [bool(flag) for flag in home],
            float(data.get("household", 0.0)),
            [list(map(float, row)) for row in shared],
            float(data.get("pair_share", 1.0)),
            [bool(flag) for flag in movable],
            moved,
            [bool(flag) for flag in workplace],
            colleagues,
        )

    @property
    def has_households(self) -> bool:
        return self.household > 0.0 and any(self.home)

    @property
    def has_colleagues(self) -> bool:
        return self.colleagues > 0.0 and any(self.workplace)

    @property
    def has_moves(self) -> bool:
        return self.moved > 0.0 and any(self.movable)

    @property
    def unrelated(self) -> float:
        """Share of candidates that are neither matches, people of one home nor colleagues."""
        home = self.household if self.has_households else 0.0
        return 1.0 - self.prior - home - (self.colleagues if self.has_colleagues else 0.0)

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds of a match against an unrelated pair, among candidates."""
        return math.log2(self.prior / self.unrelated)

    @property
    def household_prior_weight(self) -> float:
        return math.log2(self.household / self.unrelated)

    @property
    def colleague_prior_weight(self) -> float:
        return math.log2(self.colleagues / self.unrelated)

    @property
    def scoring_prior_weight(self) -> float:
        """`prior_weight` at the rates pairs are scored by (see `pair_share`)."""
        return self._scoring_weights()[0]

    def _scoring_weights(self) -> tuple[float, float, float]:
        """log2 prior odds of a match, of people of one home and of colleagues against an
        unrelated pair, at the rates among all pairs (the candidates' rates times
        `pair_share`)."""
        if self.pair_share >= 1.0:
            return (
                self.prior_weight,
                self.household_prior_weight if self.has_households else 0.0,
                self.colleague_prior_weight if self.has_colleagues else 0.0,
            )
        match = self.prior * self.pair_share
        home = self.household * self.pair_share if self.has_households else 0.0
        colleagues = self.colleague_share_of_all_pairs() if self.has_colleagues else 0.0
        unrelated = 1.0 - match - home - colleagues
        home_weight = math.log2(home / unrelated) if home > 0 else 0.0
        colleague_weight = math.log2(colleagues / unrelated) if colleagues > 0 else 0.0
        return math.log2(match / unrelated), home_weight, colleague_weight

    def colleague_share_of_all_pairs(self) -> float:
        """The share of all record pairs that are colleagues: the candidates' rate times
        `pair_share`, or, where more, the share of random pairs that agree exactly on every
        workplace field (u): blocking finds few colleagues, so the scaled rate falls short."""
        sharing = min(self.u[f][0] for f, shared in enumerate(self.workplace) if shared)
        return max(self.colleagues * self.pair_share, min(sharing, 0.5))

    def household_odds(
        self, weights: FloatArray, levels: NDArray[np.int8], *, scoring: bool = False
    ) -> FloatArray:
        """Per pair: log2 P(people of one home) / P(unrelated), from the home fields' weights
        and the learned fields' levels (`household_levels`); among candidates (EM), or with
        `scoring` at the rates pairs are scored by."""
        home = weights[:, np.asarray(self.home, dtype=bool)].sum(axis=1)
        for f, shared in enumerate(self.household_levels):
            if shared:
                home = home + _level_weights(levels[:, f], shared, self.u[f])
        # Not clipped: with many agreeing home fields both this and the match odds pass 60
        # bits, and only their difference decides between the two classes.
        prior = self._scoring_weights()[1] if scoring else self.household_prior_weight
        odds: FloatArray = home + prior
        return odds

    def colleague_odds(self, weights: FloatArray, *, scoring: bool = False) -> FloatArray:
        """Per pair: log2 P(colleagues) / P(unrelated): the workplace fields agree as matches
        do, the others as random records; among candidates, or at the scoring rates."""
        shared = weights[:, np.asarray(self.workplace, dtype=bool)].sum(axis=1)
        prior = self._scoring_weights()[2] if scoring else self.colleague_prior_weight
        odds: FloatArray = shared + prior
        return odds

    def household_weight(self, weights: FloatArray, levels: NDArray[np.int8]) -> FloatArray:
        """Per pair: -log2(1 + P(home) / P(unrelated)), the match weight the class costs."""
        home = self._scoring_home_odds(weights, levels)
        if home is None:
            return np.zeros(len(weights), dtype=np.float64)
        result: FloatArray = -np.logaddexp2(0.0, home)
        return result

    def colleague_weight(self, weights: FloatArray, levels: NDArray[np.int8]) -> FloatArray:
        """Per pair: the match weight the colleague class costs beyond the household class's,
        so that the two add up to -log2(1 + (P(home) + P(colleagues)) / P(unrelated))."""
        return self._colleague_cost(weights, self._scoring_home_odds(weights, levels))

    def _scoring_home_odds(
        self, weights: FloatArray, levels: NDArray[np.int8]
    ) -> FloatArray | None:
        return self.household_odds(weights, levels, scoring=True) if self.has_households else None

    def _colleague_cost(self, weights: FloatArray, home: FloatArray | None) -> FloatArray:
        """`colleague_weight`, given the household odds at the scoring rates (None: no
        household class)."""
        odds = self.colleague_odds(weights, scoring=True)
        if home is None:
            alone: FloatArray = -np.logaddexp2(0.0, odds)
            return alone
        result: FloatArray = np.logaddexp2(0.0, home) - np.logaddexp2(
            0.0, np.logaddexp2(home, odds)
        )
        return result

    def moved_weight(self, weights: FloatArray) -> FloatArray:
        """Per pair: log2(1 - moved + moved / BF), the match weight the moved class adds, where
        BF is the Bayes factor of the movable fields (`weights`: per pair and field)."""
        if not self.has_moves:
            return np.zeros(len(weights), dtype=np.float64)
        movable = weights[:, np.asarray(self.movable, dtype=bool)].sum(axis=1)
        result: FloatArray = np.logaddexp2(
            math.log2(1.0 - self.moved), math.log2(self.moved) - movable
        )
        return result

    def field_weights(self, data: Dataset, comparison: Comparison) -> FloatArray:
        """Per pair and field: log2 Bayes factor (0 for missing values), TF-adjusted."""
        weights = np.zeros(comparison.levels.shape, dtype=np.float64)
        for f, field_data in enumerate(data.fields):
            levels = comparison.levels[:, f].astype(np.int64)
            present = levels >= 0
            table = np.log2(np.asarray(self.m[f]) / np.asarray(self.u[f]))
            weights[present, f] = table[levels[present]]
            if self.kinds[f] in TF_KINDS:
                exact = levels == 0
                codes = field_data.codes[comparison.left[exact]]
                frequency = field_data.counts[codes] / max(field_data.population, 1)
                frequency = np.maximum(frequency, 1.0 / max(field_data.population, 1))
                weights[exact, f] = np.log2(self.m[f][0] / frequency)
        clipped: FloatArray = np.clip(weights, -_MAX_WEIGHT, _MAX_WEIGHT)
        return clipped

    def adjustments(self, weights: FloatArray, levels: NDArray[np.int8]) -> dict[str, FloatArray]:
        """Per pair, the match weight of each class beyond match and unrelated that the model
        has: `household` (`household_weight`), `colleagues` (`colleague_weight`) and `moved`
        (`moved_weight`)."""
        result: dict[str, FloatArray] = {}
        home = self._scoring_home_odds(weights, levels)  # both classes' costs need them
        if home is not None:
            result["household"] = -np.logaddexp2(0.0, home)
        if self.has_colleagues:
            result["colleagues"] = self._colleague_cost(weights, home)
        if self.has_moves:
            result["moved"] = self.moved_weight(weights)
        return result

    def logit(self, weights: FloatArray, levels: NDArray[np.int8]) -> FloatArray:
        """Match weight (log2 odds) per pair, from per-field weights and agreement levels."""
        total: FloatArray = weights.sum(axis=1) + self.scoring_prior_weight
        for adjustment in self.adjustments(weights, levels).values():
            total = total + adjustment
        return total

    def probability(self, weights: FloatArray, levels: NDArray[np.int8]) -> FloatArray:
        """Match probability from per-field weights and agreement levels."""
        total = self.logit(weights, levels)
        result: FloatArray = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
        return result


def _level_weights(levels: NDArray[np.int8], h: list[float], u: list[float]) -> FloatArray:
    """log2 h[l] / u[l] per pair (0 where the value is missing)."""
    result = np.zeros(len(levels), dtype=np.float64)
    present = levels >= 0
    table = np.log2(np.asarray(h) / np.asarray(u))
    result[present] = table[levels[present].astype(np.int64)]
    return result


def random_pairs(data: Dataset, count: int, seed: int = 0) -> tuple[IntArray, IntArray]:
    """Uniformly random distinct record pairs (across the tables in link mode)."""
    rng = np.random.default_rng(seed)
    if data.link:
        n_right = data.size - data.n_left
        if data.n_left == 0 or n_right == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        i = rng.integers(0, data.n_left, count)
        j = rng.integers(data.n_left, data.size, count)
        return i.astype(np.int64), j.astype(np.int64)
    if data.size < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i = rng.integers(0, data.size, count)
    j = rng.integers(0, data.size - 1, count)
    j = np.where(j >= i, j + 1, j)
    return i.astype(np.int64), j.astype(np.int64)


def estimate_u(data: Dataset, samples: int = _U_SAMPLES) -> list[list[float]]:
    """P(level | non-match) per field, from random pairs."""
    possible = data.n_left * (data.size - data.n_left) if data.link else data.size**2 // 2
    count = int(min(samples, max(20 * data.size, 20_000), max(possible * 2, 1)))
    left, right = random_pairs(data, count)
    sample = compare(data, left, right, features=False)
    result = []
    for f, field_data in enumerate(data.fields):
        levels = sample.levels[:, f]
        counts = np.bincount(levels[levels >= 0], minlength=level_counts(field_data.spec.kind))
        result.append(_normalized(counts.astype(np.float64) + 1.0))
    return result


def _normalized(counts: NDArray[np.float64]) -> list[float]:
    return [float(x) for x in counts / counts.sum()]


ALL_PAIRS_MIN_RECORDS = 1000
"""Records from which a table of people is scored at the match rate among all pairs (`fit`):
u then rests on 20,000 random pairs or more."""


def fit(
    data: Dataset, comparison: Comparison, *, max_iterations: int = 60, tolerance: float = 1e-5
) -> FellegiSunterModel:
    """`fit_candidates`; a table of people (a field of `PERSONAL_TYPES` among two or more) of
    at least ALL_PAIRS_MIN_RECORDS records is then scored by the match and household rates
    among all record pairs, as in Fellegi and Sunter's model (and Splink's).

    u comes from random pairs, but the candidates were blocked on names, so people who share
    a first name or a surname fill them: at the candidates' own match rate, name agreement
    counts twice (once in choosing the candidates, once in the Bayes factor), and `ETHAN
    MOOREFIELD` / `ETHAN MOORE` at another phone, address and e-mail scored 0.99. On 10,000
    synthetic persons (`bench_dedupe columns --size 10000`) F1 rose from 0.70 to 0.92 with
    first name, last name and e-mail, from 0.84 to 0.99 with e-mail, phone and address too,
    and from 0.04 to 0.60 with the city (namesakes had chained into one cluster); every
    column: 0.9978 -> 0.9949, FEBRL 1-4 the same or up to 0.0005 better. Product tables keep
    the candidates' rate: their few, weaker fields lost recall at the lower one (Magellan
    without labels: Walmart-Amazon 49.9 -> 27.3 test F1). So do small tables, where u rests
    on a few random pairs and the match rate on a few candidates (mostly the smoothing
    counts): four records lost their one duplicate; and so does a single field, whose m is
    a guess (an e-mail column alone: 0.846 -> 0.818).
    """
    model = fit_candidates(data, comparison, max_iterations=max_iterations, tolerance=tolerance)
    types = [f.spec.type for f in data.fields]
    people = is_people(types) or is_organizations(types)
    several = len(data.fields) > 1  # one field's m is a guess: see `fit_candidates`
    if people and several and data.size >= ALL_PAIRS_MIN_RECORDS and len(comparison):
        model.pair_share = min(1.0, len(comparison) / max(all_pairs(data), 1.0))
    return model


def all_pairs(data: Dataset) -> float:
    """How many record pairs there are (across the tables when linking)."""
    if data.link:
        return float(data.n_left) * float(data.size - data.n_left)
    return float(data.size) * float(data.size - 1) / 2.0


def fit_candidates(
    data: Dataset, comparison: Comparison, *, max_iterations: int = 60, tolerance: float = 1e-5
) -> FellegiSunterModel:
    """Estimate u from random pairs, m by EM sessions, then the prior by EM over all candidates.

    Candidates agree on their blocking keys by construction, and related records that are not
    the same (people sharing a home) agree on several fields at once. EM over all candidates
    can then explain nearly every candidate as a match. So, as Splink's training sessions do,
    m is estimated on the candidates that agree exactly on one distinctive field, with that
    field left out, once per such field; each field's m is the pair-weighted mean over the
    sessions that estimated it. With m and u fixed, EM then finds only the match rate (and the
    household rate, when the fields allow a household class: see `home_fields`). When that
    match rate reaches its bound (more matches than the records can have: the estimated m
    took a crowd of look-alikes for matches, as first name, last name and city alone did),
    and m's guess keeps the rate within it, the guess is used instead. One field
    alone cannot tell matches by agreement patterns (EM would call any split of its levels
    the matches, e.g. 42% of address candidates that half agree), so its m stays the prior
    guess (most matches agree exactly) and EM finds only the match rate.
    """
    kinds = [f.spec.kind for f in data.fields]
    u = estimate_u(data)
    m = [_initial_m(level_counts(kind)) for kind in kinds]
    cap = max_prior(data, len(comparison))
    model = FellegiSunterModel([f.spec.name for f in data.fields], kinds, m, u, min(0.1, cap))
    model.home = home_fields(data)
    model.household = min(_INITIAL_HOUSEHOLD, cap) if any(model.home) else 0.0
    model.workplace = workplace_fields(data)
    model.colleagues = min(_INITIAL_HOUSEHOLD, cap) if any(model.workplace) else 0.0
    if any(model.home):
        shared = _shared_in_class([f.spec.type for f in data.fields])
        model.household_levels = [list(u[f]) if shared[f] else [] for f in range(len(u))]
    if len(comparison) == 0 or not data.fields:
        return model
    patterns, counts = level_patterns(comparison.levels)
    guess = copy.deepcopy(model)
    model.movable = moved_fields(data)
    identifiers = [f.spec.type in IDENTIFIER_TYPES for f in data.fields]
    sessions = _session_estimates(model, patterns, counts, identifiers, max_iterations, tolerance)
    if sessions is None:  # no distinctive field to train on: EM over all candidates
        fixed = len(data.fields) == 1  # any split of one field's levels fits: keep m's guess
        iterations = _em(model, patterns, counts, cap, max_iterations, tolerance, fixed_m=fixed)
    else:
        model.m, model.moved = sessions
        iterations = _em(model, patterns, counts, cap, max_iterations, tolerance, fixed_m=True)
    model.iterations = iterations
    if model.prior >= CAPPED_PRIOR * cap:
        guess.iterations = _em(
            guess, patterns, counts, cap, max_iterations, tolerance, fixed_m=True
        )
        if guess.prior < CAPPED_PRIOR * cap:
            return guess
    return model


def moved_fields(data: Dataset) -> list[bool]:
    """Per field, whether a person's move changes it; all False unless the table also has a
    field that stays with a person who moves (`IDENTIFIER_TYPES`)."""
    types = [f.spec.type for f in data.fields]
    if not any(t in IDENTIFIER_TYPES for t in types):
        return [False] * len(types)
    return [t in MOVED_TYPES for t in types]


def home_fields(data: Dataset) -> list[bool]:
    """Per field, whether people of one home share it; all False unless the table also has a
    field that tells such people apart (a household class needs both kinds). In a table of
    organizations (`is_organizations`) the class stands for organizations at one site: they
    share its address, city, state and postal code, not a phone."""
    types = [f.spec.type for f in data.fields]
    if is_organizations(types):
        return [t in SITE_TYPES for t in types]
    home = [t in HOME_TYPES for t in types]
    if not any(t in PERSONAL_TYPES for t in types):
        return [False] * len(types)
    return home


def workplace_fields(data: Dataset) -> list[bool]:
    """Per field, whether colleagues share it: in a table of people with a company column
    (contacts and their employer), the company name and website. Empty otherwise."""
    types = [f.spec.type for f in data.fields]
    if not is_people(types) or not any(t in ORGANIZATION_TYPES for t in types):
        return []
    return [t in ORGANIZATION_TYPES or t == "url" for t in types]


def _shared_in_class(types: list[str]) -> list[bool]:
    """Per field, whether the household class learns its levels (twins' birth dates; sister
    companies' websites) rather than agreeing on it as random records do. In a table of
    people with a company column the home is often a workplace, and the class learns the
    website too: a vendor list with a contact person otherwise linked sister companies of one
    group website."""
    if is_organizations(types):
        shared = SHARED_ORGANIZATION_TYPES
    elif any(t in ORGANIZATION_TYPES for t in types):
        shared = SHARED_PERSONAL_TYPES | SHARED_ORGANIZATION_TYPES
    else:
        shared = SHARED_PERSONAL_TYPES
    return [t in shared for t in types]


_SESSION_MAX_U = 0.01  # a field is distinctive when random records rarely agree on it exactly
_SESSION_MIN_PAIRS = 30


def _session_estimates(
    model: FellegiSunterModel,
    patterns: NDArray[np.int8],
    counts: FloatArray,
    identifiers: list[bool],
    max_iterations: int,
    tolerance: float,
) -> tuple[list[list[float]], float] | None:
    """m per field from EM sessions over candidates agreeing exactly on one distinctive field,
    and the share of matches that moved (see `moved_fields`).

    The sessions on an identifier (`IDENTIFIER_TYPES`) learn the moved share: their candidates
    are nearly all matches, so those that disagree on every movable field are matches that
    moved. The other sessions have no moved class: one on a last name holds namesakes who live
    apart, and EM would take them for matches that moved (on 100,000 synthetic persons, 19% of
    matches then had another birth date)."""
    fields = patterns.shape[1]
    totals = [np.zeros(len(row)) for row in model.m]
    weights = np.zeros(fields)
    moves = any(model.movable)
    moved, moved_pairs = 0.0, 0.0
    for g in _session_fields(model, patterns, counts):
        rows = patterns[:, g] == 0
        pairs = float(counts[rows].sum())
        learn_moved = moves and identifiers[g]
        session_patterns = patterns[rows].copy()
        session_patterns[:, g] = -1  # the field the session is blocked on says nothing
        session = FellegiSunterModel(
            model.fields,
            model.kinds,
            [list(r) for r in model.m],
            model.u,
            0.5,
            home=model.home,
            household=_INITIAL_HOUSEHOLD if model.has_households else 0.0,
            household_levels=[list(row) for row in model.household_levels],
            movable=model.movable,
            moved=_INITIAL_MOVED if learn_moved else 0.0,
            workplace=model.workplace,
            colleagues=_INITIAL_HOUSEHOLD if model.has_colleagues else 0.0,
        )
        _em(
            session,
            session_patterns,
            counts[rows],
            1 - 1e-6,
            max_iterations,
            tolerance,
            learn_moved=learn_moved,
        )
        if not _learned_matches(session, g):
            continue
        if learn_moved:
            moved += pairs * session.moved
            moved_pairs += pairs
        for f in range(fields):
            if f != g:
                totals[f] += pairs * np.asarray(session.m[f])
                weights[f] += pairs
    if not weights.any():
        return None
    m = [_normalized(totals[f]) if weights[f] else list(model.m[f]) for f in range(fields)]
    return m, moved / max(moved_pairs, 1.0)


def _learned_matches(session: FellegiSunterModel, blocked: int) -> bool:
    """Whether a session's match class is one of matches: it agrees, more often than not, on
    at least one distinctive field besides the one the session is blocked on.

    A session can hold next to no matches: when every duplicate writes its name in another
    script, candidates agreeing exactly on a first name are other people. EM still splits
    them in two, and its "matches" were people of one first name and city, with other last
    names (72%) and birth dates (81%); their m made a different birth date weigh little."""
    others = [f for f in range(len(session.m)) if f != blocked and session.u[f][0] < _SESSION_MAX_U]
    return not others or any(session.m[f][-1] <= 0.5 for f in others)


def _session_fields(
    model: FellegiSunterModel, patterns: NDArray[np.int8], counts: FloatArray
) -> list[int]:
    """The fields to hold EM sessions on: distinctive ones (random records rarely agree on them
    exactly) that enough candidates agree on.

    Where the model has a household class, a session whose other fields all belong to the
    home cannot tell matches from people of one home: both agree on every field it sees. With
    first name, last name and city, the session on first names then taught m that half of all
    matches have another last name (F1 0.605 at 10,000 synthetic persons; 0.847 without it).
    Such sessions are left out unless no other session is held (a full name and a city)."""
    fields = patterns.shape[1]
    if fields < 2:
        return []
    held = [
        g
        for g in range(fields)
        if model.u[g][0] < _SESSION_MAX_U
        and float(counts[patterns[:, g] == 0].sum()) >= _SESSION_MIN_PAIRS
    ]
    if not model.has_households:
        return held
    telling = [g for g in held if not all(model.home[f] for f in range(fields) if f != g)]
    return telling or held


def _em(
    model: FellegiSunterModel,
    patterns: NDArray[np.int8],
    counts: FloatArray,
    cap: float,
    max_iterations: int,
    tolerance: float,
    *,
    fixed_m: bool = False,
    learn_moved: bool = False,
) -> int:
    """EM for the prior, the household rate (when the model has a household class), m unless
    `fixed_m` and the moved share if `learn_moved`, with u fixed; returns the iterations run.

    People of one home agree on the home's fields as matches do, so those fields' m counts
    both classes (and the workplace fields' m the colleagues); every other field's m counts
    matches only, and a movable field's the matches that stayed."""
    kinds = model.kinds
    households = model.has_households
    iteration = 0
    total = counts.sum() + sum(_PRIOR_PSEUDO)
    colleagues = model.has_colleagues
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - returned below
        stayed, moved, home, coworkers = _responsibilities(model, patterns)
        weighted_stayed = stayed * counts
        weighted = weighted_stayed + moved * counts
        weighted_home = home * counts
        weighted_coworkers = coworkers * counts
        new_m = (
            model.m
            if fixed_m
            else [
                _m_step(
                    patterns[:, f],
                    _m_weights(
                        model, f, weighted, weighted_stayed, weighted_home, weighted_coworkers
                    ),
                    level_counts(k),
                )
                for f, k in enumerate(kinds)
            ]
        )
        matches = weighted.sum() + _PRIOR_PSEUDO[0]
        new_prior = float(np.clip(matches / total, 1e-6, cap))
        new_moved = model.moved
        if learn_moved:
            share = (float((moved * counts).sum()) + _PRIOR_PSEUDO[0]) / (
                matches + _PRIOR_PSEUDO[1]
            )
            new_moved = float(np.clip(share, 1e-6, _MAX_MOVED))
        new_colleagues = model.colleagues
        if colleagues:
            share = (weighted_coworkers.sum() + _PRIOR_PSEUDO[0]) / total
            new_colleagues = float(np.clip(share, 1e-6, min(cap, 1.0 - new_prior - 1e-6)))
        new_household = model.household
        if households:
            shared = (weighted_home.sum() + _PRIOR_PSEUDO[0]) / total
            room = 1.0 - new_prior - (new_colleagues if colleagues else 0.0) - 1e-6
            new_household = float(np.clip(shared, 1e-6, min(cap, room)))
        change = max(
            abs(new_prior - model.prior),
            abs(new_household - model.household),
            abs(new_colleagues - model.colleagues),
            abs(new_moved - model.moved),
            max(
                max(abs(a - b) for a, b in zip(x, y, strict=True))
                for x, y in zip(new_m, model.m, strict=True)
            ),
        )
        if households:
            new_levels = [
                _household_step(model, patterns, counts, f) if shared else []
                for f, shared in enumerate(model.household_levels)
            ]
            moved_levels = [
                max(abs(a - b) for a, b in zip(x, y, strict=True))
                for x, y in zip(new_levels, model.household_levels, strict=True)
                if x
            ]
            change = max([change, *moved_levels])
            model.household_levels = new_levels
        model.m, model.prior, model.household = new_m, new_prior, new_household
        model.colleagues = new_colleagues
        model.moved = new_moved
        if change < tolerance:
            break
    return iteration


def _m_weights(
    model: FellegiSunterModel,
    f: int,
    matches: FloatArray,
    stayed: FloatArray,
    home: FloatArray,
    colleagues: FloatArray,
) -> FloatArray:
    """The weights field f's m is counted with (see `_em`)."""
    result = stayed if model.has_moves and model.movable[f] else matches
    if model.has_households and model.home[f]:
        result = result + home
    if model.has_colleagues and model.workplace[f]:
        result = result + colleagues
    return result


def level_patterns(levels: NDArray[np.int8]) -> tuple[NDArray[np.int8], FloatArray]:
    """The distinct rows of `levels` (agreement patterns) and how many pairs have each.

    Each row is packed into one integer (levels -1..6 are 3 bits each), so finding the
    patterns is a 1-D sort instead of a row-wise one: 5x faster on millions of pairs.
    """
    fields = levels.shape[1]
    if not 0 < fields <= _PACKED_FIELDS or len(levels) == 0 or int(levels.max()) > 6:
        patterns, counts = np.unique(levels, axis=0, return_counts=True)
        return patterns, counts.astype(np.float64)
    shifts = np.arange(fields, dtype=np.int64) * 3
    packed = ((levels.astype(np.int64) + 1) << shifts).sum(axis=1)
    keys, counts = np.unique(packed, return_counts=True)
    patterns = ((keys[:, None] >> shifts) & 7) - 1
    return patterns.astype(np.int8), counts.astype(np.float64)


def max_prior(data: Dataset, candidates: int) -> float:
    """The largest share of candidate pairs that can be matches.

    A record has about one match in the other table; when deduplicating, a record is in a
    few duplicate pairs at most on average (a cluster of k records has k - 1 per record).
    Without this bound EM can explain the blocked candidates, which are all far more alike
    than random pairs, as one big match class.
    """
    return float(np.clip(possible_matches(data) / max(candidates, 1), 1e-6, 1 - 1e-6))


def possible_matches(data: Dataset) -> float:
    """About one link per record of the smaller table; three duplicate pairs per record."""
    if data.link:
        return _LINKS_PER_RECORD * min(data.n_left, data.size - data.n_left)
    return _DUPLICATE_PAIRS_PER_RECORD * data.size


def _initial_m(levels: int) -> list[float]:
    raw = np.array([0.9] + [0.1 / 2**k for k in range(1, levels)], dtype=np.float64)
    return _normalized(raw)


def _responsibilities(
    model: FellegiSunterModel, patterns: NDArray[np.int8]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """P(a match that stayed), P(a match that moved), P(different people of one home) and
    P(colleagues) per agreement pattern."""
    weights = np.zeros(patterns.shape, dtype=np.float64)
    for f in range(patterns.shape[1]):
        levels = patterns[:, f].astype(np.int64)
        present = levels >= 0
        table = np.log2(np.asarray(model.m[f]) / np.asarray(model.u[f]))
        weights[present, f] = table[levels[present]]
    moved_weight = model.moved_weight(weights)
    match_odds = weights.sum(axis=1) + model.prior_weight + moved_weight
    # Softmax over match, people of one home, colleagues and unrelated (0) in base 2, shifted
    # for stability.
    home_odds = model.household_odds(weights, patterns) if model.has_households else None
    work_odds = model.colleague_odds(weights) if model.has_colleagues else None
    top = np.maximum(match_odds, 0.0)
    for odds in (home_odds, work_odds):
        if odds is not None:
            top = np.maximum(top, odds)
    match = np.exp2(match_odds - top)
    home = np.exp2(home_odds - top) if home_odds is not None else np.zeros(len(patterns))
    work = np.exp2(work_odds - top) if work_odds is not None else np.zeros(len(patterns))
    denominator = match + home + work + np.exp2(-top)
    match, home, work = match / denominator, home / denominator, work / denominator
    # Of the matches, those that stayed: (1 - moved) / (1 - moved + moved / BF).
    stayed = (
        match * np.exp2(math.log2(1.0 - model.moved) - moved_weight) if model.has_moves else match
    )
    return stayed, match - stayed, home, work


def _household_step(
    model: FellegiSunterModel, patterns: NDArray[np.int8], counts: FloatArray, f: int
) -> list[float]:
    """P(level of field f | people of one home), drawn towards u by `_HOUSEHOLD_PSEUDO`
    pseudo-pairs.

    Which pairs are people of one home is judged with field f left out: judged with it, the
    duplicates that agree on f but differ elsewhere (a new e-mail) would count as people of
    one home who agree on f, raise P(agree | home), and so be judged people of one home.
    """
    blind = patterns.copy()
    blind[:, f] = -1
    _, _, home, _ = _responsibilities(model, blind)
    levels = patterns[:, f]
    present = levels >= 0
    totals = np.bincount(
        levels[present].astype(np.int64),
        weights=(home * counts)[present],
        minlength=len(model.u[f]),
    )
    return _normalized(totals + _HOUSEHOLD_PSEUDO * np.asarray(model.u[f]))


def _m_step(levels: NDArray[np.int8], weighted: FloatArray, count: int) -> list[float]:
    present = levels >= 0
    totals = np.bincount(
        levels[present].astype(np.int64), weights=weighted[present], minlength=count
    )
    pseudo = _M_PSEUDO * np.asarray(_initial_m(count))
    return _normalized(totals + pseudo + _SMOOTHING * max(float(totals.sum()), 1.0))
