"""Each connection's own webhook subscription: its URL, ensuring it, repairing it, deleting it.

Ensuring calls Calendly three or four times (who am I, list, maybe delete, create), so it
never runs in the OAuth callback: the callback enqueues ``ensure_connection_subscription_task``
(``tasks.py``) once the connection is committed, and the task calls ``ensure_for_connection``
here. Where it stands is kept on the connection (``webhook_status``, ``webhook_error``,
``webhook_checked_at``):

- ``pending``: enqueued; ``ensuring``: a task claimed it (one at a time per connection, for
  ``LEASE``: a worker that dies leaves a claim that expires);
- ``active``: Calendly has the subscription and this app its signing key;
- ``refused``: Calendly (or the scopes granted) will not allow it: free plan, missing
  scope, role. Retried after ``REFUSED_RETRY`` (a plan can be upgraded) or on reconnect;
- ``failed``: Calendly could not be reached, or answered an error: retried by the next
  periodic run.

Idempotent: Calendly allows one subscription per callback URL, each connection has its own
URL (``?connection=<id>``), and ``ensure_subscription`` keeps the one whose key this app
holds, so running the task again creates nothing. The periodic run (``calendly_sync --all``,
``tenancy.enqueue_syncs``) enqueues it for every usable connection that lacks a
subscription (``connections_needing_subscription``): a lost task, a killed worker, a
subscription deleted meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..client.errors import CalendlyError
from ..conf import calendly_settings
from ..models import CalendlyConnection, WebhookSubscription

logger = logging.getLogger(__name__)

Status = CalendlyConnection.WebhookStatus

#: How long a claim (``ensuring``) or an enqueued task (``pending``) is taken to be alive.
LEASE = timedelta(minutes=10)
#: A refusal is asked again after this long (an upgraded plan); a reconnect asks at once.
REFUSED_RETRY = timedelta(days=1)
MAX_ERROR_CHARS = 2000


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
    Calls Calendly: run it from a task (``ensure_for_connection``), not in a request.
    """
    from .tenancy import actor_scope, connection_client
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


# -- the task's work ----------------------------------------------------------------------


def mark_pending(connection: CalendlyConnection) -> None:
    """The connect enqueued a task: ``pending``, unless a task is at it right now."""
    now = timezone.now()
    CalendlyConnection.objects.filter(pk=connection.pk).exclude(_claimed(now)).update(
        webhook_status=Status.PENDING, webhook_error="", webhook_checked_at=now
    )


def _claimed(now: datetime) -> Q:
    return Q(webhook_status=Status.ENSURING, webhook_checked_at__gt=now - LEASE)


def _claim(pk: int) -> bool:
    """Take the connection's subscription work, unless another task holds a live claim.
    One conditional UPDATE: no transaction is held while Calendly is called (a token
    refresh in between must commit on its own)."""
    now = timezone.now()
    return bool(
        CalendlyConnection.objects.filter(pk=pk).exclude(_claimed(now)).update(
            webhook_status=Status.ENSURING, webhook_checked_at=now
        )
    )


def _record(pk: int, status: str, error: str = "") -> None:
    CalendlyConnection.objects.filter(pk=pk).update(
        webhook_status=status, webhook_error=error[:MAX_ERROR_CHARS],
        webhook_checked_at=timezone.now(),
    )


def _forget_stale(connection: CalendlyConnection) -> None:
    """Forget the local records of this connection's subscriptions made for another
    Calendly account (its user connected a different one since): their keys are refused
    from now on, so their deliveries are not attributed to the new account (Calendly
    disables a subscription whose deliveries keep failing). The old token that could
    delete them at Calendly is gone."""
    from .webhooks import forget_subscription

    other_account = Q(pk__in=[])
    if connection.organization:
        other_account |= ~Q(organization="") & ~Q(organization=connection.organization)
    if connection.owner:
        other_account |= Q(scope="user") & ~Q(user="") & ~Q(user=connection.owner)
    stale = WebhookSubscription.objects.filter(other_account, connection=connection)
    for uri in stale.values_list("uri", flat=True):
        logger.warning(
            "Forgetting webhook subscription %s of connection %s: it was made for another "
            "Calendly account.", uri, connection.pk,
        )
        forget_subscription(uri)


