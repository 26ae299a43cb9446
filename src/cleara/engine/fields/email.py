"""Email field: RFC 5321/5322 and internationalized (RFC 6531) addresses.

Syntax is checked by email-validator, accepting what is valid for internet mail: quoted
local parts and IP-address literals are valid (flagged `email_unusual_syntax`), while
dot-less and special-use domains (`user@localhost`, `x@host.local`) are not.

Normal form (validating it again returns it unchanged):

* surrounding spaces, a `mailto:` prefix (and its `?subject=...`), a display name
  (`"Jane" <jane@x.org>`, `Doe, John <john@x.com>`), `<...>` brackets and trailing `,;.` are
  removed;
* the domain is lower-cased and internationalized domains are shown in Unicode
  (`user@bücher.de`), with the ASCII form in `components["ascii_domain"]`;
* the local part keeps its case (RFC 5321 lets a mail server treat it case-sensitively),
  except at known free providers (gmail.com, outlook.com, ...), which all ignore case: there
  the whole address is lower-cased, so one mailbox has one spelling.

Disposable domains, role accounts (`info@`) and likely domain typos (`gmial.com`) keep the
address valid and add an issue; a typo also gives the corrected address as `suggestion`.
With `options.check_mx`, a domain with no mail host (no MX, A or AAAA record, or a null MX)
makes the address invalid (`email_no_mx`, value kept); DNS failures and timeouts only add
`email_mx_unknown`.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from email_validator import EmailNotValidError, ValidatedEmail, validate_email
from rapidfuzz import process
from rapidfuzz.distance import OSA

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid
from cleara.engine.fields.url import is_known_tld, public_suffix

if TYPE_CHECKING:
    import dns.resolver

TYPE = "email"
DISPOSABLE_EXTRA_ENV = "CLEARA_EMAIL_DISPOSABLE_EXTRA"

_log = logging.getLogger(__name__)
_ANGLE_ADDRESS_RE = re.compile(r"^(.*)<([^<>]*)>\s*$", re.DOTALL)
_SEPARATORS_RE = re.compile(r"[._\-]")
_DATA = files("cleara.engine").joinpath("data")

# Top-level domains offered when a domain's TLD does not exist.
_COMMON_TLDS = (
    "com", "net", "org", "de", "uk", "fr", "ru", "it", "nl", "br", "es", "ca", "au", "edu",
    "info", "jp", "in", "be", "ch", "pl", "us", "se", "at", "biz", "gov", "io", "co", "mx",
)  # fmt: skip

# Costs of the keyboard-aware edit model (a plain edit costs 1.0).
_ADJACENT_KEY_COST = 0.6
_TRANSPOSE_COST = 0.6
_DOUBLED_KEY_COST = 0.5
_EXTRA_ADJACENT_KEY_COST = 0.7
_MAX_TLD_FIX_COST = 1.0
_MAX_PRIOR_BONUS = 0.5
_TIE_MARGIN = 0.05

_KEYBOARD_ROWS = ("1234567890-", "qwertyuiop[", "asdfghjkl;'", "zxcvbnm,./")


# --- bundled lists --------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a bundled data file."""
    text = _DATA.joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@lru_cache(maxsize=1)
def free_providers() -> frozenset[str]:
    """Domains of free consumer mail providers (ASCII, lower case)."""
    return frozenset(line.lower() for line in _data_lines("email_free_providers.txt"))


@lru_cache(maxsize=1)
def role_accounts() -> frozenset[str]:
    """Role local parts (`info`, `noreply`, ...), without `.`, `-` and `_`."""
    return frozenset(_role_key(line) for line in _data_lines("email_role_accounts.txt"))


@lru_cache(maxsize=1)
def domain_frequencies() -> Mapping[str, int]:
    """Popular email domains and their relative frequency (addresses per million)."""
    pairs = (line.split("\t") for line in _data_lines("email_domain_frequencies.tsv"))
    return MappingProxyType({domain.lower(): int(count) for domain, count in pairs})


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    """Disposable-address domains: the `disposable-email-domains` blocklist, plus the domains
    in the file named by `CLEARA_EMAIL_DISPOSABLE_EXTRA` (one a line, `#` comments), read once.
    Call `disposable_domains.cache_clear()` to reload after changing that file.
    """
    from disposable_email_domains import blocklist

    return frozenset(blocklist) | _extra_disposable_domains()


