"""The client refuses, before sending, exactly the strings the sandbox (and Calendly)
would refuse, and sends the longest one allowed.

Caps: share and one-off event type ``name`` 55 (openapi.yaml ``/shares``, [S26]), a
share's ``location_configurations[].location``/``.additional_info`` 255, the activity
log's ``search_term`` 300; event type ``name`` 255 (our bound, none published).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from django_calendly.client import CalendlyClient
from django_calendly.client import validation as v
from django_calendly.client.validation import InvalidArgument


def solo_type(sandbox: Any) -> str:
    return next(e["uri"] for e in sandbox.store.event_types.values()
                if e["kind"] == "solo" and e["profile"]["owner"] == sandbox.user_uri)


def dates() -> dict[str, str]:
    today = datetime.now(UTC).date()
    return {"type": "date_range", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=2)).isoformat()}


Call = Callable[[CalendlyClient, Any, int], Any]

CASES: list[tuple[str, int, Call, str]] = [
    ("event type name", v.MAX_EVENT_TYPE_NAME,
     lambda c, sb, n: c.event_types.create(owner=sb.user_uri, name="e" * n), "name"),
    ("one-off name", 55,
     lambda c, sb, n: c.event_types.create_one_off(
         name="o" * n, host=sb.user_uri, duration=30, date_setting=dates()), "name"),
    ("share name", 55,
     lambda c, sb, n: c.shares.create(solo_type(sb), name="s" * n), "name"),
    ("share location", 255,
     lambda c, sb, n: c.shares.create(solo_type(sb), location_configurations=[
         {"kind": "physical", "location": "l" * n}]), "location_configurations[0].location"),
    ("share additional_info", 255,
     lambda c, sb, n: c.shares.create(solo_type(sb), location_configurations=[
         {"kind": "physical", "additional_info": "i" * n}]),
     "location_configurations[0].additional_info"),
    ("activity log search_term", 300,
     lambda c, sb, n: c.activity_log.list(
         organization=sb.organization_uri, search_term="a" * n), "search_term"),
]


@pytest.mark.parametrize(("label", "limit", "call", "field"), CASES, ids=[c[0] for c in CASES])
def test_cap_matches_the_sandbox(sandbox: Any, sb_client: CalendlyClient, label: str,
                                 limit: int, call: Call, field: str) -> None:
    call(sb_client, sandbox, limit)  # the sandbox accepts the longest allowed value
    before = sandbox.stats()["total_requests"]
    with pytest.raises(InvalidArgument) as refused:
        call(sb_client, sandbox, limit + 1)
    assert refused.value.name == field
    assert str(limit) in str(refused.value)
    assert sandbox.stats()["total_requests"] == before  # nothing was sent
