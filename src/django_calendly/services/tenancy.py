"""Many Calendly accounts: each connection is a tenant with its own sync and subscription.

Every Calendly call here acts with one connection's token (``get_client(connection.user)``,
rate-limited per Calendly user), and everything it writes is attributed to that connection
(``services.attribution``), so what a connected user sees follows from what their own
account saw. The lifecycle:

- connect (``on_connected``, from the OAuth callback): when ``CALENDLY_WEBHOOK_URL`` is set,
  ensure the connection's own webhook subscription (its own signing key, its own callback
  URL: Calendly allows one subscription per URL, so each connection's URL carries
  ``?connection=<id>``; the receiver attributes a delivery by the key that verified it,
  not by the URL), then enqueue its first sync; send ``calendly_connected``;
- sync (``sync_connection``): at user scope (the connection's Calendly user), or at
  organization scope for owner/admin connections when
  ``CALENDLY_CONNECTION_SYNC_SCOPE="organization"``; ``enqueue_syncs`` fans out one task
  per usable connection (plus the app's token when ``CALENDLY_ACCESS_TOKEN`` is set);
- disconnect (``on_disconnecting``) or refresh refused (``on_reconnect_required``): delete
  its subscriptions at Calendly while the token still allows it (and locally in any case,
  so their keys are refused at once), stop syncing it (only usable connections are
  synced), purge the rows only it saw when ``CALENDLY_DISCONNECT_PURGE``; send
  ``calendly_disconnected`` / ``calendly_reconnect_required``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction

from .. import signals
from ..client.errors import CalendlyError
from ..conf import calendly_settings
from ..models import CalendlyConnection, WebhookSubscription
from ..sync.engine import ProgressCallback, SyncStats
from .attribution import purge_seen_only_by

logger = logging.getLogger(__name__)

ADMIN_ROLES = ("owner", "admin")


def connection_client(connection: CalendlyConnection, *, retry_rate_limited: bool = True) -> Any:
    """The background client acting with ``connection``'s token (refreshed when due)."""
    from .clients import get_client

    return get_client(connection.user, background=True, retry_rate_limited=retry_rate_limited)


def connection_role(connection: CalendlyConnection, client: Any) -> str:
    """The connection's role in its organization (owner, admin, user); "user" when
    Calendly does not say (no ``organizations:read``, or the call fails): the narrower
    scope is the safe guess."""
    try:
        page = client.memberships.list(
            user=connection.owner, organization=connection.organization or None
        )
    except (CalendlyError, ValueError) as exc:
        logger.info("Role of connection %s unknown (%s); taking user scope.", connection.pk, exc)
        return "user"
    for item in page.items:
        role = str(item.get("role") or "")
        if role:
            return role
    return "user"


def actor_scope(connection: CalendlyConnection, client: Any, setting: str) -> str:
    """``organization`` when the setting asks for it and the connection's role allows it,
    else ``user``."""
    if setting == "organization" and connection_role(connection, client) in ADMIN_ROLES:
        return "organization"
    return "user"


