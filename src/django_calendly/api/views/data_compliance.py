"""The data-compliance endpoints of the original module."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..permissions import Access
from ..schema import document
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
