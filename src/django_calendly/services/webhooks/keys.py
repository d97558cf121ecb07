"""Webhook signing keys: which keys the receiver accepts, and the signature check.

The configured keys (``CALENDLY_WEBHOOK_SIGNING_KEY``) and the keys of the subscriptions
this app created (stored encrypted in ``WebhookSubscription``) are accepted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save

from ...client.signatures import SignatureError, verify
from ...conf import calendly_settings
from ...crypto import decrypt
from ...models import WebhookSubscription
from ..caching import ProcessCache

logger = logging.getLogger("django_calendly.webhooks")

#: A subscription's row as the cache last saw it: (pk, ciphertext of its signing key).
_Row = tuple[int, str]
#: (accepted keys, the subscriptions' organization, the rows holding each key, and the
#: connection each row belongs to: None for the app's own subscriptions).
_Keys = tuple[tuple[str, ...], str, dict[str, tuple[_Row, ...]], dict[int, int | None]]


@dataclass(frozen=True)
class Verified:
    """A verified signature: when it was signed, and whose subscription's key signed it
    (``connection_id``; None: a configured key or one of the app's own subscriptions).
    The key is the attribution: only that subscription's creator and this app know it."""

    timestamp: int
    connection_id: int | None = None


def _load_subscription_keys() -> _Keys:
    """The signing keys of the subscriptions this app created, and their organization.

    Read as ciphertext and decrypted row by row: one key that can no longer be decrypted
    (SECRET_KEY rotated without CALENDLY_ENCRYPTION_KEYS) must not make every delivery
    fail; it is skipped and reported."""
    rows = list(
        WebhookSubscription.objects.order_by("-created_at")
        .annotate(sealed=Cast("signing_key", output_field=TextField()))
        .values_list("pk", "sealed", "organization", "uri", "connection_id")
    )
    owners: dict[str, list[_Row]] = {}
    connections: dict[int, int | None] = {row[0]: row[4] for row in rows}
    for pk, sealed, _, uri, _ in rows:
        if not sealed:
            continue
        try:
            owners.setdefault(decrypt(sealed), []).append((pk, sealed))
        except ValueError:
            logger.error(
                "The signing key of webhook subscription %s cannot be decrypted "
                "(CALENDLY_ENCRYPTION_KEYS lost its key?); it is not accepted.",
                uri,
            )
    organization = next((row[2] for row in rows if row[2]), "")
    return tuple(owners), organization, {k: tuple(v) for k, v in owners.items()}, connections


# Fernet-decrypting the keys on every delivery would make ingest slow. A signature that
# matches no key reloads early (at most once a second), so a subscription created by another
# process is accepted at once; a key found in the cache is confirmed against the database
# (one indexed query), so a subscription deleted by another process is refused at once.
_key_cache: ProcessCache[_Keys] = ProcessCache(_load_subscription_keys, ((), "", {}, {}))


def invalidate_signing_keys(*args: Any, **kwargs: Any) -> None:
    """Forget the cached subscription keys (after a subscription is created or deleted)."""
    _key_cache.invalidate()


post_save.connect(
    invalidate_signing_keys, sender=WebhookSubscription, dispatch_uid="calendly-keys-save"
)
post_delete.connect(
    invalidate_signing_keys, sender=WebhookSubscription, dispatch_uid="calendly-keys-del"
)


def signing_keys(*, refresh: bool = False) -> list[str]:
    """Every accepted key: ``CALENDLY_WEBHOOK_SIGNING_KEY`` (several, comma-separated, for
    rotation) then the keys of the subscriptions this app created."""
    configured = list(calendly_settings.WEBHOOK_SIGNING_KEY)
    return list(dict.fromkeys([*configured, *_key_cache.get(refresh=refresh)[0]]))


def _default_organization() -> str:
    """Organization written on mirror rows whose payload does not name one."""
    if calendly_settings.ORGANIZATION:
        return str(calendly_settings.ORGANIZATION)
    return _key_cache.get()[1]


def _still_stored(rows: tuple[_Row, ...]) -> int | None:
    """The pk of one of ``rows`` that still exists with the same key (not deleted, not
    re-keyed), else None: the database, not this process's cache, decides whether a
    subscription's key counts."""
    pks = [pk for pk, _ in rows]
    sealed = {pk: ciphertext for pk, ciphertext in rows}
    current = (
        WebhookSubscription.objects.filter(pk__in=pks)
        .annotate(sealed=Cast("signing_key", output_field=TextField()))
        .values_list("pk", "sealed")
    )
    return next((pk for pk, ciphertext in current if sealed.get(pk) == ciphertext), None)


def _verify_subscription_keys(
    body: bytes, header: str | None, tolerance: int, now: float | None, *, refresh: bool
) -> Verified | None:
    """When and by whose stored subscription's key ``body`` was signed, else None."""
    keys, _, owners, connections = _key_cache.get(refresh=refresh)
    for key in keys:
        try:
            timestamp = verify(body, header, [key], tolerance=tolerance, now=now)
        except SignatureError as exc:
            if exc.code == "mismatch":
                continue
            raise
        pk = _still_stored(owners[key])
        if pk is not None:
            return Verified(timestamp, connections.get(pk))
        # Deleted or re-keyed by another process since our last read.
        invalidate_signing_keys()
        return None
    return None


def check_signature(body: bytes, header: str | None, *, now: float | None = None) -> int:
    """Verify ``header`` against the raw ``body``; return the signed timestamp."""
    return verify_signature(body, header, now=now).timestamp


def verify_signature(body: bytes, header: str | None, *, now: float | None = None) -> Verified:
    """Verify ``header`` against the raw ``body``: when it was signed and by whose key.

    The configured keys are checked first; a subscription's key only counts while its row
    is stored (a deleted subscription's key is refused at once in every process).

    Raises ``SignatureError`` (``.code``: missing, malformed, stale, future, mismatch,
    no_keys).
    """
    tolerance = calendly_settings.WEBHOOK_TOLERANCE
    configured = [k for k in calendly_settings.WEBHOOK_SIGNING_KEY if k]
    if configured:
        try:
            return Verified(verify(body, header, configured, tolerance=tolerance, now=now))
        except SignatureError as exc:
            if exc.code != "mismatch":
                raise
    for refresh in (False, True):
        # The second pass: a subscription created by another process since our last read.
        verified = _verify_subscription_keys(body, header, tolerance, now, refresh=refresh)
        if verified is not None:
            return verified
    if not configured and not _key_cache.get()[0]:
        raise SignatureError("no_keys", "No webhook signing key is configured.")
    raise SignatureError("mismatch", "The signature does not match any signing key.")
