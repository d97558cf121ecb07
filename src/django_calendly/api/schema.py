"""OpenAPI descriptions shared by the endpoints (drf-spectacular)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)

from ..client.validation import UUID_REGEX
from .errors import ErrorSerializer

TAG = "calendly"

UUID_PATTERN = f"^{UUID_REGEX}$"

_ERRORS = {
    400: "Invalid input (`invalid_input`), named in `details`; or Calendly's 400.",
    401: "Not authenticated (`not_authenticated`; 403 with session-only authentication).",
    403: "Permission denied here (`permission_denied`) or by Calendly "
    "(`upstream_permission_denied`, `plan_required`, `insufficient_scope`).",
    404: "Calendly has no such resource (`not_found`).",
    429: "Calendly's rate limit, after retries (`rate_limited`, with `Retry-After`).",
    502: "Calendly failed or rejected this server's token (`upstream_error`, "
    "`upstream_unauthorized`, `upstream_unreachable`, `upstream_invalid_response`).",
    503: "No Calendly credentials (`not_configured`), or the user's Calendly connection "
    "must be reconnected (`connection_broken`); or, creating/deleting a webhook "
    "subscription, Calendly acted but the local record failed (`local_record_failed`); "
    "or the database cannot be reached (`database_unavailable`, with `Retry-After`).",
    504: "Calendly did not answer in time (`upstream_timeout`).",
}

_EXTRA_ERRORS = {
    409: "Calendly reports a conflict (`conflict`).",
    422: "Calendly refused the values (`unprocessable`).",
}


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="1-255 printable ASCII characters, unique per request. A retry with the same "
    "key and request gets the first answer again (`Idempotent-Replayed: true`) and acts "
    "once; another request with the key is 422 `idempotency_key_reused`; while the first "
    "still runs, 409 `idempotency_in_progress` with `Retry-After`; a bad key is 400 "
    "`invalid_idempotency_key`. See docs/rest-api.md, Retries and Idempotency-Key.",
)


class CalendlyAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the request body of a DELETE documented, and the
    ``Idempotency-Key`` header on every POST (``idempotency.IdempotentAPIView``).

    OpenAPI allows a body on DELETE, and `remove/invitees/` takes its `emails` there (as
    Calendly's own data-compliance call does); drf-spectacular documents bodies only for
    POST, PUT and PATCH.
    """

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _get_request_body(self, direction: str = "request") -> Any:
        if self.method != "DELETE" or self.get_request_serializer() is None:
            return super()._get_request_body(direction)
        self.method = "POST"  # the same body rules as a POST
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


def app_extend_schema(**kwargs: Any) -> Callable[[Any], Any]:
    """``extend_schema`` built on ``CalendlyAutoSchema``, whatever the host project's
    ``DEFAULT_SCHEMA_CLASS``.

    drf-spectacular builds a decorated method's schema class on DRF's
    ``DEFAULT_SCHEMA_CLASS`` when the decorator runs (at import); in a project that has not
    set it to drf-spectacular's, that class is DRF's own and the served schema fails. The
    views set ``schema = CalendlyAutoSchema()`` too, so the app's schema needs no setting.
    """

    def decorator(method: Any) -> Any:
        method.schema = CalendlyAutoSchema  # what extend_schema builds on, when present
        return extend_schema(**kwargs)(method)

    return decorator


def error_responses(*extra: int) -> dict[int, OpenApiResponse]:
    out = {
        code: OpenApiResponse(ErrorSerializer, description=text) for code, text in _ERRORS.items()
    }
    for code in extra:
        description = _EXTRA_ERRORS.get(code, "Error.")
        out[code] = OpenApiResponse(ErrorSerializer, description=description)
    return out


def path_uuid(name: str, description: str, *, allow_me: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=description,
        pattern=f"^(me|{UUID_REGEX})$" if allow_me else UUID_PATTERN,
    )


def document(
    operation_id: str,
    summary: str,
    *,
    description: str = "",
    success: tuple[int, Any],
    path: Sequence[OpenApiParameter] = (),
    query: Any = None,
    request: Any = None,
    write: bool = False,
    extra_errors: Sequence[int] = (),
    examples: Sequence[OpenApiExample] = (),
) -> Callable[[Any], Any]:
    """``extend_schema`` with the parts every endpoint shares (``examples``: request and
    response examples, ``OpenApiExample``)."""
    code, body = success
    responses: dict[int, Any] = {code: body}
    responses.update(error_responses(*extra_errors))
    access = (
        "Needs `CALENDLY_WRITE_PERMISSION_CLASSES` (default: staff)."
        if write
        else "Needs `CALENDLY_READ_PERMISSION_CLASSES` (default: authenticated)."
    )
    parameters: list[Any] = list(path)
    if query is not None:
        parameters.append(query)
    return app_extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=f"{description}\n\n{access}".strip(),
        tags=[TAG],
        parameters=parameters,
        request=request,
        responses=responses,
        examples=list(examples) or None,
    )
