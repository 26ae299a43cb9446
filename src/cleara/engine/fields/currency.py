"""Money amounts: a currency symbol or ISO 4217 code before or after a number.

`$1,234.56`, `1.234,56 €`, `EUR 12`, `USD12.00`, `£5`, `¥1000`, `R$ 10,50`, `₹1,00,000`,
`CHF 1'000.50`, `-$5`, `($1,234.00)`. The number part follows `number.py`, including its
per-column decision on the decimal separator.

The value is the amount as a JSON number; components are `amount`, `currency` (ISO 4217)
and `formatted` (`1234.56 USD`, with at least the currency's minor-unit digits).
A symbol several currencies share (`$`, `¥`, `kr`, `Rs`) takes the currency of
`options.country` when that country uses the symbol, otherwise its most common currency
(`$` -> USD) with a `currency_ambiguous_symbol` note. A bare number takes the column's single
currency (the one every marked amount of the column names), else none.
Without a column or country convention, `€1.234` and `$1,234` are read as 1234: money
rarely has three decimals (except in currencies such as KWD that have three minor digits);
a bare number or one with an ISO code keeps the reading of `number.py`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import pycountry

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid
from cleara.engine.fields.number import (
    DecimalSeparator,
    NumberOptions,
    ParsedNumber,
    canonical_text,
    decimal_separator_for,
    infer_decimal_separator,
    parse_number,
    separator_issues,
)

TYPE_NAME = "currency"
RULE = "currency.normalize"

_DOLLARS = (
    *("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "ARS", "CLP", "COP", "CUP"),
    *("DOP", "UYU", "BSD", "BBD", "BZD", "BMD", "BND", "KYD", "FJD", "GYD", "JMD", "LRD"),
    *("NAD", "SBD", "SRD", "TTD", "XCD"),
)
_RUPEES = ("INR", "PKR", "LKR", "NPR", "MUR", "SCR")
_KRONER = ("SEK", "NOK", "DKK", "ISK")
_RIALS = ("SAR", "IRR", "OMR", "QAR", "YER")
# Symbols and words (matched case-insensitively, spaces ignored) -> candidate currencies,
# the most common first.
_SYMBOLS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        **dict.fromkeys(["$", "dollar", "dollars"], _DOLLARS),
        **dict.fromkeys(["us$", "u$s", "u$d"], ("USD",)),
        **dict.fromkeys(["c$", "ca$", "can$"], ("CAD",)),
        **dict.fromkeys(["a$", "au$"], ("AUD",)),
        "nz$": ("NZD",),
        "hk$": ("HKD",),
        **dict.fromkeys(["s$", "sg$"], ("SGD",)),
        **dict.fromkeys(["mx$", "mex$"], ("MXN",)),
        "nt$": ("TWD",),
        "r$": ("BRL",),
        **dict.fromkeys(["€", "euro", "euros"], ("EUR",)),
        **dict.fromkeys(["£", "pound", "pounds"], ("GBP",)),
        "e£": ("EGP",),
        **dict.fromkeys(["¥", "yen"], ("JPY", "CNY")),
        **dict.fromkeys(["jp¥", "円"], ("JPY",)),
        **dict.fromkeys(["cn¥", "元", "rmb", "yuan", "renminbi"], ("CNY",)),
        "₹": ("INR",),
        **dict.fromkeys(["rs", "₨", "rupee", "rupees"], _RUPEES),
        "₩": ("KRW",),
        **dict.fromkeys(["₽", "руб", "р"], ("RUB",)),
        **dict.fromkeys(["₺", "tl"], ("TRY",)),
        "₪": ("ILS",),
        "₫": ("VND",),
        "₱": ("PHP",),
        "฿": ("THB",),
        **dict.fromkeys(["₴", "грн"], ("UAH",)),
        "₦": ("NGN",),
        "zł": ("PLN",),
        "kč": ("CZK",),
        "kr": _KRONER,
        **dict.fromkeys(["fr", "sfr"], ("CHF",)),
        "r": ("ZAR",),
        "rm": ("MYR",),
        "rp": ("IDR",),
        "lei": ("RON",),
        "ft": ("HUF",),
        "лв": ("BGN",),
        "₡": ("CRC",),
        "₲": ("PYG",),
        "₭": ("LAK",),
        "₮": ("MNT",),
        "₸": ("KZT",),
        "₼": ("AZN",),
        "₾": ("GEL",),
        "₵": ("GHS",),
        "s/": ("PEN",),
        "ksh": ("KES",),
        "﷼": _RIALS,
    }
)
_ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND"}
    | {"VUV", "XAF", "XOF", "XPF"}
)
_THREE_DECIMAL = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})
_SIGN_CHARS = "+-\u2212()"
_DIGIT_SPAN = re.compile(r"\d(?:.*\d)?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CurrencyOptions(NumberOptions):
    """Number options plus the one currency every marked value in the column uses."""

    currency: str | None = None


@dataclass(frozen=True, slots=True)
class MoneyParts:
    """A money string split into its sign, number text and currency markers."""

    number: str
    negative: bool
    markers: tuple[str, ...]


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@lru_cache(maxsize=1)
def _currency_by_country() -> MappingProxyType[str, str]:
    path = resources.files("cleara.engine").joinpath("data", "currency_by_country.json")
    return MappingProxyType(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _symbol_table() -> MappingProxyType[str, tuple[str, ...]]:
    return MappingProxyType({_marker_key(symbol): codes for symbol, codes in _SYMBOLS.items()})


def _is_iso_code(marker: str) -> bool:
    return len(marker) == 3 and marker.isascii() and marker.upper() in _iso_codes()


def country_currency(country: str | None) -> str | None:
    """The ISO 4217 code of a country's currency (`DE` -> `EUR`), or None."""
    return _currency_by_country().get(country.upper()) if country else None


