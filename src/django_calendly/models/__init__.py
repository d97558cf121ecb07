from .mirror import EventType, Invitee, InviteeNoShow, RoutingFormSubmission, ScheduledEvent
from .sync import SyncState
from .webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "EventType",
    "Invitee",
    "InviteeNoShow",
    "RoutingFormSubmission",
    "ScheduledEvent",
    "SyncState",
    "WebhookDelivery",
    "WebhookSubscription",
]
