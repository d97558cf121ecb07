"""The route table is the operation table: every operation answers, nothing else does."""

from __future__ import annotations

import httpx
import pytest

from django_calendly.client.operations import OPERATIONS
from django_calendly.sandbox import Sandbox
from django_calendly.sandbox.routes import HANDLERS, ROUTER, check_handlers


def test_every_operation_has_a_handler_and_every_handler_an_operation() -> None:
    assert set(HANDLERS) == {op.name for op in OPERATIONS}
    assert len(HANDLERS) == 65
    check_handlers(HANDLERS)
    with pytest.raises(RuntimeError, match="no handler for"):
        check_handlers({k: v for k, v in HANDLERS.items() if k != "contacts.create"})
    with pytest.raises(RuntimeError, match="no operation for"):
        check_handlers({**HANDLERS, "contacts.merge": HANDLERS["contacts.create"]})


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_router_resolves_each_operation_from_the_table(op) -> None:
    path = "/" + "/".join("X1" if p.startswith("{") else p for p in op.path.strip("/").split("/"))
    resolved, handler, args, known = ROUTER.resolve(op.method, path)
    assert resolved is not None
    if op.name == "users.get":  # /users/X1 is users.get; /users/me is users.me
        assert resolved is op
    assert known and handler is HANDLERS[resolved.name] and resolved.path.count("{") == len(args)
    if "{" not in op.path:
        assert resolved is op


def test_literal_segments_win_over_placeholders() -> None:
    def name(method: str, path: str) -> str | None:
        op = ROUTER.resolve(method, path)[0]
        return op.name if op else None

    assert name("GET", "/users/me") == "users.me"
    assert name("GET", "/users/abc") == "users.get"
    assert name("GET", "/contacts/custom_field_definitions") == "contacts.list_custom_fields"
    assert name("GET", "/contacts/abc") == "contacts.get"
    assert ROUTER.resolve("PUT", "/contacts/abc")[1] is None
    assert ROUTER.resolve("PUT", "/contacts/abc")[3] is True  # known path: 405, not 404


def test_every_operation_answers_over_http(sb: Sandbox, api: httpx.Client) -> None:
    """No route answers 404-for-unknown-path or 405; bad input gets 4xx, never a 500."""
    for op in OPERATIONS:
        path = op.path.replace("{org_uuid}", "nope").replace("{event_uuid}", "nope").replace(
            "{uuid}", "nope")
        response = api.request(op.method, path, json={} if op.method in ("POST", "PATCH")
                               else None)
        assert response.status_code not in (405, 500), (op.name, response.text)
        assert response.status_code < 500, (op.name, response.text)
