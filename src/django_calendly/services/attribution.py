"""Who saw which mirror rows: the connections (and the app's own token) behind each row.

One Calendly event seen through two connections is one row, visible to both: rows record
their viewers (``seen_by`` many-to-many, ``seen_by_app``) instead of being copied per
viewer. Writers call ``mark_seen`` with the URIs they just wrote or listed: the pull sync
per page (``sync.engine``), webhook processing per delivery (``webhooks.processing``,
with the rows each family's handler wrote or is about: ``Context.saw``).
Invitees follow their event (visibility reads ``Invitee.event``), so only events and
event types carry viewers: an invitee or no-show delivery records the invitee's event.

An actor is a ``CalendlyConnection`` id, or ``None`` for the app's own token.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import connection as db
from django.db import models, transaction

from ..models import CalendlyConnection, EventType, ScheduledEvent, WebhookDelivery

#: The models that record viewers.
SEEN_MODELS: tuple[type[models.Model], ...] = (ScheduledEvent, EventType)


def _through(model: type[models.Model]) -> type[models.Model]:
    return model._meta.get_field("seen_by").remote_field.through  # type: ignore[union-attr,no-any-return]


def _row_column(model: type[models.Model]) -> str:
    return f"{model._meta.model_name}_id"


def mark_seen(model: type[models.Model], uris: Iterable[str], connection_id: int | None) -> int:
    """Record that ``connection_id`` (None: the app's token) saw the rows of ``uris``.

    Idempotent, three queries (and a savepoint) at most whatever the number of rows. A
    connection deleted meanwhile (a delivery processed after its disconnect) records
    nothing. Returns how many rows were looked at."""
    wanted = sorted({u for u in uris if u})
    if not wanted:
        return 0
    manager = model._default_manager
    if connection_id is None:
        manager.filter(uri__in=wanted, seen_by_app=False).update(seen_by_app=True)
        return len(wanted)
    with transaction.atomic():
        if not hold_connection(connection_id):
            return 0
        through = _through(model)
        column = _row_column(model)
        ids = list(manager.filter(uri__in=wanted).values_list("pk", flat=True))
        through._default_manager.bulk_create(
            [through(**{column: pk, "calendlyconnection_id": connection_id}) for pk in ids],
            ignore_conflicts=True,
        )
    return len(ids)


def hold_connection(connection_id: int) -> bool:
    """Whether the connection exists, kept so until the caller's transaction ends.

    On PostgreSQL its row is locked ``FOR KEY SHARE`` (the lock a foreign-key check takes;
    Django's are deferred to the commit, too late): a disconnect, which locks the row
    ``FOR UPDATE`` before deleting it (``services.connections.disconnect``), waits for the
    rows marked here and deletes them with the connection. Without it, a disconnect
    committed between the check and this transaction's commit failed the commit (a foreign
    key violation: the sync's page, or the delivery's processing until its lease ran out).
    The token refresh locks the row ``FOR NO KEY UPDATE``, which does not conflict with
    it: a handler refreshing the token inside a marking transaction cannot deadlock with
    another one. SQLite serialises writers itself."""
    if db.vendor != "postgresql":
        return CalendlyConnection.objects.filter(pk=connection_id).exists()
    table = db.ops.quote_name(CalendlyConnection._meta.db_table)
    with db.cursor() as cursor:
        # The table is the model's, never input.
        sql = f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE"  # noqa: S608
        cursor.execute(sql, [connection_id])
        return cursor.fetchone() is not None


def mark_rows(seen: dict[str, list[str]], connection_id: int | None) -> None:
    """``mark_seen`` for a delivery's ``seen`` (model label: URIs)."""
    for label, uris in seen.items():
        mark_seen(apps.get_model(label), uris, connection_id)


def attribute_duplicate(delivery_id: int | None, connection_id: int | None) -> None:
    """A webhook already stored arrived again through another actor's subscription (the
    app's organization subscription and a member's user subscription both deliver a
    booking): it is not processed twice, but its rows are that actor's too.

    Under the delivery's row lock, which processing holds while it runs: either it has not
    run yet and will attribute ``viewers`` too, or it has, and ``seen`` lists its rows."""
    if delivery_id is None:
        return
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .filter(pk=delivery_id)
            .only("connection_id", "viewers", "seen")
            .first()
        )
        if delivery is None:
            return
        viewers = list(delivery.viewers or [])
        if connection_id == delivery.connection_id or connection_id in viewers:
            return
        delivery.viewers = [*viewers, connection_id]
        delivery.save(update_fields=["viewers"])
        mark_rows(delivery.seen or {}, connection_id)


def seen_by_connection(model: type[models.Model], connection_id: int) -> models.QuerySet:  # type: ignore[type-arg]
    """The ids of ``model``'s rows the connection saw (a subquery for ``pk__in``)."""
    return _through(model)._default_manager.filter(
        calendlyconnection_id=connection_id
    ).values(_row_column(model))


def purge_seen_only_by(connection_id: int) -> dict[str, int]:
    """Delete the rows this connection saw that no other connection nor the app saw, with
    the invitees of the deleted events (``CALENDLY_DISCONNECT_PURGE``). Counts by model."""
    from ..models import Invitee

    counts: dict[str, int] = {}
    for model in SEEN_MODELS:
        through = _through(model)
        column = _row_column(model)
        others = through._default_manager.exclude(
            calendlyconnection_id=connection_id
        ).values(column)
        doomed = model._default_manager.filter(
            pk__in=seen_by_connection(model, connection_id), seen_by_app=False
        ).exclude(pk__in=others)
        if model is ScheduledEvent:
            uris = list(doomed.values_list("uri", flat=True))
            counts["invitees"] = Invitee.objects.filter(event__in=uris).delete()[0]
            doomed = model._default_manager.filter(uri__in=uris)
        # Their seen_by links go with them (Django deletes the through rows).
        counts[model._meta.model_name or ""] = doomed.delete()[1].get(model._meta.label, 0)
    return counts
