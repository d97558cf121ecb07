"""``Sandbox``: the public face of the fake Calendly (start, stop, configure, act, inspect)."""

from __future__ import annotations

import copy
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ..client.operations import ALL_SCOPES
from .clock import Clock, check_rate, iso, parse_param_time
from .delivery import Deliverer, Delivery, Retries, RetryTimer, prepare
from .errors import OAuthProblem
from .limits import FixedWindows
from .oauth import OAuthServer, check_scopes
from .paging import DEFAULT_TTL, TokenContext
from .routes.no_shows import mark_no_show, no_show_event, unmark_no_show
from .server import SandboxHTTPServer, check_routes, rate_limit_headers
from .state import PLANS, Json, Store, TokenInfo

CONFIG_DEFAULTS: dict[str, Any] = {
    "latency": 0.0,
    "error_rate": 0.0,
    "drop_rate": 0.0,
    "malformed_rate": 0.0,
    "rate_limit": None,
    "rate_window": 60.0,
    "plan": "enterprise",
    "deliver": "sync",
    "page_token_ttl": DEFAULT_TTL,
    "clock_rate": 1.0,
    "auto_retries": True,
}

#: Calendly's per-user limits per minute (REFERENCE.md section 5).
PAID_RATE_LIMIT = 500
FREE_RATE_LIMIT = 50
OAUTH_TOKEN_LIMIT = 8
#: ``rate_limit=RATE_LIMIT_OFF`` turns every limit off: for benchmarks only.
RATE_LIMIT_OFF = "off"


