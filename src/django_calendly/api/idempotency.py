"""``Idempotency-Key`` on every POST of the REST API: a retried POST acts once.

A phone that loses its connection after sending "book" retries; the retry must not book
twice. A client that sends ``Idempotency-Key: <1-255 printable ASCII characters>`` with a
POST gets these guarantees, per (user, key):

- The first request claims the key by INSERTing a row (unique on user + key) *before* any
  work; a concurrent or later request with the same key fails that INSERT, so the work runs
  at most once. This is the database's guarantee, not a timing accident.
- Its final answer (status, body, ``Content-Type``/``Location``/``Retry-After``) is stored; a
  retry with the same request (method, path, query, parsed body) gets it again, with
  ``Idempotent-Replayed: true``, without calling Calendly.
- The same key with a different request: 422 ``idempotency_key_reused``. A retry while the
  first is still running waits up to ``CALENDLY_IDEMPOTENCY_WAIT`` seconds for its answer,
  then answers 409 ``idempotency_in_progress`` with ``Retry-After``.
- The key is released (a retry runs again) only when the outcome shows Calendly did not act
  and may accept a retry: a 429, a refused token or scope, a missing configuration, a
  connection that was never made. Every other answer is final, including the unknown
  outcomes (read timeout, Calendly 5xx, an unreadable answer): Calendly may have acted, and
  replaying the uncertain answer is safer than booking twice. docs/rest-api.md says so.
- Rows expire after ``CALENDLY_IDEMPOTENCY_TTL`` seconds and are purged by later claims.
  Stored bodies may contain personal data (as the mirror does); they are never logged.
- Anonymous callers (a public booking page, when the host's permission classes let them
  in) have no user to scope the key by, and strangers must not read each other's answers
  (a booking's answer carries its cancel and reschedule links). Their row is keyed by the
  sha256 of the key *and* the request (``anonymous_key``): only a retry of the very same
  request with the very same key finds it, and the key must be at least
  ``MIN_ANONYMOUS_KEY`` characters (a UUID). So nobody learns whether a key is in use:
  the same key with another request is simply another request (no 422 for anonymous keys).

``IdempotentAPIView`` is the base of ``CalendlyAPIView``, so every POST endpoint, present
and future, gets this without a line of its own. Authentication, permissions and throttles
run first (``initial``); without the header nothing changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBase, QueryDict
from django.utils import timezone
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..client import errors as calendly_errors
from ..conf import calendly_settings
from ..models import IdempotencyKey
from ..services.errors import NotConfigured
from .errors import error_response

logger = logging.getLogger("django_calendly.api")

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
#: The answer headers a replay repeats (the rest are computed again for the retry).
STORED_HEADERS = ("Content-Type", "Location", "Retry-After")
#: A claim still "running" after this long was abandoned (its worker died mid-request).
ABANDONED_AFTER = timedelta(minutes=10)
_KEY = re.compile(r"[\x20-\x7e]{1,255}")
#: httpx failures raised before a byte of the request left this process (see the client's
#: transport: only these let it retry a POST, so the final one speaks for all attempts).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_POLL = 0.05
#: The shortest key an anonymous caller may send: a guessable "1" would let a stranger who
#: also knows the request replay its answer. A UUID (36 characters) is the expected key.
MIN_ANONYMOUS_KEY = 16
_PURGE_BATCH = 500


class Answer(Exception):
    """A ready answer that ends the request before the view runs (error or replay)."""

    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass(frozen=True)
class Claim:
    """This request holds the key: it runs, and its answer settles the key."""

    pk: int


def _invalid(code: str, title: str, message: str, status: int = 400) -> Answer:
    return Answer(
        error_response(status, code, title, message, [{"parameter": KEY_HEADER,
                                                       "message": message}])
    )


def _canonical(data: Any) -> Any:
    if isinstance(data, QueryDict):
        return {key: data.getlist(key) for key in sorted(data)}
    return data


def fingerprint(request: Request) -> str:
    """sha256 of what makes two POSTs "the same request": method, path, query, parsed body.

    The parsed body, not the raw bytes: session authentication's CSRF check may have read
    the stream already, and key order or whitespace do not make a different request.
    """
    files = {name: [f.name, f.size] for name, f in request.FILES.items()}
    payload = {
        "method": request.method,
        "path": request.path,
        "query": _canonical(request.query_params),
        "data": _canonical(request.data),
        "files": files,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def anonymous_key(key: str, digest: str) -> str:
    """The row key of an anonymous caller's ``key`` for the request of ``digest``."""
    return hashlib.sha256(f"anonymous\0{key}\0{digest}".encode()).hexdigest()


def _owner(request: Request, key: str, digest: str) -> tuple[Any, str]:
    """Whose key it is: ``(user pk, key)``, or ``(None, anonymous_key(...))``."""
    user = request.user
    user_pk = getattr(user, "pk", None)
    if getattr(user, "is_authenticated", False) and user_pk is not None:
        return user_pk, key
    if len(key) < MIN_ANONYMOUS_KEY:
        raise _invalid(
            "invalid_idempotency_key",
            "Invalid Idempotency-Key",
            f"Without an authenticated user, Idempotency-Key must be at least "
            f"{MIN_ANONYMOUS_KEY} characters: send a random one (a UUID) per request.",
        )
    return None, anonymous_key(key, digest)


def _expired(now: datetime) -> Q:
    """Rows past ``expires_at`` that no request still works on.

    A "running" row is left alone until it is abandoned, even past its expiry (a TTL
    shorter than a request): deleting it would let a retry run while the first still does.
    """
    return Q(expires_at__lte=now) & (
        Q(state=IdempotencyKey.DONE) | Q(created_at__lte=now - ABANDONED_AFTER)
    )


