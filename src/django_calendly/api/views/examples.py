"""OpenAPI examples of Calendly's answers, shaped as our endpoints return them (a
``{resource}``, or a ``{collection, pagination}`` page with our links)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

API = "https://api.calendly.com"
ORGANIZATION = f"{API}/organizations/OOOOOOOOOOOOOOOO"
USER = f"{API}/users/UUUUUUUUUUUUUUUU"

_PAGINATION = {
    "count": 1,
    "next_page": None,
    "previous_page": None,
    "next_page_token": None,
    "previous_page_token": None,
}


def page(item: dict[str, Any]) -> list[OpenApiExample]:
    """A one-item page of ``item``."""
    return [OpenApiExample("page", response_only=True,
                           value={"collection": [item], "pagination": _PAGINATION})]


def resource(name: str, item: dict[str, Any], status: str = "200") -> list[OpenApiExample]:
    return [OpenApiExample(name, response_only=True, status_codes=[status],
                           value={"resource": item})]


def request(name: str, body: dict[str, Any]) -> list[OpenApiExample]:
    return [OpenApiExample(name, request_only=True, value=body)]
