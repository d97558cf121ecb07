"""The webhook delivery log: parse a verified body, store it once, enqueue its processing.

A delivery is written to ``WebhookDelivery`` before anything else happens, keyed on a
unique idempotency key, so a duplicate delivery is acknowledged and never processed twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from ...models import WebhookDelivery
from ..mirror import parse_time

logger = logging.getLogger("django_calendly.webhooks")

Json = Mapping[str, Any]

#: Request headers kept with a delivery (for debugging; never a secret).
KEPT_HEADERS = ("Calendly-Webhook-Signature", "User-Agent", "Content-Type", "X-Request-Id")


class InvalidDelivery(ValueError):
    """A verified body that is not a Calendly webhook envelope."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def parse_envelope(body: bytes) -> dict[str, Any]:
    """The delivery envelope ``{event, created_at, created_by, payload}`` as a dict."""
    try:
        # Calendly sends UTF-8 (stored as text). Python's NaN/Infinity extensions are
        # refused: they are not JSON, and the mirror's JSON columns could not store them.
        envelope = json.loads(body.decode("utf-8"), parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError):
        raise InvalidDelivery("invalid_json", "The body is not valid JSON.") from None
    if not isinstance(envelope, dict):
        raise InvalidDelivery("invalid_envelope", "The body must be a JSON object.")
    event = envelope.get("event")
    if not isinstance(event, str) or not event or len(event) > 100:
        raise InvalidDelivery("invalid_envelope", "The body has no valid 'event' name.")
    if not isinstance(envelope.get("payload"), dict):
        raise InvalidDelivery("invalid_envelope", "The body has no 'payload' object.")
    return envelope


def _resource_uri(payload: Json) -> str:
    uri = payload.get("uri")
    return uri if isinstance(uri, str) else ""


def _resource_identity(payload: Json) -> str:
    """The resource URI, or for payloads without one (``contact.*``, ``meeting_recap.*``)
    a digest of the payload, so two such events never share an idempotency key."""
    uri = _resource_uri(payload)
    if uri:
        return uri
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(event: str, created_at: Any, resource_uri: str) -> str:
    """sha256 of the event name, Calendly's ``created_at`` and the resource URI.

    A redelivery of the same webhook carries the same three values; two different
    webhooks about one resource differ in event name or creation time.
    """
    material = "\n".join([event, str(created_at or ""), resource_uri])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredDelivery:
    id: int | None
    duplicate: bool
    idempotency_key: str


def store_delivery(
    envelope: Json, body: bytes, headers: Mapping[str, str] | None = None
) -> StoredDelivery:
    """Write the delivery log row, then enqueue processing once it is committed.

    A delivery whose idempotency key is already stored (a Calendly retry, or the same
    delivery arriving twice at once) is reported as ``duplicate`` and not enqueued again.
    Database errors other than the unique violation propagate (the view answers 503).
    """
    payload = envelope["payload"]
    uri = _resource_uri(payload)
    created_raw = envelope.get("created_at")
    key = idempotency_key(envelope["event"], created_raw, _resource_identity(payload))
    kept = {name: headers[name] for name in KEPT_HEADERS if headers and name in headers}
    try:
        created_at = parse_time(created_raw) if isinstance(created_raw, str) else None
    except ValueError:
        created_at = None
    # In autocommit (the receiver is non-atomic) the INSERT is one round trip and a unique
    # violation leaves nothing to roll back; inside a transaction it needs a savepoint.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            delivery = WebhookDelivery.objects.create(
                idempotency_key=key,
                event=envelope["event"],
                calendly_created_at=created_at,
                resource_uri=uri[:500],
                body=body.decode("utf-8"),
                headers=kept,
            )
    except IntegrityError:
        existing = (
            WebhookDelivery.objects.filter(idempotency_key=key).values_list("id", flat=True).first()
        )
        return StoredDelivery(existing, True, key)
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return StoredDelivery(delivery.pk, False, key)


def _enqueue(delivery_id: int) -> None:
    from ...tasks import enqueue_delivery
    from .recovery import maybe_recover

    try:
        enqueue_delivery(delivery_id)
    except Exception:
        # The delivery is stored as pending with a lease: recovery enqueues it again.
        logger.exception("Could not enqueue webhook delivery %s; it stays pending.", delivery_id)
    maybe_recover()  # the receiver is a trigger of recovery too (throttled; never raises)
