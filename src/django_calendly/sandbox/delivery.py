"""Webhook deliveries: match subscriptions, sign, POST with httpx, record the outcome,
retry failures as Calendly does.

Matching happens under the store lock (it reads subscriptions); sending happens outside
it, so a receiver that calls the sandbox back while handling a delivery cannot deadlock.

Retries (REFERENCE.md section 6): any answer but 2xx, or no answer, is a failure. A failed
message is retried with exponential back-off (1, 2, 4 ... minutes after each failure, and
a last attempt 24 hours after its first failure); other messages keep flowing meanwhile.
The subscription's ``retry_started_at`` is set at its first failure and cleared by any
success; if nothing succeeds within 24 hours of it, the subscription turns ``disabled``
and gets nothing more. Calendly publishes no interval schedule, so the doubling is ours.
The schedule is in sandbox time: :class:`RetryTimer` fires it as real time passes (at the
clock's rate), and ``Sandbox.advance_clock`` fires what a jump made due.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from ..client.signatures import SIGNATURE_HEADER, sign
from .clock import iso
from .state import Json, Store

#: The longest the retry timer sleeps before reading the clock again (real seconds).
MAX_TIMER_WAIT = 60.0

#: How long Calendly keeps retrying before it disables a subscription, in seconds.
RETRY_WINDOW = 24 * 3600.0
#: The first retry's delay; each further one doubles it.
RETRY_BASE = 60.0


@dataclass
class Delivery:
    """One attempt: where, what, and how it went (``status`` or ``error``)."""

    url: str
    event: str
    subscription: str
    body: bytes
    headers: dict[str, str]
    status: int | None = None
    error: str | None = None
    payload: Json = field(default_factory=dict)
    key: str = field(default="", repr=False)  # the signing key, to re-sign retries
    attempt: int = 1
    at: float | None = None  # sandbox time a retry was due (None: sent when prepared)
    first_failed: float | None = None  # sandbox time this message first failed

    @property
    def delivered(self) -> bool:
        """Whether the receiver answered 2xx (3xx, 4xx, 5xx and errors are failures)."""
        return self.status is not None and 200 <= self.status < 300

    def as_dict(self) -> Json:
        return {
            "url": self.url,
            "event": self.event,
            "subscription": self.subscription,
            "attempt": self.attempt,
            "status": self.status,
            "error": self.error,
            "body": json.loads(self.body),
        }


def matching(store: Store, event: str, subject_user: str | None) -> list[tuple[Json, str | None]]:
    """Active subscriptions for ``event`` whose scope covers ``subject_user``."""
    out = []
    for wh_uuid, webhook in store.webhooks.items():
        if webhook["state"] != "active" or event not in webhook["events"]:
            continue
        scope = webhook["scope"]
        if scope == "user" and webhook["user"] != subject_user:
            continue
        if scope == "group" and subject_user not in store.group_members.get(webhook["group"], ()):
            continue
        out.append((webhook, store.webhook_keys.get(wh_uuid)))
    return out


def prepare(
    store: Store, event: str, payload: Json, subject_user: str | None, default_key: str
) -> list[Delivery]:
    """Build the signed requests for one event (call with the store lock held)."""
    deliveries = []
    # Calendly's envelope times have whole seconds: "2026-12-02T10:11:12.000000Z".
    created_at = iso(store.clock.now().replace(microsecond=0))
    timestamp = int(store.clock.time())
    for webhook, key in matching(store, event, subject_user):
        envelope = {
            "event": event,
            "created_at": created_at,
            "created_by": webhook["creator"],
            "payload": payload,
        }
        body = json.dumps(envelope, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Calendly-Sandbox-Webhooks",
            SIGNATURE_HEADER: sign(body, key or default_key, timestamp),
        }
        deliveries.append(
            Delivery(webhook["callback_url"], event, webhook["uri"], body, headers,
                     payload=payload, key=key or default_key)
        )
    return deliveries


def _webhook(store: Store, uri: str) -> Json | None:
    webhook = store.webhooks.get(uri.rsplit("/", 1)[-1])
    return webhook if webhook is not None and webhook["uri"] == uri else None


@dataclass
class _Pending:
    delivery: Delivery
    due: float
    first_failed: float


class Retries:
    """The failed messages waiting for their next attempt, and each subscription's retry
    window. Every method runs under the store lock."""

    def __init__(self) -> None:
        self.pending: list[_Pending] = []
        self.started: dict[str, float] = {}  # subscription URI -> first failure time

    def record(self, store: Store, delivery: Delivery, now: float) -> None:
        """Account for one attempt: a success clears the subscription's retry state, a
        failure schedules the message's next attempt within its 24 hours."""
        at = delivery.at if delivery.at is not None else now
        webhook = _webhook(store, delivery.subscription)
        if webhook is None:
            return
        if delivery.delivered:
            self.started.pop(delivery.subscription, None)
            webhook["retry_started_at"] = None
            return
        if webhook["state"] != "active":
            return
        if delivery.subscription not in self.started:
            self.started[delivery.subscription] = at
            webhook["retry_started_at"] = iso(datetime.fromtimestamp(at, UTC))
        first = delivery.first_failed if delivery.first_failed is not None else at
        deadline = first + RETRY_WINDOW
        if at >= deadline:
            return  # its last attempt failed: the message is given up
        due = min(at + RETRY_BASE * 2 ** (delivery.attempt - 1), deadline)
        self.pending.append(_Pending(delivery, due, first))

    def next_due(self) -> float | None:
        """The sandbox time at which something is next due: a retry, or a subscription's
        24 hours running out (it is then disabled); None when nothing waits."""
        times = [p.due for p in self.pending]
        times += [start + RETRY_WINDOW for start in self.started.values()]
        return min(times, default=None)

    def next_step(self, store: Store, now: float) -> Delivery | None:
        """The next retry due by ``now`` (re-signed), after disabling every subscription
        whose 24 hours ran out before it; None when nothing is due."""
        while True:
            nxt = min(self.pending, key=lambda p: p.due, default=None)
            if nxt is not None and nxt.due > now:
                nxt = None
            expired = min(
                ((start + RETRY_WINDOW, uri) for uri, start in self.started.items()
                 if start + RETRY_WINDOW <= now),
                default=None,
            )
            if expired is not None and (nxt is None or expired[0] < nxt.due):
                self._disable(store, expired[1], expired[0])
                continue
            if nxt is None:
                return None
            self.pending.remove(nxt)
            webhook = _webhook(store, nxt.delivery.subscription)
            if webhook is None or webhook["state"] != "active":
                continue
            old = nxt.delivery
            headers = {**old.headers,
                       SIGNATURE_HEADER: sign(old.body, old.key, int(store.clock.time()))}
            return Delivery(old.url, old.event, old.subscription, old.body, headers,
                            payload=old.payload, key=old.key, attempt=old.attempt + 1,
                            at=nxt.due, first_failed=nxt.first_failed)

    def _disable(self, store: Store, uri: str, when: float) -> None:
        self.started.pop(uri, None)
        self.pending = [p for p in self.pending if p.delivery.subscription != uri]
        webhook = _webhook(store, uri)
        if webhook is not None:
            webhook["state"] = "disabled"
            webhook["updated_at"] = iso(datetime.fromtimestamp(when, UTC))


