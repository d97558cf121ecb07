"""String caps at their boundary: the longest allowed value is accepted, one more
character is refused with Calendly's 400 body naming the field.

Published caps (openapi.yaml, [S26]): share and one-off event type ``name`` 55, a share's
``location_configurations[].location``/``.additional_info`` 255, the activity log's
``search_term`` 300. Event type ``name`` has no published cap; 255 is the client's bound.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from django_calendly.client import validation as v
from django_calendly.sandbox import Sandbox


def refusal(parameter: str, limit: int) -> dict[str, Any]:
    return {"title": "Invalid Argument", "message": "The supplied parameters are invalid.",
            "details": [{"parameter": parameter,
                         "message": f"must be at most {limit} characters"}]}


def solo_type(sb: Sandbox) -> dict[str, Any]:
    return next(e for e in sb.store.event_types.values() if e["kind"] == "solo"
                and e["profile"]["owner"] == sb.user_uri)


def one_off_body(sb: Sandbox, name: str) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    return {"name": name, "host": sb.user_uri, "duration": 30,
            "date_setting": {"type": "date_range", "start_date": today.isoformat(),
                             "end_date": (today + timedelta(days=2)).isoformat()}}


@pytest.mark.parametrize("limit", [v.MAX_EVENT_TYPE_NAME])
def test_event_type_name(sb: Sandbox, api: httpx.Client, limit: int) -> None:
    ok = api.post("/event_types", json={"owner": sb.user_uri, "name": "e" * limit})
    assert ok.status_code == 201, ok.text
    uuid = ok.json()["resource"]["uri"].rsplit("/", 1)[1]
    too_long = "e" * (limit + 1)
    created = api.post("/event_types", json={"owner": sb.user_uri, "name": too_long})
    assert (created.status_code, created.json()) == (400, refusal("name", limit))
    patched = api.patch(f"/event_types/{uuid}", json={"name": too_long})
    assert (patched.status_code, patched.json()) == (400, refusal("name", limit))
    assert api.patch(f"/event_types/{uuid}", json={"name": "f" * limit}).status_code == 200


def test_one_off_name_is_55(sb: Sandbox, api: httpx.Client) -> None:
    assert v.MAX_ONE_OFF_NAME == 55
    ok = api.post("/one_off_event_types", json=one_off_body(sb, "o" * 55))
    assert ok.status_code == 201, ok.text
    refused = api.post("/one_off_event_types", json=one_off_body(sb, "o" * 56))
    assert (refused.status_code, refused.json()) == (400, refusal("name", 55))


def test_share_name_is_55(sb: Sandbox, api: httpx.Client) -> None:
    assert v.MAX_SHARE_NAME == 55
    body = {"event_type": solo_type(sb)["uri"]}
    ok = api.post("/shares", json={**body, "name": "s" * 55})
    assert ok.status_code == 201, ok.text
    assert ok.json()["resource"]["share_override"]["name"] == "s" * 55
    refused = api.post("/shares", json={**body, "name": "s" * 56})
    assert (refused.status_code, refused.json()) == (400, refusal("name", 55))


@pytest.mark.parametrize("key", ["location", "additional_info"])
def test_share_location_texts_are_255(sb: Sandbox, api: httpx.Client, key: str) -> None:
    def share(text: str) -> httpx.Response:
        return api.post("/shares", json={
            "event_type": solo_type(sb)["uri"],
            "location_configurations": [{"kind": "physical", key: text}]})

    assert share("l" * 255).status_code == 201
    refused = share("l" * 256)
    assert (refused.status_code, refused.json()) == (
        400, refusal(f"location_configurations[0].{key}", 255))


def test_activity_log_search_term_is_300(sb: Sandbox, api: httpx.Client) -> None:
    def search(term: str) -> httpx.Response:
        return api.get("/activity_log_entries",
                       params={"organization": sb.organization_uri, "search_term": term})

    assert search("a" * 300).status_code == 200
    refused = search("a" * 301)
    assert (refused.status_code, refused.json()) == (400, refusal("search_term", 300))


def test_activity_log_search_term_is_measured_as_sent_not_lowercased(
    calendly_sandbox: Any,
) -> None:
    """"İ".lower() is two characters: a term at the cap must not grow past it."""
    sb = calendly_sandbox
    answer = httpx.get(
        f"{sb.url}/activity_log_entries",
        params={"organization": sb.organization_uri, "search_term": "İ" * 300},
        headers={"Authorization": f"Bearer {sb.token}"},
    )
    assert answer.status_code == 200, answer.text
