"""Invitees of scheduled events, and the Scheduling API (POST /invitees) with its own
per-user limits."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..clock import iso, parse_param_time
from ..errors import ApiError, invalid, not_found
from ..resources import add_communication
from .availability import free_slots
from .common import (
    Call,
    Handler,
    Result,
    body_object,
    list_small,
    one,
    parse_status,
    uuid_of,
    valid_email,
)
from .scheduled_events import visible_event


def list_invitees(call: Call) -> Result:
    store = call.store
    visible_event(call, call.args[0])
    status = parse_status(call.param("status"), ("active", "canceled"))
    email = call.param("email")
    items = [
        store.invitees[i] for i in store.invitees_by_event[call.args[0]]
        if (status is None or store.invitees[i]["status"] == status)
        and (email is None or store.invitees[i]["email"].lower() == email.lower())
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_invitee(call: Call) -> Result:
    visible_event(call, call.args[0])
    invitee = one(call.store.invitees, call.args[1])
    if invitee["event"].rsplit("/", 1)[1] != call.args[0]:
        raise not_found()
    return 200, {"resource": invitee}


HANDLERS: dict[str, Handler] = {
    "invitees.list": list_invitees,
    "invitees.get": get_invitee,
}


# -- the Scheduling API: POST /invitees -----------------------------------------------------

#: POST /invitees limits per user, by plan: (ceiling, window seconds), REFERENCE.md s. 5.
SCHEDULING_LIMITS: dict[str, tuple[tuple[int, int], ...]] = {
    "trial": ((5, 86_400),),
    "standard": ((10, 60), (50, 3_600), (100, 86_400)),
    "teams": ((10, 60), (50, 3_600), (100, 86_400)),
    "enterprise": ((500, 60),),
}
TRACKING_KEYS = ("utm_campaign", "utm_source", "utm_medium", "utm_content", "utm_term",
                 "salesforce_uuid")


def scheduling_limit(call: Call) -> None:
    """Count this call against the caller's Scheduling API windows (sandbox clock); a full
    window answers 429 with that window's X-RateLimit-* headers."""
    store = call.store
    limits = SCHEDULING_LIMITS.get(store.plan, ())
    now = store.clock.time()
    longest = max((w for _, w in limits), default=0)
    calls = [t for t in store.scheduling_api_calls.get(call.user, []) if now - t < longest]
    for ceiling, window in limits:
        inside = [t for t in calls if now - t < window]
        if len(inside) >= ceiling:
            reset = math.ceil(inside[0] + window - now)
            call.headers.update({"X-RateLimit-Limit": str(ceiling),
                                 "X-RateLimit-Remaining": "0",
                                 "X-RateLimit-Reset": str(max(reset, 1))})
            store.scheduling_api_calls[call.user] = calls
            raise ApiError(429, RATE_LIMITED_TITLE, RATE_LIMITED_MESSAGE)
    calls.append(now)
    store.scheduling_api_calls[call.user] = calls


RATE_LIMITED_TITLE = "Too Many Requests"
RATE_LIMITED_MESSAGE = "You have exceeded the rate limit. Please wait and try again."


def invitee_field(call: Call) -> dict[str, Any]:
    raw = body_object(call).get("invitee")
    if not isinstance(raw, dict) or not raw:
        raise invalid("invitee", "is required")
    email = raw.get("email")
    if not valid_email(email):
        raise invalid("invitee.email", "must be a valid email address")
    timezone = raw.get("timezone")
    try:
        ZoneInfo(str(timezone))
    except (ValueError, ZoneInfoNotFoundError):
        raise invalid("invitee.timezone", "must be an IANA time zone such as "
                                          "America/New_York") from None
    name = raw.get("name")
    first = raw.get("first_name")
    last = raw.get("last_name")
    for key, value in (("name", name), ("first_name", first), ("last_name", last)):
        if value is not None and (not isinstance(value, str) or len(value) > 255):
            raise invalid(f"invitee.{key}", "must be a string of at most 255 characters")
    if not (name or first):
        raise invalid("invitee.name", "name or first_name is required")
    phone = raw.get("text_reminder_number")
    if phone is not None and (not isinstance(phone, str) or not phone.startswith("+")
                              or not phone[1:].replace(" ", "").replace("-", "").isdigit()):
        raise invalid("invitee.text_reminder_number", "must be a phone number such as "
                                                      "+14155551234")
    if not first:
        first, _, rest = str(name).partition(" ")
        last = last or rest or None
    return {"email": email, "timezone": timezone, "first_name": first, "last_name": last,
            "name": name or " ".join(p for p in (first, last) if p),
            "text_reminder_number": phone}


def create_invitee(call: Call) -> Result:
    scheduling_limit(call)
    store = call.store
    body = body_object(call)
    if body.get("event_type") in (None, ""):
        raise invalid("event_type", "is required")
    et_uuid = uuid_of(store, "event_type", body["event_type"], "event_types")
    event_type = one(store.event_types, et_uuid)
    raw_start = body.get("start_time")
    if raw_start is not None and not isinstance(raw_start, str):
        raise invalid("start_time", "must be an ISO 8601 date-time")
    begins = parse_param_time("start_time", raw_start, required=True)
    assert begins is not None
    person = invitee_field(call)
    answers = body.get("questions_and_answers") or []
    if not isinstance(answers, list) or not all(
        isinstance(a, dict) and isinstance(a.get("question"), str)
        and isinstance(a.get("answer"), str) for a in answers
    ):
        raise invalid("questions_and_answers", "must be a list of {question, answer, position}")
    tracking = body.get("tracking") or {}
    if not isinstance(tracking, dict) or set(tracking) - set(TRACKING_KEYS):
        raise invalid("tracking", f"may only hold {', '.join(TRACKING_KEYS)}")
    guests = body.get("event_guests") or []
    if not isinstance(guests, list) or not all(valid_email(g) for g in guests):
        raise invalid("event_guests", "must be a list of email addresses")
    if len(guests) > 10:
        raise invalid("event_guests", "must contain at most 10 guests")
    location = body.get("location")
    if location is not None and (not isinstance(location, dict)
                                 or not isinstance(location.get("kind"), str)):
        raise invalid("location", "must be an object with a kind")
    if not event_type["active"]:
        raise invalid("event_type", "is not active")
    start_s = iso(begins)
    if start_s not in free_slots(store, event_type, start_s, iso(begins + timedelta(seconds=1))):
        raise invalid("start_time", "The selected time is not available. Choose a time "
                                    "from GET /event_type_available_times.")
    event, made = store.create_event(event_type, begins, email=person["email"],
                                     name=person["name"])
    invitee = made[0]
    invitee.update(
        first_name=person["first_name"], last_name=person["last_name"], name=person["name"],
        timezone=person["timezone"], text_reminder_number=person["text_reminder_number"],
        questions_and_answers=[
            {"question": a["question"], "answer": a["answer"],
             "position": a.get("position", i)} for i, a in enumerate(answers)
        ],
        tracking={k: tracking.get(k) for k in TRACKING_KEYS},
        scheduling_method="api",
    )
    now = store.now()
    event["event_guests"] = [{"email": g, "created_at": now, "updated_at": now}
                             for g in guests]
    if location is not None:
        event["location"] = {"type": location["kind"],
                             **({"location": location["location"]}
                                if location.get("location") else {})}
    add_communication(store, invitee, "email", "confirmation")
    call.emit("invitee.created", store.invitee_payload(invitee), store.event_host(event))
    return 201, {"resource": invitee}


HANDLERS["invitees.create"] = create_invitee
