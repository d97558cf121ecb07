"""``meeting_recaps.*``: Notetaker meeting recaps and transcripts (paid plans)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import validation as v
from ..pagination import Page
from .base import DateTime, Params, Resource, ResourceGroup

#: The markdown fields of a recap that ``update`` may change (REFERENCE.md section 9).
EDITABLE_FIELDS = ("summary_md", "action_items_md", "discussion_md")
MAX_MARKDOWN = 100_000


class MeetingRecaps(ResourceGroup):
    """``/meeting_recaps`` (REFERENCE.md section 9)."""

    def _query(
        self, event: str | None, start_time: DateTime | None, end_time: DateTime | None,
        status: str | None, attendee: str | None, count: int | None, page_token: str | None,
    ) -> Params:
        params: Params = {}
        if event is not None:
            params["event"] = self._uri(event, "scheduled_event", "event")
        if start_time is not None and end_time is not None:
            params["start_time"], params["end_time"] = v.validate_time_range(
                start_time, end_time
            )
        elif start_time is not None:
            params["start_time"] = v.validate_datetime(start_time, "start_time")
        elif end_time is not None:
            params["end_time"] = v.validate_datetime(end_time, "end_time")
        if status is not None:
            params["status"] = v.validate_choice(status, v.MEETING_RECAP_STATUSES, "status")
        if attendee is not None:
            params["attendee"] = v.validate_email(attendee, "attendee")
        return self._paging(params, count=count, page_token=page_token)

    def list(
        self, *, event: str | None = None, start_time: DateTime | None = None,
        end_time: DateTime | None = None, status: str | None = None,
        attendee: str | None = None, count: int | None = None, page_token: str | None = None,
    ) -> Page:
        """``GET /meeting_recaps`` (one page). Scope ``meeting_recaps:read``.

        ``status`` is ``available``, ``processing`` or ``unavailable``; ``attendee`` an email.
        """
        return self._page(
            "/meeting_recaps",
            self._query(event, start_time, end_time, status, attendee, count, page_token),
        )

    def iter(
        self, *, event: str | None = None, start_time: DateTime | None = None,
        end_time: DateTime | None = None, status: str | None = None,
        attendee: str | None = None, count: int | None = None, page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every matching recap, across pages (scope ``meeting_recaps:read``)."""
        return self._iter(
            "/meeting_recaps",
            self._query(event, start_time, end_time, status, attendee, count, page_token),
        )

    def get(self, uuid: str) -> Resource:
        """``GET /meeting_recaps/{uuid}``. Scope ``meeting_recaps:read``."""
        return self._get(f"/meeting_recaps/{self._uuid(uuid, 'meeting_recap')}")

    def update(
        self, uuid: str, *, summary_md: str | None = None, action_items_md: str | None = None,
        discussion_md: str | None = None,
    ) -> Resource:
        """``PATCH /meeting_recaps/{uuid}``: edit the recap's markdown.
        Scope ``meeting_recaps:write``."""
        path = f"/meeting_recaps/{self._uuid(uuid, 'meeting_recap')}"
        body = self._changes(
            {"summary_md": summary_md, "action_items_md": action_items_md,
             "discussion_md": discussion_md},
            "meeting recap",
        )
        for name, value in body.items():
            if not isinstance(value, str) or len(value) > MAX_MARKDOWN:
                raise v.InvalidArgument(
                    f"{name} must be a string of at most {MAX_MARKDOWN} characters.", name
                )
        return self._patch(path, body)

    def delete(self, uuid: str) -> None:
        """``DELETE /meeting_recaps/{uuid}`` (204). Scope ``meeting_recaps:write``."""
        self._delete(f"/meeting_recaps/{self._uuid(uuid, 'meeting_recap')}")

    def transcript(self, uuid: str) -> dict[str, Any]:
        """``GET /meeting_recaps/{uuid}/transcript``. Scope ``meeting_recaps:read``."""
        uuid = self._uuid(uuid, "meeting_recap")
        return self._object(self._client.request("GET", f"/meeting_recaps/{uuid}/transcript"))


__all__ = ["MeetingRecaps"]
