"""On PostgreSQL: ten concurrent retries of one booking (POST invitees/) with one
Idempotency-Key book exactly once at Calendly, and every caller gets the one answer."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from django_calendly.models import IdempotencyKey, Invitee

from ..markers import needs_postgres
from .test_booking import BOOK, body, bookings, open_slots, own_event_type
from .test_idempotency_postgres import storm

pytestmark = [
    pytest.mark.postgres,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]

N = 10


def test_ten_concurrent_retries_of_one_booking_book_once(
    sb: Any, staff: Any, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_ORGANIZATION = sb.organization_uri
    event_type = own_event_type(sb)
    data = body(event_type, open_slots(api, event_type)[0])
    sb.reset_stats()
    sb.configure(latency=0.3)  # the first is still at Calendly while the others arrive
    answers = storm(staff, BOOK, data, "book-1")
    assert bookings(sb) == 1
    assert [a.status_code for a in answers] == [201] * N
    assert len({a.content for a in answers}) == 1
    assert sum(1 for a in answers if a.get("Idempotent-Replayed") == "true") == N - 1
    assert IdempotencyKey.objects.get(key="book-1").state == IdempotencyKey.DONE
    assert Invitee.objects.filter(email="ada@example.com").count() == 1


def test_ten_concurrent_anonymous_retries_of_one_booking_book_once(
    sb: Any, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_ORGANIZATION = sb.organization_uri
    settings.CALENDLY_BOOKING_PERMISSION_CLASSES = ["rest_framework.permissions.AllowAny"]
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    event_type = own_event_type(sb)
    data = body(event_type, open_slots(api, event_type)[0])
    sb.reset_stats()
    sb.configure(latency=0.3)
    answers = storm(None, BOOK, data, "c0ffee00-anonymous-booking-key")
    assert bookings(sb) == 1
    assert [a.status_code for a in answers] == [201] * N
    assert len({a.content for a in answers}) == 1
    row = IdempotencyKey.objects.get()
    assert row.user_id is None and row.state == IdempotencyKey.DONE
