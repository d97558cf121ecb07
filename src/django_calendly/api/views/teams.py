"""The team endpoints (issue 12): the organization's teams, optionally one user's."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import teams as service
from .. import serializers as s
from .. import serializers_directory as d
from ..responses import paged_response, resource_response
from ..schema import document, path_uuid
from . import examples as ex
from .base import PAGED, RESOURCE, CalendlyAPIView

TEAM_UUID = path_uuid("uuid", "Team uuid.")

_TEAM = {
    "uri": f"{ex.API}/teams/TTTTTTTTTTTTTTTT",
    "name": "Account Executives",
    "organization": ex.ORGANIZATION,
    "created_at": "2026-01-02T03:04:05.000000Z",
    "updated_at": "2026-01-02T03:04:05.000000Z",
}


class TeamsView(CalendlyAPIView):
    @document(
        "calendly_teams_list",
        "List teams",
        query=d.TeamsQuery,
        success=PAGED,
        examples=ex.page(_TEAM),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.TeamsQuery)
        return paged_response(request, service.list_teams(request.user, **filters))


class TeamView(CalendlyAPIView):
    @document(
        "calendly_team_get",
        "Get a team",
        path=[TEAM_UUID],
        success=RESOURCE,
        examples=ex.resource("team", _TEAM),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_team(request.user, uuid))
