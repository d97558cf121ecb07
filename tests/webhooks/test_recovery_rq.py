"""The SIGKILL test again with django-tasks-rq: two ``rqworker`` processes on Redis (a
database number of this test's own), one killed with its work horse mid-delivery, a
replacement started. Recovery goes through the Tasks API only, so it needs nothing
RQ-specific: the killed job stays "started" in RQ, its row lock is free, so it is taken
again; jobs still queued are left in the queue."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from django_calendly.models import WebhookDelivery

from ..markers import needs_postgres
from .test_recovery_postgres import (
    INTERVAL,
    LEASE,
    body,
    post,
    probe,
    processings,
    retaken,
    wait_drained,
)
from .workers import Supervisor, flushed_redis, recover_loop, rq_worker, worker_env

RQ_URL = os.environ.get("RECOVERY_TEST_RQ_URL", "redis://127.0.0.1:6379/7")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]

__all__ = ["probe"]  # the fixture, used here by name


@pytest.fixture
def redis_db() -> Any:
    yield from flushed_redis(RQ_URL)


def test_an_rq_worker_killed_mid_delivery_loses_nothing_and_repeats_nothing(
    live_server: Any, settings: Any, probe: None, redis_db: Any, tmp_path: Path
) -> None:
    total = 300
    settings.RQ_QUEUES = {"default": {"URL": RQ_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.CALENDLY_WEBHOOK_LEASE = int(LEASE)
    url = f"{live_server.url}/modules/calendly/webhook/"
    with httpx.Client(timeout=30.0, trust_env=False) as http:
        codes = Counter(post(http, url, body(n)) for n in range(total))
    assert codes == {202: total}
    assert all(WebhookDelivery.objects.values_list("task_id", flat=True))

    hold = tmp_path / "held"
    env = worker_env(
        DJANGO_SETTINGS_MODULE="tests.webhooks.worker_settings_rq", RQ_URL=RQ_URL,
        CALENDLY_WEBHOOK_LEASE=LEASE, CALENDLY_WEBHOOK_RECOVERY_INTERVAL=INTERVAL,
        PROBE_SLEEP="0.005",
    )
    supervisor = Supervisor(tmp_path)
    try:
        supervisor.start("r1", rq_worker(f"r1-{os.getpid()}"),
                         {**env, "PROBE_HOLD_FILE": str(hold), "PROBE_HOLD_AFTER": "40"})
        supervisor.start("r2", rq_worker(f"r2-{os.getpid()}"), env)
        supervisor.start("recover", recover_loop(float(INTERVAL)), env)
        deadline = time.monotonic() + 120
        while not hold.exists():
            assert time.monotonic() < deadline, supervisor.logs()
            time.sleep(0.05)
        time.sleep(0.2)
        held_id = int(hold.read_text())
        done_at_kill = sum(processings().values())
        supervisor.kill("r1")  # SIGKILL to the worker and its work horse
        killed_at = time.monotonic()
        supervisor.start("r3", rq_worker(f"r3-{os.getpid()}"), env)
        wait_drained(total, timeout=120)
        drained_after = time.monotonic() - killed_at
    finally:
        supervisor.stop()

    seen = processings()
    assert set(seen) == set(WebhookDelivery.objects.values_list("id", flat=True)), "lost"
    assert [d for d, n in seen.items() if n != 1] == [], "processed twice"
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert WebhookDelivery.objects.get(pk=held_id).retakes >= 1
    print(  # the figures for docs/reliability.md (pytest -s)
        f"\nFIGURES rq kill: deliveries={total} killed_after={done_at_kill} processed "
        f"held={held_id} drained {drained_after:.1f}s after the kill and replacement "
        f"duplicates=0 lost=0 retaken={retaken()}"
    )
