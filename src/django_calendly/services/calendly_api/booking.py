"""Booking from the project's own pages: Calendly's Scheduling API (``POST /invitees``).

``book_invitee`` books, reads the new meeting back and writes both to the local mirror at
once, so the local API shows the booking before the ``invitee.created`` webhook arrives (the
webhook then converges on the same rows: both upsert by URI).

Calendly answers a slot taken in the meantime and a time outside the event type's
availability with the same 400 naming ``start_time``. Only on that failure one more call,
``GET /event_type_availability_schedules``, tells them apart (``classify_refusal``): a start
time inside one of the event type's open intervals (a ``date`` rule replaces the weekday's
rules that day, in the rules' time zone) was free when the page listed it, so it was taken
meanwhile (``SlotUnavailable``); any other start time is ``OutsideAvailability``.

A 429 of ``POST /invitees`` is the Scheduling API's own limit (10 a minute, 50 an hour, 100
a day per user on paid non-Enterprise plans): ``BookingRateLimited``, raised at once (the
client does not wait inside a web request). It is a ``RateLimited``, so an
``Idempotency-Key`` is released and a retry after ``Retry-After`` books.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import DatabaseError, transaction

from ...client import errors as calendly_errors
from .. import mirror
from ..clients import get_client
from ..sync import local_organization

logger = logging.getLogger("django_calendly.api")

Resource = dict[str, Any]

_WDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class BookingRefused(Exception):
    """Calendly refused the start time; ``code``/``status`` are our answer's."""

    code = "booking_refused"
    status = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class SlotUnavailable(BookingRefused):
    """The start time is inside the event type's availability but no longer free."""

    code = "slot_unavailable"
    status = 409


class OutsideAvailability(BookingRefused):
    """The start time is not one the event type's availability rules offer."""

    code = "outside_availability"
    status = 400


class BookingRateLimited(calendly_errors.RateLimited):
    """The Scheduling API's own per-user limit was reached (a 429 of ``POST /invitees``)."""


def _names_start_time(exc: calendly_errors.APIError) -> bool:
    return any(
        isinstance(item, Mapping) and item.get("parameter") == "start_time"
        for item in exc.details
    )


def _open_at(rule: Mapping[str, Any], moment: datetime) -> bool:
    """Whether ``moment`` falls inside an open interval of ``rule`` (``{timezone, rules}``)."""
    try:
        zone = ZoneInfo(str(rule.get("timezone") or "UTC"))
    except (ValueError, ZoneInfoNotFoundError):
        return False
    local = moment.astimezone(zone)
    rules = [r for r in rule.get("rules") or [] if isinstance(r, Mapping)]
    day = local.date().isoformat()
    chosen = [r for r in rules if r.get("type") == "date" and r.get("date") == day]
    if not chosen:
        wday = _WDAYS[local.weekday()]
        chosen = [r for r in rules if r.get("type") == "wday" and r.get("wday") == wday]
    at = local.time().replace(tzinfo=None)
    for r in chosen:
        for interval in r.get("intervals") or []:
            try:
                begin = time.fromisoformat(str(interval["from"]))
                end = str(interval["to"])
                finish = time.max if end == "24:00" else time.fromisoformat(end)
            except (KeyError, TypeError, ValueError):
                continue
            if begin <= at < finish:
                return True
    return False


def classify_refusal(client: Any, event_type: str, start_time: datetime) -> BookingRefused:
    """Which refusal a 400 naming ``start_time`` was (one call: the availability rules)."""
    if start_time <= datetime.now(UTC):
        return OutsideAvailability("start_time is in the past; choose a future slot.")
    schedules = client.event_types.get_availability_schedules(event_type)
    rules = [s.get("availability_rule") for s in schedules if isinstance(s, Mapping)]
    if any(isinstance(rule, Mapping) and _open_at(rule, start_time) for rule in rules):
        return SlotUnavailable(
            "This time is no longer free (it was just booked). List the available times again "
            "and choose another slot."
        )
    return OutsideAvailability(
        "This time is outside the event type's availability. Choose a time from "
        "GET event/type/available-times/."
    )


def _mirror(actor: Any, invitee: Resource, event: Resource | None) -> None:
    """Write the booking to the local mirror; a failure is logged, never raised (Calendly
    booked already, and the ``invitee.created`` webhook or the sync writes it later)."""
    try:
        with transaction.atomic():
            if event is not None:
                mirror.upsert_scheduled_events([event], local_organization(actor))
            mirror.upsert_invitees([invitee])
    except DatabaseError as exc:
        logger.error("Could not mirror booking %s: %s", invitee.get("uri"), type(exc).__name__)


def book_invitee(
    actor: Any, *, event_type: str, start_time: datetime, **fields: Any
) -> tuple[Resource, Resource | None]:
    """Book at Calendly for ``actor``; return ``(invitee, scheduled_event)``.

    ``scheduled_event`` is None only when Calendly booked but the meeting could not be read
    back (the booking stands; the mirror gets it from the webhook or the sync).
    """
    client = get_client(actor, retry_rate_limited=False)
    try:
        invitee = client.invitees.create(event_type=event_type, start_time=start_time, **fields)
    except calendly_errors.RateLimited as exc:
        raise BookingRateLimited(
            exc.status, exc.title, exc.message, exc.details, exc.request_id, exc.headers,
            exc.body, retry_after=exc.retry_after,
        ) from exc
    except calendly_errors.BadRequest as exc:
        if not _names_start_time(exc):
            raise
        try:
            refusal = classify_refusal(client, event_type, start_time)
        except calendly_errors.CalendlyError:
            raise exc from None  # cannot tell which: Calendly's own 400 stands
        raise refusal from exc
    event: Resource | None = None
    try:
        event_uuid = mirror.last_segment(invitee.get("event"))
        event = get_client(actor).scheduled_events.get(event_uuid)
    except calendly_errors.CalendlyError as exc:
        logger.warning("Booked, but could not read the event back: %s", type(exc).__name__)
    _mirror(actor, invitee, event)
    return invitee, event


__all__ = [
    "BookingRateLimited",
    "BookingRefused",
    "OutsideAvailability",
    "SlotUnavailable",
    "book_invitee",
    "classify_refusal",
]
