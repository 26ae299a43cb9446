"""Tests for the email field: RFC syntax vectors, normalization, flags, typos and MX checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dns.exception
import dns.resolver
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields import email as email_field
from cleara.engine.fields.base import FieldOptions
from cleara.engine.fields.email import FIELD, suggest_domain, typing_cost


def codes(result: Any) -> list[str]:
    return [issue.code for issue in result.issues]


# Wikipedia "Email address" examples and Dominic Sayers' isemail tests. Policy notes: dot-less
# and special-use domains (`admin@example`, `test@localhost`) are rejected as not routable on
# the internet; RFC comments `(comment)` are rejected.
VALID_ADDRESSES = [
    ("simple@example.com", "simple@example.com"),
    ("very.common@example.com", "very.common@example.com"),
    ("FirstName.LastName@EasierReading.org", "FirstName.LastName@easierreading.org"),
    ("x@example.com", "x@example.com"),
    (
        "long.email-address-with-hyphens@and.subdomains.example.com",
        "long.email-address-with-hyphens@and.subdomains.example.com",
    ),
    ("user.name+tag+sorting@example.com", "user.name+tag+sorting@example.com"),
    ("name/surname@example.com", "name/surname@example.com"),
    ('" "@example.org', '" "@example.org'),
    ('"john..doe"@example.org', '"john..doe"@example.org'),
    ("mailhost!username@example.org", "mailhost!username@example.org"),
    (
        r'"very.(),:;<>[]\".VERY.\"very@\\ \"very\".unusual"@strange.example.com',
        r'"very.(),:;<>[]\".VERY.\"very@\\ \"very\".unusual"@strange.example.com',
    ),
    ("user%example.com@example.org", "user%example.com@example.org"),
    ("user-@example.org", "user-@example.org"),
    ("postmaster@[123.123.123.123]", "postmaster@[123.123.123.123]"),
    (
        "postmaster@[IPv6:2001:0db8:85a3:0000:0000:8a2e:0370:7334]",
        "postmaster@[IPv6:2001:db8:85a3::8a2e:370:7334]",
    ),
    ("test@iana.org", "test@iana.org"),
    ("test@nominet.org.uk", "test@nominet.org.uk"),
    ("test@about.museum", "test@about.museum"),
    ("-@iana.org", "-@iana.org"),
    ('"test"@iana.org', "test@iana.org"),
    ('"test\\"blah"@iana.org', '"test\\"blah"@iana.org'),
    ("a" * 64 + "@iana.org", "a" * 64 + "@iana.org"),
    ("test@" + "a" * 63 + ".com", "test@" + "a" * 63 + ".com"),
    ("!#$%&'*+-/=?^_`.{|}~@example.com", "!#$%&'*+-/=?^_`.{|}~@example.com"),
    ("test@xn--hxajbheg2az3al.xn--jxalpdlp", "test@παράδειγμα.δοκιμή"),
]

INVALID_ADDRESSES = [
    "abc.example.com",
    "a@b@c@example.com",
    r'a"b(c)d,e:f;g<h>i[j\k]l@example.com',
    'just"not"right@example.com',
    r'this is"not\allowed@example.com',
    r"this\ still\"not\\allowed@example.com",
    "1234567890123456789012345678901234567890123456789012345678901234+x@example.com",
    "i.like.underscores@but_they_are_not_allowed_in_this_part",
    "admin@example",
    "test@localhost",
    "test@",
    "@iana.org",
    ".test@iana.org",
    "test.@iana.org",
    "test..test@iana.org",
    "test@-iana.org",
    "test@iana-.org",
    "test@iana.org-",
    "test@255.255.255.255",
    "test@[255.255.255.256]",
    "a" * 65 + "@iana.org",
    "test@" + "a" * 64 + ".com",
    "(comment)test@iana.org",
    "test@iana .org",
    '""@iana.org',
    "plainaddress",
    "a@b.local",
]


@pytest.mark.parametrize(("raw", "expected"), VALID_ADDRESSES)
def test_published_valid_addresses(raw: str, expected: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid, result.issues
    assert result.value == expected


@pytest.mark.parametrize("raw", INVALID_ADDRESSES)
def test_published_invalid_addresses(raw: str) -> None:
    result = FIELD.validate(raw)
    assert not result.valid
    assert result.value is None
    assert codes(result) == ["email_invalid"]
    assert result.issues[0].message  # email-validator's explanation
    assert result.issues[0].severity == "error"


def test_invalid_message_is_human_readable() -> None:
    result = FIELD.validate("john.doe.example.com")
    assert result.issues[0].message == "An email address must have an @-sign."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  John.Doe@Example.COM ", "John.Doe@example.com"),
        ("mailto:a@b.com", "a@b.com"),
        ("MAILTO:Jane@Example.org?subject=Hello", "Jane@example.org"),
        ('"Jane" <jane@x.org>', "jane@x.org"),
        ("Jane Doe <Jane@X.org>", "Jane@x.org"),
        ("Doe, John <john@x.com>", "john@x.com"),
        ("<a@b.com>", "a@b.com"),
        ("a@b.com;", "a@b.com"),
        ("a@b.com.", "a@b.com"),
        ("USER@GMAIL.COM", "user@gmail.com"),
        ("Some.One@Outlook.com", "some.one@outlook.com"),
        ("用户@例子.广告", "用户@例子.广告"),
        ("user@bücher.de", "user@bücher.de"),
        ("user@BÜCHER.de", "user@bücher.de"),
        ("user@xn--bcher-kva.de", "user@bücher.de"),
    ],
)
def test_messy_inputs_are_normalized(raw: str, expected: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid
    assert result.value == expected
    assert result.rule == ("email.normalize" if expected != raw else None)


def test_unchanged_value_has_no_rule() -> None:
    result = FIELD.validate("jane@x.org")
    assert result.rule is None
    assert result.issues == []
    assert result.confidence == 1.0


def test_components_of_internationalized_address() -> None:
    result = FIELD.validate("user@bücher.de")
    assert result.components == {
        "local": "user",
        "domain": "bücher.de",
        "ascii_domain": "xn--bcher-kva.de",
        "display_name": None,
        "disposable": False,
        "role": False,
        "free": False,
        "typo_of": None,
        "placeholder": False,
    }


def test_display_name_is_kept_in_components() -> None:
    result = FIELD.validate('"Jane Doe" <jane@x.org>')
    assert result.components["display_name"] == "Jane Doe"


def test_null_tokens_are_valid_nulls() -> None:
    result = FIELD.validate("N/A")
    assert result.valid
    assert result.value is None


def test_unusual_but_valid_syntax_is_flagged() -> None:
    assert codes(FIELD.validate('"john..doe"@mail.org')) == ["email_unusual_syntax"]
    assert "email_unusual_syntax" in codes(FIELD.validate("jo@[123.123.123.123]"))


# --- flags ----------------------------------------------------------------------------------


def test_disposable_domain_stays_valid_with_issue() -> None:
    result = FIELD.validate("a@mailinator.com")
    assert result.valid
    assert result.value == "a@mailinator.com"
    assert codes(result) == ["email_disposable"]
    assert result.components["disposable"] is True


def test_subdomain_of_disposable_domain_is_disposable() -> None:
    assert FIELD.validate("a@inbox.mailinator.com").components["disposable"] is True


def test_disposable_extra_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "extra.txt"
    extra.write_text("# our own list\nThrowaway.Example  # seen in signups\n\n", "utf-8")
    monkeypatch.setenv(email_field.DISPOSABLE_EXTRA_ENV, str(extra))
    email_field.disposable_domains.cache_clear()
    try:
        assert "email_disposable" in codes(FIELD.validate("x@throwaway.example"))
        assert "email_disposable" in codes(FIELD.validate("x@mailinator.com"))
    finally:
        monkeypatch.delenv(email_field.DISPOSABLE_EXTRA_ENV)
        email_field.disposable_domains.cache_clear()
    assert "email_disposable" not in codes(FIELD.validate("x@throwaway.example"))


def test_missing_disposable_extra_file_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(email_field.DISPOSABLE_EXTRA_ENV, str(tmp_path / "missing.txt"))
    email_field.disposable_domains.cache_clear()
    try:
        assert "mailinator.com" in email_field.disposable_domains()
    finally:
        monkeypatch.delenv(email_field.DISPOSABLE_EXTRA_ENV)
        email_field.disposable_domains.cache_clear()


@pytest.mark.parametrize(
    "local", ["info", "admin", "sales", "support", "noreply", "no-reply", "No_Reply", "info+x"]
)
def test_role_accounts_are_flagged(local: str) -> None:
    result = FIELD.validate(f"{local}@company.com")
    assert result.valid
    assert codes(result) == ["email_role_account"]
    assert result.components["role"] is True


def test_personal_address_is_not_a_role() -> None:
    assert FIELD.validate("jane.doe@company.com").components["role"] is False


@pytest.mark.parametrize(
    ("address", "free"),
    [("a@gmail.com", True), ("a@yahoo.co.uk", True), ("a@web.de", True), ("a@acme.com", False)],
)
def test_free_provider_component(address: str, free: bool) -> None:
    result = FIELD.validate(address)
    assert result.components["free"] is free
    assert not any(code.startswith("email_free") for code in codes(result))


def test_local_part_case_kept_outside_free_providers() -> None:
    assert FIELD.validate("Jane.Doe@ACME.com").value == "Jane.Doe@acme.com"
    assert FIELD.validate("Jane.Doe@GMail.com").value == "jane.doe@gmail.com"


def test_unknown_tld_without_fix_is_flagged() -> None:
    result = FIELD.validate("a@x.notatld")
    assert result.valid
    assert codes(result) == ["email_unknown_tld"]
    assert result.suggestion is None


# --- typos ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("user@gmial.com", "user@gmail.com"),
        ("user@gmail.con", "user@gmail.com"),
        ("user@hotmial.com", "user@hotmail.com"),
        ("user@yaho.com", "user@yahoo.com"),
        ("user@gmail.co", "user@gmail.com"),
        ("user@gamil.com", "user@gmail.com"),
        ("user@outlok.com", "user@outlook.com"),
        ("user@gmai.com", "user@gmail.com"),
        ("user@yahooo.com", "user@yahoo.com"),
        ("user@gmail.cmo", "user@gmail.com"),
        ("user@gmial.con", "user@gmail.com"),
        ("user@hotmail.co.ik", "user@hotmail.co.uk"),
        ("User@GMIAL.com", "user@gmail.com"),
        ("Jane@acme.con", "Jane@acme.com"),
        ("jane@acme.cmo", "jane@acme.com"),
        ("jane@acme.ocm", "jane@acme.com"),
        ("jane@acme.comm", "jane@acme.com"),
        ("jane@acme.nte", "jane@acme.net"),
        ("jane@acme.og", "jane@acme.org"),
    ],
)
def test_typos_get_a_whole_address_suggestion(raw: str, suggestion: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid
    assert "email_possible_typo" in codes(result)
    assert result.suggestion == suggestion
    assert result.components["typo_of"] == suggestion.split("@")[1]
    assert result.confidence < 1.0


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "gmx.com",
        "mail.com",
        "me.com",
        "ymail.com",
        "tim.it",
        "acme.com",
        "ibm.com",
        "gm.com",
        "att.com",
        "verizon.com",
        "virgin.com",
        "rogers.ca",
        "bbc.co.uk",
        "mit.edu",
        "mx.com",
        "aol.co",
        "gmail.de",
        "company.io",
        "b.c",
    ],
)
def test_real_or_distant_domains_get_no_suggestion(domain: str) -> None:
    result = FIELD.validate(f"user@{domain}")
    assert result.suggestion is None
    assert "email_possible_typo" not in codes(result)
    assert suggest_domain(domain) is None


def test_keyboard_neighbours_and_swaps_cost_less() -> None:
    assert typing_cost("gmail", "gmail") == 0.0
    assert typing_cost("gmial", "gmail") < typing_cost("gmpil", "gmail")
    assert typing_cost("gnail", "gmail") < typing_cost("gpail", "gmail")
    assert typing_cost("yaho", "yahoo") < typing_cost("yaoo", "yahoo")
    assert typing_cost("comm", "com") < typing_cost("comx", "com")


# --- deliverability -------------------------------------------------------------------------


class _Record:
    def __init__(self, exchange: str) -> None:
        self.exchange = exchange


class _FakeResolver:
    """Answers from a table: rdtype -> list of records, or an exception to raise."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.queries: list[tuple[str, str, float]] = []

    def resolve(self, name: str, rdtype: str, lifetime: float) -> list[_Record]:
        self.queries.append((name, rdtype, lifetime))
        answer = self.answers.get(rdtype, dns.resolver.NoAnswer())
        if isinstance(answer, Exception):
            raise answer
        return list(answer)


