"""Calendly's limits on by default: 500/50 requests per user per minute on the sandbox
clock, headers on every answer (401s and OAuth included), 8 token requests per user per
minute, and expiring, tamper-proof page tokens."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from django_calendly.sandbox import Sandbox

from .test_oauth import REDIRECT, exchange

HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def has_rate_headers(response: httpx.Response) -> bool:
    return all(name in response.headers for name in HEADERS)


@pytest.mark.parametrize(("plan", "limit"), [("enterprise", 500), ("standard", 500),
                                             ("free", 50)])
def test_calendly_limit_per_plan_on_the_sandbox_clock(
    sb: Sandbox, api: httpx.Client, member_api: httpx.Client, plan: str, limit: int
) -> None:
    sb.configure(plan=plan)
    answers = [api.get("/users/me") for _ in range(limit)]
    assert {r.status_code for r in answers} == {200}
    assert answers[0].headers["X-RateLimit-Limit"] == str(limit)
    assert answers[-1].headers["X-RateLimit-Remaining"] == "0"
    refused = api.get("/users/me")
    assert refused.status_code == 429 and refused.json()["title"] == "Too Many Requests"
    assert 0 < int(refused.headers["X-RateLimit-Reset"]) <= 60
    assert member_api.get("/users/me").status_code == 200  # another user has their own
    sb.advance_clock(61)  # a new minute of sandbox time, no sleeping
    again = api.get("/users/me")
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == str(limit - 1)


def test_explicit_limit_overrides_and_off_switches_it_off(sb: Sandbox, api: httpx.Client
                                                          ) -> None:
    sb.configure(rate_limit=2)
    assert [api.get("/users/me").status_code for _ in range(3)] == [200, 200, 429]
    sb.configure(rate_limit="off")  # benchmarks only
    response = api.get("/users/me")
    assert response.status_code == 200 and not has_rate_headers(response)
    with pytest.raises(ValueError, match="rate_limit"):
        sb.configure(rate_limit=0)
    sb.configure(rate_limit=None)
    assert api.get("/users/me").headers["X-RateLimit-Limit"] == "500"


def test_headers_on_401_404_400_and_faults(sb: Sandbox, api: httpx.Client,
                                           web: httpx.Client) -> None:
    unauthenticated = web.get(f"{sb.url}/users/me", headers={"Authorization": "Bearer nope"})
    assert unauthenticated.status_code == 401 and has_rate_headers(unauthenticated)
    missing = web.get(f"{sb.url}/users/me")
    assert missing.status_code == 401 and has_rate_headers(missing)
    assert has_rate_headers(api.get("/no_such_thing"))
    assert has_rate_headers(api.get("/scheduled_events"))  # 400: organization or user needed
    sb.configure(error_rate=1.0)
    fault = api.get("/users/me")
    assert fault.status_code >= 500 and has_rate_headers(fault)


def test_headers_on_oauth_answers(sb: Sandbox, web: httpx.Client) -> None:
    page = web.get(f"{sb.url}/oauth/authorize", params={
        "client_id": sb.oauth_client_id, "response_type": "code", "redirect_uri": REDIRECT,
        "scope": "users:read"})
    assert page.status_code == 200 and has_rate_headers(page)
    bad = web.get(f"{sb.url}/oauth/authorize", params={"client_id": "x"})
    assert bad.status_code == 400 and has_rate_headers(bad)
    tokens = exchange(web, sb, grant_type="authorization_code",
                      code=sb.authorize(redirect_uri=REDIRECT), redirect_uri=REDIRECT)
    assert tokens.status_code == 200 and has_rate_headers(tokens)
    assert tokens.headers["X-RateLimit-Limit"] == "8"
    assert tokens.headers["X-RateLimit-Remaining"] == "7"
    invalid = exchange(web, sb, grant_type="authorization_code", code="nope",
                       redirect_uri=REDIRECT)
    assert invalid.status_code == 400 and has_rate_headers(invalid)
    introspect = web.post(f"{sb.url}/oauth/introspect", data={
        "client_id": sb.oauth_client_id, "client_secret": sb.oauth_client_secret,
        "token": tokens.json()["access_token"]})
    assert introspect.status_code == 200 and has_rate_headers(introspect)
    sb.configure(error_rate=1.0)
    fault = exchange(web, sb, grant_type="refresh_token",
                     refresh_token=tokens.json()["refresh_token"])
    assert fault.status_code >= 500 and has_rate_headers(fault)
    assert sb.stats()["faults"]


def test_eight_token_requests_per_user_per_minute(sb: Sandbox, web: httpx.Client) -> None:
    refresh = exchange(web, sb, grant_type="authorization_code",
                       code=sb.authorize(redirect_uri=REDIRECT),
                       redirect_uri=REDIRECT).json()["refresh_token"]
    for _ in range(7):  # the code exchange was the first of eight
        answer = exchange(web, sb, grant_type="refresh_token", refresh_token=refresh)
        assert answer.status_code == 200, answer.text
        refresh = answer.json()["refresh_token"]
    refused = exchange(web, sb, grant_type="refresh_token", refresh_token=refresh)
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limit_exceeded"
    assert refused.json()["error_description"]
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    # A refused request used nothing up: the refresh token still works a minute later.
    member_code = sb.authorize(redirect_uri=REDIRECT, user_uri=sb.store.member_uri)
    other_user = exchange(web, sb, grant_type="authorization_code", code=member_code,
                          redirect_uri=REDIRECT)
    assert other_user.status_code == 200  # per user
    sb.advance_clock(60)
    assert exchange(web, sb, grant_type="refresh_token",
                    refresh_token=refresh).status_code == 200


# -- page tokens ---------------------------------------------------------------------------


def first_page(api: httpx.Client, sb: Sandbox) -> dict:
    response = api.get("/scheduled_events", params={"organization": sb.organization_uri,
                                                     "count": 5})
    assert response.status_code == 200
    return response.json()["pagination"]


def assert_invalid_page_token(response: httpx.Response) -> None:
    assert response.status_code == 400
    assert response.json() == {
        "title": "Invalid Argument", "message": "The supplied parameters are invalid.",
        "details": [{"parameter": "page_token", "message": "is invalid"}],
    }


def test_page_tokens_work_within_the_ttl_then_expire(sb: Sandbox, api: httpx.Client) -> None:
    token = first_page(api, sb)["next_page_token"]
    params = {"organization": sb.organization_uri, "count": 5, "page_token": token}
    sb.advance_clock(sb.config["page_token_ttl"] - 5)
    assert api.get("/scheduled_events", params=params).status_code == 200
    sb.advance_clock(10)
    assert_invalid_page_token(api.get("/scheduled_events", params=params))


def test_page_token_ttl_is_configurable(sb: Sandbox, api: httpx.Client) -> None:
    assert sb.config["page_token_ttl"] == 300
    sb.configure(page_token_ttl=30)
    token = first_page(api, sb)["next_page_token"]
    sb.advance_clock(31)
    assert_invalid_page_token(api.get("/scheduled_events", params={
        "organization": sb.organization_uri, "count": 5, "page_token": token}))


def test_forged_and_tampered_page_tokens_are_invalid(sb: Sandbox, api: httpx.Client,
                                                     calendly_sandbox_factory) -> None:
    token = first_page(api, sb)["next_page_token"]
    payload, _, mac = token.partition(".")
    raw = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[1][0] = "2000-01-01T00:00:00.000000Z"  # move the edge
    edited = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")
    forged = base64.urlsafe_b64encode(b'["n",["x"]]').decode().rstrip("=")
    other = calendly_sandbox_factory(token="other", seed_events=20)
    with httpx.Client(base_url=other.url, headers={"Authorization": "Bearer other"}) as o:
        foreign = first_page(o, other)["next_page_token"]
    for bad in (f"{edited}.{mac}", forged, f"{forged}.{mac}", token[:-2], foreign, "%%%"):
        assert_invalid_page_token(api.get("/scheduled_events", params={
            "organization": sb.organization_uri, "count": 5, "page_token": bad}))
