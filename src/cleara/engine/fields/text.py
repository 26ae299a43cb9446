"""Free text: mojibake repair, invisible characters, whitespace and Unicode NFC.

`clean_text` is the reusable core (other field modules call it on raw cells). It applies,
in order:

1. `text.mojibake`: text that was UTF-8 decoded as Windows-1252/Latin-1 (`cafÃ©`) is
   repaired with ftfy, which only runs when a cheap check suggests mojibake. Quotes, dashes,
   ligatures and character widths are left as they are.
2. `text.invisible`: zero-width spaces, word joiners, BOMs, soft hyphens, bidi controls and
   control characters (other than newline and tab) are removed. Zero-width joiners and
   non-joiners are kept between two non-ASCII characters, where they shape emoji sequences
   and Persian or Indic words.
3. `text.whitespace`: line endings become `\\n`, non-breaking and other Unicode spaces become
   plain spaces, runs of spaces and tabs collapse to one space, each line is trimmed and runs
   of blank lines collapse to a single blank line.
4. `text.nfc`: Unicode canonical composition (NFC).

The passes repeat until the text is stable, so cleaning is idempotent. Text that cleans down
to nothing or to a null token (`\u200b-`) gives a null value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import MappingProxyType

import ftfy
import ftfy.badness

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, is_null

TYPE_NAME = "text"
RULE_MOJIBAKE = "text.mojibake"
RULE_INVISIBLE = "text.invisible"
RULE_WHITESPACE = "text.whitespace"
RULE_NFC = "text.nfc"
# The order in which a result names its main rule: the most significant repair first.
RULE_PRIORITY = (RULE_MOJIBAKE, RULE_INVISIBLE, RULE_WHITESPACE, RULE_NFC)
_MAX_PASSES = 4

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# Characters a UTF-8 continuation byte (0x80-0xBF) becomes when read as Windows-1252, with
# the five bytes it leaves undefined read as Latin-1 C1 controls.
_CP1252_CONTINUATION = frozenset(
    bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore") + "\x81\x8d\x8f\x90\x9d"
)
# `â€` is the mojibake prefix of U+2018..U+201D; a right double quote (byte 0x9D, undefined
# in Windows-1252) is usually dropped or replaced by U+FFFD, leaving `â€` on its own.
_DANGLING_QUOTE = re.compile("â€(?![" + "".join(sorted(_CP1252_CONTINUATION)) + "])")
_C1_CONTROL = re.compile("[\x80-\x9f]")

_ALWAYS_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
)
_KEPT_CONTROLS = frozenset("\n\t\r\x0b\x0c")
_CONTROL_CHARS = "".join(
    chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in _KEPT_CONTROLS
)
_INVISIBLE_TABLE = MappingProxyType(dict.fromkeys(map(ord, _ALWAYS_INVISIBLE + _CONTROL_CHARS)))
# Joiners shape emoji sequences and Persian/Indic words: keep them between two non-ASCII
# characters, drop them at the text's edges or next to ASCII or whitespace.
_STRAY_JOINER = re.compile(
    r"(?:^|(?<=[\x00-\x7f]))[\u200c\u200d]+|[\u200c\u200d]+(?=$|[\x00-\x7f])"
)

_UNICODE_SPACES = "\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACE_TABLE = MappingProxyType(
    {**dict.fromkeys(map(ord, _UNICODE_SPACES + "\t\x0b\x0c"), " "), 0x2028: "\n", 0x2029: "\n"}
)
_LINE_BREAK = re.compile(r"\r\n?")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> tuple[str, list[str]]:
    """The cleaned text and the rules applied (`text.mojibake`, `text.invisible`, ...)."""
    cleaned, rules = _clean_cached(text)
    return cleaned, list(rules)


@lru_cache(maxsize=65536)
def _clean_cached(text: str) -> tuple[str, tuple[str, ...]]:
    if _is_plain(text):
        return text, ()
    applied: set[str] = set()
    current = text
    for _ in range(_MAX_PASSES):
        cleaned, rules = _clean_once(current)
        if cleaned == current:
            break
        applied.update(rules)
        current = cleaned
    return current, tuple(rule for rule in RULE_PRIORITY if rule in applied)


def _is_plain(text: str) -> bool:
    """Printable ASCII with single inner spaces and no outer ones: nothing to clean."""
    return text.isascii() and text.isprintable() and "  " not in text and text == text.strip()


def _clean_once(text: str) -> tuple[str, list[str]]:
    rules: list[str] = []
    for rule, step in _STEPS:
        changed = step(text)
        if changed != text:
            rules.append(rule)
            text = changed
    return text, rules


def looks_like_mojibake(text: str) -> bool:
    """A fast check: only non-ASCII text with C1 controls or ftfy's mojibake signs qualifies."""
    if text.isascii():
        return False
    return bool(_C1_CONTROL.search(text)) or bool(ftfy.badness.is_bad(text))


def repair_mojibake(text: str) -> str:
    """`text` with mis-decoded UTF-8 repaired (`cafÃ©` -> `café`); unchanged when clean."""
    if not looks_like_mojibake(text):
        return text
    restored = _DANGLING_QUOTE.sub("â€\x9d", text.replace("â€\ufffd", "â€\x9d"))
    fixed: str = ftfy.fix_text(restored, _FTFY_CONFIG)
    return text if fixed == restored else fixed


def remove_invisible(text: str) -> str:
    """`text` without zero-width, bidi, BOM, soft-hyphen and control characters."""
    if text.isascii() and text.isprintable():
        return text
    visible = text.translate(_INVISIBLE_TABLE)
    if "\u200c" in visible or "\u200d" in visible:
        visible = _STRAY_JOINER.sub("", visible)
    return visible


def normalize_whitespace(text: str) -> str:
    """Unix line endings, plain single spaces, trimmed lines, at most one blank line in a row."""
    spaced = _LINE_BREAK.sub("\n", text).translate(_SPACE_TABLE)
    spaced = _SPACE_RUN.sub(" ", spaced)
    if "\n" in spaced:
        spaced = "\n".join(line.strip(" ") for line in spaced.split("\n"))
        spaced = _BLANK_LINES.sub("\n\n", spaced).strip("\n")
    return spaced.strip(" ")


def compose(text: str) -> str:
    """Unicode NFC (canonical composition)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


_STEPS = (
    (RULE_MOJIBAKE, repair_mojibake),
    (RULE_INVISIBLE, remove_invisible),
    (RULE_WHITESPACE, normalize_whitespace),
    (RULE_NFC, compose),
)


def _validate_value(text: str, _options: FieldOptions) -> FieldResult:
    cleaned, rules = clean_text(text)
    issues = []
    if RULE_MOJIBAKE in rules:
        issues.append(Issue("text_mojibake", "Repaired mis-decoded characters (mojibake).", "info"))
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=None if is_null(cleaned) else cleaned,
        issues=issues,
        components={"repairs": rules},
        rule=rules[0] if rules else None,
    )


FIELD = FieldType(TYPE_NAME, _validate_value)