MX_OPTIONS = FieldOptions(check_mx=True, mx_timeout=1.5)


def use_resolver(monkeypatch: pytest.MonkeyPatch, resolver: _FakeResolver | None) -> None:
    monkeypatch.setattr(email_field, "_resolver", lambda: resolver)


def test_mx_check_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = _FakeResolver({"MX": dns.resolver.NXDOMAIN()})
    use_resolver(monkeypatch, resolver)
    assert FIELD.validate("a@acme.com").valid
    assert resolver.queries == []


def test_domain_with_mx_is_deliverable(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = _FakeResolver({"MX": [_Record("mx1.acme.com.")]})
    use_resolver(monkeypatch, resolver)
    result = FIELD.validate("a@Acme.com", MX_OPTIONS)
    assert result.valid
    assert codes(result) == []
    assert resolver.queries[0][:2] == ("acme.com", "MX")
    assert 0 < resolver.queries[0][2] <= 1.5


def test_idn_domain_is_looked_up_in_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = _FakeResolver({"MX": [_Record("mx.example.")]})
    use_resolver(monkeypatch, resolver)
    FIELD.validate("a@bücher.de", MX_OPTIONS)
    assert resolver.queries[0][0] == "xn--bcher-kva.de"


def test_domain_with_only_an_a_record_is_deliverable(monkeypatch: pytest.MonkeyPatch) -> None:
    use_resolver(monkeypatch, _FakeResolver({"A": [_Record("ignored")]}))
    assert codes(FIELD.validate("a@acme.com", MX_OPTIONS)) == []


@pytest.mark.parametrize(
    "answers",
    [
        {"MX": dns.resolver.NXDOMAIN()},
        {},  # no MX, A or AAAA records
        {"MX": [_Record(".")]},  # RFC 7505 null MX
    ],
)
def test_domain_without_mail_hosts_is_undeliverable(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]
) -> None:
    use_resolver(monkeypatch, _FakeResolver(answers))
    result = FIELD.validate("a@acme.com", MX_OPTIONS)
    assert not result.valid
    assert result.value == "a@acme.com"
    assert codes(result) == ["email_no_mx"]


