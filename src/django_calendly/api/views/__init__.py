"""The REST endpoints, one module per Calendly resource family (``base`` holds what they
share). Each view: validate, call one service, render.

Authentication is the host project's (DRF ``DEFAULT_AUTHENTICATION_CLASSES``; session
authentication keeps CSRF on); permissions come from the Calendly settings when a request
comes (``permissions.permission_classes_for``); every error goes through
``errors.exception_handler``.
"""

from .availability import (
    AvailabilitySchedulesView,
    AvailabilityScheduleView,
    EventTypeAvailableTimesView,
    UserBusyTimesView,
)
from .base import CalendlyAPIView
from .data_compliance import RemoveInviteesView
from .event_types import EventTypesView, EventTypeView
from .invitees import EventInviteesView
from .memberships import MembershipsListView, MembershipView, RemoveMembershipView
from .no_shows import CreateNoShowView, DeleteNoShowView, NoShowView
from .organizations import InvitationsListView, InvitationView, InviteView, RevokeInvitationView
from .scheduled_events import CancelEventView, ScheduledEventsView, ScheduledEventView
from .users import UserDetailsView
from .webhooks import (
    CreateWebhookSubscriptionView,
    DeleteWebhookSubscriptionView,
    WebhookSubscriptionsView,
    WebhookSubscriptionView,
)

__all__ = [
    "AvailabilityScheduleView",
    "AvailabilitySchedulesView",
    "CalendlyAPIView",
    "CancelEventView",
    "CreateNoShowView",
    "CreateWebhookSubscriptionView",
    "DeleteNoShowView",
    "DeleteWebhookSubscriptionView",
    "EventInviteesView",
    "EventTypeAvailableTimesView",
    "EventTypeView",
    "EventTypesView",
    "InvitationView",
    "InvitationsListView",
    "InviteView",
    "MembershipView",
    "MembershipsListView",
    "NoShowView",
    "RemoveInviteesView",
    "RemoveMembershipView",
    "RevokeInvitationView",
    "ScheduledEventView",
    "ScheduledEventsView",
    "UserBusyTimesView",
    "UserDetailsView",
    "WebhookSubscriptionView",
    "WebhookSubscriptionsView",
]
