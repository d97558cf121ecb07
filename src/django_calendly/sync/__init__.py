"""Pull sync of the local mirror (see ``docs/sync.md``)."""

from .engine import (
    SCOPE_ORGANIZATION,
    SCOPE_USER,
    SyncActorGone,
    SyncAlreadyRunning,
    SyncEngine,
    SyncError,
    SyncOptions,
    SyncStats,
    invitees_signature,
)
from .pacing import RateLimitPacer

__all__ = [
    "SCOPE_ORGANIZATION",
    "SCOPE_USER",
    "RateLimitPacer",
    "SyncActorGone",
    "SyncAlreadyRunning",
    "SyncEngine",
    "SyncError",
    "SyncOptions",
    "SyncStats",
    "invitees_signature",
]
