"""URL field: validate web URLs and bring them to one normal form.

The normal form (validating it again returns it unchanged):

* scheme lower-cased, `http://` added when none was given (`example.com/Path` becomes
  `http://example.com/Path`); `http`, `https`, `ftp`, `ws` and `wss` are accepted, other
  schemes (`javascript:`, `mailto:`, `file:`, ...) are rejected;
* host lower-cased, without a trailing dot, internationalized hosts in their ASCII (punycode)
  form as browsers serialize them (the Unicode form is in `components["unicode_host"]`),
  IPv6 addresses compressed; hosts need a top-level domain unless they are `localhost` or an
  IP address; `www.` is kept;
* default ports (`:80` for http/ws, `:443` for https/wss, `:21` for ftp) dropped;
* an empty path becomes `/` (the WHATWG serialization), `.`/`..` segments are resolved and
  backslashes in the path become slashes;
* percent-escapes of unreserved characters are decoded, other escapes upper-cased, and
  characters never valid raw in a URL (spaces, quotes, `<>`, non-ASCII, ...) are encoded as
  UTF-8 (a `%` that starts no escape becomes `%25`); path, query and fragment otherwise keep
  their case;
* an empty query (`?`) or fragment (`#`) marker is dropped; non-empty ones are kept.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from urllib.parse import unquote

import idna

from cleara.engine.fields.base import FieldOptions, FieldResult, FieldType, Issue, invalid

TYPE = "url"
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_PORT_AFTER_COLON_RE = re.compile(r"^\d+(?:[/?#\\]|$)")
_LABEL_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?$")
_DOTTED_NUMBER_RE = re.compile(r"^[0-9.]+$")
_IDEOGRAPHIC_DOTS_RE = re.compile("[\u3002\uff0e\uff61]")
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})|%")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Printable ASCII that RFC 3986 never allows raw anywhere in a URL.
_ALWAYS_ENCODED = frozenset(' "<>`{}^|\\')
_TRIM_CHARS = "".join(chr(c) for c in range(33)) + "\x7f"


class _InvalidUrlError(Exception):
    """Raised while parsing; turned into an invalid FieldResult with `code`."""

    def __init__(self, message: str, code: str = "url_invalid") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- public suffixes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SuffixRules:
    exact: frozenset[str]
    wildcard_parents: frozenset[str]  # `ck` for the rule `*.ck`
    exceptions: frozenset[str]  # `www.ck` for the rule `!www.ck`
    tlds: frozenset[str]


@lru_cache(maxsize=1)
def _suffix_rules() -> _SuffixRules:
    """The bundled Public Suffix List (ICANN section), parsed once."""
    text = files("cleara.engine").joinpath("data/url_public_suffixes.txt").read_text("utf-8")
    exact: set[str] = set()
    wildcard: set[str] = set()
    exceptions: set[str] = set()
    for line in text.splitlines():
        rule = line.strip()
        if not rule or rule.startswith("#"):
            continue
        if rule.startswith("!"):
            exceptions.add(rule[1:])
        elif rule.startswith("*."):
            wildcard.add(rule[2:])
        else:
            exact.add(rule)
    tlds = {rule.rsplit(".", 1)[-1] for rule in exact | wildcard | exceptions}
    return _SuffixRules(
        frozenset(exact), frozenset(wildcard), frozenset(exceptions), frozenset(tlds)
    )


def is_known_tld(label: str) -> bool:
    """True when `label` (ASCII, any case) is a top-level domain in the bundled suffix list."""
    return label.lower() in _suffix_rules().tlds


def public_suffix(host: str) -> str:
    """The public suffix of an ASCII host name (`co.uk` for `www.bbc.co.uk`), per the PSL."""
    rules = _suffix_rules()
    labels = host.lower().rstrip(".").split(".")
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if candidate in rules.exceptions:
            return ".".join(labels[start + 1 :])
        if candidate in rules.exact:
            return candidate
        if start + 1 < len(labels) and ".".join(labels[start + 1 :]) in rules.wildcard_parents:
            return candidate
    return labels[-1]


def registrable_domain(host: str) -> str | None:
    """The registrable domain of an ASCII host (`bbc.co.uk` for `www.bbc.co.uk`).

    None for IP addresses, single-label hosts and hosts that are themselves a public suffix.
    """
    host = host.lower().rstrip(".")
    if not host or "." not in host or _is_ip_literal(host):
        return None
    suffix = public_suffix(host)
    if host == suffix:
        return None
    rest = host[: -len(suffix) - 1]
    return f"{rest.rsplit('.', 1)[-1]}.{suffix}"


def _is_ip_literal(host: str) -> bool:
    return host.startswith("[") or bool(_DOTTED_NUMBER_RE.match(host))


# --- parsing --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Parts:
    scheme: str
    userinfo: str
    host: str
    unicode_host: str
    port: int | None
    path: str
    query: str | None
    fragment: str | None
    issues: list[Issue]

    def serialize(self) -> str:
        userinfo = f"{self.userinfo}@" if self.userinfo else ""
        port = f":{self.port}" if self.port is not None else ""
        query = f"?{self.query}" if self.query else ""
        fragment = f"#{self.fragment}" if self.fragment else ""
        return f"{self.scheme}://{userinfo}{self.host}{port}{self.path}{query}{fragment}"


def _strip_wrappers(text: str) -> str:
    """Trim spaces and control characters, `<...>` or quote wrappers, and embedded tabs/newlines."""
    text = text.strip(_TRIM_CHARS)
    while len(text) >= 2 and (text[0], text[-1]) in {("<", ">"), ('"', '"'), ("'", "'")}:
        text = text[1:-1].strip(_TRIM_CHARS)
    # Browsers drop tabs and newlines anywhere in a URL (WHATWG URL Standard).
    return text.replace("\t", "").replace("\n", "").replace("\r", "")


def _split_scheme(text: str) -> tuple[str, str, bool]:
    """(scheme, rest after `scheme:` and slashes, scheme given explicitly)."""
    match = _SCHEME_RE.match(text)
    if match:
        name = match.group(1).lower()
        after = text[match.end() :]
        if name in DEFAULT_PORTS:
            return name, after.lstrip("/\\"), True
        # `example.com:8080/x` or `localhost:3000`: a host and port, not a scheme.
        if "." not in name and not _PORT_AFTER_COLON_RE.match(after):
            raise _InvalidUrlError(
                f"The scheme '{name}:' is not supported; expected http, https, ftp, ws or wss.",
                "url_unsupported_scheme",
            )
    if text.startswith(("//", "\\\\")):
        return "http", text[2:], True
    return "http", text, False


def _split_authority(rest: str) -> tuple[str, str]:
    for index, char in enumerate(rest):
        if char in "/?#\\":
            return rest[:index], rest[index:]
    return rest, ""


def _parse_port(port_text: str, scheme: str) -> int | None:
    if port_text == "":
        return None
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise _InvalidUrlError(f"The port '{port_text}' is not a number from 0 to 65535.")
    port = int(port_text)
    return None if port == DEFAULT_PORTS[scheme] else port


def _split_host_port(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):
        end = hostport.find("]")
        if end == -1:
            raise _InvalidUrlError("The IPv6 address in the host is missing its closing ']'.")
        host, after = hostport[: end + 1], hostport[end + 1 :]
        if after and not after.startswith(":"):
            raise _InvalidUrlError("Unexpected characters after the IPv6 address in the host.")
        return host, after[1:]
    host, _, port = hostport.partition(":")
    if ":" in port:
        raise _InvalidUrlError("The host contains more than one ':'.")
    return host, port


def _normalize_label(label: str) -> str:
    if not label:
        raise _InvalidUrlError("The host has an empty label (two dots in a row or a leading dot).")
    if label.isascii():
        label = label.lower()
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except idna.IDNAError as error:
                raise _InvalidUrlError(
                    f"The host label '{label}' is not valid punycode."
                ) from error
    else:
        try:
            label = idna.encode(label, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as error:
            raise _InvalidUrlError(
                f"The host label '{label}' is not a valid domain name."
            ) from error
    if not _LABEL_RE.match(label):
        raise _InvalidUrlError(
            f"The host label '{label}' contains characters not allowed in a host."
        )
    return label


def _unicode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return str(idna.decode(label))
    except idna.IDNAError:
        return label


def _normalize_ip_host(host: str) -> str:
    try:
        if host.startswith("["):
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        return str(ipaddress.IPv4Address(host))
    except ValueError as error:
        raise _InvalidUrlError(f"The host '{host}' is not a valid IP address.") from error


def _normalize_host(raw_host: str) -> tuple[str, str, list[Issue]]:
    """(ASCII host, Unicode host, issues) or _InvalidUrlError."""
    try:
        host = unquote(raw_host, errors="strict")
    except UnicodeDecodeError as error:
        raise _InvalidUrlError("The host contains percent-escapes that are not UTF-8.") from error
    if not host:
        raise _InvalidUrlError("The URL has no host.")
    if any(char.isspace() for char in host):
        raise _InvalidUrlError("The host contains spaces.")
    host = _IDEOGRAPHIC_DOTS_RE.sub(".", host).lower()
    if host.endswith(".") and len(host) > 1:
        host = host[:-1]  # the fully qualified form names the same host
    if host.startswith("[") or _DOTTED_NUMBER_RE.match(host):
        ip_host = _normalize_ip_host(host)
        return ip_host, ip_host, []
    labels = [_normalize_label(label) for label in host.split(".")]
    ascii_host = ".".join(labels)
    if len(ascii_host) > 253:
        raise _InvalidUrlError("The host name is longer than 253 characters.")
    unicode_host = ".".join(_unicode_label(label) for label in labels)
    if len(labels) == 1:
        if ascii_host == "localhost":
            return ascii_host, unicode_host, []
        raise _InvalidUrlError(f"The host '{unicode_host}' has no top-level domain.")
    tld = labels[-1]
    if tld.isdigit():
        raise _InvalidUrlError(f"The host '{unicode_host}' is not a valid domain or IP address.")
    issues = []
    if not is_known_tld(tld):
        issues.append(Issue("url_unknown_tld", f"'.{tld}' is not a known top-level domain."))
    return ascii_host, unicode_host, issues


def _normalize_escapes(part: str) -> str:
    """Decode escapes of unreserved characters, upper-case the rest, encode what must be."""

    def fix_escape(match: re.Match[str]) -> str:
        hex_digits = match.group(1)
        if hex_digits is None:
            return "%25"  # a lone '%' stands for itself
        char = chr(int(hex_digits, 16))
        return char if char in _UNRESERVED else f"%{hex_digits.upper()}"

    decoded = _ESCAPE_RE.sub(fix_escape, part)
    return "".join(_encode_char(char) for char in decoded)


def _encode_char(char: str) -> str:
    code = ord(char)
    if 32 < code < 127 and char not in _ALWAYS_ENCODED:
        return char
    raw = char.encode("utf-8", errors="surrogatepass")
    return "".join(f"%{byte:02X}" for byte in raw)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 on an absolute path."""
    output: list[str] = []
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        is_last = index == len(segments) - 1
        if segment == ".":
            if is_last:
                output.append("")
        elif segment == "..":
            if output:
                output.pop()
            if is_last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output)


