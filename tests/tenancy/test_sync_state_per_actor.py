"""A sync's state belongs to its actor: a connection syncing user X and the app's token
syncing X keep their own progress, window, resume token and error, and neither stops the
other as "already running"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from django_calendly.models import (
    CalendlyConnection,
    ScheduledEvent,
    SyncState,
    WebhookSubscription,
)
from django_calendly.services.sync import (
    invalidate_app_organization,
    local_organization,
    sync_scheduled_events,
)
from django_calendly.services.tenancy import sync_connection
from django_calendly.sync.engine import SyncActorGone, SyncAlreadyRunning, SyncEngine, SyncOptions

from .members import Member
from .test_connections_as_tenants import members as members

pytestmark = pytest.mark.django_db(transaction=True)

USER = "https://api.calendly.com/users/X"


@pytest.fixture
def no_webhooks(settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_URL = ""


def _connection(username: str = "cleo", owner: str = USER) -> CalendlyConnection:
    user = get_user_model().objects.create_user(username)
    return CalendlyConnection.objects.create(
        user=user, owner=owner, organization="https://api.calendly.com/organizations/O",
        access_token="a", refresh_token="r", expires_at=timezone.now() + timedelta(hours=1),
    )


def _state(connection: CalendlyConnection | None, scope_uri: str) -> SyncState:
    return SyncState.objects.get(scope="user", scope_uri=scope_uri, connection=connection)


def test_a_connection_and_the_app_syncing_one_user_keep_separate_state(
    calendly_sandbox: Any, members: tuple[Member, Member], no_webhooks: None
) -> None:
    mia, _ = members
    conn = mia.connect()  # its first sync: the connection's own row
    mine = _state(conn, mia.uri)
    assert mine.status == SyncState.Status.SUCCEEDED
    # Leave it as an interrupted run would: its window, resume point and error.
    window = (timezone.now() - timedelta(days=3), timezone.now() + timedelta(days=9))
    SyncState.objects.filter(pk=mine.pk).update(
        status=SyncState.Status.FAILED, resume_token="connection-page-2",
        window_start=window[0], window_end=window[1], last_error="Calendly said 503",
    )

    since, until = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=60)
    stats = sync_scheduled_events(user=mia.uri, since=since, until=until)  # the app's token
    assert stats.events > 0 and not stats.resumed  # not the connection's resume point
    app = _state(None, mia.uri)
    assert app.status == SyncState.Status.SUCCEEDED
    assert (app.window_start, app.window_end) == (since, until)
    assert app.resume_token == "" and app.last_error == ""

    mine.refresh_from_db()
    assert mine.status == SyncState.Status.FAILED
    assert mine.resume_token == "connection-page-2"
    assert (mine.window_start, mine.window_end) == window
    assert mine.last_error == "Calendly said 503"
    assert SyncState.objects.count() == 2


def test_one_actor_running_does_not_stop_the_other(
    calendly_sandbox: Any, members: tuple[Member, Member], no_webhooks: None
) -> None:
    mia, _ = members
    conn = mia.connect()
    running = {"status": SyncState.Status.RUNNING, "last_started_at": timezone.now()}
    SyncState.objects.filter(connection=conn).update(**running)
    assert sync_scheduled_events(user=mia.uri).events > 0  # the app's token runs
    with pytest.raises(SyncAlreadyRunning, match=f"by connection {conn.pk}"):
        sync_connection(conn)  # the same actor still does not run twice

    SyncState.objects.filter(connection=conn).update(status=SyncState.Status.SUCCEEDED)
    SyncState.objects.filter(connection=None).update(**running)
    assert sync_connection(conn).events > 0
    with pytest.raises(SyncAlreadyRunning, match="by the app's token"):
        sync_scheduled_events(user=mia.uri)


def test_the_database_enforces_one_row_per_scope_and_actor() -> None:
    """Both conditional constraints, on SQLite and PostgreSQL (NULL connections included:
    a plain unique constraint would let two app rows through)."""
    cleo, dan = _connection(), _connection("dan")
    for actor in (None, cleo, dan):
        SyncState.objects.create(scope="user", scope_uri=USER, connection=actor)
    for actor in (None, cleo):
        with pytest.raises(IntegrityError), transaction.atomic():
            SyncState.objects.create(scope="user", scope_uri=USER, connection=actor)
    SyncState.objects.create(scope="organization", scope_uri=USER)  # another scope
    assert SyncState.objects.count() == 4


def test_a_disconnected_connection_takes_its_sync_state_along() -> None:
    cleo = _connection()
    SyncState.objects.create(scope="user", scope_uri=USER, connection=cleo)
    SyncState.objects.create(scope="user", scope_uri=USER)
    cleo.delete()
    assert list(SyncState.objects.values_list("connection", flat=True)) == [None]


def test_the_app_organization_comes_from_the_app_token_only(settings: Any) -> None:
    """Connections may belong to other organizations: their syncs and subscriptions do
    not decide which organization staff acting with the app's token see."""
    settings.CALENDLY_ORGANIZATION = ""
    ours, theirs = (
        "https://api.calendly.com/organizations/OURS",
        "https://api.calendly.com/organizations/THEIRS",
    )
    cleo = _connection()
    WebhookSubscription.objects.create(
        uri="https://api.calendly.com/webhook_subscriptions/W1", callback_url="https://x/",
        scope="organization", organization=theirs, connection=cleo,
    )
    invalidate_app_organization()
    assert local_organization() == ""  # only a connection's subscription: not the app's
    SyncState.objects.create(
        scope="organization", scope_uri=ours, last_started_at=timezone.now() - timedelta(1)
    )
    SyncState.objects.create(
        scope="organization", scope_uri=theirs, connection=cleo, last_started_at=timezone.now()
    )
    invalidate_app_organization()
    assert local_organization() == ours


