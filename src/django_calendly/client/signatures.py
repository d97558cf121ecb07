"""Calendly webhook signatures: ``Calendly-Webhook-Signature: t=<unix>,v1=<hex>``.

The signed string is ``"{t}.{raw body}"``, MAC'd with HMAC-SHA256 and the subscription's
signing key. Verification works on the exact bytes received, never on re-serialised JSON,
and accepts several keys so that keys can be rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable

SIGNATURE_HEADER = "Calendly-Webhook-Signature"
DEFAULT_TOLERANCE = 180


class SignatureError(ValueError):
    """The signature header is missing, malformed, stale or does not match.

    ``code`` is a stable machine-readable reason (``missing``, ``malformed``, ``stale``,
    ``future``, ``mismatch``, ``no_keys``).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def compute_signature(body: bytes, key: str, timestamp: int) -> str:
    """Hex HMAC-SHA256 of ``"{timestamp}.{body}"``."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(key.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, key: str, timestamp: int | None = None) -> str:
    """The header value Calendly would send for ``body``: ``t=...,v1=...``."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={ts},v1={compute_signature(body, key, ts)}"


def parse_header(header: str | None) -> tuple[int, list[str]]:
    """Split a header into its timestamp and its ``v1`` signatures."""
    if not header or not header.strip():
        raise SignatureError("missing", f"The {SIGNATURE_HEADER} header is missing.")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureError(
                    "malformed", "The signature timestamp is not a number."
                ) from None
        elif name == "v1":
            signatures.append(value.strip())
    if timestamp is None or not signatures:
        raise SignatureError(
            "malformed", f"The {SIGNATURE_HEADER} header must look like t=<unix>,v1=<hex>."
        )
    return timestamp, signatures


def verify(
    body: bytes,
    header: str | None,
    keys: Iterable[str],
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Check ``header`` against ``body`` with any of ``keys``; return the timestamp.

    The tolerance is symmetric: a timestamp too far in the past (a replay) or in the
    future (a clock that cannot be trusted) is refused. Comparisons are constant-time.
    """
    key_list = [k for k in keys if k]
    if not key_list:
        raise SignatureError("no_keys", "No webhook signing key is configured.")
    timestamp, signatures = parse_header(header)
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise SignatureError("stale", "The signature timestamp is too old.")
    if timestamp > current + tolerance:
        raise SignatureError("future", "The signature timestamp is in the future.")
    for key in key_list:
        expected = compute_signature(body, key, timestamp)
        for candidate in signatures:
            if hmac.compare_digest(expected, candidate):
                return timestamp
    raise SignatureError("mismatch", "The signature does not match any signing key.")
