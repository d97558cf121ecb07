"""OAuth "Connect Calendly": start the flow, finish it, keep the tokens fresh, disconnect.

Calendly refresh tokens are single-use and rotate: two processes refreshing the same
connection at once would make one of them use a revoked token and lose the connection. So a
refresh takes the connection's row lock, re-reads it, and only refreshes if nobody else did
meanwhile; the new access and refresh tokens are saved together in that transaction.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ..client.errors import CalendlyError, OAuthError
from ..conf import calendly_settings
from ..models import CalendlyConnection
from .errors import NotConfigured
from .lookups import RowLookup

if TYPE_CHECKING:
    from ..client.oauth import OAuthClient, TokenSet

logger = logging.getLogger(__name__)

SESSION_KEY = "calendly_oauth_pending"
STATE_MAX_AGE = 600  # Calendly's authorization codes live 10 minutes; so does our state.
REFRESH_MARGIN = 120  # refresh an access token this many seconds before it expires


class ConnectionError(NotConfigured):
    """The OAuth flow or a refresh failed; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code)


@dataclass(frozen=True)
class PendingAuthorization:
    state: str
    code_verifier: str
    redirect_uri: str
    next_url: str
    created: float


def usable_connection(connection_id: int) -> tuple[CalendlyConnection | None, dict[str, Any]]:
    """The connection a task was enqueued for, or why the task has nothing to do: gone
    (disconnected since) or awaiting a reconnect. Returns ``(connection, {})`` or
    ``(None, {"skipped": ..., "connection": ...})``, the tasks' JSON result."""
    connection = CalendlyConnection.objects.filter(pk=connection_id).first()
    if connection is None:
        return None, {"skipped": f"connection {connection_id} no longer exists",
                      "connection": None}
    if not connection.is_usable:
        return None, {"skipped": f"connection {connection_id} needs reconnecting",
                      "connection": connection_id}
    return connection, {}


def oauth_client() -> OAuthClient:
    from ..client.oauth import OAuthClient

    if not (calendly_settings.CLIENT_ID and calendly_settings.CLIENT_SECRET):
        raise ConnectionError(
            "oauth_not_configured",
            "CALENDLY_CLIENT_ID and CALENDLY_CLIENT_SECRET must be set to connect Calendly.",
        )
    return OAuthClient(
        client_id=calendly_settings.CLIENT_ID,
        client_secret=calendly_settings.CLIENT_SECRET,
        auth_base_url=calendly_settings.AUTH_BASE_URL,
        timeout=calendly_settings.TIMEOUT,
    )


def start_authorization(session: Any, redirect_uri: str, next_url: str = "/") -> str:
    """Remember a single-use state and PKCE verifier in the session; return the authorize URL."""
    from ..client.oauth import generate_pkce_pair

    pkce = generate_pkce_pair()
    pending = PendingAuthorization(
        state=secrets.token_urlsafe(24),
        code_verifier=pkce.verifier,
        redirect_uri=redirect_uri,
        next_url=next_url,
        created=time.time(),
    )
    _remember_pending(session, pending)
    client = oauth_client()
    try:
        return client.authorize_url(
            redirect_uri=redirect_uri,
            state=pending.state,
            code_challenge=pkce.challenge,
            scope=_scope_parameter(),
        )
    except ValueError as exc:  # e.g. CALENDLY_OAUTH_REDIRECT_URI is not an http(s) URL
        raise ConnectionError("oauth_not_configured", str(exc)) from exc
    finally:
        client.close()


def _scope_parameter() -> str | None:
    """The authorize URL's ``scope``: what the app uses (``scopes.requested_scopes``).

    Calendly grants only what was asked for, so asking for nothing would leave a token
    that can call nothing (apps created since scopes shipped get no default access).
    """
    from ..scopes import requested_scopes, scope_string

    return scope_string(requested_scopes()) or None