def _extra_disposable_domains() -> frozenset[str]:
    path = os.environ.get(DISPOSABLE_EXTRA_ENV)
    if not path:
        return frozenset()
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [line.split("#", 1)[0].strip().lower() for line in handle]
    except OSError as error:
        message = "Cannot read %s=%s (%s); using the bundled list only."
        _log.warning(message, DISPOSABLE_EXTRA_ENV, path, error)
        return frozenset()
    return frozenset(line for line in lines if line)


def _role_key(local_part: str) -> str:
    """The local part without its `+tag`, separators and case (`No.Email+1` -> `noemail`)."""
    return _SEPARATORS_RE.sub("", local_part.split("+", 1)[0].lower())


def is_disposable(ascii_domain: str) -> bool:
    """True when the domain, or a parent domain of it, is a disposable-address domain."""
    blocked = disposable_domains()
    labels = ascii_domain.lower().split(".")
    return any(".".join(labels[i:]) in blocked for i in range(len(labels) - 1))


# --- typo model -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _adjacent_keys() -> Mapping[str, frozenset[str]]:
    """QWERTY neighbours: same row left/right, and the two touching keys above and below."""
    position = {
        key: (row, col) for row, keys in enumerate(_KEYBOARD_ROWS) for col, key in enumerate(keys)
    }
    grid = {pos: key for key, pos in position.items()}
    neighbours: dict[str, frozenset[str]] = {}
    for key, (row, col) in position.items():
        around = [(row, col - 1), (row, col + 1), (row - 1, col), (row - 1, col + 1)]
        around += [(row + 1, col - 1), (row + 1, col)]
        neighbours[key] = frozenset(grid[pos] for pos in around if pos in grid)
    return MappingProxyType(neighbours)


def _are_adjacent(a: str, b: str) -> bool:
    return b in _adjacent_keys().get(a, frozenset())


def _substitution_cost(typed: str, intended: str) -> float:
    return _ADJACENT_KEY_COST if _are_adjacent(typed, intended) else 1.0


def _extra_char_cost(typed: str, index: int) -> float:
    """Cost of `typed[index]` being a stray keystroke."""
    char = typed[index]
    around = typed[max(index - 1, 0) : index] + typed[index + 1 : index + 2]
    if char in around:
        return _DOUBLED_KEY_COST
    if any(_are_adjacent(char, other) for other in around):
        return _EXTRA_ADJACENT_KEY_COST
    return 1.0


def _missing_char_cost(intended: str, index: int) -> float:
    """Cost of `intended[index]` having been left out (cheap for one half of a double)."""
    char = intended[index]
    around = intended[max(index - 1, 0) : index] + intended[index + 1 : index + 2]
    return _DOUBLED_KEY_COST if char in around else 1.0


def typing_cost(typed: str, intended: str) -> float:
    """Keyboard-aware optimal-string-alignment distance from `intended` to what was typed.

    Neighbouring-key slips, swapped letters and doubled or halved letters cost less than
    arbitrary edits, so `gmial` is closer to `gmail` than `gmaxl` is.
    """
    rows, cols = len(typed) + 1, len(intended) + 1
    cost = [[0.0] * cols for _ in range(rows)]
    for i in range(1, rows):
        cost[i][0] = cost[i - 1][0] + _extra_char_cost(typed, i - 1)
    for j in range(1, cols):
        cost[0][j] = cost[0][j - 1] + _missing_char_cost(intended, j - 1)
    for i in range(1, rows):
        for j in range(1, cols):
            a, b = typed[i - 1], intended[j - 1]
            best = min(
                cost[i - 1][j - 1] + (0.0 if a == b else _substitution_cost(a, b)),
                cost[i - 1][j] + _extra_char_cost(typed, i - 1),
                cost[i][j - 1] + _missing_char_cost(intended, j - 1),
            )
            if i > 1 and j > 1 and a != b and a == intended[j - 2] and typed[i - 2] == b:
                best = min(best, cost[i - 2][j - 2] + _TRANSPOSE_COST)
            cost[i][j] = best
    return cost[-1][-1]


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    domains: tuple[str, ...]
    prior_bonus: Mapping[str, float]  # 0 for the rarest listed domain up to _MAX_PRIOR_BONUS


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    frequencies = domain_frequencies()
    low = math.log10(min(frequencies.values()))
    span = math.log10(max(frequencies.values())) - low or 1.0
    bonus = {d: _MAX_PRIOR_BONUS * (math.log10(f) - low) / span for d, f in frequencies.items()}
    return _Vocabulary(tuple(frequencies), MappingProxyType(bonus))


