"""No personal data or secret reaches a log handler, at any level."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import django_calendly
from django_calendly.client import CalendlyClient
from django_calendly.logs import LOGGER_NAMES, redact

EMAIL = "ada.lovelace+x@example.com"


def test_httpx_and_httpcore_records_lose_the_query(calendly_plain_sandbox, caplog):
    sb = calendly_plain_sandbox
    caplog.set_level(logging.DEBUG)
    with CalendlyClient(token=sb.token, base_url=sb.url, max_retries=0) as client:
        client.scheduled_events.list(organization=sb.organization_uri, invitee_email=EMAIL)
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    loggers = {r.name for r in caplog.records}
    assert "httpx" in loggers and any(n.startswith("httpcore") for n in loggers)
    assert "/scheduled_events" in text  # the request was logged...
    for secret in ("invitee_email", "ada.lovelace", "example.com", sb.token):
        assert secret not in text  # ...without its query or credentials


def test_exceptions_logged_by_our_loggers_are_redacted(caplog):
    caplog.set_level(logging.DEBUG)
    try:
        raise ValueError(f"GET https://api.calendly.com/x?email={EMAIL} for {EMAIL}")
    except ValueError:
        logging.getLogger("django_calendly.webhooks").exception(
            "failed for %s with Bearer %s", EMAIL, "s3cr3t-token-value"
        )
    assert EMAIL not in caplog.text and "s3cr3t-token-value" not in caplog.text
    assert "[email]" in caplog.text and "Bearer [redacted]" in caplog.text


def test_redact_keeps_the_rest():
    line = 'GET https://h/p?a=1&b=2 "HTTP/1.1 200 OK"'
    assert redact(line) == 'GET https://h/p "HTTP/1.1 200 OK"'
    assert redact("event ABC is gone") == "event ABC is gone"


def test_every_logger_of_the_package_is_redacted():
    root = Path(django_calendly.__file__).parent
    names = set()
    for path in root.rglob("*.py"):
        if path.name == "logs.py":
            continue
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for found in re.findall(r"getLogger\(([^)]*)\)", path.read_text()):
            names.add(module if found == "__name__" else found.strip("\"'"))
    assert names, "no logger found: the scan is broken"
    assert names <= set(LOGGER_NAMES)


@pytest.mark.parametrize("name", LOGGER_NAMES)
def test_the_filter_is_installed_by_the_app(name):
    assert any(type(f).__name__ == "RedactingFilter" for f in logging.getLogger(name).filters)
