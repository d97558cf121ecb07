"""The contacts endpoints end to end against the sandbox (issue 12), with Calendly's field
names and shapes ([S26]): ``emails`` ``[{email, is_primary}]``, ``phone_numbers``
``[{phone_number}]`` (at most 10 each), the location and LinkedIn fields, custom fields by
definition ``uuid``, and the paid-plan refusal."""

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


def primary(email: str) -> list[dict]:
    return [{"email": email, "is_primary": True}]


def emails(n: int) -> list[dict]:
    tag = uuid.uuid4().hex[:8]
    return [{"email": f"e{i}-{tag}@example.com", "is_primary": i == 0} for i in range(n)]


def phones(n: int) -> list[dict]:
    return [{"phone_number": f"+1415555{i:04d}"} for i in range(n)]


def last(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def test_a_contact_from_creation_to_deletion(sb: Sandbox, api: APIClient) -> None:
    email = fresh_email()
    created = api.post(CONTACTS, {
        "name": "Lena Life", "emails": primary(email),
        "phone_numbers": [{"phone_number": "+14155550199"}], "country": "DE",
        "state": "Berlin", "city": "Berlin", "company": "Lifeco",
        "linkedin": "https://www.linkedin.com/in/lena",
    }, format="json")
    assert created.status_code == 201, created.content
    contact = created.json()["resource"]
    assert (contact["name"], contact["emails"], contact["phone_numbers"]) == (
        "Lena Life", primary(email), [{"phone_number": "+14155550199"}])
    assert (contact["country"], contact["city"], contact["linkedin"]) == (
        "DE", "Berlin", "https://www.linkedin.com/in/lena")
    assert "phones" not in contact and "owner" not in contact
    one = f"{CONTACTS}{last(contact['uri'])}/"
    assert api.get(one).json()["resource"]["uri"] == contact["uri"]

    found = api.get(CONTACTS, {"email": email}).json()
    assert [c["uri"] for c in found["collection"]] == [contact["uri"]]
    assert api.get(CONTACTS, {"email": fresh_email()}).json()["collection"] == []
    both = api.get(CONTACTS, {"email": f"{fresh_email()},{email}", "country": "DE"}).json()
    assert [c["uri"] for c in both["collection"]] == [contact["uri"]]

    other = fresh_email()
    updated = api.patch(one, {"emails": primary(other)}, format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["resource"]["emails"] == primary(other)  # the whole list replaced
    assert updated.json()["resource"]["phone_numbers"] == [
        {"phone_number": "+14155550199"}]  # untouched
    cleared = api.patch(one, {"phone_numbers": []}, format="json").json()["resource"]
    assert cleared["phone_numbers"] == []

    assert api.delete(one).status_code == 204
    assert_error(api.get(one), 404, "not_found")


@pytest.mark.parametrize(("field", "make"), [("emails", emails), ("phone_numbers", phones)])
def test_ten_are_accepted_eleven_refused_before_calendly(
    sb: Sandbox, api: APIClient, field: str, make: Any
) -> None:
    body = {"name": "Many", "emails": primary(fresh_email()), field: make(10)}
    created = api.post(CONTACTS, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["resource"][field] == body[field]
    before = upstream_calls(sb)
    error = assert_error(api.post(CONTACTS, {**body, field: make(11)}, format="json"),
                         400, "invalid_input", field)
    assert "at most 10" in error["details"][0]["message"]
    one = f"{CONTACTS}{last(created.json()['resource']['uri'])}/"
    assert_error(api.patch(one, {field: make(11)}, format="json"), 400, "invalid_input", field)
    assert upstream_calls(sb) == before


def test_contacts_need_a_paid_plan(sb: Sandbox, api: APIClient) -> None:
    contact = api.get(CONTACTS).json()["collection"][0]
    sb.configure(plan="free")
    body = assert_error(api.get(CONTACTS), 403, "plan_required")
    assert body["message"] == "Please upgrade to a paid Calendly account."
    assert_error(api.get(f"{CONTACTS}{last(contact['uri'])}/"), 403, "plan_required")
    assert_error(api.post(CONTACTS, {"name": "Free", "emails": primary(fresh_email())},
                          format="json"), 403, "plan_required")
    assert_error(api.get(f"{CONTACTS}custom-fields/"), 403, "plan_required")


def test_custom_fields_by_definition_uuid(sb: Sandbox, api: APIClient) -> None:
    definitions = api.get(f"{CONTACTS}custom-fields/").json()["collection"]
    select = next(d for d in definitions if d["field_type"] == "single_select")
    tags = next(d for d in definitions if d["field_type"] == "tags")
    option = select["options"][0]["uuid"]
    created = api.post(CONTACTS, {
        "name": "Cf", "emails": primary(fresh_email()), "custom_fields": [
            {"uuid": last(select["uri"]), "value": option},
            {"uuid": last(tags["uri"]), "value": ["vip"]}],
    }, format="json")
    assert created.status_code == 201, created.content
    contact = created.json()["resource"]
    assert contact["custom_fields"] == [
        {"uri": select["uri"], "label": select["label"], "value": option},
        {"uri": tags["uri"], "label": tags["label"], "value": ["vip"]}]
    one = f"{CONTACTS}{last(contact['uri'])}/"
    assert "custom_fields" not in api.get(one, {"exclude": "custom_fields"}).json()["resource"]
    # Calendly refuses a value not of the field's type (the sandbox as Calendly)
    assert_error(api.patch(one, {"custom_fields": [
        {"uuid": last(select["uri"]), "value": "not-an-option"}]}, format="json"),
        400, "invalid_input")


def test_a_second_contact_with_the_same_email_is_a_conflict(sb: Sandbox, api: APIClient) -> None:
    body = {"name": "Twin", "emails": primary(fresh_email())}
    assert api.post(CONTACTS, body, format="json").status_code == 201
    assert_error(api.post(CONTACTS, body, format="json"), 409, "conflict")


def test_search_filters_and_paging_reach_calendly(sb: Sandbox, api: APIClient) -> None:
    page = api.get(CONTACTS, {"company": "Acme", "count": 1, "sort": "created_at:desc"})
    assert page.status_code == 200, page.content
    body = page.json()
    assert [c["company"] for c in body["collection"]] == ["Acme"]
    by_city = api.get(CONTACTS, {"city": "guadal,copen"}).json()["collection"]
    assert sorted(c["city"] for c in by_city) == ["Copenhagen", "Guadalajara"]
    listed = api.get(CONTACTS, {"exclude": "custom_fields"}).json()["collection"]
    assert listed and all("custom_fields" not in c for c in listed)


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"emails": primary("a@example.com")}, "name"),
        ({"name": "X"}, "emails"),
        ({"name": "X", "emails": "a@example.com"}, "emails"),
        ({"name": "X", "emails": ["a@example.com"]}, "emails[0]"),
        ({"name": "X", "emails": [{"email": "not-an-email", "is_primary": True}]},
         "emails[0].email"),
        ({"name": "X", "emails": [{"email": "a@example.com", "is_primary": "yes"}]},
         "emails[0].is_primary"),
        ({"name": "X", "emails": [{"email": "a@example.com", "is_primary": False}]}, "emails"),
        ({"name": "X", "emails": [{"email": "a@example.com", "is_primary": True},
                                  {"email": "A@example.com", "is_primary": False}]}, "emails"),
        ({"name": 5, "emails": primary("a@example.com")}, "name"),
        ({"name": "X" * 256, "emails": primary("a@example.com")}, "name"),
        ({"name": "X", "emails": primary("a@example.com"), "phones": ["+14155550101"]},
         "phones"),
        ({"name": "X", "emails": primary("a@example.com"), "phone_numbers": ["+1415"]},
         "phone_numbers[0]"),
        ({"name": "X", "emails": primary("a@example.com"), "linkedin": "in/x"}, "linkedin"),
        ({"name": "X", "emails": primary("a@example.com"),
          "custom_fields": [{"definition": "x", "value": 1}]}, "custom_fields[0].uuid"),
        ({"name": "X", "emails": primary("a@example.com"),
          "custom_fields": [{"uuid": "CF1", "value": {"a": 1}}]}, "custom_fields"),
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
    assert_error(api.get(CONTACTS, {"exclude": "emails"}), 400, "invalid_input", "exclude")
    assert upstream_calls(sb) == 0


def test_unknown_search_parameters_are_not_forwarded(sb: Sandbox, api: APIClient) -> None:
    everything = api.get(CONTACTS, {"count": 100}).json()["collection"]
    for old in ({"search": "zzz-nothing"}, {"phone": "+1"}, {"owner_email": "x@example.com"}):
        ignored = api.get(CONTACTS, {"count": 100, **old}).json()
        assert len(ignored["collection"]) == len(everything), old


def test_custom_field_definitions(sb: Sandbox, api: APIClient) -> None:
    listed = api.get(f"{CONTACTS}custom-fields/")
    assert listed.status_code == 200, listed.content
    first = listed.json()["collection"][0]
    assert {"uri", "label", "field_type"} <= set(first)
    one = api.get(f"{CONTACTS}custom-fields/{last(first['uri'])}/")
    assert one.json()["resource"] == first
    assert_error(api.get(f"{CONTACTS}custom-fields/{uuid.uuid4()}/"), 404, "not_found")
