"""Webhook subscriptions and signed deliveries to a local receiver."""

from __future__ import annotations

import json

import httpx
import pytest

from django_calendly.client.signatures import SIGNATURE_HEADER, verify
from django_calendly.sandbox import Sandbox

from .conftest import Receiver


def subscribe(api: httpx.Client, sb: Sandbox, url: str, events: list[str], **extra) -> dict:
    body = {"url": url, "events": events, "organization": sb.organization_uri,
            "scope": "organization", **extra}
    response = api.post("/webhook_subscriptions", json=body)
    assert response.status_code == 201, response.text
    return response.json()["resource"]


def envelopes(receiver: Receiver, key: str) -> list[dict]:
    out = []
    for headers, body in receiver.received:
        verify(body, headers.get(SIGNATURE_HEADER), [key])
        out.append(json.loads(body))
    return out


def test_subscription_crud_and_validation(sb: Sandbox, api: httpx.Client) -> None:
    webhook = subscribe(api, sb, "http://127.0.0.1:9/a", ["invitee.created"])
    assert webhook["state"] == "active" and webhook["creator"] == sb.user_uri
    assert "signing_key" not in webhook
    again = api.post("/webhook_subscriptions", json={
        "url": "http://127.0.0.1:9/a", "events": ["invitee.canceled"],
        "organization": sb.organization_uri, "scope": "organization"})
    assert again.status_code == 409 and again.json()["title"] == "Already Exists"
    same_url_other_scope = api.post("/webhook_subscriptions", json={
        "url": "http://127.0.0.1:9/a", "events": ["invitee.created"],
        "organization": sb.organization_uri, "scope": "user", "user": sb.user_uri})
    assert same_url_other_scope.status_code == 409  # per URL, whatever the scope
    user_scoped = subscribe(api, sb, "http://127.0.0.1:9/b", ["invitee.created"],
                            scope="user", user=sb.user_uri)
    listed = api.get("/webhook_subscriptions", params={
        "organization": sb.organization_uri, "scope": "organization"}).json()["collection"]
    assert [w["uri"] for w in listed] == [webhook["uri"]]
    listed_user = api.get("/webhook_subscriptions", params={
        "organization": sb.organization_uri, "scope": "user", "user": sb.user_uri}).json()
    assert [w["uri"] for w in listed_user["collection"]] == [user_scoped["uri"]]
    for params, parameter in [
        ({"organization": sb.organization_uri}, "scope"),
        ({"organization": sb.organization_uri, "scope": "user"}, "user"),
        ({"scope": "organization"}, "organization"),
    ]:
        bad = api.get("/webhook_subscriptions", params=params)
        assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == parameter
    path = f"/webhook_subscriptions/{webhook['uri'].rsplit('/', 1)[1]}"
    assert api.get(path).json()["resource"] == webhook
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    for body, parameter in [
        ({"events": ["invitee.created"], "scope": "organization"}, "url"),
        ({"url": "http://x/y", "events": ["nope"], "scope": "organization"}, "events"),
        ({"url": "http://x/y", "events": ["meeting_recap.created"], "scope": "organization"},
         "events"),
        ({"url": "http://x/y", "events": ["invitee.created"], "scope": "user"}, "user"),
        ({"url": "http://x/y", "events": ["invitee.created"]}, "scope"),
    ]:
        bad = api.post("/webhook_subscriptions",
                       json={"organization": sb.organization_uri, **body})
        assert bad.status_code == 400, (body, bad.text)
        assert bad.json()["details"][0]["parameter"] == parameter