def connection_for(user: Any) -> CalendlyConnection | None:
    """The connection ``get_client(user)`` acts with, or ``None`` (it uses the personal
    access token then). The one statement of that rule: the REST error for a missing
    scope reads it too, to tell whether reconnecting can help."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # On every proxied call: one indexed query, its SQL compiled once per process.
    return _CONNECTION_OF_USER.get(user.pk)


_CONNECTION_OF_USER = RowLookup(CalendlyConnection, "user")  # one-to-one: at most one row


MAX_PENDING = 5  # flows one session may have open at once (several tabs)


def _pending_flows(session: Any) -> dict[str, dict[str, Any]]:
    """The session's open flows by state, without the expired ones."""
    data = session.get(SESSION_KEY) or {}
    if "state" in data:  # the one-flow format of earlier versions
        data = {str(data["state"]): data}
    now = time.time()
    return {
        state: flow
        for state, flow in data.items()
        if isinstance(flow, dict) and now - float(flow.get("created", 0)) <= STATE_MAX_AGE
    }


def _remember_pending(session: Any, pending: PendingAuthorization) -> None:
    flows = _pending_flows(session)
    flows[pending.state] = pending.__dict__
    newest = sorted(flows.items(), key=lambda item: item[1]["created"])[-MAX_PENDING:]
    session[SESSION_KEY] = dict(newest)


def discard_pending(session: Any, state: str) -> None:
    """Forget the flow of ``state`` (Calendly reported it denied). Any other flow stays:
    a forged callback must not cancel a flow it does not know the state of."""
    flows = _pending_flows(session)
    if state and flows.pop(state, None) is not None:
        session[SESSION_KEY] = flows


def _take_pending(session: Any, state: str) -> PendingAuthorization:
    """Take the flow of ``state`` out of the session: each state is used once, before it
    expires. A state that matches no flow (forged, replayed) changes nothing, so the real
    callback of a pending flow still succeeds after a forged one."""
    raw = session.get(SESSION_KEY) or {}
    stored = {str(raw["state"]): raw} if "state" in raw else raw
    data = None
    if state:
        for candidate, flow in stored.items():
            if secrets.compare_digest(candidate, state):
                data = flow
                break
    if data is None:
        raise ConnectionError(
            "invalid_state",
            "This Calendly authorization was not started here, or was already used.",
        )
    flows = _pending_flows(session)
    flows.pop(str(data["state"]), None)
    session[SESSION_KEY] = flows
    pending = PendingAuthorization(**data)
    if time.time() - pending.created > STATE_MAX_AGE:
        raise ConnectionError("expired_state", "This Calendly authorization has expired.")
    return pending


def _expires_at(tokens: TokenSet) -> Any:
    return timezone.now() + timedelta(seconds=int(tokens.expires_in or 0))


def finish_authorization(session: Any, user: Any, state: str, code: str) -> tuple[
    CalendlyConnection, str
]:
    """Exchange the code for tokens and store them encrypted; return the connection and next URL."""
    pending = _take_pending(session, state)
    if not code:
        raise ConnectionError("missing_code", "Calendly did not send an authorization code.")
    client = oauth_client()
    try:
        tokens = client.exchange_code(
            code=code, redirect_uri=pending.redirect_uri, code_verifier=pending.code_verifier
        )
    except OAuthError as exc:
        raise ConnectionError("oauth_refused", f"Calendly refused the code: {exc.message}") from exc
    except CalendlyError as exc:
        raise ConnectionError("oauth_unavailable", f"Calendly could not be reached: {exc}") from exc
    finally:
        client.close()
    _require_tokens(tokens)
    connection, _ = CalendlyConnection.objects.update_or_create(
        user=user,
        defaults={
            "owner": tokens.owner or "",
            "organization": tokens.organization or "",
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "scope": tokens.scope or "",
            "expires_at": _expires_at(tokens),
            "refreshed_at": None,
            "last_error": "",
        },
    )
    logger.info("Calendly connected for user %s (%s)", user.pk, connection.owner)
    from .tenancy import on_connected

    on_connected(connection)  # its own webhook subscription and first sync
    return connection, pending.next_url