class Deliverer:
    """Sends deliveries; ``mode`` is ``sync`` (default), ``thread`` or ``off`` (record only)."""

    def __init__(self, timeout: float = 5.0) -> None:
        self.mode = "sync"
        self.timeout = timeout
        self.log: list[Delivery] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._client: httpx.Client | None = None
        #: Called after every real attempt (not in ``off`` mode), outside the store lock.
        self.on_attempt: Callable[[Delivery], None] | None = None

    def client(self) -> httpx.Client:
        """One pooled client for all deliveries (building one costs ~50 ms of TLS setup)."""
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self.timeout, trust_env=False)
            return self._client

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def send(self, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        if self.mode == "off":
            for d in deliveries:
                d.error = "delivery disabled"
                self._record(d)
        elif self.mode == "thread":
            thread = threading.Thread(target=self._send_all, args=(deliveries,), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()
        else:
            self._send_all(deliveries)

    def wait(self, timeout: float = 10.0) -> None:
        """Wait for background deliveries (``thread`` mode)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def send_now(self, deliveries: list[Delivery]) -> None:
        """Send in this thread whatever the mode (retries run when the clock moves)."""
        self._send_all(deliveries)

    def _send_all(self, deliveries: list[Delivery]) -> None:
        client = self.client()
        for d in deliveries:
            try:
                response = client.post(d.url, content=d.body, headers=d.headers)
                d.status = response.status_code
            except Exception as exc:
                d.error = f"{type(exc).__name__}: {exc}"
            self._record(d)
            if self.on_attempt is not None:
                self.on_attempt(d)

    def _record(self, delivery: Delivery) -> None:
        with self._lock:
            self.log.append(delivery)

    def snapshot(self) -> list[Any]:
        with self._lock:
            return list(self.log)


class RetryTimer:
    """A daemon thread that runs the due retries when sandbox time reaches them by real
    time passing, as Calendly retries on its own.

    It sleeps until the next due time (converted to real seconds at the clock's rate) or
    until :meth:`wake` (a new failure was recorded, the clock jumped or changed rate),
    then calls ``run_due``. It holds no lock while sending.
    """

    def __init__(self, next_due: Callable[[], float | None],
                 real_seconds_until: Callable[[float], float],
                 run_due: Callable[[], int], name: str = "calendly-sandbox-retries") -> None:
        self._next_due = next_due
        self._real_seconds_until = real_seconds_until
        self._run_due = run_due
        self._wakeup = threading.Condition()
        self._woken = False
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        with self._wakeup:
            self._woken = True
            self._wakeup.notify()

    def stop(self, timeout: float = 5.0) -> None:
        with self._wakeup:
            self._stopping = True
            self._wakeup.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            try:
                due = self._next_due()  # takes the store lock: never while holding _wakeup
                wait = None if due is None else self._real_seconds_until(due)
                if wait is not None:
                    wait = min(wait, MAX_TIMER_WAIT)  # woken again to re-read the clock
                with self._wakeup:
                    if not self._woken and not self._stopping and (wait is None or wait > 0):
                        self._wakeup.wait(wait)
                    self._woken = False
                    if self._stopping:
                        return
                self._run_due()
            except Exception:  # a failed run must not end the timer; the next one retries
                traceback.print_exc()
                time.sleep(0.1)  # not a busy loop if it fails every time
