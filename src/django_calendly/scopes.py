"""Which OAuth scopes the app needs, and which ones Connect Calendly requests.

Calendly grants an OAuth token only the scopes its authorize URL asked for, and answers
403 "Insufficient scope" to any call outside them. So the scopes requested are derived
from what the app calls, feature by feature, from the operation names of
``client.operations`` (which holds each operation's scope):

- ``sync``: the pull sync that fills the mirror (``SYNC_OPERATIONS``);
- ``webhooks``: managing subscriptions (``WEBHOOK_OPERATIONS``) plus the read scope of
  each event the app subscribes to by default (``operations.WEBHOOK_EVENT_SCOPES``);
- ``rest``: the REST endpoints the host project mounted (``api.endpoint_operations``).

``CALENDLY_OAUTH_SCOPES`` replaces the derived set; ``requested_scopes()`` is the one
answer to "what does the connect flow ask for", read by the flow, the status view, the
REST error for a missing scope and the system check.
"""

from __future__ import annotations

from collections.abc import Iterable

from .client.operations import ALL_SCOPES, WEBHOOK_EVENT_SCOPES, scope_granted, scopes_for
from .conf import calendly_settings

#: What the pull sync calls (``services/sync.py``, ``sync/engine.py``).
SYNC_OPERATIONS: tuple[str, ...] = (
    "users.me",  # the token's organization, when CALENDLY_ORGANIZATION is empty
    "users.get",  # a user's organization, for a user-scoped sync
    "event_types.list",
    "scheduled_events.list",
    "invitees.list",
)

#: What ``calendly_webhooks`` and ``services/webhooks.py`` call to manage subscriptions.
WEBHOOK_OPERATIONS: tuple[str, ...] = (
    "users.me",
    "webhooks.list",
    "webhooks.create",
    "webhooks.delete",
)

#: The URL namespace (``app_name``) of ``django_calendly.urls``.
APP_NAMESPACE = "calendly"


def mounted_endpoints() -> frozenset[str]:
    """URL names of the REST endpoints reachable in the project's URLconf.

    A host that mounts only part of the app (say the webhook receiver and Connect
    Calendly) should not ask its users for the scopes of endpoints it does not serve.
    """
    from django.urls import URLPattern, URLResolver, get_resolver

    from .api.endpoint_operations import ENDPOINT_OPERATIONS

    found: set[str] = set()

    def walk(patterns: Iterable[object], inside: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, inside or pattern.app_name == APP_NAMESPACE)
            elif isinstance(pattern, URLPattern) and inside and pattern.name:
                found.add(pattern.name)

    walk(get_resolver().url_patterns, False)
    return frozenset(found & set(ENDPOINT_OPERATIONS))


def needed_scopes() -> dict[str, frozenset[str]]:
    """The scopes each feature in use needs: ``{"sync": ..., "webhooks": ..., "rest": ...}``."""
    from .api.endpoint_operations import ENDPOINT_OPERATIONS
    from .services.webhooks import DEFAULT_EVENTS

    rest = [op for name in sorted(mounted_endpoints()) for op in ENDPOINT_OPERATIONS[name]]
    return {
        "sync": scopes_for(SYNC_OPERATIONS),
        "webhooks": scopes_for(WEBHOOK_OPERATIONS)
        | frozenset(WEBHOOK_EVENT_SCOPES[event] for event in DEFAULT_EVENTS),
        "rest": scopes_for(rest),
    }


def minimal(scopes: Iterable[str]) -> frozenset[str]:
    """``scopes`` without the ``:read`` scopes that a ``:write`` of the same domain covers."""
    held = set(scopes)
    return frozenset(
        s for s in held if not (s.endswith(":read") and scope_granted(held - {s}, s))
    )


def default_scopes() -> frozenset[str]:
    """What the features in use need, as the fewest scopes that cover it."""
    needed: set[str] = set()
    for scopes in needed_scopes().values():
        needed |= scopes
    return minimal(needed)


def requested_scopes() -> frozenset[str]:
    """The scopes Connect Calendly requests: ``CALENDLY_OAUTH_SCOPES``, else the default."""
    configured = calendly_settings.OAUTH_SCOPES
    return frozenset(configured) if configured else default_scopes()


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    """The names in ``scopes`` that Calendly does not define (typos), sorted."""
    return sorted(set(scopes) - set(ALL_SCOPES))


def scope_string(scopes: Iterable[str]) -> str:
    """Calendly's form of a scope set: space-separated (sorted, so URLs are stable)."""
    return " ".join(sorted(set(scopes)))


__all__ = [
    "SYNC_OPERATIONS",
    "WEBHOOK_OPERATIONS",
    "default_scopes",
    "minimal",
    "mounted_endpoints",
    "needed_scopes",
    "requested_scopes",
    "scope_string",
    "unknown_scopes",
]