def _allowed_cost(domain: str) -> float:
    """How far a typo may be from a popular domain: short names tolerate less."""
    name_length = len(domain) - len(public_suffix(domain)) - 1
    if name_length <= 3:
        return 0.5
    if name_length <= 5:
        return 0.8
    if name_length <= 8:
        return 1.3
    return 1.8


def _closest_popular_domain(domain: str) -> str | None:
    """The popular domain `domain` is most likely a typo of, or None."""
    vocabulary = _vocabulary()
    max_edits = 2 if len(domain) < 10 else 3
    candidates = process.extract(
        domain, vocabulary.domains, scorer=OSA.distance, score_cutoff=max_edits, limit=8
    )
    best: tuple[float, str] | None = None
    for candidate, _distance, _index in candidates:
        score = typing_cost(domain, candidate) - vocabulary.prior_bonus[candidate]
        if score <= _allowed_cost(candidate) and (best is None or score < best[0]):
            best = (score, candidate)
    return best[1] if best else None


def _fixed_tld(domain: str) -> str | None:
    """`domain` with a nonexistent TLD replaced by the likeliest real one (`.con` -> `.com`)."""
    name, _, tld = domain.rpartition(".")
    if not name or is_known_tld(tld):
        return None
    scored = sorted((typing_cost(tld, common), common) for common in _COMMON_TLDS)
    (cost, best), (runner_up_cost, _) = scored[0], scored[1]
    # `.c` could be `.ca` or `.co` alike: when two fixes are equally likely, suggest neither.
    if cost > _MAX_TLD_FIX_COST or runner_up_cost - cost < _TIE_MARGIN:
        return None
    return f"{name}.{best}"


def suggest_domain(ascii_domain: str) -> str | None:
    """The domain the writer probably meant (`gmail.com` for `gmial.com`), or None.

    Listed popular domains are taken as correct; others get a suggestion only when their TLD
    does not exist or they are a cheap keyboard slip away from a popular domain.
    """
    domain = ascii_domain.lower()
    if domain in domain_frequencies():
        return None
    tld_fixed = _fixed_tld(domain)
    target = tld_fixed or domain
    if target in domain_frequencies():
        return target
    return _closest_popular_domain(target) or tld_fixed


# --- placeholders ---------------------------------------------------------------------------

# Local parts (and domain names) that people type when they have no address to give.
_PLACEHOLDER_WORDS = frozenset(
    {
        "noemail", "nomail", "noemailaddress", "noaddress", "noemailprovided", "notprovided",
        "notavailable", "notgiven", "notapplicable", "none", "null", "noone",
        "nobody", "unknown", "declined", "refused", "fake", "fakeemail", "dummy", "placeholder",
        "asdf", "qwerty", "xxx", "xxxx", "test", "testing", "donotemail", "dontemail",
        "donotmail", "invalid", "noname", "nothing", "blank", "empty", "email",
    }
)  # fmt: skip
# Domains reserved for documentation and testing (RFC 2606, RFC 6761): no mail reaches them.
_RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
_RESERVED_TLD = "example"  # email-validator already rejects .test, .invalid and .localhost
_SAME_AS_DOMAIN_MAX = 3  # `a@a.com`, `xx@xx.com`: a short local part repeating the domain