def sync_connection(
    connection: CalendlyConnection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    full: bool = False,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> SyncStats:
    """Pull-sync what ``connection`` sees, with its own token; its rows are attributed to
    it. Raises ``ConnectionError`` for an unusable connection, ``SyncError`` as the sync
    does."""
    from .sync import sync_scheduled_events

    client = connection_client(connection, retry_rate_limited=False)
    scope = actor_scope(connection, client, calendly_settings.CONNECTION_SYNC_SCOPE)
    return sync_scheduled_events(
        organization=connection.organization or None,
        user=connection.owner if scope == "user" else None,
        since=since,
        until=until,
        full=full,
        dry_run=dry_run,
        client=client,
        progress=progress,
        connection_id=connection.pk,
    )


def syncable_connections() -> list[CalendlyConnection]:
    """The connections a periodic sync covers: those still usable (not awaiting a
    reconnect), oldest first."""
    return list(
        CalendlyConnection.objects.filter(last_error="").exclude(owner="").order_by("pk")
    )


@dataclass
class Enqueued:
    """One sync task fanned out: whose (``connection_id``; None: the app's token)."""

    connection_id: int | None
    result: Any = field(repr=False)


def enqueue_syncs(
    *,
    include_app: bool = True,
    since: datetime | None = None,
    until: datetime | None = None,
    full: bool = False,
) -> list[Enqueued]:
    """One sync task per usable connection, plus one for the app's token when
    ``CALENDLY_ACCESS_TOKEN`` is set. With a worker backend they run in parallel on the
    workers; with the Immediate backend they run here, in turn."""
    from ..sync.tasks import sync_connection_task, sync_scope_task

    window = {  # task arguments are JSON
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "full": full,
    }
    queued = [
        Enqueued(c.pk, sync_connection_task.enqueue(connection_id=c.pk, **window))
        for c in syncable_connections()
    ]
    if include_app and calendly_settings.ACCESS_TOKEN:
        queued.append(Enqueued(None, sync_scope_task.enqueue(**window)))
    return queued


# -- webhook subscriptions ------------------------------------------------------------------


def webhook_url_for(connection: CalendlyConnection) -> str:
    """``CALENDLY_WEBHOOK_URL`` with ``connection=<id>`` in its query: Calendly refuses a
    second subscription for a URL, so each connection needs its own."""
    base = str(calendly_settings.WEBHOOK_URL)
    parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "connection"]
    query.append(("connection", str(connection.pk)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def ensure_connection_subscription(connection: CalendlyConnection) -> Any:
    """Ensure (idempotently) the connection's own subscription, at the scope its role and
    ``CALENDLY_CONNECTION_WEBHOOK_SCOPE`` allow, acting with its token and checked against
    its granted scopes. Returns the ``EnsureResult``; None when ``CALENDLY_WEBHOOK_URL``
    is not set. Raises ``WebhooksNotAllowed`` / ``CalendlyError`` as ``ensure_subscription``.
    """
    from .webhooks import ensure_subscription

    if not calendly_settings.WEBHOOK_URL:
        return None
    client = connection_client(connection)
    scope = actor_scope(connection, client, calendly_settings.CONNECTION_WEBHOOK_SCOPE)
    return ensure_subscription(
        webhook_url_for(connection),
        scope=scope,
        client=client,
        granted_scopes=connection.scope or None,
        connection=connection,
    )


def delete_connection_subscriptions(connection: CalendlyConnection) -> list[str]:
    """Delete the connection's subscriptions at Calendly with its token (best effort: a
    token Calendly no longer accepts cannot), then locally in any case, so their keys
    are refused at once. Returns the URIs forgotten."""
    from ..client import CalendlyClient, errors
    from .connections import ConnectionError, fresh_access_token
    from .mirror import last_segment
    from .webhooks import forget_subscription

    uris = list(
        WebhookSubscription.objects.filter(connection=connection).values_list("uri", flat=True)
    )
    if not uris:
        return []
    try:
        token = fresh_access_token(connection)
    except (ConnectionError, CalendlyError):
        # Refresh refused or Calendly unreachable: the stored access token may still work.
        token = connection.access_token
    with CalendlyClient(
        token=token,
        base_url=calendly_settings.BASE_URL,
        timeout=calendly_settings.TIMEOUT,
        connect_timeout=calendly_settings.CONNECT_TIMEOUT,
        max_retries=calendly_settings.REQUEST_MAX_RETRIES,
        max_retry_wait=calendly_settings.REQUEST_MAX_RETRY_WAIT,
    ) as client:
        for uri in uris:
            try:
                client.webhooks.delete(last_segment(uri))
            except errors.NotFound:
                pass
            except CalendlyError as exc:
                logger.warning(
                    "Could not delete webhook subscription %s of connection %s at Calendly "
                    "(%s); forgetting it here, so its deliveries are refused.",
                    uri, connection.pk, type(exc).__name__,
                )
            forget_subscription(uri)
    return uris


# -- lifecycle --------------------------------------------------------------------------------


def on_connected(connection: CalendlyConnection) -> None:
    """After a successful OAuth callback: the connection's subscription, its first sync,
    ``calendly_connected``. A refusal (plan, scopes, role) is logged, not raised: the
    connection itself works, and the periodic sync still covers it."""
    from .webhooks import InvalidSubscription, WebhooksNotAllowed

    try:
        ensure_connection_subscription(connection)
    except (WebhooksNotAllowed, InvalidSubscription, CalendlyError) as exc:
        logger.warning(
            "No webhook subscription for connection %s: %s", connection.pk, exc
        )
    pk = connection.pk

    def first_sync() -> None:
        from ..sync.tasks import sync_connection_task

        try:
            sync_connection_task.enqueue(connection_id=pk)
        except Exception:  # a broken queue must not fail the connect; the periodic run syncs
            logger.exception("Could not enqueue the first sync of connection %s.", pk)

    transaction.on_commit(first_sync)
    signals.calendly_connected.send(sender=CalendlyConnection, connection=connection)


def _retire(connection: CalendlyConnection) -> dict[str, int]:
    delete_connection_subscriptions(connection)
    if calendly_settings.DISCONNECT_PURGE:
        return purge_seen_only_by(connection.pk)
    return {}


def on_disconnecting(connection: CalendlyConnection) -> dict[str, int]:
    """Before the connection's tokens are revoked and its row deleted: its subscriptions
    go, and its rows when ``CALENDLY_DISCONNECT_PURGE`` (counts by model)."""
    return _retire(connection)


def on_disconnected(connection: CalendlyConnection) -> None:
    signals.calendly_disconnected.send(sender=CalendlyConnection, connection=connection)


def on_reconnect_required(connection: CalendlyConnection) -> None:
    """Calendly refused the refresh token (``last_error`` is recorded): the connection
    stops syncing and receiving until its user connects again. Never raises: the caller
    is reporting the refusal."""
    try:
        _retire(connection)
    except Exception:
        logger.exception("Could not retire broken connection %s.", connection.pk)
    signals.calendly_reconnect_required.send(sender=CalendlyConnection, connection=connection)
