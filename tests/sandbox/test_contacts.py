"""Contacts over HTTP: create, search, update (whole-list emails and phones), delete,
custom fields, and the contact.* deliveries."""

from __future__ import annotations

import httpx

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_webhooks import envelopes, subscribe


def new_contact(api: httpx.Client, **fields) -> httpx.Response:
    body = {"name": "Zed Zulu", "emails": ["zed@zulu.example"], **fields}
    return api.post("/contacts", json=body)


def test_create_list_search_get_update_delete(sb: Sandbox, api: httpx.Client) -> None:
    created = new_contact(api, phones=["+14155550000"], company="Zulu", job_title="CEO")
    assert created.status_code == 201, created.text
    contact = created.json()["resource"]
    assert contact["owner"] == sb.user_uri and contact["first_name"] == "Zed"
    path = f"/contacts/{contact['uri'].rsplit('/', 1)[1]}"
    assert api.get(path).json()["resource"] == contact
    listed = api.get("/contacts", params={"count": 100}).json()["collection"]
    assert contact["uri"] in [c["uri"] for c in listed]
    for params in ({"email": "ZED@zulu.example"}, {"search": "zulu"}, {"name": "zed"},
                   {"company": "zulu"}, {"phone": "+14155550000"}):
        found = api.get("/contacts", params=params).json()["collection"]
        assert [c["uri"] for c in found] == [contact["uri"]], params
    assert api.get("/contacts", params={"email": "nobody@x.example"}).json()["collection"] == []
    updated = api.patch(path, json={"emails": ["new@zulu.example"], "phones": []})
    assert updated.status_code == 200, updated.text
    after = updated.json()["resource"]
    assert after["emails"] == ["new@zulu.example"] and after["phones"] == []  # replaced
    assert after["company"] == "Zulu" and after["updated_at"] >= contact["updated_at"]
    assert api.get("/contacts", params={"email": "zed@zulu.example"}).json()["collection"] == []
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.patch(path, json={"name": "x"}).status_code == 404
    assert api.delete(path).status_code == 404


def test_validation_and_conflicts(api: httpx.Client) -> None:
    cases = [
        ({"emails": ["a@b.example"]}, "name"),
        ({"name": "A"}, "emails"),
        ({"name": "A", "emails": "a@b.example"}, "emails"),
        ({"name": "A", "emails": ["not-an-email"]}, "emails"),
        ({"name": "A", "emails": ["a@b.example", "A@b.example"]}, "emails"),
        ({"name": "A", "emails": ["a@b.example"], "phones": ["call me"]}, "phones"),
        ({"name": "x" * 256, "emails": ["a@b.example"]}, "name"),
        ({"name": "A", "emails": ["a@b.example"], "owner": "https://elsewhere/users/1"},
         "owner"),
    ]
    for body, parameter in cases:
        response = api.post("/contacts", json=body)
        assert response.status_code == 400, body
        assert response.json()["details"][0]["parameter"] == parameter, body
    assert new_contact(api).status_code == 201
    again = new_contact(api, name="Other")
    assert again.status_code == 409 and again.json()["title"] == "Already Exists"
    assert api.get("/contacts", params={"sort": "name:asc"}).status_code == 400
    uuid = api.get("/contacts", params={"email": "zed@zulu.example"}).json()[
        "collection"][0]["uri"].rsplit("/", 1)[1]
    assert api.patch(f"/contacts/{uuid}", json={"color": "red"}).json()["details"][0][
        "parameter"] == "color"
    assert api.patch(f"/contacts/{uuid}", json={"emails": []}).status_code == 400


def test_custom_fields(sb: Sandbox, api: httpx.Client) -> None:
    fields = api.get("/contacts/custom_field_definitions").json()
    assert len(fields["collection"]) == 3 and "pagination" in fields
    first = fields["collection"][0]
    got = api.get(f"/contacts/custom_field_definitions/{first['uri'].rsplit('/', 1)[1]}")
    assert got.json()["resource"] == first
    assert api.get("/contacts/custom_field_definitions/nope").status_code == 404
    by_type = {f["type"]: f for f in fields["collection"]}
    ok = new_contact(api, custom_fields=[{"definition": by_type["number"]["uri"], "value": 5}])
    assert ok.status_code == 201
    assert ok.json()["resource"]["custom_fields"][0]["value"] == 5
    bad = new_contact(api, emails=["q@q.example"],
                      custom_fields=[{"definition": by_type["number"]["uri"], "value": "five"}])
    assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == "custom_fields"


def test_members_see_only_their_own_contacts(sb: Sandbox, api: httpx.Client,
                                             member_api: httpx.Client) -> None:
    mine = member_api.get("/contacts").json()["collection"]
    assert mine and all(c["owner"] == sb.store.member_uri for c in mine)
    owners = [c for c in api.get("/contacts").json()["collection"] if c["owner"] == sb.user_uri]
    other = owners[0]["uri"].rsplit("/", 1)[1]
    assert member_api.get(f"/contacts/{other}").status_code == 403
    assert member_api.get("/contacts", params={"owner": sb.user_uri}).status_code == 403


def test_contact_webhooks(sb: Sandbox, api: httpx.Client, receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["contact.created", "contact.updated", "contact.deleted"])
    contact = new_contact(api).json()["resource"]
    path = f"/contacts/{contact['uri'].rsplit('/', 1)[1]}"
    api.patch(path, json={"job_title": "CFO"})
    api.delete(path)
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == ["contact.created", "contact.updated",
                                         "contact.deleted"]
    user_uuid = sb.user_uri.rsplit("/", 1)[1]
    assert got[0]["payload"] == {"user_uuid": user_uuid, "contact": contact}
    assert got[1]["payload"]["contact"]["job_title"] == "CFO"
    assert got[2]["payload"]["user_uuid"] == user_uuid
    assert got[2]["payload"]["contact"]["uri"] == contact["uri"]
    assert set(got[2]["payload"]["contact"]) == {"uri", "deleted_at"}
    made = sb.add_contact(name="Ui Person", emails=["ui@person.example"])
    assert envelopes(receiver, sb.default_signing_key)[-1]["payload"]["contact"] == made
