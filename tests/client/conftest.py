"""Shared helpers for the client tests: a recording MockTransport and a fake sleep."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpx
import pytest

from django_calendly.client import CalendlyClient

API = "https://api.calendly.com"
TOKEN = "secret-token-123"

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport that answers from a list (or a function) and keeps every request."""

    def __init__(self, answers: Iterable[httpx.Response | Exception] | Handler) -> None:
        self.requests: list[httpx.Request] = []
        if callable(answers):
            self._handler: Handler | None = answers
            self._answers: list[httpx.Response | Exception] = []
        else:
            self._handler = None
            self._answers = list(answers)
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self._handler is not None:
            return self._handler(request)
        if not self._answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self._answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def count(self) -> int:
        return len(self.requests)


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    @property
    def total(self) -> float:
        return sum(self.calls)


def ok(
    body: Any = None, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body if body is not None else {}, headers=headers)


def resource(data: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, json={"resource": data or {"uri": API + "/users/ME"}},
                          headers=headers or None)


def error(status: int, title: str = "Oops", message: str = "it failed",
          headers: dict[str, str] | None = None, details: list[Any] | None = None
          ) -> httpx.Response:
    body: dict[str, Any] = {"title": title, "message": message}
    if details is not None:
        body["details"] = details
    return httpx.Response(status, json=body, headers=headers)


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def make_client(
    fake_sleep: FakeSleep,
) -> Iterator[Callable[..., tuple[CalendlyClient, Recorder]]]:
    made: list[CalendlyClient] = []

    def factory(answers: Any, **kwargs: Any) -> tuple[CalendlyClient, Recorder]:
        recorder = Recorder(answers)
        kwargs.setdefault("sleep", fake_sleep)
        client = CalendlyClient(token=TOKEN, transport=recorder.transport, **kwargs)
        made.append(client)
        return client, recorder

    yield factory
    for client in made:
        client.close()


# --- the sandbox over real HTTP ---------------------------------------------------------

SANDBOX_TOKEN = "client-tests-token"


@pytest.fixture
def sandbox(calendly_sandbox_factory: Callable[..., Any]) -> Any:
    """A started sandbox (real HTTP on loopback), fresh for each test; no Django involved.

    Built with the package's own fixture plugin (``django_calendly.testing.fixtures``).
    """
    return calendly_sandbox_factory(
        token=SANDBOX_TOKEN, seed_events=40, random_seed=7, deliver="off"
    )


@pytest.fixture
def sb_client(sandbox: Any) -> Iterator[CalendlyClient]:
    """A client for the sandbox that backs off only a little (real sleeps, short ones)."""
    client = CalendlyClient(
        token=sandbox.token, base_url=sandbox.url, timeout=5.0, connect_timeout=2.0,
        max_retries=3, max_retry_wait=2.0, backoff_base=0.01, backoff_max=0.05,
        trust_env=False,
    )
    try:
        yield client
    finally:
        client.close()
