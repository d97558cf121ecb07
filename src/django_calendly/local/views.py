"""The local read API: the mirror, filtered and paged, without calling Calendly.

Visibility: every queryset comes from ``services.visibility`` — staff see the app's
organization, a user with a Calendly connection what their Calendly user hosts, anyone else
nothing (``CALENDLY_APP_TOKEN_FALLBACK`` widens or narrows the first and last).
Permissions: ``CALENDLY_READ_PERMISSION_CLASSES`` (authenticated users by default).
Errors use the app's one error shape (``api.errors``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ..api.errors import ErrorSerializer, exception_handler
from ..api.permissions import permission_classes_for
from ..api.schema import UUID_PATTERN, CalendlyAutoSchema, app_extend_schema
from ..api.strict import check_request
from ..models import EventType, Invitee, ScheduledEvent
from ..services.visibility import (
    local_scope,
    visible_event_types,
    visible_events,
    visible_invitees,
)
from . import serializers as s
from .pagination import NameCursorPagination, StartTimeCursorPagination

TAG = "calendly-local"

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid parameters (`invalid_input`)."),
    401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
    403: OpenApiResponse(ErrorSerializer, description="Permission denied."),
}


class LocalAPIView(GenericAPIView):
    renderer_classes = [JSONRenderer]
    schema = CalendlyAutoSchema()  # drf-spectacular's, whatever the host's settings say

    def get_permissions(self) -> list[BasePermission]:
        return [permission() for permission in permission_classes_for("read")]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        check_request(request, kwargs)  # no NUL reaches a (PostgreSQL) query

    def query(self, serializer_class: type[Any]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class LocalScheduledEventListView(LocalAPIView):
    serializer_class = s.ScheduledEventSerializer
    pagination_class = StartTimeCursorPagination

    def get_queryset(self) -> QuerySet[ScheduledEvent]:
        # Parameters first: bad input is a 400 even when there is nothing to list.
        filters = self.query(s.ScheduledEventQuerySerializer)
        scope = local_scope(self.request.user)
        # The list never shows the full JSON: do not load (and decode) it.
        qs = visible_events(scope).defer("calendly_data")
        if "status" in filters:
            qs = qs.filter(status=filters["status"])
        if "min_start_time" in filters:
            qs = qs.filter(start_time__gte=filters["min_start_time"])
        if "max_start_time" in filters:
            qs = qs.filter(start_time__lt=filters["max_start_time"])
        if "event_type" in filters:
            qs = qs.filter(event_type=filters["event_type"])
        if "invitee_email" in filters:
            events = visible_invitees(scope).filter(
                email__iexact=filters["invitee_email"]
            ).values("event")
            qs = qs.filter(uri__in=events)
        return qs

    @app_extend_schema(
        operation_id="calendly_local_scheduled_events",
        summary="List mirrored scheduled events (no Calendly call)",
        description="Events from the local mirror that the caller may see (staff: the "
        "organization; a connected user: the events they host), ordered by start time, with "
        "cursor pagination (`next`/`previous` links).",
        parameters=[s.ScheduledEventQuerySerializer],
        responses={200: s.ScheduledEventSerializer(many=True), **_ERRORS},
        tags=[TAG],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)


class LocalScheduledEventDetailView(LocalAPIView):
    serializer_class = s.ScheduledEventDetailSerializer

    @app_extend_schema(
        operation_id="calendly_local_scheduled_event",
        summary="A mirrored scheduled event with its invitees (no Calendly call)",
        parameters=[
            OpenApiParameter(
                "uuid", str, OpenApiParameter.PATH, description="Scheduled event uuid.",
                pattern=UUID_PATTERN,
            )
        ],
        responses={
            200: s.ScheduledEventDetailSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not in the mirror."),
            **_ERRORS,
        },
        tags=[TAG],
    )
    def get(self, request: Request, uuid: str) -> Response:
        event = visible_events(local_scope(self.request.user)).filter(uuid=uuid).first()
        if event is None:
            raise Http404
        invitees = list(
            Invitee.objects.filter(event=event.uri).order_by("calendly_created_at", "id")
        )
        serializer = self.get_serializer(event, context={"invitees": invitees})
        return Response(serializer.data)


class LocalEventTypeListView(LocalAPIView):
    serializer_class = s.EventTypeSerializer
    pagination_class = NameCursorPagination

    def get_queryset(self) -> QuerySet[EventType]:
        active = self.query(s.EventTypeQuerySerializer).get("active")
        qs = visible_event_types(local_scope(self.request.user))
        if active is not None:
            qs = qs.filter(active=active)
        return qs

    @app_extend_schema(
        operation_id="calendly_local_event_types",
        summary="List mirrored event types (no Calendly call)",
        parameters=[s.EventTypeQuerySerializer],
        responses={200: s.EventTypeSerializer(many=True), **_ERRORS},
        tags=[TAG],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
