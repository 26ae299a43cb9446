"""The contract every field-type module follows, and the shared result types.

Each field module (email.py, phone.py, ...) exposes a module-level `FIELD: FieldType` object:

* `validate(value, options)` checks and normalizes one value on its own;
* `clean_column(values, options, row_countries)` cleans a whole column, first inferring what
  holds for the column (date order, decimal separator, phone region) and then cleaning each
  distinct value once (results are cached per distinct input).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
JsonScalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in a value. `code` is a stable snake_case string, e.g. `email_typo`."""

    code: str
    message: str
    severity: Severity = "warning"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "severity": self.severity}


@dataclass(slots=True)
class FieldResult:
    """The outcome of checking one value.

    `value` is the normalized value (None when the input is null or, for invalid input,
    when it cannot be normalized). `rule` names the main transformation applied when the
    value changed (e.g. `phone.e164`), for the change log. `confidence` says how sure the
    engine is of `value` (1.0 for deterministic rewrites). `placeholder` marks a filler
    typed where the real value was unknown (`noemail@gmail.com`, `1900-01-01`): valid in
    form, but standing for no value.
    """

    input: JsonScalar
    type: str
    valid: bool
    value: JsonScalar
    issues: list[Issue] = field(default_factory=list)
    components: dict[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    confidence: float = 1.0
    rule: str | None = None
    placeholder: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape used by the CLI and the API."""
        return {
            "input": self.input,
            "type": self.type,
            "valid": self.valid,
            "value": self.value,
            "issues": [{"code": i.code, "message": i.message} for i in self.issues],
            "components": self.components,
            "suggestion": self.suggestion,
            "placeholder": self.placeholder,
        }


@dataclass(frozen=True, slots=True)
class FieldOptions:
    """Options shared by all field types; each module reads the ones it needs."""

    country: str | None = None  # default ISO 3166-1 alpha-2 region (phone, address, dates)
    phone_format: Literal["e164", "international", "national"] = "e164"
    date_format: str | None = None  # strftime pattern; None gives ISO 8601
    dayfirst: bool | None = None  # force day/month order; None infers it from the column
    name_case: Literal["title", "keep"] = "title"
    street_lines: bool = False  # address: the column holds street lines (city, ZIP elsewhere)
    check_mx: bool = False  # email deliverability lookup (network); off by default
    mx_timeout: float = 2.0

    def with_country(self, country: str | None) -> FieldOptions:
        return replace(self, country=country)


class FieldType:
    """A field type: a name, a one-value validator and a column cleaner.

    Modules build one with `FieldType(name, validate_value)`; those whose cleaning depends on
    the whole column pass `infer` (column profile from all values) and a `validate_value`
    taking that profile via `options`. The default column cleaner caches results per
    distinct (value, row country).
    """

    def __init__(
        self,
        name: str,
        validate_value: Callable[[str, FieldOptions], FieldResult],
        *,
        infer: Callable[[Sequence[str], FieldOptions], FieldOptions] | None = None,
        accepts: Callable[[str, FieldOptions], bool] | None = None,
    ) -> None:
        self.name = name
        self._validate_value = validate_value
        self._infer = infer
        self._accepts = accepts

    def validate(self, value: JsonScalar, options: FieldOptions | None = None) -> FieldResult:
        """Check and normalize one value. Null-like input gives a valid null result."""
        options = options or FieldOptions()
        if is_null(value):
            return null_result(value, self.name)
        return self._validate_value(as_text(value), options)

    def accepts(self, value: JsonScalar, options: FieldOptions | None = None) -> bool:
        """Whether `validate` would find the value valid and give it a value (null is not).

        Modules that can tell without building the whole result (a phone number's formats,
        carrier and place) pass `accepts`; it must agree with `validate`."""
        if is_null(value):
            return False
        options = options or FieldOptions()
        if self._accepts is not None:
            return self._accepts(as_text(value), options)
        result = self._validate_value(as_text(value), options)
        return result.valid and result.value is not None

    def infer(self, values: Sequence[JsonScalar], options: FieldOptions) -> FieldOptions:
        """Options refined from the whole column (e.g. `dayfirst`), or `options` as is."""
        if self._infer is None:
            return options
        texts = [as_text(v) for v in values if not is_null(v)]
        return self._infer(texts, options)

    def clean_column(
        self,
        values: Sequence[JsonScalar],
        options: FieldOptions | None = None,
        row_countries: Sequence[str | None] | None = None,
    ) -> list[FieldResult]:
        """Clean a column: infer column-level options once, then each distinct value once."""
        base = self.infer(values, options or FieldOptions())
        cache: dict[Hashable, FieldResult] = {}
        results: list[FieldResult] = []
        for index, value in enumerate(values):
            country = row_countries[index] if row_countries is not None else None
            key = (type(value).__name__, value, country)
            cached = cache.get(key)
            if cached is None:
                opts = base.with_country(country) if country else base
                cached = self.validate(value, opts)
                cache[key] = cached
            results.append(cached)
        return results


NULL_TOKENS = frozenset(
    {
        "",
        "n/a",
        "n.a.",
        "null",
        "none",
        "nil",
        "nan",
        "-",
        "--",
        "?",
        "#n/a",
        "(null)",
        "undefined",
        "missing",
        "unknown",
        "not available",
        "not applicable",
        "tbd",
        "to be determined",
        "<na>",
    }
)
"""`na` is not one: it is Namibia's country code and a family name."""


# Null tokens joined into one value, as exports that glue fields together write them
# (`N/A N/A`, `N/A, N/A, N/A`, `-;-`); `/` is no separator, as `n/a` holds one.
_TOKENS_LONGEST_FIRST = sorted((t for t in NULL_TOKENS if t), key=len, reverse=True)
_NULL_TOKEN_PATTERN = "|".join(re.escape(token) for token in _TOKENS_LONGEST_FIRST)
_NULL_PHRASE = re.compile(f"(?:{_NULL_TOKEN_PATTERN})(?:[\\s,;|]+(?:{_NULL_TOKEN_PATTERN}))+")
_NULL_FIRST_CHARACTERS = frozenset(token[0] for token in _TOKENS_LONGEST_FIRST)


def is_null(value: object) -> bool:
    """True for None, NaN, the null tokens users type (`N/A`, `null`, `-`, `?`, ``) and
    several of them in one value (`N/A N/A`, `unknown, unknown`)."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    if isinstance(value, str):
        return is_null_text(value)
    return False


def without_accents(text: str) -> str:
    """Lower case without accents (`März` -> `marz`, `S.à r.l.` -> `s.a r.l.`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_null_text(text: str) -> bool:
    """`is_null` of a string."""
    key = text.strip().lower()
    if key in NULL_TOKENS:
        return True
    return key[:1] in _NULL_FIRST_CHARACTERS and _NULL_PHRASE.fullmatch(key) is not None


def as_text(value: JsonScalar) -> str:
    """The string form of a scalar value as a user would have typed it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def null_result(value: JsonScalar, type_name: str) -> FieldResult:
    """The result for a null-like input: valid, value None."""
    rule = "null_token" if isinstance(value, str) and value != "" else None
    return FieldResult(input=value, type=type_name, valid=True, value=None, rule=rule)


def invalid(value: str, type_name: str, code: str, message: str, **components: Any) -> FieldResult:
    """An invalid result that keeps the original value and names the reason."""
    return FieldResult(
        input=value,
        type=type_name,
        valid=False,
        value=None,
        issues=[Issue(code, message, "error")],
        components=dict(components),
        confidence=0.0,
    )
