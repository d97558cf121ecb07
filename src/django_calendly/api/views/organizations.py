"""The organization invitation endpoints of the original module."""

from __future__ import annotations

from rest_framework import status
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
from .base import CREATED, DELETED, PAGED, RESOURCE, CalendlyAPIView

ORG_UUID = path_uuid("uuid", "Organization uuid.")


class InvitationsListView(CalendlyAPIView):
    @document(
        "calendly_invitations_list",
        "List an organization's invitations",
        path=[ORG_UUID],
        query=s.InvitationsQuery,
        success=PAGED,
    )
    def get(self, request: Request, uuid: str) -> Response:
        org_uuid = s.check_path_uuid("uuid", uuid)
        filters = self.query(s.InvitationsQuery)
        return paged_response(request, service.list_invitations(request.user, org_uuid, **filters))


class InviteView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_invitation_create",
        "Invite a user to an organization",
        path=[ORG_UUID],
        request=s.InviteBody,
        success=CREATED,
        write=True,
        extra_errors=(409,),
    )
    def post(self, request: Request, uuid: str) -> Response:
        org_uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(s.InviteBody)
        return resource_response(
            service.invite_user(request.user, org_uuid, body["email"]), status.HTTP_201_CREATED
        )


INVITATION_PATH = [
    path_uuid("org_uuid", "Organization uuid."),
    path_uuid("uuid", "Invitation uuid."),
]


class RevokeInvitationView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_invitation_revoke",
        "Revoke an organization invitation",
        path=INVITATION_PATH,
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, org_uuid: str, uuid: str) -> Response:
        org = s.check_path_uuid("org_uuid", org_uuid)
        invitation = s.check_path_uuid("uuid", uuid)
        service.revoke_invitation(request.user, org, invitation)
        return no_content()


class InvitationView(CalendlyAPIView):
    @document(
        "calendly_invitation_get",
        "Get an organization invitation",
        path=INVITATION_PATH,
        success=RESOURCE,
    )
    def get(self, request: Request, org_uuid: str, uuid: str) -> Response:
        org = s.check_path_uuid("org_uuid", org_uuid)
        invitation = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_invitation(request.user, org, invitation))
