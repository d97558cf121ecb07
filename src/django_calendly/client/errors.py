"""Errors raised by the Calendly client, one class per kind of failure.

Callers branch on the class (``except NotFound``), never on status codes or message text.
Every ``APIError`` keeps what Calendly said (``title``, ``message``, ``details``) plus the
request id and headers, so a log line is enough to ask Calendly support about a call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Response headers that may carry a request id, most specific first.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-calendly-request-id", "x-amzn-requestid")


class CalendlyError(Exception):
    """Base class of every error raised by ``django_calendly.client``."""


class APIError(CalendlyError):
    """Calendly answered with an error status."""

    status: int
    title: str
    message: str
    details: list[dict[str, Any]]
    request_id: str | None
    headers: dict[str, str]
    body: Any

    def __init__(
        self,
        status: int,
        title: str = "",
        message: str = "",
        details: list[dict[str, Any]] | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        self.status = status
        self.title = title
        self.message = message
        self.details = list(details or [])
        self.request_id = request_id
        self.headers = dict(headers or {})
        self.body = body
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = f"{self.status} {self.title}".rstrip()
        if self.message:
            text += f": {self.message}"
        parts = []
        for item in self.details:
            if not isinstance(item, Mapping):
                parts.append(str(item))
                continue
            param = item.get("parameter")
            msg = item.get("message", "")
            parts.append(f"{param}: {msg}" if param else str(msg))
        if parts:
            text += " (" + "; ".join(parts) + ")"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text

    def __str__(self) -> str:
        return self._describe()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, title={self.title!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequest(APIError):
    """400: the parameters were refused."""


class PageTokenExpired(BadRequest):
    """400 about ``page_token`` ("is invalid"): the cursor expired (or was never valid).

    A listing that meets it mid-way cannot continue from that token; it has to start
    again. ``scheduled_events.iter`` and the pull sync do that from the last start time
    they reached; the other iterators raise it.
    """


PAGE_TOKEN_PARAMETER = "page_token"  # noqa: S105 - a parameter name


def is_page_token_error(details: list[dict[str, Any]]) -> bool:
    """Whether Calendly's 400 ``details`` say the ``page_token`` is invalid (expired)."""
    return any(
        isinstance(item, Mapping)
        and item.get("parameter") == PAGE_TOKEN_PARAMETER
        and "invalid" in str(item.get("message", "")).lower()
        for item in details
    )


class Unauthorized(APIError):
    """401: the token is missing, invalid, expired or revoked."""


class PermissionDenied(APIError):
    """403: no permission, missing scope, or a plan that lacks the feature."""


class InsufficientScope(PermissionDenied):
    """403 "Insufficient scope": the token lacks a scope; ``required_scopes`` names them."""

    required_scopes: list[str]

    def __init__(self, *args: Any, required_scopes: list[str] | None = None, **kwargs: Any) -> None:
        self.required_scopes = list(required_scopes or [])
        super().__init__(*args, **kwargs)

    def _describe(self) -> str:
        text = super()._describe()
        if self.required_scopes:
            text += f" (required scopes: {' '.join(self.required_scopes)})"
        return text


INSUFFICIENT_SCOPE_TITLE = "Insufficient scope"


class NotFound(APIError):
    """404: no such resource (or not visible to this token)."""


class Conflict(APIError):
    """409: the resource already exists (e.g. a webhook for that URL)."""


class UnprocessableEntity(APIError):
    """422: well-formed but semantically invalid."""


class FailedDependency(APIError):
    """424: Calendly could not reach an external calendar."""


class RateLimited(APIError):
    """429: too many requests. ``retry_after`` is the wait Calendly asked for, in seconds."""

    retry_after: float | None

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)

    def _describe(self) -> str:
        text = super()._describe()
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:g}s)"
        return text


class ServerError(APIError):
    """5xx: Calendly failed."""


class OAuthError(APIError):
    """An OAuth endpoint refused the call: ``{error, error_description}``."""

    error: str
    error_description: str

    def __init__(
        self,
        status: int,
        error: str = "",
        error_description: str = "",
        *,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        self.error = error
        self.error_description = error_description
        super().__init__(
            status,
            title=error,
            message=error_description,
            request_id=request_id,
            headers=headers,
            body=body,
        )


class TransportError(CalendlyError):
    """The network failed: connection refused or reset, or the server hung up."""


class Timeout(TransportError):
    """A connect, read, write or pool timeout expired."""


class InvalidResponse(CalendlyError):
    """Calendly answered with a body that is not the JSON it promises."""

    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        self.status = status
        self.body = body
        super().__init__(message)


STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
    424: FailedDependency,
    429: RateLimited,
}


def error_class_for(status: int) -> type[APIError]:
    """The error class for an HTTP status (``APIError`` for an unlisted 4xx)."""
    if status >= 500:
        return ServerError
    return STATUS_ERRORS.get(status, APIError)


def request_id_from(headers: Mapping[str, str]) -> str | None:
    """The request id carried by any of the usual headers, if one is present."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


__all__ = [
    "APIError",
    "BadRequest",
    "CalendlyError",
    "Conflict",
    "FailedDependency",
    "InsufficientScope",
    "InvalidResponse",
    "NotFound",
    "OAuthError",
    "PageTokenExpired",
    "PermissionDenied",
    "RateLimited",
    "ServerError",
    "Timeout",
    "TransportError",
    "Unauthorized",
    "UnprocessableEntity",
    "error_class_for",
    "is_page_token_error",
    "request_id_from",
]
