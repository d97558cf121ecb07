"""Acting on what you own: the rule of the event-type and sharing writes.

A user may create and change the event types of their own Calendly user (through their own
connection) with the read permission alone; acting for another owner, or without a
connection of one's own (the app's token sees the whole organization), needs the write
permission (``CALENDLY_WRITE_PERMISSION_CLASSES``, staff by default). Calendly checks the
same with the token it is given; this check keeps a user from reaching other owners'
event types through the app's token.
"""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied

from ...conf import calendly_settings
from ...services.calendly_api import event_types as service
from ...services.clients import get_client
from ...services.mirror import last_segment
from ..permissions import permission_classes_for
from .base import CalendlyAPIView

OWN_OR_WRITE = (
    "A user may do this for their own Calendly user through their own connection; for "
    "another owner it needs `CALENDLY_WRITE_PERMISSION_CLASSES` (default: staff)."
)


class OwnOrWriteView(CalendlyAPIView):
    """Guarded by the read permission; ``require_owner`` adds the rule above."""

    def may_write(self) -> bool:
        return all(
            permission().has_permission(self.request, self)
            for permission in permission_classes_for("write")
        )

    def require_owner(self, owner: str | None, what: str) -> None:
        """Pass when the caller may write, or ``owner`` (a user URI; ``None``: the owner of
        the event type, read with ``require_event_type_owner``) is their own user."""
        user = self.request.user
        mine = service.own_calendly_user(user)
        if not mine:
            get_client(user)  # no connection: 403 calendly_connection_required if no token
            raise PermissionDenied(
                f"Without a Calendly connection of your own you may not {what}: that needs "
                "the write permission (staff by default)."
            )
        if owner is None or last_segment(owner) != last_segment(mine):
            raise PermissionDenied(
                f"You may {what} only for your own Calendly user; other owners need the "
                "write permission (staff by default)."
            )

    def require_event_type_owner(self, uuid: str, what: str) -> None:
        """``require_owner`` for the owner of event type ``uuid`` (one Calendly read, only
        when the caller lacks the write permission)."""
        if self.may_write():
            return
        if not service.own_calendly_user(self.request.user):
            self.require_owner(None, what)  # refuses before any Calendly call
        self.require_owner(service.event_type_owner(self.request.user, uuid) or None, what)

    def require_own_user(self, owner: str, what: str) -> None:
        if not self.may_write():
            self.require_owner(owner, what)


def event_type_uri(uuid: str) -> str:
    """The event type's URI under the configured base URL (what Calendly's lists take)."""
    return f"{str(calendly_settings.BASE_URL).rstrip('/')}/event_types/{uuid}"


__all__ = ["OWN_OR_WRITE", "OwnOrWriteView", "event_type_uri"]

