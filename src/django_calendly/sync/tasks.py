"""The pull sync as a Django Task, for a worker (``django-tasks-db``'s ``db_worker``, RQ).

Enqueue it from anything periodic: ``sync_scope_task.enqueue(organization=uri)``. Two
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
