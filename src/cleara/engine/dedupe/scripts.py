"""Names written in another script, read in Latin letters to compare across scripts.

`Иван Петров` and `Ivan Petrov`, or `王小明` and `Wang Xiaoming`, are one name that shares no
letter as written. AnyAscii gives each letter its common Latin reading (Cyrillic and Greek
letter by letter, pinyin for Chinese characters, Revised Romanization for Hangul): what
another system most often typed. Values of one script are still compared as written, so
Chinese homophones (`王伟`, `汪伟`: both `Wang Wei`) stay different names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from cleara.engine.dedupe.fields import fold
from cleara.engine.fields.name import is_syllable_sign

_SIGNS_READ_AS_NOTHING = str.maketrans("", "", "'`\"")
"""AnyAscii's marks for soft and hard signs (`Ольга` -> `Ol'ga`), which Latin spellings drop."""


@lru_cache(maxsize=100_000)
def romanized(text: str) -> str:
    """The Latin reading of a folded value, folded again (an ASCII value as it is).

    Each syllable sign becomes a word of its own (`王小明` -> `wang xiao ming`), so that the
    word rules meet `Wang Xiaoming` and `Xiaoming Wang` alike.
    """
    if text.isascii():
        return text
    text = text.replace("ου", "ou")  # Greek's `u`, which AnyAscii reads letter by letter
    spaced = "".join(f" {char} " if is_syllable_sign(char) else char for char in text)
    return fold(anyascii(spaced).translate(_SIGNS_READ_AS_NOTHING))


def has_syllable_signs(text: str) -> bool:
    """Whether the value holds a Chinese character or a Hangul syllable."""
    return not text.isascii() and any(is_syllable_sign(char) for char in text)


_SPELLING_VARIANTS = (("kh", "h"), ("x", "ks"), ("yo", "e"), ("y", "i"), ("mp", "b"), ("nt", "d"))
"""Letters that Latin spellings of one name differ by, each read as one form: `Mikhey` /
`Mihey`, `Aleksandr` / `Alexandr`, `Semyon` / `Semen`, `Yuliya` / `Iuliia`, `Ntaizi` /
`Daizi` (Greek `ντ`, `μπ`)."""
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def latin_skeleton(text: str) -> str:
    """The value in Latin letters with spelling variants of transliteration read as one
    (`Юлия`, `Yuliya`, `Iuliia` -> `iulia`): for comparing a value across scripts."""
    skeleton = romanized(text)
    for variant, form in _SPELLING_VARIANTS:
        skeleton = skeleton.replace(variant, form)
    return _DOUBLED.sub(r"\1", skeleton)
