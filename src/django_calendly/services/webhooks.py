"""Webhook use cases: verify, log, process a delivery into the mirror, replay, subscribe.

The receiver view (``django_calendly.webhooks.views``) only calls the functions here:

1. ``check_signature`` (raw bytes, several keys, symmetric tolerance),
2. ``parse_envelope`` (a JSON object with ``event`` and ``payload``),
3. ``store_delivery`` (the delivery log first: one INSERT keyed on a unique idempotency
   key; a duplicate is acknowledged, never processed twice), which enqueues
4. ``process_delivery`` with Django Tasks once the row is committed.

Processing runs in its own transaction with the delivery row locked (``SELECT ... FOR
UPDATE``), so two workers never process one delivery twice. Mirror rows are written under
PostgreSQL advisory locks keyed on the resource URIs involved (taken in a fixed order, so
concurrent deliveries about the same invitee, event or reschedule pair serialise instead of
deadlocking), and every write compares Calendly's ``updated_at`` so that deliveries arriving
out of order converge: older data never overwrites newer data, and a canceled invitee or
event is never re-activated by an older ``created``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .. import signals
from ..client.signatures import SignatureError, verify
from ..conf import calendly_settings
from ..crypto import decrypt
from ..models import (
    EventType,
    Invitee,
    InviteeNoShow,
    RoutingFormSubmission,
    ScheduledEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from .caching import ProcessCache
from .mirror import (
    applies,
    bulk_upsert,
    current_no_shows,
    event_type_fields,
    invitee_fields,
    last_segment,
    no_show_fields,
    parse_time,
    scheduled_event_fields,
)

logger = logging.getLogger("django_calendly.webhooks")

Json = Mapping[str, Any]
M = TypeVar("M", bound=models.Model)

#: Events a new subscription asks for when ``--events`` is not given.
DEFAULT_EVENTS = [
    "invitee.created",
    "invitee.canceled",
    "invitee_no_show.created",
    "invitee_no_show.deleted",
]
#: Request headers kept with a delivery (for debugging; never a secret).
KEPT_HEADERS = ("Calendly-Webhook-Signature", "User-Agent", "Content-Type", "X-Request-Id")
MAX_ERROR_CHARS = 8000

__all__ = [
    "DEFAULT_EVENTS",
    "EnsureResult",
    "InvalidDelivery",
    "StoredDelivery",
    "WebhooksNotAllowed",
    "check_signature",
    "delete_subscription",
    "ensure_subscription",
    "forget_subscription",
    "idempotency_key",
    "invalidate_signing_keys",
    "list_subscriptions",
    "new_signing_key",
    "parse_envelope",
    "process_delivery",
    "record_subscription",
    "replay_deliveries",
    "signing_keys",
    "store_delivery",
]


# --------------------------------------------------------------------------- signing keys

def _load_subscription_keys() -> tuple[tuple[str, ...], str]:
    """The signing keys of the subscriptions this app created, and their organization.

    Read as ciphertext and decrypted row by row: one key that can no longer be decrypted
    (SECRET_KEY rotated without CALENDLY_ENCRYPTION_KEYS) must not make every delivery
    fail; it is skipped and reported."""
    rows = list(
        WebhookSubscription.objects.order_by("-created_at")
        .annotate(sealed=Cast("signing_key", output_field=TextField()))
        .values_list("sealed", "organization", "uri")
    )
    keys = []
    for sealed, _, uri in rows:
        if not sealed:
            continue
        try:
            keys.append(decrypt(sealed))
        except ValueError:
            logger.error(
                "The signing key of webhook subscription %s cannot be decrypted "
                "(CALENDLY_ENCRYPTION_KEYS lost its key?); it is not accepted.",
                uri,
            )
    return tuple(dict.fromkeys(keys)), next((o for _, o, _ in rows if o), "")


# Fernet-decrypting the keys on every delivery would make ingest slow. A signature that
# matches no key reloads early (at most once a second), so a subscription created by another
# process is accepted at once.
_key_cache: ProcessCache[tuple[tuple[str, ...], str]] = ProcessCache(
    _load_subscription_keys, ((), "")
)


def invalidate_signing_keys(*args: Any, **kwargs: Any) -> None:
    """Forget the cached subscription keys (after a subscription is created or deleted)."""
    _key_cache.invalidate()


post_save.connect(
    invalidate_signing_keys, sender=WebhookSubscription, dispatch_uid="calendly-keys-save"
)
post_delete.connect(
    invalidate_signing_keys, sender=WebhookSubscription, dispatch_uid="calendly-keys-del"
)


def signing_keys(*, refresh: bool = False) -> list[str]:
    """Every accepted key: ``CALENDLY_WEBHOOK_SIGNING_KEY`` (several, comma-separated, for
    rotation) then the keys of the subscriptions this app created."""
    configured = list(calendly_settings.WEBHOOK_SIGNING_KEY)
    return list(dict.fromkeys([*configured, *_key_cache.get(refresh=refresh)[0]]))


def _default_organization() -> str:
    """Organization written on mirror rows whose payload does not name one."""
    if calendly_settings.ORGANIZATION:
        return str(calendly_settings.ORGANIZATION)
    return _key_cache.get()[1]


def check_signature(body: bytes, header: str | None, *, now: float | None = None) -> int:
    """Verify ``header`` against the raw ``body``; return the signed timestamp.

    Raises ``SignatureError`` (``.code``: missing, malformed, stale, future, mismatch,
    no_keys).
    """
    tolerance = calendly_settings.WEBHOOK_TOLERANCE
    try:
        return verify(body, header, signing_keys(), tolerance=tolerance, now=now)
    except SignatureError as exc:
        if exc.code not in {"mismatch", "no_keys"}:
            raise
        # A subscription created by another process since our last read: look once more.
        return verify(body, header, signing_keys(refresh=True), tolerance=tolerance, now=now)


# --------------------------------------------------------------------------- storing

class InvalidDelivery(ValueError):
    """A verified body that is not a Calendly webhook envelope."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def parse_envelope(body: bytes) -> dict[str, Any]:
    """The delivery envelope ``{event, created_at, created_by, payload}`` as a dict."""
    try:
        # Calendly sends UTF-8 (stored as text). Python's NaN/Infinity extensions are
        # refused: they are not JSON, and the mirror's JSON columns could not store them.
        envelope = json.loads(body.decode("utf-8"), parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError):
        raise InvalidDelivery("invalid_json", "The body is not valid JSON.") from None
    if not isinstance(envelope, dict):
        raise InvalidDelivery("invalid_envelope", "The body must be a JSON object.")
    event = envelope.get("event")
    if not isinstance(event, str) or not event or len(event) > 100:
        raise InvalidDelivery("invalid_envelope", "The body has no valid 'event' name.")
    if not isinstance(envelope.get("payload"), dict):
        raise InvalidDelivery("invalid_envelope", "The body has no 'payload' object.")
    return envelope


