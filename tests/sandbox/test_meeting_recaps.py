"""Meeting recaps: filters, edits of the three texts, delete, transcript, and the
meeting_recap.* deliveries (user subscriptions only)."""

from __future__ import annotations

import httpx

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_webhooks import envelopes, subscribe


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def test_list_filters_get_update_delete_transcript(sb: Sandbox, api: httpx.Client,
                                                   member_api: httpx.Client) -> None:
    body = api.get("/meeting_recaps").json()
    recaps = body["collection"]
    assert recaps and "pagination" in body and all(r["owner"] == sb.user_uri for r in recaps)
    first = recaps[-1]
    by_event = api.get("/meeting_recaps", params={"event": first["event"]}).json()
    assert [r["uri"] for r in by_event["collection"]] == [first["uri"]]
    email = first["attendees"][0]["email"]
    assert first["uri"] in [r["uri"] for r in api.get(
        "/meeting_recaps", params={"attendee": email.upper()}).json()["collection"]]
    window = api.get("/meeting_recaps", params={"start_time": first["start_time"],
                                                "end_time": first["end_time"]}).json()
    assert [r["uri"] for r in window["collection"]] == [first["uri"]]
    statuses = {r["status"] for r in api.get(
        "/meeting_recaps", params={"status": "available"}).json()["collection"]}
    assert statuses == {"available"}
    for params, parameter in [({"status": "done"}, "status"), ({"event": "x"}, "event"),
                              ({"start_time": "yesterday"}, "start_time")]:
        bad = api.get("/meeting_recaps", params=params)
        assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == parameter
    available = next(r for r in recaps if r["status"] == "available")
    path = f"/meeting_recaps/{uuid(available['uri'])}"
    assert api.get(path).json()["resource"] == available
    transcript = api.get(path + "/transcript").json()["resource"]
    assert transcript["meeting_recap"] == available["uri"] and transcript["segments"]
    changed = api.patch(path, json={"summary_md": "## New", "action_items_md": "- a"})
    assert changed.status_code == 200
    assert changed.json()["resource"]["summary_md"] == "## New"
    assert api.patch(path, json={"status": "available"}).json()["details"][0][
        "parameter"] == "status"
    assert api.patch(path, json={"summary_md": 5}).status_code == 400
    assert member_api.get(path).status_code == 404  # another user's recap
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404 and api.get(path + "/transcript").status_code == 404


def test_recap_webhooks_to_user_subscriptions(sb: Sandbox, api: httpx.Client,
                                              receiver: Receiver) -> None:
    events = ["meeting_recap.created", "meeting_recap.updated", "meeting_recap.deleted"]
    refused = api.post("/webhook_subscriptions", json={
        "url": receiver.url, "events": events, "organization": sb.organization_uri,
        "scope": "organization"})
    assert refused.status_code == 400  # Calendly allows user scope only
    subscribe(api, sb, receiver.url, events, scope="user", user=sb.user_uri)
    event = next(e for e in sb.store.events.values()
                 if sb.store.event_host(e) == sb.user_uri and e["status"] == "active")
    recap = sb.make_recap(event["uri"])
    path = f"/meeting_recaps/{uuid(recap['uri'])}"
    assert api.get(path).json()["resource"] == recap
    api.patch(path, json={"discussion_md": "notes"})
    api.delete(path)
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == events
    assert got[0]["payload"]["created_at"] == recap["created_at"]
    assert got[0]["payload"]["event"]["uri"] == event["uri"]
    assert got[0]["payload"]["recap"]["uri"] == recap["uri"]
    assert got[0]["payload"]["recap"]["transcript"]["segments"]
    assert "created_at" not in got[1]["payload"]
    assert got[1]["payload"]["recap"]["discussion_md"] == "notes"
    assert got[2]["payload"] == {"event": {"uri": event["uri"]},
                                 "recap": {"uri": recap["uri"],
                                           "deleted_at": got[2]["payload"]["recap"][
                                               "deleted_at"]}}
    other_host = next(e for e in sb.store.events.values()
                      if sb.store.event_host(e) != sb.user_uri)
    sb.make_recap(other_host["uri"])
    assert len(receiver.received) == 3  # another user's recap is not ours
