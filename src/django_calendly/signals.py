"""Signals sent while a verified webhook delivery is processed.

Every signal is sent with ``sender=WebhookDelivery`` and three keyword arguments:

- ``event``: a typed, frozen event object (below) with the fields host apps usually need;
- ``payload``: the raw ``payload`` dict of the delivery, exactly as Calendly sent it;
- ``delivery``: the ``WebhookDelivery`` row being processed.

Handlers run inside the processing transaction, after the local mirror was updated, so
they see the new state. A handler that raises marks the delivery ``failed`` (and rolls back
its mirror changes); it can be replayed with ``manage.py calendly_webhooks replay`` or the
admin action, so nothing is lost. Put side effects that must not repeat (emails) behind
``transaction.on_commit`` and make them idempotent: a replay sends the signals again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.dispatch import Signal
from django.utils.dateparse import parse_datetime

invitee_created = Signal()
invitee_canceled = Signal()
invitee_rescheduled = Signal()
invitee_no_show_created = Signal()
invitee_no_show_deleted = Signal()
routing_form_submission_created = Signal()
event_type_changed = Signal()
contact_changed = Signal()
meeting_recap_changed = Signal()
webhook_received = Signal()

# Connection lifecycle (services/tenancy.py); sender=CalendlyConnection, keyword argument
# ``connection`` (the row; after a disconnect it is no longer stored).
calendly_connected = Signal()
calendly_disconnected = Signal()
calendly_reconnect_required = Signal()

__all__ = [
    "ContactEvent",
    "EventTypeEvent",
    "InviteeEvent",
    "InviteeRescheduledEvent",
    "MeetingRecapEvent",
    "NoShowEvent",
    "RoutingFormSubmissionEvent",
    "WebhookEvent",
    "calendly_connected",
    "calendly_disconnected",
    "calendly_reconnect_required",
    "contact_changed",
    "event_type_changed",
    "invitee_canceled",
    "invitee_created",
    "invitee_no_show_created",
    "invitee_no_show_deleted",
    "invitee_rescheduled",
    "meeting_recap_changed",
    "routing_form_submission_created",
    "webhook_received",
]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return parse_datetime(str(value))
    except ValueError:
        return None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class WebhookEvent:
    """Any processed delivery (``webhook_received``), including events this app ignores."""

    name: str
    created_at: datetime | None
    created_by: str
    resource_uri: str
    delivery_id: int | None = None


@dataclass(frozen=True)
class InviteeEvent:
    """``invitee_created`` / ``invitee_canceled``: one invitee and its scheduled event.

    ``superseded`` is true when the local mirror already held newer data for this invitee
    (an out-of-order delivery): the mirror was not changed, the signal is still sent.
    """

    uri: str
    email: str
    name: str
    status: str
    scheduled_event_uri: str
    scheduled_event_name: str
    start_time: datetime | None
    end_time: datetime | None
    event_type_uri: str
    timezone: str
    rescheduled: bool
    old_invitee: str
    new_invitee: str
    cancel_reason: str
    canceled_by: str
    canceler_type: str
    created_at: datetime | None
    updated_at: datetime | None
    superseded: bool = False
    #: When the invitee was canceled: ``cancellation.created_at``, else (older payloads
    #: have none) the invitee's ``updated_at``; None while active.
    canceled_at: datetime | None = None

    @classmethod
    def from_payload(cls, data: Mapping[str, Any], *, superseded: bool = False) -> InviteeEvent:
        event = data.get("scheduled_event")
        event = event if isinstance(event, Mapping) else {}
        cancellation = data.get("cancellation")
        cancellation = cancellation if isinstance(cancellation, Mapping) else {}
        event_uri = _str(data.get("event")) or _str(event.get("uri"))
        return cls(
            uri=_str(data.get("uri")),
            email=_str(data.get("email")),
            name=_str(data.get("name")),
            status=_str(data.get("status")),
            scheduled_event_uri=event_uri,
            scheduled_event_name=_str(event.get("name")),
            start_time=_time(event.get("start_time")),
            end_time=_time(event.get("end_time")),
            event_type_uri=_str(event.get("event_type")),
            timezone=_str(data.get("timezone")),
            rescheduled=bool(data.get("rescheduled")),
            old_invitee=_str(data.get("old_invitee")),
            new_invitee=_str(data.get("new_invitee")),
            cancel_reason=_str(cancellation.get("reason")),
            canceled_by=_str(cancellation.get("canceled_by")),
            canceler_type=_str(cancellation.get("canceler_type")),
            created_at=_time(data.get("created_at")),
            updated_at=_time(data.get("updated_at")),
            superseded=superseded,
            canceled_at=(
                _time(cancellation.get("created_at")) or _time(data.get("updated_at"))
                if data.get("status") == "canceled" else None
            ),
        )


@dataclass(frozen=True)
class InviteeRescheduledEvent:
    """``invitee_rescheduled``: sent once per pair, when both halves have been received.

    ``old`` is the canceled invitee (``rescheduled=True``, ``new_invitee`` set), ``new`` the
    invitee of the new booking (``old_invitee`` set). Calendly sends the two halves as
    separate deliveries (``invitee.canceled`` and ``invitee.created``) in any order.
    """

    old: InviteeEvent
    new: InviteeEvent
    old_payload: Mapping[str, Any] = field(default_factory=dict)
    new_payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NoShowEvent:
    """``invitee_no_show_created`` / ``invitee_no_show_deleted``."""

    uri: str
    invitee_uri: str
    created_at: datetime | None
    deleted: bool


@dataclass(frozen=True)
class EventTypeEvent:
    """``event_type_changed``: ``action`` is ``created``, ``updated`` or ``deleted``."""

    action: str
    uri: str
    name: str
    slug: str
    active: bool
    scheduling_url: str
    duration: int | None
    updated_at: datetime | None
    deleted_at: datetime | None
    superseded: bool = False


@dataclass(frozen=True)
class RoutingFormSubmissionEvent:
    """``routing_form_submission_created``: the submission is stored raw in the mirror."""

    uri: str
    routing_form: str
    submitter: str
    questions_and_answers: list[Any]
    created_at: datetime | None


@dataclass(frozen=True)
class ContactEvent:
    """``contact_changed``: ``action`` is ``created``, ``updated`` or ``deleted``.

    Calendly sends ``{user_uuid, contact}`` ([S26] ``ContactCreatedWebhookPayload``); a
    deleted contact carries only its ``uri`` and ``deleted_at``, so the other fields are
    empty then. Contacts are not mirrored: every other field (``company``, ``country``,
    ``custom_fields``, ...) is in the raw ``payload`` the signal also sends.
    """

    action: str
    uri: str
    user_uuid: str
    name: str
    #: The contact's email addresses (``emails[].email``), in Calendly's order.
    emails: tuple[str, ...]
    created_at: datetime | None
    updated_at: datetime | None
    deleted_at: datetime | None
    #: The address of the email with ``is_primary: true`` ("" if none).
    primary_email: str = ""
    #: ``phone_numbers[].phone_number``, in Calendly's order.
    phone_numbers: tuple[str, ...] = ()
    #: How the contact was created ([S26] publishes no list of values).
    creation_source: str = ""


@dataclass(frozen=True)
class MeetingRecapEvent:
    """``meeting_recap_changed``: ``action`` is ``created``, ``updated`` or ``deleted``.

    Calendly sends ``{created_at, event{...}, recap{...}}`` (``updated`` without
    ``created_at``; ``deleted`` only ``event.uri`` and ``recap{uri, deleted_at}``).
    ``event_uri`` is empty for an ad-hoc meeting without a scheduled event. Recaps are not
    mirrored; the transcript stays in the raw ``payload``.
    """

    action: str
    uri: str
    event_uri: str
    event_name: str
    start_time: datetime | None
    end_time: datetime | None
    summary_md: str
    action_items_md: str
    share_link: str
    created_at: datetime | None
    deleted_at: datetime | None
