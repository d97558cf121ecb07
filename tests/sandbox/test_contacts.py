"""Contacts over HTTP as [S26] has them: create, search, update (emails and phone numbers
replace whole lists), delete, custom fields by definition uuid, the limits (10 emails, 10
phone numbers) and the paid-plan refusal with Calendly's bodies, and the contact.*
deliveries."""

from __future__ import annotations

import httpx
import pytest

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_webhooks import envelopes, subscribe

INVALID = {"title": "Invalid Argument", "message": "The supplied parameters are invalid."}
CONTACT_KEYS = {
    "uri", "name", "emails", "phone_numbers", "timezone", "job_title", "company", "country",
    "state", "city", "linkedin", "custom_fields", "created_at", "updated_at",
    "first_email_date", "last_email_date", "next_meeting_date", "last_meeting_date",
    "last_interaction_date",
}


def primary(email: str) -> list[dict]:
    return [{"email": email, "is_primary": True}]


def emails(n: int) -> list[dict]:
    return [{"email": f"p{i}@zulu.example", "is_primary": i == 0} for i in range(n)]


def phones(n: int) -> list[dict]:
    return [{"phone_number": f"+1415555{i:04d}"} for i in range(n)]


def new_contact(api: httpx.Client, **fields) -> httpx.Response:
    body = {"name": "Zed Zulu", "emails": primary("zed@zulu.example"), **fields}
    return api.post("/contacts", json=body)


def uuid_of(resource: dict) -> str:
    return resource["uri"].rsplit("/", 1)[1]


def test_create_list_search_get_update_delete(sb: Sandbox, api: httpx.Client) -> None:
    created = new_contact(
        api, phone_numbers=[{"phone_number": "+14155550000"}], company="Zulu", job_title="CEO",
        country="NO", state="Oslo", city="Oslo", timezone="Europe/Oslo",
        linkedin="https://www.linkedin.com/in/zed")
    assert created.status_code == 201, created.text
    contact = created.json()["resource"]
    assert set(contact) == CONTACT_KEYS  # [S26] Contact: no owner, no phones
    assert contact["phone_numbers"] == [{"phone_number": "+14155550000"}]
    assert contact["last_interaction_date"] is None and contact["custom_fields"] == []
    path = f"/contacts/{uuid_of(contact)}"
    assert api.get(path).json()["resource"] == contact
    listed = api.get("/contacts", params={"count": 100}).json()["collection"]
    assert contact["uri"] in [c["uri"] for c in listed]
    for params in ({"email": "ZED@zulu.example"}, {"name": "zed"}, {"company": "zul"},
                   {"phone_number": "+14155550000"}, {"country": "no"}, {"state": "Oslo"},
                   {"city": "osl"}, {"job_title": "ce"}, {"timezone": "Europe/Oslo"},
                   {"email": "nobody@x.example,zed@zulu.example"},
                   {"name": "nobody,zulu", "country": "SE,NO"}):
        found = api.get("/contacts", params=params).json()["collection"]
        assert [c["uri"] for c in found] == [contact["uri"]], params
    for params in ({"email": "nobody@x.example"}, {"state": "osl"}, {"country": "N"}):
        assert api.get("/contacts", params=params).json()["collection"] == [], params
    updated = api.patch(path, json={"emails": primary("new@zulu.example"),
                                    "phone_numbers": []})
    assert updated.status_code == 200, updated.text
    after = updated.json()["resource"]
    assert after["emails"] == primary("new@zulu.example") and after["phone_numbers"] == []
    assert after["company"] == "Zulu" and after["updated_at"] >= contact["updated_at"]
    assert api.get("/contacts", params={"email": "zed@zulu.example"}).json()["collection"] == []
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.patch(path, json={"name": "x"}).status_code == 404
    assert api.delete(path).status_code == 404


@pytest.mark.parametrize(("field", "make", "limit"), [
    ("emails", emails, 10), ("phone_numbers", phones, 10)])
