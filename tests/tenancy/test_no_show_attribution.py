"""``invitee_no_show.*`` deliveries are attributed to the connection whose subscription's key
verified them, like every other family: a connection that learned about an invitee only
through a no-show sees it (visibility goes through the invitee's event, so the event is
what records the connection)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from django_calendly.models import (
    CalendlyConnection,
    Invitee,
    ScheduledEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from django_calendly.services.visibility import local_scope, visible_events, visible_invitees
from django_calendly.services.webhooks import invalidate_signing_keys
from django_calendly.testing.deliveries import post_delivery

from ..webhooks import payloads as p

pytestmark = pytest.mark.django_db(transaction=True)

APP_KEY = "whsec-the-apps-own"
ADAM_KEY = "whsec-adams-subscription"
ADAM = f"{p.API}/users/ADAM"  # an admin: not the host of the meetings below
T2, T3 = "2026-01-02T10:00:00.000000Z", "2026-01-03T10:00:00.000000Z"


@pytest.fixture
def adam(settings: Any) -> CalendlyConnection:
    """Adam's connection, with an organization-scope subscription (its own key)."""
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = [APP_KEY]  # the app's own deliveries
    settings.CALENDLY_WEBHOOK_INSECURE = False
    settings.CALENDLY_ORGANIZATION = p.ORG
    settings.CALENDLY_APP_TOKEN_FALLBACK = "never"
    user = get_user_model().objects.create_user("adam")
    connection = CalendlyConnection.objects.create(
        user=user, owner=ADAM, organization=p.ORG, access_token="a", refresh_token="r",
        expires_at=timezone.now() + timedelta(hours=1), scope="",
    )
    WebhookSubscription.objects.create(
        uri=f"{p.API}/webhook_subscriptions/ADAM", callback_url="https://x/?connection=1",
        scope="organization", organization=p.ORG, signing_key=ADAM_KEY,
        connection=connection,
    )
    invalidate_signing_keys()
    yield connection
    invalidate_signing_keys()


def _sees(connection: CalendlyConnection) -> tuple[set[str], set[str]]:
    scope = local_scope(connection.user)
    return (
        set(visible_events(scope).values_list("uri", flat=True)),
        set(visible_invitees(scope).values_list("uri", flat=True)),
    )


def _post(client: Any, event: str, payload: dict[str, Any], key: str) -> None:
    assert post_delivery(client, event, payload, key).status_code == 202
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def _no_show(uuid: str, invitee_uri: str) -> dict[str, Any]:
    return {"uri": f"{p.API}/invitee_no_shows/{uuid}", "invitee": invitee_uri,
            "created_at": T2}


@pytest.fixture
def booked(client: Any, adam: CalendlyConnection) -> tuple[str, str]:
    """A member's booking the app's subscription delivered: Adam did not see it."""
    _post(client, "invitee.created", p.invitee("EV1", "INV1"), APP_KEY)
    assert _sees(adam) == (set(), set())
    return f"{p.API}/scheduled_events/EV1", p.invitee_uri("EV1", "INV1")


@pytest.mark.parametrize("event", ["invitee_no_show.created", "invitee_no_show.deleted"])
def test_the_no_show_resource_shape_is_attributed(
    client: Any, adam: CalendlyConnection, booked: tuple[str, str], event: str
) -> None:
    event_uri, invitee_uri = booked
    _post(client, event, _no_show("NS1", invitee_uri), ADAM_KEY)
    delivery = WebhookDelivery.objects.get(event=event)
    assert delivery.connection_id == adam.pk
    assert delivery.seen == {"calendly.ScheduledEvent": [event_uri]}
    assert _sees(adam) == ({event_uri}, {invitee_uri})
    row = ScheduledEvent.objects.get(uri=event_uri)
    assert row.seen_by_app is True  # the app's attribution stays
    assert list(row.seen_by.values_list("pk", flat=True)) == [adam.pk]


def test_the_invitee_shape_is_attributed(
    client: Any, adam: CalendlyConnection, booked: tuple[str, str]
) -> None:
    event_uri, invitee_uri = booked
    ns = {"uri": f"{p.API}/invitee_no_shows/NS2", "created_at": T2}
    _post(client, "invitee_no_show.created",
          p.invitee("EV1", "INV1", updated_at=T2, no_show=ns), ADAM_KEY)
    assert _sees(adam) == ({event_uri}, {invitee_uri})
    assert Invitee.objects.get().no_show == ns["uri"]


def test_an_invitee_not_mirrored_yet_is_attributed_through_its_event(
    client: Any, adam: CalendlyConnection, booked: tuple[str, str]
) -> None:
    """The event is mirrored but this invitee is not (yet): the event comes from the
    invitee's URI, and the invitee is visible once it arrives."""
    event_uri, _ = booked
    other = p.invitee_uri("EV1", "INV9")
    _post(client, "invitee_no_show.created", _no_show("NS9", other), ADAM_KEY)
    assert _sees(adam)[0] == {event_uri}
    _post(client, "invitee.created", p.invitee("EV1", "INV9", email="bo@example.com"),
          APP_KEY)
    assert other in _sees(adam)[1]
    assert Invitee.objects.get(uri=other).no_show == f"{p.API}/invitee_no_shows/NS9"


def test_a_no_show_delivered_twice_is_attributed_to_both_actors(
    client: Any, adam: CalendlyConnection, booked: tuple[str, str]
) -> None:
    """The app's organization subscription and Adam's both deliver the same no-show:
    processed once, attributed to both (the duplicate reads the delivery's ``seen``)."""
    event_uri, invitee_uri = booked
    ScheduledEvent.objects.filter(uri=event_uri).update(seen_by_app=False)
    payload = _no_show("NS1", invitee_uri)
    first = post_delivery(client, "invitee_no_show.created", payload, APP_KEY,
                          created_at=T3)
    assert first.status_code == 202
    assert _sees(adam) == (set(), set())
    again = post_delivery(client, "invitee_no_show.created", payload, ADAM_KEY,
                          created_at=T3)
    assert again.status_code == 200  # the duplicate
    assert _sees(adam) == ({event_uri}, {invitee_uri})
    assert ScheduledEvent.objects.get(uri=event_uri).seen_by_app is True