def purge_expired(limit: int = _PURGE_BATCH) -> int:
    """Delete up to ``limit`` expired keys (their stored answers with them)."""
    now = timezone.now()
    pks = list(IdempotencyKey.objects.filter(_expired(now)).values_list("pk", flat=True)[:limit])
    if not pks:
        return 0
    deleted, _ = IdempotencyKey.objects.filter(_expired(now), pk__in=pks).delete()
    return deleted


def replay(row: IdempotencyKey) -> HttpResponse:
    """The stored answer again, marked as a replay."""
    response = HttpResponse(bytes(row.body), status=row.status_code or 200)
    if "Content-Type" not in row.headers:
        del response["Content-Type"]
    for name, value in row.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def claim(request: Request) -> Claim | None:
    """Claim the request's key, or raise ``Answer`` (replay, 400, 409, 422).

    ``None`` when the request has no key: nothing changes for it.
    """
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise _invalid(
            "invalid_idempotency_key",
            "Invalid Idempotency-Key",
            "Idempotency-Key must be 1 to 255 printable ASCII characters.",
        )
    digest = fingerprint(request)
    user_pk, key = _owner(request, key, digest)
    purge_expired()
    deadline = time.monotonic() + max(0.0, float(calendly_settings.IDEMPOTENCY_WAIT))
    ttl = timedelta(seconds=int(calendly_settings.IDEMPOTENCY_TTL))
    while True:
        now = timezone.now()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user_id=user_pk, key=key, fingerprint=digest,
                    state=IdempotencyKey.RUNNING, created_at=now, expires_at=now + ttl,
                )
            return Claim(row.pk)
        except IntegrityError:
            pass  # somebody holds the key: read what they have
        found = IdempotencyKey.objects.filter(user_id=user_pk, key=key).first()
        if found is not None and found.expires_at <= now and (
            found.state == IdempotencyKey.DONE or now - found.created_at >= ABANDONED_AFTER
        ):
            IdempotencyKey.objects.filter(_expired(now), pk=found.pk).delete()
            found = None  # expired: the key is free again
        if found is not None:
            if found.fingerprint != digest:
                raise _invalid(
                    "idempotency_key_reused",
                    "Idempotency-Key reused",
                    "This Idempotency-Key was used with a different request; use a new key "
                    "for a new request.",
                    status=422,
                )
            if found.state == IdempotencyKey.DONE:
                raise Answer(replay(found))
            if now - found.created_at > ABANDONED_AFTER:
                raise _invalid(
                    "idempotency_outcome_unknown",
                    "Outcome of the first request unknown",
                    "The first request with this Idempotency-Key never finished; whether it "
                    "took effect is unknown. Check, then use a new key.",
                    status=409,
                )
        if time.monotonic() >= deadline:
            raise Answer(
                error_response(
                    409,
                    "idempotency_in_progress",
                    "Request in progress",
                    "A request with this Idempotency-Key is still running; retry later.",
                    [{"parameter": KEY_HEADER, "message": "in progress"}],
                    headers={"Retry-After": "1"},
                )
            )
        if found is not None:
            time.sleep(_POLL)


def may_retry(exc: BaseException | None) -> bool:
    """True when the failure shows Calendly did not act and a retry may succeed.

    Only then is the key released. Deterministic refusals (validation, 400/403/404/409/422)
    stay stored: the same request gets the same answer. Unknown outcomes (read timeouts,
    Calendly 5xx, unreadable answers, our own crashes) stay stored too: Calendly may have
    acted, so running the request again could act twice.
    """
    if exc is None:
        return False
    if isinstance(exc, calendly_errors.TransportError):
        return isinstance(exc.__cause__, _NOT_SENT)  # never sent: nothing happened
    return isinstance(
        exc,
        calendly_errors.RateLimited
        | calendly_errors.Unauthorized
        | calendly_errors.InsufficientScope
        | calendly_errors.FailedDependency
        | NotConfigured
        | drf_exceptions.Throttled,
    )


def settle(held: Claim, response: HttpResponseBase, exc: BaseException | None) -> None:
    """Store the final answer of the claimed key, or release the key (``may_retry``)."""
    try:
        if may_retry(exc) or response.streaming:
            IdempotencyKey.objects.filter(pk=held.pk, state=IdempotencyKey.RUNNING).delete()
            return
        if isinstance(response, Response) and not response.is_rendered:
            response.render()
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        body = bytes(getattr(response, "content", b""))
        IdempotencyKey.objects.filter(pk=held.pk).update(
            state=IdempotencyKey.DONE,
            status_code=response.status_code,
            headers=headers,
            body=body,
        )
    except DatabaseError:
        # The answer goes out; the key stays "running", so retries get 409, never a rerun.
        logger.warning("Could not settle Idempotency-Key row %s", held.pk, exc_info=True)


class IdempotentAPIView(APIView):
    """An ``APIView`` whose POSTs honour ``Idempotency-Key`` (see the module docstring)."""

    _idempotency_claim: Claim | None = None
    _idempotency_exc: BaseException | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        if request.method == "POST":
            self._idempotency_claim = claim(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Answer):
            return exc.response  # type: ignore[return-value]  # finalize_response takes any
        self._idempotency_exc = exc
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        # A replay is a plain HttpResponse; DRF's finalize_response accepts any.
        response = super().finalize_response(request, response, *args, **kwargs)
        held, self._idempotency_claim = self._idempotency_claim, None
        if held is not None:
            settle(held, response, self._idempotency_exc)
        return response
