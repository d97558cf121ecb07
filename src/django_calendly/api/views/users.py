"""The users endpoints of the original module."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..responses import (
    resource_response,
)
from ..schema import document, path_uuid
from .base import RESOURCE, CalendlyAPIView


class UserDetailsView(CalendlyAPIView):
    @document(
        "calendly_user_details",
        "Get a user (or `me`, the token's user)",
        path=[path_uuid("user_uuid", "User uuid or `me`.", allow_me=True)],
        success=RESOURCE,
    )
    def get(self, request: Request, user_uuid: str) -> Response:
        uuid = s.check_path_uuid("user_uuid", user_uuid, allow_me=True)
        return resource_response(service.get_user(request.user, uuid))
