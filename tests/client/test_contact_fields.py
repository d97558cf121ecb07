"""Contacts as [S26] has them: ``{email, is_primary}`` and ``{phone_number}`` objects, at
most 10 of each, custom field values by definition ``uuid``, the location and LinkedIn
fields, and the search filters (comma-separated lists)."""

from __future__ import annotations

import json

import httpx
import pytest

from django_calendly.client.validation import (
    MAX_CONTACT_EMAILS,
    MAX_CONTACT_PHONE_NUMBERS,
    InvalidArgument,
)

from .conftest import API


def emails(n: int) -> list[dict]:
    return [{"email": f"p{i}@example.com", "is_primary": i == 0} for i in range(n)]


def phones(n: int) -> list[dict]:
    return [{"phone_number": f"+1415555{i:04d}"} for i in range(n)]


def _echo(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json={"resource": {"uri": API + "/contacts/C1"},
                                     "collection": [], "pagination": {}})


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent: {request.method} {request.url}")


def test_limits_are_calendlys() -> None:
    assert MAX_CONTACT_EMAILS == 10 and MAX_CONTACT_PHONE_NUMBERS == 10


def test_ten_emails_and_ten_phone_numbers_are_sent(make_client):
    client, rec = make_client(_echo)
    client.contacts.create(
        name="Ann", emails=emails(10), phone_numbers=phones(10), timezone="Europe/Oslo",
        job_title="CTO", company="Acme", country="NO", state="Oslo", city="Oslo",
        linkedin="https://www.linkedin.com/in/ann", custom_fields=[
            {"uuid": "CF1", "value": "web", "label": "ignored"}, {"uuid": "CF2", "value": None},
            {"uuid": "CF3", "value": ["a", "b"]}, {"uuid": "CF4", "value": 1250}],
    )
    sent = json.loads(rec.requests[0].content)
    assert sent == {
        "name": "Ann", "emails": emails(10), "phone_numbers": phones(10),
        "timezone": "Europe/Oslo", "job_title": "CTO", "company": "Acme", "country": "NO",
        "state": "Oslo", "city": "Oslo", "linkedin": "https://www.linkedin.com/in/ann",
        "custom_fields": [{"uuid": "CF1", "value": "web"}, {"uuid": "CF2", "value": None},
                          {"uuid": "CF3", "value": ["a", "b"]},
                          {"uuid": "CF4", "value": 1250}],
    }
    assert "phones" not in sent


@pytest.mark.parametrize(("kwargs", "name", "text"), [
    ({"emails": emails(11)}, "emails", "at most 10 email addresses"),
    ({"emails": emails(1), "phone_numbers": phones(11)}, "phone_numbers",
     "at most 10 phone numbers"),
    ({"emails": [{"email": "a@b.example", "is_primary": False}]}, "emails", "Exactly one"),
    ({"emails": [{"email": "a@b.example", "is_primary": True},
                 {"email": "b@b.example", "is_primary": True}]}, "emails", "Exactly one"),
    ({"emails": [{"email": "a@b.example", "is_primary": True},
                 {"email": "A@b.example", "is_primary": False}]}, "emails", "repeat"),
    ({"emails": [{"email": "a@b.example"}]}, "emails[0].is_primary", "true or false"),
    ({"emails": [{"email": "a@b.example", "is_primary": True, "primary": True}]},
     "emails[0]", "unknown key"),
    ({"emails": emails(1), "phone_numbers": [{"number": "+1"}]}, "phone_numbers[0]",
     "unknown key"),
    ({"emails": emails(1), "phone_numbers": [{"phone_number": ""}]},
     "phone_numbers[0].phone_number", "non-empty"),
    ({"emails": emails(1), "custom_fields": [{"uuid": "CF1", "value": {"a": 1}}]},
     "custom_fields[0].value", "list of strings"),
    ({"emails": emails(1), "custom_fields": [{"uuid": "../x", "value": "a"}]},
     "custom_fields[0].uuid", "letters, digits"),
    ({"emails": emails(1), "country": ""}, "country", "non-empty"),
])
def test_refused_before_sending(make_client, kwargs, name, text):
    client, rec = make_client(_refuse)
    with pytest.raises(InvalidArgument) as info:
        client.contacts.create(name="Ann", **kwargs)
    assert info.value.name == name and text in str(info.value)
    assert rec.count == 0


def test_update_refuses_eleven_and_sends_ten(make_client):
    client, rec = make_client(_echo)
    with pytest.raises(InvalidArgument):
        client.contacts.update("C1", phone_numbers=phones(11))
    assert rec.count == 0
    client.contacts.update("C1", phone_numbers=phones(10), city="Bergen")
    assert json.loads(rec.requests[0].content) == {"phone_numbers": phones(10), "city": "Bergen"}


def test_search_filters_are_calendlys(make_client):
    client, rec = make_client(_echo)
    client.contacts.list(email=["a@b.example", "c@d.example"], phone_number="+14155550101",
                         country=["NO", "SE"], state="Oslo", city="Os", name="ann",
                         job_title="CTO", company="Ac", timezone="Europe/Oslo",
                         exclude="custom_fields", sort="updated_at:desc", count=5)
    params = dict(rec.requests[0].url.params)
    assert params == {
        "email": "a@b.example,c@d.example", "phone_number": "+14155550101",
        "country": "NO,SE", "state": "Oslo", "city": "Os", "name": "ann", "job_title": "CTO",
        "company": "Ac", "timezone": "Europe/Oslo", "exclude": "custom_fields",
        "sort": "updated_at:desc", "count": "5",
    }
    client.contacts.get("C1", exclude=["custom_fields"])
    assert dict(rec.requests[1].url.params) == {"exclude": "custom_fields"}
