"""``calendly_sync --all`` fanned out on two real ``rqworker`` processes (Redis db 9,
PostgreSQL shared with the test): every connection's sync and the app's run on the
workers, with their own tokens, and each user then sees their own meetings."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from django_calendly.models import EventType, ScheduledEvent, SyncState

from ..markers import WORKER_PROCESSES
from ..webhooks.workers import Supervisor, flushed_redis, rq_worker
from .members import Member
from .rq_workers import rq_env, use_rq

RQ_URL = os.environ.get("TENANCY_TEST_RQ_URL", "redis://127.0.0.1:6379/9")

pytestmark = WORKER_PROCESSES


def synced(count: int) -> bool:
    """``count`` syncs succeeded (fails at once when one failed)."""
    assert not SyncState.objects.filter(status=SyncState.Status.FAILED).exists()
    return SyncState.objects.filter(status=SyncState.Status.SUCCEEDED).count() >= count


@pytest.fixture
def redis_db() -> Any:
    yield from flushed_redis(RQ_URL)


def test_sync_all_runs_every_connection_on_two_rq_workers(
    calendly_sandbox: Any, settings: Any, redis_db: Any, tmp_path: Path
) -> None:
    sb = calendly_sandbox
    settings.CALENDLY_ORGANIZATION = ""
    settings.CALENDLY_WEBHOOK_URL = ""
    mia = Member(sb, "member@sandbox.example", "mia")
    uma = Member(sb, "uma@sandbox.example", "uma")
    mia_conn, uma_conn = mia.connect(), uma.connect()  # first syncs: Immediate backend
    uma.book()
    ScheduledEvent.objects.all().delete()
    EventType.objects.all().delete()
    SyncState.objects.all().delete()

    use_rq(settings, RQ_URL)
    out = StringIO()
    call_command("calendly_sync", "--all", stdout=out)
    assert out.getvalue().count("enqueued (task") == 3, out.getvalue()
    assert not ScheduledEvent.objects.exists()  # nothing ran here

    env = rq_env(sb, RQ_URL)
    supervisor = Supervisor(tmp_path)
    try:
        supervisor.start("w1", rq_worker(f"t1-{os.getpid()}"), env)
        supervisor.start("w2", rq_worker(f"t2-{os.getpid()}"), env)
        elapsed = supervisor.wait_until(lambda: synced(3))
    finally:
        supervisor.stop()

    scopes = set(SyncState.objects.values_list("scope", "scope_uri"))
    assert scopes == {
        ("user", mia.uri), ("user", uma.uri), ("organization", sb.organization_uri)
    }
    assert mia.visible() == mia.hosted_in_sandbox() != set()
    assert uma.visible() == uma.hosted_in_sandbox() != set()
    assert ScheduledEvent.objects.filter(seen_by=mia_conn).count() == len(mia.visible())
    assert ScheduledEvent.objects.filter(seen_by=uma_conn).count() == len(uma.visible())
    assert not ScheduledEvent.objects.filter(seen_by_app=False).exists()
    print(f"\nFIGURES rq sync --all: 3 syncs on 2 workers in {elapsed:.1f}s")