def test_limits_ten_accepted_eleven_refused(api: httpx.Client, field, make, limit) -> None:
    ok = new_contact(api, **{field: make(limit)})
    assert ok.status_code == 201, ok.text
    assert ok.json()["resource"][field] == make(limit)
    refused = new_contact(api, **{"name": "Other", "emails": primary("o@o.example"),
                                  field: make(limit + 1)})
    assert (refused.status_code, refused.json()) == (400, {**INVALID, "details": [
        {"parameter": field, "message": f"must contain at most {limit} items"}]})
    path = f"/contacts/{uuid_of(ok.json()['resource'])}"
    patched = api.patch(path, json={field: make(limit + 1)})
    assert (patched.status_code, patched.json()) == (400, refused.json())
    assert api.get(path).json()["resource"][field] == make(limit)  # nothing changed


def test_contacts_need_a_paid_plan(sb: Sandbox, api: httpx.Client) -> None:
    uuid = uuid_of(api.get("/contacts").json()["collection"][0])
    sb.configure(plan="free")
    denied = {"title": "Permission Denied",
              "message": "Please upgrade to a paid Calendly account."}
    for method, path in (("GET", "/contacts"), ("POST", "/contacts"),
                         ("GET", f"/contacts/{uuid}"), ("PATCH", f"/contacts/{uuid}"),
                         ("DELETE", f"/contacts/{uuid}"),
                         ("GET", "/contacts/custom_field_definitions")):
        answer = api.request(method, path, json={"name": "x"} if method != "GET" else None)
        assert (answer.status_code, answer.json()) == (403, denied), (method, path)
    sb.configure(plan="standard")
    assert api.get("/contacts").status_code == 200


@pytest.mark.parametrize(("body", "parameter"), [
    ({"emails": primary("a@b.example")}, "name"),
    ({"name": "A"}, "emails"),
    ({"name": "A", "emails": "a@b.example"}, "emails"),
    ({"name": "A", "emails": ["a@b.example"]}, "emails"),  # strings are not Email objects
    ({"name": "A", "emails": [{"email": "not-an-email", "is_primary": True}]}, "emails"),
    ({"name": "A", "emails": [{"email": "a@b.example", "is_primary": False}]}, "emails"),
    ({"name": "A", "emails": [{"email": "a@b.example", "is_primary": True},
                              {"email": "A@b.example", "is_primary": False}]}, "emails"),
    ({"name": "A", "emails": primary("a@b.example"), "phone_numbers": ["+1415"]},
     "phone_numbers"),
    ({"name": "A", "emails": primary("a@b.example"), "phones": ["+1415"]}, "phones"),
    ({"name": "A", "emails": primary("a@b.example"), "owner": "https://x/users/1"}, "owner"),
    ({"name": "A", "emails": primary("a@b.example"), "linkedin": "in/ann"}, "linkedin"),
    ({"name": "A", "emails": primary("a@b.example"), "city": 5}, "city"),
    ({"name": "x" * 256, "emails": primary("a@b.example")}, "name"),
])
def test_validation(api: httpx.Client, body: dict, parameter: str) -> None:
    response = api.post("/contacts", json=body)
    assert response.status_code == 400, body
    assert response.json()["details"][0]["parameter"] == parameter, body
    assert {k: response.json()[k] for k in ("title", "message")} == INVALID


def test_conflicts_and_updates(api: httpx.Client) -> None:
    assert new_contact(api).status_code == 201
    again = new_contact(api, name="Other")
    assert again.status_code == 409 and again.json()["title"] == "Already Exists"
    assert api.get("/contacts", params={"sort": "name:asc"}).status_code == 400
    assert api.get("/contacts", params={"exclude": "emails"}).status_code == 400
    uuid = uuid_of(api.get("/contacts", params={"email": "zed@zulu.example"}).json()[
        "collection"][0])
    for body, parameter in (({"color": "red"}, "color"), ({"phones": []}, "phones"),
                            ({"emails": []}, "emails"), ({}, "body"), ({"name": ""}, "name")):
        answer = api.patch(f"/contacts/{uuid}", json=body)
        assert answer.status_code == 400, body
        assert answer.json()["details"][0]["parameter"] == parameter, body


