"""Which Calendly client serves a request.

A user who connected their own Calendly account (OAuth) acts with it; anyone else acts with
the configured personal access token. Clients are cached per token in each process, so every
request of a worker reuses the same pooled connections instead of opening new ones. This is
the one place that decides which credentials a call uses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ..client import CalendlyClient
from ..conf import calendly_settings
from .errors import NotConfigured

__all__ = ["NotConfigured", "close_clients", "get_client"]

MAX_CACHED_CLIENTS = 256

_lock = threading.Lock()
_clients: OrderedDict[tuple[Any, ...], CalendlyClient] = OrderedDict()


def _user_token(user: Any) -> str | None:
    from .connections import connection_for, fresh_access_token

    connection = connection_for(user)
    if connection is None:
        return None
    return fresh_access_token(connection)


def get_client(
    user: Any = None, *, background: bool = False, retry_rate_limited: bool = True
) -> CalendlyClient:
    """The client to call Calendly with on behalf of ``user``.

    By default the client fits a web request: few retries and a short total wait
    (``CALENDLY_REQUEST_MAX_RETRIES``, ``CALENDLY_REQUEST_MAX_RETRY_WAIT``), so a 429 whose
    window resets in a minute is answered at once with ``Retry-After`` instead of holding a
    worker past its timeout. ``background=True`` (the sync, management commands, tasks)
    gets the patient budget: ``CALENDLY_MAX_RETRIES``, ``CALENDLY_MAX_RETRY_WAIT``.
    ``retry_rate_limited=False`` gets a client that raises ``RateLimited`` at once on a 429
    instead of waiting inside the call, for a caller that paces itself (the sync).
    """
    token = _user_token(user) or calendly_settings.ACCESS_TOKEN
    if not token:
        raise NotConfigured(
            "No Calendly credentials: set CALENDLY_ACCESS_TOKEN, or connect a Calendly "
            "account (OAuth) for this user."
        )
    if background:
        retries, wait = calendly_settings.MAX_RETRIES, calendly_settings.MAX_RETRY_WAIT
    else:
        retries = calendly_settings.REQUEST_MAX_RETRIES
        wait = calendly_settings.REQUEST_MAX_RETRY_WAIT
    key = (
        token,
        calendly_settings.BASE_URL,
        calendly_settings.TIMEOUT,
        calendly_settings.CONNECT_TIMEOUT,
        retries,
        wait,
        retry_rate_limited,
    )
    with _lock:
        client = _clients.get(key)
        if client is not None:
            _clients.move_to_end(key)
            return client
        client = CalendlyClient(
            token=token,
            base_url=key[1],
            timeout=key[2],
            connect_timeout=key[3],
            max_retries=key[4],
            max_retry_wait=key[5],
            retry_rate_limited=retry_rate_limited,
        )
        _clients[key] = client
        # OAuth access tokens rotate every two hours: forget the oldest clients. They are
        # not closed here because another thread may still be using one; their pools
        # close when they are garbage-collected.
        while len(_clients) > MAX_CACHED_CLIENTS:
            _clients.popitem(last=False)
    return client


def close_clients() -> None:
    """Close every cached client (tests, and settings that changed)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
