"""Which Calendly client serves a request, and so what its user may see.

The rule (docs/rest-api.md, "Who sees what"): a user who connected their own Calendly
account (OAuth) acts with it, so Calendly decides what they see. A user without a
connection acts with the app's token (``CALENDLY_ACCESS_TOKEN``, which sees the whole
organization) only as ``CALENDLY_APP_TOKEN_FALLBACK`` allows: staff (the default),
everyone, or never; anyone else gets ``NoCalendlyAccess``. ``user=None`` is the app itself
(the sync, commands, tasks) and always uses the app's token.

Clients are cached per token in each process, so every request of a worker reuses the same
pooled connections instead of opening new ones. This is the one place that decides which
credentials a call uses.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from ..client import CalendlyClient
from ..conf import calendly_settings
from .errors import NoCalendlyAccess, NotConfigured
from .ratelimit import limiter_for

__all__ = [
    "NoCalendlyAccess",
    "NotConfigured",
    "close_clients",
    "get_client",
    "may_use_app_token",
]

MAX_CACHED_CLIENTS = 256

_lock = threading.Lock()
_clients: OrderedDict[tuple[Any, ...], CalendlyClient] = OrderedDict()


def may_use_app_token(user: Any) -> bool:
    """May ``user`` (without a connection) act with the app's token, i.e. see the
    organization? ``CALENDLY_APP_TOKEN_FALLBACK`` decides."""
    fallback = calendly_settings.APP_TOKEN_FALLBACK
    if fallback == "everyone":
        return True
    if fallback == "staff":
        return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))
    return False


def _credentials_for(user: Any) -> tuple[str, str]:
    """``(token, rate-limit key)`` for ``user``: Calendly's limit is per Calendly user, so
    a connection's calls count against its owner; the app's token against its own user
    (named by a digest of the token: its user URI is not known without a call)."""
    if user is not None:
        from .connections import connection_for, fresh_access_token

        connection = connection_for(user)
        if connection is not None:
            return fresh_access_token(connection), connection.owner
        if not may_use_app_token(user):
            who = {"staff": "only staff", "never": "nobody"}.get(
                calendly_settings.APP_TOKEN_FALLBACK, "nobody"
            )
            raise NoCalendlyAccess(
                "Connect your Calendly account to use Calendly here: without a connection of "
                f"your own, {who} may act with the app's Calendly token."
            )
    token = str(calendly_settings.ACCESS_TOKEN)
    return token, "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def get_client(
    user: Any = None, *, background: bool = False, retry_rate_limited: bool = True
) -> CalendlyClient:
    """The client to call Calendly with on behalf of ``user`` (None: the app itself).

    Raises ``NoCalendlyAccess`` when ``user`` may not act with the app's token and has no
    connection of their own, and ``NotConfigured`` when there are no credentials at all.

    By default the client fits a web request: few retries and a short total wait
    (``CALENDLY_REQUEST_MAX_RETRIES``, ``CALENDLY_REQUEST_MAX_RETRY_WAIT``), so a 429 whose
    window resets in a minute is answered at once with ``Retry-After`` instead of holding a
    worker past its timeout. ``background=True`` (the sync, management commands, tasks)
    gets the patient budget: ``CALENDLY_MAX_RETRIES``, ``CALENDLY_MAX_RETRY_WAIT``.
    ``retry_rate_limited=False`` gets a client that raises ``RateLimited`` at once on a 429
    instead of waiting inside the call, for a caller that paces itself (the sync).
    """
    token, limit_key = _credentials_for(user)
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
            limiter=limiter_for(limit_key),
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