@pytest.mark.parametrize(
    "failure", [dns.exception.Timeout(), dns.resolver.NoNameservers(), dns.exception.DNSException()]
)
def test_dns_failures_are_unknown_not_errors(
    monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    use_resolver(monkeypatch, _FakeResolver({"MX": failure}))
    result = FIELD.validate("a@acme.com", MX_OPTIONS)
    assert result.valid
    assert codes(result) == ["email_mx_unknown"]


def test_missing_resolver_configuration_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    use_resolver(monkeypatch, None)
    assert codes(FIELD.validate("a@acme.com", MX_OPTIONS)) == ["email_mx_unknown"]


def test_address_literal_skips_mx_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = _FakeResolver({})
    use_resolver(monkeypatch, resolver)
    assert FIELD.validate("jo@[123.123.123.123]", MX_OPTIONS).valid
    assert resolver.queries == []


# --- properties -----------------------------------------------------------------------------

decorations = st.sampled_from(
    ["{}", "  {}  ", "mailto:{}", '"Some One" <{}>', "<{}>", "{};", "\t{}\n"]
)


def assert_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    if not first.valid or first.value is None:
        return
    again = FIELD.validate(first.value)
    assert again.valid
    assert again.value == first.value
    assert again.rule is None


@settings(max_examples=300, deadline=None)
@given(address=st.emails(), decoration=decorations, upper=st.booleans())
def test_normalization_is_idempotent(address: str, decoration: str, upper: bool) -> None:
    raw = decoration.format(address.upper() if upper else address)
    assert_idempotent(raw)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_arbitrary_text_never_crashes(text: str) -> None:
    result = FIELD.validate(text)
    if not result.valid:
        assert result.value is None
        assert codes(result) == ["email_invalid"]
    assert_idempotent(text)


@settings(max_examples=200, deadline=None)
@given(
    local=st.from_regex(r"[A-Za-z0-9._%+\-]{1,20}", fullmatch=True),
    domain=st.sampled_from(["gmail.com", "Bücher.de", "例子.广告", "ACME.co.uk", "gmial.con"]),
)
def test_realistic_addresses_are_idempotent(local: str, domain: str) -> None:
    assert_idempotent(f" {local}@{domain} ")


def test_typo_of_a_popular_domain_is_not_called_disposable():
    result = FIELD.validate("x@gmial.com")
    codes = [issue.code for issue in result.issues]
    assert codes == ["email_possible_typo"]
    assert result.suggestion == "x@gmail.com"


# --- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "noemail@gmail.com",
        "no.email@yahoo.com",
        "No-Email@Company.com",
        "none@none.com",
        "na@na.com",
        "x@x.com",
        "test@test.com",
        "asdf@asdf.com",
        "jane.smith@noemail.com",
        "unknown+1@gmail.com",
    ],
)
def test_filler_addresses_stay_valid_and_are_flagged(address: str) -> None:
    result = FIELD.validate(address)
    assert result.valid
    assert result.placeholder
    assert result.components["placeholder"]
    assert "email_placeholder" in codes(result)
    assert email_field.is_placeholder(str(result.value))


@pytest.mark.parametrize(
    "address",
    ["x@gmail.com", "bob@abc.com", "nadia@na.com", "john@john.com", "jane@email.com"],
)
def test_real_looking_addresses_are_not_fillers(address: str) -> None:
    result = FIELD.validate(address)
    assert not result.placeholder
    assert "email_placeholder" not in codes(result)
    assert not email_field.is_placeholder(address)


def test_filler_is_not_also_a_role_account() -> None:
    assert codes(FIELD.validate("test@company.com")) == ["email_placeholder"]


@pytest.mark.parametrize("address", ["ann@example.com", "bob@mail.example.org", "c@shop.example"])
def test_documentation_domains_are_flagged_but_not_fillers(address: str) -> None:
    result = FIELD.validate(address)
    assert codes(result) == ["email_reserved_domain"]
    assert result.valid
    assert not result.placeholder
