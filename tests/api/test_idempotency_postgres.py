"""On PostgreSQL: ten concurrent retries of one booking-like POST with one Idempotency-Key
act exactly once at Calendly, and every caller ends with the first answer."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from django_calendly.models import IdempotencyKey

from ..markers import needs_postgres
from .conftest import BASE

pytestmark = [
    pytest.mark.postgres,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]

URL = BASE + "invitee-no-show/"
N = 10


def storm(staff: Any, url: str, data: Any, key: str, n: int = N) -> list[Any]:
    """``n`` threads, each with its own client and database connection, POST ``data`` to
    ``url`` at once with one Idempotency-Key; their answers. ``staff`` None: anonymous."""
    barrier = threading.Barrier(n)
    answers: list[Any] = []
    lock = threading.Lock()

    def one() -> None:
        client = APIClient()
        if staff is not None:
            client.force_authenticate(staff)
        try:
            barrier.wait(timeout=30)
            response = client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY=key)
            with lock:
                answers.append(response)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == n
    return answers


def _created(sb: Any) -> int:
    return int(sb.stats()["requests"].get("POST /invitee_no_shows", 0))


def test_ten_concurrent_retries_wait_and_get_the_one_answer(
    sb: Any, world: Any, staff: Any
) -> None:
    sb.configure(latency=0.3)  # the first is still at Calendly while the others arrive
    answers = storm(staff, URL, {"invitee": world.invitee_uri}, "book-once")
    assert _created(sb) == 1
    assert [a.status_code for a in answers] == [201] * N
    assert len({a.content for a in answers}) == 1
    assert sum(1 for a in answers if a.get("Idempotent-Replayed") == "true") == N - 1
    row = IdempotencyKey.objects.get(key="book-once")
    assert row.state == IdempotencyKey.DONE and row.status_code == 201


def test_ten_concurrent_retries_without_waiting_get_409_then_the_answer(
    sb: Any, world: Any, staff: Any, settings: Any
) -> None:
    settings.CALENDLY_IDEMPOTENCY_WAIT = 0
    sb.configure(latency=0.5)
    answers = storm(staff, URL, {"invitee": world.invitee_uri}, "no-wait")
    assert _created(sb) == 1
    codes = sorted(a.status_code for a in answers)
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}, codes
    first = next(a for a in answers if a.status_code == 201)
    for busy in (a for a in answers if a.status_code == 409):
        assert busy.json()["code"] == "idempotency_in_progress"
        assert busy["Retry-After"] == "1"
    client = APIClient()
    client.force_authenticate(staff)
    retried = client.post(URL, {"invitee": world.invitee_uri}, format="json",
                          HTTP_IDEMPOTENCY_KEY="no-wait")
    assert retried.status_code == 201 and retried.content == first.content
    assert retried["Idempotent-Replayed"] == "true"
    assert _created(sb) == 1


def test_with_atomic_requests_the_retries_wait_at_the_insert(
    sb: Any, world: Any, staff: Any
) -> None:
    # ATOMIC_REQUESTS: the claim commits with the request; concurrent INSERTs of the same
    # key block on the unique index until it does, then read the stored answer.
    from django.db import connections

    db = connections.settings["default"]  # the dict every thread's connection is built on
    db["ATOMIC_REQUESTS"] = True
    try:
        sb.configure(latency=0.3)
        answers = storm(staff, URL, {"invitee": world.invitee_uri}, "atomic")
    finally:
        db["ATOMIC_REQUESTS"] = False
    assert _created(sb) == 1
    assert [a.status_code for a in answers] == [201] * N
    assert len({a.content for a in answers}) == 1
