"""Failures that are not the caller's input or Calendly's answer, in the app's error shape.

One table (``classify``) says what any exception raised while serving one of the app's URLs
becomes: Django's refusals of hostile requests (too many fields, a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE``) are 400/413, a database that cannot be reached is a 503
with ``Retry-After``, and anything else is a 500 ``internal_error`` -- logged with its
traceback but without the exception's message (which may quote personal data) and never
returned. It is used by the DRF exception handler (``errors.exception_handler``) and by
``guard``, which ``django_calendly.urls`` wraps around every view of the app, DRF or plain
Django, so no exception leaves the app as Django's HTML 500 page. ``not_found`` is the
catch-all at the end of the app's URLs: unknown paths under the prefix get a JSON 404.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path

logger = logging.getLogger("django_calendly.api")

#: Seconds a client should wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER = 30


@dataclass(frozen=True)
class Failure:
    status: int
    code: str
    title: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "message": self.message, "details": []}


def _log_bug(exc: BaseException) -> None:
    """The traceback of a genuine bug, without the exception's text (it may hold personal
    data: an email in an integrity error, a token in a URL)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error(
        "Unexpected %s.%s in a Calendly endpoint\n%s",
        type(exc).__module__, type(exc).__qualname__, frames,
    )


def classify(exc: BaseException) -> Failure:
    """What ``exc`` becomes for the caller. Logs the ones that are server faults."""
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Failure(
            400, "too_many_fields", "Too many fields",
            "The request has more parameters or form fields than this server accepts "
            f"({settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}).",
        )
    if isinstance(exc, RequestDataTooBig):
        return Failure(
            413, "request_too_large", "Request body too large",
            "The request body is larger than this server accepts "
            f"({settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes).",
        )
    if isinstance(exc, SuspiciousOperation):
        return Failure(400, "bad_request", "Bad request", "The request was refused as malformed.")
    if isinstance(exc, RecursionError):
        return Failure(400, "invalid_input", "Invalid input", "The request is nested too deeply.")
    if isinstance(exc, Http404):
        return Failure(404, "not_found", "Not found", "There is no such resource here.")
    if isinstance(exc, PermissionDenied):
        return Failure(403, "permission_denied", "Permission denied",
                       "You do not have permission to perform this action.")
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable in a Calendly endpoint (%s)", type(exc).__name__)
        return Failure(
            503, "database_unavailable", "Service unavailable",
            "The database cannot be reached now; try again later.",
            {"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    _log_bug(exc)
    return Failure(
        500, "internal_error", "Internal error",
        "The server failed to handle the request; it has been logged.",
    )


def failure_response(exc: BaseException) -> JsonResponse:
    failure = classify(exc)
    response = JsonResponse(failure.body(), status=failure.status)
    for name, value in failure.headers.items():
        response[name] = value
    return response


def guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view``, with any exception it lets out answered in the app's error shape.

    ``functools.wraps`` keeps the view's attributes (``csrf_exempt``, DRF's ``cls`` that the
    schema generator reads)."""
    if getattr(view, "calendly_guarded", False):
        return view

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Exception as exc:
            return failure_response(exc)

    guarded.calendly_guarded = True  # type: ignore[attr-defined]
    return guarded


@guard
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """The last route of the app: a JSON 404 for any other path under its prefix.

    With ``APPEND_SLASH`` a slash-less GET of a route that exists with the slash is
    redirected, as ``CommonMiddleware`` would do had this catch-all not matched."""
    if (
        settings.APPEND_SLASH
        and request.method in ("GET", "HEAD")
        and not request.path_info.endswith("/")
    ):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            target = escape_uri_path(request.path + "/") + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
    return JsonResponse(
        {
            "code": "not_found",
            "title": "Not found",
            "message": "There is no endpoint at this path.",
            "details": [],
        },
        status=404,
    )
