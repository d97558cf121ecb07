"""The one place where requests are sent, retried, paced and turned into errors.

Rules (DESIGN.md, REFERENCE.md section 5):

- Idempotent calls (GET, DELETE, ...) are retried on network faults, timeouts, 5xx and
  malformed bodies, with exponential backoff and full jitter.
- A POST is retried only when it certainly was not processed: the connection could not be
  opened (nothing was sent) or Calendly answered 429 (refused before processing). A read
  timeout, a dropped connection or a 5xx after sending may mean it was processed.
- A 429 waits ``X-RateLimit-Reset`` (or ``Retry-After``) seconds; if that wait would push
  the total wait past ``max_retry_wait``, ``RateLimited`` is raised at once instead. With
  ``retry_rate_limited=False`` every 429 raises ``RateLimited`` (with ``retry_after``) at
  once: for a caller that paces itself and must see every wait (the sync's pacer).
- Attempts are bounded by ``max_retries`` and the total time slept by ``max_retry_wait``.
- Logs (DEBUG) name the method, path, status, elapsed time and attempt; never headers,
  tokens, query strings or bodies.
"""

from __future__ import annotations

import email.utils
import json as jsonlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from . import errors
from .limiter import Limiter

logger = logging.getLogger("django_calendly.client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})

#: Exceptions raised before a single byte of the request left this process.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Network exceptions worth another attempt (when the method allows it).
_RETRYABLE_NETWORK = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class RateLimitState:
    """The last ``X-RateLimit-*`` headers seen; times are ``time.monotonic()`` values."""

    limit: int | None
    remaining: int | None
    reset_at: float | None
    reset: float | None = None
    seen_at: float = 0.0

    def seconds_until_reset(self, now: float | None = None) -> float:
        """Seconds until the window resets (0 when unknown or past)."""
        if self.reset_at is None:
            return 0.0
        current = time.monotonic() if now is None else now
        return max(0.0, self.reset_at - current)


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, how long to wait between them, and the total wait allowed."""

    max_retries: int = 3
    max_retry_wait: float = 60.0
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    #: False: a 429 raises ``RateLimited`` at once (the caller waits); network faults and
    #: 5xx are still retried.
    retry_rate_limited: bool = True

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0.")
        if self.max_retry_wait < 0:
            raise ValueError("max_retry_wait must be >= 0.")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Full jitter: uniform in ``[0, min(backoff_max, backoff_base * 2**(retry-1))]``."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** max(0, retry - 1)))
        return rng.uniform(0.0, ceiling)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _reset_seconds(value: str | None, now: float | None = None) -> float | None:
    """``X-RateLimit-Reset`` in seconds from now (documented as seconds; epoch tolerated)."""
    reset = _number(value)
    if reset is None:
        return None
    if reset > 1e9:
        return max(0.0, reset - (time.time() if now is None else now))
    return reset


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds to wait before retrying: ``X-RateLimit-Reset``, else ``Retry-After``."""
    current = time.time() if now is None else now
    reset = _reset_seconds(headers.get("x-ratelimit-reset"), current)
    if reset is not None:
        return reset
    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    seconds = _number(retry_after)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - current)


def parse_json(content: bytes, status: int) -> Any:
    """The JSON body, or ``InvalidResponse``."""
    try:
        return jsonlib.loads(content)
    except ValueError:
        raise errors.InvalidResponse(
            f"Calendly answered {status} with a body that is not JSON.",
            status=status,
            body=content[:1000],
        ) from None


def api_error(response: httpx.Response) -> errors.APIError:
    """The ``APIError`` subclass for a REST error response (``{title, message, details}``)."""
    status = response.status_code
    try:
        body: Any = jsonlib.loads(response.content) if response.content else None
    except ValueError:
        body = None
    title, message, details = response.reason_phrase, "", []
    if isinstance(body, Mapping):
        title = str(body.get("title") or title)
        message = str(body.get("message") or "")
        raw_details = body.get("details")
        if isinstance(raw_details, list):
            details = [d if isinstance(d, dict) else {"message": str(d)} for d in raw_details]
    elif response.content:
        message = response.text[:200]
    cls = errors.error_class_for(status)
    kwargs: dict[str, Any] = {
        "title": title,
        "message": message,
        "details": details,
        "request_id": errors.request_id_from(response.headers),
        "headers": response.headers,
        "body": body,
    }
    if cls is errors.RateLimited:
        return errors.RateLimited(status, retry_after=parse_retry_after(response.headers), **kwargs)
    if status == 403 and isinstance(body, dict) and (
        title == errors.INSUFFICIENT_SCOPE_TITLE or "required_scopes" in body
    ):
        scopes = body.get("required_scopes")
        if not isinstance(scopes, list):
            scopes = []
        return errors.InsufficientScope(
            status, required_scopes=[str(s) for s in scopes], **kwargs
        )
    if status == 400 and errors.is_page_token_error(details):
        return errors.PageTokenExpired(status, **kwargs)
    return cls(status, **kwargs)


