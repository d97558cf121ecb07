"""Use cases of the routing form endpoints: forms and their submissions
(``routing_forms:read``)."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client

Resource = dict[str, Any]


def list_routing_forms(actor: Any, **filters: Any) -> Page:
    return get_client(actor).routing_forms.list(**filters)


def get_routing_form(actor: Any, uuid: str) -> Resource:
    return get_client(actor).routing_forms.get(uuid)


def list_submissions(actor: Any, **filters: Any) -> Page:
    return get_client(actor).routing_forms.list_submissions(**filters)


def get_submission(actor: Any, uuid: str) -> Resource:
    return get_client(actor).routing_forms.get_submission(uuid)
