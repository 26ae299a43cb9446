"""Numbers written the many ways people write them, to a JSON number.

Accepted: decimal point or comma (`1,234.56`, `1.234,56`), space, apostrophe and Indian
grouping (`1 234 567`, `1'234.50`, `12,34,567`), a leading `+` or `-`, a trailing minus
(`1234-`), accounting parentheses (`(1,234)`), scientific notation (`1.5e3`) and full-width
or other scripts' decimal digits.

The decimal separator is decided per column by `infer`: every value whose own structure
shows its separator (`1,5`, `1.234.567`, `1.234,56`) votes; a tie or no evidence at all falls
back to the column's country convention (`options.country`), and failing that each value
falls back to a decimal point, with a `number_ambiguous_separator` note on values such as
`1,234` that read differently under the two conventions.

A percent or per-mille sign is kept out of the value: `12%` gives 12 with component
`unit: "%"` (the number as written, so the meaning of the column does not change scale).

The value is an int when the number is integral (and exactly representable), else a float.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Literal

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid

TYPE_NAME = "number"
RULE = "number.normalize"
DecimalSeparator = Literal[".", ","]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Countries whose convention is a decimal comma; every other country writes a decimal point.
DECIMAL_COMMA_COUNTRIES = _words(
    "AD AL AM AO AR AT AZ BA BE BF BG BJ BO BR BY CD CF CG CI CL CM CO CR CU CV CY CZ DE DK DZ "
    "EC EE ES FI FO FR GA GE GL GN GR HR HU ID IS IT KG KZ LT LU LV MA MD ME MG MK ML MN MR MZ "
    "NE NL NO PE PL PT PY RO RS RU SE SI SK SM SN SR TD TG TJ TM TN TR UA UY UZ VE VN ZA"
)
# The largest integer a float holds exactly: integral floats beyond it stay floats.
_EXACT_FLOAT_LIMIT = 2**53
_MAX_DIGITS = 4000  # Python refuses int() on longer digit strings

_CHAR_MAP = str.maketrans(
    {"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\u2019": "'", "\u02bc": "'",
     "\u00b4": "'", "`": "'", "\u066b": ".", "\u066c": ","}
)  # fmt: skip
_BODY = re.compile(r"[\d.,' ]+")
# Unicode spaces (no-break, thin, narrow...) all act as a space; full-width forms as ASCII.
_SPACE_MAP = str.maketrans(dict.fromkeys("\u00a0\u2007\u2009\u202f\u2002\u2003\u2008\u3000", " "))
_FULL_WIDTH_MAP = str.maketrans({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
_SCIENTIFIC = re.compile(r"(\d+(?:[.,]\d*)?|[.,]\d+)[eE]([+-]?\d+)")
_UNITS = ("%", "‰")


@dataclass(frozen=True, slots=True)
class NumberOptions(FieldOptions):
    """Field options plus the column's decimal separator, as decided by `infer`."""

    decimal_separator: DecimalSeparator | None = None


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A parsed number and how it was written.

    `evidence` is the decimal separator the text's own structure implies (None when it shows
    none), `ambiguous` says the fallback decided it, and `conflict` says the text's structure
    contradicts the decimal separator it was parsed under.
    """

    value: int | float
    decimal_separator: str | None
    thousands_separator: str | None
    unit: str | None = None
    evidence: DecimalSeparator | None = None
    ambiguous: bool = False
    conflict: bool = False


def country_decimal_separator(country: str | None) -> DecimalSeparator | None:
    """The decimal separator a country writes, or None when no country is given."""
    if not country:
        return None
    return "," if country.upper() in DECIMAL_COMMA_COUNTRIES else "."


def number_options(options: FieldOptions, decimal: DecimalSeparator | None) -> NumberOptions:
    """`options` as NumberOptions with the given decimal separator."""
    if isinstance(options, NumberOptions):
        return replace(options, decimal_separator=decimal)
    values = {f.name: getattr(options, f.name) for f in fields(FieldOptions)}
    return NumberOptions(**values, decimal_separator=decimal)


def decimal_separator_for(options: FieldOptions) -> DecimalSeparator | None:
    """The column's decimal separator, else the country's, else None (decide per value)."""
    if isinstance(options, NumberOptions) and options.decimal_separator:
        return options.decimal_separator
    return country_decimal_separator(options.country)


def infer_decimal_separator(
    texts: Sequence[str], country: str | None = None
) -> DecimalSeparator | None:
    """The decimal separator most values show, the country's on a tie, else None."""
    votes: Counter[str] = Counter()
    for text in set(texts):
        parsed = parse_number(text)
        if parsed is not None and parsed.evidence is not None:
            votes[parsed.evidence] += 1
    if votes["."] > votes[","]:
        return "."
    if votes[","] > votes["."]:
        return ","
    return country_decimal_separator(country)


