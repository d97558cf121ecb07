"""POST invitees/ (book from the project's own pages) over real HTTP against the sandbox:
the booking flow, its input checks, its own error codes, permissions per role, the mirror
written at once and converging with the webhook, and Idempotency-Key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from django_calendly.api.endpoint_operations import ENDPOINT_OPERATIONS
from django_calendly.client.operations import BY_ROUTE
from django_calendly.models import CalendlyConnection, Invitee, ScheduledEvent, WebhookDelivery
from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error

pytestmark = pytest.mark.django_db

BOOK = BASE + "invitees/"
TIMES = BASE + "event/type/available-times/"
BOOKINGS = "POST /invitees"
WDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.fixture(autouse=True)
def _organization(sb: Sandbox, settings: Any) -> None:
    """The app knows its organization (else the local API shows nothing of the mirror)."""
    settings.CALENDLY_ORGANIZATION = sb.organization_uri


def bookings(sb: Sandbox) -> int:
    return int(sb.stats()["requests"].get(BOOKINGS, 0))


def own_event_type(sb: Sandbox, owner: str | None = None) -> str:
    owner = owner or sb.store.owner_uri
    return next(
        et["uri"] for et in sb.store.event_types.values()
        if et["active"] and et["profile"]["owner"] == owner
    )


def open_slots(api: APIClient, event_type: str, days: int = 7) -> list[str]:
    """Free start times through our own available-times endpoint (the flow's step 2)."""
    start = datetime.now(UTC) + timedelta(minutes=5)
    response = api.get(TIMES, {
        "event_type": event_type,
        "start_time": start.isoformat(),
        "end_time": (start + timedelta(days=days)).isoformat(),
    })
    assert response.status_code == 200, response.content[:300]
    return [slot["start_time"] for slot in response.json()["collection"]]


def body(event_type: str, start_time: str, **extra: Any) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "start_time": start_time,
        "invitee": {"name": "Ada Lovelace", "email": "ada@example.com",
                    "timezone": "Europe/London"},
        **extra,
    }


