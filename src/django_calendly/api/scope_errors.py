"""The REST answer to Calendly's 403 "Insufficient scope": which scopes, and what to do.

The usual error shape plus two fields: ``required_scopes`` (the scopes the token lacks,
also listed in ``details``) and, when the request acted with the user's own Calendly
connection, ``reconnect_url`` (Connect Calendly, which asks for ``requested_scopes()``).
A request served with the personal access token gets no ``reconnect_url``: only a new
token with those scopes helps, and the message says so.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from rest_framework import status
from rest_framework.response import Response

from ..client import errors as calendly_errors
from ..client.operations import missing_scopes, parse_scopes, scopes_for
from ..scopes import requested_scopes
from ..services.connections import connection_for
from .endpoint_operations import ENDPOINT_OPERATIONS
from .errors import error_body


def _endpoint_scopes(request: Any) -> frozenset[str]:
    """The scopes of the operations the endpoint of ``request`` calls (fallback only)."""
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None)
    return scopes_for(ENDPOINT_OPERATIONS.get(name or "", ()))


def _reconnect_url(request: Any) -> str | None:
    try:
        path = reverse("calendly:oauth-connect")
    except NoReverseMatch:  # the host did not mount Connect Calendly
        return None
    return str(request.build_absolute_uri(path)) if request is not None else path


def insufficient_scope_response(
    exc: calendly_errors.InsufficientScope, request: Any
) -> Response:
    connection = connection_for(getattr(request, "user", None))
    required = sorted(set(exc.required_scopes))
    if not required:  # Calendly did not say: what the endpoint needs and was not granted
        granted = parse_scopes(connection.scope) if connection is not None else ()
        required = missing_scopes(granted, _endpoint_scopes(request))
    names = ", ".join(required) or "a scope Calendly did not name"
    reconnect = _reconnect_url(request) if connection is not None else None
    if connection is not None:
        message = f"Your Calendly connection was not granted {names}."
        not_requested = missing_scopes(requested_scopes(), required)
        if not_requested:
            message += (
                f" This site does not request {', '.join(not_requested)} "
                "(CALENDLY_OAUTH_SCOPES), so reconnecting will not grant it: ask its "
                "administrator."
            )
        elif reconnect:
            message += " Connect Calendly again (reconnect_url) and approve the access."
    else:
        message = (
            f"The Calendly access token this server uses lacks {names}: create a personal "
            "access token with those scopes and set CALENDLY_ACCESS_TOKEN."
        )
    details = [
        {"parameter": None, "message": f"Missing Calendly OAuth scope: {scope}"}
        for scope in required
    ]
    body = error_body(
        "insufficient_scope", str(exc.title or "Insufficient scope"), message, details
    )
    body["required_scopes"] = required
    if reconnect:
        body["reconnect_url"] = reconnect
    return Response(body, status=status.HTTP_403_FORBIDDEN)


__all__ = ["insufficient_scope_response"]
