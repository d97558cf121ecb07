from .connections import CalendlyConnection
from .mirror import EventType, Invitee, InviteeNoShow, RoutingFormSubmission, ScheduledEvent
from .sync import SyncState
from .webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "CalendlyConnection",
    "EventType",
    "Invitee",
    "InviteeNoShow",
    "RoutingFormSubmission",
    "ScheduledEvent",
    "SyncState",
    "WebhookDelivery",
    "WebhookSubscription",
]
