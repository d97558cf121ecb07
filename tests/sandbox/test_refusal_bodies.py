"""The sandbox refuses with Calendly's exact bodies (REFERENCE.md section 5; [S26] error
schemas): 401, 403 scope, 403 permission, 403 plan, 404, 400 with ``details``, 429."""

from __future__ import annotations

import httpx

from django_calendly.sandbox import Sandbox

INVALID = "The supplied parameters are invalid."


def bearer(sb: Sandbox, token: str) -> httpx.Client:
    return httpx.Client(base_url=sb.url, headers={"Authorization": f"Bearer {token}"},
                        timeout=5)


def test_401(sb: Sandbox) -> None:
    with bearer(sb, "not-a-token") as api:
        response = api.get("/users/me")
    assert response.status_code == 401
    assert response.json() == {"title": "Unauthenticated",
                               "message": "The access token is invalid"}


def test_403_insufficient_scope(sb: Sandbox) -> None:
    token, _ = sb.add_token(role="owner", scopes="users:read")
    with bearer(sb, token) as api:
        response = api.get("/event_types", params={"organization": sb.organization_uri})
    assert response.status_code == 403
    assert response.json() == {
        "title": "Insufficient scope",
        "message": "This operation requires the scopes listed in the 'required_scopes' array.",
        "required_scopes": ["event_types:read"],
    }


def test_403_permission_and_other_organization(sb: Sandbox, member_api: httpx.Client,
                                               api: httpx.Client) -> None:
    org_uuid = sb.organization_uri.rsplit("/", 1)[1]
    denied = member_api.get(f"/organizations/{org_uuid}/invitations")
    assert (denied.status_code, denied.json()) == (403, {
        "title": "Permission Denied",
        "message": "You do not have permission to access this resource."})
    other = api.get("/event_types", params={"organization": sb.organization_uri + "X"})
    assert (other.status_code, other.json()) == (403, {
        "title": "Permission Denied", "message": "This user is not in your organization"})


def test_403_plan(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(plan="teams")
    enterprise = api.get("/activity_log_entries", params={"organization": sb.organization_uri})
    assert (enterprise.status_code, enterprise.json()) == (403, {
        "title": "Permission Denied",
        "message": "Please upgrade your Calendly account to Enterprise."})
    sb.configure(plan="free")
    paid = api.post("/webhook_subscriptions", json={
        "url": "https://example.com/hook", "events": ["invitee.created"],
        "organization": sb.organization_uri, "scope": "organization"})
    assert (paid.status_code, paid.json()) == (403, {
        "title": "Permission Denied",
        "message": "Please upgrade your Calendly account to Standard"})
    contacts = api.get("/contacts")  # [S26] ContactsError
    assert (contacts.status_code, contacts.json()) == (403, {
        "title": "Permission Denied",
        "message": "Please upgrade to a paid Calendly account."})


def test_404(api: httpx.Client) -> None:
    response = api.get("/scheduled_events/NOPE")
    assert response.status_code == 404
    assert response.json() == {"title": "Resource Not Found",
                               "message": "The server could not find the requested resource.",
                               "details": []}


def test_400_with_details(api: httpx.Client) -> None:
    response = api.get("/event_types")
    assert response.status_code == 400
    body = response.json()
    assert (body["title"], body["message"]) == ("Invalid Argument", INVALID)
    assert body["details"][0]["parameter"] == "organization" and body["details"][0]["message"]
    not_json = api.post("/contacts", content=b"{oops", headers={
        "Content-Type": "application/json"})
    assert (not_json.status_code, not_json.json()) == (400, {
        "title": "Invalid Argument", "message": INVALID,
        "details": [{"parameter": "body", "message": "must be valid JSON"}]})


def test_429_with_headers(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(rate_limit=2)
    answers = [api.get("/users/me") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    limited = answers[-1]
    assert limited.json()["title"] == "Too Many Requests" and limited.json()["message"]
    assert limited.headers["X-RateLimit-Limit"] == "2"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(limited.headers["X-RateLimit-Reset"]) <= 60