def ensure_for_connection(connection_id: int) -> dict[str, Any]:
    """Ensure one connection's subscription and record the outcome on it (the task's
    body). Returns what happened (JSON). A refusal is recorded and returned; a failure to
    reach Calendly is recorded, then raised, so the task backend shows it failed."""
    from .connections import usable_connection
    from .errors import NoCalendlyAccess, NotConfigured
    from .webhooks import InvalidSubscription, WebhooksNotAllowed

    connection, skipped = usable_connection(connection_id)
    if connection is None:
        return skipped
    if not calendly_settings.WEBHOOK_URL:
        _record(connection_id, Status.NONE)
        return {"skipped": "CALENDLY_WEBHOOK_URL is not set", "connection": connection_id}
    if not _claim(connection_id):
        return {"skipped": f"another task is ensuring connection {connection_id}'s "
                "subscription", "connection": connection_id}
    _forget_stale(connection)
    try:
        result = ensure_connection_subscription(connection)
    except (WebhooksNotAllowed, InvalidSubscription) as exc:
        logger.warning("No webhook subscription for connection %s: %s", connection_id, exc)
        _record(connection_id, Status.REFUSED, str(exc))
        return {"connection": connection_id, "status": Status.REFUSED.value, "error": str(exc)}
    except (NotConfigured, NoCalendlyAccess) as exc:
        # No token to act with: the refresh was refused (the connection is retired by
        # tenancy.on_reconnect_required), or OAuth is not configured any more.
        _record(connection_id, Status.FAILED, exc.message)
        return {"skipped": exc.message, "connection": connection_id}
    except CalendlyError as exc:
        message = f"{type(exc).__name__}: {exc}"
        logger.warning(
            "Webhook subscription of connection %s failed (%s); the periodic run retries.",
            connection_id, message,
        )
        _record(connection_id, Status.FAILED, message)
        raise
    except IntegrityError:
        if CalendlyConnection.objects.filter(pk=connection_id).exists():
            _record(connection_id, Status.FAILED, "unexpected error; see the task's log")
            raise
        # Disconnected while Calendly was creating it: the local record's foreign key
        # failed. Its key is stored nowhere, so Calendly's deliveries to it are refused
        # and Calendly disables it; the revoked token cannot delete it.
        logger.warning(
            "Connection %s was disconnected while its webhook subscription was made; "
            "its deliveries are refused.", connection_id,
        )
        return {"skipped": f"connection {connection_id} was disconnected meanwhile",
                "connection": None}
    except BaseException:
        # Anything else (a database error, a bug): leave "failed" behind, not a claim
        # that blocks the retry for LEASE, and let the backend record the traceback.
        _record(connection_id, Status.FAILED, "unexpected error; see the task's log")
        raise
    _record(connection_id, Status.ACTIVE)
    subscription = result.subscription
    return {
        "connection": connection_id,
        "status": Status.ACTIVE.value,
        "created": result.created,
        "subscription": subscription.uri,
        "scope": subscription.scope,
    }


def connections_needing_subscription(
    connections: QuerySet[CalendlyConnection], now: datetime | None = None
) -> list[CalendlyConnection]:
    """Of ``connections`` (the usable ones), those the periodic run ensures a subscription
    for: no subscription recorded, no task in flight (``pending``/``ensuring`` within
    ``LEASE``), no refusal within ``REFUSED_RETRY``. Empty without ``CALENDLY_WEBHOOK_URL``.
    One query."""
    if not calendly_settings.WEBHOOK_URL:
        return []
    now = now or timezone.now()
    in_flight = Q(
        webhook_status__in=[Status.PENDING, Status.ENSURING], webhook_checked_at__gt=now - LEASE
    )
    refused = Q(webhook_status=Status.REFUSED, webhook_checked_at__gt=now - REFUSED_RETRY)
    return list(
        connections.filter(webhook_subscriptions__isnull=True)
        .exclude(in_flight)
        .exclude(refused)
        .order_by("pk")
        .distinct()
    )


# -- delete ------------------------------------------------------------------------------


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
