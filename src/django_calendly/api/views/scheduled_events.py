"""The scheduled events endpoints of the original module."""

from __future__ import annotations

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..permissions import Access
from ..responses import (
    paged_response,
    resource_response,
)
from ..schema import document
from .base import CREATED, EVENT_UUID, PAGED, RESOURCE, CalendlyAPIView


class ScheduledEventsView(CalendlyAPIView):
    @document(
        "calendly_scheduled_events_list",
        "List scheduled events",
        description="`organization` or `user` (or both) is required; see Calendly's rules "
        "on who may list what.",
        query=s.ScheduledEventsQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.ScheduledEventsQuery)
        return paged_response(request, service.list_scheduled_events(request.user, **filters))


class ScheduledEventView(CalendlyAPIView):
    @document(
        "calendly_scheduled_event_get",
        "Get a scheduled event",
        path=[EVENT_UUID],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_scheduled_event(request.user, uuid))


class CancelEventView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_scheduled_event_cancel",
        "Cancel a scheduled event",
        description="Calendly notifies the invitees. `reason` is sent only when given.",
        path=[EVENT_UUID],
        request=s.CancelBody,
        success=CREATED,
        write=True,
    )
    def post(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(s.CancelBody)
        return resource_response(
            service.cancel_event(request.user, uuid, reason=body.get("reason")),
            status.HTTP_201_CREATED,
        )
