"""Background tasks of the app, through Django's Tasks interface.

Django 6 ships ``django.tasks``; on Django 5.2 the ``django_tasks`` backport provides the
same API. The host project picks the backend (``TASKS`` setting): the Immediate backend
runs a task in the request that enqueued it; ``django-tasks-db`` or ``django-tasks-rq``
hand it to workers.
"""

from __future__ import annotations

from typing import Any

try:  # Django >= 6.0
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

__all__ = [
    "ensure_connection_subscription_task",
    "process_delivery_task",
    "recover_deliveries_task",
    "task",
]


@task()
def process_delivery_task(delivery_id: int) -> str:
    """Process one stored webhook delivery into the local mirror and send the signals.

    Returns the delivery's final status. Never raises for a processing failure: the
    delivery row records it (status ``failed``, ``last_error``) and can be replayed. A lost
    database connection does raise (the delivery stays pending; recovery takes it again).

    Each run then gives recovery its throttled chance: a busy worker is what notices that
    another worker died holding a delivery, with no cron and no person.
    """
    from .services.webhooks import process_delivery
    from .services.webhooks.recovery import maybe_recover

    status = process_delivery(delivery_id)
    maybe_recover()
    return status


@task()
def recover_deliveries_task() -> int:
    """One recovery sweep (for a host project's scheduler); how many deliveries it took."""
    from .services.webhooks.recovery import recover_deliveries

    return len(recover_deliveries().retaken)


@task()
def ensure_connection_subscription_task(connection_id: int) -> dict[str, Any]:
    """Ensure one ``CalendlyConnection``'s own webhook subscription (enqueued on connect,
    and by the periodic run for a connection lacking one); idempotent. Returns what
    happened; a refusal (plan, scopes) is recorded on the connection and returned, a
    failure to reach Calendly is recorded and raised (``services.connection_webhooks``)."""
    from .services.connection_webhooks import ensure_for_connection

    return ensure_for_connection(connection_id)


def enqueue_delivery(delivery_id: int) -> Any:
    """Enqueue the processing of a delivery (called after the storing transaction commits).

    With a worker backend the task's id is kept on the delivery, so recovery can tell a
    delivery still waiting behind a long queue (left alone) from one whose task was lost
    or whose worker died (enqueued again)."""
    from .models import WebhookDelivery

    result = process_delivery_task.enqueue(delivery_id)
    if not result.is_finished:  # the Immediate backend has already processed it
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=WebhookDelivery.Status.PENDING
        ).update(task_id=str(result.id)[:100])
    return result
