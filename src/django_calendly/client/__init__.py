"""Calendly API v2 client: pure Python (httpx), usable without Django.

    from django_calendly.client import CalendlyClient, Page, errors

    with CalendlyClient(token="...") as client:
        me = client.users.me()
        for event in client.scheduled_events.iter(user=me["uri"]):
            ...
"""

from . import errors, operations, validation
from .client import CalendlyClient
from .errors import (
    APIError,
    BadRequest,
    CalendlyError,
    Conflict,
    FailedDependency,
    InsufficientScope,
    InvalidResponse,
    NotFound,
    OAuthError,
    PageTokenExpired,
    PermissionDenied,
    RateLimited,
    ServerError,
    Timeout,
    TransportError,
    Unauthorized,
    UnprocessableEntity,
)
from .pagination import Page
from .signatures import SignatureError, sign, verify
from .transport import RateLimitState, RetryPolicy

__all__ = [
    "APIError",
    "BadRequest",
    "CalendlyClient",
    "CalendlyError",
    "Conflict",
    "FailedDependency",
    "InsufficientScope",
    "InvalidResponse",
    "NotFound",
    "OAuthError",
    "Page",
    "PageTokenExpired",
    "PermissionDenied",
    "RateLimitState",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "SignatureError",
    "Timeout",
    "TransportError",
    "Unauthorized",
    "UnprocessableEntity",
    "errors",
    "operations",
    "sign",
    "validation",
    "verify",
]