def book(client: APIClient, data: Any, key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(BOOK, data, format="json", **headers)


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# -- the flow ------------------------------------------------------------------------


def test_book_a_listed_slot(sb: Sandbox, api: APIClient, direct: Any) -> None:
    event_type = own_event_type(sb)
    slot = open_slots(api, event_type)[0]
    response = book(api, body(
        event_type, slot,
        questions_and_answers=[{"question": "Topic?", "answer": "Engines", "position": 0}],
        tracking={"utm_source": "site"},
        event_guests=["charles@example.com"],
        location={"kind": "zoom_conference"},
    ), key="flow-1")
    assert response.status_code == 201, response.content
    data = response.json()
    invitee, event = data["resource"], data["scheduled_event"]
    assert invitee["email"] == "ada@example.com" and invitee["status"] == "active"
    assert invitee["event"] == event["uri"]
    assert invitee["questions_and_answers"][0]["answer"] == "Engines"
    assert invitee["tracking"]["utm_source"] == "site"
    assert event["start_time"] == slot and event["event_type"] == event_type
    assert [g["email"] for g in event["event_guests"]] == ["charles@example.com"]
    # Calendly holds it, and the slot is gone from the list.
    assert direct.invitees.get(invitee["uri"])["email"] == "ada@example.com"
    assert slot not in open_slots(api, event_type)
    # The mirror has it at once (no webhook in these tests), visible through the local API.
    row = Invitee.objects.get(uri=invitee["uri"])
    assert row.scheduled_event is not None and row.scheduled_event.uri == event["uri"]
    assert ScheduledEvent.objects.get(uri=event["uri"]).start_time is not None
    local = api.get(f"{BASE}local/scheduled-events/{event['uri'].rsplit('/', 1)[1]}/")
    assert local.status_code == 200, local.content[:300]


def test_calls_only_the_operations_of_its_row(sb: Sandbox, api: APIClient) -> None:
    event_type = own_event_type(sb)
    slots = open_slots(api, event_type)
    sb.reset_stats()
    assert book(api, body(event_type, slots[0])).status_code == 201
    taken = book(api, body(event_type, slots[0]))  # the refusal path: one more call
    assert taken.status_code == 409
    called = {
        BY_ROUTE[tuple(key.split(" ", 1))].name  # type: ignore[index]
        for key, count in sb.stats()["requests"].items() if count
    }
    assert called == set(ENDPOINT_OPERATIONS["book-invitee"])


# -- input checked before any call -----------------------------------------------------


def _future() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        (lambda b: b.pop("event_type"), "event_type"),
        (lambda b: b.update(event_type="https://api.calendly.com/users/AAAA"), "event_type"),
        (lambda b: b.pop("start_time"), "start_time"),
        (lambda b: b.update(start_time="tomorrow"), "start_time"),
        (lambda b: b.update(start_time="2020-01-01T10:00:00Z"), "start_time"),
        (lambda b: b.update(start_time=12), "start_time"),
        (lambda b: b.pop("invitee"), "invitee"),
        (lambda b: b.update(invitee="ada@example.com"), "invitee"),
        (lambda b: b["invitee"].pop("email"), "invitee.email"),
        (lambda b: b["invitee"].update(email="not-an-email"), "invitee.email"),
        (lambda b: b["invitee"].update(email=7), "invitee.email"),
        (lambda b: b["invitee"].pop("timezone"), "invitee.timezone"),
        (lambda b: b["invitee"].update(timezone="Mars/Olympus"), "invitee.timezone"),
        (lambda b: b["invitee"].pop("name"), "invitee.name"),
        (lambda b: (b["invitee"].pop("name"), b["invitee"].update(first_name="Ada")),
         "invitee.name"),
        (lambda b: b["invitee"].update(name="x" * 256), "invitee.name"),
        (lambda b: b.update(event_guests=[f"g{i}@example.com" for i in range(11)]),
         "event_guests"),
        (lambda b: b.update(event_guests=["nope"]), "event_guests"),
        (lambda b: b.update(event_guests="g@example.com"), "event_guests"),
        (lambda b: b.update(questions_and_answers=[{"answer": "x"}]),
         "questions_and_answers[0].question"),
        (lambda b: b.update(tracking={"utm_evil": "x"}), "tracking.utm_evil"),
        (lambda b: b.update(location={"where": "home"}), "location.kind"),
        (lambda b: b.update(location="home"), "location"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_calls_nothing(
    change: Any, parameter: str, sb: Sandbox, api: APIClient
) -> None:
    data = body(own_event_type(sb), _future())
    change(data)
    assert_error(book(api, data), 400, "invalid_input", parameter)
    assert sb.stats()["total_requests"] == 0


def test_first_and_last_name_instead_of_name(sb: Sandbox, api: APIClient) -> None:
    event_type = own_event_type(sb)
    data = body(event_type, open_slots(api, event_type)[0])
    data["invitee"] = {"first_name": "Grace", "last_name": "Hopper",
                       "email": "grace@example.com", "timezone": "America/New_York"}
    response = book(api, data)
    assert response.status_code == 201, response.content
    assert response.json()["resource"]["name"] == "Grace Hopper"


def test_not_json_object_is_400(sb: Sandbox, api: APIClient) -> None:
    response = api.post(BOOK, "[1, 2]", content_type="application/json")
    assert_error(response, 400, "invalid_input")
    assert sb.stats()["total_requests"] == 0


# -- the flow's own refusals -----------------------------------------------------------


def test_slot_taken_meanwhile_is_409_slot_unavailable(sb: Sandbox, api: APIClient) -> None:
    event_type = own_event_type(sb)
    slot = open_slots(api, event_type)[0]
    sb.book(event_type, email="quicker@example.com", start_time=slot)  # someone else, first
    before = Invitee.objects.count()
    body_ = assert_error(book(api, body(event_type, slot)), 409, "slot_unavailable",
                         "start_time")
    assert "another slot" in body_["message"]
    assert Invitee.objects.count() == before


def _closed_time(sb: Sandbox, event_type: str) -> str:
    """A future start time (on the half hour) outside every open interval of the event
    type's rules, read from the sandbox's store."""
    rule = sb.store.event_type_rules[event_type.rsplit("/", 1)[1]]
    zone = ZoneInfo(rule["timezone"])
    day = datetime.now(zone).date() + timedelta(days=1)
    for _ in range(14):
        chosen = [r for r in rule["rules"]
                  if r.get("type") == "date" and r.get("date") == day.isoformat()] or [
            r for r in rule["rules"]
            if r.get("type") == "wday" and r.get("wday") == WDAYS[day.weekday()]]
        intervals = [(i["from"], i["to"]) for r in chosen for i in r.get("intervals") or []]
        for half_hours in range(48):
            at = f"{half_hours // 2:02d}:{30 * (half_hours % 2):02d}"
            if not any(begin <= at < end for begin, end in intervals):
                hour, minute = divmod(30 * half_hours, 60)
                return datetime(day.year, day.month, day.day, hour, minute,
                                tzinfo=zone).isoformat()
        day += timedelta(days=1)
    raise AssertionError("the sandbox's event type is open around the clock")


def test_time_outside_availability_is_400_outside_availability(
    sb: Sandbox, api: APIClient
) -> None:
    event_type = own_event_type(sb)
    closed = _closed_time(sb, event_type)
    assert_error(book(api, body(event_type, closed)), 400, "outside_availability", "start_time")
    # Exactly one extra call, and only on the failure.
    assert sb.stats()["requests"].get("GET /event_type_availability_schedules") == 1


def test_inactive_event_type_keeps_calendlys_400(sb: Sandbox, api: APIClient) -> None:
    event_type = own_event_type(sb)
    slot = open_slots(api, event_type)[0]
    uuid = event_type.rsplit("/", 1)[1]
    with sb.store.lock:
        sb.store.event_types[uuid]["active"] = False
    try:
        assert_error(book(api, body(event_type, slot)), 400, "invalid_input", "event_type")
    finally:
        with sb.store.lock:
            sb.store.event_types[uuid]["active"] = True


def test_scheduling_api_limit_is_429_booking_rate_limited_and_a_retry_books(
    sb: Sandbox, api: APIClient
) -> None:
    sb.configure(plan="standard")  # paid non-Enterprise: 10 bookings a minute per user
    with sb.store.lock:
        sb.store.scheduling_api_calls.clear()
    event_type = own_event_type(sb)
    slots = open_slots(api, event_type, days=14)
    assert len(slots) >= 11
    for slot in slots[:10]:
        assert book(api, body(event_type, slot)).status_code == 201
    refused = book(api, body(event_type, slots[10]), key="limited")
    answer = assert_error(refused, 429, "booking_rate_limited")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Scheduling API" in answer["message"]
    assert bookings(sb) == 11
    # The key is released on a 429: after the wait, the same request with the same key books.
    sb.advance_clock(61)
    again = book(api, body(event_type, slots[10]), key="limited")
    assert again.status_code == 201, again.content
    assert again.get("Idempotent-Replayed") is None


# -- who may book ----------------------------------------------------------------------


def test_anonymous_is_403(sb: Sandbox) -> None:
    assert_error(book(APIClient(), body(own_event_type(sb), _future())), 403,
                 "not_authenticated")
    assert sb.stats()["total_requests"] == 0


def test_user_without_a_connection_is_403(sb: Sandbox, member_api: APIClient) -> None:
    assert_error(book(member_api, body(own_event_type(sb), _future())), 403,
                 "calendly_connection_required")
    assert sb.stats()["total_requests"] == 0


def test_user_without_a_connection_books_when_the_fallback_is_everyone(
    sb: Sandbox, api: APIClient, member_api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    event_type = own_event_type(sb)
    assert book(member_api, body(event_type, open_slots(api, event_type)[0])).status_code == 201


def test_user_books_with_their_own_connection(sb: Sandbox, api: APIClient) -> None:
    token, member_uri = sb.add_token(role="user")
    user = get_user_model().objects.create_user("connected")
    CalendlyConnection.objects.create(
        user=user, owner=member_uri, organization=sb.organization_uri,
        access_token=token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    event_type = own_event_type(sb, member_uri)
    slot = open_slots(api, event_type)[0]
    response = book(as_user(user), body(event_type, slot))
    assert response.status_code == 201, response.content
    assert response.json()["scheduled_event"]["event_memberships"][0]["user"] == member_uri


def test_a_host_can_open_booking_to_anonymous_visitors(
    sb: Sandbox, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_BOOKING_PERMISSION_CLASSES = ["rest_framework.permissions.AllowAny"]
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    event_type = own_event_type(sb)
    response = book(APIClient(), body(event_type, open_slots(api, event_type)[0]))
    assert response.status_code == 201, response.content
    # Opening booking opens nothing else.
    assert_error(APIClient().get(BASE + "scheduled/events/list/",
                                 {"organization": sb.organization_uri}), 403,
                 "not_authenticated")


def test_an_anonymous_visitors_retried_booking_books_once(
    sb: Sandbox, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_BOOKING_PERMISSION_CLASSES = ["rest_framework.permissions.AllowAny"]
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    event_type = own_event_type(sb)
    data = body(event_type, open_slots(api, event_type)[0])
    sb.reset_stats()
    key = "7d1f0a52-3b9e-4c61-8f2d-5e0c9a4b6d17"
    first = book(APIClient(), data, key=key)
    again = book(APIClient(), data, key=key)  # the phone lost the first answer
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert bookings(sb) == 1


# -- idempotency -----------------------------------------------------------------------


def test_a_retried_booking_with_the_same_key_books_once(sb: Sandbox, api: APIClient) -> None:
    event_type = own_event_type(sb)
    data = body(event_type, open_slots(api, event_type)[0])
    sb.reset_stats()
    first = book(api, data, key="retry-me")
    again = book(api, data, key="retry-me")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert bookings(sb) == 1
    assert Invitee.objects.filter(uri=first.json()["resource"]["uri"]).count() == 1
    # A refusal is final for its key too: the same key and body get the same 409 again.
    taken = book(api, data, key="retry-taken")
    assert taken.status_code == 409
    assert book(api, data, key="retry-taken")["Idempotent-Replayed"] == "true"
    assert bookings(sb) == 2


# -- the webhook that follows converges on the same rows ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_invitee_created_webhook_converges_on_the_booked_rows(
    sb: Sandbox, api: APIClient, live_server: Any, settings: Any
) -> None:
    """Book through the endpoint while the sandbox delivers ``invitee.created`` to the
    running receiver: the mirror ends with exactly one event and one invitee."""
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []
    created = api.post(BASE + "webhook/subscription/", {
        "url": f"{live_server.url}{BASE}webhook/",
        "events": ["invitee.created"],
        "organization": sb.organization_uri,
        "scope": "organization",
    }, format="json")
    assert created.status_code == 201, created.content
    sb.configure(deliver="sync")  # delivered while Calendly answers POST /invitees
    event_type = own_event_type(sb)
    before = len(sb.deliveries)
    response = book(api, body(event_type, open_slots(api, event_type)[0]))
    assert response.status_code == 201, response.content
    sent = sb.deliveries[before:]
    assert [(d.event, d.status) for d in sent] == [("invitee.created", 202)]
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 1
    invitee = response.json()["resource"]
    assert Invitee.objects.filter(uri=invitee["uri"]).count() == 1
    assert ScheduledEvent.objects.filter(uri=invitee["event"]).count() == 1
    assert ScheduledEvent.objects.count() == 1 and Invitee.objects.count() == 1
    row = Invitee.objects.get()
    assert row.scheduled_event is not None and row.scheduled_event.uri == invitee["event"]
    assert row.scheduled_event.organization == sb.organization_uri


def test_free_plan_is_403_plan_required(sb: Sandbox, api: APIClient) -> None:
    event_type = own_event_type(sb)
    slot = open_slots(api, event_type)[0]
    sb.configure(plan="free")
    assert_error(book(api, body(event_type, slot)), 403, "plan_required")
    assert Invitee.objects.count() == 0
