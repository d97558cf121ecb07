"""The invitees endpoints of the original module."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..responses import (
    paged_response,
)
from ..schema import document
from .base import EVENT_UUID, PAGED, CalendlyAPIView


class EventInviteesView(CalendlyAPIView):
    @document(
        "calendly_event_invitees_list",
        "List the invitees of a scheduled event",
        path=[EVENT_UUID],
        query=s.InviteesQuery,
        success=PAGED,
    )
    def get(self, request: Request, uuid: str) -> Response:
        event_uuid = s.check_path_uuid("uuid", uuid)
        filters = self.query(s.InviteesQuery)
        return paged_response(
            request, service.list_event_invitees(request.user, event_uuid, **filters)
        )
