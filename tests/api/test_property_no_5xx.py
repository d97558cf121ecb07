"""Property-based: no input to any operation of the app's OpenAPI schema gets a 5xx.

schemathesis reads the schema the app serves (``/modules/calendly/schema/``) and generates
requests for every operation, valid ones (positive mode, which reach the sandbox upstream)
and invalid ones (negative mode), sent in-process through Django's WSGI application. Each
answer must pass schemathesis's ``not_a_server_error`` check, and every error answer must
have the app's one error shape. ``format: date-time`` values come from our own strategy,
weighted to the ends of Python's datetime range (schemathesis's default never reached the
overflow that was a 500). Slow (CI runs it on PostgreSQL with ``-m ""``); the number
of examples per operation and mode is ``NO5XX_EXAMPLES`` (default 25).
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from schemathesis.specs.openapi.formats import STRING_FORMATS

from .conftest import BASE

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("NO5XX_EXAMPLES", "25"))
ERROR_KEYS = {"code", "title", "message", "details"}


def _auth(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _problem(response: Any) -> str | None:
    """What is wrong with one answer, or None."""
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code >= 400:
        try:
            body = json.loads(response.content)
        except ValueError:
            return f"{response.status_code} without a JSON body"
        if not isinstance(body, dict) or set(body) != ERROR_KEYS:
            return f"{response.status_code} not in the error shape: {str(body)[:200]}"
    return None


def _date_times() -> st.SearchStrategy[str]:
    """``format: date-time`` values: soon (they reach the sandbox) or at the first and last
    day Python has, with offsets up to 14 hours (overflow in UTC was a 500)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    soon = st.datetimes(min_value=now + timedelta(hours=1), max_value=now + timedelta(days=40))
    edges = st.datetimes(min_value=datetime(9999, 12, 30)) | st.datetimes(
        max_value=datetime(1, 1, 2)
    )
    return st.builds(lambda d, tz: d.replace(tzinfo=tz).isoformat(), soon | edges, offsets)


@pytest.fixture
def date_time_format() -> Iterator[None]:
    """Our ``date-time`` strategy for the test's duration (schemathesis's registry is global)."""
    previous = STRING_FORMATS.get("date-time")
    schemathesis.openapi.format("date-time", _date_times())
    try:
        yield
    finally:
        if previous is None:
            STRING_FORMATS.pop("date-time", None)
        else:
            STRING_FORMATS["date-time"] = previous


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's WSGI application, keeping the test's database connection (and transaction)
    open between requests, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _explore(
    operation: Any, mode: GenerationMode, headers: dict[str, str],
    calls: Counter[str], statuses: Counter[int], problems: list[str],
) -> None:
    """Send ``EXAMPLES`` generated requests of one operation and mode; record problems."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        calls[operation.label] += 1
        statuses[response.status_code] += 1
        problem = _problem(response)
        if problem is None:
            try:
                case.validate_response(
                    response, checks=[not_a_server_error, negative_data_rejection]
                )
            except AssertionError as exc:  # schemathesis's FailureGroup
                problem = f"schemathesis: {str(exc)[:300]}"
        if problem:
            problems.append(f"{case.method} {case.formatted_path} {mode}: {problem}")

    run()


def test_no_operation_answers_a_server_error(
    sb, staff, settings, capsys, wsgi_app, date_time_format
):
    settings.ALLOWED_HOSTS = ["*"]
    headers = _auth("staff", "pw-staff")
    schema = schemathesis.openapi.from_wsgi(BASE + "schema/", wsgi_app, headers=headers)

    operations = 0
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # the schema itself must be valid
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _explore(operation, mode, headers, calls, statuses, problems)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nschemathesis: {operations} operations, {sum(calls.values())} requests, "
            f"{sum(n for s, n in statuses.items() if s >= 500)} 5xx, "
            f"{len(problems)} problems, {elapsed:.1f} s; "
            f"statuses {dict(sorted(statuses.items()))}"
        )
    assert operations >= 30
    assert not problems, "\n".join(problems[:50])
