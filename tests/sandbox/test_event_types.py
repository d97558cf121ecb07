"""Event type writes: create and update (solo only, duration 1-720, at most 4 unique
duration options), availability rules, hosts, one-off meetings, event_type.* deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_scheduling_api import book, slots
from .test_webhooks import envelopes, subscribe


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def test_create_is_listed_bookable_and_updatable(sb: Sandbox, api: httpx.Client,
                                                 receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["event_type.created", "event_type.updated",
                                      "event_type.deleted"])
    created = api.post("/event_types", json={
        "owner": sb.user_uri, "name": "Quick Sync", "duration": 20,
        "duration_options": [20, 40], "color": "#123abc", "locations": [
            {"kind": "zoom_conference"}]})
    assert created.status_code == 201, created.text
    et = created.json()["resource"]
    assert et["kind"] == "solo" and et["duration"] == 20 and et["slug"] == "quick-sync"
    assert et["profile"]["owner"] == sb.user_uri and et["active"] is True
    listed = api.get("/event_types", params={"user": sb.user_uri, "count": 100}).json()
    assert et["uri"] in [e["uri"] for e in listed["collection"]]
    free = slots(api, et["uri"])
    assert free
    assert book(api, et["uri"], free[0]).status_code == 201
    updated = api.patch(f"/event_types/{uuid(et['uri'])}", json={"name": "Quick Chat",
                                                                   "duration": 40})
    assert updated.status_code == 200, updated.text
    assert updated.json()["resource"]["name"] == "Quick Chat"
    assert api.get(f"/event_types/{uuid(et['uri'])}").json()["resource"]["duration"] == 40
    sb.delete_event_type(et["uri"])
    assert api.get(f"/event_types/{uuid(et['uri'])}").status_code == 404
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == ["event_type.created", "event_type.updated",
                                         "event_type.deleted"]
    assert got[0]["payload"]["uri"] == et["uri"] and got[1]["payload"]["name"] == "Quick Chat"
    assert got[2]["payload"]["deleted_at"] is not None


def test_write_validation(sb: Sandbox, api: httpx.Client, member_api: httpx.Client) -> None:
    base = {"owner": sb.user_uri, "name": "X"}
    cases = [
        ({"name": "X"}, "owner"),
        ({"owner": sb.user_uri}, "name"),
        ({**base, "name": "x" * 256}, "name"),
        ({**base, "duration": 0}, "duration"),
        ({**base, "duration": 721}, "duration"),
        ({**base, "duration": "30"}, "duration"),
        ({**base, "duration_options": [15, 30, 45, 60, 90]}, "duration_options"),
        ({**base, "duration_options": [15, 15]}, "duration_options"),
        ({**base, "duration_options": [0]}, "duration_options"),
        ({**base, "duration": 25, "duration_options": [15, 30]}, "duration"),
        ({**base, "color": "blue"}, "color"),
        ({**base, "locations": [{"kind": "carrier_pigeon"}]}, "locations"),
        ({**base, "active": "yes"}, "active"),
    ]
    for body, parameter in cases:
        response = api.post("/event_types", json=body)
        assert response.status_code == 400, body
        assert response.json()["details"][0]["parameter"] == parameter, body
    ok = api.post("/event_types", json={**base, "duration_options": [15, 30, 45, 60],
                                        "duration": 45})
    assert ok.status_code == 201
    group = next(e for e in sb.store.event_types.values() if e["kind"] == "group"
                 and e["profile"]["owner"] == sb.user_uri)
    refused = api.patch(f"/event_types/{uuid(group['uri'])}", json={"name": "Y"})
    assert refused.status_code == 400 and refused.json()["details"][0]["parameter"] == (
        "event_type")
    assert member_api.post("/event_types", json=base).status_code == 403
    assert member_api.patch(f"/event_types/{uuid(ok.json()['resource']['uri'])}",
                            json={"name": "Z"}).status_code == 403
    assert api.patch("/event_types/nope", json={"name": "Z"}).status_code == 404


def test_availability_rules_drive_available_times(sb: Sandbox, api: httpx.Client) -> None:
    et = api.post("/event_types", json={"owner": sb.user_uri, "name": "Rules",
                                        "duration": 30}).json()["resource"]
    got = api.get("/event_type_availability_schedules", params={"event_type": et["uri"]})
    assert got.status_code == 200
    schedule = got.json()["collection"][0]
    assert schedule["availability_setting"] == "host"
    assert schedule["availability_rule"]["timezone"] == "Europe/Paris"
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date()
    rules: list[dict[str, Any]] = [{"type": "wday", "wday": d, "intervals": []} for d in (
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")]
    rules.append({"type": "date", "date": tomorrow.isoformat(),
                  "intervals": [{"from": "10:00", "to": "11:00"}]})
    patched = api.patch("/event_type_availability_schedules", params={"event_type": et["uri"]},
                        json={"availability_rule": {"timezone": "UTC", "rules": rules}})
    assert patched.status_code == 200, patched.text
    free = slots(api, et["uri"])
    day = tomorrow.isoformat()
    assert free == [f"{day}T10:00:00.000000Z", f"{day}T10:30:00.000000Z"]
    outside = book(api, et["uri"], f"{day}T12:00:00Z")
    assert outside.status_code == 400
    for rule, parameter in [
        ({"timezone": "Nowhere/City", "rules": []}, "availability_rule.timezone"),
        ({"timezone": "UTC", "rules": [{"type": "wday", "wday": "funday", "intervals": []}]},
         "availability_rule.rules"),
        ({"timezone": "UTC", "rules": [{"type": "wday", "wday": "monday",
                                        "intervals": [{"from": "11:00", "to": "10:00"}]}]},
         "availability_rule.rules"),
    ]:
        bad = api.patch("/event_type_availability_schedules", params={"event_type": et["uri"]},
                        json={"availability_rule": rule})
        assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == parameter
    assert api.get("/event_type_availability_schedules").status_code == 400


def test_memberships_and_one_off(sb: Sandbox, api: httpx.Client) -> None:
    et = next(iter(sb.store.event_types.values()))
    hosts = api.get("/event_type_memberships", params={"event_type": et["uri"]}).json()
    assert [m["member"]["uri"] for m in hosts["collection"]] == [et["profile"]["owner"]]
    today = datetime.now(UTC).date()
    body: dict[str, Any] = {"name": "Coffee", "host": sb.user_uri, "duration": 45,
            "co_hosts": [sb.store.admin_uri], "timezone": "Europe/Paris",
            "date_setting": {"type": "date_range", "start_date": today.isoformat(),
                             "end_date": (today + timedelta(days=3)).isoformat()},
            "location": {"kind": "physical", "location": "Cafe"}}
    made = api.post("/one_off_event_types", json=body)
    assert made.status_code == 201, made.text
    one_off = made.json()["resource"]
    assert one_off["type"] == "AdhocEventType" and one_off["duration"] == 45
    assert api.get(f"/event_types/{uuid(one_off['uri'])}").json()["resource"] == one_off
    listed = api.get("/event_types", params={"user": sb.user_uri, "count": 100}).json()
    assert one_off["uri"] not in [e["uri"] for e in listed["collection"]]
    hosts = api.get("/event_type_memberships", params={"event_type": one_off["uri"]}).json()
    assert len(hosts["collection"]) == 2
    changes: list[tuple[dict[str, Any], str]] = [
                              ({"name": None}, "name"), ({"duration": 0}, "duration"),
                              ({"date_setting": None}, "date_setting"),
                              ({"date_setting": {"type": "date_range", "start_date": "x"}},
                               "date_setting"),
                              ({"timezone": "Mars"}, "timezone"), ({"host": None}, "host")]
    for change, parameter in changes:
        bad = api.post("/one_off_event_types", json={**body, **change})
        assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == parameter
