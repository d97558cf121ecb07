"""Endpoints that change the caller's own Calendly data (contacts, meeting recaps).

Such a write is the caller's own business when it goes through their own Calendly
connection: then the read permission (``CALENDLY_READ_PERMISSION_CLASSES``) is enough, as
for reading it. Without a connection it would be made with the app's token, i.e. as the
organization's Calendly user, which is an organization-wide action: then it needs
``CALENDLY_WRITE_PERMISSION_CLASSES`` (staff by default), like every other write.
Safe methods (GET) always need the read permission. The one rule, so no view can forget it.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ...services.connections import connection_for
from ..permissions import Access, permission_classes_for
from .base import CalendlyAPIView

OWN_WRITE_NOTE = (
    "A caller writing through their own Calendly connection needs only "
    "`CALENDLY_READ_PERMISSION_CLASSES`; with the app's token, this is an "
    "organization-wide action."
)


class OwnDataAPIView(CalendlyAPIView):
    """Reads need the read permission; writes the read permission through the caller's
    own connection, else the write permission."""

    def get_permissions(self) -> list[BasePermission]:
        request = self.request
        access: Access = (
            "read"
            if request.method in SAFE_METHODS or connection_for(request.user) is not None
            else "write"
        )
        return [permission() for permission in permission_classes_for(access)]
