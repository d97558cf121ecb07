""""Connect Calendly" end to end: our views, the sandbox's OAuth server, real HTTP."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection as db_connection
from django.utils import timezone

from django_calendly.client import CalendlyClient
from django_calendly.client.errors import OAuthError, Unauthorized
from django_calendly.models import CalendlyConnection
from django_calendly.services import connections
from django_calendly.services.clients import get_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user("alice", password="pw")


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def approve_in_sandbox(authorize_url: str) -> str:
    """Open the sandbox's authorize page and press Approve, as a person would."""
    with httpx.Client(follow_redirects=False) as http:
        page = http.get(authorize_url)
        assert page.status_code == 200
        fields = dict(
            (unescape(n), unescape(v))
            for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page.text)
        )
        action = urlsplit(authorize_url)._replace(path="/oauth/authorize", query="").geturl()
        answer = http.post(action, data=fields)
    assert answer.status_code in (302, 303)
    return answer.headers["location"]


def connect(browser, sandbox) -> CalendlyConnection:
    start = browser.get("/modules/calendly/oauth/connect/?next=/after/")
    assert start.status_code == 302
    assert start["Location"].startswith(sandbox.url + "/oauth/authorize?")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    back = urlsplit(approve_in_sandbox(start["Location"]))
    assert back.path == "/modules/calendly/oauth/callback/"
    done = browser.get(back.path + "?" + back.query)
    assert done.status_code == 302, done.content
    assert done["Location"] == "/after/"
    return CalendlyConnection.objects.get()


def test_connect_stores_encrypted_tokens_that_work(browser, user, calendly_sandbox):
    conn = connect(browser, calendly_sandbox)
    assert conn.user == user
    assert conn.owner == calendly_sandbox.user_uri
    assert conn.organization == calendly_sandbox.organization_uri
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM calendly_calendlyconnection")
        stored = cursor.fetchone()
    assert conn.access_token not in stored[0] and conn.refresh_token not in stored[1]
    # The user's client acts with the user's own token, not the configured one.
    client = get_client(user)
    assert client is not get_client(None)
    assert client.users.me()["uri"] == calendly_sandbox.user_uri
    status = browser.get("/modules/calendly/oauth/status/").json()
    assert status["connected"] is True
    assert "access_token" not in status and "refresh_token" not in status


def test_state_is_single_use(browser, calendly_sandbox):
    start = browser.get("/modules/calendly/oauth/connect/")
    back = urlsplit(approve_in_sandbox(start["Location"]))
    assert browser.get(back.path + "?" + back.query).status_code == 302
    again = browser.get(back.path + "?" + back.query)
    assert again.status_code == 400
    assert again["X-Calendly-Error"] == "invalid_state"


def test_forged_state_is_refused_and_nothing_is_stored(browser, calendly_sandbox):
    start = browser.get("/modules/calendly/oauth/connect/")
    back = urlsplit(approve_in_sandbox(start["Location"]))
    code = parse_qs(back.query)["code"][0]
    answer = browser.get(back.path, {"code": code, "state": "forged"})
    assert answer.status_code == 400
    assert answer["X-Calendly-Error"] == "invalid_state"
    assert not CalendlyConnection.objects.exists()


def test_user_denial_is_reported(browser, calendly_sandbox):
    browser.get("/modules/calendly/oauth/connect/")
    answer = browser.get(
        "/modules/calendly/oauth/callback/", {"error": "access_denied", "state": "x"}
    )
    assert answer.status_code == 400
    assert answer["X-Calendly-Error"] == "oauth_denied"


def test_anonymous_users_cannot_start_or_read_status(client, calendly_sandbox):
    assert client.get("/modules/calendly/oauth/connect/").status_code == 302  # to login
    assert client.get("/modules/calendly/oauth/status/").status_code == 302
    answer = client.get("/modules/calendly/oauth/callback/", {"code": "c", "state": "s"})
    assert answer.status_code == 400
    assert answer["X-Calendly-Error"] == "not_logged_in"


