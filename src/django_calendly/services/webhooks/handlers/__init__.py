"""The handlers of each webhook event family: mirror writes and the signals they call for.

Every handler in ``HANDLERS`` first checks the payload against its family's field types
(``fields.check_payload``), so no handler ever writes a value of the wrong type: the
delivery fails with an error naming the field instead. Families without a mirror table
have their own module (``contact``, ``meeting_recap``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import timezone

from .... import signals
from ....models import EventType, Invitee, InviteeNoShow, RoutingFormSubmission, ScheduledEvent
from ...mirror import (
    bulk_upsert,
    current_no_shows,
    event_type_fields,
    invitee_fields,
    last_segment,
    no_show_fields,
    parse_time,
    scheduled_event_fields,
)
from .. import fields
from ..context import Context as _Context
from ..context import _apply, _get_or_insert, _lock, _superseded
from ..deliveries import _resource_uri
from ..keys import _default_organization
from .contact import handle_contact
from .meeting_recap import handle_meeting_recap

Json = Mapping[str, Any]


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
    ctx.saw(ScheduledEvent, event_row.uri if event_row is not None else fields["event"])
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
    ctx.organization = ctx.actor_organization or _default_organization()

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


def _event_of_invitee(invitee_uri: str) -> str:
    """The event URI in an invitee URI (``.../scheduled_events/{uuid}/invitees/{uuid}``,
    REFERENCE.md section 3); "" for any other shape."""
    event, found, _ = invitee_uri.partition("/invitees/")
    return event if found and "/scheduled_events/" in event else ""


def _handle_no_show(ctx: _Context) -> None:
    deleted = ctx.delivery.event == "invitee_no_show.deleted"
    no_show_uri, invitee_uri, created_at, invitee_data = _no_show_parts(ctx)
    if not invitee_uri:
        raise ValueError("The no-show payload names no invitee.")
    if not no_show_uri and not deleted:
        raise ValueError("The invitee_no_show.created payload has no no-show URI.")
    _lock(invitee_uri, no_show_uri)
    ctx.organization = ctx.actor_organization or _default_organization()
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
        _apply_invitee(ctx, invitee_data)  # attributes the invitee's event itself
    else:
        invitee = Invitee.objects.select_for_update().filter(uri=invitee_uri).first()
        if invitee is not None:
            current = _current_no_show(invitee_uri)
            if current is not None:
                invitee.no_show = current
            invitee.save(update_fields=["no_show", "synced_at"])
        # Attributed like every family: a connection sees an invitee through its event
        # (services.visibility), so the delivering connection is recorded on the event.
        ctx.saw(ScheduledEvent, (invitee.event if invitee is not None else "")
                or _event_of_invitee(invitee_uri))
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
    fields["organization"] = (
        fields["organization"] or ctx.actor_organization or _default_organization()
    )
    row, created = _get_or_insert(EventType, fields)
    ctx.saw(EventType, row.uri)
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


Handler = Callable[[_Context], None]


def _typed(spec: fields.FieldSpec, handler: Handler) -> Handler:
    """``handler`` preceded by the type check of every field it reads."""

    def run(ctx: _Context) -> None:
        fields.check_payload(ctx.payload, spec)
        handler(ctx)

    run.__name__ = run.__qualname__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


_FAMILIES: tuple[tuple[tuple[str, ...], fields.FieldSpec, Handler], ...] = (
    (("invitee.created", "invitee.canceled"), fields.INVITEE, _handle_invitee),
    (("invitee_no_show.created", "invitee_no_show.deleted"), fields.NO_SHOW, _handle_no_show),
    (("event_type.created", "event_type.updated", "event_type.deleted"), fields.EVENT_TYPE,
     _handle_event_type),
    (("routing_form_submission.created",), fields.ROUTING_FORM_SUBMISSION,
     _handle_routing_form_submission),
    (("contact.created", "contact.updated", "contact.deleted"), fields.CONTACT, handle_contact),
    (("meeting_recap.created", "meeting_recap.updated", "meeting_recap.deleted"),
     fields.MEETING_RECAP, handle_meeting_recap),
)

HANDLERS: dict[str, Handler] = {
    event: _typed(spec, handler) for events, spec, handler in _FAMILIES for event in events
}
