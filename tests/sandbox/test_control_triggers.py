"""The newer webhook families can be fired over HTTP (``/_sandbox/...``, no auth), so a
host project's tests in another process reach every family REFERENCE.md section 6 lists:
``event_type.deleted``, ``routing_form_submission.created``, ``contact.created`` and
``meeting_recap.created`` (the rest come from the API itself or the older triggers)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_webhooks import envelopes, subscribe


def control(web: httpx.Client, sb: Sandbox, name: str, body: dict[str, Any]) -> httpx.Response:
    return web.post(f"{sb.url}/_sandbox/{name}", json=body)


def test_delete_event_type(sb: Sandbox, api: httpx.Client, web: httpx.Client,
                           receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["event_type.deleted"])
    event_type = next(iter(sb.store.event_types.values()))
    answer = control(web, sb, "delete_event_type", {"event_type": event_type["uri"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["uri"] == event_type["uri"] and answer.json()["deleted_at"]
    assert api.get(f"/event_types/{event_type['uri'].rsplit('/', 1)[1]}").status_code == 404
    [got] = envelopes(receiver, sb.default_signing_key)
    assert got["event"] == "event_type.deleted" and got["payload"]["uri"] == event_type["uri"]
    again = control(web, sb, "delete_event_type", {"event_type": event_type["uri"]})
    assert again.status_code == 404


def test_submit_routing_form(sb: Sandbox, api: httpx.Client, web: httpx.Client,
                             receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["routing_form_submission.created"])
    form = next(f for f in sb.store.routing_forms.values() if f["status"] == "published")
    question = form["questions"][0]["name"]
    answer = control(web, sb, "submit_routing_form", {
        "form": form["uri"], "answers": {question: "Acme"}, "submitter": None})
    assert answer.status_code == 200, answer.text
    submission = answer.json()
    assert submission["routing_form"] == form["uri"]
    [got] = envelopes(receiver, sb.default_signing_key)
    assert got["event"] == "routing_form_submission.created"
    assert got["payload"]["uri"] == submission["uri"]
    assert {"question": question, "answer": "Acme"}.items() <= next(
        qa for qa in got["payload"]["questions_and_answers"] if qa["question"] == question
    ).items()
    default = control(web, sb, "submit_routing_form", {})  # the published form, defaults
    assert default.status_code == 200 and default.json()["routing_form"] == form["uri"]


def test_add_contact(sb: Sandbox, api: httpx.Client, web: httpx.Client,
                     receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["contact.created"])
    answer = control(web, sb, "add_contact", {
        "name": "Vera Voss", "emails": [{"email": "vera@example.com", "is_primary": True}],
        "company": "Voss AG", "city": "Bonn", "owner": sb.store.member_uri})
    assert answer.status_code == 200, answer.text
    contact = answer.json()
    assert contact["company"] == "Voss AG" and contact["city"] == "Bonn"
    assert sb.store.contact_owners[contact["uri"].rsplit("/", 1)[1]] == sb.store.member_uri
    [got] = envelopes(receiver, sb.default_signing_key)
    assert got["event"] == "contact.created"
    assert got["payload"]["contact"]["uri"] == contact["uri"]
    assert got["payload"]["user_uuid"] == sb.store.member_uri.rsplit("/", 1)[1]
    listed = api.get("/contacts", params={"count": 100}).json()["collection"]
    assert contact["uri"] in [c["uri"] for c in listed]


def test_make_recap(sb: Sandbox, api: httpx.Client, web: httpx.Client,
                    receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["meeting_recap.created"], scope="user", user=sb.user_uri)
    now = sb.store.now()
    event = next(e for e in sb.store.events.values() if e["end_time"] < now
                 and e["event_memberships"][0]["user"] == sb.user_uri)
    answer = control(web, sb, "make_recap", {"event": event["uri"], "status": "processing"})
    assert answer.status_code == 200, answer.text
    recap = answer.json()
    assert recap["event"] == event["uri"] and recap["status"] == "processing"
    [got] = envelopes(receiver, sb.default_signing_key)
    assert got["event"] == "meeting_recap.created"
    assert got["payload"]["recap"]["uri"] == recap["uri"]
    assert got["payload"]["event"]["uri"] == event["uri"]


@pytest.mark.parametrize(("name", "body", "status"), [
    ("delete_event_type", {}, 400),
    ("delete_event_type", {"event_type": "https://api.calendly.com/event_types/X"}, 404),
    ("submit_routing_form", {"answers": {"No such question": "x"}}, 400),
    ("submit_routing_form", {"answers": ["x"]}, 400),
    ("submit_routing_form", {"submitter": 5}, 400),
    ("submit_routing_form", {"form": "https://api.calendly.com/routing_forms/X"}, 404),
    ("add_contact", {"name": "No Mail"}, 400),
    ("add_contact", {"name": "Bad", "emails": "a@example.com"}, 400),
    ("add_contact", {"name": "Plain", "emails": ["a@example.com"]}, 400),
    ("add_contact", {"name": "Odd", "emails": [{"email": "a@example.com", "is_primary": True}],
                     "shoe_size": 9}, 400),
    ("add_contact", {"name": "Old", "emails": [{"email": "a@example.com", "is_primary": True}],
                     "phones": ["+14155550101"]}, 400),
    ("add_contact", {"name": "Out", "emails": [{"email": "a@example.com", "is_primary": True}],
                     "owner": "https://api.calendly.com/users/X"}, 400),
    ("make_recap", {}, 400),
    ("make_recap", {"event": "https://api.calendly.com/scheduled_events/X"}, 404),
])
def test_bad_trigger_bodies(sb: Sandbox, web: httpx.Client, name: str, body: dict,
                            status: int) -> None:
    answer = control(web, sb, name, body)
    assert answer.status_code == status, answer.text
    assert set(answer.json()) == {"title", "message"}


def test_make_recap_status_is_checked(sb: Sandbox, web: httpx.Client) -> None:
    event = next(iter(sb.store.events.values()))
    answer = control(web, sb, "make_recap", {"event": event["uri"], "status": "done"})
    assert answer.status_code == 400
