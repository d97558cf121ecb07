"""Many Calendly accounts: each connection is a tenant with its own sync and subscription.

Every Calendly call here acts with one connection's token (``get_client(connection.user)``,
rate-limited per Calendly user), and everything it writes is attributed to that connection
(``services.attribution``), so what a connected user sees follows from what their own
account saw. The lifecycle:

- connect (``on_connected``, from the OAuth callback): send ``calendly_connected``; once
  the connection is committed, enqueue the task ensuring its own webhook subscription when
  ``CALENDLY_WEBHOOK_URL`` is set (``connection_webhooks``: its own signing key, its own
  callback URL; the receiver attributes a delivery by the key that verified it, not by
  the URL), then its first sync. The callback itself never calls Calendly for these;
- sync (``sync_connection``): at user scope (the connection's Calendly user), or at
  organization scope for owner/admin connections when
  ``CALENDLY_CONNECTION_SYNC_SCOPE="organization"``; ``enqueue_syncs`` fans out one task
  per usable connection (plus the app's token when ``CALENDLY_ACCESS_TOKEN`` is set), and
  one subscription task per usable connection lacking a subscription (a lost task, a
  killed worker, a refusal a day old);
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

from django.db import transaction
from django.db.models import QuerySet

from .. import signals
from ..client.errors import CalendlyError
from ..conf import calendly_settings
from ..models import CalendlyConnection
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
    return list(_usable().order_by("pk"))


def _usable() -> QuerySet[CalendlyConnection]:
    return CalendlyConnection.objects.filter(last_error="").exclude(owner="")


@dataclass
class Enqueued:
    """One task fanned out: whose (``connection_id``; None: the app's token), and what
    (``kind``: ``sync``, or ``subscription`` for a connection's webhook subscription)."""

    connection_id: int | None
    result: Any = field(repr=False)
    kind: str = "sync"


def enqueue_syncs(
    *,
    include_app: bool = True,
    since: datetime | None = None,
    until: datetime | None = None,
    full: bool = False,
) -> list[Enqueued]:
    """One sync task per usable connection, plus one for the app's token when
    ``CALENDLY_ACCESS_TOKEN`` is set; first, one subscription task per usable connection
    that lacks its webhook subscription (``connection_webhooks``). With a worker backend
    they run in parallel on the workers; with the Immediate backend they run here, in
    turn."""
    from ..sync.tasks import sync_connection_task, sync_scope_task
    from ..tasks import ensure_connection_subscription_task
    from .connection_webhooks import connections_needing_subscription

    window = {  # task arguments are JSON
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "full": full,
    }
    queued = [
        Enqueued(
            c.pk, ensure_connection_subscription_task.enqueue(connection_id=c.pk),
            "subscription",
        )
        for c in connections_needing_subscription(_usable())
    ]
    queued += [
        Enqueued(c.pk, sync_connection_task.enqueue(connection_id=c.pk, **window))
        for c in syncable_connections()
    ]
    if include_app and calendly_settings.ACCESS_TOKEN:
        queued.append(Enqueued(None, sync_scope_task.enqueue(**window)))
    return queued


# -- lifecycle --------------------------------------------------------------------------------


def on_connected(connection: CalendlyConnection) -> None:
    """After a successful OAuth callback: ``calendly_connected`` now; once the connection
    is committed, the tasks that make its webhook subscription (when
    ``CALENDLY_WEBHOOK_URL`` is set) and its first sync. Nothing here calls Calendly, so
    a slow or refusing Calendly cannot fail or slow the callback; a broken queue is logged
    and the periodic run catches up (``enqueue_syncs``)."""
    from ..sync.tasks import sync_connection_task
    from ..tasks import ensure_connection_subscription_task
    from .connection_webhooks import mark_pending

    pk = connection.pk
    subscribe = bool(calendly_settings.WEBHOOK_URL)
    if subscribe:
        mark_pending(connection)

    def enqueue() -> None:
        if subscribe:
            _enqueue_safely(ensure_connection_subscription_task, pk, "webhook subscription")
        _enqueue_safely(sync_connection_task, pk, "first sync")

    signals.calendly_connected.send(sender=CalendlyConnection, connection=connection)
    transaction.on_commit(enqueue)


def _enqueue_safely(task: Any, connection_id: int, what: str) -> None:
    try:
        task.enqueue(connection_id=connection_id)
    except Exception:  # a broken queue must not fail the connect; the periodic run repairs
        logger.exception("Could not enqueue the %s of connection %s.", what, connection_id)


def _retire(connection: CalendlyConnection) -> dict[str, int]:
    from .connection_webhooks import delete_connection_subscriptions

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
        CalendlyConnection.objects.filter(pk=connection.pk).update(
            webhook_status=CalendlyConnection.WebhookStatus.NONE
        )
    except Exception:
        logger.exception("Could not retire broken connection %s.", connection.pk)
    signals.calendly_reconnect_required.send(sender=CalendlyConnection, connection=connection)
