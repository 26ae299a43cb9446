"""Contact intelligence from email addresses and phone numbers."""

from __future__ import annotations

from cleara.engine.enrich import enrich


def test_email_types_role_and_organization() -> None:
    rows = [
        {"email": "ann@gmail.com"},
        {"email": "info@acme-widgets.com"},
        {"email": "x@mailinator.com"},
        {"email": "not an email"},
    ]
    result = enrich(rows)
    types = [r["email_type"] for r in result.records]
    assert types == ["free", "corporate", "disposable", None]
    assert result.records[1]["email_role"] is True
    assert result.records[0]["email_role"] is False
    assert result.records[1]["email_organization"] == "acme-widgets.com"
    assert result.records[0]["email_organization"] is None
    assert all(e.source == "email" for e in result.enrichments)


def test_a_filler_address_is_typed_placeholder_and_says_nothing_more() -> None:
    result = enrich([{"email": "noemail@gmail.com"}, {"email": "ann@gmail.com"}])
    filler, real = result.records
    assert filler["email_type"] == "placeholder"
    assert filler["email_role"] is None
    assert real["email_type"] == "free"
    reasons = [e.explanation for e in result.enrichments if e.row == 0]
    assert reasons == ["'noemail' is a filler, not a mailbox"]


def test_a_documentation_domain_is_typed_reserved_without_an_organization() -> None:
    result = enrich([{"email": "info@example.com"}])
    (record,) = result.records
    assert record["email_type"] == "reserved"
    assert record["email_role"] is True
    assert record.get("email_organization") is None


def test_a_fictional_or_dummy_number_is_typed_placeholder_and_places_no_one() -> None:
    rows = [
        {"phone": "+1 202 555 0142", "country": None},  # fiction's Washington, D.C.
        {"phone": "+44 7777 777777", "country": None},  # a UK mobile number in form
        {"phone": "+1 415 555 2671", "country": None},
    ]
    result = enrich(rows)
    assert [r["phone_type"] for r in result.records][:2] == ["placeholder", "placeholder"]
    assert [r["country"] for r in result.records] == [None, None, "US"]
    assert result.records[0].get("phone_timezone") is None


def test_phone_facts() -> None:
    result = enrich([{"phone": "+1 415 555 2671"}, {"phone": "+44 7400 123456"}])
    us, uk = result.records
    assert us["phone_country"] == "US"
    assert uk["phone_country"] == "GB"
    assert uk["phone_type"] == "mobile"
    assert us["phone_timezone"] == "America/Los_Angeles"
    assert "San Francisco" in str(us["phone_region"])
    assert result.columns[0] == "phone"
