"""The scope table, end to end: every one of the 65 operations, called through its client
method against the sandbox over HTTP, is refused without its scope (403 "Insufficient
scope" naming it, as Calendly answers) and admitted with only that scope.

"Admitted" means Calendly's scope check lets it through: the call may still fail for its
made-up arguments (400, 404), never with InsufficientScope. The calls are the client
tests' minimal ones (tests/client/test_operations_coverage.py), so a new operation gets a
row there and is covered here too.
"""

from __future__ import annotations

import pytest

from django_calendly.client import CalendlyClient, errors
from django_calendly.client.operations import (
    ALL_SCOPES,
    OPERATIONS,
    WEBHOOK_EVENT_SCOPES,
    Operation,
    scope_granted,
)
from django_calendly.sandbox import Sandbox

from .client.test_operations_coverage import CALLS


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed_events=5, random_seed=3, plan="enterprise") as sb:
        sb.start()
        sb.configure(rate_limit="off")
        yield sb


def _client(sb: Sandbox, scopes: list[str]) -> CalendlyClient:
    token, _ = sb.add_token(role="owner", scopes=" ".join(scopes))
    return CalendlyClient(token=token, base_url=sb.url, max_retries=0)


def _extra_scopes(op: Operation) -> set[str]:
    """Scopes an operation needs besides its own: a webhook subscription also needs the
    read scope of each event it asks for (the calls subscribe to invitee.created)."""
    return {WEBHOOK_EVENT_SCOPES["invitee.created"]} if op.name == "webhooks.create" else set()


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_refused_without_its_scope(sandbox: Sandbox, op: Operation) -> None:
    others = [s for s in ALL_SCOPES if not scope_granted([s], op.scope)]
    with _client(sandbox, others) as client, pytest.raises(errors.InsufficientScope) as caught:
        CALLS[op.name](client)
    assert op.scope in caught.value.required_scopes
    assert caught.value.status == 403


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_admitted_with_only_its_scope(sandbox: Sandbox, op: Operation) -> None:
    with _client(sandbox, sorted({op.scope} | _extra_scopes(op))) as client:
        try:
            CALLS[op.name](client)
        except errors.InsufficientScope as exc:  # pragma: no cover - the failure itself
            pytest.fail(f"{op.name} was refused with only {op.scope}: {exc}")
        except (errors.APIError, ValueError):
            pass  # made-up arguments: Calendly's scope check let it through
