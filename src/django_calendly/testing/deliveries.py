"""Signed Calendly webhook deliveries for host projects' tests.

Build a delivery exactly as Calendly would send it, then post it to the receiver and
assert on your own signal handlers::

    from django_calendly.testing.deliveries import post_delivery, signed_delivery

    def test_my_handler(client, settings):
        settings.CALENDLY_WEBHOOK_SIGNING_KEY = ["test-key"]
        response = post_delivery(client, "invitee.created", payload, key="test-key")
        assert response.status_code == 202
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ..client.signatures import SIGNATURE_HEADER, sign
from ..client.validation import format_datetime

DEFAULT_URL = "/modules/calendly/webhook/"

__all__ = ["DEFAULT_URL", "envelope", "post_delivery", "signed_delivery"]


def _iso(value: datetime | str | None) -> str:
    if value is None:
        value = datetime.now(UTC)
    return format_datetime(value) if isinstance(value, datetime) else value


def envelope(
    event: str,
    payload: dict[str, Any],
    *,
    created_at: datetime | str | None = None,
    created_by: str = "https://api.calendly.com/users/TESTUSER",
) -> dict[str, Any]:
    """The delivery envelope ``{event, created_at, created_by, payload}``."""
    return {
        "event": event,
        "created_at": _iso(created_at),
        "created_by": created_by,
        "payload": payload,
    }


def signed_delivery(
    event: str,
    payload: dict[str, Any],
    key: str,
    created_at: datetime | str | None = None,
    timestamp: int | None = None,
) -> tuple[bytes, dict[str, str]]:
    """``(body_bytes, headers)`` of a delivery signed with ``key``.

    ``created_at`` is the envelope's creation time (part of the idempotency key with the
    event and payload: reuse all three to simulate a Calendly redelivery);
    ``timestamp`` the signature's Unix time (default now; pass an old one to test the
    tolerance).
    """
    body = json.dumps(envelope(event, payload, created_at=created_at)).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(body, key, timestamp),
    }
    return body, headers


def post_delivery(
    client: Any,
    event: str,
    payload: dict[str, Any],
    key: str,
    *,
    url: str = DEFAULT_URL,
    created_at: datetime | str | None = None,
    timestamp: int | None = None,
) -> Any:
    """Post a signed delivery with Django's test ``Client``; returns the response."""
    body, headers = signed_delivery(event, payload, key, created_at=created_at, timestamp=timestamp)
    return client.post(
        url, data=body, content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )
