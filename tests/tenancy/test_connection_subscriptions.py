"""A connection's own webhook subscription is made by a task after the OAuth callback, not
in it: the callback calls Calendly only to exchange the code; the task is idempotent,
records a refusal on the connection, and the periodic run repairs what a lost task or a
dead worker left undone."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from django_calendly.models import CalendlyConnection, WebhookSubscription
from django_calendly.services.clients import get_client
from django_calendly.services.connection_webhooks import LEASE, REFUSED_RETRY, webhook_url_for
from django_calendly.tasks import ensure_connection_subscription_task

from .members import Member, remote_subscriptions
from .test_connections_as_tenants import Received
from .test_connections_as_tenants import members as members
from .test_connections_as_tenants import received as received

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tenancy_settings"),
]

Status = CalendlyConnection.WebhookStatus
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _fresh(connection: CalendlyConnection) -> CalendlyConnection:
    return CalendlyConnection.objects.get(pk=connection.pk)


def _api_calls(sb: Any) -> dict[str, int]:
    """The sandbox's requests so far, without the OAuth endpoints."""
    return {k: n for k, n in sb.stats()["requests"].items() if "/oauth/" not in k}


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _age(connection: CalendlyConnection, by: timedelta) -> None:
    CalendlyConnection.objects.filter(pk=connection.pk).update(
        webhook_checked_at=timezone.now() - by
    )


