"""Property-based: whatever a signed delivery holds, the receiver answers 2xx or 4xx (JSON),
never a 5xx; a 4xx stores nothing, and a stored delivery ends ``succeeded`` or ``failed``
(never an exception out of the receiver, never a half-written mirror)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django_calendly.client.signatures import SIGNATURE_HEADER
from django_calendly.models import Invitee, ScheduledEvent, WebhookDelivery
from django_calendly.testing.deliveries import sign

from . import payloads as p
from .conftest import KEY

URL = "/modules/calendly/webhook/"
EVENTS = [
    "invitee.created", "invitee.canceled", "invitee_no_show.created",
    "invitee_no_show.deleted", "event_type.created", "event_type.updated",
    "event_type.deleted", "routing_form_submission.created", "contact.created",
    "contact.deleted", "meeting_recap.created", "meeting_recap.deleted", "an.unknown_event",
]

# JSON values of every type, with the strings a Calendly payload holds (times, URIs).
_scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
    # NUL, lone surrogates and their neighbours: valid JSON escapes, unstorable text.
    | st.text(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010, exclude_categories=()),
              max_size=4)
    | st.text(st.sampled_from(["\x00", "a", "\u2028", "\U0001f600"]), max_size=4)
    | st.sampled_from([
        "2026-01-01T10:00:00Z", "not-a-date", "9999-99-99T00:00:00Z", "",
        f"{p.API}/scheduled_events/EV1", f"{p.API}/invitee_no_shows/NS1", "x" * 600,
    ])
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6,
)


def _valid_payload(event: str) -> dict[str, Any]:
    if event.startswith("invitee"):
        return {**p.invitee("EV1", "IN1"), "scheduled_event": p.scheduled_event("EV1")}
    if event.startswith("event_type"):
        return p.event_type()
    if event.startswith("contact"):
        return {"user_uuid": "U1", "contact": {"uri": f"{p.API}/contacts/C1",
                                               "emails": [{"email": "a@example.com",
                                                           "is_primary": True}]}}
    if event.startswith("meeting_recap"):
        return {"event": {"uri": f"{p.API}/scheduled_events/EV1"},
                "recap": {"uri": f"{p.API}/meeting_recaps/R1", "summary_md": "s"}}
    return {"uri": f"{p.API}/routing_form_submissions/RF1", "questions_and_answers": []}


def _key_paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for key, value in data.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out += _key_paths(value, (*prefix, key))
    return out


def _replace(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node: Any = data
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[path[-1]] = value


@pytest.mark.django_db(transaction=True)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), event=st.sampled_from(EVENTS))
def test_any_signed_delivery_is_answered_and_processed_cleanly(data: Any, event: str) -> None:
    # A valid payload with up to four fields (at any depth) replaced by arbitrary JSON.
    payload = copy.deepcopy(_valid_payload(event))
    for path in data.draw(st.lists(st.sampled_from(_key_paths(payload)), max_size=4)):
        _replace(payload, path, data.draw(_json))
    body = json.dumps({
        "event": event, "created_at": data.draw(_json), "created_by": "x", "payload": payload,
    }).encode()
    WebhookDelivery.objects.all().delete()
    Invitee.objects.all().delete()
    ScheduledEvent.objects.all().delete()

    response = Client(raise_request_exception=False).post(
        URL, body, content_type="application/json", headers={SIGNATURE_HEADER: sign(body, KEY)}
    )

    assert response.status_code in (200, 202, 400), response.content
    if response.status_code == 400:  # refused up front (unstorable): nothing written
        assert response.json()["code"] in {"unstorable_text", "too_deep"}
        assert not WebhookDelivery.objects.exists()
        return
    delivery = WebhookDelivery.objects.get()  # stored, whatever its content
    assert delivery.status in ("succeeded", "failed")
    if delivery.status == "failed":
        # A failed delivery leaves no partial mirror rows behind (one transaction).
        assert delivery.last_error
        assert not Invitee.objects.exists()
        assert not ScheduledEvent.objects.exists()