def _normalize_optional(part: str | None) -> str | None:
    """A normalized query or fragment; None when absent or empty (`?` / `#` alone)."""
    return _normalize_escapes(part) or None if part else None


def _split_path_query_fragment(remainder: str) -> tuple[str, str | None, str | None]:
    remainder, hash_mark, fragment = remainder.partition("#")
    path, question_mark, query = remainder.partition("?")
    return path, (query if question_mark else None), (fragment if hash_mark else None)


def _parse(text: str) -> _Parts:
    scheme, rest, explicit_scheme = _split_scheme(text)
    authority, remainder = _split_authority(rest)
    userinfo, at_sign, hostport = authority.rpartition("@")
    if at_sign and not explicit_scheme:
        raise _InvalidUrlError("This looks like an email address, not a URL.")
    host, port_text = _split_host_port(hostport)
    ascii_host, unicode_host, issues = _normalize_host(host)
    port = _parse_port(port_text, scheme)
    path, query, fragment = _split_path_query_fragment(remainder)
    path = _remove_dot_segments(_normalize_escapes(path.replace("\\", "/") or "/"))
    userinfo = _normalize_escapes(userinfo)
    if userinfo:
        issues.append(Issue("url_credentials", "The URL contains a user name or password."))
    return _Parts(
        scheme=scheme,
        userinfo=userinfo,
        host=ascii_host,
        unicode_host=unicode_host,
        port=port,
        path=path,
        query=_normalize_optional(query),
        fragment=_normalize_optional(fragment),
        issues=issues,
    )


def _validate_value(text: str, _options: FieldOptions) -> FieldResult:
    cleaned = _strip_wrappers(text)
    if not cleaned:
        return invalid(text, TYPE, "url_invalid", "The value is empty.")
    try:
        parts = _parse(cleaned)
    except _InvalidUrlError as error:
        return invalid(text, TYPE, error.code, error.message)
    value = parts.serialize()
    return FieldResult(
        input=text,
        type=TYPE,
        valid=True,
        value=value,
        issues=parts.issues,
        components={
            "scheme": parts.scheme,
            "host": parts.host,
            "unicode_host": parts.unicode_host,
            "port": parts.port,
            "path": parts.path,
            "query": parts.query,
            "fragment": parts.fragment,
            "domain": registrable_domain(parts.host),
        },
        rule="url.normalize" if value != text else None,
    )


FIELD = FieldType(TYPE, _validate_value)
