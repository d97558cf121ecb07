"""End to end over real HTTP: subscribe through the app, act in the sandbox, and watch the
sandbox's signed deliveries reach the running example server and update the mirror."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from django_calendly.models import (
    Invitee,
    InviteeNoShow,
    ScheduledEvent,
    WebhookDelivery,
    WebhookSubscription,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _organization_from_the_token(settings: Any) -> None:
    settings.CALENDLY_ORGANIZATION = ""  # found with users.me() from the sandbox's token


def remote_to(url: str) -> list[dict[str, Any]]:
    """Calendly's (the sandbox's) subscriptions delivering to ``url``, through the API."""
    from django_calendly.services.webhooks import list_subscriptions

    return [s for s in list_subscriptions() if s["callback_url"] == url]


def ensure(url: str, *extra: str) -> str:
    out = StringIO()
    call_command("calendly_webhooks", "ensure", "--url", url, *extra, stdout=out)
    return out.getvalue()


def test_book_cancel_reschedule_no_show_over_http(
    live_server: Any, calendly_sandbox: Any, recorder: Any, settings: Any
) -> None:
    sb = calendly_sandbox
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []  # only the key `ensure` creates
    url = f"{live_server.url}/modules/calendly/webhook/"

    assert "Created" in ensure(url)
    assert "Kept" in ensure(url)  # idempotent: the same subscription is reused
    local = WebhookSubscription.objects.get()
    assert local.callback_url == url and len(local.signing_key) >= 32
    assert len(remote_to(url)) == 1

    booked = sb.book(email="ada@example.com")
    canceled_one = sb.book(email="bob@example.com")
    sb.cancel_invitee(canceled_one["uri"], reason="sick")
    moving = sb.book(email="cy@example.com")
    old, new = sb.reschedule(moving["uri"])
    no_show = sb.mark_no_show(booked["uri"])
    assert all(d.status == 202 for d in sb.deliveries), [(d.event, d.status) for d in sb.deliveries]

    assert WebhookDelivery.objects.filter(status="succeeded").count() == len(sb.deliveries) == 7
    ada = Invitee.objects.get(uri=booked["uri"])
    assert ada.status == "active" and ada.no_show == no_show["uri"]
    assert ada.scheduled_event is not None
    assert ada.scheduled_event.organization == sb.organization_uri
    assert Invitee.objects.get(uri=canceled_one["uri"]).status == "canceled"
    assert ScheduledEvent.objects.get(uri=canceled_one["event"]).status == "canceled"
    old_row, new_row = Invitee.objects.get(uri=old["uri"]), Invitee.objects.get(uri=new["uri"])
    assert (old_row.status, old_row.rescheduled, old_row.new_invitee) == (
        "canceled", True, new["uri"]
    )
    assert new_row.old_invitee == old["uri"] and new_row.status == "active"
    assert InviteeNoShow.objects.get().invitee == booked["uri"]

    assert len(recorder.of("invitee_created")) == 4
    assert len(recorder.of("invitee_canceled")) == 2
    [pair] = recorder.of("invitee_rescheduled")
    assert (pair.old.uri, pair.new.uri) == (old["uri"], new["uri"])
    assert [e.uri for e in recorder.of("invitee_no_show_created")] == [no_show["uri"]]

    sb.unmark_no_show(no_show["uri"])
    assert Invitee.objects.get(uri=booked["uri"]).no_show == ""
    assert len(recorder.of("invitee_no_show_deleted")) == 1
    assert len(recorder.of("webhook_received")) == 8


def test_ensure_replaces_a_subscription_without_a_known_key(
    live_server: Any, calendly_sandbox: Any, settings: Any
) -> None:
    from django_calendly.services.clients import get_client

    url = f"{live_server.url}/modules/calendly/webhook/"
    me = get_client().users.me()
    foreign = get_client().webhooks.create(
        url=url, events=["invitee.created"], organization=me["current_organization"],
        scope="organization", signing_key="someone-elses-key",
    )
    output = ensure(url, "--events", "invitee.created", "invitee.canceled")
    assert f"Deleted {foreign['uri']}" in output
    remote = remote_to(url)
    assert len(remote) == 1 and remote[0]["uri"] != foreign["uri"]
    out = StringIO()
    call_command("calendly_webhooks", "list", stdout=out)
    assert "key held" in out.getvalue()
    call_command("calendly_webhooks", "delete", remote[0]["uri"].rsplit("/", 1)[1], stdout=out)
    assert not WebhookSubscription.objects.exists()
    assert not remote_to(url)


def test_ensure_reads_the_token_user_once(calendly_sandbox: Any) -> None:
    from django_calendly.services.webhooks import ensure_subscription

    calendly_sandbox.reset_stats()
    ensure_subscription("https://example.com/modules/calendly/webhook/")
    assert calendly_sandbox.stats()["requests"]["GET /users/me"] == 1


def test_ensure_says_when_the_plan_forbids_webhooks(
    calendly_sandbox_factory: Any, settings: Any
) -> None:
    from django_calendly.services.clients import close_clients

    sb = calendly_sandbox_factory(plan="free")
    settings.CALENDLY_BASE_URL = sb.url
    settings.CALENDLY_ACCESS_TOKEN = sb.token
    close_clients()
    try:
        with pytest.raises(CommandError, match="paid Calendly plan"):
            ensure("https://example.com/modules/calendly/webhook/")
    finally:
        close_clients()


def test_replay_command(client: Any, settings: Any) -> None:
    from django_calendly import signals
    from django_calendly.testing.deliveries import post_delivery

    from . import payloads
    from .conftest import KEY

    def boom(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("nope")

    signals.invitee_created.connect(boom, weak=False)
    try:
        post_delivery(client, "invitee.created", payloads.invitee("EV1", "INV1"), KEY)
    finally:
        signals.invitee_created.disconnect(boom)
    assert WebhookDelivery.objects.get().status == "failed"
    out = StringIO()
    call_command("calendly_webhooks", "replay", "--failed", stdout=out)
    assert "1 succeeded" in out.getvalue()
    assert WebhookDelivery.objects.get().status == "succeeded"
    with pytest.raises(CommandError):
        call_command("calendly_webhooks", "replay")


def test_user_scope_subscription_delivers(
    live_server: Any, calendly_sandbox: Any, recorder: Any
) -> None:
    url = f"{live_server.url}/modules/calendly/webhook-url/"
    assert "Created" in ensure(url, "--scope", "user")
    [remote] = remote_to(url)
    assert remote["scope"] == "user" and remote["user"] == calendly_sandbox.user_uri
    assert "Kept" in ensure(url, "--scope", "user")
    booked = calendly_sandbox.book()
    assert Invitee.objects.get(uri=booked["uri"]).status == "active"
    assert len(recorder.of("invitee_created")) == 1