def test_connect_without_oauth_settings_says_so(browser, settings):
    settings.CALENDLY_CLIENT_ID = ""
    settings.CALENDLY_CLIENT_SECRET = ""
    answer = browser.get("/modules/calendly/oauth/connect/")
    assert answer.status_code == 503
    assert answer["X-Calendly-Error"] == "oauth_not_configured"


def test_expiring_token_is_refreshed_and_the_old_refresh_token_dies(
    browser, user, calendly_sandbox
):
    conn = connect(browser, calendly_sandbox)
    old_access, old_refresh = conn.access_token, conn.refresh_token
    CalendlyConnection.objects.filter(pk=conn.pk).update(
        expires_at=timezone.now() + timedelta(seconds=30)
    )
    calendly_sandbox.reset_stats()
    token = connections.fresh_access_token(CalendlyConnection.objects.get())
    assert token != old_access
    fresh = CalendlyConnection.objects.get()
    assert fresh.refresh_token != old_refresh and fresh.refreshed_at is not None
    assert calendly_sandbox.stats()["requests"].get("POST /oauth/token") == 1
    # Single-use rotation: the old refresh token is refused by Calendly now.
    with pytest.raises(OAuthError) as refused:
        connections.oauth_client().refresh(old_refresh)
    assert refused.value.error == "invalid_grant"
    # A token that does not expire soon is used as it is (no call).
    assert connections.fresh_access_token(fresh) == token
    assert calendly_sandbox.stats()["requests"].get("POST /oauth/token") == 2


def test_refused_refresh_marks_the_connection_broken(browser, user, calendly_sandbox):
    conn = connect(browser, calendly_sandbox)
    connections.oauth_client().refresh(conn.refresh_token)  # someone else used it
    CalendlyConnection.objects.filter(pk=conn.pk).update(expires_at=timezone.now())
    with pytest.raises(connections.ConnectionError) as caught:
        get_client(user)
    assert caught.value.code == "connection_broken"
    assert CalendlyConnection.objects.get().last_error
    assert browser.get("/modules/calendly/oauth/status/").json()["connected"] is False


def test_disconnect_revokes_the_tokens(browser, user, calendly_sandbox):
    conn = connect(browser, calendly_sandbox)
    access = conn.access_token
    answer = browser.post("/modules/calendly/oauth/disconnect/")
    assert answer.status_code == 200
    assert not CalendlyConnection.objects.exists()
    with CalendlyClient(token=access, base_url=calendly_sandbox.url) as client:
        with pytest.raises(Unauthorized):
            client.users.me()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_use_the_refresh_token_once(user, calendly_sandbox):
    if db_connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    client = connections.oauth_client()
    code = calendly_sandbox.authorize(
        redirect_uri="http://testserver/cb", code_challenge=None
    )
    tokens = client.exchange_code(code=code, redirect_uri="http://testserver/cb")
    CalendlyConnection.objects.create(
        user=user,
        owner=tokens.owner or "",
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=timezone.now(),
    )
    calendly_sandbox.reset_stats()
    results: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(connections.fresh_access_token(CalendlyConnection.objects.get()))
        except BaseException as exc:
            errors.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert len(set(results)) == 1
    assert calendly_sandbox.stats()["requests"].get("POST /oauth/token") == 1


def test_admin_shows_connections_without_tokens(browser, user, calendly_sandbox, admin_client):
    conn = connect(browser, calendly_sandbox)
    listing = admin_client.get("/admin/calendly/calendlyconnection/")
    assert listing.status_code == 200
    page = admin_client.get(f"/admin/calendly/calendlyconnection/{conn.pk}/change/")
    assert page.status_code == 200
    assert conn.owner.encode() in page.content
    assert conn.access_token.encode() not in page.content
    assert conn.refresh_token.encode() not in page.content


def test_a_bad_redirect_uri_setting_is_reported_not_a_crash(browser, settings, calendly_sandbox):
    settings.CALENDLY_OAUTH_REDIRECT_URI = "not-a-url"
    answer = browser.get("/modules/calendly/oauth/connect/")
    assert answer.status_code == 503
    assert answer["X-Calendly-Error"] == "oauth_not_configured"
