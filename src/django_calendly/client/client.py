"""``CalendlyClient``: one pooled HTTP client, resource groups, and a raw escape hatch."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from . import validation
from .limiter import Limiter
from .resources import (
    ActivityLog,
    Availability,
    Contacts,
    DataCompliance,
    EventTypes,
    GroupRelationships,
    Groups,
    Invitees,
    Locations,
    MeetingRecaps,
    Memberships,
    NoShows,
    Organizations,
    OutgoingCommunications,
    RoutingForms,
    ScheduledEvents,
    SchedulingLinks,
    Shares,
    Teams,
    Users,
    Webhooks,
)
from .tls import default_ssl_context
from .transport import RateLimitState, Requester, RetryPolicy

try:
    from importlib.metadata import version as _version

    _VERSION = _version("django-calendly")
except Exception:  # pragma: no cover - not installed (source checkout)
    _VERSION = "0"

USER_AGENT = f"django-calendly/{_VERSION} (+httpx/{httpx.__version__})"


class CalendlyClient:
    """A Calendly API v2 client. Thread-safe; one instance per token, reused for all calls.

    Connections are pooled by a single ``httpx.Client`` (keep-alive), every call has connect
    and read timeouts, and retries follow ``transport.Requester``'s rules.
    """

    def __init__(
        self,
        token: str,
        base_url: str = validation.CALENDLY_API_URL,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        retry_rate_limited: bool = True,
        rng: random.Random | None = None,
        max_connections: int = 20,
        user_agent: str = USER_AGENT,
        trust_env: bool = True,
        limiter: Limiter | None = None,
    ) -> None:
        if not isinstance(token, str) or not token.strip() or any(c in token for c in "\r\n"):
            raise ValueError("token must be a non-empty string (a Calendly access token).")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an absolute http(s) URL.")
        if timeout <= 0 or connect_timeout <= 0:
            raise ValueError("timeout and connect_timeout must be positive.")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.policy = RetryPolicy(
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            retry_rate_limited=retry_rate_limited,
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": user_agent,
            },
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            transport=transport,
            follow_redirects=False,
            trust_env=trust_env,
            # One CA bundle load per process, not per client (tls.py).
            verify=default_ssl_context(trust_env) if transport is None else True,
        )
        self._requester = Requester(
            self._http, self.policy, sleep=sleep, rng=rng, limiter=limiter
        )

        # One group per family of operations.OPERATIONS (resources.GROUPS; a test keeps
        # the two equal). Spelled out so that each attribute has its precise type.
        self.users = Users(self)
        self.organizations = Organizations(self)
        self.memberships = Memberships(self)
        self.teams = Teams(self)
        self.groups = Groups(self)
        self.group_relationships = GroupRelationships(self)
        self.event_types = EventTypes(self)
        self.availability = Availability(self)
        self.locations = Locations(self)
        self.scheduled_events = ScheduledEvents(self)
        self.invitees = Invitees(self)
        self.no_shows = NoShows(self)
        self.scheduling_links = SchedulingLinks(self)
        self.shares = Shares(self)
        self.routing_forms = RoutingForms(self)
        self.contacts = Contacts(self)
        self.meeting_recaps = MeetingRecaps(self)
        self.webhooks = Webhooks(self)
        self.data_compliance = DataCompliance(self)
        self.activity_log = ActivityLog(self)
        self.outgoing_communications = OutgoingCommunications(self)

    @property
    def rate_limit(self) -> RateLimitState | None:
        """The last ``X-RateLimit-*`` headers seen (``None`` before the first response)."""
        return self._requester.rate_limit

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Send one request (with retries) and return the decoded JSON body (``{}`` if empty).

        ``path`` is ``/something`` under ``base_url`` or a full URL under it (such as a
        ``next_page`` link); a URL elsewhere is refused so the token never leaves for it.
        """
        if not isinstance(path, str):
            raise ValueError("path must be a string.")
        if path.startswith(self.base_url + "/"):
            path = path[len(self.base_url) :]
        if not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"path must start with '/' or {self.base_url}/.")
        return self._requester.send(method, path, params=params, json=json)

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    def __enter__(self) -> CalendlyClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CalendlyClient(base_url={self.base_url!r})"
