"""Warm-up: load the engine's lazily loaded data and models before a request needs them.

The engine loads what it needs on first use, so `import cleara` stays fast. A long-running
service would otherwise pay for each load in whichever request first needs it: dateparser
compiling its locales (about 0.3 s), libphonenumber's geocoding tables (0.3 s), the US ZIP
records (0.6 s), the schema models, the cities' names in other scripts (1 s).
`warm_up()` detects and cleans a small table with a column of every field type and loads
the city names, once per process.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

SAMPLE: tuple[dict[str, Any], ...] = (
    {
        "email": "Ann.Lee@Example.com",
        "phone": "(415) 555-2671",
        "full_name": "Dr. ann lee jr",
        "street": "1600 Amphitheatre Pkwy, Mountain View, CA 94043",
        "city": "Mountain View",
        "state": "CA",
        "zip": "94043",
        "country": "United Stats",
        "date": "03/04/2021",
        "created_at": "2021-03-04T10:15:00Z",
        "quantity": "12",
        "website": "example.com/about",
        "amount": "$1,234.50",
        "active": "yes",
        "gender": "F",
        "notes": "Called back; wants the annual plan",
    },
    {
        "email": "bob@example.org",
        "phone": "+44 20 7946 0958",
        "full_name": "Bob Smith",
        "street": "10 Downing St, London SW1A 2AA",
        "city": "London",
        "state": "Greater London",
        "zip": "SW1A 2AA",
        "country": "UK",
        "date": "le 5 mars 2021",
        "created_at": "5 March 2021 09:30 CET",
        "quantity": "1,5",
        "website": "https://www.example.co.uk",
        "amount": "€ 99,00",
        "active": "no",
        "gender": "male",
        "notes": "n/a",
    },
)


@cache
def warm_up() -> float:
    """Detect and clean `SAMPLE` (once per process); returns the seconds it took."""
    from cleara.engine.clean import clean
    from cleara.engine.dedupe.places import city_form
    from cleara.engine.schema.detect import detect_schema

    started = time.perf_counter()
    rows = list(SAMPLE)
    detect_schema(rows)
    clean(rows)
    city_form("москва")  # cities' names in other scripts, for matching (about 1 s)
    return time.perf_counter() - started