def placeholder_reason(local: str, ascii_domain: str) -> str | None:
    """Why an address is a filler typed in place of a real one (`noemail@gmail.com`,
    `none@none.com`, `x@x.com`), or None. Reserved domains alone do not make a filler."""
    key = _role_key(local)
    label = _role_key(ascii_domain.split(".", 1)[0])
    if key in _PLACEHOLDER_WORDS:
        return f"'{local}' is a filler, not a mailbox"
    if label in _PLACEHOLDER_WORDS and label != "email":  # email.com is a mail provider
        return f"'{ascii_domain}' is a filler domain"
    if key == label and len(key) <= _SAME_AS_DOMAIN_MAX:
        return "the local part only repeats the domain"
    return None


def is_placeholder(address: str) -> bool:
    """True for a normalized address that is a filler (see `placeholder_reason`)."""
    local, _, domain = address.rpartition("@")
    return bool(local) and placeholder_reason(local, domain.lower()) is not None


def is_reserved_domain(ascii_domain: str) -> bool:
    """True for domains reserved for documentation (`example.com`, `shop.example`)."""
    labels = ascii_domain.split(".")
    return ".".join(labels[-2:]) in _RESERVED_DOMAINS or labels[-1] == _RESERVED_TLD


# --- deliverability -------------------------------------------------------------------------

MailHostStatus = Literal["ok", "none", "unknown"]


@lru_cache(maxsize=1)
def _resolver() -> dns.resolver.Resolver | None:
    """A caching DNS resolver from the system configuration, or None when there is none."""
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver()
    except dns.resolver.NoResolverConfiguration:
        return None
    resolver.cache = dns.resolver.LRUCache()
    return resolver


