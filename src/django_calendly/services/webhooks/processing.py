"""Processing of a stored delivery into the mirror, in its own transaction, exactly once.

The delivery row is locked (``SELECT ... FOR UPDATE``) for the whole processing, so two
workers never process one delivery twice; a failure rolls back the delivery's mirror
changes and marks it ``failed`` (replayable); the signals go out once the mirror is written.

Claiming is the row lock itself, so it dies with the worker: a killed worker's transaction
rolls back and its delivery is ``pending`` again, to be enqueued again by ``recovery`` once
its lease expires. Finishing (``succeeded`` or ``failed``) clears the lease. A lost database
connection is not the delivery's failure: it propagates, the delivery stays ``pending``, and
recovery takes it up again, with no person needed.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterable

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from ... import signals
from ...models import CalendlyConnection, WebhookDelivery
from ..attribution import mark_rows
from .context import Context as _Context
from .handlers import HANDLERS

logger = logging.getLogger("django_calendly.webhooks")

MAX_ERROR_CHARS = 8000


def process_delivery(delivery_id: int, *, force: bool = False) -> str:
    """Process one stored delivery; return its final status.

    ``force`` reprocesses a delivery that already succeeded (a replay). A failure in a
    mirror write or in a signal handler rolls back that delivery's mirror changes and marks
    it ``failed`` with the error; it never propagates. A database error that is not about
    the delivery (the connection lost, a deadlock, a server shutting down: Django's
    ``OperationalError``/``InterfaceError``) propagates instead, and leaves the delivery as
    it was, for recovery to take up again.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        )
        if delivery is None:
            return "missing"
        if delivery.status == WebhookDelivery.Status.SUCCEEDED and not force:
            return delivery.status
        delivery.attempts += 1
        try:
            with transaction.atomic():  # the mirror's changes and the receivers: all or none
                try:
                    with transaction.atomic():
                        ctx = _dispatch(delivery)
                except IntegrityError:
                    # A mirror row was inserted meanwhile by a writer outside our advisory
                    # locks (the pull sync): the second pass finds it and merges.
                    ctx = _dispatch(delivery)
                # The signals go out once the mirror is written, so a receiver's own
                # IntegrityError fails the delivery instead of running every receiver twice.
                ctx.notify()
        except (OperationalError, InterfaceError):
            # Transient: recorded as "failed" it would need a person; left alone, its lease
            # brings it back. (The outer transaction cannot commit on a lost connection.)
            raise
        except Exception as exc:
            logger.warning(
                "Webhook delivery %s (%s) failed: %s", delivery.pk, delivery.event, exc,
                exc_info=True,
            )
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = (
                f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
            )[:MAX_ERROR_CHARS]
        else:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.last_error = ""
        delivery.processed_at = timezone.now()
        delivery.lease_until = None  # finished: nothing for recovery to take up
        delivery.save(
            update_fields=[
                "status", "attempts", "last_error", "processed_at", "lease_until", "seen"
            ]
        )
        return str(delivery.status)


def replay_deliveries(ids: Iterable[int], *, force: bool = True) -> dict[str, int]:
    """Reprocess deliveries now (admin action, management command); counts by status.

    ``force=False`` skips deliveries that succeeded meanwhile (replaying "pending" ones,
    which a worker may be processing right now: the row lock makes us wait for it, and
    then there is nothing left to do)."""
    counts: dict[str, int] = {}
    for delivery_id in ids:
        status = process_delivery(delivery_id, force=force)
        counts[status] = counts.get(status, 0) + 1
    return counts


def _actor_organization(delivery: WebhookDelivery) -> str:
    if delivery.connection_id is None:
        return ""
    found = CalendlyConnection.objects.filter(pk=delivery.connection_id).values_list(
        "organization", flat=True
    ).first()
    return str(found or "")


def _dispatch(delivery: WebhookDelivery) -> _Context:
    """Apply the delivery to the mirror; the signals it calls for wait in the context."""
    envelope = json.loads(delivery.body)
    payload = envelope.get("payload") or {}
    ctx = _Context(delivery, payload, actor_organization=_actor_organization(delivery))
    handler = HANDLERS.get(delivery.event)
    if handler is not None:
        handler(ctx)
        # Every actor whose subscription delivered it (the first, and any duplicate's).
        delivery.seen = {m._meta.label: sorted(uris) for m, uris in ctx.seen.items()}
        for actor in dict.fromkeys([delivery.connection_id, *(delivery.viewers or [])]):
            mark_rows(delivery.seen, actor)
    else:
        logger.info("Webhook event %s has no handler; only webhook_received.", delivery.event)
    ctx.send(
        signals.webhook_received,
        signals.WebhookEvent(
            name=delivery.event,
            created_at=delivery.calendly_created_at,
            created_by=str(envelope.get("created_by") or ""),
            resource_uri=delivery.resource_uri,
            delivery_id=delivery.pk,
        ),
    )
    return ctx