def test_the_admin_lists_each_state_with_its_actor() -> None:
    cleo = _connection()
    SyncState.objects.create(scope="user", scope_uri=USER, connection=cleo)
    SyncState.objects.create(scope="user", scope_uri=USER)
    root = get_user_model().objects.create_superuser("root", password="pw")
    browser = Client()
    browser.force_login(root)
    page = browser.get("/admin/calendly/syncstate/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "app token" in text and str(cleo).replace(">", "&gt;") in text
    detail = browser.get(f"/admin/calendly/syncstate/{cleo.sync_states.get().pk}/change/")
    assert detail.status_code == 200
    assert browser.get("/admin/calendly/syncstate/?connection__isempty=1").status_code == 200


def test_a_disconnect_during_the_connections_sync_stops_it_cleanly(
    calendly_sandbox: Any, members: tuple[Member, Member], no_webhooks: None
) -> None:
    """Its state went with the connection: the sync stops at the next page (rolled back,
    its rows attributed to nobody) instead of inserting a state row for a deleted
    connection and failing on the foreign key."""
    mia, _ = members
    conn = mia.connect()
    SyncState.objects.all().delete()
    ScheduledEvent.objects.all().delete()

    def disconnect_once(stats: Any) -> None:  # after the event types, before the events
        if stats.stage == "event types" and CalendlyConnection.objects.exists():
            CalendlyConnection.objects.filter(pk=conn.pk).delete()

    with pytest.raises(SyncActorGone, match=f"Connection {conn.pk} was disconnected"):
        sync_connection(conn, progress=disconnect_once)
    assert not SyncState.objects.exists()
    assert not ScheduledEvent.objects.exists()  # the page was rolled back


def test_the_sync_task_of_a_connection_disconnected_at_its_start_is_a_skip(
    calendly_sandbox: Any, members: tuple[Member, Member], no_webhooks: None
) -> None:
    mia, _ = members
    conn = mia.connect()
    pk = conn.pk
    conn.delete()
    engine = SyncEngine(None, SyncOptions(scope="user", scope_uri=mia.uri, connection_id=pk))
    with pytest.raises(SyncActorGone, match="no longer exists"):
        engine.run()
    assert not SyncState.objects.exists()
