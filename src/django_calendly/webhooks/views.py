"""The Calendly webhook receiver.

Status codes, chosen for what Calendly does with them (every non-2xx is retried for 24
hours, then the subscription is disabled):

- 202 ``{"status": "accepted", "id": ...}``: verified and stored; processing is enqueued.
- 200 ``{"status": "duplicate", "duplicate": true}``: already stored; not processed again.
- 400 missing or malformed signature, body that is not a Calendly envelope, or a signed
  body no database can hold (nested deeper than 32 levels, NUL or a lone surrogate in a
  string): answering 4xx, always the same for every redelivery, instead of failing in the
  database with a 500 or 503 on each of Calendly's retries; 403 wrong
  signature or a timestamp outside the tolerance; 413 body over the size limit (chunked
  bodies without Content-Length are read up to it); 405 not a POST; 411 a chunked body on a
  WSGI server that does not set ``wsgi.input_terminated`` (it cannot be read safely).
  Nothing is stored; a warning is logged without the body.
- 503 the delivery could not be stored (database down) or no signing key is configured:
  Calendly redelivers later, so nothing is lost.

A processing failure never reaches this view: once stored, the delivery is ours (marked
``failed``, replayable).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, DataError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..client.signatures import SIGNATURE_HEADER, SignatureError
from ..conf import calendly_settings
from ..services import webhooks as service

logger = logging.getLogger("django_calendly.webhooks")

_SIGNATURE_STATUS = {"missing": 400, "malformed": 400, "no_keys": 503}


def _reject(request: HttpRequest, status: int, code: str, message: str) -> JsonResponse:
    logger.warning(
        "Rejected Calendly webhook from %s: %s (%s) [HTTP %s]",
        request.META.get("REMOTE_ADDR", "?"), code, message, status,
    )
    response = JsonResponse({"code": code, "message": message}, status=status)
    if status == 503:
        response["Retry-After"] = "60"
    return response


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is larger than ``limit`` (never reads more than
    ``limit + 1`` bytes, whatever Content-Length claims).

    A chunked body has no Content-Length; Django's WSGI request then reads it as empty.
    When the server says its input stream ends with the body (``wsgi.input_terminated``:
    gunicorn, mod_wsgi, ...), it is read from there, up to the same limit. (Under ASGI
    Django has buffered the whole body already, and ``request.read`` returns it.)
    """
    meta = request.META
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    stream: Any = request
    if not meta.get("CONTENT_LENGTH") and meta.get("wsgi.input_terminated"):
        stream = meta["wsgi.input"]
    chunks: list[bytes] = []
    size = 0
    while size <= limit:  # read() may return less than asked for before the end
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


def _length_unknown(request: HttpRequest) -> bool:
    """A chunked body the server cannot hand over whole: no Content-Length and no promise
    that the input stream ends with the body (reading on could block forever)."""
    meta = request.META
    return (
        "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        and not meta.get("CONTENT_LENGTH")
        and not meta.get("wsgi.input_terminated")
        and "wsgi.input" in meta
    )


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def receive_webhook(request: HttpRequest) -> HttpResponse:
    limit = calendly_settings.WEBHOOK_MAX_BODY_BYTES
    if _length_unknown(request):
        return _reject(request, 411, "length_required",
                       "This server cannot read a chunked body; send Content-Length.")
    body = _read_body(request, limit)
    if body is None:
        return _reject(request, 413, "too_large", f"The body is larger than {limit} bytes.")

    connection_id: int | None = None  # whose subscription's key signed it (None: the app)
    if not calendly_settings.WEBHOOK_INSECURE:
        try:
            connection_id = service.verify_signature(
                body, request.headers.get(SIGNATURE_HEADER)
            ).connection_id
        except SignatureError as exc:
            if exc.code == "no_keys":
                logger.error("Calendly webhook refused: no signing key is configured.")
            return _reject(request, _SIGNATURE_STATUS.get(exc.code, 403), exc.code, exc.message)
        except DatabaseError:
            return _reject(request, 503, "unavailable", "The signing keys cannot be read now.")

    try:
        envelope = service.parse_envelope(body)
    except service.InvalidDelivery as exc:
        return _reject(request, 400, exc.code, exc.message)

    try:
        # store_delivery keeps only service.KEPT_HEADERS (case-insensitive lookups here).
        stored = service.store_delivery(
            envelope, body, request.headers, connection_id=connection_id
        )
    except DataError:
        # The database refuses this data itself (not a passing outage): every redelivery
        # would fail the same way, so answer 4xx rather than a 503 retried for 24 hours.
        logger.error("A verified Calendly webhook could not be stored: the database refused "
                     "its data; answering 400.")
        return _reject(request, 400, "unstorable", "The delivery cannot be stored.")
    except DatabaseError:
        logger.exception("Could not store a Calendly webhook delivery; answering 503.")
        return _reject(request, 503, "unavailable", "The delivery cannot be stored now.")

    body_out: dict[str, Any]
    if stored.duplicate:
        body_out = {"status": "duplicate", "duplicate": True, "id": stored.id}
        return JsonResponse(body_out, status=200)
    body_out = {"status": "accepted", "duplicate": False, "id": stored.id}
    return JsonResponse(body_out, status=202)
