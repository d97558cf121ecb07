"""Use cases of the pull sync: which scope to sync, with which window, and run it.

The engine lives in ``django_calendly.sync``; this module only joins the settings, the
client and the engine, so the management command, the task and host projects call one
function: ``sync_scheduled_events(organization=..., user=..., since=..., until=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models.signals import post_delete, post_save

from ..conf import calendly_settings
from ..models import CalendlyConnection, SyncState, WebhookSubscription
from ..sync.engine import (
    SCOPE_ORGANIZATION,
    SCOPE_USER,
    ProgressCallback,
    SyncEngine,
    SyncOptions,
    SyncStats,
)
from ..sync.pacing import RateLimitPacer
from . import mirror
from .caching import ProcessCache
from .clients import get_client


@dataclass(frozen=True)
class Scope:
    kind: str  # "organization" or "user"
    uri: str
    organization: str  # the organization the rows belong to


def resolve_scope(
    client: Any,
    *,
    organization: str | None = None,
    user: str | None = None,
    pacer: RateLimitPacer | None = None,
) -> Scope:
    """The scope to sync: the user given, else the organization given, else
    ``CALENDLY_ORGANIZATION``, else the token user's current organization (one API call,
    through ``pacer`` when given)."""
    call: Any = pacer.call if pacer is not None else (lambda fn, *args: fn(*args))
    configured = calendly_settings.ORGANIZATION
    if user:
        org = organization or configured
        if not org:
            found = call(client.users.get, mirror.last_segment(user))
            org = found.get("current_organization") or ""
        return Scope(SCOPE_USER, user, org)
    org = organization or configured
    if not org:
        org = call(client.users.me).get("current_organization") or ""
        if not org:
            raise ValueError("The token's user has no current organization; pass one.")
    return Scope(SCOPE_ORGANIZATION, org, org)


def sync_scheduled_events(
    *,
    organization: str | None = None,
    user: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    full: bool = False,
    dry_run: bool = False,
    concurrency: int | None = None,
    client: Any = None,
    progress: ProgressCallback | None = None,
    connection_id: int | None = None,
) -> SyncStats:
    """Sync event types, scheduled events in ``[since, until)`` and their invitees.

    ``connection_id``: the ``CalendlyConnection`` whose ``client`` this is (its rows are
    marked as seen by it); None: the app's own token (``services.tenancy.sync_connection``
    passes both).

    Raises ``SyncError`` (with a message fit for a user) when the sync stops; the progress
    made is kept and the next call resumes from it.
    """
    # Rate limits are the pacer's: the client raises a 429 at once instead of sleeping
    # inside the call, so every wait is counted and shown (network and 5xx retries stay
    # in the client). A client passed in should be built with retry_rate_limited=False.
    client = client or get_client(background=True, retry_rate_limited=False)
    concurrency = concurrency or calendly_settings.SYNC_CONCURRENCY
    pacer = RateLimitPacer(client, reserve=max(1, concurrency))
    scope = resolve_scope(client, organization=organization, user=user, pacer=pacer)
    options = SyncOptions(
        scope=scope.kind,
        scope_uri=scope.uri,
        organization=scope.organization,
        window_start=since,  # None: the default window (applied by the engine)
        window_end=until,
        full=full,
        dry_run=dry_run,
        concurrency=concurrency,
        connection_id=connection_id,
    )
    return SyncEngine(client, options, progress=progress, pacer=pacer).run()


def local_organization(user: Any = None) -> str:
    """The organization whose mirrored data ``user`` may read, without calling Calendly.

    A user who connected their own Calendly account (OAuth) reads their organization's.
    Anyone else reads the app's: ``CALENDLY_ORGANIZATION`` when set; otherwise the
    organization of the app token's most recent sync (what the token's user belonged to
    then); otherwise that of the newest webhook subscription the app (not a connection)
    created (a project that only receives webhooks). Empty when none is known.
    """
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and calendly_settings.CLIENT_ID  # connections exist only when OAuth is set up
    ):
        connected = (
            CalendlyConnection.objects.filter(user=user)
            .exclude(organization="")
            .values_list("organization", flat=True)
            .first()
        )
        if connected:
            return str(connected)
    configured = calendly_settings.ORGANIZATION
    if configured:
        return str(configured)
    return _app_organization.get()


def _app_organization_from_db() -> str:
    """The organization of the app token's most recent sync, else of the app's newest
    subscription (2 queries). A connection's sync or subscription says nothing about the
    app's organization: connections may belong to other organizations."""
    state = (
        SyncState.objects.filter(connection=None)
        .exclude(last_started_at=None)
        .order_by("-last_started_at")
        .first()
    )
    if state is not None:
        if state.scope == SCOPE_ORGANIZATION:
            return state.scope_uri
        from_counts = str((state.counts or {}).get("organization") or "")
        if from_counts:
            return from_counts
    subscribed = (
        WebhookSubscription.objects.filter(connection=None)
        .exclude(organization="")
        .order_by("-created_at")
        .values_list("organization", flat=True)
        .first()
    )
    return str(subscribed or "")


# Saving or deleting a SyncState or a WebhookSubscription in this process forgets it at
# once (the receivers below); another process's changes are seen within 30 s. "None known
# yet" is never cached: the first sync, run by another process (calendly_sync), shows in
# the local API at once.
_app_organization = ProcessCache(_app_organization_from_db, "", cache_empty=False)


def invalidate_app_organization(*args: Any, **kwargs: Any) -> None:
    """Forget the cached app-wide organization (a signal receiver; tests call it too)."""
    _app_organization.invalidate()


post_save.connect(
    invalidate_app_organization, sender=SyncState, dispatch_uid="calendly-app-org-state"
)
post_delete.connect(
    invalidate_app_organization, sender=SyncState, dispatch_uid="calendly-app-org-state-del"
)
post_save.connect(
    invalidate_app_organization, sender=WebhookSubscription, dispatch_uid="calendly-app-org-sub"
)
post_delete.connect(
    invalidate_app_organization,
    sender=WebhookSubscription,
    dispatch_uid="calendly-app-org-sub-del",
)
