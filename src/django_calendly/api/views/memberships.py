"""The memberships endpoints of the original module."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..permissions import Access
from ..responses import (
    no_content,
    paged_response,
    resource_response,
)
from ..schema import document, path_uuid
from .base import DELETED, PAGED, RESOURCE, CalendlyAPIView

MEMBERSHIP_UUID = path_uuid("uuid", "Organization membership uuid.")


class MembershipView(CalendlyAPIView):
    @document(
        "calendly_membership_get",
        "Get an organization membership",
        path=[MEMBERSHIP_UUID],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_membership(request.user, uuid))


class MembershipsListView(CalendlyAPIView):
    @document(
        "calendly_memberships_list",
        "List organization memberships",
        description="One of `organization` or `user` is required.",
        query=s.MembershipsQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.MembershipsQuery)
        return paged_response(request, service.list_memberships(request.user, **filters))


class RemoveMembershipView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_membership_delete",
        "Remove a user from the organization",
        description="Needs an organization admin token at Calendly; the owner cannot be removed.",
        path=[MEMBERSHIP_UUID],
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        service.remove_membership(request.user, uuid)
        return no_content()
