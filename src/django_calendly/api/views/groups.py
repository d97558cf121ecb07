"""The group endpoints (issue 12): an organization's groups and the group relationships
(who is a member or admin of which group)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import groups as service
from .. import serializers as s
from .. import serializers_directory as d
from ..responses import paged_response, resource_response
from ..schema import document, path_uuid
from . import examples as ex
from .base import PAGED, RESOURCE, CalendlyAPIView

GROUP_UUID = path_uuid("uuid", "Group uuid.")
RELATIONSHIP_UUID = path_uuid("uuid", "Group relationship uuid.")

_GROUP = {
    "uri": f"{ex.API}/groups/GGGGGGGGGGGGGGGG",
    "name": "Sales",
    "organization": ex.ORGANIZATION,
    "created_at": "2026-01-02T03:04:05.000000Z",
    "updated_at": "2026-01-02T03:04:05.000000Z",
}
_RELATIONSHIP = {
    "uri": f"{ex.API}/group_relationships/RRRRRRRRRRRRRRRR",
    "role": "member",
    # The membership (or an organization invitation, type "OrganizationInvitation").
    "owner": {
        "uri": f"{ex.API}/organization_memberships/MMMMMMMMMMMMMMMM",
        "type": "OrganizationMembership",
        "role": "user",
        "user": {"uri": ex.USER, "name": "Mia Member", "email": "mia@example.com"},
        "organization": ex.ORGANIZATION,
        "created_at": "2026-01-02T03:04:05.000000Z",
        "updated_at": "2026-01-02T03:04:05.000000Z",
    },
    "organization": ex.ORGANIZATION,
    "group": _GROUP["uri"],
    "created_at": "2026-01-02T03:04:05.000000Z",
    "updated_at": "2026-01-02T03:04:05.000000Z",
}


class GroupsView(CalendlyAPIView):
    @document(
        "calendly_groups_list",
        "List an organization's groups",
        query=d.GroupsQuery,
        success=PAGED,
        examples=ex.page(_GROUP),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.GroupsQuery)
        return paged_response(request, service.list_groups(request.user, **filters))


class GroupView(CalendlyAPIView):
    @document(
        "calendly_group_get",
        "Get a group",
        path=[GROUP_UUID],
        success=RESOURCE,
        examples=ex.resource("group", _GROUP),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_group(request.user, uuid))


class GroupRelationshipsView(CalendlyAPIView):
    @document(
        "calendly_group_relationships_list",
        "List group relationships",
        description="At least one of `organization`, `owner` (a user or organization "
        "membership URI) or `group` is required.",
        query=d.GroupRelationshipsQuery,
        success=PAGED,
        examples=ex.page(_RELATIONSHIP),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.GroupRelationshipsQuery)
        return paged_response(request, service.list_group_relationships(request.user, **filters))


class GroupRelationshipView(CalendlyAPIView):
    @document(
        "calendly_group_relationship_get",
        "Get a group relationship",
        path=[RELATIONSHIP_UUID],
        success=RESOURCE,
        examples=ex.resource("relationship", _RELATIONSHIP),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_group_relationship(request.user, uuid))
