"""Single-use scheduling links and shares of one-on-one event types."""

from __future__ import annotations

from typing import Any

import httpx

from django_calendly.sandbox import Sandbox


def test_scheduling_link(sb: Sandbox, api: httpx.Client) -> None:
    et = next(iter(sb.store.event_types.values()))
    body: dict[str, Any] = {"max_event_count": 1, "owner": et["uri"], "owner_type": "EventType"}
    made = api.post("/scheduling_links", json=body)
    assert made.status_code == 201
    link = made.json()["resource"]
    assert link["owner"] == et["uri"] and link["owner_type"] == "EventType"
    assert link["booking_url"].startswith(sb.url + "/d/")
    second = api.post("/scheduling_links", json=body).json()["resource"]
    assert second["booking_url"] != link["booking_url"]  # single-use: a new one each time
    changes: list[tuple[dict[str, Any], str]] = [({"max_event_count": 2}, "max_event_count"),
                              ({"max_event_count": None}, "max_event_count"),
                              ({"owner_type": "User"}, "owner_type"),
                              ({"owner": "https://x/event_types/1"}, "owner")]
    for change, parameter in changes:
        bad = api.post("/scheduling_links", json={**body, **change})
        assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == parameter
    missing = {**body, "owner": et["uri"].rsplit("/", 1)[0] + "/nope"}
    assert api.post("/scheduling_links", json=missing).status_code == 404


def test_share(sb: Sandbox, api: httpx.Client) -> None:
    solo = next(e for e in sb.store.event_types.values() if e["kind"] == "solo"
                and e["profile"]["owner"] == sb.user_uri)
    body = {"event_type": solo["uri"], "name": "Custom", "duration": 60,
            "period_type": "fixed", "start_date": "2030-01-02", "end_date": "2030-01-03",
            "hide_location": True,
            "availability_rule": {"timezone": "UTC", "rules": [
                {"type": "wday", "wday": "monday",
                 "intervals": [{"from": "07:00", "to": "11:00"}]}]}}
    made = api.post("/shares", json=body)
    assert made.status_code == 201, made.text
    share = made.json()["resource"]
    assert share["share_override"]["duration"] == 60
    assert share["scheduling_links"][0]["owner"] == solo["uri"]
    group = next(e for e in sb.store.event_types.values() if e["kind"] == "group"
                 and e["profile"]["owner"] == sb.user_uri)
    for change, parameter in [({"event_type": group["uri"]}, "event_type"),
                              ({"duration": 721}, "duration"),
                              ({"duration_options": [1, 2, 3, 4, 5]}, "duration_options"),
                              ({"name": "n" * 56}, "name"),
                              ({"period_type": "sometimes"}, "period_type"),
                              ({"end_date": None}, "end_date"),
                              ({"period_type": "moving"}, "max_booking_time")]:
        bad = api.post("/shares", json={**body, **change})
        assert bad.status_code == 400, change
        assert bad.json()["details"][0]["parameter"] == parameter, change
