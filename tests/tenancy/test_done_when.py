"""Issue 11's "Done when", end to end: two users of the demo project connect two different
sandbox accounts, each sees only their own meetings (local API and /account/ page),
bookings on either account arrive by webhook, ``calendly_sync --all`` on two RQ workers
fills both, and disconnecting one removes its subscription.

Everything goes over real HTTP: the users' browsers sign in through the demo's login form
on the live server and post with CSRF tokens, the sandbox answers the API and OAuth calls
and delivers webhooks to the live receiver. Every task (the first sync on connect, each
delivery's processing, the fan-out of ``--all``) runs on two ``rqworker`` processes
sharing the test's PostgreSQL database; nothing runs in this process. Tasks use Redis
database 3 and the shared per-user rate limit database 4 (``DONE_WHEN_TEST_RQ_URL``,
``DONE_WHEN_TEST_LIMIT_URL``)."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from demo.pages import UPCOMING_LIMIT
from django_calendly.conf import calendly_settings
from django_calendly.models import (
    CalendlyConnection,
    EventType,
    Invitee,
    ScheduledEvent,
    SyncState,
    WebhookDelivery,
    WebhookSubscription,
)
from django_calendly.services.ratelimit import SharedRateLimiter, forget_storages, storage
from django_calendly.sync.tasks import sync_connection_task

from ..demo.test_pages import shown_meetings
from ..markers import WORKER_PROCESSES
from ..webhooks.workers import Supervisor, flushed_redis, rq_worker
from .members import Member, parse_time, remote_subscriptions
from .rq_workers import rq_env, use_rq

RQ_URL = os.environ.get("DONE_WHEN_TEST_RQ_URL", "redis://127.0.0.1:6379/3")
LIMIT_URL = os.environ.get("DONE_WHEN_TEST_LIMIT_URL", "redis://127.0.0.1:6379/4")
WORKERS = [f"done-when-{n}-{os.getpid()}" for n in (1, 2)]
ENQUEUED = re.compile(r"^(connection \d+|app token): enqueued \(task (\S+)\)$", re.M)

pytestmark = WORKER_PROCESSES


@pytest.fixture
def queues() -> Any:
    yield from flushed_redis(RQ_URL)


@pytest.fixture
def budgets() -> Any:
    yield from flushed_redis(LIMIT_URL)


@pytest.fixture
def workers(
    calendly_sandbox: Any, tenancy_settings: Any, queues: Any, budgets: Any, tmp_path: Path
) -> Iterator[Supervisor]:
    """Two ``rqworker`` processes; tasks enqueued here (the live server's thread included)
    go to them, and every process takes from one rate-limit budget per Calendly user."""
    use_rq(tenancy_settings, RQ_URL)
    tenancy_settings.CALENDLY_RATE_LIMIT_STORAGE = LIMIT_URL
    forget_storages()
    env = rq_env(
        calendly_sandbox, RQ_URL, RATE_LIMIT_URL=LIMIT_URL,
        CALENDLY_WEBHOOK_URL=tenancy_settings.CALENDLY_WEBHOOK_URL,  # subscriptions' tasks
    )
    supervisor = Supervisor(tmp_path)
    try:
        for n, name in enumerate(WORKERS, 1):
            supervisor.start(f"w{n}", rq_worker(name), env)
        yield supervisor
    finally:
        supervisor.stop()
        forget_storages()


def synced(*members: Member) -> bool:
    """Each member's user-scope sync succeeded (fails at once when one failed)."""
    assert not SyncState.objects.filter(status=SyncState.Status.FAILED).exists()
    done = SyncState.objects.filter(status=SyncState.Status.SUCCEEDED, scope="user")
    return set(done.values_list("scope_uri", flat=True)) >= {m.uri for m in members}


def subscribed(*connections: CalendlyConnection) -> bool:
    """Each connection's subscription task succeeded (fails at once when one did not)."""
    states = dict(
        CalendlyConnection.objects.filter(pk__in=[c.pk for c in connections])
        .values_list("pk", "webhook_status")
    )
    assert not {pk: s for pk, s in states.items() if s in ("refused", "failed")}, states
    return set(states.values()) == {"active"}


def processed(*bookings: dict[str, Any]) -> bool:
    """The deliveries of these bookings are in the mirror (fails at once when one failed)."""
    rows = WebhookDelivery.objects.filter(resource_uri__in=[b["uri"] for b in bookings])
    assert not rows.filter(status=WebhookDelivery.Status.FAILED).exists()
    return rows.filter(status=WebhookDelivery.Status.SUCCEEDED).count() == len(bookings)


def calls_counted(calendly_user: str) -> int:
    """The calls in the last minute of the shared budget of ``calendly_user`` in Redis."""
    limit = calendly_settings.RATE_LIMIT_PER_MINUTE
    budget = SharedRateLimiter(calendly_user, limit, store=storage(LIMIT_URL))
    _, remaining = budget.strategy.get_window_stats(budget.item, budget.key)
    return int(limit - remaining)


def assert_sees_only_own(member: Member, other: Member) -> None:
    """The local API lists exactly the member's events in the sandbox, and the account page
    exactly their upcoming active ones; nothing of the other member's in either."""
    own = member.sandbox_events()
    assert own
    assert member.visible() == set(own)
    assert not member.visible() & other.hosted_in_sandbox()

    now = timezone.now()
    upcoming = {
        uri for uri, e in own.items()
        if e["status"] == "active" and parse_time(e["start_time"]) >= now
    }
    assert 0 < len(upcoming) <= UPCOMING_LIMIT  # the page lists them all
    page = member.browser.get("/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Connected as <strong>{escape(member.name)}</strong>" in html
    shown = shown_meetings(html)
    assert len(shown) == len(set(shown)) and set(shown) == upcoming
    assert not set(shown) & other.hosted_in_sandbox()


def assert_mirror_matches_sandbox(member: Member, connection: CalendlyConnection) -> None:
    """What the connection's sync wrote is what the sandbox holds: the same events (status
    and start), their invitees, the member's event type."""
    own = member.sandbox_events()
    rows = ScheduledEvent.objects.filter(seen_by=connection)
    assert {r.uri: (r.status, r.start_time) for r in rows} == {
        uri: (e["status"], parse_time(e["start_time"])) for uri, e in own.items()
    }
    invitees = Invitee.objects.filter(event__in=list(own))
    assert set(invitees.values_list("uri", flat=True)) == member.sandbox_invitees() != set()
    assert EventType.objects.filter(uri=member.event_type, seen_by=connection).exists()


@pytest.fixture
def members(calendly_sandbox: Any, live_server: Any) -> Iterator[tuple[Member, Member]]:
    """Mia and Uma, signed in over real HTTP to the live server."""
    found = (
        Member(calendly_sandbox, "member@sandbox.example", "mia", live_url=live_server.url),
        Member(calendly_sandbox, "uma@sandbox.example", "uma", live_url=live_server.url),
    )
    yield found
    for member in found:
        member.browser.close()  # no kept-alive connection holds a live-server thread


def test_two_users_two_accounts_webhooks_sync_all_on_rq_and_a_disconnect(
    calendly_sandbox: Any, workers: Supervisor, members: tuple[Member, Member], budgets: Any
) -> None:
    sb = calendly_sandbox
    mia, uma = members
    uma.book()  # Uma has no seeded meetings: one before she connects (no webhook for it)
    assert not sb.deliveries

    # -- Two users connect two accounts: a subscription each, a first sync each (on RQ:
    # the callbacks only enqueue them).
    mia_conn, uma_conn = mia.connect(), uma.connect()
    assert mia_conn.owner == mia.uri and uma_conn.owner == uma.uri
    workers.wait_until(lambda: subscribed(mia_conn, uma_conn))
    remote = {w["user"]: w for w in remote_subscriptions(sb)}
    assert set(remote) == {mia.uri, uma.uri}
    local = dict(WebhookSubscription.objects.values_list("connection_id", "uri"))
    assert local == {mia_conn.pk: remote[mia.uri]["uri"], uma_conn.pk: remote[uma.uri]["uri"]}
    first_syncs = workers.wait_until(lambda: synced(mia, uma))

    # -- Each sees only their own meetings, in the local API and on the account page.
    assert_sees_only_own(mia, uma)
    assert_sees_only_own(uma, mia)

    # -- Bookings on either account arrive by webhook, processed on the workers.
    mia_booking, uma_booking = mia.book(name="Guest of Mia"), uma.book(name="Guest of Uma")
    assert [(d.status, d.url) for d in sb.deliveries] == [
        (202, remote[mia.uri]["callback_url"]), (202, remote[uma.uri]["callback_url"])
    ]
    webhooks = workers.wait_until(lambda: processed(mia_booking, uma_booking))
    by_booking = dict(WebhookDelivery.objects.values_list("resource_uri", "connection_id"))
    assert by_booking == {mia_booking["uri"]: mia_conn.pk, uma_booking["uri"]: uma_conn.pk}
    for member, booking, other in ((mia, mia_booking, uma), (uma, uma_booking, mia)):
        detail = member.event_detail(booking["event"])
        assert detail.status_code == 200, detail.content
        assert [i["uri"] for i in detail.json()["invitees"]] == [booking["uri"]]
        assert other.event_detail(booking["event"]).status_code == 404
        assert booking["event"] in member.visible()
        assert booking["name"] in member.browser.get("/account/").content.decode()
        assert booking["name"] not in other.browser.get("/account/").content.decode()
    assert_sees_only_own(mia, uma)
    assert_sees_only_own(uma, mia)

    # -- `calendly_sync --all` on the two workers fills both mirrors, from nothing, and
    # catches up the bookings whose deliveries were lost.
    sb.configure(deliver="off")
    missed = [mia.book(), uma.book()]
    sb.configure(deliver="sync")
    for model in (Invitee, ScheduledEvent, EventType, SyncState):
        model.objects.all().delete()
    budgets.flushdb()  # from here on only the workers call Calendly
    out = StringIO()
    call_command("calendly_sync", "--all", stdout=out)
    queued = dict(ENQUEUED.findall(out.getvalue()))
    assert set(queued) == {f"connection {mia_conn.pk}", f"connection {uma_conn.pk}",
                           "app token"}, out.getvalue()
    backend = sync_connection_task.get_backend()

    def finished() -> bool:
        results = [backend.get_result(task_id) for task_id in queued.values()]
        assert not [r for r in results if r.status.name == "FAILED"]
        return all(r.status.name == "SUCCESSFUL" for r in results)

    sync_all = workers.wait_until(finished)
    ran_on = Counter(
        worker for task_id in queued.values() for worker in backend.get_result(task_id).worker_ids
    )
    assert set(ran_on) <= set(WORKERS) and sum(ran_on.values()) == 3
    # The workers took each call of a connection's sync from its Calendly user's budget,
    # the one Redis counts for every process.
    for connection in (mia_conn, uma_conn):
        result = backend.get_result(queued[f"connection {connection.pk}"])
        assert 0 < result.return_value["api_calls"] <= calls_counted(connection.owner)
    assert_mirror_matches_sandbox(mia, mia_conn)
    assert_mirror_matches_sandbox(uma, uma_conn)
    for member, booking in zip((mia, uma), missed, strict=True):
        assert booking["event"] in member.visible()
    assert_sees_only_own(mia, uma)
    assert_sees_only_own(uma, mia)

    # -- Disconnecting Uma (the account page's button: a POST with its CSRF token) removes
    # her subscription at the sandbox and here; Mia's stays and keeps receiving.
    answer = uma.browser.post_from("/account/", "/modules/calendly/oauth/disconnect/")
    assert (answer.status_code, answer.json()) == (200, {"connected": False})
    assert [w["user"] for w in remote_subscriptions(sb)] == [mia.uri]
    assert list(WebhookSubscription.objects.values_list("connection_id", flat=True)) == [
        mia_conn.pk
    ]
    assert not CalendlyConnection.objects.filter(pk=uma_conn.pk).exists()
    page = uma.browser.get("/account/").content.decode()
    assert "Connect Calendly" in page and "Connected as" not in page
    assert uma.visible() == set()

    before = len(sb.deliveries)
    late, unheard = mia.book(), uma.book()
    assert [(d.status, d.url) for d in sb.deliveries[before:]] == [
        (202, remote[mia.uri]["callback_url"])
    ]
    workers.wait_until(lambda: processed(late))
    assert not WebhookDelivery.objects.filter(resource_uri=unheard["uri"]).exists()
    assert late["event"] in mia.visible()
    assert_sees_only_own(mia, uma)

    print(  # the figures for the report (pytest -s)
        f"\nFIGURES done-when: first syncs {first_syncs:.1f}s, two deliveries processed "
        f"{webhooks:.1f}s, sync --all (3 tasks) {sync_all:.1f}s, tasks by worker "
        f"{sorted(ran_on.values(), reverse=True)}"
    )
