"""The webhook delivery log: parse a verified body, store it once, enqueue its processing.

A delivery is written to ``WebhookDelivery`` before anything else happens, keyed on a
unique idempotency key, so a duplicate delivery is acknowledged and never processed twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
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


#: Deepest nesting of objects and arrays accepted in a delivery. Calendly's payloads nest
#: about five levels; anything much deeper cannot be a real delivery, and a very deep one
#: would exhaust the recursion limit wherever it is (de)serialised again.
MAX_DEPTH = 32

#: Characters no database column holds: NUL (PostgreSQL text and jsonb refuse it) and lone
#: UTF-16 surrogates (``"\ud800"`` is valid JSON but no valid UTF-8 string).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_storable(value: Any) -> None:
    """Refuse, before anything is written, a value no database could store or that would
    fail again at every processing attempt: too deep, or a string (key or value) holding
    NUL or a lone surrogate. Iterative, so the check itself cannot overflow the stack."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if _UNSTORABLE.search(node):
                raise InvalidDelivery(
                    "unstorable_text",
                    "The body holds a NUL character or a lone UTF-16 surrogate, "
                    "which cannot be stored.",
                )
            continue
        if isinstance(node, dict | list):
            if depth >= MAX_DEPTH:
                raise InvalidDelivery(
                    "too_deep", f"The body nests deeper than {MAX_DEPTH} levels."
                )
            items = node.items() if isinstance(node, dict) else ((None, v) for v in node)
            for key, child in items:
                if key is not None:
                    stack.append((key, depth + 1))
                stack.append((child, depth + 1))


def parse_envelope(body: bytes) -> dict[str, Any]:
    """The delivery envelope ``{event, created_at, created_by, payload}`` as a dict.

    Raises ``InvalidDelivery`` for anything that is not a storable Calendly envelope, so a
    hostile but validly signed body is refused up front (the receiver answers 400, and
    Calendly's redeliveries get the same answer) instead of failing in the database.
    """
    try:
        # Calendly sends UTF-8 (stored as text). Python's NaN/Infinity extensions are
        # refused: they are not JSON, and the mirror's JSON columns could not store them.
        envelope = json.loads(body.decode("utf-8"), parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError):
        raise InvalidDelivery("invalid_json", "The body is not valid JSON.") from None
    except RecursionError:  # nested deeper than the parser's stack
        raise InvalidDelivery(
            "too_deep", f"The body nests deeper than {MAX_DEPTH} levels."
        ) from None
    _check_storable(envelope)
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


def payload_digest(payload: Json) -> str:
    """sha256 of the canonical JSON of ``payload`` (sorted keys, no whitespace), so the
    same content always gives the same digest whatever its key order or spacing."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(event: str, created_at: Any, payload: Json) -> str:
    """sha256 of the event name, Calendly's ``created_at``, the resource URI and a digest
    of the canonical payload.

    A redelivery of the same webhook carries the same envelope, so the same key: it is a
    duplicate. Calendly writes ``created_at`` in whole seconds, so two different webhooks
    about one resource within a second (a no-show marked, unmarked and marked again) can
    share event, time and URI; their payloads differ (a new no-show URI, a new
    ``updated_at``), and so do their keys.
    """
    material = "\n".join(
        [event, str(created_at or ""), _resource_uri(payload), payload_digest(payload)]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredDelivery:
    id: int | None
    duplicate: bool
    idempotency_key: str


def store_delivery(
    envelope: Json,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    connection_id: int | None = None,
) -> StoredDelivery:
    """Write the delivery log row, then enqueue processing once it is committed.

    A delivery whose idempotency key is already stored (a Calendly retry, or the same
    delivery arriving twice at once) is reported as ``duplicate`` and not enqueued again.
    Database errors other than the unique violation propagate (the view answers 503).
    ``connection_id``: whose subscription's key verified it (``Verified``), so processing
    attributes its rows to that connection (None: the app).
    """
    payload = envelope["payload"]
    uri = _resource_uri(payload)
    created_raw = envelope.get("created_at")
    key = idempotency_key(envelope["event"], created_raw, payload)
    # Headers are not signed: one that no column could hold is left out, not fatal.
    kept = {
        name: headers[name] for name in KEPT_HEADERS
        if headers and name in headers and not _UNSTORABLE.search(headers[name])
    }
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
                connection_id=connection_id,
            )
    except IntegrityError:
        existing = (
            WebhookDelivery.objects.filter(idempotency_key=key).values_list("id", flat=True).first()
        )
        from ..attribution import attribute_duplicate

        attribute_duplicate(existing, connection_id)
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
