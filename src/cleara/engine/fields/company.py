"""Company names: the words of a name once its legal form is set aside.

Company columns are cleaned as text; this module serves matching, where `Acme Corporation`,
`ACME Corp.` and `Acme` are one supplier and `Globex GmbH` is `Globex Gesellschaft mit
beschränkter Haftung`. The legal forms of 67 countries come from cleanco's term data
(`cleanco.termdata`), with a few spelled-out forms it lacks; a word that is also an everyday
word or a country (`uk`, `at`, `ok`, `private`) is not taken for one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleara.engine.fields.base import without_accents

_EXTRA_FORMS = (
    "public limited company", "proprietary limited", "pty", "limited liability company",
    "limited partnership", "limited liability partnership",
    "gesellschaft mit beschrankter haftung", "aktiengesellschaft", "kommanditgesellschaft",
    "societe anonyme", "societe par actions simplifiee", "societe a responsabilite limitee",
    "sociedad anonima", "sociedad limitada", "societa per azioni",
    "societa a responsabilita limitata", "besloten vennootschap", "naamloze vennootschap",
    "aksjeselskap", "aktiebolag", "and co", "co ltd", "co inc",
)  # fmt: skip
_NOT_FORMS = frozenset({"uk", "at", "ok", "eg", "is", "vat", "ent", "private", "ba", "fa", "cio"})
_LONGEST_FORM = 6
_DROPPED = re.compile(r"[.']")
_SPLIT = re.compile(r"[\s\-/&,;:()]+")


def company_words(text: str) -> str:
    """A company name's comparison form: `text` (lower case, as `fold` gives it) without
    periods, hyphens and `&`/`and`, a possessive `s` joined to its word (`john s` →
    `johns`), no leading `the`, and no legal form at the end (repeatedly: `Pty Ltd`,
    `GmbH & Co. KG`, `Co., Ltd.`). A name that is nothing but legal-form words keeps them."""
    words = name_words(text)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    end = len(words)
    forms = legal_forms()
    stripped = True
    while stripped:
        stripped = False
        for size in range(min(_LONGEST_FORM, end - 1), 0, -1):
            if tuple(words[end - size : end]) in forms:
                end -= size
                stripped = True
                break
    return " ".join(words[:end])


def name_words(text: str) -> list[str]:
    """The words of a folded name: periods and apostrophes dropped (`s.a.` → `sa`, `o'neil`
    → `oneil`), split at spaces and separators, `and` left out, and a lone `s` (what folding
    leaves of `John's`) joined to the word before it."""
    words: list[str] = []
    for word in _SPLIT.split(_DROPPED.sub("", text.lower())):
        if not word or word == "and":
            continue
        if word == "s" and words:
            words[-1] += "s"
        else:
            words.append(word)
    return words


@lru_cache(maxsize=1)
def legal_forms() -> frozenset[tuple[str, ...]]:
    """Legal forms as word tuples in `name_words` form: `("gmbh", "co", "kg")`, `("sa",)`."""
    from cleanco.termdata import terms_by_country, terms_by_type  # type: ignore[import-untyped]

    terms = [t for group in terms_by_type.values() for t in group]
    terms += [t for group in terms_by_country.values() for t in group]
    forms = {tuple(name_words(without_accents(term))) for term in [*terms, *_EXTRA_FORMS]}
    return frozenset(f for f in forms if f and not (len(f) == 1 and f[0] in _NOT_FORMS))
