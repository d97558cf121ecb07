"""Routes of the REST endpoints, mounted by ``django_calendly.urls`` (``/modules/calendly/``).

Each path is served with and without its trailing slash, as the original module's clients
call both; the slash-less twin is left out of the OpenAPI schema. URL names are stable:
``calendly:<name>``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.templatetags.static import static
from django.urls import URLPattern, include, path
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import NotAuthenticated, PermissionDenied

from . import views
from .errors import exception_handler
from .permissions import permission_classes_for
from .views import (  # the directory families (issue 12)
    activity_log,
    contacts,
    data_compliance,
    event_type_resources,
    groups,
    locations,
    meeting_recaps,
    organization,
    outgoing_communications,
    routing_forms,
    sharing,
    teams,
)
from .views.booking import BookInviteeView


class _ReadProtected:
    """The schema and its docs page need the same login as the read endpoints."""

    def get_permissions(self) -> list[Any]:
        return [cls() for cls in permission_classes_for("read")]

    def get_exception_handler(self) -> Any:
        return exception_handler


_SPECTACULAR_DEFAULTS = {"TITLE": "", "VERSION": "0.0.0", "DESCRIPTION": ""}
_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@latest"


def _schema_info() -> dict[str, str]:
    """Title, version and description of our schema where the host left drf-spectacular's
    empty defaults: the schema describes this app's endpoints only, so its name fits."""
    try:
        version = package_version("django-calendly")
    except PackageNotFoundError:  # a source checkout that is not installed
        version = "0+unknown"
    ours = {
        "TITLE": "django-calendly",
        "VERSION": version,
        "DESCRIPTION": "Calendly API v2 endpoints of this project (REST and local mirror).",
    }
    return {
        key: value
        for key, value in ours.items()
        if getattr(spectacular_settings, key) in (_SPECTACULAR_DEFAULTS[key], None)
    }


class SchemaView(_ReadProtected, SpectacularAPIView):
    """This app's endpoints only, under the prefix the host mounted them at.

    drf-spectacular's view describes every URL of the project by default: a host's own
    API would show up in (and be disclosed by) this page.
    """

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        prefix = request.path_info.lstrip("/").removesuffix("schema/")
        self.patterns = [path(prefix, include("django_calendly.urls"))]
        self.custom_settings = _schema_info()
        return super().get(request, *args, **kwargs)


def _sidecar() -> bool:
    """Serve Swagger UI's assets ourselves when drf-spectacular-sidecar is installed and
    the host kept the CDN default: offline, a CDN page is blank."""
    return apps.is_installed("drf_spectacular_sidecar")


class SwaggerView(_ReadProtected, SpectacularSwaggerView):
    """Swagger UI over our schema; a browser that is not logged in goes to the login page
    (``LOGIN_URL``) and comes back, instead of a bare 403."""

    url_name = "calendly:schema"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.title = spectacular_settings.TITLE or _schema_info().get("TITLE", "")
        return super().get(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Any:
        user = getattr(self.request, "user", None)
        if isinstance(exc, NotAuthenticated | PermissionDenied) and not getattr(
            user, "is_authenticated", False
        ):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        dist = spectacular_settings.SWAGGER_UI_DIST
        if dist == "SIDECAR" or (dist == _CDN and _sidecar()):
            return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")
        return f"{dist}/{filename}"

    @staticmethod
    def _swagger_ui_favicon() -> str:
        href = spectacular_settings.SWAGGER_UI_FAVICON_HREF
        if href == "SIDECAR" or (href == f"{_CDN}/favicon-32x32.png" and _sidecar()):
            return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
        return str(href)


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

# -- The directory families (issue 12): contacts, routing forms, meeting recaps, groups,
# teams, the organization, and the Enterprise activity log, outgoing communications and
# event data deletion. contacts/custom-fields/ comes before contacts/<uuid>/.
_ROUTES += [
    ("contacts/", contacts.ContactsView, "contacts"),
    ("contacts/custom-fields/", contacts.ContactCustomFieldsView, "contact-custom-fields"),
    (
        "contacts/custom-fields/<str:uuid>/",
        contacts.ContactCustomFieldView,
        "contact-custom-field",
    ),
    ("contacts/<str:uuid>/", contacts.ContactView, "contact"),
    ("routing-forms/", routing_forms.RoutingFormsView, "routing-forms"),
    ("routing-forms/<str:uuid>/", routing_forms.RoutingFormView, "routing-form"),
    (
        "routing-form-submissions/",
        routing_forms.RoutingFormSubmissionsView,
        "routing-form-submissions",
    ),
    (
        "routing-form-submissions/<str:uuid>/",
        routing_forms.RoutingFormSubmissionView,
        "routing-form-submission",
    ),
    ("meeting-recaps/", meeting_recaps.MeetingRecapsView, "meeting-recaps"),
    ("meeting-recaps/<str:uuid>/", meeting_recaps.MeetingRecapView, "meeting-recap"),
    (
        "meeting-recaps/<str:uuid>/transcript/",
        meeting_recaps.MeetingRecapTranscriptView,
        "meeting-recap-transcript",
    ),
    ("groups/", groups.GroupsView, "groups"),
    ("groups/<str:uuid>/", groups.GroupView, "group"),
    ("group-relationships/", groups.GroupRelationshipsView, "group-relationships"),
    ("group-relationships/<str:uuid>/", groups.GroupRelationshipView, "group-relationship"),
    ("teams/", teams.TeamsView, "teams"),
    ("teams/<str:uuid>/", teams.TeamView, "team"),
    ("organizations/<str:uuid>/", organization.OrganizationView, "organization"),
    ("activity-log/", activity_log.ActivityLogView, "activity-log"),
    (
        "outgoing-communications/",
        outgoing_communications.OutgoingCommunicationsView,
        "outgoing-communications",
    ),
    ("data-compliance/events/", data_compliance.DeleteEventDataView, "delete-event-data"),
]

# Event types in resource-oriented form, and sharing (issue 12).
_ROUTES += [
    ("event-types/", event_type_resources.EventTypeCollectionView, "event-type-collection"),
    ("event-types/<str:uuid>/", event_type_resources.EventTypeResourceView,
     "event-type-resource"),
    ("event-types/<str:uuid>/hosts/", event_type_resources.EventTypeHostsView,
     "event-type-hosts"),
    ("event-types/<str:uuid>/availability/", event_type_resources.EventTypeAvailabilityView,
     "event-type-availability"),
    ("event-types/<str:uuid>/available-times/", event_type_resources.EventTypeOpenSlotsView,
     "event-type-open-slots"),
    ("one-off-event-types/", event_type_resources.OneOffEventTypesView, "one-off-event-types"),
    ("scheduling-links/", sharing.SchedulingLinksView, "scheduling-links"),
    ("shares/", sharing.SharesView, "shares"),
    ("locations/", locations.LocationsView, "locations"),
]

# -- booking from the project's own pages (issue 12) --
_ROUTES += [
    ("invitees/", BookInviteeView, "book-invitee"),
]

urlpatterns: list[Any] = [
    pattern for route, view, name in _ROUTES for pattern in _route(route, view, name)
]
urlpatterns += [
    path("schema/", SchemaView.as_view(schema=None), name="schema"),
    path("docs/", SwaggerView.as_view(schema=None), name="docs"),
]
