"""Browser views of "Connect Calendly": connect, callback, disconnect, status.

Only the callback is reachable without a login (Calendly redirects the browser there); it
still needs the single-use state that ``connect`` stored in the same browser session, and
attaches the connection to the user of that session.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ..client.operations import missing_scopes, parse_scopes
from ..conf import calendly_settings
from ..models import CalendlyConnection
from ..scopes import requested_scopes
from ..services import connections


def _redirect_uri(request: HttpRequest) -> str:
    return calendly_settings.OAUTH_REDIRECT_URI or request.build_absolute_uri(
        reverse("calendly:oauth-callback")
    )


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("calendly:oauth-status")


def _problem(status: int, code: str, message: str) -> HttpResponse:
    body = (
        "<!doctype html><title>Calendly connection</title>"
        f"<h1>Calendly connection failed</h1><p>{escape(message)}</p>"
        f"<p><small>code: {escape(code)}</small></p>"
    )
    response = HttpResponse(body, status=status)
    response["X-Calendly-Error"] = code
    return response


@require_GET
@login_required
def connect(request: HttpRequest) -> HttpResponse:
    try:
        url = connections.start_authorization(
            request.session, _redirect_uri(request), _safe_next(request, request.GET.get("next"))
        )
    except connections.ConnectionError as exc:
        return _problem(503, exc.code, exc.message)
    return HttpResponseRedirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    if request.GET.get("error"):
        connections.discard_pending(request.session, request.GET.get("state", ""))
        description = request.GET.get("error_description") or request.GET["error"]
        return _problem(400, "oauth_denied", f"Calendly did not authorize: {description}")
    if not request.user.is_authenticated:
        return _problem(
            400, "not_logged_in", "Log in, then start connecting Calendly again."
        )
    try:
        _, next_url = connections.finish_authorization(
            request.session,
            request.user,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
        )
    except connections.ConnectionError as exc:
        status = 502 if exc.code in ("oauth_unavailable", "oauth_invalid_response") else 400
        return _problem(status, exc.code, exc.message)
    return HttpResponseRedirect(next_url)


@require_POST
@login_required
def disconnect(request: HttpRequest) -> HttpResponse:
    connections.disconnect(request.user)
    return JsonResponse({"connected": False})


@require_GET
@login_required
def status(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:  # login_required has ruled this out; it narrows the type
        return JsonResponse({"connected": False}, status=401)
    connection = CalendlyConnection.objects.filter(user=user).first()
    requested = requested_scopes()
    if connection is None:
        return JsonResponse({"connected": False, "requested_scopes": sorted(requested)})
    granted = parse_scopes(connection.scope)
    return JsonResponse(
        {
            "connected": connection.is_usable,
            "owner": connection.owner,
            "organization": connection.organization,
            "scope": connection.scope,
            # What Calendly granted, what the app asks for now, and what of that the
            # connection lacks (reconnecting asks for it again).
            "granted_scopes": sorted(granted),
            "requested_scopes": sorted(requested),
            "missing_scopes": missing_scopes(granted, requested),
            "expires_at": connection.expires_at.isoformat(),
            "error": connection.last_error or None,
            # Its own webhook subscription, made by a task after the connect.
            "webhook": {
                "status": connection.webhook_status or None,
                "error": connection.webhook_error or None,
            },
        }
    )
