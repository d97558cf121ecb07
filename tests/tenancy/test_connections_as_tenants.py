"""Many Calendly accounts over real HTTP: two Django users connect two sandbox members
through the OAuth flow; each connection gets its own webhook subscription (delivering to a
live receiver) and its own sync, and each user sees only what their account saw."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from django_calendly import signals
from django_calendly.models import (
    CalendlyConnection,
    EventType,
    Invitee,
    ScheduledEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from django_calendly.services import connections
from django_calendly.services.clients import get_client

from .members import Member, parse_time, remote_subscriptions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tenancy_settings"),
]



@pytest.fixture
def members(calendly_sandbox: Any) -> tuple[Member, Member]:
    return (
        Member(calendly_sandbox, "member@sandbox.example", "mia"),
        Member(calendly_sandbox, "uma@sandbox.example", "uma"),
    )


class Received:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self._hooks = []
        for name in ("calendly_connected", "calendly_disconnected",
                     "calendly_reconnect_required"):
            def receiver(sender: Any, _name: str = name, **kwargs: Any) -> None:
                self.calls.append((_name, kwargs["connection"]))

            getattr(signals, name).connect(receiver, weak=False)
            self._hooks.append((getattr(signals, name), receiver))

    def names(self) -> list[str]:
        return [n for n, _ in self.calls]

    def close(self) -> None:
        for signal, receiver in self._hooks:
            signal.disconnect(receiver)


@pytest.fixture
def received() -> Any:
    rec = Received()
    yield rec
    rec.close()


def test_two_connections_each_see_their_own_meetings(
    calendly_sandbox: Any, members: tuple[Member, Member], received: Received
) -> None:
    sb = calendly_sandbox
    mia, uma = members
    mia_conn, uma_conn = mia.connect(), uma.connect()
    assert received.names() == ["calendly_connected", "calendly_connected"]

    # Each connection has its own user-scope subscription, with its own key and URL.
    remote = remote_subscriptions(sb)
    assert sorted(w["user"] for w in remote) == sorted([mia.uri, uma.uri])
    assert all(w["scope"] == "user" for w in remote)
    local = {s.connection_id: s for s in WebhookSubscription.objects.all()}
    assert set(local) == {mia_conn.pk, uma_conn.pk}
    assert local[mia_conn.pk].signing_key != local[uma_conn.pk].signing_key
    assert local[mia_conn.pk].callback_url != local[uma_conn.pk].callback_url

    # The first sync ran on connect (Immediate backend), with each connection's token.
    assert mia.visible() == mia.hosted_in_sandbox()
    assert uma.visible() == uma.hosted_in_sandbox()

    # Bookings on either account arrive by webhook, attributed to the right connection.
    mia_booking, uma_booking = mia.book(), uma.book()
    assert [d.status for d in sb.deliveries] == [202, 202]
    by_event = {d.resource_uri: d.connection_id for d in WebhookDelivery.objects.all()}
    assert by_event == {mia_booking["uri"]: mia_conn.pk, uma_booking["uri"]: uma_conn.pk}
    mia_event = ScheduledEvent.objects.get(uri=mia_booking["event"])
    assert list(mia_event.seen_by.values_list("pk", flat=True)) == [mia_conn.pk]
    assert mia_event.seen_by_app is False
    assert Invitee.objects.filter(uri=mia_booking["uri"]).exists()

    assert mia_booking["event"] in mia.visible()
    assert uma_booking["event"] in uma.visible()
    assert not mia.visible() & uma.visible()
    assert mia.visible() == mia.hosted_in_sandbox()


def test_sync_all_fills_every_connection_and_the_app(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    mia, uma = members
    settings.CALENDLY_WEBHOOK_URL = ""  # syncs only
    mia_conn, uma_conn = mia.connect(), uma.connect()
    uma.book()  # Uma has no seeded meetings
    ScheduledEvent.objects.all().delete()
    EventType.objects.all().delete()

    out = StringIO()
    call_command("calendly_sync", "--all", stdout=out)
    text = out.getvalue()
    assert f"connection {mia_conn.pk}: events" in text
    assert f"connection {uma_conn.pk}: events" in text
    assert "app token: events" in text and "3 syncs enqueued" in text

    assert mia.visible() == mia.hosted_in_sandbox() != set()
    assert uma.visible() == uma.hosted_in_sandbox() != set()
    # One row per Calendly event, seen by its member's connection and by the app.
    some = ScheduledEvent.objects.get(uri=next(iter(mia.hosted_in_sandbox())))
    assert some.seen_by_app is True
    assert list(some.seen_by.values_list("pk", flat=True)) == [mia_conn.pk]
    assert EventType.objects.filter(uri=mia.event_type, seen_by=mia_conn).exists()

    # A connection awaiting a reconnect is not synced.
    CalendlyConnection.objects.filter(pk=uma_conn.pk).update(last_error="refresh refused")
    out = StringIO()
    call_command("calendly_sync", "--all", stdout=out)
    assert f"connection {uma_conn.pk}" not in out.getvalue()

    out = StringIO()
    call_command("calendly_sync", "--connection", str(mia_conn.pk), "--no-progress", stdout=out)
    assert "finished" in out.getvalue()


def test_disconnect_removes_the_subscription_and_keeps_or_purges_rows(
    calendly_sandbox: Any, members: tuple[Member, Member], received: Received, settings: Any
) -> None:
    sb = calendly_sandbox
    mia, uma = members
    mia_conn, uma_conn = mia.connect(), uma.connect()
    uma_booking = uma.book()
    uma_rows = uma.hosted_in_sandbox()
    assert uma_booking["event"] in uma_rows

    settings.CALENDLY_DISCONNECT_PURGE = True
    assert uma.browser.post("/modules/calendly/oauth/disconnect/").status_code == 200
    assert received.names()[-1] == "calendly_disconnected"
    assert [w["user"] for w in remote_subscriptions(sb)] == [mia.uri]
    assert list(WebhookSubscription.objects.values_list("connection_id", flat=True)) == [
        mia_conn.pk
    ]
    # Purged: what only Uma's connection saw; Mia's rows stay.
    assert not ScheduledEvent.objects.filter(uri__in=uma_rows).exists()
    assert not Invitee.objects.filter(uri=uma_booking["uri"]).exists()
    assert mia.visible() == mia.hosted_in_sandbox()

    # A booking on the disconnected account is not delivered any more.
    before, stored = len(sb.deliveries), WebhookDelivery.objects.count()
    uma.book()
    assert len(sb.deliveries) == before and WebhookDelivery.objects.count() == stored
    assert not CalendlyConnection.objects.filter(pk=uma_conn.pk).exists()


def test_disconnect_keeps_rows_by_default(
    calendly_sandbox: Any, members: tuple[Member, Member]
) -> None:
    mia, _ = members
    mia.connect()
    rows = mia.hosted_in_sandbox()
    assert mia.browser.post("/modules/calendly/oauth/disconnect/").status_code == 200
    assert ScheduledEvent.objects.filter(uri__in=rows).count() == len(rows)
    assert not WebhookSubscription.objects.exists()
    assert mia.visible() == set()  # no connection: nothing (not staff)


def test_a_refused_refresh_retires_the_connection(
    calendly_sandbox: Any, members: tuple[Member, Member], received: Received
) -> None:
    sb = calendly_sandbox
    mia, uma = members
    conn = mia.connect()
    uma.connect()
    connections.oauth_client().refresh(conn.refresh_token)  # someone else used it
    CalendlyConnection.objects.filter(pk=conn.pk).update(expires_at=timezone.now())
    with pytest.raises(connections.ConnectionError):
        get_client(mia.user)
    assert received.names()[-1] == "calendly_reconnect_required"
    assert received.calls[-1][1].pk == conn.pk
    # Its subscription is gone at the sandbox (the access token still allowed it) and here.
    assert [w["user"] for w in remote_subscriptions(sb)] == [uma.uri]
    assert not WebhookSubscription.objects.filter(connection=conn).exists()


def test_one_event_seen_by_two_connections_is_one_row_visible_to_both(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    """An admin connection syncing at organization scope and a member's connection see the
    member's meeting: one row, seen by both; the member still sees only their own."""
    sb = calendly_sandbox
    settings.CALENDLY_WEBHOOK_URL = ""
    settings.CALENDLY_CONNECTION_SYNC_SCOPE = "organization"
    mia, _ = members
    adam = Member(sb, "admin@sandbox.example", "adam")
    booking = mia.book()
    mia_conn, adam_conn = mia.connect(), adam.connect()

    row = ScheduledEvent.objects.get(uri=booking["event"])
    assert set(row.seen_by.values_list("pk", flat=True)) == {mia_conn.pk, adam_conn.pk}
    assert ScheduledEvent.objects.filter(uri=booking["event"]).count() == 1
    assert booking["event"] in mia.visible() and booking["event"] in adam.visible()
    with sb.store.lock:
        whole_org = {
            e["uri"] for e in sb.store.events.values()
            if parse_time(e["start_time"]) >= timezone.now() - timedelta(days=30)
            and parse_time(e["start_time"]) < timezone.now() + timedelta(days=365)
        }
    assert adam.visible() == whole_org  # the admin's organization-scope sync saw it all
    assert mia.visible() == mia.hosted_in_sandbox()  # a member's is still user scope


