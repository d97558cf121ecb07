"""Calendly OAuth 2.1: authorize URL with PKCE, code exchange, refresh, revoke, introspect.

Facts from REFERENCE.md section 1: the endpoints live on ``https://auth.calendly.com``;
``/oauth/token`` takes form fields and HTTP Basic client authentication; refresh tokens are
single-use and rotate (the answer carries the new one, which must replace the stored one);
``/oauth/revoke`` and ``/oauth/introspect`` take ``client_id``, ``client_secret`` and
``token`` as form fields; errors are ``{error, error_description}`` -> ``OAuthError``.

Token calls are never retried once sent: a code is single-use and a refresh rotates, so a
second attempt after a lost answer would fail and hide the first one's result.
"""

from __future__ import annotations

import base64
import hashlib
import json as jsonlib
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import httpx

from . import errors
from .client import USER_AGENT
from .tls import default_ssl_context
from .transport import Requester, RetryPolicy, parse_retry_after
from .validation import validate_url

CALENDLY_AUTH_URL = "https://auth.calendly.com"

_VERIFIER_RE = re.compile(r"[A-Za-z0-9._~-]{43,128}")


@dataclass(frozen=True)
class PKCEPair:
    """A PKCE ``code_verifier`` (keep it secret, server side) and its S256 challenge."""

    verifier: str
    challenge: str
    method: str = "S256"


def code_challenge(verifier: str) -> str:
    """The S256 challenge of ``verifier``: base64url(sha256(verifier)) without padding."""
    if not isinstance(verifier, str) or not _VERIFIER_RE.fullmatch(verifier):
        raise ValueError(
            "code_verifier must be 43-128 characters of letters, digits, '-', '.', '_', '~'."
        )
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def generate_pkce_pair() -> PKCEPair:
    """A fresh random verifier (86 characters, 512 bits) and its challenge."""
    verifier = secrets.token_urlsafe(64)
    return PKCEPair(verifier=verifier, challenge=code_challenge(verifier))


@dataclass(frozen=True)
class TokenSet:
    """The answer of ``/oauth/token``. Store ``refresh_token``: it replaces the previous one."""

    access_token: str
    refresh_token: str | None
    token_type: str
    scope: str | None
    expires_in: int | None
    created_at: int | None
    owner: str | None
    organization: str | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def expires_at(self) -> float | None:
        """Epoch seconds when the access token expires (``None`` if not stated)."""
        if self.expires_in is None:
            return None
        start = self.created_at if self.created_at is not None else time.time()
        return float(start + self.expires_in)

    def __repr__(self) -> str:  # never print the tokens
        return (
            f"TokenSet(token_type={self.token_type!r}, scope={self.scope!r}, "
            f"expires_in={self.expires_in!r}, owner={self.owner!r})"
        )

    @classmethod
    def from_response(cls, body: Any) -> TokenSet:
        if not isinstance(body, dict):
            raise errors.InvalidResponse("The token response is not a JSON object.")
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise errors.InvalidResponse("The token response has no access_token.")

        def text(name: str) -> str | None:
            value = body.get(name)
            return None if value is None else str(value)

        def number(name: str) -> int | None:
            value = body.get(name)
            if value is None:
                return None
            try:
                return int(value)
            except (TypeError, ValueError):
                raise errors.InvalidResponse(
                    f"The token response's {name} is not a number."
                ) from None

        return cls(
            access_token=access,
            refresh_token=text("refresh_token"),
            token_type=text("token_type") or "Bearer",
            scope=text("scope"),
            expires_in=number("expires_in"),
            created_at=number("created_at"),
            owner=text("owner"),
            organization=text("organization"),
            raw=body,
        )


def oauth_error(response: httpx.Response) -> errors.APIError:
    """``OAuthError`` from ``{error, error_description}``.

    A 429 is ``RateLimited`` and a 5xx ``ServerError``, so callers can tell "try later"
    from "refused".
    """
    try:
        body: Any = jsonlib.loads(response.content) if response.content else None
    except ValueError:
        body = None
    request_id = errors.request_id_from(response.headers)
    if response.status_code == 429:
        return errors.RateLimited(
            429,
            title=response.reason_phrase,
            message=str(body.get("error_description", "")) if isinstance(body, dict) else "",
            request_id=request_id,
            headers=response.headers,
            body=body,
            retry_after=parse_retry_after(response.headers),
        )
    if isinstance(body, dict):
        error = str(body.get("error") or body.get("title") or response.reason_phrase)
        description = str(body.get("error_description") or body.get("message") or "")
    else:
        error, description = response.reason_phrase, response.text[:200]
    if response.status_code >= 500:  # an outage, not a refusal: callers may try later
        return errors.ServerError(
            response.status_code,
            title=error,
            message=description,
            request_id=request_id,
            headers=response.headers,
            body=body,
        )
    return errors.OAuthError(
        response.status_code,
        error,
        description,
        request_id=request_id,
        headers=response.headers,
        body=body,
    )


