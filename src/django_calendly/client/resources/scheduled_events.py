"""``scheduled_events.*``: scheduled events and their cancellation."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from .. import validation as v
from ..errors import PageTokenExpired
from ..pagination import Page
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
            raise ValueError("Give organization, user or group (see Calendly's scope rules).")
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
        (``min_start_time``, which Calendly treats as inclusive) and the events already
        yielded at that time are skipped. In any other order ``PageTokenExpired`` is
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
        last_start: str | None = None
        at_last_start: set[Any] = set()  # URIs yielded whose start_time is last_start
        listing = self._iter("/scheduled_events", dict(params))
        restarted = False
        while True:
            progressed = False
            try:
                for event in listing:
                    start, uri = event.get("start_time"), event.get("uri")
                    if last_start is not None and start == last_start and uri in at_last_start:
                        continue  # seen before the restart
                    if start != last_start:
                        last_start, at_last_start = start, set()
                    at_last_start.add(uri)
                    progressed = True
                    yield event
                return
            except PageTokenExpired:
                if not isinstance(last_start, str) or (restarted and not progressed):
                    # Nothing yielded yet (no position to start from), or the restart
                    # yielded nothing new before its token expired too.
                    raise
            restarted = True
            logger.info("page token expired; listing scheduled events again from the last "
                        "start time yielded")
            query = dict(params)
            query.pop("page_token", None)
            query["min_start_time"] = last_start
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
