"""Recovery: a stored delivery that nobody finished within its lease is enqueued again.

Why it is needed: processing runs in one transaction holding the delivery's row lock, so a
worker killed mid-way (SIGKILL, the OOM killer, a lost machine) rolls its work back and
leaves the delivery ``pending`` while its task stays "running" in the backend forever; an
enqueue lost while the database or the broker was away leaves a ``pending`` delivery with
no task at all. Neither the task backend nor Calendly would ever bring either back.

How: every unfinished delivery carries ``lease_until`` (set when it is stored, cleared when
it is finished). A sweep takes the unfinished deliveries whose lease has expired with
``SELECT ... FOR UPDATE SKIP LOCKED``: a delivery that a live worker is processing holds
its row lock and is skipped, and two sweeps running at once never take the same row. It
doubles their lease (up to ``CALENDLY_WEBHOOK_LEASE_MAX``), so a delivery that merely
waits behind a long queue is enqueued again only a few times, and one that kills its
worker every time costs one crash per lease, not a crash loop. Once that commits, it
enqueues the ordinary processing task again, whatever the backend. Exactly once still
holds, by the row lock rather than by timing: processing locks the row and skips a
delivery that succeeded meanwhile, so a re-enqueued duplicate is a no-op.

Triggers, none needing a person or cron: every ``process_delivery_task`` run and every
newly stored delivery (the receiver) call ``maybe_recover()``, at most one sweep per
process per ``CALENDLY_WEBHOOK_RECOVERY_INTERVAL``; for quiet periods (no traffic, no
task to run), ``manage.py calendly_webhooks recover --every 30`` runs as a supervised
process, or a scheduler enqueues ``recover_deliveries_task``. docs/webhooks.md, "Recovery".
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ...conf import calendly_settings
from ...models import WebhookDelivery

logger = logging.getLogger("django_calendly.webhooks")

#: Statuses of a delivery nobody has finished yet.
UNFINISHED = (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.PROCESSING)
#: From this many re-takes on, each re-take is logged as an error: a worker may be dying
#: on the delivery itself, or no worker is running.
LOUD_RETAKES = 3


_throttle = threading.Lock()
_next_sweep = -math.inf
_active = threading.local()


@dataclass
class Sweep:
    """What one sweep did: the deliveries it took again and how their enqueue went."""

    retaken: list[int] = field(default_factory=list)
    queued: int = 0  # due, but their task is still waiting in the queue: left there
    enqueued: int = 0
    enqueue_failed: int = 0


def next_lease(retakes: int, now: datetime | None = None) -> datetime:
    """The lease after ``retakes`` re-takes: the base lease doubled each time, capped."""
    base = max(1, calendly_settings.WEBHOOK_LEASE)
    cap = max(base, calendly_settings.WEBHOOK_LEASE_MAX)
    seconds = cap if retakes >= 32 else min(cap, base * 2**retakes)
    return (now or timezone.now()) + timedelta(seconds=seconds)


def due_deliveries() -> int:
    """How many unfinished deliveries have an expired lease (for checks and the command)."""
    return WebhookDelivery.objects.filter(
        status__in=UNFINISHED, lease_until__lt=timezone.now()
    ).count()


def batch_size() -> int:
    """Most deliveries one sweep takes (``CALENDLY_WEBHOOK_RECOVERY_BATCH``)."""
    return calendly_settings.WEBHOOK_RECOVERY_BATCH


def recover_deliveries(*, limit: int | None = None) -> Sweep:
    """Take up to ``limit`` unfinished deliveries whose lease expired and enqueue them again.

    Safe to call from any number of processes at once (``SKIP LOCKED``); a database error
    propagates (the caller decides whether that is worth a log line or a failure).
    """
    batch = batch_size() if limit is None else limit
    sweep = Sweep()
    if batch <= 0:
        return sweep
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status__in=UNFINISHED, lease_until__lt=now)
            .order_by("lease_until", "id")
            .only("id", "retakes", "lease_until")[:batch]
        )
        if not rows:
            return sweep
        retaken = []
        for row in rows:
            if _still_queued(row.task_id):
                # Waiting behind a long queue, not lost: enqueueing it again would only
                # lengthen the queue. Look again after another lease.
                row.lease_until = next_lease(0, now)
                sweep.queued += 1
            else:
                row.retakes += 1
                row.lease_until = next_lease(row.retakes, now)
                retaken.append(row)
        WebhookDelivery.objects.bulk_update(rows, ["retakes", "lease_until"])
    if not retaken:
        return sweep
    # Enqueued once the new leases are committed (in autocommit; inside a caller's
    # transaction, a worker that starts early waits on the row locks held here).
    sweep.retaken = [row.pk for row in retaken]
    loud = [row.pk for row in retaken if row.retakes >= LOUD_RETAKES]
    _active.sweeping = True  # the Immediate backend runs the tasks here: no nested sweep
    try:
        _enqueue_all(sweep)
    finally:
        _active.sweeping = False
    log = logger.error if loud else logger.warning
    log(
        "Enqueued %d webhook deliveries again: their lease expired unfinished (ids %s)%s.",
        len(sweep.retaken), _ids(sweep.retaken),
        f"; taken again {LOUD_RETAKES}+ times: {_ids(loud)} (is a worker running, or "
        "dying on them?)" if loud else "",
    )
    return sweep


def _still_queued(task_id: str) -> bool:
    """Whether the backend says the delivery's task is still waiting to run.

    Anything else means enqueue again: no task id (the enqueue was lost), a backend that
    cannot look results up, a task unknown to it, failed, or "running" although the row
    lock is free (django-tasks-db leaves a killed worker's task RUNNING forever; a live
    worker would hold the row lock and the sweep would have skipped the row).
    """
    if not task_id:
        return False
    from ...tasks import process_delivery_task

    try:
        if not process_delivery_task.get_backend().supports_get_result:
            return False
        result = process_delivery_task.get_result(task_id)
    except Exception:  # unknown id, a backend or broker that cannot answer now
        return False
    return str(result.status) == "READY"


def _enqueue_all(sweep: Sweep) -> None:
    from ...tasks import enqueue_delivery

    for delivery_id in sweep.retaken:
        try:
            enqueue_delivery(delivery_id)
        except Exception:
            # Its lease was extended: the next sweep after it expires tries again.
            sweep.enqueue_failed += 1
            logger.warning(
                "Could not enqueue webhook delivery %s again; it stays pending.",
                delivery_id, exc_info=True,
            )
        else:
            sweep.enqueued += 1


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:20])
    return shown + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")


def maybe_recover() -> Sweep | None:
    """Sweep unless this process swept less than ``WEBHOOK_RECOVERY_INTERVAL`` ago.

    Called on the hot paths (each task run, each stored delivery), so it costs one
    monotonic clock read when throttled and one indexed query otherwise; it never raises
    (a sweep that fails is retried by the next trigger). Re-entrant calls (the Immediate
    backend runs the re-enqueued task inside the sweep) return at once.
    """
    global _next_sweep
    if getattr(_active, "sweeping", False):
        return None
    with _throttle:
        now = time.monotonic()
        if now < _next_sweep:
            return None
        _next_sweep = now + max(0.0, calendly_settings.WEBHOOK_RECOVERY_INTERVAL)
    try:
        return recover_deliveries()
    except Exception:
        logger.warning("Webhook recovery sweep failed; the next trigger retries.", exc_info=True)
        return None


def reset_throttle() -> None:
    """Forget when this process last swept (tests; a forked process)."""
    global _next_sweep
    with _throttle:
        _next_sweep = -math.inf
