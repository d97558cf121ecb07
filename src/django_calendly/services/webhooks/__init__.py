"""Webhook use cases: verify, log, process a delivery into the mirror, replay, subscribe.

The receiver view (``django_calendly.webhooks.views``) only calls the functions here:

1. ``check_signature`` (raw bytes, several keys, symmetric tolerance),
2. ``parse_envelope`` (a JSON object with ``event`` and ``payload``),
3. ``store_delivery`` (the delivery log first: one INSERT keyed on a unique idempotency
   key; a duplicate is acknowledged, never processed twice), which enqueues
4. ``process_delivery`` with Django Tasks once the row is committed.

Processing runs in its own transaction with the delivery row locked (``SELECT ... FOR
UPDATE``), so two workers never process one delivery twice. Mirror rows are written under
PostgreSQL advisory locks keyed on the resource URIs involved (taken in a fixed order, so
concurrent deliveries about the same invitee, event or reschedule pair serialise instead of
deadlocking), and every write compares Calendly's ``updated_at`` so that deliveries arriving
out of order converge: older data never overwrites newer data, and a canceled invitee or
event is never re-activated by an older ``created``.

Modules: ``keys`` (accepted signing keys, signature check), ``deliveries`` (the log:
parse, store, enqueue), ``processing`` (one delivery into the mirror, exactly once),
``fields`` (the field types each family's handler reads, checked before it runs),
``context`` and ``handlers`` (the mirror writes of each event family), ``subscriptions``
(subscriptions at Calendly). This package re-exports their public names.
"""

from __future__ import annotations

from .deliveries import (
    KEPT_HEADERS,
    InvalidDelivery,
    StoredDelivery,
    idempotency_key,
    parse_envelope,
    store_delivery,
)
from .keys import (
    Verified,
    check_signature,
    invalidate_signing_keys,
    signing_keys,
    verify_signature,
)
from .processing import process_delivery, replay_deliveries
from .subscriptions import (
    DEFAULT_EVENTS,
    EnsureResult,
    InvalidSubscription,
    MissingWebhookScopes,
    WebhooksNotAllowed,
    delete_subscription,
    ensure_subscription,
    forget_subscription,
    list_subscriptions,
    new_signing_key,
    record_subscription,
)

__all__ = [
    "DEFAULT_EVENTS",
    "KEPT_HEADERS",
    "EnsureResult",
    "InvalidDelivery",
    "InvalidSubscription",
    "MissingWebhookScopes",
    "StoredDelivery",
    "Verified",
    "WebhooksNotAllowed",
    "check_signature",
    "delete_subscription",
    "ensure_subscription",
    "forget_subscription",
    "idempotency_key",
    "invalidate_signing_keys",
    "list_subscriptions",
    "new_signing_key",
    "parse_envelope",
    "process_delivery",
    "record_subscription",
    "replay_deliveries",
    "signing_keys",
    "store_delivery",
    "verify_signature",
]
