"""Recovery: a delivery nobody finished within its lease is enqueued again by the normal
machinery (a worker's task run, the receiver, the ``recover`` command), exactly once.

A lost enqueue is simulated with django-tasks' Dummy backend (the task goes nowhere); a
worker dying mid-way with a host signal receiver raising ``OperationalError`` (the
transaction rolls back, as it does when the connection dies). Time passing is the lease
moved into the past.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from django_calendly import signals
from django_calendly.models import Invitee, WebhookDelivery
from django_calendly.services.webhooks import recovery
from django_calendly.tasks import process_delivery_task, recover_deliveries_task
from django_calendly.testing.deliveries import post_delivery

from . import payloads
from .conftest import KEY

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_throttle(settings: Any) -> Iterator[None]:
    settings.CALENDLY_WEBHOOK_RECOVERY_INTERVAL = 0
    recovery.reset_throttle()
    yield
    recovery.reset_throttle()


def post(client: Any, n: int) -> int:
    response = post_delivery(
        client, "invitee.created", payloads.invitee("EV", f"I{n}"), KEY,
        created_at=f"2026-01-01T10:00:{n:02d}.000000Z",
    )
    assert response.status_code == 202, response.content
    return int(response.json()["id"])


def expire(*ids: int) -> None:
    WebhookDelivery.objects.filter(pk__in=ids).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )


def lost(client: Any, settings: Any, n: int) -> int:
    """A delivery stored and acknowledged whose enqueue went nowhere."""
    settings.TASKS = DUMMY
    delivery_id = post(client, n)
    settings.TASKS = IMMEDIATE
    return delivery_id


def test_a_stored_delivery_holds_a_lease_and_finishing_clears_it(client: Any) -> None:
    before = timezone.now()
    delivery_id = post(client, 1)
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert row.status == "succeeded" and row.lease_until is None and row.retakes == 0
    fresh = WebhookDelivery.objects.create(idempotency_key="k", event="x", body="{}")
    assert fresh.lease_until is not None
    assert before + timedelta(seconds=59) < fresh.lease_until <= timezone.now() + timedelta(
        seconds=60
    )


def test_lost_enqueue_is_taken_up_once_its_lease_expires(
    client: Any, settings: Any, recorder: Any
) -> None:
    delivery_id = lost(client, settings, 1)
    assert WebhookDelivery.objects.get(pk=delivery_id).status == "pending"
    assert recovery.recover_deliveries().retaken == []  # within its lease: left alone
    expire(delivery_id)
    sweep = recovery.recover_deliveries()
    assert sweep.retaken == [delivery_id] and sweep.enqueued == 1
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert (row.status, row.attempts, row.retakes, row.lease_until) == ("succeeded", 1, 1, None)
    assert Invitee.objects.count() == 1
    assert len(recorder.of("invitee_created")) == 1
    assert recovery.recover_deliveries().retaken == []  # finished: never taken again


def test_finished_deliveries_are_never_taken_again(client: Any, settings: Any) -> None:
    done = post(client, 1)
    failed = lost(client, settings, 2)
    WebhookDelivery.objects.filter(pk=failed).update(status="failed")
    expire(done, failed)
    assert recovery.recover_deliveries().retaken == []
    assert WebhookDelivery.objects.get(pk=failed).status == "failed"  # a person's call


def test_a_transient_database_error_leaves_the_delivery_for_recovery(client: Any) -> None:
    def connection_lost(sender: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    signals.webhook_received.connect(connection_lost, weak=False)
    try:
        delivery_id = post(client, 1)  # 202: stored; processing rolled back
    finally:
        signals.webhook_received.disconnect(connection_lost)
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, "")
    assert not Invitee.objects.exists()
    expire(delivery_id)
    assert recovery.recover_deliveries().retaken == [delivery_id]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.retakes) == ("succeeded", 1, 1)
    assert Invitee.objects.count() == 1


def test_the_receiver_is_a_trigger(client: Any, settings: Any) -> None:
    first = lost(client, settings, 1)
    expire(first)
    second = post(client, 2)  # storing this one sweeps: the first is enqueued again
    statuses = dict(WebhookDelivery.objects.values_list("id", "status"))
    assert statuses == {first: "succeeded", second: "succeeded"}


def test_every_task_run_is_a_trigger(client: Any, settings: Any) -> None:
    first = lost(client, settings, 1)
    second = lost(client, settings, 2)
    expire(first)
    assert process_delivery_task.enqueue(second).return_value == "succeeded"
    assert WebhookDelivery.objects.get(pk=first).status == "succeeded"


def test_sweeps_are_throttled_per_process(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_RECOVERY_INTERVAL = 3600
    assert recovery.maybe_recover() is not None
    first = lost(client, settings, 1)
    expire(first)
    assert recovery.maybe_recover() is None  # swept a moment ago
    assert WebhookDelivery.objects.get(pk=first).status == "pending"
    recovery.reset_throttle()
    sweep = recovery.maybe_recover()
    assert sweep is not None and sweep.retaken == [first]


def test_a_lease_doubles_with_each_retake_up_to_the_cap(settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_LEASE = 60
    settings.CALENDLY_WEBHOOK_LEASE_MAX = 900
    now = timezone.now()
    seconds = [(recovery.next_lease(n, now) - now).total_seconds() for n in (0, 1, 2, 3, 4, 99)]
    assert seconds == [60, 120, 240, 480, 900, 900]


def test_a_retaken_delivery_still_unfinished_waits_a_longer_lease(
    client: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY  # the re-enqueue is lost too
    delivery_id = post(client, 1)
    expire(delivery_id)
    assert recovery.recover_deliveries().retaken == [delivery_id]
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert row.retakes == 1 and row.status == "pending"
    assert row.lease_until is not None
    assert row.lease_until > timezone.now() + timedelta(seconds=110)  # 2 x 60 s
    assert recovery.recover_deliveries().retaken == []  # not due again yet


def test_a_sweep_takes_at_most_its_batch(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_RECOVERY_BATCH = 2
    ids = [lost(client, settings, n) for n in range(3)]
    expire(*ids)
    assert len(recovery.recover_deliveries().retaken) == 2
    assert len(recovery.recover_deliveries().retaken) == 1
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_recover_command_and_task(client: Any, settings: Any) -> None:
    first, second = lost(client, settings, 1), lost(client, settings, 2)
    expire(first)
    out = StringIO()
    call_command("calendly_webhooks", "recover", stdout=out)
    assert out.getvalue().strip() == "Enqueued 1 deliveries again."
    expire(second)
    assert recover_deliveries_task.enqueue().return_value == 1
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    with pytest.raises(CommandError):
        call_command("calendly_webhooks", "recover", "--every", "0")


@pytest.mark.django_db(transaction=True)
def test_a_task_still_queued_is_left_in_its_queue_and_a_dead_one_is_replaced(
    client: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    delivery_id = post(client, 1)
    row = WebhookDelivery.objects.get(pk=delivery_id)
    task = DBTaskResult.objects.get()
    assert row.status == "pending" and row.task_id == str(task.id)

    expire(delivery_id)  # a long queue: due, but its task is READY
    sweep = recovery.recover_deliveries()
    assert (sweep.retaken, sweep.queued) == ([], 1)
    assert DBTaskResult.objects.count() == 1
    row.refresh_from_db()
    assert row.retakes == 0 and row.lease_until is not None and row.lease_until > timezone.now()

    DBTaskResult.objects.update(status="RUNNING")  # what a SIGKILLed db_worker leaves
    expire(delivery_id)
    assert recovery.recover_deliveries().retaken == [delivery_id]
    row.refresh_from_db()
    assert row.retakes == 1 and row.task_id != str(task.id)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("succeeded", 1)
