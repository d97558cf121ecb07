"""OAuth 2 on the sandbox's host: authorize (HTML approve form), token, revoke, introspect.

Codes are single-use and live 10 minutes; PKCE S256 is checked when a challenge was
given; refresh tokens are single-use and rotate (the old one dies at once). Access tokens
land in ``store.tokens`` so the API accepts them, and expire after 2 hours of sandbox time.

Scopes (REFERENCE.md section 2): ``/oauth/authorize`` takes ``scope`` (space-separated);
the code, the access token and every refreshed token carry exactly those scopes, and the
token answer's ``scope`` lists them. An unknown scope is ``invalid_scope``. An app that
asks for no scope gets a token with no API access, as for apps made since 2026-03-03.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..client.operations import ALL_SCOPES, parse_scopes
from .errors import OAuthProblem
from .state import Json, Store, TokenInfo

CODE_TTL = 600
ACCESS_TTL = 7200


def check_scopes(value: str | Iterable[str] | None) -> frozenset[str]:
    """The scopes named (space-separated or a list); an unknown one is ``invalid_scope``."""
    scopes = parse_scopes(value)
    unknown = sorted(scopes - set(ALL_SCOPES))
    if unknown:
        raise OAuthProblem(400, "invalid_scope", f"Unknown scope(s): {' '.join(unknown)}.")
    return scopes


def scope_string(scopes: Iterable[str]) -> str:
    """Calendly's space-separated ``scope`` value."""
    return " ".join(sorted(scopes))


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    user: str
    expires_at: float
    challenge: str | None = None
    used: bool = False
    scopes: frozenset[str] = frozenset()


