"""Keep personal data and secrets out of log records.

httpx logs every request's full URL at INFO and httpcore its traffic at DEBUG; Calendly
URLs carry personal data in their query (``invitee_email=...``, ``email=...``). The app
installs :class:`RedactingFilter` on those loggers and on its own (``install()``, called
from ``AppConfig.ready``, no host setting needed), so no handler at any level ever sees a
query string, an email address or a bearer token, whatever the host's LOGGING says.

A filter attached to a logger only sees records created on that very logger (not those
propagated from children), hence the explicit list of names; a test checks that every
logger of the package is in it.
"""

from __future__ import annotations

import logging
import re

#: Every logger whose records are redacted: the HTTP stack's, then the app's own.
LOGGER_NAMES = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "django_calendly.api",
    "django_calendly.client",
    "django_calendly.services.connection_webhooks",
    "django_calendly.services.connections",
    "django_calendly.services.tenancy",
    "django_calendly.sync",
    "django_calendly.webhooks",
)

# A query string: from '?' to the next blank, quote or closing bracket.
_QUERY = re.compile(r"\?[^\s\"'<>()\[\]{}]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_BEARER = re.compile(r"(?i)\b(bearer|token)(\s+)[A-Za-z0-9._~+/=-]{8,}")


def redact(text: str) -> str:
    """``text`` without query strings, email addresses and bearer tokens."""
    text = _QUERY.sub("", text)
    text = _EMAIL.sub("[email]", text)
    return _BEARER.sub(r"\1\2[redacted]", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback text) through :func:`redact`.

    The message is formatted here, once, so arguments (an ``httpx.URL``, an exception whose
    text quotes a URL) cannot bring the data back in at format time."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the template only
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()


def install() -> None:
    """Attach the filter to every logger of ``LOGGER_NAMES`` (idempotent)."""
    for name in LOGGER_NAMES:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