def parse_number(text: str, decimal: DecimalSeparator | None = None) -> ParsedNumber | None:
    """Parse `text` under the column's decimal separator (None: decide per value).

    Returns None when `text` is not a number.
    """
    body, negative, unit = _split_sign_and_unit(_normalize_chars(text))
    if body is None:
        return None
    scientific = _SCIENTIFIC.fullmatch(body)
    if scientific:
        parsed = _parse_scientific(scientific)
    elif _BODY.fullmatch(body) and any(char.isdecimal() for char in body):
        parsed = _parse_grouped(body, decimal)
    else:
        return None
    if parsed is None:
        return None
    if not negative and unit is None:
        return parsed
    value = -parsed.value + 0 if negative else parsed.value  # `+ 0` turns -0.0 into 0.0
    return replace(parsed, value=value, unit=unit)


def _normalize_chars(text: str) -> str:
    if not text.isascii():
        text = text.translate(_FULL_WIDTH_MAP).translate(_SPACE_MAP).translate(_CHAR_MAP)
    return text.replace("`", "'").strip()


def _split_sign_and_unit(text: str) -> tuple[str | None, bool, str | None]:
    """The unsigned body, whether the number is negative and its unit (`%`, `‰`)."""
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text[:1] in ("+", "-"):
        if negative and text[0] == "-":
            return None, False, None
        negative, text = negative or text[0] == "-", text[1:].lstrip()
    unit = None
    if text[-1:] in _UNITS:
        unit, text = text[-1], text[:-1].rstrip()
    elif text[:1] in _UNITS:
        unit, text = text[0], text[1:].lstrip()
    if text.endswith("-") and not negative:
        negative, text = True, text[:-1].rstrip()
    return (text or None), negative, unit


def _parse_scientific(match: re.Match[str]) -> ParsedNumber | None:
    mantissa, exponent = match.groups()
    separator = "," if "," in mantissa else ("." if "." in mantissa else None)
    try:
        number = float(f"{mantissa.replace(',', '.')}e{exponent}")
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number):
        return None
    evidence: DecimalSeparator | None = "," if separator == "," else None
    return ParsedNumber(_as_json_number(number), separator, None, evidence=evidence)


def _parse_grouped(body: str, decimal: DecimalSeparator | None) -> ParsedNumber | None:
    evidence = _structural_decimal(body)
    ambiguous = False
    if evidence is not None:
        chosen: str | None = evidence if evidence in body else None
    else:
        chosen, ambiguous = _decide_without_evidence(body, decimal)
    conflict = evidence is not None and decimal is not None and evidence != decimal
    number = _assemble(body, chosen)
    if number is None:
        return None
    value, thousands = number
    return ParsedNumber(value, chosen, thousands, None, evidence, ambiguous, conflict)


def _structural_decimal(body: str) -> DecimalSeparator | None:
    """The decimal separator the written form itself implies, or None when it shows none.

    A thousands separator that repeats implies the other one is the decimal separator.
    """
    dot, comma = body.rfind("."), body.rfind(",")
    if dot >= 0 and comma >= 0:
        return "." if dot > comma else ","
    if dot < 0 and comma < 0:
        return None
    mark: DecimalSeparator = "." if dot >= 0 else ","
    other: DecimalSeparator = "," if mark == "." else "."
    if body.count(mark) > 1:
        return other
    integer, fraction = body.split(mark)
    if (
        "'" in integer
        or " " in integer
        or len(fraction) != 3
        or not integer
        or integer.startswith("0")
        or len(integer) > 3
    ):
        return mark
    return None