def _resource_uri(payload: Json) -> str:
    uri = payload.get("uri")
    return uri if isinstance(uri, str) else ""


def _resource_identity(payload: Json) -> str:
    """The resource URI, or for payloads without one (``contact.*``, ``meeting_recap.*``)
    a digest of the payload, so two such events never share an idempotency key."""
    uri = _resource_uri(payload)
    if uri:
        return uri
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(event: str, created_at: Any, resource_uri: str) -> str:
    """sha256 of the event name, Calendly's ``created_at`` and the resource URI.

    A redelivery of the same webhook carries the same three values; two different
    webhooks about one resource differ in event name or creation time.
    """
    material = "\n".join([event, str(created_at or ""), resource_uri])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredDelivery:
    id: int | None
    duplicate: bool
    idempotency_key: str


def store_delivery(
    envelope: Json, body: bytes, headers: Mapping[str, str] | None = None
) -> StoredDelivery:
    """Write the delivery log row, then enqueue processing once it is committed.

    A delivery whose idempotency key is already stored (a Calendly retry, or the same
    delivery arriving twice at once) is reported as ``duplicate`` and not enqueued again.
    Database errors other than the unique violation propagate (the view answers 503).
    """
    payload = envelope["payload"]
    uri = _resource_uri(payload)
    created_raw = envelope.get("created_at")
    key = idempotency_key(envelope["event"], created_raw, _resource_identity(payload))
    kept = {name: headers[name] for name in KEPT_HEADERS if headers and name in headers}
    try:
        created_at = parse_time(created_raw) if isinstance(created_raw, str) else None
    except ValueError:
        created_at = None
    # In autocommit (the receiver is non-atomic) the INSERT is one round trip and a unique
    # violation leaves nothing to roll back; inside a transaction it needs a savepoint.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            delivery = WebhookDelivery.objects.create(
                idempotency_key=key,
                event=envelope["event"],
                calendly_created_at=created_at,
                resource_uri=uri[:500],
                body=body.decode("utf-8"),
                headers=kept,
            )
    except IntegrityError:
        existing = (
            WebhookDelivery.objects.filter(idempotency_key=key).values_list("id", flat=True).first()
        )
        return StoredDelivery(existing, True, key)
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return StoredDelivery(delivery.pk, False, key)