def fresh_access_token(connection: CalendlyConnection) -> str:
    """The connection's access token, refreshed first when it is about to expire."""
    if connection.last_error:
        raise ConnectionError(
            "connection_broken",
            f"The Calendly connection needs reconnecting: {connection.last_error}",
        )
    if not connection.expires_within(REFRESH_MARGIN):
        return connection.access_token
    refused: OAuthError | None = None
    with transaction.atomic():
        # NO KEY UPDATE: refreshes exclude each other, but do not wait for (or deadlock
        # with) the FOR KEY SHARE of transactions marking rows as seen by this connection
        # (services/attribution.py), which a webhook handler calling Calendly may be in.
        locked = (
            CalendlyConnection.objects.select_for_update(no_key=True).get(pk=connection.pk)
        )
        if locked.last_error or not locked.expires_within(REFRESH_MARGIN):
            # Another process refreshed (or failed to) while we waited for the lock.
            _copy_tokens(locked, connection)
            return fresh_access_token(connection)
        client = oauth_client()
        try:
            tokens = client.refresh(locked.refresh_token)
        except OAuthError as exc:
            # Refused (revoked, already used): the user must reconnect. Recorded in this
            # transaction, which commits: the error is raised after it.
            refused = exc
            locked.last_error = f"refresh refused: {exc.message}"
            locked.save(update_fields=["last_error"])
        else:
            _require_tokens(tokens)
            locked.access_token = tokens.access_token
            locked.refresh_token = tokens.refresh_token
            locked.scope = tokens.scope or locked.scope
            locked.expires_at = _expires_at(tokens)
            locked.refreshed_at = timezone.now()
            locked.save(
                update_fields=[
                    "access_token", "refresh_token", "scope", "expires_at", "refreshed_at"
                ]
            )
        finally:
            client.close()
    _copy_tokens(locked, connection)
    if refused is not None:
        from .tenancy import on_reconnect_required

        on_reconnect_required(locked)
        raise ConnectionError("connection_broken", locked.last_error) from refused
    return locked.access_token


def _require_tokens(tokens: TokenSet) -> None:
    """Calendly always sends both tokens; without a new refresh token the connection could
    never be refreshed again (the old one is already spent), so say so instead of storing
    half of it."""
    if not tokens.access_token or not tokens.refresh_token:
        raise ConnectionError(
            "oauth_invalid_response", "Calendly's token answer lacks an access or refresh token."
        )


def _copy_tokens(source: CalendlyConnection, target: CalendlyConnection) -> None:
    for field in ("access_token", "refresh_token", "scope", "expires_at", "refreshed_at",
                  "last_error"):
        setattr(target, field, getattr(source, field))


def disconnect(user: Any) -> bool:
    """Revoke the user's tokens at Calendly (best effort) and forget them."""
    connection = CalendlyConnection.objects.filter(user=user).first()
    if connection is None:
        return False
    from .tenancy import on_disconnected, on_disconnecting

    on_disconnecting(connection)  # its subscriptions (and rows, if purging) go first
    try:
        client = oauth_client()
    except ConnectionError:
        client = None
    if client is not None:
        try:
            for token in (connection.access_token, connection.refresh_token):
                client.revoke(token)
        except CalendlyError as exc:
            logger.warning("Calendly token revoke failed for user %s: %s", user.pk, exc)
        finally:
            client.close()
    with transaction.atomic():
        # Locked first: a worker marking rows as seen by this connection right now holds
        # the row (services/attribution.py); the delete waits for it and takes its rows.
        CalendlyConnection.objects.select_for_update().filter(pk=connection.pk).first()
        connection.delete()
    on_disconnected(connection)
    return True
