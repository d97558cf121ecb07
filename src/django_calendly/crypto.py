"""Encryption of secrets at rest (OAuth tokens, webhook signing keys).

Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``. Keys come from
``CALENDLY_ENCRYPTION_KEYS`` (newest first, so keys can be rotated with MultiFernet); when
none is set, one key is derived from ``SECRET_KEY`` so that the app works out of the box.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings as django_settings

from .conf import calendly_settings


def derive_key(secret: str) -> str:
    """A Fernet key derived from an arbitrary secret string."""
    digest = hashlib.sha256(("django-calendly:" + secret).encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode("ascii")) for k in keys])


def _keys() -> tuple[str, ...]:
    keys = calendly_settings.ENCRYPTION_KEYS
    if keys:
        return tuple(keys)
    return (derive_key(str(django_settings.SECRET_KEY)),)


def encrypt(plaintext: str) -> str:
    return _fernet(_keys()).encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError(
            "A stored secret cannot be decrypted: CALENDLY_ENCRYPTION_KEYS (or SECRET_KEY) "
            "no longer holds the key it was encrypted with."
        ) from None


def rotate(token: str) -> str:
    """``token`` re-encrypted under the newest key (``CALENDLY_ENCRYPTION_KEYS[0]``).

    Raises ``ValueError`` when no configured key can decrypt it."""
    try:
        return _fernet(_keys()).rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise ValueError("A stored secret cannot be decrypted with any configured key.") from None



def is_current(token: str) -> bool:
    """Whether ``token`` is already encrypted under the newest key."""
    try:
        Fernet(_keys()[0].encode("ascii")).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
