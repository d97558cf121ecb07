"""``invitees.*``: the invitees of scheduled events, and booking one (Scheduling API)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import validation as v
from ..pagination import Page
from .base import DateTime, Params, Resource, ResourceGroup

MAX_NAME = 255


def _booking_invitee(value: Any) -> dict[str, Any]:
    """``invitee``: ``email`` and ``timezone``, and ``name`` or ``first_name``+``last_name``."""
    invitee = dict(v.validate_object(value, "invitee"))
    invitee["email"] = v.validate_email(invitee.get("email"), "invitee.email")
    invitee["timezone"] = v.validate_text(invitee.get("timezone"), "invitee.timezone", 100)
    if invitee.get("name") is not None:
        invitee["name"] = v.validate_text(invitee["name"], "invitee.name", MAX_NAME)
    elif invitee.get("first_name") is not None or invitee.get("last_name") is not None:
        for part in ("first_name", "last_name"):
            invitee[part] = v.validate_text(invitee.get(part), f"invitee.{part}", MAX_NAME)
    else:
        raise v.InvalidArgument(
            "invitee needs a name, or first_name and last_name.", "invitee.name"
        )
    return invitee


def _event_guests(values: Any) -> list[str]:
    guests = v.validate_emails(values, "event_guests") if values else []
    if len(guests) > v.MAX_EVENT_GUESTS:
        raise v.InvalidArgument(
            f"event_guests may hold at most {v.MAX_EVENT_GUESTS} addresses, not {len(guests)}.",
            "event_guests",
        )
    return guests


class Invitees(ResourceGroup):
    """``/scheduled_events/{uuid}/invitees``."""

    def _query(
        self,
        event_uuid: str,
        status: str | None,
        email: str | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
    ) -> tuple[str, Params]:
        path = (
            f"/scheduled_events/{self._uuid(event_uuid, 'scheduled_event', 'event_uuid')}"
            "/invitees"
        )
        params: Params = {}
        if status is not None:
            params["status"] = v.validate_choice(status, v.INVITEE_STATUSES, "status")
        if email is not None:
            params["email"] = v.validate_email(email)
        return path, self._paging(
            params, sort=sort, sort_endpoint="invitees", count=count, page_token=page_token
        )

    def list(
        self,
        event_uuid: str,
        *,
        status: str | None = None,
        email: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /scheduled_events/{uuid}/invitees`` (one page). Scope ``scheduled_events:read``."""
        return self._page(*self._query(event_uuid, status, email, sort, count, page_token))

    def iter(
        self,
        event_uuid: str,
        *,
        status: str | None = None,
        email: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every invitee of the event, across pages."""
        return self._iter(*self._query(event_uuid, status, email, sort, count, page_token))

    def get(self, event_uuid: str, invitee_uuid: str | None = None) -> Resource:
        """``GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}``.
        Scope ``scheduled_events:read``.

        ``get(invitee_uri)`` with the invitee's full URI works too.
        """
        if invitee_uuid is None:
            parts = v.parse_uri(event_uuid, "invitee", self._base)
            event, invitee = parts["event_uuid"], parts["uuid"]
        else:
            event = self._uuid(event_uuid, "scheduled_event", "event_uuid")
            invitee = self._uuid(invitee_uuid, "invitee", "invitee_uuid")
        return self._get(f"/scheduled_events/{event}/invitees/{invitee}")

    def create(
        self,
        *,
        event_type: str,
        start_time: DateTime,
        invitee: dict[str, Any],
        location: dict[str, Any] | None = None,
        questions_and_answers: Iterable[dict[str, Any]] | None = None,
        tracking: dict[str, Any] | None = None,
        event_guests: Iterable[str] | None = None,
    ) -> Resource:
        """``POST /invitees`` (201): book ``invitee`` into ``event_type`` at ``start_time``
        (the Scheduling API; paid plans, with its own rate limits). Scope
        ``scheduled_events:write``.

        ``invitee`` needs ``email``, ``timezone`` and ``name`` (or ``first_name`` and
        ``last_name``); ``event_guests`` holds at most 10 email addresses.
        """
        body: Params = {
            "event_type": self._uri(event_type, "event_type", "event_type"),
            "start_time": v.validate_datetime(start_time, "start_time"),
            "invitee": _booking_invitee(invitee),
        }
        if location is not None:
            body["location"] = v.validate_object(location, "location")
        if questions_and_answers is not None:
            body["questions_and_answers"] = v.validate_objects(
                questions_and_answers, "questions_and_answers"
            )
        if tracking is not None:
            body["tracking"] = v.validate_object(tracking, "tracking")
        if event_guests is not None:
            body["event_guests"] = _event_guests(event_guests)
        return self._post("/invitees", body)


__all__ = ["Invitees"]