class Sandbox:
    """A stateful fake of Calendly API v2 served over real HTTP on loopback.

    Nothing runs until :meth:`start`; the data is seeded then, because every URI it
    issues is under the server's own URL.
    """

    def __init__(
        self,
        token: str | None = None,
        seed_events: int = 30,
        random_seed: int = 0,
        *,
        plan: str = "enterprise",
        latency: float = 0.0,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        malformed_rate: float = 0.0,
        rate_limit: int | str | None = None,
        rate_window: float = 60.0,
        deliver: str = "sync",
        page_token_ttl: float = DEFAULT_TTL,
        clock_rate: float = 1.0,
        auto_retries: bool = True,
        token_scopes: str | Sequence[str] | None = None,
        oauth_client_id: str | None = None,
        oauth_client_secret: str | None = None,
        default_signing_key: str | None = None,
        delivery_timeout: float = 5.0,
    ) -> None:
        self.token = token or secrets.token_urlsafe(32)
        # None: a legacy personal token with every scope; otherwise exactly these.
        self.token_scopes = None if token_scopes is None else _scopes(token_scopes)
        self._page_secret = secrets.token_bytes(16)
        self.seed_events = seed_events
        self.random_seed = random_seed
        self.oauth_client_id = oauth_client_id or "sandbox-" + secrets.token_hex(8)
        self.oauth_client_secret = oauth_client_secret or secrets.token_urlsafe(24)
        self.default_signing_key = default_signing_key or secrets.token_urlsafe(24)
        self.clock = Clock()
        self.config: dict[str, Any] = dict(CONFIG_DEFAULTS)
        self.deliverer = Deliverer(timeout=delivery_timeout)
        self.deliverer.on_attempt = self._after_attempt
        self.retries = Retries()
        self._retry_runs = threading.Lock()  # one run of due retries at a time
        self._retry_timer: RetryTimer | None = None
        self._fault_rng = random.Random(random_seed)
        self._stats_lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._connections = 0
        self._rate_limited = 0
        self._faults: Counter[str] = Counter()
        self._statuses: Counter[int] = Counter()
        self._windows = FixedWindows()
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._oauth: OAuthServer | None = None
        self.url = ""
        self.seed_seconds = 0.0
        self.configure(
            plan=plan, latency=latency, error_rate=error_rate, drop_rate=drop_rate,
            malformed_rate=malformed_rate, rate_limit=rate_limit, rate_window=rate_window,
            deliver=deliver, page_token_ttl=page_token_ttl, clock_rate=clock_rate,
            auto_retries=auto_retries,
        )

    # -- lifecycle ----------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> Sandbox:
        if self._server is not None:
            return self
        check_routes()
        server = SandboxHTTPServer((host, port), self)
        bound_host, bound_port = server.server_address[:2]
        shown = bound_host if isinstance(bound_host, str) else bound_host.decode()
        self.url = f"http://{shown}:{bound_port}"
        began = time.perf_counter()
        store = Store(base=self.url, clock=self.clock, rng=random.Random(self.random_seed),
                      plan=self.config["plan"])
        store.seed(self.seed_events)
        store.tokens[self.token] = TokenInfo(user=store.owner_uri, scopes=self.token_scopes)
        self.seed_seconds = time.perf_counter() - began
        self._store = store
        self._oauth = OAuthServer(store, self.oauth_client_id, self.oauth_client_secret)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02},
            name=f"calendly-sandbox-{bound_port}", daemon=True,
        )
        self._thread.start()
        self._retry_timer = RetryTimer(self._next_retry_due, self.clock.real_seconds_until,
                                       self._timer_run,
                                       name=f"calendly-sandbox-{bound_port}-retries")
        self._retry_timer.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        timer, self._retry_timer = self._retry_timer, None
        if timer is not None:
            timer.stop()
        server.shutdown()
        server.close_all()
        server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self.deliverer.wait(5)
        self.deliverer.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("The sandbox is not started: call start() first.")
        return self._store

    @property
    def oauth(self) -> OAuthServer:
        if self._oauth is None:
            raise RuntimeError("The sandbox is not started: call start() first.")
        return self._oauth

    @property
    def organization_uri(self) -> str:
        return self.store.organization_uri

    @property
    def user_uri(self) -> str:
        return self.store.owner_uri

    @property
    def auth_url(self) -> str:
        """Where the OAuth endpoints are (the same host as the API)."""
        return self.url

    # -- configuration, faults, rate limits, stats -----------------------------------------

    def configure(self, **options: Any) -> dict[str, Any]:
        """Change faults, rate limit, plan or delivery mode; returns the whole config."""
        unknown = set(options) - set(CONFIG_DEFAULTS)
        if unknown:
            raise ValueError(f"unknown sandbox option(s): {', '.join(sorted(unknown))}")
        if "clock_rate" in options:
            options["clock_rate"] = check_rate(options["clock_rate"])
        for name in ("latency", "error_rate", "drop_rate", "malformed_rate", "rate_window",
                     "page_token_ttl"):
            if name in options:
                value = float(options[name])
                if value < 0 or (name.endswith("_rate") and value > 1):
                    raise ValueError(f"{name} is out of range")
                options[name] = value
        if options.get("rate_limit") not in (None, RATE_LIMIT_OFF):
            options["rate_limit"] = int(options["rate_limit"])
            if options["rate_limit"] < 1:
                raise ValueError("rate_limit must be at least 1 (or None, or 'off')")
        if "auto_retries" in options and not isinstance(options["auto_retries"], bool):
            raise ValueError("auto_retries must be true or false")
        if "plan" in options and options["plan"] not in PLANS:
            raise ValueError(f"plan must be one of {', '.join(PLANS)}")
        if "deliver" in options and options["deliver"] not in ("sync", "thread", "off"):
            raise ValueError("deliver must be sync, thread or off")
        self.config.update(options)
        if "rate_limit" in options or "rate_window" in options or "plan" in options:
            with self._stats_lock:
                self._windows.close_all()
        if "deliver" in options:
            self.deliverer.mode = options["deliver"]
        if "clock_rate" in options:
            self.clock.set_rate(options["clock_rate"])
        if "clock_rate" in options or "auto_retries" in options:
            self._wake_retries()
        if "plan" in options and self._store is not None:
            with self.store.lock:
                self.store.plan = options["plan"]
                plan, stage = PLANS[options["plan"]]
                self.store.organization.update(plan=plan, stage=stage)
        return dict(self.config)

    def stats(self) -> dict[str, Any]:
        with self._stats_lock:
            return {
                "requests": dict(self._requests),
                "total_requests": sum(self._requests.values()),
                "connections": self._connections,
                "rate_limited": self._rate_limited,
                "statuses": {str(k): v for k, v in sorted(self._statuses.items())},
                "faults": dict(self._faults),
                "deliveries": len(self.deliverer.log),
            }

    def reset_stats(self) -> None:
        with self._stats_lock:
            self._requests.clear()
            self._connections = 0
            self._rate_limited = 0
            self._statuses.clear()
            self._faults.clear()
            self._windows.clear_log()

    def rate_windows(self) -> dict[str, Any]:
        """What each rate-limit key (a user URI, ``oauth-token:...``, ``anonymous:...``)
        was served and refused, per window and in any span of ``rate_window`` seconds
        (``limits.FixedWindows.report``); since the last ``reset_stats``."""
        with self._stats_lock:
            return self._windows.report()

    def _count_status(self, status: int) -> None:
        with self._stats_lock:
            self._statuses[status] += 1

    def _count_connection(self) -> None:
        with self._stats_lock:
            self._connections += 1

    def _count_request(self, op: str) -> None:
        with self._stats_lock:
            self._requests[op] += 1

    def _draw_fault(self) -> str | None:
        cfg = self.config
        if not (cfg["drop_rate"] or cfg["error_rate"] or cfg["malformed_rate"]):
            return None
        with self._stats_lock:
            roll = self._fault_rng.random()
            kind: str | None = None
            if roll < cfg["drop_rate"]:
                kind = "drop"
            elif roll < cfg["drop_rate"] + cfg["error_rate"]:
                kind = self._fault_rng.choice(["500", "502", "503"])
            elif roll < cfg["drop_rate"] + cfg["error_rate"] + cfg["malformed_rate"]:
                kind = "malformed"
            if kind is not None:
                self._faults[kind] += 1
            return kind

    def _api_rate_limit(self) -> int | None:
        """Requests per window per user: the explicit ``rate_limit``, else Calendly's limit
        for the plan (500 a minute paid, 50 free); None when switched off."""
        limit = self.config["rate_limit"]
        if limit == RATE_LIMIT_OFF:
            return None
        if limit is not None:
            return int(limit)
        return FREE_RATE_LIMIT if self.config["plan"] == "free" else PAID_RATE_LIMIT

    def _oauth_token_limit(self) -> int | None:
        """Token requests per window per user on ``/oauth/token`` (None when off)."""
        return None if self.config["rate_limit"] == RATE_LIMIT_OFF else OAUTH_TOKEN_LIMIT

    def _rate_limit(self, key: str, limit: int | None) -> tuple[bool, dict[str, str]]:
        """Fixed window per key on the sandbox clock, as Calendly counts per user (all of
        a user's tokens, personal and OAuth, share it); returns (refused, headers)."""
        if limit is None:
            return False, {}
        with self._stats_lock:
            refused, remaining, reset = self._windows.hit(
                key, limit, self.config["rate_window"], self.clock.time()
            )
            if refused:
                self._rate_limited += 1
        return refused, rate_limit_headers(limit, remaining, reset)

    def _page_tokens(self) -> TokenContext:
        """How this sandbox signs and dates page tokens (its secret, clock and TTL)."""
        return TokenContext(self._page_secret, self.clock.time, self.config["page_token_ttl"])

    # -- tokens, OAuth, clock --------------------------------------------------------------

    def add_token(
        self, token: str | None = None, role: str = "user",
        scopes: str | Sequence[str] | None = None,
    ) -> tuple[str, str]:
        """A personal access token for a seeded user of ``role`` (user, admin or owner).

        ``scopes`` (a space-separated string or names) is what the token may do, as chosen
        when a PAT is created; None makes a legacy token with every scope.
        """
        store = self.store
        users = {"owner": store.owner_uri, "admin": store.admin_uri, "user": store.member_uri}
        if role not in users:
            raise ValueError("role must be user, admin or owner")
        granted = None if scopes is None else _scopes(scopes)
        token = token or secrets.token_urlsafe(32)
        with store.lock:
            store.tokens[token] = TokenInfo(user=users[role], scopes=granted)
        return token, users[role]

    def authorize(
        self, client_id: str | None = None, redirect_uri: str = "http://127.0.0.1/callback",
        code_challenge: str | None = None, user_uri: str | None = None,
        scope: str | Sequence[str] = ALL_SCOPES,
    ) -> str:
        """An authorization code, as if the user had pressed Approve on a request for
        ``scope`` (every scope unless told; pass ``""`` for an app that asked for none)."""
        scopes = _scopes(scope)
        with self.store.lock:
            return self.oauth.authorize(
                client_id or self.oauth_client_id, redirect_uri, code_challenge, user_uri,
                scopes,
            )

    def advance_clock(self, seconds: float) -> None:
        """Move sandbox time forward (token and code expiry, page tokens, rate windows,
        "now" in validations), then run the webhook retries that fell due."""
        self.clock.advance(seconds)
        self.run_due_deliveries()
        self._wake_retries()  # its next wait is measured from the new time

    def add_users(
        self, count: int, events: int = 0, *, role: str = "user", prefix: str = "member"
    ) -> list[Json]:
        """``count`` new members of the organization (``role``: user or admin), as if each
        had accepted an invitation, with one active one-on-one event type, a working-hours
        schedule and ``events`` scheduled events of their own (one invitee each, from ~20
        days ago to ~300 days ahead). Returns ``{"uri", "email", "event_type"}`` for each;
        emails are ``<prefix><n>@sandbox.example``. For many-accounts tests and benchmarks;
        connect them with :meth:`authorize` (``user_uri=``) or ``POST /oauth/authorize``
        with ``user``."""
        if role not in ("user", "admin"):
            raise ValueError("role must be user or admin")
        if count < 0 or events < 0:
            raise ValueError("count and events must not be negative")
        if not prefix.isalnum():
            raise ValueError("prefix must be letters and digits")
        store = self.store
        made: list[Json] = []
        with store.lock:
            now = self.clock.now()
            when = store.now()
            for _ in range(count):
                n = len(store.users)
                email = f"{prefix}{n}@sandbox.example".lower()
                uri = store.add_user(f"{prefix.title()} {n}", email, role, "UTC", when)
                event_type = store.add_event_type(
                    uri, f"{prefix.title()} {n} chat", 30, True, "solo", 0, when
                )
                store.add_schedule(uri)
                store.seed_host_events(event_type, events, now)
                made.append({"uri": uri, "email": email, "event_type": event_type["uri"]})
        return made

    # -- deliveries ----------------------------------------------------------------------

    @property
    def deliveries(self) -> list[Delivery]:
        return self.deliverer.snapshot()

    def wait_deliveries(self, timeout: float = 10.0) -> None:
        self.deliverer.wait(timeout)

    def run_due_deliveries(self) -> int:
        """Retry the failed deliveries that are due by sandbox time, in time order, and
        disable the subscriptions that had no success for 24 hours; returns the attempts.

        Calendly retries on its own, and so does the sandbox: a background timer runs
        this when real time brings sandbox time to the next due retry (at the clock's
        rate, ``clock_rate``). :meth:`advance_clock` runs it after a jump, and it can be
        called (``POST /_sandbox/run_deliveries``). One run at a time, so when a call
        returns every retry due by then has been attempted, whoever started it.
        """
        # Bounded: a receiver that calls back into the sandbox while a retry waits for its
        # answer must not hang forever (the delivery times out first).
        held = self._retry_runs.acquire(timeout=self.deliverer.timeout + 1)
        try:
            attempts = 0
            while True:
                with self.store.lock:
                    step = self.retries.next_step(self.store, self.clock.time())
                if step is None:
                    return attempts
                attempts += 1
                self.deliverer.send_now([step])
        finally:
            if held:
                self._retry_runs.release()

    def _next_retry_due(self) -> float | None:
        if self._store is None or not self.config["auto_retries"]:
            return None
        with self.store.lock:
            return self.retries.next_due()

    def _timer_run(self) -> int:
        """The background timer's run: nothing when ``auto_retries`` is off."""
        return self.run_due_deliveries() if self.config["auto_retries"] else 0

    def _wake_retries(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.wake()

    def _after_attempt(self, delivery: Delivery) -> None:
        """A delivery went out: keep the subscription's retry state as Calendly does."""
        with self.store.lock:
            self.retries.record(self.store, delivery, self.clock.time())
        if not delivery.delivered:
            self._wake_retries()  # a retry may now be due sooner than the timer thought

    def _prepare_outbox(self, outbox: Sequence[tuple[str, Json, str | None]]) -> list[Delivery]:
        out: list[Delivery] = []
        for event, payload, subject in outbox:
            out.extend(prepare(self.store, event, payload, subject, self.default_signing_key))
        return out

    def _emit(self, outbox: Sequence[tuple[str, Json, str | None]]) -> None:
        with self.store.lock:
            deliveries = self._prepare_outbox(outbox)
        self.deliverer.send(deliveries)

    # -- acting as Calendly's users ------------------------------------------------------------

    def _by_uri(self, table: dict[str, Json], uri: str) -> Json:
        item = table.get(str(uri).rstrip("/").rsplit("/", 1)[-1])
        if item is None or item["uri"] != uri:
            raise KeyError(f"no such resource: {uri}")
        return item

    def _start_time(self, value: str | datetime | None) -> datetime:
        if isinstance(value, datetime):
            return value
        if value:
            parsed = parse_param_time("start_time", value)
            assert parsed is not None
            return parsed
        base = self.clock.now().replace(minute=0, second=0, microsecond=0)
        return base + timedelta(days=1, hours=self.store.rng.randrange(24 * 14))

    def book(
        self, event_type_uri: str | None = None, email: str | None = None,
        name: str | None = None, start_time: str | datetime | None = None,
    ) -> Json:
        """A new scheduled event with one invitee; delivers ``invitee.created``."""
        store = self.store
        with store.lock:
            if event_type_uri is None:
                event_type = next(
                    et for et in store.event_types.values()
                    if et["active"] and et["profile"]["owner"] == store.owner_uri
                )
            else:
                event_type = self._by_uri(store.event_types, event_type_uri)
            begins = self._start_time(start_time)
            email = email or f"guest{store.rng.randrange(10**6)}@example.com"
            _, invitees = store.create_event(event_type, begins, email=email, name=name)
            invitee = invitees[0]
            outbox = [("invitee.created", store.invitee_payload(invitee),
                       event_type["profile"]["owner"])]
            result = copy.deepcopy(invitee)
        self._emit(outbox)
        return result

    def cancel_invitee(self, invitee_uri: str, reason: str | None = None) -> Json:
        """The invitee cancels; the event follows when nobody is left."""
        store = self.store
        with store.lock:
            invitee = self._by_uri(store.invitees, invitee_uri)
            if invitee["status"] != "active":
                raise ValueError("the invitee is already canceled")
            store.cancel_invitee(invitee, reason, invitee["name"])
            event = store.events[invitee["event"].rsplit("/", 1)[1]]
            outbox = [("invitee.canceled", store.invitee_payload(invitee),
                       store.event_host(event))]
            result = copy.deepcopy(invitee)
        self._emit(outbox)
        return result

    def cancel_event(self, event_uri: str, reason: str | None = None) -> Json:
        """The host cancels the event (like the API); returns the cancellation."""
        store = self.store
        with store.lock:
            event = self._by_uri(store.events, event_uri)
            if event["status"] != "active":
                raise ValueError("Event is already canceled")
            host = store.event_host(event)
            canceler = store.users[host.rsplit("/", 1)[1]]["name"]
            cancellation, invitees = store.cancel_event(event, reason, canceler)
            outbox = [("invitee.canceled", store.invitee_payload(i), host) for i in invitees]
            result = copy.deepcopy(cancellation)
        self._emit(outbox)
        return result

    def reschedule(
        self, invitee_uri: str, new_start_time: str | datetime | None = None
    ) -> tuple[Json, Json]:
        """Cancel the invitee (rescheduled) and book them into a new event."""
        store = self.store
        with store.lock:
            old = self._by_uri(store.invitees, invitee_uri)
            if old["status"] != "active":
                raise ValueError("the invitee is not active")
            old_event = store.events[old["event"].rsplit("/", 1)[1]]
            event_type = self._by_uri(store.event_types, old_event["event_type"])
            begins = self._start_time(new_start_time)
            _, made = store.create_event(event_type, begins, email=old["email"],
                                         name=old["name"])
            new = made[0]
            new.update(timezone=old["timezone"], old_invitee=old["uri"],
                       questions_and_answers=copy.deepcopy(old["questions_and_answers"]))
            store.cancel_invitee(old, "Rescheduled", old["name"])
            old.update(rescheduled=True, new_invitee=new["uri"])
            host = store.event_host(old_event)
            outbox = [
                ("invitee.canceled", store.invitee_payload(old), host),
                ("invitee.created", store.invitee_payload(new), host),
            ]
            result = (copy.deepcopy(old), copy.deepcopy(new))
        self._emit(outbox)
        return result

    def mark_no_show(self, invitee_uri: str) -> Json:
        store = self.store
        with store.lock:
            invitee = self._by_uri(store.invitees, invitee_uri)
            no_show = mark_no_show(store, invitee)
            outbox = no_show_event(store, "invitee_no_show.created", no_show)
            result = copy.deepcopy(no_show)
        self._emit(outbox)
        return result

    def unmark_no_show(self, no_show_uri: str) -> None:
        store = self.store
        with store.lock:
            self._by_uri(store.no_shows, no_show_uri)
            no_show = unmark_no_show(store, no_show_uri.rsplit("/", 1)[1])
            outbox = no_show_event(store, "invitee_no_show.deleted", no_show)
        self._emit(outbox)

    def update_event_type(self, uri: str, **fields: Any) -> Json:
        """Change an event type; delivers ``event_type.updated``."""
        store = self.store
        with store.lock:
            event_type = self._by_uri(store.event_types, uri)
            event_type.update(fields)
            event_type["updated_at"] = store.now()
            outbox = [("event_type.updated", copy.deepcopy(event_type),
                       event_type["profile"]["owner"])]
            result = copy.deepcopy(event_type)
        self._emit(outbox)
        return result

    def touch_event(self, event_uri: str, **fields: Any) -> Json:
        """Bump an event's ``updated_at`` (and set ``fields``), as an edit in Calendly would.

        No webhook: Calendly sends none for event edits, which is why pull sync exists.
        ``start_time`` cannot be changed here (reschedule instead).
        """
        store = self.store
        if "start_time" in fields:
            raise ValueError("use reschedule() to move an event")
        with store.lock:
            event = self._by_uri(store.events, event_uri)
            event.update(fields)
            event["updated_at"] = store.now()
            return copy.deepcopy(event)

    # -- HTTP control (/_sandbox/...) -----------------------------------------------------

    def info(self) -> Json:
        return {
            "url": self.url,
            "token": self.token,
            "organization": self.organization_uri,
            "user": self.user_uri,
            "oauth_client_id": self.oauth_client_id,
            "oauth_client_secret": self.oauth_client_secret,
            "default_signing_key": self.default_signing_key,
        }

    def _control(self, method: str, name: str, raw: Json) -> Any:
        data = _Fields(raw)
        if method == "GET" and name == "stats":
            return self.stats()
        if method == "GET" and name == "info":
            return self.info()
        if method == "GET" and name == "config":
            return dict(self.config)
        if method == "GET" and name == "deliveries":
            return [d.as_dict() for d in self.deliveries]
        if method == "GET" and name == "rate_windows":
            return self.rate_windows()
        if method != "POST":
            raise KeyError(f"unknown control endpoint: {method} /_sandbox/{name}")
        if name == "reset_stats":
            self.reset_stats()
            return self.stats()
        if name == "configure":
            return self.configure(**data)
        if name == "book":
            return self.book(data.get("event_type"), data.get("email"), data.get("name"),
                             data.get("start_time"))
        if name == "cancel":
            if data.get("event"):
                return self.cancel_event(data["event"], data.get("reason"))
            return self.cancel_invitee(data["invitee"], data.get("reason"))
        if name == "reschedule":
            old, new = self.reschedule(data["invitee"], data.get("new_start_time"))
            return {"old": old, "new": new}
        if name == "no_show":
            if data.get("no_show"):
                self.unmark_no_show(data["no_show"])
                return {}
            return self.mark_no_show(data["invitee"])
        if name == "touch":
            fields = data.get("fields") or {}
            return self.touch_event(data["event"], **fields)
        if name == "update_event_type":
            return self.update_event_type(data["event_type"], **(data.get("fields") or {}))
        if name == "advance_clock":
            self.advance_clock(float(data["seconds"]))
            return {"now": iso(self.clock.now())}
        if name == "tokens":
            token, user = self.add_token(data.get("token"), data.get("role", "user"),
                                         data.get("scopes"))
            return {"token": token, "user": user}
        if name == "users":
            return self.add_users(int(data["count"]), int(data.get("events") or 0),
                                  role=data.get("role") or "user",
                                  prefix=data.get("prefix") or "member")
        if name == "run_deliveries":
            return {"attempts": self.run_due_deliveries()}
        # The newer webhook families: what only a person (or Notetaker) does in Calendly.
        if name == "delete_event_type":
            return self.delete_event_type(data["event_type"])
        if name == "submit_routing_form":
            answers = data.get("answers")
            if answers is not None and (not isinstance(answers, dict) or not all(
                    isinstance(v, str) for v in answers.values())):
                raise ValueError("answers must be an object of question names to answers")
            if not isinstance(data.get("submitter"), str | None):
                raise ValueError("submitter must be a string")
            return self.submit_routing_form(data.get("form"), answers, data.get("submitter"))
        if name == "add_contact":
            fields = {k: v for k, v in data.items() if k != "owner"}
            return self.add_contact(data.get("owner"), **fields)
        if name == "make_recap":
            return self.make_recap(data["event"], data.get("status", "available"))
        raise KeyError(f"unknown control endpoint: POST /_sandbox/{name}")

    # -- what only a person does in Calendly (families beyond scheduling) ------------------

    def submit_routing_form(
        self, form_uri: str | None = None, answers: dict[str, str] | None = None,
        submitter: str | None = None,
    ) -> Json:
        """Someone fills in a routing form; delivers ``routing_form_submission.created``
        (organization subscriptions only). ``answers`` maps question names to answers;
        unanswered questions get the first choice (or an example email)."""
        from .resources import add_submission

        store = self.store
        with store.lock:
            form = (self._by_uri(store.routing_forms, form_uri) if form_uri
                    else next(f for f in store.routing_forms.values()
                              if f["status"] == "published"))
            given = dict(answers or {})
            unknown = set(given) - {q["name"] for q in form["questions"]}
            if unknown:
                raise ValueError(f"no such question(s): {', '.join(sorted(unknown))}")
            for q in form["questions"]:
                given.setdefault(q["name"], (q["answer_choices"] or ["someone@example.com"])[0])
            submission = add_submission(store, form, given, submitter)
            outbox = [("routing_form_submission.created", copy.deepcopy(submission), None)]
            result = copy.deepcopy(submission)
        self._emit(outbox)
        return result

    def make_recap(self, event_uri: str, status: str = "available") -> Json:
        """Notetaker finishes a recap of a meeting; delivers ``meeting_recap.created`` to
        the host's user subscriptions."""
        from .resources import add_recap, recap_payload

        if status not in ("available", "processing", "unavailable"):
            raise ValueError("status must be available, processing or unavailable")
        store = self.store
        with store.lock:
            event = self._by_uri(store.events, event_uri)
            recap = add_recap(store, event, status)
            outbox = [("meeting_recap.created",
                       recap_payload(store, recap, "meeting_recap.created"), recap["owner"])]
            result = copy.deepcopy(recap)
        self._emit(outbox)
        return result

    def delete_event_type(self, uri: str) -> Json:
        """The host deletes an event type in Calendly (the API cannot); it disappears from
        the API and ``event_type.deleted`` is delivered with ``deleted_at`` set."""
        store = self.store
        with store.lock:
            event_type = self._by_uri(store.event_types, uri)
            del store.event_types[uri.rsplit("/", 1)[1]]
            store.event_type_rules.pop(uri.rsplit("/", 1)[1], None)
            now = store.now()
            event_type.update(deleted_at=now, updated_at=now, active=False)
            outbox = [("event_type.deleted", copy.deepcopy(event_type),
                       event_type["profile"]["owner"])]
            result = copy.deepcopy(event_type)
        self._emit(outbox)
        return result

    def add_contact(self, owner_uri: str | None = None, **fields: Any) -> Json:
        """A contact is added in Calendly's UI; delivers ``contact.created``. ``fields``
        are those of ``POST /contacts``, checked the same way ([S26] names: ``name`` and
        ``emails`` ``[{email, is_primary}]`` required; ``phone_numbers``, ``timezone``,
        ``job_title``, ``company``, ``country``, ``state``, ``city``, ``linkedin``,
        ``custom_fields`` ``[{uuid, value}]``). Its ``creation_source`` is ``calendly``."""
        from .errors import ApiError
        from .resources import SOURCE_UI, add_contact, contact_payload
        from .routes.contacts import contact_fields

        store = self.store
        with store.lock:
            try:
                checked = contact_fields(store, fields, create=True)
            except ApiError as exc:
                detail = (exc.details or [{}])[0]
                raise ValueError(f"{detail.get('parameter')} {detail.get('message')}") from None
            owner = owner_uri or store.owner_uri
            if store.role_of(owner) is None:
                raise ValueError("the owner is not in the organization")
            contact = add_contact(store, owner, checked, source=SOURCE_UI)
            outbox = [("contact.created", contact_payload(store, contact), owner)]
            result = copy.deepcopy(contact)
        self._emit(outbox)
        return result



def _scopes(value: str | Sequence[str]) -> frozenset[str]:
    """Scope names checked against Calendly's catalogue (ValueError on an unknown one)."""
    try:
        return check_scopes(value)
    except OAuthProblem as exc:
        raise ValueError(exc.description) from None


class _Fields(dict[str, Any]):
    """A control request's JSON body: a missing field is a 400, not a 404."""

    def __missing__(self, key: str) -> Any:
        raise ValueError(f"{key} is required")


__all__ = ["Sandbox"]
