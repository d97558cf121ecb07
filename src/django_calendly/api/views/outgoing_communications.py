"""The outgoing communications endpoint (issue 12; Enterprise): SMS and email Calendly
sent for the organization."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import outgoing_communications as service
from .. import serializers_directory as d
from ..responses import paged_response
from ..schema import document
from . import examples as ex
from .base import PAGED, CalendlyAPIView


class OutgoingCommunicationsView(CalendlyAPIView):
    """A read like the others: Calendly answers it for organization admins only, so a
    connected member gets ``upstream_permission_denied``."""

    @document(
        "calendly_outgoing_communications_list",
        "List outgoing communications",
        description="Enterprise plan only (`plan_required` otherwise). "
        "`max_created_at` must not be before `min_created_at`.",
        query=d.OutgoingCommunicationsQuery,
        success=PAGED,
        examples=ex.page({
            "type": "email", "status": "delivered",
            "created_at": "2026-01-02T03:04:05.000000Z",
            "organization": ex.ORGANIZATION,
        }),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.OutgoingCommunicationsQuery)
        return paged_response(
            request, service.list_outgoing_communications(request.user, **filters)
        )
