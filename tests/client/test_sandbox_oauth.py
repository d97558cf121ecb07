"""OAuthClient against the sandbox's /oauth endpoints: PKCE, rotation, revoke, introspect."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from django_calendly.client import CalendlyClient, errors
from django_calendly.client.oauth import OAuthClient, generate_pkce_pair

REDIRECT = "http://127.0.0.1:8000/calendly/callback"


@pytest.fixture
def oauth(sandbox):
    client = OAuthClient(sandbox.oauth_client_id, sandbox.oauth_client_secret,
                         auth_base_url=sandbox.url, trust_env=False)
    yield client
    client.close()


def approve_in_browser(url: str) -> str:
    """What the user's browser does: open the authorize page, press Approve, follow back."""
    with httpx.Client(trust_env=False) as browser:
        page = browser.get(url)
        assert page.status_code == 200 and "Approve" in page.text
        parts = urlsplit(url)
        form = {k: v[0] for k, v in parse_qs(parts.query).items()}
        answer = browser.post(f"{parts.scheme}://{parts.netloc}{parts.path}",
                              data={**form, "approve": "1"})
    assert answer.status_code == 302
    return answer.headers["location"]


def test_code_exchange_with_pkce_refresh_rotation_revoke_introspect(sandbox, oauth):
    pair = generate_pkce_pair()
    # Since 2026-03-03 an app gets exactly the scopes it asks for (none: no API access).
    location = approve_in_browser(
        oauth.authorize_url(REDIRECT, "state-123", pair.challenge, scope="users:read")
    )
    assert location.startswith(REDIRECT + "?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["state"] == "state-123"

    tokens = oauth.exchange_code(query["code"], REDIRECT, pair.verifier)
    assert tokens.token_type == "Bearer" and tokens.scope == "users:read"
    assert tokens.owner == sandbox.user_uri
    assert tokens.organization == sandbox.organization_uri
    assert tokens.expires_in and tokens.expires_at

    with CalendlyClient(token=tokens.access_token, base_url=sandbox.url,
                        trust_env=False) as api:
        assert api.users.me()["uri"] == tokens.owner

    # A code is single-use.
    with pytest.raises(errors.OAuthError) as info:
        oauth.exchange_code(query["code"], REDIRECT, pair.verifier)
    assert info.value.error == "invalid_grant"

    # Refresh rotates: a new refresh token, and the old one is dead.
    refreshed = oauth.refresh(tokens.refresh_token)
    assert refreshed.refresh_token and refreshed.refresh_token != tokens.refresh_token
    assert refreshed.access_token != tokens.access_token
    with pytest.raises(errors.OAuthError) as info:
        oauth.refresh(tokens.refresh_token)
    assert (info.value.status, info.value.error) == (400, "invalid_grant")

    info_active = oauth.introspect(refreshed.access_token)
    assert info_active["active"] is True
    assert info_active["client_id"] == sandbox.oauth_client_id

    oauth.revoke(refreshed.access_token)
    assert oauth.introspect(refreshed.access_token) == {"active": False}
    with CalendlyClient(token=refreshed.access_token, base_url=sandbox.url,
                        trust_env=False) as api, pytest.raises(errors.Unauthorized):
        api.users.me()

    oauth.revoke(refreshed.refresh_token)
    with pytest.raises(errors.OAuthError):
        oauth.refresh(refreshed.refresh_token)


def test_wrong_pkce_verifier_is_refused(sandbox, oauth):
    pair = generate_pkce_pair()
    code = sandbox.authorize(redirect_uri=REDIRECT, code_challenge=pair.challenge)
    with pytest.raises(errors.OAuthError) as info:
        oauth.exchange_code(code, REDIRECT, generate_pkce_pair().verifier)
    assert info.value.error == "invalid_grant"
    assert "PKCE" in info.value.error_description


def test_wrong_client_secret_is_refused(sandbox):
    code = sandbox.authorize(redirect_uri=REDIRECT)
    with OAuthClient(sandbox.oauth_client_id, "not-the-secret", auth_base_url=sandbox.url,
                     trust_env=False) as bad, pytest.raises(errors.OAuthError) as info:
        bad.exchange_code(code, REDIRECT)
    assert (info.value.status, info.value.error) == (401, "invalid_client")


def test_token_post_is_not_retried_on_a_server_error(sandbox, oauth):
    code = sandbox.authorize(redirect_uri=REDIRECT)
    sandbox.configure(error_rate=1.0)
    with pytest.raises(errors.ServerError):
        oauth.exchange_code(code, REDIRECT)
    assert sandbox.stats()["requests"]["POST /oauth/token"] == 1


def test_a_native_client_uses_pkce_without_a_secret(sandbox):
    native = OAuthClient(sandbox.oauth_client_id, None, auth_base_url=sandbox.url,
                         trust_env=False)
    with native:
        assert native.native
        pair = generate_pkce_pair()
        code = sandbox.authorize(redirect_uri=REDIRECT, code_challenge=pair.challenge)
        tokens = native.exchange_code(code, REDIRECT, pair.verifier)
        assert tokens.owner == sandbox.user_uri
        # Refresh works for the public client too, and still rotates.
        refreshed = native.refresh(tokens.refresh_token)
        assert refreshed.refresh_token != tokens.refresh_token
        with pytest.raises(errors.OAuthError):
            native.refresh(tokens.refresh_token)
        # Without PKCE there is nothing to prove who is asking: refused before sending.
        with pytest.raises(ValueError, match="PKCE"):
            native.exchange_code("any-code", REDIRECT)
        with pytest.raises(ValueError, match="client_secret"):
            native.revoke(refreshed.access_token)
    # The sandbox, like Calendly, refuses a secretless exchange of a code issued without PKCE.
    plain_code = sandbox.authorize(redirect_uri=REDIRECT)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as raw:
        answer = raw.post("/oauth/token", data={
            "grant_type": "authorization_code", "code": plain_code,
            "redirect_uri": REDIRECT, "client_id": sandbox.oauth_client_id,
        })
    assert (answer.status_code, answer.json()["error"]) == (401, "invalid_client")
