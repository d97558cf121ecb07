"""The routing form endpoints (issue 12): forms and their submissions (read-only at
Calendly)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import routing_forms as service
from .. import serializers as s
from .. import serializers_directory as d
from ..responses import paged_response, resource_response
from ..schema import document, path_uuid
from . import examples as ex
from .base import PAGED, RESOURCE, CalendlyAPIView

FORM_UUID = path_uuid("uuid", "Routing form uuid.")
SUBMISSION_UUID = path_uuid("uuid", "Routing form submission uuid.")

_FORM = {
    "uri": "https://api.calendly.com/routing_forms/AAAAAAAAAAAAAAAA",
    "name": "Contact Sales",
    "status": "published",
    "organization": ex.ORGANIZATION,
    "questions": [{"uuid": "q1", "name": "Company size", "type": "select", "required": True}],
}
_SUBMISSION = {
    "uri": "https://api.calendly.com/routing_form_submissions/SSSSSSSSSSSSSSSS",
    "routing_form": _FORM["uri"],
    "questions_and_answers": [{"question_uuid": "q1", "question": "Company size",
                               "answer": "50-200"}],
    "result": {"type": "event_type", "value": "https://api.calendly.com/event_types/EEEEEEEE"},
}
class RoutingFormsView(CalendlyAPIView):
    @document(
        "calendly_routing_forms_list",
        "List an organization's routing forms",
        query=d.RoutingFormsQuery,
        success=PAGED,
        examples=ex.page(_FORM),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.RoutingFormsQuery)
        return paged_response(request, service.list_routing_forms(request.user, **filters))


class RoutingFormView(CalendlyAPIView):
    @document(
        "calendly_routing_form_get",
        "Get a routing form",
        path=[FORM_UUID],
        success=RESOURCE,
        examples=ex.resource("form", _FORM),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_routing_form(request.user, uuid))


class RoutingFormSubmissionsView(CalendlyAPIView):
    @document(
        "calendly_routing_form_submissions_list",
        "List a routing form's submissions",
        query=d.RoutingFormSubmissionsQuery,
        success=PAGED,
        examples=ex.page(_SUBMISSION),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.RoutingFormSubmissionsQuery)
        return paged_response(request, service.list_submissions(request.user, **filters))


class RoutingFormSubmissionView(CalendlyAPIView):
    @document(
        "calendly_routing_form_submission_get",
        "Get a routing form submission",
        path=[SUBMISSION_UUID],
        success=RESOURCE,
        examples=ex.resource("submission", _SUBMISSION),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_submission(request.user, uuid))