def _enqueue(delivery_id: int) -> None:
    from ..tasks import enqueue_delivery

    try:
        enqueue_delivery(delivery_id)
    except Exception:
        # The delivery is stored as pending: `calendly_webhooks replay --pending` picks it up.
        logger.exception("Could not enqueue webhook delivery %s; it stays pending.", delivery_id)


# --------------------------------------------------------------------------- processing

def process_delivery(delivery_id: int, *, force: bool = False) -> str:
    """Process one stored delivery; return its final status.

    ``force`` reprocesses a delivery that already succeeded (a replay). A failure in a
    mirror write or in a signal handler rolls back that delivery's mirror changes and marks
    it ``failed`` with the error; it never propagates.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        )
        if delivery is None:
            return "missing"
        if delivery.status == WebhookDelivery.Status.SUCCEEDED and not force:
            return delivery.status
        delivery.attempts += 1
        try:
            with transaction.atomic():  # the mirror's changes and the receivers: all or none
                try:
                    with transaction.atomic():
                        ctx = _dispatch(delivery)
                except IntegrityError:
                    # A mirror row was inserted meanwhile by a writer outside our advisory
                    # locks (the pull sync): the second pass finds it and merges.
                    ctx = _dispatch(delivery)
                # The signals go out once the mirror is written, so a receiver's own
                # IntegrityError fails the delivery instead of running every receiver twice.
                ctx.notify()
        except Exception as exc:
            logger.warning(
                "Webhook delivery %s (%s) failed: %s", delivery.pk, delivery.event, exc,
                exc_info=True,
            )
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = (
                f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
            )[:MAX_ERROR_CHARS]
        else:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.last_error = ""
        delivery.processed_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "last_error", "processed_at"])
        return str(delivery.status)


def replay_deliveries(ids: Iterable[int], *, force: bool = True) -> dict[str, int]:
    """Reprocess deliveries now (admin action, management command); counts by status.

    ``force=False`` skips deliveries that succeeded meanwhile (replaying "pending" ones,
    which a worker may be processing right now: the row lock makes us wait for it, and
    then there is nothing left to do)."""
    counts: dict[str, int] = {}
    for delivery_id in ids:
        status = process_delivery(delivery_id, force=force)
        counts[status] = counts.get(status, 0) + 1
    return counts


@dataclass
class _Context:
    delivery: WebhookDelivery
    payload: dict[str, Any]
    organization: str = ""
    #: Signals the handler asked for, sent in order by ``notify``.
    pending: list[tuple[Any, Any, Any]] = field(default_factory=list)

    def send(self, signal: Any, event: Any, payload: Any = None) -> None:
        self.pending.append((signal, event, self.payload if payload is None else payload))

    def notify(self) -> None:
        for signal, event, payload in self.pending:
            signal.send(sender=WebhookDelivery, event=event, payload=payload,
                        delivery=self.delivery)


def _dispatch(delivery: WebhookDelivery) -> _Context:
    """Apply the delivery to the mirror; the signals it calls for wait in the context."""
    envelope = json.loads(delivery.body)
    payload = envelope.get("payload") or {}
    ctx = _Context(delivery, payload)
    handler = HANDLERS.get(delivery.event)
    if handler is not None:
        handler(ctx)
    else:
        logger.info("Webhook event %s has no handler; only webhook_received.", delivery.event)
    ctx.send(
        signals.webhook_received,
        signals.WebhookEvent(
            name=delivery.event,
            created_at=delivery.calendly_created_at,
            created_by=str(envelope.get("created_by") or ""),
            resource_uri=delivery.resource_uri,
            delivery_id=delivery.pk,
        ),
    )
    return ctx


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


def _apply_scheduled_event(ctx: _Context, data: Json) -> ScheduledEvent | None:
    if not isinstance(data, Mapping) or not data.get("uri"):
        return None
    fields = scheduled_event_fields(data)
    row, created = _get_or_insert(
        ScheduledEvent, {**fields, "organization": fields["organization"] or ctx.organization}
    )
    if created:
        return row
    if _superseded(row, fields):
        return row
    fields["organization"] = fields["organization"] or row.organization or ctx.organization
    _apply(row, fields)
    row.save()
    return row


def _current_no_show(invitee_uri: str) -> str | None:
    """The invitee's current no-show URI from the no-show rows ('' when unmarked), or None
    when no no-show delivery was ever stored for it (then the payload's value stands).
    The rule lives in ``mirror.current_no_shows``, shared with the pull sync."""
    return current_no_shows([invitee_uri]).get(invitee_uri)


def _apply_invitee(ctx: _Context, data: Json) -> tuple[Invitee, bool]:
    """Upsert an invitee (and its embedded event); return (row, superseded)."""
    event_row = _apply_scheduled_event(ctx, data.get("scheduled_event") or {})
    fields = invitee_fields(data)
    if not fields["event"] and event_row is not None:
        fields["event"] = event_row.uri
    if event_row is None and fields["event"]:
        event_id = (
            ScheduledEvent.objects.filter(uri=fields["event"]).values_list("id", flat=True).first()
        )
    else:
        event_id = event_row.pk if event_row is not None else None
    no_show = _current_no_show(fields["uri"])
    if no_show is not None:
        fields["no_show"] = no_show
    row, created = _get_or_insert(Invitee, {**fields, "scheduled_event_id": event_id})
    if created:
        return row, False
    superseded = _superseded(row, fields)
    if superseded:
        # Keep the newer data; only fill reschedule links it does not have yet.
        fields = {k: fields[k] for k in ("old_invitee", "new_invitee") if not getattr(row, k)}
        if fields.get("new_invitee"):
            fields["rescheduled"] = True
        if no_show is not None:
            fields["no_show"] = no_show
    else:
        for link in ("old_invitee", "new_invitee"):
            fields[link] = fields[link] or getattr(row, link)
        fields["rescheduled"] = fields["rescheduled"] or row.rescheduled
        fields["scheduled_event_id"] = event_id or row.scheduled_event_id
    _apply(row, fields)
    row.save()
    return row, superseded


def _pair_complete(old_uri: str, new_uri: str) -> bool:
    """Both halves of a reschedule received: the old invitee canceled and pointing at the
    new one, and the new invitee stored."""
    rows = {
        r.uri: r
        for r in Invitee.objects.filter(uri__in=[old_uri, new_uri]).only(
            "uri", "status", "new_invitee"
        )
    }
    old, new = rows.get(old_uri), rows.get(new_uri)
    return (
        old is not None
        and new is not None
        and old.status == Invitee.STATUS_CANCELED
        and old.new_invitee == new_uri
    )


def _link_other_half(row: Invitee) -> None:
    """Write this invitee's reschedule link onto the other half, if it is stored."""
    if row.new_invitee:
        Invitee.objects.filter(uri=row.new_invitee, old_invitee="").update(old_invitee=row.uri)
    if row.old_invitee:
        Invitee.objects.filter(uri=row.old_invitee, new_invitee="").update(
            new_invitee=row.uri, rescheduled=True
        )


def _handle_invitee(ctx: _Context) -> None:
    data = ctx.payload
    uri = _resource_uri(data)
    if not uri:
        raise ValueError("The invitee payload has no 'uri'.")
    if ctx.delivery.event == "invitee.canceled" and data.get("status") != Invitee.STATUS_CANCELED:
        data = {**data, "status": Invitee.STATUS_CANCELED}
    old_uri = str(data.get("old_invitee") or "")
    new_uri = str(data.get("new_invitee") or "")
    event = data.get("scheduled_event") or {}
    event_uri = str(data.get("event") or (event.get("uri") if isinstance(event, Mapping) else ""))
    _lock(uri, old_uri, new_uri, event_uri)
    ctx.organization = _default_organization()

    pair = (uri, new_uri) if new_uri else (old_uri, uri) if old_uri else None
    complete_before = _pair_complete(*pair) if pair else False
    row, superseded = _apply_invitee(ctx, data)
    _link_other_half(row)

    typed = signals.InviteeEvent.from_payload(data, superseded=superseded)
    if ctx.delivery.event == "invitee.canceled":
        ctx.send(signals.invitee_canceled, typed)
    else:
        ctx.send(signals.invitee_created, typed)
    if pair and not complete_before and _pair_complete(*pair):
        rows = {r.uri: r for r in Invitee.objects.filter(uri__in=pair)}
        old_data, new_data = rows[pair[0]].calendly_data, rows[pair[1]].calendly_data
        ctx.send(
            signals.invitee_rescheduled,
            signals.InviteeRescheduledEvent(
                old=signals.InviteeEvent.from_payload(old_data),
                new=signals.InviteeEvent.from_payload(new_data),
                old_payload=old_data,
                new_payload=new_data,
            ),
        )


def _no_show_parts(ctx: _Context) -> tuple[str, str, Any, Json | None]:
    """(no-show URI, invitee URI, no-show created_at, invitee data or None).

    Two shapes are accepted: the no-show resource (``{uri: .../invitee_no_shows/..,
    invitee, created_at}``, as ``GET /invitee_no_shows/{uuid}`` returns it) and the invitee
    resource with its ``no_show`` object (what Calendly's sample data shows).
    """
    data = ctx.payload
    uri = _resource_uri(data)
    if "/invitee_no_shows/" in uri or ("invitee" in data and "email" not in data):
        invitee = data.get("invitee")
        invitee_uri = invitee.get("uri") if isinstance(invitee, Mapping) else invitee
        return uri, str(invitee_uri or ""), data.get("created_at"), None
    no_show = data.get("no_show")
    no_show = no_show if isinstance(no_show, Mapping) else {}
    return str(no_show.get("uri") or ""), uri, no_show.get("created_at"), data


def _handle_no_show(ctx: _Context) -> None:
    deleted = ctx.delivery.event == "invitee_no_show.deleted"
    no_show_uri, invitee_uri, created_at, invitee_data = _no_show_parts(ctx)
    if not invitee_uri:
        raise ValueError("The no-show payload names no invitee.")
    if not no_show_uri and not deleted:
        raise ValueError("The invitee_no_show.created payload has no no-show URI.")
    _lock(invitee_uri, no_show_uri)
    ctx.organization = _default_organization()
    deleted_at = ctx.delivery.calendly_created_at or timezone.now()
    touched: list[InviteeNoShow] = []
    if no_show_uri:
        fields = no_show_fields(
            {"uri": no_show_uri, "invitee": invitee_uri, "created_at": created_at}
        )
        if deleted:
            fields["deleted_at"] = deleted_at
        row, created = _get_or_insert(InviteeNoShow, fields)
        if not created:
            if deleted and not row.deleted_at:
                row.deleted_at = deleted_at
            # a created never undoes the deletion of the same no-show
            row.invitee = row.invitee or invitee_uri
            row.calendly_created_at = row.calendly_created_at or fields["calendly_created_at"]
            row.save()
        touched.append(row)
    else:  # deleted, invitee shape without the no-show: every current no-show is gone
        for row in InviteeNoShow.objects.select_for_update().filter(
            invitee=invitee_uri, deleted_at__isnull=True
        ):
            row.deleted_at = deleted_at
            row.save(update_fields=["deleted_at", "synced_at"])
            touched.append(row)
    if invitee_data is not None and invitee_data.get("email") is not None:
        if deleted:
            invitee_data = {**invitee_data, "no_show": None}
        _apply_invitee(ctx, invitee_data)
    else:
        invitee = Invitee.objects.select_for_update().filter(uri=invitee_uri).first()
        if invitee is not None:
            current = _current_no_show(invitee_uri)
            if current is not None:
                invitee.no_show = current
            invitee.save(update_fields=["no_show", "synced_at"])
    signal = signals.invitee_no_show_deleted if deleted else signals.invitee_no_show_created
    rows: list[InviteeNoShow | None] = list(touched) or [None]
    for ns in rows:
        ctx.send(
            signal,
            signals.NoShowEvent(
                uri=ns.uri if ns is not None else "",
                invitee_uri=invitee_uri,
                created_at=ns.calendly_created_at if ns is not None else parse_time(created_at),
                deleted=deleted,
            ),
        )


def _handle_event_type(ctx: _Context) -> None:
    data = ctx.payload
    uri = _resource_uri(data)
    if not uri:
        raise ValueError("The event type payload has no 'uri'.")
    action = ctx.delivery.event.split(".", 1)[1]
    _lock(uri)
    fields = event_type_fields(data)
    if action == "deleted":
        fields["deleted_at"] = (
            fields["deleted_at"] or ctx.delivery.calendly_created_at or timezone.now()
        )
        fields["active"] = False
    fields["organization"] = fields["organization"] or _default_organization()
    row, created = _get_or_insert(EventType, fields)
    superseded = False
    if not created:
        superseded = _superseded(row, fields)
        if not superseded:
            fields["organization"] = (
                data.get("organization") or row.organization or fields["organization"]
            )
            _apply(row, fields)
            row.save()
    ctx.send(
        signals.event_type_changed,
        signals.EventTypeEvent(
            action=action,
            uri=uri,
            name=str(fields["name"]),
            slug=str(fields["slug"]),
            active=bool(fields["active"]),
            scheduling_url=str(fields["scheduling_url"]),
            duration=fields["duration"] if isinstance(fields["duration"], int) else None,
            updated_at=fields["calendly_updated_at"],
            deleted_at=fields["deleted_at"],
            superseded=superseded,
        ),
    )


def _handle_routing_form_submission(ctx: _Context) -> None:
    data = ctx.payload
    uri = _resource_uri(data)
    if not uri:
        raise ValueError("The routing form submission payload has no 'uri'.")
    bulk_upsert(
        RoutingFormSubmission,
        [{
            "uri": uri,
            "uuid": last_segment(uri),
            "calendly_data": dict(data),
            "calendly_created_at": parse_time(data.get("created_at")),
            "calendly_updated_at": parse_time(data.get("updated_at")),
            "routing_form": str(data.get("routing_form") or ""),
        }],
    )
    qa = data.get("questions_and_answers")
    ctx.send(
        signals.routing_form_submission_created,
        signals.RoutingFormSubmissionEvent(
            uri=uri,
            routing_form=str(data.get("routing_form") or ""),
            submitter=str(data.get("submitter") or ""),
            questions_and_answers=list(qa) if isinstance(qa, list) else [],
            created_at=parse_time(data.get("created_at")),
        ),
    )


HANDLERS: dict[str, Callable[[_Context], None]] = {
    "invitee.created": _handle_invitee,
    "invitee.canceled": _handle_invitee,
    "invitee_no_show.created": _handle_no_show,
    "invitee_no_show.deleted": _handle_no_show,
    "event_type.created": _handle_event_type,
    "event_type.updated": _handle_event_type,
    "event_type.deleted": _handle_event_type,
    "routing_form_submission.created": _handle_routing_form_submission,
}


# --------------------------------------------------------------------------- subscriptions

class WebhooksNotAllowed(Exception):
    """Calendly refused to manage webhook subscriptions for this account (plan or role)."""


@dataclass(frozen=True)
class EnsureResult:
    subscription: WebhookSubscription
    created: bool
    deleted: list[str]


def _client(client: Any = None) -> Any:
    if client is not None:
        return client
    from .clients import get_client

    return get_client(background=True)


def _organization_and_user(client: Any) -> tuple[str, str]:
    me = client.users.me()
    organization = str(calendly_settings.ORGANIZATION or me.get("current_organization") or "")
    return organization, str(me.get("uri") or "")


def _not_allowed(exc: Exception) -> WebhooksNotAllowed:
    detail = getattr(exc, "message", "") or str(exc)
    return WebhooksNotAllowed(
        f"Calendly refused to manage webhook subscriptions (403: {detail}). Webhooks need a "
        "paid Calendly plan (Standard, Teams or Enterprise); organization scope also needs "
        "an owner or admin role (try --scope user) and a token with webhooks:write."
    )


def list_subscriptions(
    *, client: Any = None, scopes: Sequence[str] = ("organization", "user")
) -> list[dict[str, Any]]:
    """Calendly's subscriptions for the organization (and the token's user), each with
    ``has_key``: whether this app holds its signing key."""
    client = _client(client)
    organization, user = _organization_and_user(client)
    return _list_subscriptions(client, organization, user, scopes)


def _list_subscriptions(
    client: Any, organization: str, user: str, scopes: Sequence[str] = ("organization", "user")
) -> list[dict[str, Any]]:
    """``list_subscriptions`` for an organization and user already known (one /users/me)."""
    from ..client import errors

    local = set(WebhookSubscription.objects.exclude(signing_key="").values_list("uri", flat=True))
    found: dict[str, dict[str, Any]] = {}
    for scope in scopes:
        params: dict[str, Any] = {"organization": organization, "scope": scope}
        if scope == "user":
            params["user"] = user
        try:
            for item in client.webhooks.iter(**params):
                found[item["uri"]] = {**item, "has_key": item["uri"] in local}
        except errors.PermissionDenied as exc:
            if scope == "organization":  # a plain member: user scope only
                logger.info("Cannot list organization-scope webhooks: %s", exc)
                continue
            raise _not_allowed(exc) from exc
    return list(found.values())


def ensure_subscription(
    url: str,
    *,
    scope: str = "organization",
    events: Sequence[str] | None = None,
    client: Any = None,
) -> EnsureResult:
    """Make exactly one active subscription deliver ``events`` to ``url``.

    Reuses a matching subscription whose signing key this app holds; deletes the others
    delivering to ``url`` (Calendly refuses a second one for the same URL anyway, and two
    would double every delivery); otherwise creates one with a fresh random signing key,
    stored encrypted in ``WebhookSubscription``.
    """
    from ..client import errors

    if scope not in {"organization", "user"}:
        raise ValueError("scope must be 'organization' or 'user'.")
    wanted = sorted(set(events or DEFAULT_EVENTS))
    client = _client(client)
    organization, user = _organization_and_user(client)
    # (_list_subscriptions turns Calendly's 403s into WebhooksNotAllowed itself.)
    current = [
        s for s in _list_subscriptions(client, organization, user) if s.get("callback_url") == url
    ]
    keep: dict[str, Any] | None = None
    for sub in current:
        matches = (
            keep is None
            and sub["has_key"]
            and sub.get("state", "active") == "active"
            and sub.get("scope") == scope
            and (scope != "user" or sub.get("user") == user)
            and sorted(sub.get("events") or []) == wanted
        )
        if matches:
            keep = sub
    deleted: list[str] = []
    for sub in current:
        if sub is keep:
            continue
        try:
            client.webhooks.delete(last_segment(sub["uri"]))
        except errors.NotFound:
            pass
        except errors.PermissionDenied as exc:
            raise _not_allowed(exc) from exc
        forget_subscription(sub["uri"])
        deleted.append(sub["uri"])
    if keep is not None:
        local = WebhookSubscription.objects.get(uri=keep["uri"])
        local.state = keep.get("state", "active")
        local.events = list(keep.get("events") or wanted)
        local.save(update_fields=["state", "events"])
        return EnsureResult(local, False, deleted)

    key = new_signing_key()
    try:
        resource = client.webhooks.create(
            url=url,
            events=wanted,
            organization=organization,
            scope=scope,
            user=user if scope == "user" else None,
            signing_key=key,
        )
    except errors.PermissionDenied as exc:
        raise _not_allowed(exc) from exc
    local = record_subscription(
        resource, signing_key=key, url=url, scope=scope, organization=organization,
        events=wanted,
    )
    return EnsureResult(local, True, deleted)


def new_signing_key() -> str:
    """A fresh random signing key for a subscription this app creates."""
    return secrets.token_urlsafe(32)


def record_subscription(
    resource: Json,
    *,
    signing_key: str,
    url: str = "",
    scope: str = "",
    organization: str = "",
    events: Sequence[str] = (),
) -> WebhookSubscription:
    """Store (or update) the local ``WebhookSubscription`` of a subscription Calendly just
    created, with the signing key it was created with (encrypted), so the receiver accepts
    its deliveries at once. ``url``/``scope``/... fill what the resource does not say."""
    local, _ = WebhookSubscription.objects.update_or_create(
        uri=resource["uri"],
        defaults={
            "callback_url": resource.get("callback_url") or url,
            "scope": resource.get("scope") or scope,
            "organization": resource.get("organization") or organization,
            "user": resource.get("user") or "",
            "group": resource.get("group") or "",
            "events": list(resource.get("events") or events),
            "state": resource.get("state") or "active",
            "signing_key": signing_key,
        },
    )
    invalidate_signing_keys()  # post_save does too; explicit, as the receiver relies on it
    return local


def forget_subscription(uuid_or_uri: str) -> int:
    """Delete the local record of a subscription (its key is no longer accepted); returns
    how many rows went. Call it once Calendly deleted the subscription (or says 404)."""
    uuid = last_segment(uuid_or_uri)
    count, _ = WebhookSubscription.objects.filter(
        uri__endswith=f"/webhook_subscriptions/{uuid}"
    ).delete()
    invalidate_signing_keys()
    return count


def delete_subscription(uuid_or_uri: str, *, client: Any = None) -> None:
    """Delete a subscription at Calendly (a 404 is fine) and forget its key."""
    from ..client import errors

    client = _client(client)
    uuid = last_segment(uuid_or_uri)
    try:
        client.webhooks.delete(uuid)
    except errors.NotFound:
        pass
    except errors.PermissionDenied as exc:
        raise _not_allowed(exc) from exc
    forget_subscription(uuid)
