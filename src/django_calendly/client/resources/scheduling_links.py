"""``scheduling_links.*``: single-use booking links (``scheduling_links:write``)."""

from __future__ import annotations

from .base import Resource, ResourceGroup

#: The only values Calendly accepts (REFERENCE.md section 9, openapi.yaml).
MAX_EVENT_COUNT = 1
OWNER_TYPE = "EventType"


class SchedulingLinks(ResourceGroup):
    """``POST /scheduling_links``."""

    def create(self, owner: str) -> Resource:
        """``POST /scheduling_links`` (201): a link that books ``owner`` (an event type URI)
        once. Scope ``scheduling_links:write``.

        ``max_event_count`` (1) and ``owner_type`` (``EventType``) are the only values
        Calendly allows, so they are not arguments.
        """
        body = {
            "max_event_count": MAX_EVENT_COUNT,
            "owner": self._uri(owner, "event_type", "owner"),
            "owner_type": OWNER_TYPE,
        }
        return self._post("/scheduling_links", body)


__all__ = ["SchedulingLinks"]
