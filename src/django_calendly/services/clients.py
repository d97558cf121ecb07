"""Which Calendly client serves a request.

One cached ``CalendlyClient`` per (token, base URL, timeouts) in each process, so every
request of a worker reuses the same pooled connections instead of opening new ones. This is
the one place that decides which credentials a call uses.
"""

from __future__ import annotations

import threading
from typing import Any

from ..client import CalendlyClient
from ..conf import calendly_settings

_lock = threading.Lock()
_clients: dict[tuple[Any, ...], CalendlyClient] = {}


class NotConfigured(Exception):
    """No Calendly credentials are configured for this request."""


def get_client(user: Any = None) -> CalendlyClient:
    """The client to call Calendly with on behalf of ``user`` (the configured token today)."""
    token = calendly_settings.ACCESS_TOKEN
    if not token:
        raise NotConfigured(
            "CALENDLY_ACCESS_TOKEN is not set, so Calendly cannot be called."
        )
    key = (
        token,
        calendly_settings.BASE_URL,
        calendly_settings.TIMEOUT,
        calendly_settings.CONNECT_TIMEOUT,
        calendly_settings.MAX_RETRIES,
        calendly_settings.MAX_RETRY_WAIT,
    )
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = CalendlyClient(
                    token=token,
                    base_url=key[1],
                    timeout=key[2],
                    connect_timeout=key[3],
                    max_retries=key[4],
                    max_retry_wait=key[5],
                )
                _clients[key] = client
    return client


def close_clients() -> None:
    """Close every cached client (tests, and settings that changed)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
