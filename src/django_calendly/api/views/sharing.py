"""The sharing endpoints: ``scheduling-links/`` (a single-use booking link for an event
type) and ``shares/`` (a "customize once and share" variant of one). Both act on an event
type, so both follow ``ownership``: your own event types, or anyone's with the write
permission."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import sharing as service
from ...services.mirror import last_segment
from .. import serializers_event_types as es
from ..responses import resource_response
from ..schema import document
from .base import CREATED
from .ownership import OWN_OR_WRITE, OwnOrWriteView

_ET = "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA"


class SchedulingLinksView(OwnOrWriteView):
    @document(
        "calendly_scheduling_link_create",
        "Create a single-use scheduling link for an event type",
        description="The link books `owner` (an event type URI) once; Calendly allows no "
        f"other count or owner type.\n\n{OWN_OR_WRITE}",
        request=es.SchedulingLinkBody,
        success=CREATED,
        examples=[
            OpenApiExample("Link", value={"owner": _ET}, request_only=True),
            OpenApiExample("Created", response_only=True, value={"resource": {
                "booking_url": "https://calendly.com/d/abcd-1234/intro-call",
                "owner": _ET, "owner_type": "EventType",
            }}),
        ],
    )
    def post(self, request: Request) -> Response:
        body = self.body(es.SchedulingLinkBody)
        self.require_event_type_owner(last_segment(body["owner"]), "create scheduling links")
        return resource_response(
            service.create_scheduling_link(request.user, body["owner"]), status.HTTP_201_CREATED
        )


class SharesView(OwnOrWriteView):
    @document(
        "calendly_share_create",
        "Create a customized share of a one-on-one event type",
        description="`duration` 1-720 and `duration_options` at most 4 unique ones; "
        "`period_type` `fixed` needs `start_date` and `end_date`, `moving` and "
        f"`available_moving` need `max_booking_time`.\n\n{OWN_OR_WRITE}",
        request=es.ShareBody,
        success=CREATED,
        extra_errors=(422,),
        examples=[
            OpenApiExample("Share", request_only=True, value={
                "event_type": _ET, "name": "Intro call for ACME", "duration": 45,
                "period_type": "fixed", "start_date": "2027-01-04", "end_date": "2027-01-15",
            }),
            OpenApiExample("Created", response_only=True, value={"resource": {
                "scheduling_links": [{"booking_url": "https://calendly.com/d/efgh-5678",
                                      "owner": _ET, "owner_type": "EventType"}],
            }}),
        ],
    )
    def post(self, request: Request) -> Response:
        body = self.body(es.ShareBody)
        event_type = body.pop("event_type")
        self.require_event_type_owner(last_segment(event_type), "share event types")
        return resource_response(
            service.create_share(request.user, event_type, **body), status.HTTP_201_CREATED
        )
