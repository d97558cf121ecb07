"""On PostgreSQL: a disconnect and a worker marking rows as seen by the same connection
(the sync's page, a delivery's processing) at the same moment. Whichever comes first, both
succeed and no row stays attributed to the deleted connection; before the connection's row
was locked by both, the worker's commit failed with a foreign key violation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection as db
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone

from django_calendly.models import CalendlyConnection, ScheduledEvent
from django_calendly.services import connections
from django_calendly.services.attribution import mark_seen

from ..markers import needs_postgres

pytestmark = [
    pytest.mark.postgres,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]

EVENT = "https://api.calendly.com/scheduled_events/RACE"
HOLD = 0.5  # seconds the first transaction stays open after taking its locks


@pytest.fixture
def connected(calendly_sandbox: Any) -> CalendlyConnection:
    user = get_user_model().objects.create_user("racer")
    ScheduledEvent.objects.create(uri=EVENT, uuid="RACE")
    return CalendlyConnection.objects.create(
        user=user, owner=f"{calendly_sandbox.url}/users/RACER", access_token="a",
        refresh_token="r", expires_at=timezone.now() + timezone.timedelta(hours=2),
    )


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """``work`` on a database connection of its own; its result or exception kept."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = work()
        except Exception as exc:
            out["error"] = exc
        finally:
            db.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def seen_by_anyone() -> int:
    return ScheduledEvent.seen_by.through.objects.count()


def test_a_disconnect_waits_for_rows_being_marked_and_deletes_them(
    connected: CalendlyConnection,
) -> None:
    marked = threading.Event()

    def mark_and_hold() -> int:
        with transaction.atomic():
            count = mark_seen(ScheduledEvent, [EVENT], connected.pk)
            marked.set()
            time.sleep(HOLD)
        return count

    worker, out = in_thread(mark_and_hold)
    assert marked.wait(10)
    started = time.monotonic()
    assert connections.disconnect(connected.user) is True
    waited = time.monotonic() - started
    worker.join(10)
    assert out == {"result": 1}  # the worker's commit went through
    assert waited >= HOLD / 2  # the disconnect waited for it
    assert not CalendlyConnection.objects.exists()
    assert seen_by_anyone() == 0


def test_rows_marked_during_a_disconnect_wait_and_record_nothing(
    connected: CalendlyConnection,
) -> None:
    found: dict[str, Any] = {}

    def while_deleting(sender: Any, **kwargs: Any) -> None:
        # Inside the disconnect's transaction, its lock held: a worker marks now.
        worker, out = in_thread(lambda: mark_seen(ScheduledEvent, [EVENT], connected.pk))
        time.sleep(HOLD)
        found.update(blocked=worker.is_alive(), worker=worker, out=out)

    post_delete.connect(while_deleting, sender=CalendlyConnection, weak=False)
    try:
        assert connections.disconnect(connected.user) is True
    finally:
        post_delete.disconnect(while_deleting, sender=CalendlyConnection)
    found["worker"].join(10)
    assert found["blocked"] is True
    assert found["out"] == {"result": 0}  # the connection was gone when it got the row
    assert seen_by_anyone() == 0


def test_two_deliveries_marking_rows_then_refreshing_the_token_do_not_deadlock(
    connected: CalendlyConnection,
) -> None:
    """Each holds the connection FOR KEY SHARE (marking its rows), then a handler calls
    Calendly as that user, whose token is due: the refresh's lock must not wait for the
    other's KEY SHARE (FOR UPDATE did, both ways: PostgreSQL's deadlock error)."""
    CalendlyConnection.objects.filter(pk=connected.pk).update(expires_at=timezone.now())
    ScheduledEvent.objects.create(uri=EVENT + "2", uuid="RACE2")
    both_marked = threading.Barrier(2, timeout=10)

    def delivery(uri: str) -> str:
        with transaction.atomic():  # process_delivery's transaction
            mark_seen(ScheduledEvent, [uri], connected.pk)
            both_marked.wait()
            try:
                connections.fresh_access_token(CalendlyConnection.objects.get(pk=connected.pk))
            except connections.ConnectionError:
                pass  # the sandbox refuses the made-up refresh token: a clean refusal
        return "ok"

    runs = [in_thread(lambda uri=uri: delivery(uri)) for uri in (EVENT, EVENT + "2")]
    for thread, _ in runs:
        thread.join(30)
    assert [out for _, out in runs] == [{"result": "ok"}, {"result": "ok"}]
