"""The Calendly webhook receiver.

Status codes, chosen for what Calendly does with them (every non-2xx is retried for 24
hours, then the subscription is disabled):

- 202 ``{"status": "accepted", "id": ...}``: verified and stored; processing is enqueued.
- 200 ``{"status": "duplicate", "duplicate": true}``: already stored; not processed again.
- 400 missing or malformed signature, body that is not a Calendly envelope, or a signed
  body no database can hold (nested deeper than 32 levels, NUL or a lone surrogate in a
  string): answering 4xx, always the same for every redelivery, instead of failing in the
  database with a 500 or 503 on each of Calendly's retries; 403 wrong
  signature or a timestamp outside the tolerance; 413 body over the size limit; 405 not a
  POST. Nothing is stored; a warning is logged without the body.
- 503 the delivery could not be stored (database down) or no signing key is configured:
  Calendly redelivers later, so nothing is lost.

A processing failure never reaches this view: once stored, the delivery is ours (marked
``failed``, replayable).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction
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
    ``limit + 1`` bytes, whatever Content-Length claims)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def receive_webhook(request: HttpRequest) -> HttpResponse:
    limit = calendly_settings.WEBHOOK_MAX_BODY_BYTES
    body = _read_body(request, limit)
    if body is None:
        return _reject(request, 413, "too_large", f"The body is larger than {limit} bytes.")

    if not calendly_settings.WEBHOOK_INSECURE:
        try:
            service.check_signature(body, request.headers.get(SIGNATURE_HEADER))
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
        stored = service.store_delivery(envelope, body, request.headers)
    except DatabaseError:
        logger.exception("Could not store a Calendly webhook delivery; answering 503.")
        return _reject(request, 503, "unavailable", "The delivery cannot be stored now.")

    body_out: dict[str, Any]
    if stored.duplicate:
        body_out = {"status": "duplicate", "duplicate": True, "id": stored.id}
        return JsonResponse(body_out, status=200)
    body_out = {"status": "accepted", "duplicate": False, "id": stored.id}
    return JsonResponse(body_out, status=202)