def _required(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string.")
    return value


class OAuthClient:
    """Calendly's OAuth endpoints for one registered app.

    A "web" app (a server such as this Django app) is a confidential client: give its
    ``client_secret``, sent with HTTP Basic on token calls. A "native" app (desktop,
    mobile, CLI) cannot keep a secret: pass ``client_secret=None``; token calls then carry
    ``client_id`` in the form, and a code exchange must use PKCE (REFERENCE section 2).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None,
        auth_base_url: str = CALENDLY_AUTH_URL,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        max_retries: int = 2,
        max_retry_wait: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        trust_env: bool = True,
    ) -> None:
        self.client_id = _required(client_id, "client_id")
        self._client_secret = (
            None if client_secret is None else _required(client_secret, "client_secret")
        )
        if not isinstance(auth_base_url, str) or not auth_base_url.startswith(
            ("http://", "https://")
        ):
            raise ValueError("auth_base_url must be an absolute http(s) URL.")
        self.auth_base_url = auth_base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.auth_base_url,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
            follow_redirects=False,
            trust_env=trust_env,
            # One CA bundle load per process, not per client (tls.py).
            verify=default_ssl_context(trust_env) if transport is None else True,
        )
        self._requester = Requester(
            self._http,
            RetryPolicy(max_retries=max_retries, max_retry_wait=max_retry_wait),
            sleep=sleep,
            error_factory=oauth_error,
        )

    def authorize_url(
        self,
        redirect_uri: str,
        state: str,
        code_challenge: str | None = None,
        *,
        scope: str | Iterable[str] | None = None,
    ) -> str:
        """Where to send the user's browser: ``/oauth/authorize`` with PKCE S256.

        ``scope`` (a space-separated string or scope names) is what the token will be
        allowed to do; Calendly refuses calls outside it with 403 "Insufficient scope".
        Names are sent space-separated, sorted and without repeats.
        """
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": validate_url(redirect_uri, "redirect_uri"),
            "state": _required(state, "state"),
        }
        if code_challenge is not None:
            params["code_challenge"] = _required(code_challenge, "code_challenge")
            params["code_challenge_method"] = "S256"
        if scope is not None:
            names = scope.split() if isinstance(scope, str) else [str(s) for s in scope]
            if not names or any(not n or any(c.isspace() for c in n) for n in names):
                raise ValueError("scope must name at least one scope, each without spaces.")
            params["scope"] = " ".join(sorted(set(names)))
        return f"{self.auth_base_url}/oauth/authorize?{urlencode(params)}"

    @property
    def native(self) -> bool:
        """A public client (no secret)."""
        return self._client_secret is None

    def _token(self, form: Mapping[str, str]) -> TokenSet:
        if self._client_secret is None:
            body = self._requester.send(
                "POST", "/oauth/token", data={**form, "client_id": self.client_id}
            )
        else:
            body = self._requester.send(
                "POST", "/oauth/token", data=form, auth=(self.client_id, self._client_secret)
            )
        return TokenSet.from_response(body)

    def exchange_code(
        self, code: str, redirect_uri: str, code_verifier: str | None = None
    ) -> TokenSet:
        """``grant_type=authorization_code`` (with the PKCE verifier when one was used)."""
        form = {
            "grant_type": "authorization_code",
            "code": _required(code, "code"),
            "redirect_uri": validate_url(redirect_uri, "redirect_uri"),
        }
        if code_verifier is not None:
            code_challenge(code_verifier)  # validates the verifier's shape
            form["code_verifier"] = code_verifier
        elif self.native:
            raise ValueError("A native client (no client_secret) must use PKCE: pass "
                             "the code_verifier of the authorize_url's code_challenge.")
        return self._token(form)

    def refresh(self, refresh_token: str) -> TokenSet:
        """``grant_type=refresh_token``. The old refresh token is dead once this returns."""
        return self._token(
            {"grant_type": "refresh_token", "refresh_token": _required(refresh_token, "token")}
        )

    def _client_form(self, token: str) -> dict[str, str]:
        if self._client_secret is None:
            # Calendly's revoke and introspect take client_id and client_secret.
            raise ValueError("revoke and introspect need the client_secret (a web app's).")
        return {
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "token": _required(token, "token"),
        }

    def revoke(self, token: str) -> None:
        """``POST /oauth/revoke`` for an access or refresh token."""
        self._requester.send("POST", "/oauth/revoke", data=self._client_form(token))

    def introspect(self, token: str) -> dict[str, Any]:
        """``POST /oauth/introspect``: ``{"active": bool, ...}``."""
        body = self._requester.send("POST", "/oauth/introspect", data=self._client_form(token))
        if not isinstance(body, dict) or "active" not in body:
            raise errors.InvalidResponse("The introspection answer has no 'active' field.")
        return body

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OAuthClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"OAuthClient(client_id={self.client_id!r}, auth_base_url={self.auth_base_url!r})"


__all__ = [
    "CALENDLY_AUTH_URL",
    "OAuthClient",
    "PKCEPair",
    "TokenSet",
    "code_challenge",
    "generate_pkce_pair",
    "oauth_error",
]
