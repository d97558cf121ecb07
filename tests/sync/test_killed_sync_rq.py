"""A sync's RQ worker killed mid-run (SIGKILL to the worker and its work horse, as on a
lost machine) leaves nothing half done: the pages it wrote stay written, its sync state
stays RUNNING with its heartbeat, a sync enqueued while that heartbeat is fresh is skipped
(no second run on top of a possibly live one), and the first run after the heartbeat went
stale resumes where the killed one stopped and finishes the mirror, each event once."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from django_calendly.models import Invitee, ScheduledEvent, SyncState
from django_calendly.sync.engine import STALE_RUN
from django_calendly.sync.tasks import sync_scope_task

from ..markers import WORKER_PROCESSES
from ..webhooks.workers import Supervisor, flushed_redis, rq_worker, worker_env
from .conftest import invitee_calls

RQ_URL = os.environ.get("KILLED_SYNC_TEST_RQ_URL", "redis://127.0.0.1:6379/13")

pytestmark = WORKER_PROCESSES


@pytest.fixture
def redis_db() -> Any:
    yield from flushed_redis(RQ_URL)


def _wait(predicate: Any, supervisor: Supervisor, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, supervisor.logs()
        time.sleep(0.05)


def _finished(result: Any) -> bool:
    result.refresh()
    return bool(result.is_finished)


def test_a_sync_worker_killed_mid_run_is_resumed_by_the_next_run(
    sandbox: Any, settings: Any, window: Any, redis_db: Any, tmp_path: Path
) -> None:
    sandbox.configure(latency=0.04)  # ~250 invitee calls on 4 threads: a few seconds
    total = len(sandbox.store.events)
    settings.RQ_QUEUES = {"default": {"URL": RQ_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    since, until = (t.isoformat() for t in window)
    env = worker_env(
        DJANGO_SETTINGS_MODULE="tests.tenancy.worker_settings_rq", RQ_URL=RQ_URL,
        CALENDLY_BASE_URL=sandbox.url, CALENDLY_ACCESS_TOKEN=sandbox.token,
        CALENDLY_ORGANIZATION=sandbox.organization_uri,
    )
    supervisor = Supervisor(tmp_path)
    try:
        first = sync_scope_task.enqueue(since=since, until=until)
        supervisor.start("k1", rq_worker(f"k1-{os.getpid()}"), env)
        # Killed once at least one page is written, well before the last.
        _wait(lambda: ScheduledEvent.objects.count() >= 100, supervisor)
        supervisor.kill("k1")
        written = ScheduledEvent.objects.count()
        assert written < total, "the run finished before the kill; slow the sandbox down"
        state = SyncState.objects.get()
        assert state.status == SyncState.Status.RUNNING
        assert Invitee.objects.filter(event__isnull=True).count() == 0  # no orphan rows

        supervisor.start("k2", rq_worker(f"k2-{os.getpid()}"), env)
        while_fresh = sync_scope_task.enqueue(since=since, until=until)
        _wait(lambda: _finished(while_fresh), supervisor)
        assert "skipped" in while_fresh.return_value
        assert ScheduledEvent.objects.count() == written  # nothing done on top of it

        # Ten minutes and more without a heartbeat: the run is taken as dead.
        stale = timezone.now() - STALE_RUN - timedelta(seconds=1)
        state = SyncState.objects.get()
        state.counts = {**state.counts, "heartbeat_at": stale.isoformat()}
        state.last_started_at = stale
        state.save(update_fields=["counts", "last_started_at"])
        sandbox.reset_stats()
        resumed = sync_scope_task.enqueue(since=since, until=until)
        _wait(lambda: _finished(resumed), supervisor)
    finally:
        supervisor.stop()

    assert "skipped" not in resumed.return_value, resumed.return_value
    assert SyncState.objects.get().status == SyncState.Status.SUCCEEDED
    store = sandbox.store
    events = {e["uri"] for e in store.events.values()}
    assert set(ScheduledEvent.objects.values_list("uri", flat=True)) == events
    assert set(Invitee.objects.values_list("uri", flat=True)) == {
        i["uri"] for i in store.invitees.values()
    }
    # Resumed, not restarted: the pages the killed run wrote are not fetched again (at
    # most the page it was writing when killed is).
    assert invitee_calls(sandbox) <= total - written + 100
    assert first.id != resumed.id
