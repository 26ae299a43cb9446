"""Header names as exports write them, for training how header and value evidence combine.

A variant is a synonym of the type dressed the way real files spell headers (casing,
separators, qualifiers such as `billing_` or `_1`, phrases such as `surname of customer` that
only a sentence embedding reads well), a generic name (`col7`, `Unnamed: 3`),
no header at all, or, rarely, the header of another type (a mislabelled column).
"""

from __future__ import annotations

import random
import re

from cleara.engine.schema.headers import synonyms
from cleara.engine.schema.types import SEMANTIC_TYPES

_QUALIFIERS = (
    "customer", "billing", "shipping", "contact", "primary", "home", "work", "client", "user",
    "main", "cust", "emp", "new", "old", "kunde", "cliente",
)  # fmt: skip
_OWNERS = ("customer", "client", "contact", "user", "employee", "member", "account", "person")
_PHRASES = ("{1} of {0}", "{1} of the {0}", "{0}'s {1}", "the {0}'s {1}")
_GENERIC = ("col{n}", "column{n}", "Column {n}", "field_{n}", "Unnamed: {n}", "x{n}", "var{n}",
            "attr{n}", "c{n}", "F{n}", "{n}", "data{n}", "value{n}")  # fmt: skip


def generic_header(rng: random.Random) -> str:
    """A header that says nothing about the column (`col7`, `Unnamed: 3`)."""
    return rng.choice(_GENERIC).format(n=rng.randrange(0, 40))


_WORD_SPLIT = re.compile(r"\s+")


def styled(words: list[str], rng: random.Random) -> str:
    """`words` joined in one of the casing/separator styles real headers use."""
    style = rng.randrange(7)
    if style == 0:
        return " ".join(words)
    if style == 1:
        return "_".join(words)
    if style == 2:
        return "_".join(w.upper() for w in words)
    if style == 3:
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == 4:
        return "".join(w.capitalize() for w in words)
    if style == 5:
        return " ".join(w.capitalize() for w in words)
    return "-".join(words)


def header_variant(type_name: str, rng: random.Random) -> str:
    """One realistic header for a column of `type_name` (possibly empty or generic)."""
    draw = rng.random()
    if draw < 0.25:
        return ""
    if draw < 0.4:
        return generic_header(rng)
    if draw < 0.43:
        type_name = rng.choice(SEMANTIC_TYPES)  # a mislabelled column
    options = synonyms().get(type_name, (type_name.replace("_", " "),))
    words = _WORD_SPLIT.split(rng.choice(options).strip())
    draw = rng.random()
    if draw < 0.2:
        words = [rng.choice(_QUALIFIERS), *words]
    elif draw < 0.3:  # a phrase around the synonym: `surname of customer`, `client's email`
        words = rng.choice(_PHRASES).format(rng.choice(_OWNERS), " ".join(words)).split()
    if rng.random() < 0.1:
        words = [*words, str(rng.randrange(1, 4))]
    header = styled(words, rng)
    if rng.random() < 0.15 and len(header) > 4:  # a typo keeps it off the exact synonym list
        i = rng.randrange(1, len(header) - 1)
        header = header[:i] + header[i + 1 :]
    return header
