"""The admin: delivery log with readable JSON and a replay action that really reprocesses;
read-only mirror with search; subscriptions without their keys."""

from __future__ import annotations

from typing import Any

import pytest

from django_calendly import signals
from django_calendly.models import Invitee, WebhookDelivery, WebhookSubscription
from django_calendly.testing.deliveries import post_delivery

from . import payloads
from .conftest import KEY

pytestmark = pytest.mark.django_db


def test_delivery_pages_and_replay_action(client: Any, admin_client: Any) -> None:
    def boom(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("nope")

    signals.invitee_created.connect(boom, weak=False)
    try:
        post_delivery(client, "invitee.created", payloads.invitee("EV1", "INV1"), KEY)
    finally:
        signals.invitee_created.disconnect(boom)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"

    base = "/admin/calendly/webhookdelivery/"
    page = admin_client.get(base, {"status__exact": "failed", "q": "INV1"})
    assert page.status_code == 200 and b"invitee.created" in page.content
    detail = admin_client.get(f"{base}{delivery.pk}/change/")
    assert detail.status_code == 200
    assert b"&quot;email&quot;: &quot;ada@example.com&quot;" in detail.content  # pretty JSON
    response = admin_client.post(
        base, {"action": "replay_selected", "_selected_action": [delivery.pk]}, follow=True
    )
    assert b"1 succeeded" in response.content
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert Invitee.objects.get().status == "active"


def test_mirror_is_read_only_and_searchable(client: Any, admin_client: Any) -> None:
    post_delivery(client, "invitee.created", payloads.invitee("EV1", "INV1"), KEY)
    for name in ("invitee", "scheduledevent", "eventtype", "inviteenoshow",
                 "routingformsubmission"):
        assert admin_client.get(f"/admin/calendly/{name}/", {"q": "x"}).status_code == 200
    page = admin_client.get("/admin/calendly/invitee/", {"q": "ada@"})
    assert b"ada@example.com" in page.content
    invitee = Invitee.objects.get()
    detail = admin_client.get(f"/admin/calendly/invitee/{invitee.pk}/change/")
    assert detail.status_code == 200 and b"Ada Lovelace" in detail.content
    assert b"Calendly data" in detail.content  # the pretty-printed JSON, read-only
    assert admin_client.get("/admin/calendly/invitee/add/").status_code == 403


def test_subscription_admin_hides_the_key(admin_client: Any) -> None:
    sub = WebhookSubscription.objects.create(
        uri="https://api.calendly.com/webhook_subscriptions/S1",
        callback_url="https://example.com/hook/", scope="organization",
        organization=payloads.ORG, signing_key="very-secret-signing-key",
    )
    page = admin_client.get(f"/admin/calendly/webhooksubscription/{sub.pk}/change/")
    assert page.status_code == 200
    assert b"very-secret-signing-key" not in page.content
    assert b"signing key stored" in page.content.lower()


def test_viewers_cannot_replay(client: Any) -> None:
    from django.contrib.auth.models import Permission, User

    post_delivery(client, "invitee.created", payloads.invitee("EV9", "INV9"), KEY)
    delivery = WebhookDelivery.objects.get()
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    client.force_login(viewer)
    base = "/admin/calendly/webhookdelivery/"
    page = client.get(base)
    assert page.status_code == 200
    assert b"replay_selected" not in page.content
    attempts = delivery.attempts
    client.post(base, {"action": "replay_selected", "_selected_action": [delivery.pk]})
    assert WebhookDelivery.objects.get().attempts == attempts


def test_connection_list_reads_the_users_in_the_same_query(
    admin_client: Any, django_user_model: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from django_calendly.models import CalendlyConnection

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/admin/calendly/calendlyconnection/").status_code == 200
        return len(captured)

    def connect(n: int) -> None:
        CalendlyConnection.objects.create(
            user=django_user_model.objects.create_user(f"user{n}"),
            owner=f"{payloads.API}/users/U{n}", access_token="a", refresh_token="r",
            expires_at=timezone.now(),
        )

    connect(1)
    one = page_queries()
    for n in range(2, 6):
        connect(n)
    assert page_queries() == one  # no query per row for its user
