"""The event types endpoints of the original module."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..responses import (
    paged_response,
    resource_response,
)
from ..schema import document, path_uuid
from .base import PAGED, RESOURCE, CalendlyAPIView


class EventTypesView(CalendlyAPIView):
    @document(
        "calendly_event_types_list",
        "List event types of an organization or a user",
        description="Exactly one of `organization` or `user` is required.",
        query=s.EventTypesQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.EventTypesQuery)
        return paged_response(request, service.list_event_types(request.user, **filters))


class EventTypeView(CalendlyAPIView):
    @document(
        "calendly_event_type_get",
        "Get an event type",
        path=[path_uuid("uuid", "Event type uuid.")],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_event_type(request.user, uuid))
