"""``no_shows.*``: invitee no-shows."""

from __future__ import annotations

from .base import Resource, ResourceGroup


class NoShows(ResourceGroup):
    """``/invitee_no_shows``."""

    def create(self, invitee_uri: str) -> Resource:
        """``POST /invitee_no_shows`` (201) for an invitee URI. Scope ``scheduled_events:write``."""
        return self._post("/invitee_no_shows", {"invitee": self._uri(invitee_uri, "invitee")})

    def get(self, uuid: str) -> Resource:
        """``GET /invitee_no_shows/{uuid}``. Scope ``scheduled_events:read``."""
        return self._get(f"/invitee_no_shows/{self._uuid(uuid, 'invitee_no_show')}")

    def delete(self, uuid: str) -> None:
        """``DELETE /invitee_no_shows/{uuid}`` (204). Scope ``scheduled_events:write``."""
        self._delete(f"/invitee_no_shows/{self._uuid(uuid, 'invitee_no_show')}")


__all__ = ["NoShows"]
