"""On PostgreSQL: 2,000 deliveries (20% duplicates, shuffled) from 8 concurrent clients to
a live server. Every unique delivery is processed exactly once, the mirror converges to the
expected state, and no request gets a 5xx."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import httpx
import pytest

from django_calendly.client.signatures import sign
from django_calendly.models import Invitee, ScheduledEvent, WebhookDelivery

from ..markers import needs_postgres
from .conftest import KEY
from .scenario import build

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_duplicates_out_of_order(live_server: Any, recorder: Any) -> None:
    scenario = build()
    assert len(scenario.stream) == 2000 and len(scenario.bodies) == 1600
    url = f"{live_server.url}/modules/calendly/webhook/"
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    chunks = [scenario.stream[i::8] for i in range(8)]

    def worker(bodies: list[bytes]) -> None:
        with httpx.Client(timeout=30.0, trust_env=False) as http:
            for body in bodies:
                headers = {"Content-Type": "application/json",
                           "Calendly-Webhook-Signature": sign(body, KEY)}
                code = http.post(url, content=body, headers=headers).status_code
                with lock:
                    statuses[code] += 1

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sum(statuses.values()) == 2000
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {200, 202}
    assert statuses[202] == 1600  # every unique delivery accepted once; the rest duplicates

    deliveries = WebhookDelivery.objects.all()
    assert deliveries.count() == 1600
    assert set(deliveries.values_list("status", "attempts")) == {("succeeded", 1)}
    assert len(recorder.of("webhook_received")) == 1600
    assert len(recorder.of("invitee_rescheduled")) == scenario.reschedules

    rows = {r.uri: r for r in Invitee.objects.all()}
    assert {u: r.status for u, r in rows.items()} == scenario.invitee_status
    assert {u: (r.old_invitee, r.new_invitee) for u, r in rows.items()} == scenario.links
    for uri, no_show in scenario.no_show.items():
        assert rows[uri].no_show == no_show, uri
    assert sum(1 for r in rows.values() if r.no_show) == sum(
        1 for v in scenario.no_show.values() if v
    )
    events = dict(ScheduledEvent.objects.values_list("uri", "status"))
    assert events == scenario.event_status
    assert all(r.scheduled_event_id for r in rows.values())


def test_two_workers_never_process_one_delivery_twice(recorder: Any) -> None:
    import json
    from unittest import mock

    from django.db import connection

    from django_calendly.services.webhooks import process_delivery, store_delivery

    from . import payloads

    envelope = {"event": "invitee.created", "created_at": "2026-01-01T10:00:00.000000Z",
                "created_by": payloads.HOST, "payload": payloads.invitee("EV1", "INV1")}
    with mock.patch("django_calendly.services.webhooks.deliveries._enqueue"):
        stored = store_delivery(envelope, json.dumps(envelope).encode())
    assert stored.id is not None
    delivery_id: int = stored.id  # narrowed once: the closure below cannot see the assert
    barrier = threading.Barrier(4)
    results: list[str] = []

    def work() -> None:
        barrier.wait()
        try:
            results.append(process_delivery(delivery_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == ["succeeded"] * 4
    assert WebhookDelivery.objects.get().attempts == 1
    assert len(recorder.of("invitee_created")) == 1