@dataclass
class Refresh:
    client_id: str
    user: str
    active: bool = True
    public: bool = False  # issued to a PKCE client that did not send its secret
    scopes: frozenset[str] = frozenset()


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class OAuthServer:
    """The OAuth state of one sandbox (one registered client)."""

    def __init__(self, store: Store, client_id: str, client_secret: str) -> None:
        self.store = store
        self.client_id = client_id
        self.client_secret = client_secret
        self.grants: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Refresh] = {}

    # -- authorize ----------------------------------------------------------------------

    def check_authorize(self, params: dict[str, str]) -> None:
        if params.get("client_id") != self.client_id:
            raise OAuthProblem(400, "invalid_client", "Unknown client_id.")
        if params.get("response_type") != "code":
            raise OAuthProblem(400, "unsupported_response_type", "response_type must be code.")
        if not params.get("redirect_uri", "").startswith(("http://", "https://")):
            raise OAuthProblem(400, "invalid_request", "redirect_uri is missing or invalid.")
        method = params.get("code_challenge_method")
        if params.get("code_challenge") and method not in (None, "", "S256"):
            raise OAuthProblem(400, "invalid_request", "code_challenge_method must be S256.")
        check_scopes(params.get("scope"))

    def authorize_page(self, params: dict[str, str]) -> str:
        self.check_authorize(params)
        scopes = sorted(check_scopes(params.get("scope")))
        asked = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes) or (
            "<li>no scopes: the application will not be able to call the API</li>")
        fields = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
        )
        return (
            "<!doctype html><html><head><title>Calendly sandbox: authorize</title></head>"
            "<body><h1>Authorize application</h1>"
            f"<p>Client <code>{html.escape(params['client_id'])}</code> asks to access the "
            "sandbox's Calendly data as the organization owner, with these scopes:</p>"
            f'<ul class="scopes">{asked}</ul>'
            f'<form method="post" action="/oauth/authorize">{fields}'
            '<button type="submit" name="approve" value="1">Approve</button></form>'
            "</body></html>"
        )

    def approve(self, params: dict[str, str]) -> str:
        """The redirect location after the user approved."""
        self.check_authorize(params)
        code = self.authorize(
            params["client_id"], params["redirect_uri"], params.get("code_challenge"),
            params.get("user") or None, check_scopes(params.get("scope")),
        )
        query: dict[str, str] = {"code": code}
        if params.get("state"):
            query["state"] = params["state"]
        sep = "&" if "?" in params["redirect_uri"] else "?"
        return f"{params['redirect_uri']}{sep}{urlencode(query)}"

    def authorize(
        self, client_id: str, redirect_uri: str, code_challenge: str | None = None,
        user_uri: str | None = None, scopes: frozenset[str] = frozenset(),
    ) -> str:
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(
            client_id=client_id,
            redirect_uri=redirect_uri,
            user=user_uri or self.store.owner_uri,
            expires_at=self.store.clock.time() + CODE_TTL,
            challenge=code_challenge or None,
            scopes=scopes,
        )
        return code

    def token_subject(self, form: dict[str, str]) -> str | None:
        """The user a token request is for, without using the code or refresh token up
        (the 8-per-minute limit is counted per user before the request is served)."""
        if form.get("grant_type") == "authorization_code":
            grant = self.grants.get(form.get("code") or "")
            return grant.user if grant is not None else None
        if form.get("grant_type") == "refresh_token":
            refresh = self.refresh_tokens.get(form.get("refresh_token") or "")
            return refresh.user if refresh is not None else None
        return None

    # -- token endpoints ----------------------------------------------------------------

    def client_auth(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[str, bool]:
        """The client id, and whether the client proved its secret (a native client may not)."""
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        if client_id != self.client_id:
            raise OAuthProblem(401, "invalid_client", "Client authentication failed.")
        if secret and not hmac.compare_digest(secret, self.client_secret):
            raise OAuthProblem(401, "invalid_client", "Client authentication failed.")
        return client_id, bool(secret)

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> Json:
        client_id, confidential = self.client_auth(form, basic)
        unauthenticated = OAuthProblem(401, "invalid_client", "Client authentication failed.")
        grant_type = form.get("grant_type")
        now = self.store.clock.time()
        if grant_type == "authorization_code":
            code = form.get("code")
            if not code:
                raise OAuthProblem(400, "invalid_request", "code is required.")
            grant = self.grants.get(code)
            if grant is None or grant.used or grant.expires_at < now:
                raise OAuthProblem(400, "invalid_grant", "The authorization code is invalid.")
            grant.used = True
            if not confidential and grant.challenge is None:
                raise unauthenticated  # only a PKCE (native) client may omit its secret
            if grant.client_id != client_id:
                raise OAuthProblem(400, "invalid_grant", "The code was issued to another client.")
            if form.get("redirect_uri") != grant.redirect_uri:
                raise OAuthProblem(400, "invalid_grant", "redirect_uri does not match.")
            if grant.challenge is not None:
                verifier = form.get("code_verifier") or ""
                if not hmac.compare_digest(s256(verifier), grant.challenge):
                    raise OAuthProblem(400, "invalid_grant", "PKCE verification failed.")
            user, scopes = grant.user, grant.scopes
        elif grant_type == "refresh_token":
            token = form.get("refresh_token")
            if not token:
                raise OAuthProblem(400, "invalid_request", "refresh_token is required.")
            refresh = self.refresh_tokens.get(token)
            if refresh is None or not refresh.active or refresh.client_id != client_id:
                raise OAuthProblem(400, "invalid_grant", "The refresh token is invalid.")
            if not confidential and not refresh.public:
                raise unauthenticated
            refresh.active = False
            user, scopes = refresh.user, refresh.scopes
        else:
            raise OAuthProblem(400, "unsupported_grant_type", "grant_type is not supported.")
        return self.issue(client_id, user, scopes, public=not confidential)

    def issue(
        self, client_id: str, user: str, scopes: frozenset[str], public: bool = False
    ) -> Json:
        now = int(self.store.clock.time())
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        self.store.tokens[access] = TokenInfo(
            user=user, kind="oauth", expires_at=now + ACCESS_TTL, client_id=client_id,
            issued_at=now, scopes=scopes,
        )
        self.refresh_tokens[refresh] = Refresh(client_id=client_id, user=user, public=public,
                                               scopes=scopes)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "scope": scope_string(scopes),
            "expires_in": ACCESS_TTL,
            "created_at": now,
            "owner": user,
            "organization": self.store.organization_uri,
        }

    def revoke(self, form: dict[str, str], basic: tuple[str, str] | None) -> Json:
        self.secret_auth(form, basic)
        token = form.get("token")
        if not token:
            raise OAuthProblem(400, "invalid_request", "token is required.")
        info = self.store.tokens.get(token)
        if info is not None and info.kind == "oauth":
            info.active = False
        if token in self.refresh_tokens:
            self.refresh_tokens[token].active = False
        return {}

    def introspect(self, form: dict[str, str], basic: tuple[str, str] | None) -> Json:
        self.secret_auth(form, basic)
        token = form.get("token")
        if not token:
            raise OAuthProblem(400, "invalid_request", "token is required.")
        info = self.store.tokens.get(token)
        now = self.store.clock.time()
        if info is None or info.kind != "oauth" or not info.active or (
            info.expires_at is not None and info.expires_at <= now
        ):
            refresh = self.refresh_tokens.get(token)
            if refresh is not None and refresh.active:
                return {"active": True, "scope": scope_string(refresh.scopes),
                        "client_id": refresh.client_id, "token_type": "refresh_token",
                        "owner": refresh.user,
                        "organization": self.store.organization_uri}
            return {"active": False}
        out: dict[str, Any] = {
            "active": True,
            "scope": info.scope,
            "client_id": info.client_id,
            "token_type": "access_token",
            "owner": info.user,
            "organization": self.store.organization_uri,
            "exp": int(info.expires_at or 0),
            "iat": int(info.issued_at),
        }
        return out

    def secret_auth(self, form: dict[str, str], basic: tuple[str, str] | None) -> None:
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        if client_id != self.client_id or not secret or not hmac.compare_digest(
            secret, self.client_secret
        ):
            raise OAuthProblem(401, "invalid_client", "Client authentication failed.")
