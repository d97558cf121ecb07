"""One JSON shape for every error the REST endpoints return.

``{"code": str, "title": str, "message": str, "details": [{"parameter": str|None,
"message": str}]}``. ``code`` is stable (clients switch on it); ``title``/``message`` keep
Calendly's wording when the error came from Calendly. The handler is set on our views
(``get_exception_handler``), so the host project's ``REST_FRAMEWORK`` settings stay as they
are.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers, status
from rest_framework.response import Response

from ..client import errors as calendly_errors
from ..client.validation import InvalidArgument
from ..services.errors import LocalRecordFailed, NoCalendlyAccess, NotConfigured
from .failures import classify

logger = logging.getLogger("django_calendly.api")


class ErrorDetailSerializer(serializers.Serializer):
    parameter = serializers.CharField(
        allow_null=True, help_text="The input field or parameter at fault, when one is."
    )
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (documentation only).

    ``required_scopes`` and ``reconnect_url`` come with ``insufficient_scope`` only
    (``scope_errors``), hence optional."""

    code = serializers.CharField(help_text="Stable machine-readable code; see docs/rest-api.md.")
    title = serializers.CharField()
    message = serializers.CharField()
    details = ErrorDetailSerializer(many=True)
    required_scopes = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="`insufficient_scope` only: the Calendly OAuth scopes the token lacks.",
    )
    reconnect_url = serializers.URLField(
        required=False,
        help_text="`insufficient_scope` only, when the caller's own Calendly connection "
        "acted: Connect Calendly, to reconnect and approve the missing scopes.",
    )


def error_body(
    code: str, title: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"code": code, "title": title, "message": message, "details": details or []}


