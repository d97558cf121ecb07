"""``scheduled_events.*``: scheduled events and their cancellation."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from .. import validation as v
from ..errors import PageTokenExpired
from ..pagination import Page
from ..positions import StartTimePosition
from .base import DateTime, Params, Resource, ResourceGroup

logger = logging.getLogger("django_calendly.client")

#: The order in which an expired page token can be recovered from (see ``iter``).
RESTARTABLE_SORT = "start_time:asc"


class ScheduledEvents(ResourceGroup):
    """``/scheduled_events``."""

    def _query(
        self,
        organization: str | None,
        user: str | None,
        group: str | None,
        invitee_email: str | None,
        status: str | None,
        min_start_time: DateTime | None,
        max_start_time: DateTime | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
    ) -> Params:
        if organization is None and user is None and group is None:
            raise v.InvalidArgument(
                "Give organization, user or group (see Calendly's scope rules).", "organization"
            )
        params: Params = {}
        if organization is not None:
            params["organization"] = self._uri(organization, "organization")
        if user is not None:
            params["user"] = self._uri(user, "user")
        if group is not None:
            params["group"] = self._uri(group, "group")
        if invitee_email is not None:
            params["invitee_email"] = v.validate_email(invitee_email, "invitee_email")
        if status is not None:
            params["status"] = v.validate_choice(status, v.EVENT_STATUSES, "status")
        if min_start_time is not None:
            params["min_start_time"] = v.validate_datetime(min_start_time, "min_start_time")
        if max_start_time is not None:
            params["max_start_time"] = v.validate_datetime(max_start_time, "max_start_time")
        v.validate_start_time_bounds(params.get("min_start_time"), params.get("max_start_time"))
        return self._paging(
            params, sort=sort, sort_endpoint="scheduled_events", count=count,
            page_token=page_token,
        )

    def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: str | None = None,
        min_start_time: DateTime | None = None,
        max_start_time: DateTime | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /scheduled_events`` (one page). Scope ``scheduled_events:read``."""
        return self._page(
            "/scheduled_events",
            self._query(
                organization, user, group, invitee_email, status, min_start_time,
                max_start_time, sort, count, page_token,
            ),
        )

    def iter(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: str | None = None,
        min_start_time: DateTime | None = None,
        max_start_time: DateTime | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every scheduled event, across pages. Scope ``scheduled_events:read``.

        With ``sort="start_time:asc"`` (what the pull sync uses) an expired page token
        mid-listing is survived: the listing starts again at the last start time yielded
        (``min_start_time``, one microsecond earlier since the reference does not say
        whether it is inclusive) and the events already yielded are skipped
        (``positions.StartTimePosition``). In any other order ``PageTokenExpired`` is
        raised, as it is when a restart makes no progress: never a loop or a silent stop.
        """
        params = self._query(
            organization, user, group, invitee_email, status, min_start_time,
            max_start_time, sort, count, page_token,
        )
        if sort != RESTARTABLE_SORT:
            return self._iter("/scheduled_events", params)
        return self._iter_restarting(params)

    def _iter_restarting(self, params: Params) -> Iterator[Resource]:
        position = StartTimePosition()
        listing = self._iter("/scheduled_events", dict(params))
        restarted = False
        while True:
            before = position.marker
            try:
                for event in listing:
                    if position.seen(event):
                        continue  # had before the restart
                    position.advance(event)
                    yield event
                return
            except PageTokenExpired:
                since = position.restart_from()
                if since is None or (restarted and position.marker == before):
                    # Nothing yielded yet (no position to start from), or the restart
                    # yielded nothing new before its token expired too.
                    raise
            restarted = True
            logger.info("page token expired; listing scheduled events again from the last "
                        "start time yielded")
            query = dict(params)
            query.pop("page_token", None)
            query["min_start_time"] = since
            listing = self._iter("/scheduled_events", query)

    def get(self, uuid: str) -> Resource:
        """``GET /scheduled_events/{uuid}``. Scope ``scheduled_events:read``."""
        return self._get(f"/scheduled_events/{self._uuid(uuid, 'scheduled_event')}")

    def cancel(self, uuid: str, reason: str | None = None) -> Resource:
        """``POST /scheduled_events/{uuid}/cancellation`` (201); returns the cancellation.

        Scope ``scheduled_events:write``.
        """
        body: Params = {}
        if reason is not None:
            body["reason"] = v.validate_reason(reason)
        return self._post(
            f"/scheduled_events/{self._uuid(uuid, 'scheduled_event')}/cancellation", body
        )


__all__ = ["ScheduledEvents"]
