"""``locations/``: a user's configured meeting locations (read permission; Calendly decides
which users the caller's token may read)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import locations as service
from .. import serializers_event_types as es
from ..responses import paged_response
from ..schema import document
from .base import PAGED, CalendlyAPIView


class LocationsView(CalendlyAPIView):
    @document(
        "calendly_locations_list",
        "List a user's configured meeting locations",
        query=es.LocationsQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        q = self.query(es.LocationsQuery)
        user = q.pop("user")
        return paged_response(request, service.list_locations(request.user, user, **q))