def _decide_without_evidence(
    body: str, decimal: DecimalSeparator | None
) -> tuple[str | None, bool]:
    """The decimal separator for a body like `1,234` (or one with no separator at all)."""
    mark = "." if "." in body else ("," if "," in body else None)
    if mark is None:
        return None, False
    if decimal is None:
        return (mark if mark == "." else None), True
    return (mark if mark == decimal else None), False


def _assemble(body: str, decimal: str | None) -> tuple[int | float, str | None] | None:
    """The number from a body whose decimal separator is known, and its thousands separator."""
    integer, fraction = body.rsplit(decimal, 1) if decimal else (body, "")
    if fraction and not fraction.isdecimal():
        return None
    if not integer and not fraction:
        return None
    separators = {char for char in integer if not char.isdecimal()}
    if len(separators) > 1:
        return None
    thousands = separators.pop() if separators else None
    if thousands is not None and not _valid_grouping(integer.split(thousands), thousands):
        return None
    digits = integer.replace(thousands, "") if thousands else integer
    if len(digits) + len(fraction) > _MAX_DIGITS:
        return None
    if not fraction:
        return int(digits), thousands
    number = float(f"{digits or '0'}.{fraction}")
    return (_as_json_number(number), thousands) if math.isfinite(number) else None


def _valid_grouping(groups: list[str], separator: str) -> bool:
    """Western groups of three (`1,234,567`) or, for commas, Indian lakh grouping."""
    if not all(group.isdecimal() for group in groups):
        return False
    head, rest = groups[0], groups[1:]
    if 1 <= len(head) <= 3 and all(len(group) == 3 for group in rest):
        return True
    return (
        separator == ","
        and 1 <= len(head) <= 2
        and len(rest[-1]) == 3
        and all(len(group) == 2 for group in rest[:-1])
    )


def _as_json_number(number: float) -> int | float:
    if number.is_integer() and abs(number) < _EXACT_FLOAT_LIMIT:
        return int(number)
    return number


def canonical_text(value: int | float) -> str:
    """How a parsed value prints (`1234.5`, `-7`), to tell whether the input changed."""
    return repr(value)


def _infer(texts: Sequence[str], options: FieldOptions) -> FieldOptions:
    return number_options(options, infer_decimal_separator(texts, options.country))


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    parsed = parse_number(text, decimal_separator_for(options))
    if parsed is None:
        return invalid(text, TYPE_NAME, "number_invalid", f"{text!r} is not a number.")
    issues, confidence = separator_issues(parsed, TYPE_NAME)
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=parsed.value,
        issues=issues,
        components={
            "decimal_separator": parsed.decimal_separator,
            "thousands_separator": parsed.thousands_separator,
            "unit": parsed.unit,
        },
        confidence=confidence,
        rule=None if canonical_text(parsed.value) == text else RULE,
    )


def separator_issues(parsed: ParsedNumber, type_name: str) -> tuple[list[Issue], float]:
    """Notes about an ambiguous or conflicting separator, and the resulting confidence."""
    if parsed.conflict:
        message = f"The decimal separator {parsed.evidence!r} differs from the column's convention."
        return [Issue(f"{type_name}_separator_conflict", message, "warning")], 0.8
    if parsed.ambiguous:
        reading = "decimal" if parsed.decimal_separator else "thousands"
        message = (
            "The separator could be a decimal or a thousands separator; "
            f"read as a {reading} separator."
        )
        return [Issue(f"{type_name}_ambiguous_separator", message, "info")], 0.6
    return [], 1.0


FIELD = FieldType(TYPE_NAME, _validate_value, infer=_infer)