ErrorFactory = Callable[[httpx.Response], errors.APIError]


class Requester:
    """Sends requests through one ``httpx.Client`` with the retry rules above."""

    def __init__(
        self,
        http: httpx.Client,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        error_factory: ErrorFactory = api_error,
        limiter: Limiter | None = None,
    ) -> None:
        self.http = http
        self.limiter = limiter
        self.policy = policy
        self.sleep = sleep
        self.rng = rng or random.Random()  # jitter, not cryptography
        self.error_factory = error_factory
        self._lock = threading.Lock()
        self._rate_limit: RateLimitState | None = None

    @property
    def rate_limit(self) -> RateLimitState | None:
        return self._rate_limit

    def _record_rate_limit(self, headers: httpx.Headers, now: float) -> None:
        limit = headers.get("x-ratelimit-limit")
        remaining = headers.get("x-ratelimit-remaining")
        reset = headers.get("x-ratelimit-reset")
        if limit is None and remaining is None and reset is None:
            return
        reset_seconds = _reset_seconds(reset)
        lim, rem = _number(limit), _number(remaining)
        state = RateLimitState(
            limit=int(lim) if lim is not None else None,
            remaining=int(rem) if rem is not None else None,
            reset_at=now + reset_seconds if reset_seconds is not None else None,
            reset=reset_seconds,
            seen_at=now,
        )
        with self._lock:
            if self._rate_limit is None or self._rate_limit.seen_at <= now:
                self._rate_limit = state

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
    ) -> Any:
        """Send with retries; return the decoded JSON body (``{}`` when empty)."""
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS
        policy = self.policy
        debug = logger.isEnabledFor(logging.DEBUG)
        path = url.split("?", 1)[0]
        waited = 0.0
        attempt = 0
        maybe_processed = False
        while True:
            attempt += 1
            started = time.monotonic()
            failure: errors.CalendlyError
            delay: float | None = None
            if self.limiter is not None:
                self.limiter.acquire()
            try:
                response = self.http.request(
                    method, url, params=params, json=json, data=data, auth=auth  # type: ignore[arg-type]
                )
            except _RETRYABLE_NETWORK as exc:
                not_sent = isinstance(exc, _NOT_SENT)
                maybe_processed = maybe_processed or not not_sent
                cls = errors.Timeout if isinstance(exc, httpx.TimeoutException) else (
                    errors.TransportError
                )
                failure = cls(f"{method} {path}: {type(exc).__name__}: {exc}")
                failure.__cause__ = exc
                if debug:
                    logger.debug(
                        "%s %s failed: %s after %.1fms (attempt %d)",
                        method, path, type(exc).__name__,
                        (time.monotonic() - started) * 1000, attempt,
                    )
                retryable = idempotent or not_sent
            except httpx.HTTPError as exc:
                raise errors.TransportError(f"{method} {path}: {exc}") from exc
            else:
                now = time.monotonic()
                status = response.status_code
                if debug:
                    logger.debug(
                        "%s %s -> %d in %.1fms (attempt %d)",
                        method, path, status, (now - started) * 1000, attempt,
                    )
                headers = response.headers
                if "x-ratelimit-limit" in headers or "x-ratelimit-remaining" in headers:
                    self._record_rate_limit(headers, now)
                if status < 300:
                    content = response.content
                    if not content:
                        return {}
                    try:
                        return parse_json(content, status)
                    except errors.InvalidResponse as exc:
                        failure = exc
                        retryable = idempotent
                elif status == 429:
                    failure = self.error_factory(response)
                    retry_after = parse_retry_after(headers)
                    if not policy.retry_rate_limited or attempt > policy.max_retries:
                        raise failure
                    if retry_after is not None:
                        if waited + retry_after > policy.max_retry_wait:
                            raise failure
                        delay = retry_after
                    retryable = True
                elif status >= 500:
                    maybe_processed = True
                    failure = self.error_factory(response)
                    retryable = idempotent
                elif status == 404 and method == "DELETE" and maybe_processed:
                    # An earlier attempt may have deleted it before its answer was lost.
                    return {}
                else:
                    raise self.error_factory(response)
            if not retryable or attempt > policy.max_retries:
                raise failure
            if delay is None:
                delay = policy.backoff(attempt, self.rng)
                delay = min(delay, max(0.0, policy.max_retry_wait - waited))
            if delay > 0:
                self.sleep(delay)
                waited += delay


__all__ = [
    "IDEMPOTENT_METHODS",
    "RateLimitState",
    "Requester",
    "RetryPolicy",
    "api_error",
    "parse_retry_after",
]
