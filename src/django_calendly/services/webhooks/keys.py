"""Webhook signing keys: which keys the receiver accepts, and the signature check.

The configured keys (``CALENDLY_WEBHOOK_SIGNING_KEY``) and the keys of the subscriptions
this app created (stored encrypted in ``WebhookSubscription``) are accepted.
"""

from __future__ import annotations

import logging
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

def _load_subscription_keys() -> tuple[tuple[str, ...], str]:
    """The signing keys of the subscriptions this app created, and their organization.

    Read as ciphertext and decrypted row by row: one key that can no longer be decrypted
    (SECRET_KEY rotated without CALENDLY_ENCRYPTION_KEYS) must not make every delivery
    fail; it is skipped and reported."""
    rows = list(
        WebhookSubscription.objects.order_by("-created_at")
        .annotate(sealed=Cast("signing_key", output_field=TextField()))
        .values_list("sealed", "organization", "uri")
    )
    keys = []
    for sealed, _, uri in rows:
        if not sealed:
            continue
        try:
            keys.append(decrypt(sealed))
        except ValueError:
            logger.error(
                "The signing key of webhook subscription %s cannot be decrypted "
                "(CALENDLY_ENCRYPTION_KEYS lost its key?); it is not accepted.",
                uri,
            )
    return tuple(dict.fromkeys(keys)), next((o for _, o, _ in rows if o), "")


# Fernet-decrypting the keys on every delivery would make ingest slow. A signature that
# matches no key reloads early (at most once a second), so a subscription created by another
# process is accepted at once.
_key_cache: ProcessCache[tuple[tuple[str, ...], str]] = ProcessCache(
    _load_subscription_keys, ((), "")
)


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


def check_signature(body: bytes, header: str | None, *, now: float | None = None) -> int:
    """Verify ``header`` against the raw ``body``; return the signed timestamp.

    Raises ``SignatureError`` (``.code``: missing, malformed, stale, future, mismatch,
    no_keys).
    """
    tolerance = calendly_settings.WEBHOOK_TOLERANCE
    try:
        return verify(body, header, signing_keys(), tolerance=tolerance, now=now)
    except SignatureError as exc:
        if exc.code not in {"mismatch", "no_keys"}:
            raise
        # A subscription created by another process since our last read: look once more.
        return verify(body, header, signing_keys(refresh=True), tolerance=tolerance, now=now)
