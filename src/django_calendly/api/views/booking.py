"""Booking from the project's own pages: ``POST invitees/`` (Calendly's Scheduling API).

Its refusals have codes of their own (docs/rest-api.md, "Booking from your own pages"):
``slot_unavailable`` (409), ``outside_availability`` (400, ``start_time``) and
``booking_rate_limited`` (429 with ``Retry-After``), mapped here before the app's handler
sees the rest. Who may book: ``CALENDLY_BOOKING_PERMISSION_CLASSES`` (default
authenticated), with the user's own connection or the app's token as
``CALENDLY_APP_TOKEN_FALLBACK`` allows.
"""

from __future__ import annotations

import math
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiRequest, OpenApiResponse
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from ...conf import calendly_settings
from ...services.calendly_api import booking as service
from .. import serializers_booking as sb
from ..errors import error_response, exception_handler
from ..permissions import _resolve
from ..schema import document
from .base import CalendlyAPIView

_EXAMPLE_REQUEST = {
    "event_type": "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA",
    "start_time": "2026-12-03T14:00:00.000000Z",
    "invitee": {"name": "Ada Lovelace", "email": "ada@example.com", "timezone": "Europe/London"},
    "questions_and_answers": [{"question": "Topic?", "answer": "Engines", "position": 0}],
    "event_guests": ["charles@example.com"],
}
_EXAMPLE_RESPONSE = {
    "resource": {
        "uri": "https://api.calendly.com/scheduled_events/BBBBBBBBBBBBBBBB/invitees/CCCCCCCCCCCCCCCC",
        "email": "ada@example.com",
        "name": "Ada Lovelace",
        "status": "active",
        "timezone": "Europe/London",
        "event": "https://api.calendly.com/scheduled_events/BBBBBBBBBBBBBBBB",
        "cancel_url": "https://calendly.com/cancellations/CCCCCCCCCCCCCCCC",
        "reschedule_url": "https://calendly.com/reschedulings/CCCCCCCCCCCCCCCC",
    },
    "scheduled_event": {
        "uri": "https://api.calendly.com/scheduled_events/BBBBBBBBBBBBBBBB",
        "name": "30 Minute Meeting",
        "status": "active",
        "start_time": "2026-12-03T14:00:00.000000Z",
        "end_time": "2026-12-03T14:30:00.000000Z",
        "event_type": "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA",
    },
}


def booking_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """The booking refusals with their own codes; everything else as on every endpoint."""
    if isinstance(exc, service.BookingRefused):
        return error_response(
            exc.status,
            exc.code,
            "Slot unavailable" if exc.status == 409 else "Outside availability",
            exc.message,
            [{"parameter": "start_time", "message": exc.message}],
        )
    if isinstance(exc, service.BookingRateLimited):
        seconds = max(1, math.ceil(exc.retry_after)) if exc.retry_after else 60
        return error_response(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "booking_rate_limited",
            "Too many bookings",
            "Calendly's Scheduling API limit for this user was reached (10 a minute, 50 an "
            f"hour, 100 a day on paid non-Enterprise plans); try again in {seconds} s.",
            headers={"Retry-After": str(seconds)},
        )
    return exception_handler(exc, context)


class BookInviteeView(CalendlyAPIView):
    def get_permissions(self) -> list[BasePermission]:
        paths = tuple(calendly_settings.BOOKING_PERMISSION_CLASSES)
        return [permission() for permission in _resolve(paths)]

    def get_exception_handler(self) -> Any:
        return booking_exception_handler

    @document(
        "calendly_invitee_book",
        "Book an invitee into a slot (Scheduling API)",
        description=(
            "Books through Calendly's `POST /invitees` (paid plans, scope "
            "`scheduled_events:write`) and writes the meeting to the local mirror at once. "
            "Send an `Idempotency-Key`. Errors of their own: `slot_unavailable` (409, the "
            "slot was taken meanwhile), `outside_availability` (400, `start_time` outside "
            "the event type's availability), `booking_rate_limited` (429, `Retry-After`). "
            "Needs `CALENDLY_BOOKING_PERMISSION_CLASSES` (default: authenticated) rather "
            "than the read classes below."
        ),
        request=OpenApiRequest(
            sb.BookingBody, examples=[OpenApiExample("Book a slot", value=_EXAMPLE_REQUEST)]
        ),
        success=(
            201,
            OpenApiResponse(
                sb.BookingSerializer,
                description="Booked.",
                examples=[OpenApiExample("Booked", value=_EXAMPLE_RESPONSE)],
            ),
        ),
        extra_errors=(409, 429),
    )
    def post(self, request: Request) -> Response:
        body = self.body(sb.BookingBody)
        invitee, event = service.book_invitee(request.user, **sb.client_fields(body))
        return Response(
            {"resource": invitee, "scheduled_event": event}, status=status.HTTP_201_CREATED
        )
