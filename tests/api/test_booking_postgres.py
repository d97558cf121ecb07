"""On PostgreSQL: ten concurrent retries of one booking (POST invitees/) with one
Idempotency-Key book exactly once at Calendly, and every caller gets the one answer."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from django_calendly.models import IdempotencyKey, Invitee

from .test_booking import BOOK, body, bookings, open_slots, own_event_type

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
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
    barrier = threading.Barrier(N)
    answers: list[Any] = []
    lock = threading.Lock()

    def one() -> None:
        client = APIClient()
        client.force_authenticate(staff)
        try:
            barrier.wait(timeout=30)
            response = client.post(BOOK, data, format="json", HTTP_IDEMPOTENCY_KEY="book-1")
            with lock:
                answers.append(response)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == N
    assert bookings(sb) == 1
    assert [a.status_code for a in answers] == [201] * N
    assert len({a.content for a in answers}) == 1
    assert sum(1 for a in answers if a.get("Idempotent-Replayed") == "true") == N - 1
    assert IdempotencyKey.objects.get(key="book-1").state == IdempotencyKey.DONE
    assert Invitee.objects.filter(email="ada@example.com").count() == 1
