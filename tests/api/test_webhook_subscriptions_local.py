"""Webhook subscriptions made through the REST API are recorded locally, so the receiver
verifies their deliveries; deleting one through the REST API makes its key refused.

Over real HTTP to the sandbox (deliveries recorded, not sent); the sandbox's signed
delivery is then posted to the receiver with Django's test client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection
from rest_framework.test import APIClient

from django_calendly.client import errors as calendly_errors
from django_calendly.models import WebhookSubscription
from django_calendly.services import webhooks
from django_calendly.services.clients import get_client
from django_calendly.testing.deliveries import DEFAULT_URL, signed_delivery

from .conftest import assert_error
from .world import BASE, last

pytestmark = pytest.mark.django_db

CREATE = BASE + "webhook/subscription/"


@pytest.fixture(autouse=True)
def _only_subscription_keys(settings: Any) -> Iterator[None]:
    """The receiver accepts only the keys of recorded subscriptions."""
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []
    settings.CALENDLY_WEBHOOK_INSECURE = False
    webhooks.invalidate_signing_keys()
    yield
    webhooks.invalidate_signing_keys()


def _body(sb: Any, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://hooks.example.com/{name}",
        "events": ["invitee.created", "invitee.canceled"],
        "organization": sb.organization_uri,
        "scope": "organization",
        **extra,
    }


def _create(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(CREATE, body, format="json")
    assert response.status_code == 201, response.content
    resource: dict[str, Any] = response.json()["resource"]
    assert "signing_key" not in resource
    return resource


def _stored_column(uri: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT signing_key FROM calendly_webhooksubscription WHERE uri = %s", [uri])
        return str(cursor.fetchone()[0])


def _post_to_receiver(client: Any, body: bytes, headers: dict[str, str]) -> Any:
    return client.post(
        DEFAULT_URL, data=body, content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )


def _delivery_for(sb: Any, subscription_uri: str) -> Any:
    [delivery] = [d for d in sb.deliveries if d.subscription == subscription_uri]
    return delivery


def test_create_without_key_records_a_fresh_key_that_the_receiver_accepts(
    sb: Any, api: APIClient, client: Any
) -> None:
    hook = _create(api, _body(sb, "no-key"))
    row = WebhookSubscription.objects.get(uri=hook["uri"])
    assert (row.callback_url, row.scope, row.organization, row.state) == (
        "https://hooks.example.com/no-key", "organization", sb.organization_uri, "active"
    )
    assert sorted(row.events) == ["invitee.canceled", "invitee.created"]
    assert len(row.signing_key) >= 32
    assert sb.store.webhook_keys[last(hook["uri"])] == row.signing_key  # sent to Calendly
    assert row.signing_key not in _stored_column(hook["uri"])  # encrypted at rest

    invitee = sb.book()
    delivery = _delivery_for(sb, hook["uri"])
    response = _post_to_receiver(client, delivery.body, delivery.headers)
    assert response.status_code == 202, response.content
    assert response.json()["duplicate"] is False
    assert invitee["uri"] in delivery.body.decode()


def test_a_key_the_caller_chose_is_sent_but_not_accepted_by_our_receiver(
    sb: Any, api: APIClient, client: Any, settings: Any
) -> None:
    # The receiver accepts every stored key for every delivery: storing a caller-chosen key
    # would let whoever chose it forge deliveries. It must be configured explicitly.
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = ["another-key"]
    hook = _create(api, _body(sb, "explicit", signing_key="my-own-signing-key"))
    assert WebhookSubscription.objects.get(uri=hook["uri"]).signing_key == ""
    assert sb.store.webhook_keys[last(hook["uri"])] == "my-own-signing-key"
    forged, headers = signed_delivery(
        "invitee.created", {"uri": f"{sb.url}/scheduled_events/E/invitees/FORGED"},
        "my-own-signing-key",
    )
    assert _post_to_receiver(client, forged, headers).status_code == 403
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = ["another-key", "my-own-signing-key"]
    assert _post_to_receiver(client, forged, headers).status_code == 202


def test_delete_forgets_the_key(sb: Any, api: APIClient, client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = ["another-key"]  # keys remain: 403, not 503
    hook = _create(api, _body(sb, "deleted"))
    key = WebhookSubscription.objects.get(uri=hook["uri"]).signing_key
    sb.book()
    delivery = _delivery_for(sb, hook["uri"])
    assert _post_to_receiver(client, delivery.body, delivery.headers).status_code == 202

    deleted = api.delete(BASE + f"webhook/subscription/{last(hook['uri'])}/delete/")
    assert deleted.status_code == 204
    assert not WebhookSubscription.objects.filter(uri=hook["uri"]).exists()
    assert last(hook["uri"]) not in sb.store.webhooks

    body, headers = signed_delivery(
        "invitee.created", {"uri": f"{sb.url}/scheduled_events/E/invitees/LATE"}, key
    )
    refused = _post_to_receiver(client, body, headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "mismatch"


def test_delete_of_a_subscription_calendly_no_longer_has_forgets_it_too(
    sb: Any, api: APIClient
) -> None:
    uri = f"{sb.url}/webhook_subscriptions/GONEALREADY0001"
    WebhookSubscription.objects.create(
        uri=uri, callback_url="https://hooks.example.com/gone", scope="organization",
        organization=sb.organization_uri, signing_key="old-key",
    )
    assert "old-key" in webhooks.signing_keys()
    assert_error(api.delete(BASE + "webhook/subscription/GONEALREADY0001/delete/"), 404,
                 "not_found")
    assert not WebhookSubscription.objects.filter(uri=uri).exists()
    assert "old-key" not in webhooks.signing_keys()


def _fail_recording(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("database is down")

    monkeypatch.setattr(webhooks, "record_subscription", broken)


def test_a_failed_local_record_deletes_the_subscription_upstream_again(
    sb: Any, api: APIClient, monkeypatch: Any
) -> None:
    _fail_recording(monkeypatch)
    body = assert_error(api.post(CREATE, _body(sb, "undone"), format="json"), 503,
                        "local_record_failed")
    assert "deleted at Calendly again" in body["message"]
    assert [w for w in sb.store.webhooks.values()
            if w["callback_url"] == "https://hooks.example.com/undone"] == []
    assert not WebhookSubscription.objects.exists()


def test_a_failed_local_record_and_failed_undo_say_so(
    sb: Any, api: APIClient, monkeypatch: Any
) -> None:
    _fail_recording(monkeypatch)

    def down(*args: Any, **kwargs: Any) -> None:
        raise calendly_errors.TransportError("connection refused")

    monkeypatch.setattr(type(get_client().webhooks), "delete", down)
    body = assert_error(api.post(CREATE, _body(sb, "stuck"), format="json"), 503,
                        "local_record_failed")
    [remote] = [w for w in sb.store.webhooks.values()
                if w["callback_url"] == "https://hooks.example.com/stuck"]
    assert remote["uri"] in body["message"] and "failed too" in body["message"]
    assert "signing_key" not in body["message"]


def test_a_failed_local_delete_is_reported_and_a_retry_finishes_it(
    sb: Any, api: APIClient, monkeypatch: Any
) -> None:
    hook = _create(api, _body(sb, "retry-delete"))
    url = BASE + f"webhook/subscription/{last(hook['uri'])}/delete/"

    def broken(*args: Any, **kwargs: Any) -> int:
        raise DatabaseError("database is down")

    with monkeypatch.context() as patch:
        patch.setattr(webhooks, "forget_subscription", broken)
        assert_error(api.delete(url), 503, "local_record_failed")
    assert WebhookSubscription.objects.filter(uri=hook["uri"]).exists()
    assert_error(api.delete(url), 404, "not_found")  # gone at Calendly; now locally too
    assert not WebhookSubscription.objects.filter(uri=hook["uri"]).exists()
