"""Rendering Calendly's answers: resources and collections pass through unchanged, list
pagination links point at our endpoint instead of api.calendly.com."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ..client import Page


def page_link(request: Request, token: str | None) -> str | None:
    """Absolute URL of this endpoint with the caller's query and ``page_token=token``."""
    if not token:
        return None
    query = request.query_params.copy()
    query["page_token"] = token
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def paged_response(request: Request, page: Page) -> Response:
    body: dict[str, Any] = dict(page.raw) if page.raw else {"collection": page.items}
    pagination = dict(body.get("pagination") or {})
    pagination.setdefault("count", len(page.items))
    pagination["next_page"] = page_link(request, page.next_page_token)
    pagination["previous_page"] = page_link(request, page.previous_page_token)
    pagination["next_page_token"] = page.next_page_token
    pagination["previous_page_token"] = page.previous_page_token
    body["pagination"] = pagination
    return Response(body)


def collection_response(items: list[dict[str, Any]]) -> Response:
    return Response({"collection": items})


def resource_response(resource: dict[str, Any], status_code: int = status.HTTP_200_OK) -> Response:
    return Response({"resource": resource}, status=status_code)


def no_content() -> Response:
    return Response(status=status.HTTP_204_NO_CONTENT)
