"""Idempotent bulk upserts of Calendly JSON into the mirror models.

One ``INSERT ... ON CONFLICT (uri) DO UPDATE ... WHERE`` per batch, whatever its size: a
page of 100 events costs one query, not 100. Every writer (the pull sync, the webhook
processing) gets the same convergence rule from ``bulk_upsert``: older data never
overwrites newer, and a cancellation is never undone. The ``*_fields`` functions map
Calendly's JSON onto the indexed columns; the full JSON is kept in ``calendly_data``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import NotSupportedError, connections, models, router, transaction
from django.utils import timezone
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


def event_type_fields(data: Json, organization: str = "") -> dict[str, Any]:
    """``organization`` is the one the caller read the event type for: Calendly's event type
    resource names no organization (only ``profile.owner``), so without it the row could
    never be found by organization."""
    profile = data.get("profile") or {}
    return {
        **_common(data),
        "organization": organization or data.get("organization") or "",
        "owner": profile.get("owner") or "",
        "name": data.get("name") or "",
        "slug": data.get("slug") or "",
        "active": bool(data.get("active", True)),
        "kind": data.get("kind") or "",
        "duration": data.get("duration"),
        "scheduling_url": data.get("scheduling_url") or "",
        "deleted_at": parse_time(data.get("deleted_at")),
    }


def hosts_column(memberships: Iterable[Any]) -> str:
    """``ScheduledEvent.hosts``: ' uri1 uri2 ' (a space at each end), '' without hosts."""
    uris = [
        str(m.get("user")) for m in memberships if isinstance(m, Mapping) and m.get("user")
    ]
    return f" {' '.join(uris)} " if uris else ""


def scheduled_event_fields(data: Json, organization: str = "") -> dict[str, Any]:
    memberships = data.get("event_memberships") or []
    counter = data.get("invitees_counter") or {}
    return {
        **_common(data),
        "organization": organization or data.get("organization") or "",
        "owner": (memberships[0].get("user") if memberships else "") or "",
        "hosts": hosts_column(memberships),
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
        # Older payloads have no cancellation.created_at: the invitee's updated_at is
        # when it was canceled then (a canceled invitee changes no more).
        "canceled_at": (
            parse_time(cancellation.get("created_at")) or parse_time(data.get("updated_at"))
        )
        if data.get("status") == Invitee.STATUS_CANCELED
        else None,
    }


def no_show_fields(data: Json) -> dict[str, Any]:
    return {**_common(data), "invitee": data.get("invitee") or ""}


def current_no_shows(
    invitee_uris: Iterable[str], *, changed_since: datetime | None = None
) -> dict[str, str]:
    """Each invitee's current no-show URI according to the ``InviteeNoShow`` rows (written
    by the no-show webhooks), in one query: the latest row by ``calendly_created_at, id``;
    ``""`` when that row is deleted. An invitee without a no-show row is left out (then the
    invitee payload's value stands).

    ``changed_since`` keeps only invitees with a no-show row written (``synced_at``) at or
    after that moment; the pull sync uses it for the no-shows processed while it fetched.
    """
    uris = set(invitee_uris)
    if not uris:
        return {}
    if changed_since is None:
        invitees: Any = uris
    else:
        invitees = InviteeNoShow.objects.filter(
            invitee__in=uris, synced_at__gte=changed_since
        ).values("invitee")
    rows = (
        InviteeNoShow.objects.filter(invitee__in=invitees)
        .order_by("invitee", "-calendly_created_at", "-id")
        .values_list("invitee", "uri", "deleted_at")
    )
    current: dict[str, str] = {}
    for invitee, uri, deleted_at in rows:
        if invitee not in current:  # the first row of each invitee is its latest
            current[invitee] = "" if deleted_at else uri
    return current


# -- the upsert -------------------------------------------------------------------------

#: A status no later data undoes: Calendly's cancellations are terminal for invitees and
#: scheduled events (a reschedule creates a *new* invitee).
TERMINAL_STATUS = "canceled"

#: PostgreSQL's limit of bind parameters per statement.
_POSTGRES_MAX_PARAMS = 65535


def _max_params(connection: Any) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        try:  # the build's real limit (Python 3.11+); Django assumes the old default of 999
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        except AttributeError:  # pragma: no cover - Python < 3.11
            return int(connection.features.max_query_params or 999)
    return int(connection.features.max_query_params or _POSTGRES_MAX_PARAMS)


#: Field types whose database value is the Python value itself when it has exactly the
#: type listed (``get_db_prep_save`` would return it unchanged): skipping the call saves
#: most of the CPU of preparing a page. Anything else goes through ``get_db_prep_save``.
_PLAIN_TYPES: dict[str, tuple[type, ...]] = {
    "CharField": (str,),
    "TextField": (str,),
    "SlugField": (str,),
    "BooleanField": (bool,),
    "IntegerField": (int,),
    "BigIntegerField": (int,),
    "SmallIntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveBigIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def applies(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """The convergence rule: may ``new`` overwrite ``old``? The Python twin of the SQL
    condition in ``bulk_upsert``; used for duplicates in a batch and by the webhook
    processing, so that every writer follows one rule."""
    incoming, stored = new.get("calendly_updated_at"), old.get("calendly_updated_at")
    if incoming is not None and stored is not None and incoming < stored:
        return False
    if old.get("status") == TERMINAL_STATUS and new.get("status") != TERMINAL_STATUS:
        return False
    return not (old.get("deleted_at") is not None and new.get("deleted_at") is None)


def _merge(old: dict[str, Any], new: dict[str, Any], fill: Sequence[str]) -> dict[str, Any]:
    """What the database ends up with when ``new`` is upserted over ``old``."""
    merged = dict(new) if applies(new, old) else dict(old)
    for name in fill:
        if _empty(merged.get(name)):
            merged[name] = old.get(name) if _empty(new.get(name)) else new.get(name)
    return merged


def bulk_upsert(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    fill_fields: Sequence[str] = (),
) -> int:
    """Insert or update ``rows`` (dicts of field values keyed by ``uri``); return how many
    rows were inserted or changed.

    One ``INSERT ... ON CONFLICT (uri) DO UPDATE SET ... WHERE ...`` statement per batch
    (a batch holds as many rows as the backend's parameter limit allows: a page of 100
    events or a few hundred invitees is one statement). The update applies only when the
    incoming row does not lose against the stored one, so writers that race (the pull
    sync writing a page it listed a moment ago, a webhook delivery processed meanwhile)
    converge whatever the order:

    - an incoming row strictly older than the stored one (``calendly_updated_at``) is
      skipped; equal re-applies (idempotent); a missing ``updated_at`` on either side does
      not order anything, as in the webhook processing;
    - a ``canceled`` row (``status``) never goes back to another status;
    - a deleted row (``deleted_at``) is never undeleted.

    ``fill_fields`` are links that only accumulate: an empty incoming value (``None``,
    ``""``, ``False``) never erases a stored one, and an empty stored value is filled even
    when the rest of the row is skipped as older (e.g. an invitee's ``scheduled_event_id``
    or reschedule links).

    Only the columns present in the rows are updated (plus ``synced_at``); an inserted row
    gets the model's defaults for the others. All rows must have the same keys.
    """
    if not rows:
        return 0
    fill = tuple(fill_fields)
    # Several rows for one uri: fold them as successive upserts would.
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        uri = row["uri"]
        unique[uri] = _merge(unique[uri], row, fill) if uri in unique else row
    items = list(unique.values())

    opts = model._meta
    keys = list(items[0])
    fields = [f for f in opts.concrete_fields if not (f.primary_key and f.auto_created)]
    by_attname = {f.attname: f for f in fields}
    unknown = set(keys) - set(by_attname)
    if unknown:
        raise ValueError(f"{opts.label} has no field(s) {sorted(unknown)}")
    key_set = set(keys)
    if any(set(row) != key_set for row in items):
        raise ValueError("bulk_upsert: every row must have the same keys")
    missing = [name for name in fill if name not in key_set]
    if missing:
        raise ValueError(f"bulk_upsert: fill field(s) {missing} are not in the rows")

    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotSupportedError(
            f"The Calendly mirror needs SQLite or PostgreSQL, not {connection.vendor}."
        )
    qn = connection.ops.quote_name
    table = qn(opts.db_table)
    auto_now = [f.attname for f in fields if getattr(f, "auto_now", False)]
    updated = [k for k in keys if k != "uri"] + [a for a in auto_now if a not in key_set]

    def stored(name: str) -> str:
        return f"{table}.{qn(by_attname[name].column)}"

    def incoming(name: str) -> str:
        return f"EXCLUDED.{qn(by_attname[name].column)}"

    conditions = []
    if "calendly_updated_at" in key_set:
        new, old = incoming("calendly_updated_at"), stored("calendly_updated_at")
        conditions.append(f"({new} IS NULL OR {old} IS NULL OR {new} >= {old})")
    if "status" in key_set:
        conditions.append(
            f"NOT ({stored('status')} = '{TERMINAL_STATUS}' "
            f"AND {incoming('status')} <> '{TERMINAL_STATUS}')"
        )
    if "deleted_at" in key_set:
        conditions.append(
            f"({stored('deleted_at')} IS NULL OR {incoming('deleted_at')} IS NOT NULL)"
        )
    applies = " AND ".join(conditions) or "TRUE"

    def is_empty(expr: str, name: str) -> str:
        field = by_attname[name]
        kind = field.get_internal_type()
        if kind in ("BooleanField", "NullBooleanField"):
            return f"({expr} IS NULL OR NOT {expr})"
        if field.empty_strings_allowed and not field.is_relation:
            return f"({expr} IS NULL OR {expr} = '')"
        return f"{expr} IS NULL"

    assignments = []
    for name in updated:
        column = qn(by_attname[name].column)
        if name in fill:
            take = (
                f"(({applies}) AND NOT {is_empty(incoming(name), name)}) "
                f"OR {is_empty(stored(name), name)}"
            )
            assigned = f"CASE WHEN {take} THEN {incoming(name)} ELSE {stored(name)} END"
        elif fill and name not in auto_now:
            assigned = f"CASE WHEN {applies} THEN {incoming(name)} ELSE {stored(name)} END"
        else:
            assigned = incoming(name)
        assignments.append(f"{column} = {assigned}")
    where = " OR ".join(
        [f"({applies})"]
        + [
            f"({is_empty(stored(name), name)} AND NOT {is_empty(incoming(name), name)})"
            for name in fill
        ]
    )
    columns = ", ".join(qn(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = (
        f" ON CONFLICT ({qn(by_attname['uri'].column)}) DO UPDATE SET "
        + ", ".join(assignments)
        + f" WHERE {where}"
    )

    plain = [
        () if f.is_relation else _PLAIN_TYPES.get(f.get_internal_type(), ()) for f in fields
    ]
    now = timezone.now()
    batch = max(1, min(len(items), _max_params(connection) // len(fields)))
    written = 0
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            params: list[Any] = []
            for row in chunk:
                for field, types in zip(fields, plain, strict=True):
                    name = field.attname
                    value: Any
                    if name in auto_now:
                        value = now
                    elif name in row:
                        value = row[name]
                    else:
                        value = field.get_default()
                    if value is None or type(value) not in types:
                        value = field.get_db_prep_save(value, connection)
                    params.append(value)
            # Only quoted names and constants are formatted in; every value is a parameter.
            values = ", ".join([placeholder] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values}{suffix}"  # noqa: S608
            cursor.execute(sql, params)
            written += cursor.rowcount if cursor.rowcount >= 0 else len(chunk)
    return written


#: Columns of an event type that an empty value never erases.
EVENT_TYPE_FILL = ("organization",)
#: Columns of a scheduled event that an empty value never erases.
SCHEDULED_EVENT_FILL = ("organization", "hosts")
#: An invitee's links: its event row, and both halves of a reschedule.
INVITEE_FILL = ("scheduled_event_id", "old_invitee", "new_invitee", "rescheduled")


def upsert_event_types(items: Iterable[Json], organization: str = "") -> int:
    return bulk_upsert(
        EventType,
        [event_type_fields(i, organization) for i in items],
        fill_fields=EVENT_TYPE_FILL,
    )


def upsert_scheduled_events(
    items: Iterable[Json],
    organization: str = "",
    *,
    extra: Callable[[Json], Mapping[str, Any]] | None = None,
) -> int:
    """Upsert scheduled events; ``extra(item)`` adds columns to each row (the pull sync adds
    ``invitees_signature``; it must return the same keys for every item)."""
    rows = []
    for item in items:
        row = scheduled_event_fields(item, organization)
        if extra is not None:
            row.update(extra(item))
        rows.append(row)
    return bulk_upsert(ScheduledEvent, rows, fill_fields=SCHEDULED_EVENT_FILL)


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
    return bulk_upsert(Invitee, rows, fill_fields=INVITEE_FILL)
