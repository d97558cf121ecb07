"""The activity log endpoint (issue 12; Enterprise): the organization's audit log."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import activity_log as service
from .. import serializers_directory as d
from ..responses import paged_response
from ..schema import document
from . import examples as ex
from .base import PAGED, CalendlyAPIView


class ActivityLogView(CalendlyAPIView):
    """A read like the others: Calendly answers it for organization admins only, so a
    connected member gets ``upstream_permission_denied``."""

    @document(
        "calendly_activity_log_list",
        "List activity log entries",
        description="Enterprise plan only (`plan_required` otherwise). `actor`, `namespace`, "
        "`action` and `sort` take several values, comma-separated; `count` is 1-1000. "
        "The log shows what everyone in the organization did.",
        query=d.ActivityLogQuery,
        success=PAGED,
        examples=ex.page({
            "occurred_at": "2026-01-02T03:04:05.000000Z",
            "namespace": "User", "action": "Add",
            "actor": {"uri": ex.USER, "display_name": "Olivia Owner"},
            "organization": ex.ORGANIZATION, "details": {},
        }),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.ActivityLogQuery)
        return paged_response(request, service.list_activity_log(request.user, **filters))
