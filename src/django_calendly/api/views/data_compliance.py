"""The data-compliance endpoints: the original module's deletion of invitees' data, and
the deletion of scheduled-event data of a past range (issue 12)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from ...services.calendly_api import data_compliance as event_data
from .. import serializers as s
from .. import serializers_directory as dc
from ..permissions import Access
from ..schema import document
from . import examples as ex
from .base import CalendlyAPIView


class RemoveInviteesView(CalendlyAPIView):
    """Data-compliance deletion of invitees' data (DELETE, or POST as the old module did)."""

    access: Access = "write"

    def _remove(self, request: Request) -> Response:
        body = self.body(s.RemoveInviteesBody)
        result = service.delete_invitee_data(request.user, body["emails"])
        return Response(result or {}, status=status.HTTP_202_ACCEPTED)

    @document(
        "calendly_remove_invitees",
        "Delete invitees' data (data compliance)",
        description="Asynchronous at Calendly (up to 7 days); Enterprise plan only. "
        "Answers 202 with Calendly's body.",
        request=s.RemoveInviteesBody,
        success=(202, OpenApiResponse(description="Accepted by Calendly.")),
        write=True,
    )
    def delete(self, request: Request) -> Response:
        return self._remove(request)

    @document(
        "calendly_remove_invitees_post",
        "Delete invitees' data (POST form of the same call)",
        request=s.RemoveInviteesBody,
        success=(202, OpenApiResponse(description="Accepted by Calendly.")),
        write=True,
    )
    def post(self, request: Request) -> Response:
        return self._remove(request)


class DeleteEventDataView(CalendlyAPIView):
    """Data-compliance deletion of the scheduled-event data of a past range (issue 12)."""

    access: Access = "write"

    @document(
        "calendly_delete_event_data",
        "Delete scheduled-event data of a past range (data compliance)",
        description="Asynchronous at Calendly (up to 7 days); Enterprise plan only. The range "
        "must be in the past and at most 24 months long. Answers 202 with Calendly's body.",
        request=dc.DeleteEventDataBody,
        success=(202, OpenApiResponse(description="Accepted by Calendly.")),
        write=True,
        examples=ex.request("range", {
            "start_time": "2024-01-01T00:00:00Z", "end_time": "2024-12-31T23:59:59Z",
        }),
    )
    def post(self, request: Request) -> Response:
        body = self.body(dc.DeleteEventDataBody)
        result = event_data.delete_event_data(
            request.user,
            start_time=body["start_time"],
            end_time=body["end_time"],
        )
        return Response(result or {}, status=status.HTTP_202_ACCEPTED)
