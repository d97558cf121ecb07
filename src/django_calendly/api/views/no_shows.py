"""The no-show endpoints of the original module."""

from __future__ import annotations

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..permissions import Access
from ..responses import (
    no_content,
    resource_response,
)
from ..schema import document, path_uuid
from .base import CREATED, DELETED, RESOURCE, CalendlyAPIView

NO_SHOW_UUID = path_uuid("uuid", "Invitee no-show uuid.")


class CreateNoShowView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_no_show_create",
        "Mark an invitee as a no-show",
        request=s.NoShowBody,
        success=CREATED,
        write=True,
    )
    def post(self, request: Request) -> Response:
        body = self.body(s.NoShowBody)
        return resource_response(
            service.create_no_show(request.user, body["invitee"]), status.HTTP_201_CREATED
        )


class NoShowView(CalendlyAPIView):
    @document(
        "calendly_no_show_get",
        "Get an invitee no-show",
        path=[NO_SHOW_UUID],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_no_show(request.user, uuid))


class DeleteNoShowView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_no_show_delete",
        "Undo a no-show mark",
        path=[NO_SHOW_UUID],
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        service.delete_no_show(request.user, uuid)
        return no_content()
