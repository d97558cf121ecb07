from .connections import CalendlyConnection
from .idempotency import IdempotencyKey
from .mirror import EventType, Invitee, InviteeNoShow, RoutingFormSubmission, ScheduledEvent
from .ratelimit import RateLimitBucket, RateLimitEntry
from .sync import SyncState
from .webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "CalendlyConnection",
    "EventType",
    "IdempotencyKey",
    "Invitee",
    "InviteeNoShow",
    "RateLimitBucket",
    "RateLimitEntry",
    "RoutingFormSubmission",
    "ScheduledEvent",
    "SyncState",
    "WebhookDelivery",
    "WebhookSubscription",
]
