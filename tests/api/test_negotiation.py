"""The app's content negotiation answers as DRF's does, header for header."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from django_calendly.api.negotiation import QuickContentNegotiation

from .conftest import BASE, assert_error

ACCEPTS = [
    None, "*/*", "application/json", "application/*", "text/html", "application/xml",
    "application/json; indent=4", "text/html,application/xhtml+xml,*/*;q=0.8", "*/*;q=0",
    "APPLICATION/JSON", "", " */*",
]


def selected(negotiation: Any, accept: str | None, query: str, renderers: list[Any],
             suffix: str | None) -> Any:
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/x/" + query, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
    except NotAcceptable:
        return "406"
    except Exception as exc:  # e.g. Http404 for an unknown ?format=
        return type(exc).__name__
    return type(renderer).__name__, media_type


def test_the_same_choice_as_drf() -> None:
    quick, drf = QuickContentNegotiation(), DefaultContentNegotiation()
    differ = [
        (accept, query, suffix, [type(r).__name__ for r in renderers])
        for accept in ACCEPTS
        for query in ("", "?format=json", "?format=xml", "?format=", "?a=1")
        for suffix in (None, "json", "api")
        for renderers in (
            [JSONRenderer()],
            [JSONRenderer(), BrowsableAPIRenderer()],
            [BrowsableAPIRenderer(), JSONRenderer()],
        )
        if selected(quick, accept, query, renderers, suffix)
        != selected(drf, accept, query, renderers, suffix)
    ]
    assert differ == []


@pytest.mark.django_db
def test_an_endpoint_answers_json_or_406(api: Any) -> None:
    path = f"{BASE}scheduled/events/bad$uuid/"  # refused before any Calendly call
    for accept in (None, "*/*", "application/json"):
        headers = {} if accept is None else {"HTTP_ACCEPT": accept}
        response = api.get(path, **headers)
        assert response["Content-Type"] == "application/json"
        assert_error(response, 400, "invalid_input")
    body = assert_error(api.get(path, HTTP_ACCEPT="text/html"), 406, "not_acceptable")
    assert body["message"]
