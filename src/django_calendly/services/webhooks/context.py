"""What a handler writes with: the processing context and the mirror row helpers.

Mirror rows are written under PostgreSQL advisory locks keyed on the resource URIs involved
(taken in a fixed order, so concurrent deliveries about the same invitee, event or
reschedule pair serialise instead of deadlocking), and every write follows the mirror's
convergence rule, so deliveries arriving out of order converge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, models

from ...models import WebhookDelivery
from ..mirror import applies

Json = Mapping[str, Any]
M = TypeVar("M", bound=models.Model)


@dataclass
class Context:
    delivery: WebhookDelivery
    payload: dict[str, Any]
    organization: str = ""
    #: The organization of the connection whose subscription sent the delivery (""
    #: for the app's): rows whose payload names none belong to it.
    actor_organization: str = ""
    #: Signals the handler asked for, sent in order by ``notify``.
    pending: list[tuple[Any, Any, Any]] = field(default_factory=list)
    #: Mirror rows the delivery wrote or referred to, by model: attributed to the
    #: delivery's connection (or the app) once the handler ran (``services.attribution``).
    seen: dict[type[models.Model], set[str]] = field(default_factory=dict)

    def saw(self, model: type[models.Model], uri: str) -> None:
        if uri:
            self.seen.setdefault(model, set()).add(uri)

    def send(self, signal: Any, event: Any, payload: Any = None) -> None:
        self.pending.append((signal, event, self.payload if payload is None else payload))

    def notify(self) -> None:
        for signal, event, payload in self.pending:
            signal.send(sender=WebhookDelivery, event=event, payload=payload,
                        delivery=self.delivery)


def _lock(*keys: str) -> None:
    """Serialise writers of the same resources (PostgreSQL advisory transaction locks).

    Keys are taken in sorted order so two deliveries needing the same locks never
    deadlock. Other databases serialise writers themselves (SQLite) and skip this.
    """
    if connection.vendor != "postgresql":
        return
    ids = sorted({
        int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True)
        for k in keys if k
    })
    if not ids:
        return
    # One round trip; PostgreSQL evaluates the select list left to right.
    columns = ", ".join(["pg_advisory_xact_lock(%s)"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", ids)


def _get_or_insert(model: type[M], fields: dict[str, Any]) -> tuple[M, bool]:
    """The row for ``fields['uri']`` locked for update, inserting ``fields`` if absent."""
    manager = model._default_manager
    row = manager.select_for_update().filter(uri=fields["uri"]).first()
    if row is not None:
        return row, False
    # Under the advisory locks only a writer outside them (the pull sync) can insert the
    # same uri meanwhile; the IntegrityError then makes process_delivery run once more.
    return manager.create(**fields), True


#: The columns the convergence rule compares.
_RULE_FIELDS = ("calendly_updated_at", "status", "deleted_at")


def _superseded(row: models.Model, fields: Mapping[str, Any]) -> bool:
    """Whether the stored ``row`` wins over the incoming ``fields``: the mirror's
    convergence rule (``services.mirror.applies``, the Python twin of ``bulk_upsert``'s SQL
    condition), so webhooks and the pull sync never disagree. Strictly older data loses,
    a canceled row is never reactivated, a deleted one never undeleted; as in the SQL
    form, only the columns present in ``fields`` are compared."""
    stored = {name: getattr(row, name) for name in _RULE_FIELDS if name in fields}
    return not applies(fields, stored)


def _apply(row: models.Model, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(row, name, value)
