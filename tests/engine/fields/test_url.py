"""Tests for the URL field: normal form, invalid inputs, registrable domains, idempotence."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.url import FIELD, is_known_tld, public_suffix, registrable_domain


def codes(result: Any) -> list[str]:
    return [issue.code for issue in result.issues]


NORMALIZED = [
    ("example.com/Path", "http://example.com/Path"),
    ("  https://Example.COM  ", "https://example.com/"),
    (
        "HTTPS://WWW.Example.COM/Path?Q=Some+Value#Frag",
        "https://www.example.com/Path?Q=Some+Value#Frag",
    ),
    ("www.example.com", "http://www.example.com/"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com:80/", "https://example.com:80/"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
    ("http://example.com:/x", "http://example.com/x"),
    ("ftp://ftp.example.org:21/pub/file.txt", "ftp://ftp.example.org/pub/file.txt"),
    ("wss://chat.example.com:443/socket", "wss://chat.example.com/socket"),
    ("//cdn.example.com/lib.js", "http://cdn.example.com/lib.js"),
    ("http:example.com", "http://example.com/"),
    ("http:\\\\example.com\\a\\b", "http://example.com/a/b"),
    ("<http://example.com/x>", "http://example.com/x"),
    ("example.com.", "http://example.com/"),
    ("http://münchen.de/Straße", "http://xn--mnchen-3ya.de/Stra%C3%9Fe"),
    ("http://MÜNCHEN.de", "http://xn--mnchen-3ya.de/"),
    ("http://xn--mnchen-3ya.de", "http://xn--mnchen-3ya.de/"),
    ("http://例子.中国/", "http://xn--fsqu00a.xn--fiqs8s/"),
    ("http://example.com/%7euser/%41%62c", "http://example.com/~user/Abc"),
    ("http://example.com/a%2fb%3a", "http://example.com/a%2Fb%3A"),
    ("http://example.com/my file.pdf", "http://example.com/my%20file.pdf"),
    ("http://example.com/ä?q=ü#ö", "http://example.com/%C3%A4?q=%C3%BC#%C3%B6"),
    ("http://example.com/100%", "http://example.com/100%25"),
    ("http://example.com/a/./b/../c", "http://example.com/a/c"),
    ("http://example.com/../a", "http://example.com/a"),
    ("http://example.com/a/b/..", "http://example.com/a/"),
    ("http://example.com/%2e%2E/a", "http://example.com/a"),
    ("http://example.com?q=1", "http://example.com/?q=1"),
    ("http://example.com#top", "http://example.com/#top"),
    ("http://example.com/?#", "http://example.com/"),
    ("http://example.com/a?b=[1]|2", "http://example.com/a?b=[1]%7C2"),
    ("localhost", "http://localhost/"),
    ("localhost:3000/api", "http://localhost:3000/api"),
    ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ("http://192.168.0.1/admin", "http://192.168.0.1/admin"),
    ("http://[2001:DB8:0:0::1]:8080/", "http://[2001:db8::1]:8080/"),
    ("http://my_host.example.com/", "http://my_host.example.com/"),
    ("http://ex%41mple.com/", "http://example.com/"),
    ("http://@example.com/", "http://example.com/"),
    ("http://exa\tmple.com/", "http://example.com/"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZED)
def test_normal_form(raw: str, expected: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid, result.issues
    assert result.value == expected
    assert result.rule == ("url.normalize" if expected != raw else None)


INVALID = [
    ("foo", "url_invalid"),
    ("hello world", "url_invalid"),
    ("http://", "url_invalid"),
    ("http:///path", "url_invalid"),
    ("/just/a/path", "url_invalid"),
    ("http://exa mple.com/", "url_invalid"),
    ("http:// example.com", "url_invalid"),
    ("http://a..b.com", "url_invalid"),
    ("http://.example.com", "url_invalid"),
    ("http://-bad.example.com", "url_invalid"),
    ("http://exa!mple.com", "url_invalid"),
    ("http://1.2.3", "url_invalid"),
    ("http://256.1.1.1", "url_invalid"),
    ("http://[::1", "url_invalid"),
    ("http://[::1]x/", "url_invalid"),
    ("http://[zz::1]/", "url_invalid"),
    ("example.com:99999", "url_invalid"),
    ("example.com:80a/x", "url_invalid"),
    ("http://a:b:c/", "url_invalid"),
    ("user@example.com", "url_invalid"),
    ("http://" + "a" * 64 + ".com/", "url_invalid"),
    ("http://" + ".".join(["abcdefgh"] * 30) + ".com/", "url_invalid"),
    ("http://xn--zz.com/", "url_invalid"),
    ("http://%ff.com/", "url_invalid"),
    ("javascript:alert(1)", "url_unsupported_scheme"),
    ("mailto:a@b.com", "url_unsupported_scheme"),
    ("file:///etc/passwd", "url_unsupported_scheme"),
    ("data:text/plain,hi", "url_unsupported_scheme"),
    ("tel:+15551234567", "url_unsupported_scheme"),
    ("htp://example.com", "url_unsupported_scheme"),
]


@pytest.mark.parametrize(("raw", "code"), INVALID)
def test_invalid_urls(raw: str, code: str) -> None:
    result = FIELD.validate(raw)
    assert not result.valid
    assert result.value is None
    assert codes(result) == [code]
    assert result.issues[0].severity == "error"
    assert result.issues[0].message


def test_unsupported_scheme_message_names_the_scheme() -> None:
    message = FIELD.validate("JavaScript:void(0)").issues[0].message
    assert "'javascript:'" in message


def test_components() -> None:
    result = FIELD.validate("HTTPS://www.Bücher.de:8443/a/b?x=1#sec")
    assert result.components == {
        "scheme": "https",
        "host": "www.xn--bcher-kva.de",
        "unicode_host": "www.bücher.de",
        "port": 8443,
        "path": "/a/b",
        "query": "x=1",
        "fragment": "sec",
        "domain": "xn--bcher-kva.de",
    }


def test_components_without_port_query_or_fragment() -> None:
    components = FIELD.validate("http://127.0.0.1").components
    assert components["port"] is None
    assert components["query"] is None
    assert components["fragment"] is None
    assert components["domain"] is None


def test_unknown_tld_is_a_warning() -> None:
    result = FIELD.validate("http://intranet.corp/")
    assert result.valid
    assert codes(result) == ["url_unknown_tld"]
    assert result.issues[0].severity == "warning"


def test_credentials_are_kept_and_flagged() -> None:
    result = FIELD.validate("https://user:secret@example.com/")
    assert result.valid
    assert result.value == "https://user:secret@example.com/"
    assert codes(result) == ["url_credentials"]


def test_null_tokens_are_valid_nulls() -> None:
    result = FIELD.validate("n/a")
    assert result.valid
    assert result.value is None


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.example.com", "example.com"),
        ("example.com", "example.com"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("a.b.c.example.com.au", "example.com.au"),
        ("www.city.kawasaki.jp", "city.kawasaki.jp"),  # exception rule `!city.kawasaki.jp`
        ("a.b.kawasaki.jp", "a.b.kawasaki.jp"),  # wildcard rule `*.kawasaki.jp`
        ("shop.example.xn--p1ai", "example.xn--p1ai"),
        ("host.notatld", "host.notatld"),  # the default rule `*`
        ("co.uk", None),
        ("localhost", None),
        ("10.0.0.1", None),
        ("[::1]", None),
    ],
)
def test_registrable_domain(host: str, domain: str | None) -> None:
    assert registrable_domain(host) == domain


def test_public_suffix_and_tlds() -> None:
    assert public_suffix("www.bbc.co.uk") == "co.uk"
    assert public_suffix("example.com") == "com"
    assert is_known_tld("COM")
    assert is_known_tld("xn--p1ai")
    assert not is_known_tld("con")


# --- properties -----------------------------------------------------------------------------

labels = st.one_of(
    st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,12}[A-Za-z0-9])?", fullmatch=True),
    st.sampled_from(["münchen", "例子", "Bücher", "xn--mnchen-3ya", "ПРИМЕР"]),
)
tlds = st.sampled_from(["com", "ORG", "de", "co.uk", "рф", "xn--p1ai", "io"])
schemes = st.sampled_from(["", "http://", "HTTPS://", "//", "ftp://", "wss://", "http:"])
ports = st.one_of(st.just(""), st.integers(0, 65535).map(lambda port: f":{port}"))
url_chars = st.characters(codec="utf-8", exclude_characters="\r\n\t")
parts = st.text(alphabet=url_chars, max_size=15)


def assert_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    if not first.valid:
        assert first.value is None
        assert codes(first)[0] in {"url_invalid", "url_unsupported_scheme"}
        return
    if first.value is None:  # a null token such as "" or "N/A"
        return
    assert isinstance(first.value, str)
    again = FIELD.validate(first.value)
    assert again.valid
    assert again.value == first.value
    assert again.rule is None
    assert again.components == first.components


@settings(max_examples=400, deadline=None)
@given(
    scheme=schemes,
    host_labels=st.lists(labels, min_size=1, max_size=3),
    tld=tlds,
    port=ports,
    path=st.lists(parts, max_size=4),
    query=st.one_of(st.none(), parts),
    fragment=st.one_of(st.none(), parts),
)
def test_normalization_is_idempotent(
    scheme: str,
    host_labels: list[str],
    tld: str,
    port: str,
    path: list[str],
    query: str | None,
    fragment: str | None,
) -> None:
    raw = f"{scheme}{'.'.join(host_labels)}.{tld}{port}"
    raw += "".join(f"/{segment}" for segment in path)
    raw += f"?{query}" if query is not None else ""
    raw += f"#{fragment}" if fragment is not None else ""
    result = FIELD.validate(raw)
    if result.valid:
        assert isinstance(result.value, str)
        assert result.value.split("://", 1)[0] in {"http", "https", "ftp", "wss"}
        assert result.value.isascii()
    assert_idempotent(raw)


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=40))
def test_arbitrary_text_never_crashes(text: str) -> None:
    assert_idempotent(text)