def error_response(
    status_code: int,
    code: str,
    title: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(error_body(code, title, message, details), status=status_code, headers=headers)


def _flatten(errors: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested ``ValidationError.detail`` as a flat list of ``{parameter, message}``."""
    out: list[dict[str, Any]] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                name = prefix
            elif isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                name = f"{prefix}[{key}]"  # an item of a list field
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, name))
    elif isinstance(errors, list):
        if all(not isinstance(item, dict | list) for item in errors):
            out.extend({"parameter": prefix or None, "message": str(item)} for item in errors)
        else:
            for index, item in enumerate(errors):
                if item:
                    out.extend(_flatten(item, f"{prefix}[{index}]"))
    else:
        out.append({"parameter": prefix or None, "message": str(errors)})
    return out


def _upstream_details(exc: calendly_errors.APIError) -> list[dict[str, Any]]:
    details = []
    for item in getattr(exc, "details", None) or []:
        if isinstance(item, dict):
            details.append(
                {"parameter": item.get("parameter"), "message": str(item.get("message", ""))}
            )
        else:
            details.append({"parameter": None, "message": str(item)})
    return details


def _forbidden_code(exc: calendly_errors.APIError) -> str:
    """Which kind of 403 Calendly gave: a plan, a scope, or a permission refusal."""
    title = str(getattr(exc, "title", "") or "").lower()
    message = str(getattr(exc, "message", "") or "").lower()
    body = getattr(exc, "body", None)
    if "scope" in title or "required_scopes" in (body if isinstance(body, dict) else {}):
        return "insufficient_scope"
    if "upgrade" in message or " plan" in f" {message}" or "upgrade" in title:
        return "plan_required"
    return "upstream_permission_denied"


def calendly_error_response(exc: calendly_errors.CalendlyError) -> Response:
    """Map an error of our Calendly client to our answer."""
    if isinstance(exc, calendly_errors.APIError):
        title = str(getattr(exc, "title", "") or "Calendly error")
        message = str(getattr(exc, "message", "") or "")
        details = _upstream_details(exc)
        upstream = getattr(exc, "status", None)
        if isinstance(exc, calendly_errors.RateLimited):
            retry_after = getattr(exc, "retry_after", None)
            seconds = max(1, math.ceil(retry_after)) if retry_after else 60
            return error_response(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "rate_limited",
                title or "Too Many Requests",
                message or "Calendly's rate limit was reached; try again later.",
                details,
                headers={"Retry-After": str(seconds)},
            )
        if isinstance(exc, calendly_errors.Unauthorized):
            return error_response(
                status.HTTP_502_BAD_GATEWAY,
                "upstream_unauthorized",
                "Calendly rejected our credentials",
                "Calendly did not accept the access token this server is configured with "
                f"({message or title}).",
                details,
            )
        if isinstance(exc, calendly_errors.PermissionDenied):
            return error_response(
                status.HTTP_403_FORBIDDEN, _forbidden_code(exc), title, message, details
            )
        if isinstance(exc, calendly_errors.BadRequest):
            return error_response(400, "invalid_input", title, message, details)
        if isinstance(exc, calendly_errors.NotFound):
            return error_response(404, "not_found", title, message, details)
        if isinstance(exc, calendly_errors.Conflict):
            return error_response(409, "conflict", title, message, details)
        if isinstance(exc, calendly_errors.UnprocessableEntity):
            return error_response(422, "unprocessable", title, message, details)
        if isinstance(exc, calendly_errors.FailedDependency):
            return error_response(
                status.HTTP_502_BAD_GATEWAY,
                "external_calendar_unavailable",
                title,
                message or "Calendly could not reach an external calendar.",
                details,
            )
        return error_response(
            status.HTTP_502_BAD_GATEWAY,
            "upstream_error",
            title,
            message or f"Calendly answered with HTTP {upstream}.",
            details,
        )
    if isinstance(exc, calendly_errors.Timeout):
        return error_response(
            status.HTTP_504_GATEWAY_TIMEOUT,
            "upstream_timeout",
            "Calendly did not answer in time",
            "Calendly did not answer within the configured timeout; try again later.",
        )
    if isinstance(exc, calendly_errors.TransportError):
        return error_response(
            status.HTTP_502_BAD_GATEWAY,
            "upstream_unreachable",
            "Calendly could not be reached",
            "The connection to Calendly failed; try again later.",
        )
    if isinstance(exc, calendly_errors.InvalidResponse):
        return error_response(
            status.HTTP_502_BAD_GATEWAY,
            "upstream_invalid_response",
            "Calendly sent an unexpected answer",
            "Calendly's answer was not the JSON it documents.",
        )
    return error_response(
        status.HTTP_502_BAD_GATEWAY, "upstream_error", "Calendly error", str(exc) or "Error."
    )


_DRF_CODES: list[tuple[type[Exception], str, str]] = [
    (drf_exceptions.NotAuthenticated, "not_authenticated", "Not authenticated"),
    (drf_exceptions.AuthenticationFailed, "not_authenticated", "Authentication failed"),
    (drf_exceptions.PermissionDenied, "permission_denied", "Permission denied"),
    (drf_exceptions.NotFound, "not_found", "Not found"),
    (drf_exceptions.MethodNotAllowed, "method_not_allowed", "Method not allowed"),
    (drf_exceptions.NotAcceptable, "not_acceptable", "Not acceptable"),
    (drf_exceptions.UnsupportedMediaType, "unsupported_media_type", "Unsupported media type"),
    (drf_exceptions.Throttled, "rate_limited", "Too many requests"),
    (drf_exceptions.ParseError, "invalid_input", "Invalid input"),
]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF exception handler of the Calendly views: every error in the one shape."""
    if isinstance(exc, calendly_errors.InsufficientScope):
        # Which scopes are missing, and where to reconnect when the user's connection acted.
        from .scope_errors import insufficient_scope_response

        return insufficient_scope_response(exc, context.get("request"))
    if isinstance(exc, calendly_errors.CalendlyError):
        response = calendly_error_response(exc)
        if response.status_code >= 500 or response.status_code == 429:
            logger.warning(
                "Calendly call failed: %s %s", type(exc).__name__, exc, exc_info=False
            )
        return response
    if isinstance(exc, NoCalendlyAccess):
        return error_response(
            status.HTTP_403_FORBIDDEN, exc.code, "Connect your Calendly account", exc.message
        )
    if isinstance(exc, NotConfigured):
        # No token, or the user's OAuth connection needs reconnecting (``connection_broken``).
        return error_response(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            str(getattr(exc, "code", "") or "not_configured"),
            "Calendly is not configured for this request",
            str(getattr(exc, "message", "") or exc),
        )
    if isinstance(exc, LocalRecordFailed):
        # Calendly acted, our database did not follow; the message says what state remains.
        return error_response(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            exc.code,
            "Could not record the change locally",
            exc.message,
        )
    if isinstance(exc, InvalidArgument):
        # The client's own argument checks; ours run first, so this is a safety net. Their
        # messages are written for people and name the argument. Any other ValueError is a
        # bug (its text may hold anything) and is answered by ``classify`` below: a logged 500.
        return error_response(
            400,
            "invalid_input",
            "Invalid input",
            str(exc),
            [{"parameter": exc.name, "message": str(exc)}],
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    if isinstance(exc, drf_exceptions.ValidationError):
        return error_response(
            400,
            "invalid_input",
            "Invalid input",
            "The request has invalid parameters; see details.",
            _flatten(exc.detail),
        )
    if isinstance(exc, drf_exceptions.APIException):
        code, title = "error", "Error"
        for klass, klass_code, klass_title in _DRF_CODES:
            if isinstance(exc, klass):
                code, title = klass_code, klass_title
                break
        headers: dict[str, str] = {}
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = str(math.ceil(wait))
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else title
        details = _flatten(detail) if isinstance(detail, dict | list) else []
        return error_response(exc.status_code, code, title, message, details, headers)
    # Hostile requests Django refuses, the database down, genuine bugs: the one table of
    # ``failures`` (shared with the views outside DRF).
    failure = classify(exc)
    return error_response(
        failure.status, failure.code, failure.title, failure.message, headers=failure.headers
    )
