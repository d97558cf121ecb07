"""Routes of the REST endpoints, mounted by ``django_calendly.urls`` (``/modules/calendly/``).

Each path is served with and without its trailing slash, as the original module's clients
call both; the slash-less twin is left out of the OpenAPI schema. URL names are stable:
``calendly:<name>``.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views
from .errors import exception_handler
from .permissions import permission_classes_for


class _ReadProtected:
    """The schema and its docs page need the same login as the read endpoints."""

    def get_permissions(self) -> list[Any]:
        return [cls() for cls in permission_classes_for("read")]

    def get_exception_handler(self) -> Any:
        return exception_handler


class SchemaView(_ReadProtected, SpectacularAPIView):
    """This app's endpoints only, under the prefix the host mounted them at.

    drf-spectacular's view describes every URL of the project by default: a host's own
    API would show up in (and be disclosed by) this page.
    """

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        prefix = request.path_info.lstrip("/").removesuffix("schema/")
        self.patterns = [path(prefix, include("django_calendly.urls"))]
        return super().get(request, *args, **kwargs)


class SwaggerView(_ReadProtected, SpectacularSwaggerView):
    url_name = "calendly:schema"


def _route(route: str, view: Any, name: str) -> list[URLPattern]:
    """``route`` (ending in ``/``) plus its slash-less twin (hidden from the schema)."""
    return [
        path(route, view.as_view(), name=name),
        path(route.rstrip("/"), view.as_view(schema=None)),
    ]


_ROUTES: list[tuple[str, Any, str]] = [
    ("user/details/<str:user_uuid>/", views.UserDetailsView, "user-details"),
    ("event/types/", views.EventTypesView, "event-types"),
    ("single/event/types/<str:uuid>/", views.EventTypeView, "event-type"),
    (
        "event/type/available-times/",
        views.EventTypeAvailableTimesView,
        "event-type-available-times",
    ),
    ("user/busy-times/", views.UserBusyTimesView, "user-busy-times"),
    ("user-availability-schedules/", views.AvailabilitySchedulesView, "availability-schedules"),
    (
        "user-availability-schedules/<str:uuid>/",
        views.AvailabilityScheduleView,
        "availability-schedule",
    ),
    ("remove/invitees/", views.RemoveInviteesView, "remove-invitees"),
    ("organizations/<str:uuid>/invitations/list/", views.InvitationsListView, "invitations"),
    ("organizations/<str:uuid>/invitations/", views.InviteView, "invite"),
    (
        "organization/<str:org_uuid>/revoke/invitation/<str:uuid>/",
        views.RevokeInvitationView,
        "revoke-invitation",
    ),
    ("organization/<str:org_uuid>/invitation/<str:uuid>/", views.InvitationView, "invitation"),
    ("organization/memberships/list/", views.MembershipsListView, "memberships"),
    ("organization/membership/<str:uuid>/", views.MembershipView, "membership"),
    (
        "organization/membership/<str:uuid>/delete/",
        views.RemoveMembershipView,
        "remove-membership",
    ),
    ("scheduled/events/list/", views.ScheduledEventsView, "scheduled-events"),
    ("scheduled/events/<str:uuid>/invitees/", views.EventInviteesView, "event-invitees"),
    ("scheduled/events/<str:uuid>/cancellation/", views.CancelEventView, "cancel-event"),
    ("scheduled/events/<str:uuid>/", views.ScheduledEventView, "scheduled-event"),
    ("invitee-no-show/", views.CreateNoShowView, "create-no-show"),
    ("invitee-no-show/<str:uuid>/delete/", views.DeleteNoShowView, "delete-no-show"),
    ("invitee-no-show/<str:uuid>/", views.NoShowView, "no-show"),
    ("webhook/subscription/", views.CreateWebhookSubscriptionView, "create-webhook-subscription"),
    (
        "webhook/subscriptions/list/",
        views.WebhookSubscriptionsView,
        "webhook-subscriptions",
    ),
    (
        "webhook/subscription/<str:webhook_uuid>/delete/",
        views.DeleteWebhookSubscriptionView,
        "delete-webhook-subscription",
    ),
    (
        "webhook/subscription/<str:webhook_uuid>/",
        views.WebhookSubscriptionView,
        "webhook-subscription",
    ),
]

urlpatterns: list[Any] = [
    pattern for route, view, name in _ROUTES for pattern in _route(route, view, name)
]
urlpatterns += [
    path("schema/", SchemaView.as_view(schema=None), name="schema"),
    path("docs/", SwaggerView.as_view(schema=None), name="docs"),
]
