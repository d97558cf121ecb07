"""Calendly-shaped webhook payloads for the tests (the reference's InviteePayload etc.)."""

from __future__ import annotations

from typing import Any

API = "https://api.calendly.com"
ORG = f"{API}/organizations/ORG1"
HOST = f"{API}/users/HOST1"
EVENT_TYPE = f"{API}/event_types/ET1"


def scheduled_event(
    uuid: str, *, status: str = "active", updated_at: str = "2026-01-01T10:00:00.000000Z",
    start: str = "2026-02-01T10:00:00.000000Z", end: str = "2026-02-01T10:30:00.000000Z",
    active: int = 1,
) -> dict[str, Any]:
    return {
        "uri": f"{API}/scheduled_events/{uuid}",
        "name": "Intro call",
        "status": status,
        "start_time": start,
        "end_time": end,
        "event_type": EVENT_TYPE,
        "location": {"type": "zoom"},
        "invitees_counter": {"total": 1, "active": active, "limit": 1},
        "created_at": "2026-01-01T09:00:00.000000Z",
        "updated_at": updated_at,
        "event_memberships": [{"user": HOST, "user_email": "host@example.com"}],
        "event_guests": [],
    }


def invitee(
    event_uuid: str, uuid: str, *, status: str = "active",
    updated_at: str = "2026-01-01T10:00:00.000000Z", email: str = "ada@example.com",
    rescheduled: bool = False, old_invitee: str | None = None, new_invitee: str | None = None,
    event_status: str | None = None, no_show: dict[str, Any] | None = None,
    start: str = "2026-02-01T10:00:00.000000Z",
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uri": f"{API}/scheduled_events/{event_uuid}/invitees/{uuid}",
        "email": email,
        "first_name": None,
        "last_name": None,
        "name": "Ada Lovelace",
        "timezone": "Europe/London",
        "status": status,
        "created_at": "2026-01-01T09:00:00.000000Z",
        "updated_at": updated_at,
        "questions_and_answers": [],
        "event": f"{API}/scheduled_events/{event_uuid}",
        "tracking": {},
        "text_reminder_number": None,
        "rescheduled": rescheduled,
        "old_invitee": old_invitee,
        "new_invitee": new_invitee,
        "cancel_url": f"https://calendly.com/cancellations/{uuid}",
        "reschedule_url": f"https://calendly.com/reschedulings/{uuid}",
        "routing_form_submission": None,
        "payment": None,
        "no_show": no_show,
        "reconfirmation": None,
        "scheduling_method": None,
        "invitee_scheduled_by": None,
        "scheduled_event": scheduled_event(
            event_uuid,
            status=event_status or ("canceled" if status == "canceled" else "active"),
            updated_at=updated_at,
            start=start,
            active=0 if status == "canceled" else 1,
        ),
    }
    if status == "canceled":
        data["cancellation"] = {
            "canceled_by": "Ada Lovelace", "reason": "conflict", "canceler_type": "invitee",
            "created_at": updated_at,
        }
    return data


def invitee_uri(event_uuid: str, uuid: str) -> str:
    return f"{API}/scheduled_events/{event_uuid}/invitees/{uuid}"


def event_type(
    uuid: str = "ET1", *, name: str = "Intro call", updated_at: str = "2026-01-01T10:00:00Z",
    active: bool = True, deleted_at: str | None = None,
) -> dict[str, Any]:
    return {
        "uri": f"{API}/event_types/{uuid}",
        "name": name,
        "active": active,
        "slug": "intro-call",
        "scheduling_url": "https://calendly.com/host/intro-call",
        "duration": 30,
        "kind": "solo",
        "type": "StandardEventType",
        "profile": {"type": "User", "name": "Host", "owner": HOST},
        "created_at": "2025-12-01T10:00:00Z",
        "updated_at": updated_at,
        "deleted_at": deleted_at,
    }