def test_custom_fields(sb: Sandbox, api: httpx.Client) -> None:
    fields = api.get("/contacts/custom_field_definitions").json()["collection"]
    assert {f["field_type"] for f in fields} == {
        "single_select", "currency", "tags", "date", "number", "text"}
    for f in fields:
        assert {"uri", "label", "field_type", "created_at", "updated_at"} <= set(f)
        got = api.get(f"/contacts/custom_field_definitions/{uuid_of(f)}")
        assert got.json()["resource"] == f
    assert api.get("/contacts/custom_field_definitions/nope").status_code == 404
    by_type = {f["field_type"]: f for f in fields}
    select = by_type["single_select"]
    option = select["options"][1]["uuid"]
    values = {"single_select": option, "currency": 9900, "tags": ["vip", "eu"],
              "date": "2027-03-01", "number": 12.5, "text": "met at a fair"}
    ok = new_contact(api, custom_fields=[
        {"uuid": uuid_of(by_type[kind]), "value": value, "label": "ignored"}
        for kind, value in values.items()])
    assert ok.status_code == 201, ok.text
    contact = ok.json()["resource"]
    assert contact["custom_fields"] == [
        {"uri": by_type[kind]["uri"], "label": by_type[kind]["label"], "value": value}
        for kind, value in values.items()]
    path = f"/contacts/{uuid_of(contact)}"
    assert "custom_fields" not in api.get(path, params={"exclude": "custom_fields"}).json()[
        "resource"]
    listed = api.get("/contacts", params={"exclude": "custom_fields"}).json()["collection"]
    assert all("custom_fields" not in c for c in listed)
    patched = api.patch(path, json={"custom_fields": [
        {"uuid": uuid_of(by_type["text"]), "value": None}]}).json()["resource"]
    assert {f["uri"]: f["value"] for f in patched["custom_fields"]}[by_type["text"]["uri"]] is None
    assert len(patched["custom_fields"]) == len(values)  # the other values stay
    for kind, bad in (("single_select", "Web"), ("currency", 99.5), ("tags", "vip"),
                      ("date", "March 1st"), ("number", "5"), ("text", ["a"])):
        refused = new_contact(api, emails=primary(f"{kind}@q.example"), custom_fields=[
            {"uuid": uuid_of(by_type[kind]), "value": bad}])
        assert refused.status_code == 400, kind
        assert refused.json()["details"][0]["parameter"] == "custom_fields"
    for items in ([{"uuid": "nope", "value": "x"}], [{"definition": select["uri"], "value": 1}],
                  [{"uuid": uuid_of(by_type["text"])}]):
        refused = new_contact(api, emails=primary("x@q.example"), custom_fields=items)
        assert refused.status_code == 400, items
    assert sb.store.contacts[uuid_of(contact)]["custom_fields"] == patched["custom_fields"]


def test_members_see_only_their_own_contacts(sb: Sandbox, api: httpx.Client,
                                             member_api: httpx.Client) -> None:
    mine = member_api.get("/contacts").json()["collection"]
    assert mine and all(sb.store.contact_owners[uuid_of(c)] == sb.store.member_uri
                        for c in mine)
    everyone = api.get("/contacts", params={"count": 100}).json()["collection"]
    other = next(c for c in everyone if sb.store.contact_owners[uuid_of(c)] == sb.user_uri)
    assert member_api.get(f"/contacts/{uuid_of(other)}").status_code == 403


def test_contact_webhooks(sb: Sandbox, api: httpx.Client, receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["contact.created", "contact.updated", "contact.deleted"])
    contact = new_contact(api).json()["resource"]
    path = f"/contacts/{uuid_of(contact)}"
    api.patch(path, json={"job_title": "CFO"})
    api.delete(path)
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == ["contact.created", "contact.updated",
                                         "contact.deleted"]
    user_uuid = sb.user_uri.rsplit("/", 1)[1]
    # [S26] ContactCreatedWebhookPayload: the contact plus its creation_source
    assert got[0]["payload"] == {"user_uuid": user_uuid,
                                 "contact": {**contact, "creation_source": "api"}}
    assert got[1]["payload"]["contact"]["job_title"] == "CFO"
    assert got[2]["payload"]["user_uuid"] == user_uuid
    assert got[2]["payload"]["contact"]["uri"] == contact["uri"]
    assert set(got[2]["payload"]["contact"]) == {"uri", "deleted_at"}
    made = sb.add_contact(name="Ui Person", emails=primary("ui@person.example"),
                          phone_numbers=phones(2), country="SE")
    assert envelopes(receiver, sb.default_signing_key)[-1]["payload"]["contact"] == {
        **made, "creation_source": "calendly"}
    with pytest.raises(ValueError, match="phone_numbers"):
        sb.add_contact(name="Too Many", emails=primary("t@m.example"), phone_numbers=phones(11))
