"""The organization details endpoint (issue 12). The invitation endpoints under the same
path are the original module's (``organizations``)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import organization as service
from .. import serializers as s
from ..responses import resource_response
from ..schema import document, path_uuid
from . import examples as ex
from .base import RESOURCE, CalendlyAPIView


class OrganizationView(CalendlyAPIView):
    @document(
        "calendly_organization_get",
        "Get an organization",
        path=[path_uuid("uuid", "Organization uuid.")],
        success=RESOURCE,
        examples=ex.resource("organization", {
            "uri": ex.ORGANIZATION, "plan": "enterprise", "stage": "paid",
            "created_at": "2026-01-02T03:04:05.000000Z",
            "updated_at": "2026-01-02T03:04:05.000000Z",
        }),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_organization(request.user, uuid))
