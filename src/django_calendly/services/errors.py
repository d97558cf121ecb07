"""Errors of the service layer that views turn into responses."""

from __future__ import annotations


class NotConfigured(Exception):
    """No usable Calendly credentials for this request (no token, or a broken connection)."""

    code = "not_configured"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NoCalendlyAccess(Exception):
    """This user may not read Calendly data here: no connection of their own, and
    ``CALENDLY_APP_TOKEN_FALLBACK`` does not let them act with the app's token.
    The REST API answers 403 with ``code``."""

    code = "calendly_connection_required"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LocalRecordFailed(Exception):
    """Calendly did what was asked, but recording it in our database failed.

    ``message`` says what happened upstream (undone or not) and what to do; the REST API
    answers 503 with ``code``.
    """

    code = "local_record_failed"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
