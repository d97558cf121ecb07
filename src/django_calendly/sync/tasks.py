"""The pull sync as a Django Task, for a worker (``django-tasks-db``'s ``db_worker``, RQ).

Enqueue it from anything periodic: ``sync_scope_task.enqueue(organization=uri)`` (the
app's token), ``sync_connection_task.enqueue(connection_id=pk)`` (one connection's), or
every one at once with ``services.tenancy.enqueue_syncs()`` (``calendly_sync --all``). Two
workers may pick up two syncs of the same scope; the second finds the first RUNNING and
returns ``{"skipped": ...}`` instead of doing the work twice (``SyncAlreadyRunning``).
"""

from __future__ import annotations

from typing import Any

from ..tasks import task


@task()
def sync_scope_task(
    organization: str | None = None,
    user: str | None = None,
    since: str | None = None,
    until: str | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Sync one scope; returns the run's counters (JSON, stored as the task's result).

    ``since``/``until`` are ISO-8601 strings (task arguments must be JSON). A failure
    raises ``SyncError`` so the backend marks the task failed; the sync state keeps the
    error and the resume point.
    """
    from django.utils.dateparse import parse_datetime

    from ..services.sync import sync_scheduled_events
    from .engine import SyncAlreadyRunning

    try:
        stats = sync_scheduled_events(
            organization=organization,
            user=user,
            since=parse_datetime(since) if since else None,
            until=parse_datetime(until) if until else None,
            full=full,
        )
    except SyncAlreadyRunning as exc:
        return {"skipped": str(exc)}
    return stats.as_dict()


@task()
def sync_connection_task(
    connection_id: int,
    since: str | None = None,
    until: str | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Sync what one ``CalendlyConnection`` sees, with its own token (``services.tenancy``).

    A connection gone (disconnected) or awaiting a reconnect since the task was enqueued,
    or whose refresh Calendly refuses now, returns ``{"skipped": ...}``: nothing is wrong
    with the task, there is nothing to do (the refusal is recorded on the connection).
    """
    from django.utils.dateparse import parse_datetime

    from ..services.connections import usable_connection
    from ..services.errors import NotConfigured
    from ..services.tenancy import sync_connection
    from .engine import SyncActorGone, SyncAlreadyRunning

    connection, skipped = usable_connection(connection_id)
    if connection is None:
        return skipped
    try:
        stats = sync_connection(
            connection,
            since=parse_datetime(since) if since else None,
            until=parse_datetime(until) if until else None,
            full=full,
        )
    except (SyncAlreadyRunning, SyncActorGone) as exc:  # gone: disconnected meanwhile
        return {"skipped": str(exc), "connection": connection_id}
    except NotConfigured as exc:  # the refresh was refused just now: it needs reconnecting
        return {"skipped": exc.message, "connection": connection_id}
    return {**stats.as_dict(), "connection": connection_id}
