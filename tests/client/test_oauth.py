"""OAuthClient on MockTransport: form fields, Basic auth, PKCE, errors, no unsafe retries."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from django_calendly.client import errors
from django_calendly.client.oauth import (
    OAuthClient,
    TokenSet,
    code_challenge,
    generate_pkce_pair,
)

from .conftest import FakeSleep, Recorder

TOKENS = {
    "access_token": "acc-1",
    "refresh_token": "ref-2",
    "token_type": "Bearer",
    "scope": "default",
    "expires_in": 7200,
    "created_at": 1700000000,
    "owner": "https://api.calendly.com/users/U1",
    "organization": "https://api.calendly.com/organizations/O1",
}


def make(answers, **kwargs):
    rec = Recorder(answers)
    client = OAuthClient("cid", "csecret", transport=rec.transport, sleep=FakeSleep(), **kwargs)
    return client, rec


def form(request: httpx.Request) -> dict[str, str]:
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def basic(request: httpx.Request) -> tuple[str, str]:
    scheme, _, value = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(value).decode().partition(":")
    return user, password


def test_pkce_pair_is_s256():
    pair = generate_pkce_pair()
    assert 43 <= len(pair.verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(pair.verifier.encode()).digest())
    assert pair.challenge == expected.rstrip(b"=").decode()
    assert pair.method == "S256"
    assert generate_pkce_pair().verifier != pair.verifier
    # RFC 7636 appendix B
    assert code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    with pytest.raises(ValueError):
        code_challenge("short")


def test_authorize_url():
    client, _ = make([])
    url = client.authorize_url("https://app.example.com/cb", "st8", "chal", scope="default")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://auth.calendly.com/oauth/authorize")
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "client_id": "cid", "response_type": "code", "redirect_uri": "https://app.example.com/cb",
        "state": "st8", "code_challenge": "chal", "code_challenge_method": "S256",
        "scope": "default"}
    with pytest.raises(ValueError):
        client.authorize_url("not a url", "st8")
    with pytest.raises(ValueError):
        client.authorize_url("https://app.example.com/cb", "")


def test_exchange_code_posts_the_form_with_basic_auth():
    client, rec = make([httpx.Response(200, json=TOKENS)])
    pair = generate_pkce_pair()
    tokens = client.exchange_code("code-1", "https://app.example.com/cb", pair.verifier)
    request = rec.requests[0]
    assert (request.method, str(request.url)) == ("POST", "https://auth.calendly.com/oauth/token")
    assert basic(request) == ("cid", "csecret")
    assert form(request) == {"grant_type": "authorization_code", "code": "code-1",
                             "redirect_uri": "https://app.example.com/cb",
                             "code_verifier": pair.verifier}
    assert isinstance(tokens, TokenSet)
    assert tokens.access_token == "acc-1" and tokens.refresh_token == "ref-2"
    assert tokens.owner == TOKENS["owner"] and tokens.organization == TOKENS["organization"]
    assert tokens.expires_at == 1700007200
    assert "acc-1" not in repr(tokens) and "ref-2" not in repr(tokens)


def test_refresh_returns_the_rotated_refresh_token():
    client, rec = make([httpx.Response(200, json={**TOKENS, "refresh_token": "ref-3"})])
    tokens = client.refresh("ref-2")
    assert form(rec.requests[0]) == {"grant_type": "refresh_token", "refresh_token": "ref-2"}
    assert basic(rec.requests[0]) == ("cid", "csecret")
    assert tokens.refresh_token == "ref-3"


def test_revoke_and_introspect_send_client_credentials_in_the_form():
    client, rec = make([httpx.Response(200), httpx.Response(200, json={"active": False})])
    assert client.revoke("acc-1") is None
    assert client.introspect("acc-1") == {"active": False}
    for request, path in zip(rec.requests, ["/oauth/revoke", "/oauth/introspect"], strict=True):
        assert request.url.path == path
        assert form(request) == {"client_id": "cid", "client_secret": "csecret", "token": "acc-1"}


def test_oauth_errors_carry_error_and_description():
    client, _ = make([httpx.Response(400, json={"error": "invalid_grant",
                                                "error_description": "code expired"},
                                     headers={"X-Request-Id": "r1"})])
    with pytest.raises(errors.OAuthError) as info:
        client.exchange_code("old", "https://app.example.com/cb")
    exc = info.value
    assert (exc.status, exc.error, exc.error_description) == (400, "invalid_grant",
                                                                "code expired")
    assert exc.request_id == "r1"
    assert str(exc) == "400 invalid_grant: code expired [request id r1]"


def test_token_calls_are_not_retried_once_sent():
    for answer in [httpx.Response(500, json={"error": "server_error"}),
                   httpx.ReadTimeout("lost")]:
        client, rec = make([answer])
        with pytest.raises((errors.ServerError, errors.Timeout)):
            client.refresh("ref-2")
        assert rec.count == 1


def test_token_call_retried_when_the_connection_failed():
    client, rec = make([httpx.ConnectError("refused"), httpx.Response(200, json=TOKENS)])
    assert client.refresh("ref-2").access_token == "acc-1"
    assert rec.count == 2


def test_oauth_429_is_rate_limited():
    client, _ = make([httpx.Response(429, headers={"Retry-After": "30"})], max_retry_wait=5)
    with pytest.raises(errors.RateLimited) as info:
        client.refresh("ref-2")
    assert info.value.retry_after == 30


def test_token_answer_without_access_token_is_invalid():
    client, _ = make([httpx.Response(200, json={"token_type": "Bearer"})])
    with pytest.raises(errors.InvalidResponse):
        client.refresh("ref-2")


def test_auth_base_url_is_configurable():
    client, rec = make([httpx.Response(200, json={"active": True})],
                       auth_base_url="http://127.0.0.1:9/")
    client.introspect("t")
    assert str(rec.requests[0].url) == "http://127.0.0.1:9/oauth/introspect"
    assert client.authorize_url("http://localhost/cb", "s").startswith(
        "http://127.0.0.1:9/oauth/authorize?")


def test_authorize_url_scope_from_names():
    client, _ = make([])
    url = client.authorize_url(
        "https://app.example.com/cb", "st8", scope=["users:read", "event_types:read", "users:read"]
    )
    assert parse_qs(urlsplit(url).query)["scope"] == ["event_types:read users:read"]
    for bad in ([], [""], ["users:read event_types:read"], "  "):
        with pytest.raises(ValueError):
            client.authorize_url("https://app.example.com/cb", "st8", scope=bad)