def minor_units(code: str | None) -> int:
    """Digits after the decimal point the currency uses (JPY 0, USD 2, KWD 3)."""
    if code in _ZERO_DECIMAL:
        return 0
    return 3 if code in _THREE_DECIMAL else 2


def format_amount(amount: int | float, code: str | None) -> str:
    """`1234.5, "USD"` -> `1234.50 USD`: at least the minor-unit digits, never fewer given."""
    exact = Decimal(repr(amount))
    exponent = exact.as_tuple().exponent
    given = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = f"{exact:.{max(given, minor_units(code))}f}"
    return f"{text} {code}" if code else text


def _marker_key(marker: str) -> str:
    folded = unicodedata.normalize("NFKC", marker).casefold()
    return "".join(folded.split()).rstrip(".")


def split_money(text: str) -> MoneyParts | None:
    """The number text, sign and currency markers of `text`, or None without digits."""
    digits = _DIGIT_SPAN.search(text)
    if digits is None:
        return None
    start, end = digits.span()
    if start > 0 and text[start - 1] in ".,":
        start -= 1  # `$.50`
    before, after = text[:start], text[end:]
    opened, closed = "(" in before, ")" in after
    if opened != closed:
        return None
    negative = opened or any(sign in before + after for sign in "-\u2212")
    stripped = (part.strip(_SIGN_CHARS + " ") for part in (before, after))
    markers = tuple(_marker_key(part) for part in stripped if part)
    if any(char in _SIGN_CHARS for marker in markers for char in marker):
        return None
    return MoneyParts(text[start:end], negative, markers)


@lru_cache(maxsize=4096)
def resolve_currency(markers: tuple[str, ...], country: str | None) -> tuple[str, bool] | None:
    """The currency the markers name and whether a shared symbol left it a guess.

    None when a marker is unknown or two markers disagree (`€5 USD`).
    """
    candidates: list[tuple[str, ...]] = []
    for marker in markers:
        if _is_iso_code(marker):
            candidates.append((marker.upper(),))
        elif marker in _symbol_table():
            candidates.append(_symbol_table()[marker])
        else:
            return None
    common = [code for code in candidates[0] if all(code in other for other in candidates[1:])]
    if not common:
        return None
    local = country_currency(country)
    if local in common:
        return local, False
    return common[0], len(common) > 1


def _infer(texts: Sequence[str], options: FieldOptions) -> FieldOptions:
    numbers: list[str] = []
    currencies: set[str] = set()
    for text in set(texts):
        parts = split_money(text)
        if parts is None:
            continue
        numbers.append(parts.number)
        resolved = resolve_currency(parts.markers, options.country) if parts.markers else None
        if resolved is not None:
            currencies.add(resolved[0])
    decimal = infer_decimal_separator(numbers, options.country)
    column_currency = currencies.pop() if len(currencies) == 1 else None
    values = {f.name: getattr(options, f.name) for f in fields(FieldOptions)}
    return CurrencyOptions(**values, decimal_separator=decimal, currency=column_currency)


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    parts = split_money(text)
    if parts is None:
        return invalid(text, TYPE_NAME, "currency_invalid", f"{text!r} is not a money amount.")
    issues: list[Issue] = []
    confidence = 1.0
    if parts.markers:
        resolved = resolve_currency(parts.markers, options.country)
        if resolved is None:
            message = f"{text!r} names an unknown or conflicting currency."
            return invalid(text, TYPE_NAME, "currency_invalid", message)
        code: str | None = resolved[0]
        if resolved[1]:
            message = f"The symbol could be several currencies; assumed {code}."
            issues.append(Issue("currency_ambiguous_symbol", message, "info"))
            confidence = 0.7
    else:
        # A bare amount takes the column's single currency; without one it stays unset
        # rather than guessed from the country, and is not flagged row by row.
        code = options.currency if isinstance(options, CurrencyOptions) else None
    symbol = any(not _is_iso_code(marker) for marker in parts.markers)
    parsed = parse_amount(parts.number, decimal_separator_for(options), code, symbol=symbol)
    if parsed is None:
        return invalid(text, TYPE_NAME, "currency_invalid", f"{text!r} has no valid amount.")
    separator_notes, separator_confidence = separator_issues(parsed, TYPE_NAME)
    amount = -parsed.value + 0 if parts.negative else parsed.value
    return FieldResult(
        input=text,
        type=TYPE_NAME,
        valid=True,
        value=amount,
        issues=separator_notes + issues,
        components={"amount": amount, "currency": code, "formatted": format_amount(amount, code)},
        confidence=min(confidence, separator_confidence),
        rule=None if canonical_text(amount) == text else RULE,
    )


def parse_amount(
    number: str, decimal: DecimalSeparator | None, code: str | None, *, symbol: bool
) -> ParsedNumber | None:
    """The amount in `number`, or None.

    Without a column decision, a lone separator before three digits after a currency symbol
    (`€1.234`, `$1,234`) groups thousands, as money rarely has three decimals, unless the
    currency has three minor digits. Bare numbers and ISO codes (`1.234 USD`, the formatted
    output) keep the number's own reading, so cleaning stays idempotent.
    """
    parsed = parse_number(number, decimal)
    if parsed is None or parsed.unit is not None:
        return None
    if not (symbol and parsed.ambiguous) or minor_units(code) == 3:
        return parsed
    mark = parsed.decimal_separator or parsed.thousands_separator
    return parse_number(number, "," if mark == "." else ".") or parsed


FIELD = FieldType(TYPE_NAME, _validate_value, infer=_infer)
