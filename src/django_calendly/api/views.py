"""The 26 endpoints of the original module. Each view: validate, call one service, render.

Authentication is the host project's (DRF ``DEFAULT_AUTHENTICATION_CLASSES``; session
authentication keeps CSRF on); permissions come from the Calendly settings when a request
comes (``permissions.permission_classes_for``); every error goes through
``errors.exception_handler``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from ..services import calendly_api as service
from . import serializers as s
from .errors import exception_handler
from .idempotency import IdempotentAPIView
from .parsers import BoundedFormParser, BoundedJSONParser
from .permissions import Access, permission_classes_for
from .responses import (
    collection_response,
    no_content,
    paged_response,
    resource_response,
)
from .schema import CalendlyAutoSchema, document, path_uuid
from .strict import check_json_types, check_no_nul, check_request

RESOURCE = (200, s.ResourceEnvelopeSerializer)
CREATED = (201, s.ResourceEnvelopeSerializer)
PAGED = (200, s.PagedCollectionSerializer)
COLLECTION = (200, s.CollectionSerializer)
DELETED = (204, OpenApiResponse(description="Deleted; no body."))

EVENT_UUID = path_uuid("uuid", "Scheduled event uuid (last segment of its URI).")


class CalendlyAPIView(IdempotentAPIView):
    """Base of the endpoints: JSON in and out, settings-driven permissions, our error shape,
    ``Idempotency-Key`` on POSTs (``idempotency.IdempotentAPIView``).

    Input is strict before any serializer sees it (``strict``): no NUL anywhere, and a JSON
    body's values must have their field's JSON type (no coercion)."""

    access: Access = "read"
    renderer_classes = [JSONRenderer]
    schema = CalendlyAutoSchema()
    parser_classes = [BoundedJSONParser, BoundedFormParser, MultiPartParser]

    def get_permissions(self) -> list[BasePermission]:
        return [permission() for permission in permission_classes_for(self.access)]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        check_request(request, kwargs)

    def query(self, serializer_class: type[s._Query]) -> dict[str, Any]:
        # .dict(): one value per name, and no HTML-form defaults (a missing boolean is
        # "not given", not False).
        serializer = serializer_class(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.filters()

    def body(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        data = self.request.data
        serializer = serializer_class(data=data)
        check_json_types(serializer, data)
        if hasattr(data, "lists"):  # a form: only strings, checked for NUL here
            check_no_nul([(k, value) for k, values in data.lists() for value in values])
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class UserDetailsView(CalendlyAPIView):
    @document(
        "calendly_user_details",
        "Get a user (or `me`, the token's user)",
        path=[path_uuid("user_uuid", "User uuid or `me`.", allow_me=True)],
        success=RESOURCE,
    )
    def get(self, request: Request, user_uuid: str) -> Response:
        uuid = s.check_path_uuid("user_uuid", user_uuid, allow_me=True)
        return resource_response(service.get_user(request.user, uuid))


class EventTypesView(CalendlyAPIView):
    @document(
        "calendly_event_types_list",
        "List event types of an organization or a user",
        description="Exactly one of `organization` or `user` is required.",
        query=s.EventTypesQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.EventTypesQuery)
        return paged_response(request, service.list_event_types(request.user, **filters))


class EventTypeView(CalendlyAPIView):
    @document(
        "calendly_event_type_get",
        "Get an event type",
        path=[path_uuid("uuid", "Event type uuid.")],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_event_type(request.user, uuid))


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


class EventInviteesView(CalendlyAPIView):
    @document(
        "calendly_event_invitees_list",
        "List the invitees of a scheduled event",
        path=[EVENT_UUID],
        query=s.InviteesQuery,
        success=PAGED,
    )
    def get(self, request: Request, uuid: str) -> Response:
        event_uuid = s.check_path_uuid("uuid", uuid)
        filters = self.query(s.InviteesQuery)
        return paged_response(
            request, service.list_event_invitees(request.user, event_uuid, **filters)
        )


class ScheduledEventsView(CalendlyAPIView):
    @document(
        "calendly_scheduled_events_list",
        "List scheduled events",
        description="`organization` or `user` (or both) is required; see Calendly's rules "
        "on who may list what.",
        query=s.ScheduledEventsQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.ScheduledEventsQuery)
        return paged_response(request, service.list_scheduled_events(request.user, **filters))


class ScheduledEventView(CalendlyAPIView):
    @document(
        "calendly_scheduled_event_get",
        "Get a scheduled event",
        path=[EVENT_UUID],
        success=RESOURCE,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_scheduled_event(request.user, uuid))


class CancelEventView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_scheduled_event_cancel",
        "Cancel a scheduled event",
        description="Calendly notifies the invitees. `reason` is sent only when given.",
        path=[EVENT_UUID],
        request=s.CancelBody,
        success=CREATED,
        write=True,
    )
    def post(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(s.CancelBody)
        return resource_response(
            service.cancel_event(request.user, uuid, reason=body.get("reason")),
            status.HTTP_201_CREATED,
        )


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


WEBHOOK_UUID = path_uuid("webhook_uuid", "Webhook subscription uuid.")


class CreateWebhookSubscriptionView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_webhook_subscription_create",
        "Create a webhook subscription",
        description="Needs a paid Calendly plan. `user` is required when scope is user, "
        "`group` when scope is group; each event must be allowed at the scope.",
        request=s.WebhookCreateBody,
        success=CREATED,
        write=True,
        extra_errors=(409,),
    )
    def post(self, request: Request) -> Response:
        body = self.body(s.WebhookCreateBody)
        return resource_response(
            service.create_webhook_subscription(request.user, **body), status.HTTP_201_CREATED
        )


class WebhookSubscriptionsView(CalendlyAPIView):
    @document(
        "calendly_webhook_subscriptions_list",
        "List webhook subscriptions",
        description="`organization` and `scope` are required; plus `user` when scope is "
        "user, `group` when scope is group.",
        query=s.WebhookListQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.WebhookListQuery)
        return paged_response(
            request, service.list_webhook_subscriptions(request.user, **filters)
        )


class WebhookSubscriptionView(CalendlyAPIView):
    @document(
        "calendly_webhook_subscription_get",
        "Get a webhook subscription",
        path=[WEBHOOK_UUID],
        success=RESOURCE,
    )
    def get(self, request: Request, webhook_uuid: str) -> Response:
        uuid = s.check_path_uuid("webhook_uuid", webhook_uuid)
        return resource_response(service.get_webhook_subscription(request.user, uuid))


class DeleteWebhookSubscriptionView(CalendlyAPIView):
    access: Access = "write"

    @document(
        "calendly_webhook_subscription_delete",
        "Delete a webhook subscription",
        path=[WEBHOOK_UUID],
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, webhook_uuid: str) -> Response:
        uuid = s.check_path_uuid("webhook_uuid", webhook_uuid)
        service.delete_webhook_subscription(request.user, uuid)
        return no_content()