def mail_host_status(ascii_domain: str, timeout: float) -> MailHostStatus:
    """Whether `ascii_domain` can receive mail: an MX record (not a null MX), else A/AAAA.

    `unknown` when DNS fails or `timeout` seconds (for all lookups together) run out.
    """
    import dns.exception
    import dns.resolver

    resolver = _resolver()
    if resolver is None:
        return "unknown"
    deadline = time.monotonic() + timeout
    for rdtype in ("MX", "A", "AAAA"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "unknown"
        try:
            answer = resolver.resolve(ascii_domain, rdtype, lifetime=remaining)
        except dns.resolver.NXDOMAIN:
            return "none"
        except dns.resolver.NoAnswer:
            continue
        except dns.exception.DNSException:
            return "unknown"
        # RFC 7505: a single MX record with the root as exchange says "no mail here".
        if rdtype == "MX" and all(str(record.exchange) == "." for record in answer):
            return "none"
        return "ok"
    return "none"


# --- validation -----------------------------------------------------------------------------


def _strip_wrappers(text: str) -> str:
    """Remove spaces, `mailto:` (with its query) and trailing list punctuation."""
    text = text.strip()
    if text[:7].lower() == "mailto:":
        text = unquote(text[7:].split("?", 1)[0]).strip()
    return text.rstrip(",;. \t")


def _parse(text: str) -> ValidatedEmail:
    """email-validator's result; retries the `<...>` part when the display name is malformed."""
    try:
        return _check_syntax(text)
    except EmailNotValidError:
        match = _ANGLE_ADDRESS_RE.match(text)
        if match is None or not match.group(1).strip():
            raise
        return _check_syntax(_strip_wrappers(match.group(2)))


def _check_syntax(text: str) -> ValidatedEmail:
    return validate_email(
        text,
        check_deliverability=False,
        allow_smtputf8=True,
        allow_quoted_local=True,
        allow_domain_literal=True,
        allow_display_name=True,
        strict=True,  # enforce RFC 5321's 64-octet local-part limit
    )


def _deliverability_issue(ascii_domain: str, options: FieldOptions) -> Issue | None:
    status = mail_host_status(ascii_domain, options.mx_timeout)
    if status == "none":
        return Issue("email_no_mx", f"The domain '{ascii_domain}' does not accept mail.", "error")
    if status == "unknown":
        return Issue("email_mx_unknown", f"Could not look up mail servers for '{ascii_domain}'.")
    return None


@dataclass(slots=True)
class _Findings:
    disposable: bool = False
    role: bool = False
    free: bool = False
    typo_of: str | None = None
    placeholder: bool = False


def _flag_issues(local: str, ascii_domain: str, is_literal: bool) -> tuple[_Findings, list[Issue]]:
    findings = _Findings(role=_role_key(local) in role_accounts())
    issues: list[Issue] = []
    filler = None if is_literal else placeholder_reason(local, ascii_domain)
    reserved = not is_literal and is_reserved_domain(ascii_domain)
    if filler:
        findings.placeholder = True
        issues.append(Issue("email_placeholder", f"{filler}: a placeholder address"))
        findings.role = False  # `test@`, `none@`: a filler, not a shared mailbox
    elif reserved:
        message = f"'{ascii_domain}' is reserved for examples; no mail reaches it"
        issues.append(Issue("email_reserved_domain", message))
    if is_literal or local.startswith('"'):
        message = "The address uses a quoted local part or an IP-address domain."
        issues.append(Issue("email_unusual_syntax", message, "info"))
    if not is_literal:
        findings.free = ascii_domain in free_providers()
        findings.typo_of = suggest_domain(ascii_domain)
        # Blocklists hold typo domains of big providers (gmial.com) as traps; a typo of a
        # popular domain is a mistake to fix, not a throw-away address.
        findings.disposable = findings.typo_of is None and is_disposable(ascii_domain)
    if findings.disposable:
        issues.append(Issue("email_disposable", f"'{ascii_domain}' is a disposable email domain."))
    if findings.role:
        message = f"'{local}' is a role account, not a person's mailbox."
        issues.append(Issue("email_role_account", message, "info"))
    if findings.typo_of:
        message = f"The domain '{ascii_domain}' looks like a typo of '{findings.typo_of}'."
        issues.append(Issue("email_possible_typo", message))
    elif not is_literal and not reserved and not is_known_tld(ascii_domain.rsplit(".", 1)[-1]):
        message = f"'{ascii_domain}' is not under a known top-level domain."
        issues.append(Issue("email_unknown_tld", message))
    return findings, issues


def _case_folded_local(local: str, ascii_domain: str) -> str:
    return local.lower() if ascii_domain in free_providers() else local


def _validate_value(text: str, options: FieldOptions) -> FieldResult:
    try:
        parsed = _parse(_strip_wrappers(text))
    except EmailNotValidError as error:
        return invalid(text, TYPE, "email_invalid", str(error))
    ascii_domain = parsed.ascii_domain.lower()
    is_literal = parsed.domain.startswith("[")  # an address literal such as [192.0.2.1]
    local = _case_folded_local(parsed.local_part, ascii_domain)
    value = f"{local}@{parsed.domain}"
    findings, issues = _flag_issues(local, ascii_domain, is_literal)
    if options.check_mx and not is_literal:
        mx_issue = _deliverability_issue(ascii_domain, options)
        issues += [mx_issue] if mx_issue else []
    suggestion = None
    if findings.typo_of:
        suggestion = f"{_case_folded_local(local, findings.typo_of)}@{findings.typo_of}"
    return FieldResult(
        input=text,
        type=TYPE,
        valid=not any(issue.code == "email_no_mx" for issue in issues),
        value=value,
        issues=issues,
        components={
            "local": local,
            "domain": parsed.domain,
            "ascii_domain": ascii_domain,
            "display_name": parsed.display_name or None,
            "disposable": findings.disposable,
            "role": findings.role,
            "free": findings.free,
            "typo_of": findings.typo_of,
            "placeholder": findings.placeholder,
        },
        suggestion=suggestion,
        confidence=0.5 if findings.typo_of else 1.0,
        rule="email.normalize" if value != text else None,
        placeholder=findings.placeholder,
    )


FIELD = FieldType(TYPE, _validate_value)
