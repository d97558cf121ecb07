"""Which DRF permission classes guard an endpoint, read from settings when a request comes.

Reads use ``CALENDLY_READ_PERMISSION_CLASSES`` (default ``IsAuthenticated``); actions with
organization-wide effect use ``CALENDLY_WRITE_PERMISSION_CLASSES`` (default
``IsAdminUser``). The setting is read per request, so a host project (or a test) can change
them with settings alone; importing the dotted paths is cached by the tuple of paths.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

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
    return list(_resolve(tuple(paths)))


@lru_cache(maxsize=64)
def _resolve(paths: tuple[Any, ...]) -> tuple[type[BasePermission], ...]:
    # An ImportError is not cached: a bad path fails on every request, as before.
    return tuple(import_string(path) if isinstance(path, str) else path for path in paths)
