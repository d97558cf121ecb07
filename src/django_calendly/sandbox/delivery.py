"""Webhook deliveries: match subscriptions, sign, POST with httpx, record the outcome.

Matching happens under the store lock (it reads subscriptions); sending happens outside
it, so a receiver that calls the sandbox back while handling a delivery cannot deadlock.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..client.signatures import SIGNATURE_HEADER, sign
from .state import Json, Store


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

    def as_dict(self) -> Json:
        return {
            "url": self.url,
            "event": self.event,
            "subscription": self.subscription,
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
    created_at = store.now()
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
                     payload=payload)
        )
    return deliveries


class Deliverer:
    """Sends deliveries; ``mode`` is ``sync`` (default), ``thread`` or ``off`` (record only)."""

    def __init__(self, timeout: float = 5.0) -> None:
        self.mode = "sync"
        self.timeout = timeout
        self.log: list[Delivery] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._client: httpx.Client | None = None

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

    def _send_all(self, deliveries: list[Delivery]) -> None:
        client = self.client()
        for d in deliveries:
            try:
                response = client.post(d.url, content=d.body, headers=d.headers)
                d.status = response.status_code
            except Exception as exc:
                d.error = f"{type(exc).__name__}: {exc}"
            self._record(d)

    def _record(self, delivery: Delivery) -> None:
        with self._lock:
            self.log.append(delivery)

    def snapshot(self) -> list[Any]:
        with self._lock:
            return list(self.log)
