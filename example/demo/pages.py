"""The demo's own pages for signed-in users: the account page and the booking page.

They show how a host project uses the app: the account page reads the connection and the
local mirror on the server (through ``services.visibility``, so it lists exactly what the
local API would show the same user); the booking page is plain JavaScript over the app's
REST endpoints only (``static/demo/book.js``), the way a front end of the host would be.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from django_calendly.client.errors import CalendlyError
from django_calendly.client.operations import parse_scopes
from django_calendly.models import CalendlyConnection, Invitee
from django_calendly.services.clients import get_client
from django_calendly.services.connections import connection_for
from django_calendly.services.errors import NoCalendlyAccess, NotConfigured
from django_calendly.services.visibility import local_scope, visible_events

LOGIN_URL = "demo-login"
UPCOMING_LIMIT = 20


class DemoLoginView(LoginView):
    """A login form for any user (the admin's login accepts staff only)."""

    template_name = "demo/login.html"
    redirect_authenticated_user = True
    next_page = "demo-account"  # without ?next=


def _calendly_name(request: HttpRequest, connection: CalendlyConnection) -> str:
    """The connected Calendly user's name: one ``users.me()`` per session and connection
    (the connection stores only the URI); the URI when Calendly cannot be asked now."""
    key = f"demo.calendly_name:{connection.owner}"
    cached = request.session.get(key)
    if isinstance(cached, str) and cached:
        return cached
    try:
        me = get_client(request.user).users.me()
    except (CalendlyError, NoCalendlyAccess, NotConfigured):
        return connection.owner
    name = str(me.get("name") or me.get("email") or connection.owner)
    request.session[key] = name
    return name


def _upcoming(user: Any) -> list[dict[str, Any]]:
    """The user's next active meetings in the mirror, each with its active invitees."""
    events = list(
        visible_events(local_scope(user))
        .filter(status="active", start_time__gte=timezone.now())
        .order_by("start_time", "id")[:UPCOMING_LIMIT]
    )
    invitees: dict[str, list[Invitee]] = {}
    for invitee in Invitee.objects.filter(
        event__in=[e.uri for e in events], status="active"
    ).order_by("calendly_created_at", "id"):
        invitees.setdefault(invitee.event, []).append(invitee)
    return [{"event": e, "invitees": invitees.get(e.uri, [])} for e in events]


@login_required(login_url=LOGIN_URL)
def account(request: HttpRequest) -> HttpResponse:
    """Connect Calendly, or who the user is connected as, Disconnect, and their meetings."""
    connection = connection_for(request.user)
    context: dict[str, Any] = {"connection": connection}
    if connection is not None:
        context.update(
            calendly_name=_calendly_name(request, connection),
            granted_scopes=sorted(parse_scopes(connection.scope)),
            upcoming=_upcoming(request.user),
        )
    return render(request, "demo/account.html", context)


@login_required(login_url=LOGIN_URL)
def book(request: HttpRequest) -> HttpResponse:
    """The booking page; everything on it comes from the REST endpoints (book.js)."""
    return render(request, "demo/book.html")
