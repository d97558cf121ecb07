"""Idempotent bulk upserts of Calendly JSON into the mirror models.

One ``INSERT ... ON CONFLICT (uri) DO UPDATE`` per batch, whatever its size: a page of 100
events costs one query, not 100. The ``*_fields`` functions map Calendly's JSON onto the
indexed columns; the full JSON is kept in ``calendly_data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.dateparse import parse_datetime

from ..models import EventType, Invitee, InviteeNoShow, ScheduledEvent

Json = Mapping[str, Any]


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return parse_datetime(str(value))


def last_segment(uri: str | None) -> str:
    return (uri or "").rstrip("/").rsplit("/", 1)[-1]


def _common(data: Json) -> dict[str, Any]:
    return {
        "uri": data["uri"],
        "uuid": last_segment(data["uri"]),
        "calendly_data": dict(data),
        "calendly_created_at": parse_time(data.get("created_at")),
        "calendly_updated_at": parse_time(data.get("updated_at")),
    }


def event_type_fields(data: Json) -> dict[str, Any]:
    profile = data.get("profile") or {}
    return {
        **_common(data),
        "organization": data.get("organization") or "",
        "owner": profile.get("owner") or "",
        "name": data.get("name") or "",
        "slug": data.get("slug") or "",
        "active": bool(data.get("active", True)),
        "kind": data.get("kind") or "",
        "duration": data.get("duration"),
        "scheduling_url": data.get("scheduling_url") or "",
        "deleted_at": parse_time(data.get("deleted_at")),
    }


def scheduled_event_fields(data: Json, organization: str = "") -> dict[str, Any]:
    memberships = data.get("event_memberships") or []
    counter = data.get("invitees_counter") or {}
    return {
        **_common(data),
        "organization": organization or data.get("organization") or "",
        "owner": (memberships[0].get("user") if memberships else "") or "",
        "event_type": data.get("event_type") or "",
        "name": data.get("name") or "",
        "status": data.get("status") or ScheduledEvent.STATUS_ACTIVE,
        "start_time": parse_time(data.get("start_time")),
        "end_time": parse_time(data.get("end_time")),
        "invitees_total": counter.get("total") or 0,
        "invitees_active": counter.get("active") or 0,
    }


def invitee_fields(data: Json) -> dict[str, Any]:
    no_show = data.get("no_show") or {}
    cancellation = data.get("cancellation") or {}
    return {
        **_common(data),
        "event": data.get("event") or "",
        "email": data.get("email") or "",
        "name": data.get("name") or "",
        "status": data.get("status") or Invitee.STATUS_ACTIVE,
        "rescheduled": bool(data.get("rescheduled")),
        "old_invitee": data.get("old_invitee") or "",
        "new_invitee": data.get("new_invitee") or "",
        "no_show": no_show.get("uri") or "",
        "canceled_at": parse_time(cancellation.get("created_at"))
        if data.get("status") == Invitee.STATUS_CANCELED
        else None,
    }


def no_show_fields(data: Json) -> dict[str, Any]:
    return {**_common(data), "invitee": data.get("invitee") or ""}


def bulk_upsert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Insert or update ``rows`` (dicts of field values keyed by ``uri``) in one query."""
    if not rows:
        return 0
    # The last row for a uri wins, as it would with one upsert after another.
    unique = list({row["uri"]: row for row in rows}.values())
    update_fields = [k for k in unique[0] if k != "uri"] + ["synced_at"]
    objs = [model(**row) for row in unique]
    model.objects.bulk_create(  # type: ignore[attr-defined]
        objs, update_conflicts=True, unique_fields=["uri"], update_fields=update_fields
    )
    return len(unique)


def upsert_event_types(items: Iterable[Json]) -> int:
    return bulk_upsert(EventType, [event_type_fields(i) for i in items])


def upsert_scheduled_events(items: Iterable[Json], organization: str = "") -> int:
    return bulk_upsert(ScheduledEvent, [scheduled_event_fields(i, organization) for i in items])


def upsert_invitees(items: Iterable[Json]) -> int:
    """Upsert invitees and link each to its mirrored scheduled event, when present."""
    rows = [invitee_fields(i) for i in items]
    if not rows:
        return 0
    events = dict(
        ScheduledEvent.objects.filter(uri__in={r["event"] for r in rows}).values_list("uri", "id")
    )
    for row in rows:
        row["scheduled_event_id"] = events.get(row["event"])
    return bulk_upsert(Invitee, rows)


def upsert_no_shows(items: Iterable[Json]) -> int:
    return bulk_upsert(InviteeNoShow, [no_show_fields(i) for i in items])