def _sync_all() -> str:
    out = StringIO()
    call_command("calendly_sync", "--all", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_immediate_backend_subscribes_on_connect_and_again_is_a_no_op(
    calendly_sandbox: Any, members: tuple[Member, Member]
) -> None:
    sb = calendly_sandbox
    mia, _ = members
    conn = mia.connect()
    assert _fresh(conn).webhook_status == Status.ACTIVE
    assert _fresh(conn).webhook_error == ""
    local = WebhookSubscription.objects.get(connection=conn)
    assert local.callback_url == webhook_url_for(conn)

    result = ensure_connection_subscription_task.enqueue(connection_id=conn.pk)
    assert result.return_value["status"] == "active"
    assert result.return_value["created"] is False
    assert [w["uri"] for w in remote_subscriptions(sb)] == [local.uri]
    assert list(WebhookSubscription.objects.values_list("uri", flat=True)) == [local.uri]
    assert WebhookSubscription.objects.get().signing_key == local.signing_key


def test_db_backend_callback_only_enqueues_then_the_worker_subscribes(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any, received: Received
) -> None:
    from django_tasks_db.models import DBTaskResult

    sb = calendly_sandbox
    settings.TASKS = DB_TASKS
    mia, _ = members
    sb.reset_stats()
    conn = mia.connect()
    # The callback exchanged the code and called nothing else at Calendly.
    assert _api_calls(sb) == {}
    assert received.names() == ["calendly_connected"]
    assert _fresh(conn).webhook_status == Status.PENDING
    assert not WebhookSubscription.objects.exists()
    queued = sorted(r.task_path.rsplit(".", 1)[-1] for r in DBTaskResult.objects.all())
    assert queued == ["ensure_connection_subscription_task", "sync_connection_task"]
    assert mia.browser.get("/modules/calendly/oauth/status/").json()["webhook"] == {
        "status": "pending", "error": None,
    }

    _run_worker()
    assert _fresh(conn).webhook_status == Status.ACTIVE
    assert WebhookSubscription.objects.filter(connection=conn).count() == 1
    assert [w["user"] for w in remote_subscriptions(sb)] == [mia.uri]
    assert mia.visible() == mia.hosted_in_sandbox() != set()  # the first sync ran too
    booking = mia.book()  # and deliveries arrive on the new subscription
    assert [d.status for d in sb.deliveries] == [202]
    _run_worker()  # processes the delivery
    assert booking["event"] in mia.visible()

    # Enqueued twice (a reconnect, a repair racing the first task): still one subscription.
    ensure_connection_subscription_task.enqueue(connection_id=conn.pk)
    ensure_connection_subscription_task.enqueue(connection_id=conn.pk)
    _run_worker()
    assert len(remote_subscriptions(sb)) == 1
    assert WebhookSubscription.objects.count() == 1


@pytest.mark.slow  # wall clock; the fast suite checks the request count (test above)
def test_a_slow_calendly_does_not_slow_the_callback(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    """Every Calendly request takes 2 s: the callback makes one (the code exchange), not
    the five the role lookup and the subscription need (10 s), nor the sync's. (Wall
    clock on a shared machine: the margin is wide; the request count is exact.)"""
    import time

    sb = calendly_sandbox
    settings.TASKS = DB_TASKS
    mia, _ = members
    sb.configure(latency=2.0)
    started = time.monotonic()
    mia.connect()
    elapsed = time.monotonic() - started
    assert _api_calls(sb) == {}
    assert elapsed < 6.0, elapsed  # the code exchange, and the views
    print(f"\nFIGURES callback with 2 s Calendly latency, db backend: {elapsed:.2f}s")


def test_a_lost_task_is_repaired_by_the_periodic_run(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    mia, uma = members
    mia_conn, uma_conn = mia.connect(), uma.connect()
    DBTaskResult.objects.all().delete()  # the queue lost them (or their worker died)

    # Within the lease the tasks may still be waiting in a long queue: left alone.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CALENDLY_ACCESS_TOKEN = ""
    assert "subscription" not in _sync_all()
    assert not WebhookSubscription.objects.exists()

    _age(mia_conn, LEASE + timedelta(seconds=1))
    text = _sync_all()
    assert f"connection {mia_conn.pk} subscription: active (created" in text
    assert f"connection {uma_conn.pk} subscription" not in text
    assert "2 syncs enqueued, 1 webhook subscription tasks" in text
    assert _fresh(mia_conn).webhook_status == Status.ACTIVE
    assert _fresh(uma_conn).webhook_status == Status.PENDING
    assert list(WebhookSubscription.objects.values_list("connection_id", flat=True)) == [
        mia_conn.pk
    ]
    assert f"connection {mia_conn.pk} subscription" not in _sync_all()  # nothing more


def test_a_worker_killed_mid_task_leaves_a_claim_that_expires(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    """Killed after Calendly created the subscription and before its key was stored: the
    claim blocks other tasks for the lease only; then the repair replaces the subscription
    whose key is lost, and Calendly keeps one for the URL."""
    sb = calendly_sandbox
    settings.CALENDLY_WEBHOOK_URL, url = "", settings.CALENDLY_WEBHOOK_URL
    mia, _ = members
    conn = mia.connect()
    settings.CALENDLY_WEBHOOK_URL = url
    orphan = get_client(mia.user, background=True).webhooks.create(
        url=webhook_url_for(conn), events=["invitee.created"],
        organization=conn.organization, scope="user", user=conn.owner,
        signing_key="lost-with-the-worker",
    )
    CalendlyConnection.objects.filter(pk=conn.pk).update(
        webhook_status=Status.ENSURING, webhook_checked_at=timezone.now()
    )

    skipped = ensure_connection_subscription_task.enqueue(connection_id=conn.pk).return_value
    assert "another task" in skipped["skipped"]
    settings.CALENDLY_ACCESS_TOKEN = ""
    assert "subscription" not in _sync_all()  # a live claim: not repaired yet

    _age(conn, LEASE + timedelta(seconds=1))
    assert f"connection {conn.pk} subscription: active (created" in _sync_all()
    remote = remote_subscriptions(sb)
    assert len(remote) == 1 and remote[0]["uri"] != orphan["uri"]
    assert WebhookSubscription.objects.get(connection=conn).uri == remote[0]["uri"]
    mia.book()
    assert [d.status for d in sb.deliveries] == [202]  # verified with the stored key


def test_a_free_plan_refusal_is_recorded_and_retried_a_day_later(
    calendly_sandbox_factory: Any, settings: Any, live_server: Any, caplog: Any
) -> None:
    sb = calendly_sandbox_factory(plan="free")
    _point_at(settings, sb)
    mia = Member(sb, "member@sandbox.example", "mia")
    with caplog.at_level(logging.INFO):
        conn = mia.connect()
    fresh = _fresh(conn)
    assert fresh.webhook_status == Status.REFUSED
    assert "paid Calendly plan" in fresh.webhook_error
    for secret in (fresh.access_token, fresh.refresh_token):
        assert secret not in fresh.webhook_error and secret not in caplog.text
    assert "No webhook subscription for connection" in caplog.text
    assert mia.visible() == mia.hosted_in_sandbox()  # the connection works without it
    status = mia.browser.get("/modules/calendly/oauth/status/").json()
    assert status["connected"] is True and status["webhook"]["status"] == "refused"

    settings.CALENDLY_ACCESS_TOKEN = ""
    assert "subscription" not in _sync_all()  # asked again a day later, not every run
    sb.configure(plan="enterprise")  # upgraded meanwhile
    _age(conn, REFUSED_RETRY + timedelta(seconds=1))
    assert f"connection {conn.pk} subscription: active (created" in _sync_all()
    assert _fresh(conn).webhook_error == ""


def test_a_missing_scope_is_refused_before_any_call(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    sb = calendly_sandbox
    settings.CALENDLY_OAUTH_SCOPES = "users:read webhooks:write event_types:read"
    mia, _ = members
    sb.reset_stats()
    conn = mia.connect()
    fresh = _fresh(conn)
    assert fresh.webhook_status == Status.REFUSED
    assert "scheduled_events:read" in fresh.webhook_error
    assert not any("webhook" in op for op in _api_calls(sb))
    assert not remote_subscriptions(sb)


def test_calendly_failing_marks_it_failed_and_the_next_run_repairs(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    sb = calendly_sandbox
    settings.CALENDLY_MAX_RETRIES = 0
    settings.CALENDLY_CONNECTION_SYNC_SCOPE = "user"
    mia, _ = members
    settings.CALENDLY_WEBHOOK_URL, url = "", settings.CALENDLY_WEBHOOK_URL
    conn = mia.connect()
    settings.CALENDLY_WEBHOOK_URL = url

    sb.configure(error_rate=1.0)
    result = ensure_connection_subscription_task.enqueue(connection_id=conn.pk)
    assert str(result.status.value) == "FAILED"
    fresh = _fresh(conn)
    assert fresh.webhook_status == Status.FAILED
    assert fresh.webhook_error.startswith("ServerError")

    sb.configure(error_rate=0.0)
    settings.CALENDLY_ACCESS_TOKEN = ""
    assert f"connection {conn.pk} subscription: active" in _sync_all()
    assert _fresh(conn).webhook_status == Status.ACTIVE


def test_a_broken_queue_does_not_fail_the_callback(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any, caplog: Any
) -> None:
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    mia, _ = members
    with caplog.at_level(logging.ERROR):
        conn = mia.connect()  # asserts the 302
    assert "Could not enqueue the webhook subscription of connection" in caplog.text
    assert "Could not enqueue the first sync of connection" in caplog.text
    assert _fresh(conn).webhook_status == Status.PENDING  # repaired after the lease


def test_a_disconnected_or_broken_connection_is_skipped(
    calendly_sandbox: Any, members: tuple[Member, Member]
) -> None:
    mia, _ = members
    conn = mia.connect()
    CalendlyConnection.objects.filter(pk=conn.pk).update(last_error="refresh refused: x")
    value = ensure_connection_subscription_task.enqueue(connection_id=conn.pk).return_value
    assert "needs reconnecting" in value["skipped"]
    value = ensure_connection_subscription_task.enqueue(connection_id=conn.pk + 99).return_value
    assert value == {"skipped": f"connection {conn.pk + 99} no longer exists",
                     "connection": None}


def test_a_subscription_for_a_previous_calendly_account_is_forgotten(
    calendly_sandbox: Any, members: tuple[Member, Member]
) -> None:
    """The user connected another Calendly account (same connection row): the old
    account's subscription no longer verifies deliveries for this connection."""
    mia, _ = members
    conn = mia.connect()
    old = WebhookSubscription.objects.get(connection=conn)
    WebhookSubscription.objects.filter(pk=old.pk).update(user=old.user + "-previous")
    value = ensure_connection_subscription_task.enqueue(connection_id=conn.pk).return_value
    assert value["status"] == "active" and value["created"] is True
    assert list(WebhookSubscription.objects.values_list("user", flat=True)) == [conn.owner]


def _point_at(settings: Any, sb: Any) -> None:
    from django_calendly.services.clients import close_clients

    settings.CALENDLY_BASE_URL = sb.url
    settings.CALENDLY_ACCESS_TOKEN = sb.token
    settings.CALENDLY_AUTH_BASE_URL = sb.auth_url
    settings.CALENDLY_CLIENT_ID = sb.oauth_client_id
    settings.CALENDLY_CLIENT_SECRET = sb.oauth_client_secret
    close_clients()


def test_a_refresh_refused_during_the_sync_task_is_a_skip(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    from django_calendly.services import connections
    from django_calendly.sync.tasks import sync_connection_task

    settings.CALENDLY_WEBHOOK_URL = ""
    mia, _ = members
    conn = mia.connect()
    connections.oauth_client().refresh(conn.refresh_token)  # someone else used it
    CalendlyConnection.objects.filter(pk=conn.pk).update(expires_at=timezone.now())
    result = sync_connection_task.enqueue(connection_id=conn.pk)
    assert str(result.status.value) == "SUCCESSFUL"
    assert result.return_value["skipped"].startswith("refresh refused")
    assert _fresh(conn).last_error.startswith("refresh refused")


def test_sync_all_with_a_broken_queue_says_so(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    from django.core.management.base import CommandError

    mia, _ = members
    mia.connect()
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with pytest.raises(CommandError, match="Could not enqueue the syncs"):
        _sync_all()
