"""OAuth: authorize page, code exchange with PKCE, rotating refresh tokens, revoke, introspect."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from django_calendly.sandbox import Sandbox

REDIRECT = "http://127.0.0.1:8000/calendly/callback"
VERIFIER = "dBjftJeZ4CVP-mJ92ZqZ3GhSLsUS2p7E3lNgDuJ8Yw0xK"


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def exchange(web: httpx.Client, sb: Sandbox, **form: str) -> httpx.Response:
    return web.post(f"{sb.url}/oauth/token", data=form,
                      auth=(sb.oauth_client_id, sb.oauth_client_secret))


def test_authorize_page_and_approve_redirect(web: httpx.Client, sb: Sandbox) -> None:
    params = {"client_id": sb.oauth_client_id, "response_type": "code", "redirect_uri": REDIRECT,
              "state": "xyz", "code_challenge": challenge(VERIFIER),
              "code_challenge_method": "S256", "scope": "users:read"}
    page = web.get(f"{sb.url}/oauth/authorize", params=params)
    assert page.status_code == 200 and "Approve" in page.text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    approved = web.post(f"{sb.url}/oauth/authorize", data=fields)
    assert approved.status_code == 302
    location = urlsplit(approved.headers["location"])
    query = parse_qs(location.query)
    assert location.path == "/calendly/callback" and query["state"] == ["xyz"]
    tokens = exchange(web, sb, grant_type="authorization_code", code=query["code"][0],
                      redirect_uri=REDIRECT, code_verifier=VERIFIER)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 7200
    assert body["owner"] == sb.user_uri and body["organization"] == sb.organization_uri
    assert isinstance(body["created_at"], int)
    me = web.get(f"{sb.url}/users/me",
                   headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    bad = web.get(f"{sb.url}/oauth/authorize", params={**params, "client_id": "nope"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_client"


def test_pkce_failure_and_single_use_code(web: httpx.Client, sb: Sandbox) -> None:
    code = sb.authorize(redirect_uri=REDIRECT, code_challenge=challenge(VERIFIER))
    wrong = exchange(web, sb, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                     code_verifier="not-the-verifier")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    # the code was consumed by the failed attempt
    again = exchange(web, sb, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                     code_verifier=VERIFIER)
    assert again.status_code == 400
    code = sb.authorize(redirect_uri=REDIRECT)
    mismatch = exchange(web, sb, grant_type="authorization_code", code=code,
                        redirect_uri="http://127.0.0.1/other")
    assert mismatch.json()["error"] == "invalid_grant"


def test_code_expires_after_ten_minutes(web: httpx.Client, sb: Sandbox) -> None:
    code = sb.authorize(redirect_uri=REDIRECT)
    sb.advance_clock(601)
    response = exchange(web, sb, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert response.status_code == 400


def test_refresh_rotates_and_reuse_fails(web: httpx.Client, sb: Sandbox) -> None:
    code = sb.authorize(redirect_uri=REDIRECT)
    first = exchange(web, sb, grant_type="authorization_code", code=code,
                     redirect_uri=REDIRECT).json()
    second = web.post(f"{sb.url}/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": first["refresh_token"],
        "client_id": sb.oauth_client_id, "client_secret": sb.oauth_client_secret})
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    reuse = exchange(web, sb, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    assert exchange(web, sb, grant_type="refresh_token",
                    refresh_token=second.json()["refresh_token"]).status_code == 200


def test_access_token_expires_with_sandbox_clock(web: httpx.Client, sb: Sandbox) -> None:
    code = sb.authorize(redirect_uri=REDIRECT)
    token = exchange(web, sb, grant_type="authorization_code", code=code,
                     redirect_uri=REDIRECT).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert web.get(f"{sb.url}/users/me", headers=headers).status_code == 200
    sb.advance_clock(7201)
    assert web.get(f"{sb.url}/users/me", headers=headers).status_code == 401


def test_client_auth_and_grant_errors(web: httpx.Client, sb: Sandbox) -> None:
    wrong = web.post(f"{sb.url}/oauth/token", data={"grant_type": "refresh_token",
                                                      "refresh_token": "x"},
                       auth=(sb.oauth_client_id, "wrong"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    unknown = exchange(web, sb, grant_type="password")
    assert unknown.status_code == 400 and unknown.json()["error"] == "unsupported_grant_type"


def test_introspect_and_revoke(web: httpx.Client, sb: Sandbox) -> None:
    code = sb.authorize(redirect_uri=REDIRECT)
    tokens = exchange(web, sb, grant_type="authorization_code", code=code,
                      redirect_uri=REDIRECT).json()
    creds = {"client_id": sb.oauth_client_id, "client_secret": sb.oauth_client_secret}
    info = web.post(f"{sb.url}/oauth/introspect",
                      data={**creds, "token": tokens["access_token"]}).json()
    assert info["active"] is True and info["owner"] == sb.user_uri
    assert info["client_id"] == sb.oauth_client_id and info["exp"] - info["iat"] == 7200
    revoked = web.post(f"{sb.url}/oauth/revoke", data={**creds, "token": tokens["access_token"]})
    assert revoked.status_code == 200
    info = web.post(f"{sb.url}/oauth/introspect",
                      data={**creds, "token": tokens["access_token"]}).json()
    assert info == {"active": False}
    assert web.get(f"{sb.url}/users/me", headers={
        "Authorization": f"Bearer {tokens['access_token']}"}).status_code == 401
    assert web.post(f"{sb.url}/oauth/introspect", data={"token": "x"}).status_code == 401


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/revoke", "/oauth/introspect"])
def test_oauth_errors_have_oauth_shape(web: httpx.Client, sb: Sandbox, path: str) -> None:
    response = web.post(f"{sb.url}{path}", data={})
    assert response.status_code in (400, 401)
    assert set(response.json()) == {"error", "error_description"}


def test_native_client_without_secret_needs_pkce(web: httpx.Client, sb: Sandbox) -> None:
    code = sb.authorize(redirect_uri=REDIRECT)
    no_pkce = web.post(f"{sb.url}/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": sb.oauth_client_id})
    assert no_pkce.status_code == 401
    code = sb.authorize(redirect_uri=REDIRECT, code_challenge=challenge(VERIFIER))
    tokens = web.post(f"{sb.url}/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": sb.oauth_client_id, "code_verifier": VERIFIER})
    assert tokens.status_code == 200
    refreshed = web.post(f"{sb.url}/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": tokens.json()["refresh_token"],
        "client_id": sb.oauth_client_id})
    assert refreshed.status_code == 200
