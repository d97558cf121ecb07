"""The availability endpoints of the original module."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ...services import calendly_api as service
from .. import serializers as s
from ..responses import (
    collection_response,
    resource_response,
)
from ..schema import document, path_uuid
from .base import COLLECTION, RESOURCE, CalendlyAPIView


class EventTypeAvailableTimesView(CalendlyAPIView):
    @document(
        "calendly_event_type_available_times",
        "Available times of an event type",
        description="`start_time` not in the past; range at most 31 days. Not paginated.",
        query=s.AvailableTimesQuery,
        success=COLLECTION,
    )
    def get(self, request: Request) -> Response:
        q = self.query(s.AvailableTimesQuery)
        return collection_response(service.event_type_available_times(request.user, **q))


class UserBusyTimesView(CalendlyAPIView):
    @document(
        "calendly_user_busy_times",
        "Busy times of a user",
        description="`start_time` not in the past; range at most 7 days. Not paginated.",
        query=s.BusyTimesQuery,
        success=COLLECTION,
        extra_errors=(),
    )
    def get(self, request: Request) -> Response:
        q = self.query(s.BusyTimesQuery)
        return collection_response(
            service.user_busy_times(
                request.user,
                user_uri=q["user"],
                start_time=q["start_time"],
                end_time=q["end_time"],
            )
        )


class AvailabilitySchedulesView(CalendlyAPIView):
    @document(
        "calendly_availability_schedules_list",
        "List a user's availability schedules",
        description="Not paginated.",
        query=s.SchedulesQuery,
        success=COLLECTION,
    )
    def get(self, request: Request) -> Response:
        q = self.query(s.SchedulesQuery)
        return collection_response(
            service.list_availability_schedules(request.user, user_uri=q["user"])
        )


class AvailabilityScheduleView(CalendlyAPIView):
    @document(
        "calendly_availability_schedule_get",
        "Get an availability schedule",
        path=[path_uuid("uuid", "Availability schedule uuid.")],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_availability_schedule(request.user, uuid))
