"""POST /invitees (the Scheduling API): real bookings at free slots, the same
invitee.created delivery as a page booking, and the Scheduling API's own limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_webhooks import envelopes, subscribe


def slots(api: httpx.Client, event_type: str, days: int = 7) -> list[str]:
    start = datetime.now(UTC) + timedelta(minutes=5)
    body = api.get("/event_type_available_times", params={
        "event_type": event_type, "start_time": start.isoformat(),
        "end_time": (start + timedelta(days=days)).isoformat()}).json()
    return [s["start_time"] for s in body["collection"]]


def book(api: httpx.Client, event_type: str, start: str, email: str = "ann@api.example",
         **extra) -> httpx.Response:
    return api.post("/invitees", json={
        "event_type": event_type, "start_time": start,
        "invitee": {"email": email, "name": "Ann Api", "timezone": "America/New_York"},
        **extra})


def owner_event_type(sb: Sandbox) -> dict:
    return next(et for et in sb.store.event_types.values()
                if et["active"] and et["profile"]["owner"] == sb.user_uri
                and et["kind"] == "solo")


def test_books_a_free_slot_statefully(sb: Sandbox, api: httpx.Client,
                                      receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["invitee.created"])
    et = owner_event_type(sb)
    free = slots(api, et["uri"])
    assert free
    made = book(api, et["uri"], free[0], questions_and_answers=[
        {"question": "What would you like to discuss?", "answer": "Demo", "position": 0}],
        tracking={"utm_source": "agent"}, event_guests=["cc@api.example"])
    assert made.status_code == 201, made.text
    invitee = made.json()["resource"]
    assert invitee["scheduling_method"] == "api" and invitee["status"] == "active"
    assert invitee["timezone"] == "America/New_York" and invitee["tracking"]["utm_source"] == (
        "agent")
    event_uuid = invitee["event"].rsplit("/", 1)[1]
    event = api.get(f"/scheduled_events/{event_uuid}").json()["resource"]
    assert event["start_time"] == free[0] and event["event_type"] == et["uri"]
    assert event["event_guests"][0]["email"] == "cc@api.example"
    listed = api.get(f"/scheduled_events/{event_uuid}/invitees").json()["collection"]
    assert [i["uri"] for i in listed] == [invitee["uri"]]
    assert free[0] not in slots(api, et["uri"])  # the slot is gone
    taken = book(api, et["uri"], free[0], email="bob@api.example")
    assert taken.status_code == 400 and taken.json()["details"][0]["parameter"] == "start_time"
    # the delivery is the page-booking one (the invitee with its event), method "api"
    page = sb.book(et["uri"], email="page@x.example", start_time=free[-1])
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == ["invitee.created", "invitee.created"]
    assert got[0]["payload"]["uri"] == invitee["uri"]
    assert got[0]["payload"]["scheduled_event"]["uri"] == invitee["event"]
    assert set(got[0]["payload"]) == set(got[1]["payload"])
    assert got[1]["payload"]["uri"] == page["uri"]


def test_outside_availability_and_validation(sb: Sandbox, api: httpx.Client) -> None:
    et = owner_event_type(sb)
    free = slots(api, et["uri"])
    first = datetime.fromisoformat(free[0].replace("Z", "+00:00"))
    off_grid = (first + timedelta(minutes=7)).isoformat()
    midnight = first.replace(hour=0, minute=0) + timedelta(days=1)
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for start in (off_grid, past, midnight.isoformat()):
        response = book(api, et["uri"], start)
        assert response.status_code == 400, start
        assert response.json()["details"][0]["parameter"] == "start_time"
    cases = [
        ({"start_time": free[0], "invitee": {"email": "a@b.example", "name": "A",
                                             "timezone": "UTC"}}, "event_type"),
        ({"event_type": et["uri"], "invitee": {"email": "a@b.example", "name": "A",
                                                "timezone": "UTC"}}, "start_time"),
        ({"event_type": et["uri"], "start_time": free[0]}, "invitee"),
        ({"event_type": et["uri"], "start_time": free[0],
          "invitee": {"email": "nope", "name": "A", "timezone": "UTC"}}, "invitee.email"),
        ({"event_type": et["uri"], "start_time": free[0],
          "invitee": {"email": "a@b.example", "name": "A", "timezone": "Mars/Base"}},
         "invitee.timezone"),
        ({"event_type": et["uri"], "start_time": free[0],
          "invitee": {"email": "a@b.example", "timezone": "UTC"}}, "invitee.name"),
        ({"event_type": et["uri"], "start_time": free[0], "event_guests": ["g@x.example"] * 11,
          "invitee": {"email": "a@b.example", "name": "A", "timezone": "UTC"}},
         "event_guests"),
        ({"event_type": et["uri"], "start_time": "soon",
          "invitee": {"email": "a@b.example", "name": "A", "timezone": "UTC"}}, "start_time"),
    ]
    for body, parameter in cases:
        response = api.post("/invitees", json=body)
        assert response.status_code == 400, body
        assert response.json()["details"][0]["parameter"] == parameter, body
    inactive = next(e for e in sb.store.event_types.values() if not e["active"])
    assert book(api, inactive["uri"], free[0]).status_code == 400
    missing = et["uri"].rsplit("/", 1)[0] + "/nope"
    assert book(api, missing, free[0]).status_code == 404


def test_paid_plan_limit_per_minute_then_reset(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(plan="standard")
    et = owner_event_type(sb)
    free = slots(api, et["uri"], days=14)
    for i in range(10):
        assert book(api, et["uri"], free[i], email=f"p{i}@x.example").status_code == 201
    refused = book(api, et["uri"], free[10])
    assert refused.status_code == 429
    assert refused.json()["title"] == "Too Many Requests"
    assert refused.headers["X-RateLimit-Limit"] == "10"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(refused.headers["X-RateLimit-Reset"]) <= 60
    assert api.get("/users/me").status_code == 200  # other calls are not limited by it
    sb.advance_clock(61)
    assert book(api, et["uri"], free[11], email="later@x.example").status_code == 201
    # the hourly window (50) is separate from the minute one
    for i in range(39):  # 9 a minute: 50 in the hour, never 10 in a minute
        if i % 9 == 0:
            sb.advance_clock(61)
        assert book(api, et["uri"], free[12 + i], email=f"h{i}@x.example").status_code == 201
    hourly = book(api, et["uri"], free[60])
    assert hourly.status_code == 429 and hourly.headers["X-RateLimit-Limit"] == "50"


def test_trial_limit_is_five_a_day_and_enterprise_500_a_minute(sb: Sandbox,
                                                                api: httpx.Client) -> None:
    sb.configure(plan="trial")
    et = owner_event_type(sb)
    free = slots(api, et["uri"], days=14)
    for i in range(5):
        assert book(api, et["uri"], free[i], email=f"t{i}@x.example").status_code == 201
    refused = book(api, et["uri"], free[5])
    assert refused.status_code == 429 and refused.headers["X-RateLimit-Limit"] == "5"
    assert int(refused.headers["X-RateLimit-Reset"]) > 3600
    sb.configure(plan="enterprise")
    assert book(api, et["uri"], free[6], email="ent@x.example").status_code == 201
