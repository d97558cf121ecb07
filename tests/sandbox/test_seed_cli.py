"""Seeding (determinism, speed at 10,000 events), the CLI and the pytest fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from django_calendly.sandbox import Sandbox


def test_seed_is_deterministic(calendly_sandbox_factory) -> None:
    a = calendly_sandbox_factory(random_seed=5, seed_events=20)
    b = calendly_sandbox_factory(random_seed=5, seed_events=20)
    strip = lambda sb: sorted(  # noqa: E731
        (e["uri"].replace(sb.url, ""), e["start_time"][:10], e["status"])
        for e in sb.store.events.values()
    )
    assert strip(a) == strip(b)
    assert [i["email"] for i in a.store.invitees.values()] == [
        i["email"] for i in b.store.invitees.values()]


def test_seed_shape(calendly_sandbox_factory) -> None:
    sb = calendly_sandbox_factory(seed_events=200)
    events = sorted(sb.store.events.values(), key=lambda e: e["start_time"])
    now = sb.store.now()
    assert events[0]["start_time"] < now < events[-1]["start_time"]
    assert any(e["status"] == "canceled" for e in events)
    counts = {len(ids) for ids in sb.store.invitees_by_event.values()}
    assert counts <= {1, 2, 3} and len(counts) > 1
    assert any(not et["active"] for et in sb.store.event_types.values())
    assert len(sb.store.schedules) == len(sb.store.users) == len(sb.store.memberships)


@pytest.mark.slow
def test_ten_thousand_events_seed_and_list_fast() -> None:
    began = time.perf_counter()
    with Sandbox(seed_events=10_000) as sb:
        seeded = time.perf_counter() - began
        assert len(sb.store.events) == 10_000
        assert seeded < 5, seeded
        headers = {"Authorization": f"Bearer {sb.token}"}
        with httpx.Client(base_url=sb.url, headers=headers) as client:
            began = time.perf_counter()
            token, total = None, 0
            for _ in range(200):
                params = {"organization": sb.organization_uri, "count": 100}
                body = client.get("/scheduled_events",
                                  params={**params, **({"page_token": token} if token else {})})
                total += len(body.json()["collection"])
                token = body.json()["pagination"]["next_page_token"]
                if token is None:
                    break
            assert total == 10_000
            assert time.perf_counter() - began < 10


def test_cli_prints_credentials_and_serves(web: httpx.Client) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "django_calendly.sandbox", "--port", "0", "--seed", "5",
         "--token", "cli-token"],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(9)]
        url = next(line.split()[-1] for line in lines if line.strip().startswith("URL:"))
        assert any("cli-token" in line for line in lines)
        assert any("OAuth client secret" in line for line in lines)
        me = web.get(f"{url}/users/me", headers={"Authorization": "Bearer cli-token"})
        assert me.status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode == 0


def test_calendly_sandbox_fixture_sets_django_settings(calendly_sandbox: Sandbox) -> None:
    from django.conf import settings

    assert settings.CALENDLY_BASE_URL == calendly_sandbox.url
    assert settings.CALENDLY_ACCESS_TOKEN == calendly_sandbox.token
    assert settings.CALENDLY_CLIENT_ID == calendly_sandbox.oauth_client_id
    assert len(calendly_sandbox.store.events) == 30