def test_the_admin_shows_each_staff_user_what_visibility_allows(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    settings.CALENDLY_WEBHOOK_URL = ""
    settings.CALENDLY_APP_TOKEN_FALLBACK = "never"  # staff act with their own connection
    mia, uma = members
    uma.book()
    mia.connect(), uma.connect()
    get_user_model().objects.filter(pk=mia.user.pk).update(is_staff=True)
    from django.contrib.auth.models import Permission

    mia.user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    page = mia.browser.get("/admin/calendly/scheduledevent/")
    assert page.status_code == 200
    own, total = len(mia.hosted_in_sandbox()), ScheduledEvent.objects.count()
    assert 0 < own < total
    assert re.search(rf"\b{own} scheduled event", page.content.decode())

    root = get_user_model().objects.create_superuser("root", password="pw")
    admin = Client()
    admin.force_login(root)
    everything = admin.get("/admin/calendly/scheduledevent/").content.decode()
    assert re.search(rf"\b{total} scheduled event", everything)


def test_purge_keeps_rows_another_connection_saw(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    settings.CALENDLY_WEBHOOK_URL = ""
    settings.CALENDLY_CONNECTION_SYNC_SCOPE = "organization"
    settings.CALENDLY_DISCONNECT_PURGE = True
    mia, _ = members
    adam = Member(calendly_sandbox, "admin@sandbox.example", "adam")
    booking = mia.book()
    mia.connect(), adam.connect()
    only_adam = adam.visible() - mia.visible()
    assert only_adam and booking["event"] not in only_adam

    assert adam.browser.post("/modules/calendly/oauth/disconnect/").status_code == 200
    assert not ScheduledEvent.objects.filter(uri__in=only_adam).exists()
    assert ScheduledEvent.objects.filter(uri=booking["event"]).exists()
    assert Invitee.objects.filter(uri=booking["uri"]).exists()
    assert mia.visible() == mia.hosted_in_sandbox()


def test_one_webhook_through_the_app_and_a_connection_is_processed_once_seen_by_both(
    calendly_sandbox: Any, members: tuple[Member, Member], live_server: Any,
    recorder: Any,
) -> None:
    """The app's organization subscription and Mia's user subscription both deliver her
    booking: one delivery is processed (one signal), the other is attributed only."""
    sb = calendly_sandbox
    mia, _ = members
    conn = mia.connect()
    call_command(  # the app's own subscription, at the receiver's other URL
        "calendly_webhooks", "ensure", "--url",
        f"{live_server.url}/modules/calendly/webhook-url/", stdout=StringIO(),
    )
    assert WebhookSubscription.objects.get(connection=None).scope == "organization"
    booking = mia.book()
    assert sorted(d.status for d in sb.deliveries) == [200, 202]  # 200: the duplicate
    delivery = WebhookDelivery.objects.get(resource_uri=booking["uri"])
    assert {delivery.connection_id, *delivery.viewers} == {conn.pk, None}
    row = ScheduledEvent.objects.get(uri=booking["event"])
    assert row.seen_by_app is True
    assert list(row.seen_by.values_list("pk", flat=True)) == [conn.pk]
    assert len(recorder.of("invitee_created")) == 1


def test_an_admin_connection_subscribes_at_organization_scope_when_told(
    calendly_sandbox: Any, members: tuple[Member, Member], settings: Any
) -> None:
    settings.CALENDLY_CONNECTION_WEBHOOK_SCOPE = "organization"
    mia, _ = members
    adam = Member(calendly_sandbox, "admin@sandbox.example", "adam")
    adam_conn, mia_conn = adam.connect(), mia.connect()
    scopes = dict(WebhookSubscription.objects.values_list("connection_id", "scope"))
    assert scopes == {adam_conn.pk: "organization", mia_conn.pk: "user"}  # a member: user
    adam.connect()  # connecting again keeps the same subscription
    assert WebhookSubscription.objects.filter(connection=adam_conn).count() == 1
    assert len(remote_subscriptions(calendly_sandbox)) == 2

    booking = mia.book()  # delivered to both: Adam's covers the organization
    row = ScheduledEvent.objects.get(uri=booking["event"])
    assert set(row.seen_by.values_list("pk", flat=True)) == {adam_conn.pk, mia_conn.pk}
    assert booking["event"] in adam.visible() and booking["event"] in mia.visible()


def test_a_bad_scope_setting_is_refused_naming_it(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from django_calendly.conf import calendly_settings

    settings.CALENDLY_CONNECTION_SYNC_SCOPE = "everything"
    with pytest.raises(ImproperlyConfigured, match="CALENDLY_CONNECTION_SYNC_SCOPE"):
        _ = calendly_settings.CONNECTION_SYNC_SCOPE
