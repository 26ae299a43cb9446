"""Text encoding detection for delimited files."""

from __future__ import annotations

import codecs

import charset_normalizer

from cleara.io.errors import TableError

#: Bytes read from the start of a file to detect its encoding and delimiter.
SAMPLE_BYTES = 64 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Matches within this chaos margin of the best one count as equally good.
_CHAOS_TIE = 0.01
# Spreadsheet exports are far more often Windows-1252 than the other Latin code pages that
# decode the same bytes into the same plausible text, so it wins ties.
_PREFERRED_SINGLE_BYTE = "cp1252"


_STRUCTURAL = ',;\t|"\n'


def detect_encoding(sample: bytes, *, name: str | None = None) -> str:
    """The Python codec name for text starting with `sample`.

    A byte order mark decides first (`utf-8-sig`, `utf-16`, `utf-32`, which strip it), then
    strict UTF-8, then charset-normalizer. Raises TableError for binary data.
    """
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if _is_utf8(sample):
        return "utf-8"
    guess = _guess_with_charset_normalizer(sample)
    if guess is None or (b"\x00" in sample and not guess.startswith("utf")):
        raise TableError("cannot detect the text encoding; is this a binary file?", path=name)
    return guess


def _is_utf8(sample: bytes) -> bool:
    return _decodes(sample, "utf-8")


def _guess_with_charset_normalizer(sample: bytes) -> str | None:
    """The best charset-normalizer match that keeps the table's structure, or None if binary.

    Short samples fool it (Latin text may look like Big5, whose double-byte characters
    swallow delimiters), so matches that change the count of delimiters, quotes or line
    breaks are skipped, and Windows-1252 is the fallback when none is left.
    """
    matches = charset_normalizer.from_bytes(sample)
    if matches.best() is None:
        return None
    plausible = [match for match in matches if _keeps_structure(sample, match.encoding)]
    if not plausible:
        return _PREFERRED_SINGLE_BYTE if _decodes(sample, _PREFERRED_SINGLE_BYTE) else "latin-1"
    best = plausible[0]
    for match in plausible:
        if match.chaos <= best.chaos + _CHAOS_TIE and (
            _PREFERRED_SINGLE_BYTE in match.could_be_from_charset
        ):
            return _PREFERRED_SINGLE_BYTE
    return codecs.lookup(best.encoding).name


def _decode_prefix(sample: bytes, encoding: str) -> str | None:
    # Incremental decoding with final=False forgives a character cut by the sample's end.
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return None


def _decodes(sample: bytes, encoding: str) -> bool:
    return _decode_prefix(sample, encoding) is not None


def _keeps_structure(sample: bytes, encoding: str) -> bool:
    text = _decode_prefix(sample, encoding)
    if text is None:
        return False
    return all(text.count(char) == sample.count(char.encode()) for char in _STRUCTURAL)
