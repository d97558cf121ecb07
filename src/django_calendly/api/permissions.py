"""Which DRF permission classes guard an endpoint, read from settings when a request comes.

Reads use ``CALENDLY_READ_PERMISSION_CLASSES`` (default ``IsAuthenticated``); actions with
organization-wide effect use ``CALENDLY_WRITE_PERMISSION_CLASSES`` (default
``IsAdminUser``). Resolving per request lets a host project (or a test) change them with
settings alone.
"""

from __future__ import annotations

from typing import Literal

from django.utils.module_loading import import_string
from rest_framework.permissions import BasePermission

from ..conf import calendly_settings

Access = Literal["read", "write"]


def permission_classes_for(access: Access) -> list[type[BasePermission]]:
    paths = (
        calendly_settings.WRITE_PERMISSION_CLASSES
        if access == "write"
        else calendly_settings.READ_PERMISSION_CLASSES
    )
    return [import_string(path) if isinstance(path, str) else path for path in paths]
