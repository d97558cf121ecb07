"""The contacts endpoints end to end against the sandbox (issue 12)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db

CONTACTS = f"{BASE}contacts/"


def fresh_email() -> str:
    return f"c-{uuid.uuid4().hex[:12]}@example.com"


def test_a_contact_from_creation_to_deletion(sb: Sandbox, api: APIClient) -> None:
    email = fresh_email()
    created = api.post(CONTACTS, {"name": "Lena Life", "emails": [email],
                                  "phones": ["+14155550199"]}, format="json")
    assert created.status_code == 201, created.content
    contact = created.json()["resource"]
    assert (contact["name"], contact["emails"], contact["phones"]) == (
        "Lena Life", [email], ["+14155550199"])
    one = f"{CONTACTS}{contact['uri'].rsplit('/', 1)[1]}/"
    assert api.get(one).json()["resource"]["uri"] == contact["uri"]

    found = api.get(CONTACTS, {"email": email}).json()
    assert [c["uri"] for c in found["collection"]] == [contact["uri"]]
    assert api.get(CONTACTS, {"email": fresh_email()}).json()["collection"] == []

    other = fresh_email()
    updated = api.patch(one, {"emails": [other]}, format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["resource"]["emails"] == [other]  # the whole list replaced
    assert updated.json()["resource"]["phones"] == ["+14155550199"]  # untouched

    assert api.delete(one).status_code == 204
    assert_error(api.get(one), 404, "not_found")


def test_a_second_contact_with_the_same_email_is_a_conflict(sb: Sandbox, api: APIClient) -> None:
    email = fresh_email()
    body = {"name": "Twin", "emails": [email]}
    assert api.post(CONTACTS, body, format="json").status_code == 201
    assert_error(api.post(CONTACTS, body, format="json"), 409, "conflict")


def test_search_filters_and_paging_reach_calendly(sb: Sandbox, api: APIClient) -> None:
    page = api.get(CONTACTS, {"company": "Acme", "count": 1, "sort": "created_at:desc"})
    assert page.status_code == 200, page.content
    body = page.json()
    assert [c["company"] for c in body["collection"]] == ["Acme"]
    by_term = api.get(CONTACTS, {"search": "globex"}).json()["collection"]
    assert by_term and all("globex" in " ".join(c["emails"]) for c in by_term)


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"emails": ["a@example.com"]}, "name"),
        ({"name": "X"}, "emails"),
        ({"name": "X", "emails": "a@example.com"}, "emails"),
        ({"name": "X", "emails": ["not-an-email"]}, "emails[0]"),
        ({"name": "X", "emails": ["a@example.com", "A@example.com"]}, "emails"),
        ({"name": 5, "emails": ["a@example.com"]}, "name"),
        ({"name": "X" * 256, "emails": ["a@example.com"]}, "name"),
        ({"name": "X", "emails": ["a@example.com"], "phones": [5]}, "phones[0]"),
    ],
)
def test_bad_bodies_are_refused_before_calendly(
    sb: Sandbox, api: APIClient, body: dict[str, Any], parameter: str
) -> None:
    assert_error(api.post(CONTACTS, body, format="json"), 400, "invalid_input", parameter)
    assert upstream_calls(sb) == 0


def test_bad_search_parameters_are_refused(sb: Sandbox, api: APIClient) -> None:
    assert_error(api.get(CONTACTS, {"sort": "name:asc"}), 400, "invalid_input", "sort")
    assert_error(api.get(CONTACTS, {"email": "nope"}), 400, "invalid_input", "email")
    assert_error(api.get(CONTACTS, {"count": 101}), 400, "invalid_input", "count")
    assert upstream_calls(sb) == 0


def test_unknown_search_parameters_are_not_forwarded(sb: Sandbox, api: APIClient) -> None:
    everything = api.get(CONTACTS, {"count": 100}).json()["collection"]
    ignored = api.get(CONTACTS, {"count": 100, "owner_email": "x@example.com"}).json()
    assert len(ignored["collection"]) == len(everything)


def test_custom_field_definitions(sb: Sandbox, api: APIClient) -> None:
    listed = api.get(f"{CONTACTS}custom-fields/")
    assert listed.status_code == 200, listed.content
    first = listed.json()["collection"][0]
    one = api.get(f"{CONTACTS}custom-fields/{first['uri'].rsplit('/', 1)[1]}/")
    assert one.json()["resource"] == first
    assert_error(api.get(f"{CONTACTS}custom-fields/{uuid.uuid4()}/"), 404, "not_found")