def test_free_plan_refuses_webhooks(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(plan="free")
    response = api.post("/webhook_subscriptions", json={
        "url": "http://127.0.0.1:9/a", "events": ["invitee.created"],
        "organization": sb.organization_uri, "scope": "organization"})
    assert response.status_code == 403
    assert response.json()["message"] == "Please upgrade your Calendly account to Standard"
    uuid = sb.organization_uri.rsplit("/", 1)[1]
    assert api.get(f"/organizations/{uuid}").json()["resource"]["stage"] == "free"


def test_book_and_cancel_deliveries_are_signed(
    sb: Sandbox, api: httpx.Client, receiver: Receiver
) -> None:
    subscribe(api, sb, receiver.url, ["invitee.created", "invitee.canceled"],
              signing_key="my-key")
    invitee = sb.book(email="ann@example.com")
    created = envelopes(receiver, "my-key")
    assert [e["event"] for e in created] == ["invitee.created"]
    payload = created[0]["payload"]
    assert payload["uri"] == invitee["uri"] and payload["email"] == "ann@example.com"
    assert payload["scheduled_event"]["uri"] == invitee["event"]
    assert created[0]["created_by"] == sb.user_uri
    event_uuid = invitee["event"].rsplit("/", 1)[1]
    assert api.post(f"/scheduled_events/{event_uuid}/cancellation",
                    json={"reason": "Busy"}).status_code == 201
    canceled = envelopes(receiver, "my-key")[-1]
    assert canceled["event"] == "invitee.canceled"
    assert canceled["payload"]["status"] == "canceled"
    assert canceled["payload"]["cancellation"]["reason"] == "Busy"
    assert canceled["payload"]["rescheduled"] is False
    assert [d.status for d in sb.deliveries] == [200, 200]


def test_reschedule_and_no_show_deliveries(
    sb: Sandbox, api: httpx.Client, receiver: Receiver
) -> None:
    subscribe(api, sb, receiver.url, ["invitee.created", "invitee.canceled",
                                      "invitee_no_show.created", "invitee_no_show.deleted"])
    invitee = sb.book()
    old, new = sb.reschedule(invitee["uri"])
    no_show = api.post("/invitee_no_shows", json={"invitee": new["uri"]}).json()["resource"]
    api.delete(f"/invitee_no_shows/{no_show['uri'].rsplit('/', 1)[1]}")
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == [
        "invitee.created", "invitee.canceled", "invitee.created",
        "invitee_no_show.created", "invitee_no_show.deleted"]
    assert got[1]["payload"]["rescheduled"] is True
    assert got[1]["payload"]["new_invitee"] == new["uri"]
    assert got[2]["payload"]["old_invitee"] == old["uri"]
    # Calendly sends the invitee (with its no_show object, null once deleted), not the
    # no-show resource
    assert got[3]["payload"]["uri"] == new["uri"]
    assert got[3]["payload"]["no_show"] == {"uri": no_show["uri"],
                                            "created_at": no_show["created_at"]}
    assert got[3]["payload"]["scheduled_event"]["uri"] == new["event"]
    assert got[4]["payload"]["uri"] == new["uri"] and got[4]["payload"]["no_show"] is None


def test_user_scope_only_gets_its_users_events(
    sb: Sandbox, api: httpx.Client, receiver: Receiver
) -> None:
    subscribe(api, sb, receiver.url, ["invitee.created"], scope="user", user=sb.user_uri)
    other = next(et for et in sb.store.event_types.values()
                 if et["active"] and et["profile"]["owner"] != sb.user_uri)
    sb.book(event_type_uri=other["uri"])
    assert receiver.received == []
    sb.book()
    assert len(receiver.received) == 1


def test_dead_receiver_is_recorded_not_fatal(sb: Sandbox, api: httpx.Client) -> None:
    subscribe(api, sb, "http://127.0.0.1:9/dead", ["invitee.created"])
    sb.book()
    assert sb.deliveries[-1].status is None and sb.deliveries[-1].error
    assert api.get("/users/me").status_code == 200


def test_event_type_updated_and_sample(sb: Sandbox, api: httpx.Client, receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["event_type.updated"])
    et = next(iter(sb.store.event_types.values()))
    sb.update_event_type(et["uri"], name="Renamed")
    [envelope] = envelopes(receiver, sb.default_signing_key)
    assert envelope["payload"]["name"] == "Renamed"
    sample = api.get("/sample_webhook_data", params={
        "event": "invitee.created", "organization": sb.organization_uri,
        "scope": "organization"}).json()
    assert sample["event"] == "invitee.created" and "scheduled_event" in sample["payload"]


@pytest.mark.parametrize("seed_events", [60, 0])
def test_sample_webhook_data_for_every_event(calendly_sandbox_factory, seed_events: int) -> None:
    sb = calendly_sandbox_factory(token="t", seed_events=seed_events)
    api = httpx.Client(base_url=sb.url, headers={"Authorization": "Bearer t"}, timeout=5)
    from django_calendly.client.operations import (
        WEBHOOK_EVENT_SCOPES,
        WEBHOOK_EVENT_SUBSCRIPTION_SCOPES,
    )

    for event in WEBHOOK_EVENT_SCOPES:
        scope = WEBHOOK_EVENT_SUBSCRIPTION_SCOPES[event][0]
        params = {"event": event, "organization": sb.organization_uri, "scope": scope}
        if scope == "user":
            params["user"] = sb.user_uri
        body = api.get("/sample_webhook_data", params=params).json()
        assert body["event"] == event and body["created_by"] == sb.user_uri
        payload = body["payload"]
        assert payload, event
        if event.startswith(("invitee.", "invitee_no_show.")):
            assert payload["scheduled_event"]["uri"] == payload["event"]
        if event == "invitee_no_show.created":
            assert set(payload["no_show"]) == {"uri", "created_at"}
        if event == "invitee_no_show.deleted":
            assert payload["no_show"] is None
        if event.startswith("event_type."):
            assert payload["uri"].startswith(sb.url + "/event_types/")
        if event.startswith("contact."):
            assert set(payload) == {"user_uuid", "contact"}
        if event == "meeting_recap.created":
            assert {"created_at", "event", "recap"} <= set(payload)
        if event.endswith(".deleted") and event.startswith(("contact.", "meeting_recap.")):
            assert payload["recap" if "recap" in payload else "contact"]["deleted_at"]
        if event == "routing_form_submission.created":
            assert payload["routing_form"].startswith(sb.url + "/routing_forms/")
    wrong = api.get("/sample_webhook_data", params={
        "event": "meeting_recap.created", "organization": sb.organization_uri,
        "scope": "organization"})
    assert wrong.status_code == 400 and wrong.json()["details"][0]["parameter"] == "scope"
    assert len(sb.store.events) == seed_events  # the throwaway sample event is gone
    api.close()
