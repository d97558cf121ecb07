"""Deliveries stored under an earlier idempotency-key formula stay duplicates after upgrading.

The key once was sha256(event, created_at, resource URI) (and a payload digest in place of
a URI-less payload's URI); it now ends with a digest of the canonical payload. Migration
0008 gives recent rows the current key, so a Calendly retry of one of them is recognised.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from django_calendly.models import WebhookDelivery
from django_calendly.services.webhooks.deliveries import (
    idempotency_key,
    parse_envelope,
    store_delivery,
)
from django_calendly.testing.deliveries import envelope

migration = import_module("django_calendly.migrations.0008_webhook_delivery_keys")

INVITEE = "https://api.calendly.com/scheduled_events/EV1/invitees/INV1"
ENVELOPES = [
    envelope("invitee.created", {"uri": INVITEE, "email": "ada@example.com", "name": "Adà"}),
    envelope("contact.created", {"contact": {"uri": "https://api.calendly.com/contacts/C1"}}),
    {"event": "invitee.canceled", "created_at": None, "payload": {"uri": INVITEE, "n": 1.5}},
    {"event": "routing_form_submission.created", "payload": {"uri": 7, "list": [3, {"b": 1}]}},
]


def legacy_key(body: bytes) -> str:
    """The formula before the payload digest: the URI, or for a payload without one a
    digest of the payload in its place."""
    data = json.loads(body)
    payload = data["payload"]
    uri = payload.get("uri") if isinstance(payload.get("uri"), str) else ""
    if not uri:
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        uri = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    material = "\n".join([data["event"], str(data.get("created_at") or ""), uri])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def stored_before_the_upgrade(body: bytes, received: Any = None) -> WebhookDelivery:
    data = json.loads(body)
    row = WebhookDelivery.objects.create(
        idempotency_key=legacy_key(body), event=data["event"],
        resource_uri=str(data["payload"].get("uri") or ""), body=body.decode(),
    )
    if received is not None:
        WebhookDelivery.objects.filter(pk=row.pk).update(received_at=received)
    return row


@pytest.mark.parametrize("data", ENVELOPES, ids=lambda d: d["event"])
def test_the_migrations_frozen_formula_is_the_codes(data: dict[str, Any]) -> None:
    body = json.dumps(data, indent=2, ensure_ascii=False)
    parsed = parse_envelope(body.encode())
    expected = idempotency_key(parsed["event"], parsed.get("created_at"), parsed["payload"])
    assert migration.current_key(body) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("data", ENVELOPES[:2], ids=lambda d: d["event"])
def test_a_retry_of_a_delivery_stored_under_the_old_key_is_a_duplicate(
    data: dict[str, Any],
) -> None:
    body = json.dumps(data).encode()
    old = stored_before_the_upgrade(body)
    migration.recompute_keys(apps, None)
    retry = store_delivery(parse_envelope(body), body)
    assert retry.duplicate and retry.id == old.pk
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_without_the_migration_the_retry_would_be_processed_twice() -> None:
    body = json.dumps(ENVELOPES[0]).encode()
    stored_before_the_upgrade(body)
    assert not store_delivery(parse_envelope(body), body).duplicate  # what 0008 prevents


@pytest.mark.django_db
def test_only_rows_calendly_may_still_retry_are_rewritten() -> None:
    body = json.dumps(ENVELOPES[0]).encode()
    old = stored_before_the_upgrade(body, received=timezone.now() - timedelta(days=3))
    broken = WebhookDelivery.objects.create(idempotency_key="k" * 64, event="x", body="{")
    migration.recompute_keys(apps, None)
    old.refresh_from_db()
    broken.refresh_from_db()
    assert old.idempotency_key == legacy_key(body)
    assert broken.idempotency_key == "k" * 64


@pytest.mark.django_db
def test_a_delivery_already_stored_again_under_the_new_key_is_left_alone() -> None:
    body = json.dumps(ENVELOPES[0]).encode()
    old = stored_before_the_upgrade(body)
    again = store_delivery(parse_envelope(body), body)  # the retry came before migrating
    migration.recompute_keys(apps, None)
    old.refresh_from_db()
    assert old.idempotency_key == legacy_key(body)
    assert WebhookDelivery.objects.get(pk=again.id).idempotency_key != old.idempotency_key
