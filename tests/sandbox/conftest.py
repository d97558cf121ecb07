"""Sandbox tests talk real HTTP to a started sandbox with plain httpx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from django_calendly.sandbox import Sandbox


@pytest.fixture
def sb(calendly_sandbox_factory) -> Sandbox:
    return calendly_sandbox_factory(token="test-token", seed_events=60, random_seed=7)


@pytest.fixture
def api(sb: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sb.url, headers={"Authorization": f"Bearer {sb.token}"}, timeout=5
    ) as client:
        yield client


@pytest.fixture
def member_api(sb: Sandbox) -> Iterator[httpx.Client]:
    token, _ = sb.add_token(role="user")
    with httpx.Client(
        base_url=sb.url, headers={"Authorization": f"Bearer {token}"}, timeout=5
    ) as client:
        yield client


class Receiver:
    """A tiny local webhook endpoint that records what it gets."""

    def __init__(self, status: int = 200) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.status = status
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def web() -> Iterator[httpx.Client]:
    """A client without credentials (plain http only, so no CA bundle to load)."""
    with httpx.Client(timeout=5, verify=False) as client:  # noqa: S501
        yield client
