"""``activity_log.*``: the organization's audit log (Enterprise, ``activity_log:read``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import validation as v
from ..pagination import Page
from .base import DateTime, Params, Resource, ResourceGroup


def _sort(value: str | Iterable[str]) -> list[str]:
    """``sort[]``: each ``field:asc|desc`` over the activity log's fields (section 4)."""
    pairs = v.validate_strings(value, "sort")
    return [v.validate_sort(pair, "activity_log_entries") for pair in pairs]


class ActivityLog(ResourceGroup):
    """``GET /activity_log_entries`` (REFERENCE.md sections 4 and 9; ``count`` up to 1000)."""

    def _query(
        self, organization: str, search_term: str | None, actor: Iterable[str] | None,
        namespace: Iterable[str] | None, action: Iterable[str] | None,
        min_occurred_at: DateTime | None, max_occurred_at: DateTime | None,
        sort: str | Iterable[str] | None, count: int | None, page_token: str | None,
    ) -> Params:
        params: Params = {"organization": self._uri(organization, "organization")}
        if search_term is not None:
            params["search_term"] = v.validate_text(
                search_term, "search_term", v.MAX_ACTIVITY_LOG_SEARCH
            )
        if actor is not None:
            params["actor"] = self._uris(actor, "user", "actor")
        if namespace is not None:
            params["namespace"] = v.validate_strings(namespace, "namespace")
        if action is not None:
            params["action"] = v.validate_strings(action, "action")
        if min_occurred_at is not None and max_occurred_at is not None:
            low = v.parse_datetime(min_occurred_at, "min_occurred_at")
            high = v.parse_datetime(max_occurred_at, "max_occurred_at")
            if high < low:
                raise v.InvalidArgument(
                    "max_occurred_at must not be before min_occurred_at.", "max_occurred_at"
                )
        if min_occurred_at is not None:
            params["min_occurred_at"] = v.validate_datetime(min_occurred_at, "min_occurred_at")
        if max_occurred_at is not None:
            params["max_occurred_at"] = v.validate_datetime(max_occurred_at, "max_occurred_at")
        if sort is not None:
            params["sort"] = _sort(sort)
        return self._paging(
            params, count=count, page_token=page_token, max_count=v.MAX_ACTIVITY_LOG_COUNT
        )

    def list(
        self, *, organization: str, search_term: str | None = None,
        actor: Iterable[str] | None = None, namespace: Iterable[str] | None = None,
        action: Iterable[str] | None = None, min_occurred_at: DateTime | None = None,
        max_occurred_at: DateTime | None = None, sort: str | Iterable[str] | None = None,
        count: int | None = None, page_token: str | None = None,
    ) -> Page:
        """``GET /activity_log_entries`` (one page). Scope ``activity_log:read``.

        ``actor`` is a list of user URIs; ``sort`` one or more of ``action``,
        ``actor.display_name``, ``actor.uri``, ``namespace``, ``occurred_at`` with
        ``:asc|desc`` (Calendly's default ``occurred_at:desc``); ``count`` 1-1000.
        """
        return self._page("/activity_log_entries", self._query(
            organization, search_term, actor, namespace, action, min_occurred_at,
            max_occurred_at, sort, count, page_token,
        ))

    def iter(
        self, *, organization: str, search_term: str | None = None,
        actor: Iterable[str] | None = None, namespace: Iterable[str] | None = None,
        action: Iterable[str] | None = None, min_occurred_at: DateTime | None = None,
        max_occurred_at: DateTime | None = None, sort: str | Iterable[str] | None = None,
        count: int | None = None, page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every matching entry, across pages (scope ``activity_log:read``)."""
        return self._iter("/activity_log_entries", self._query(
            organization, search_term, actor, namespace, action, min_occurred_at,
            max_occurred_at, sort, count, page_token,
        ))


__all__ = ["ActivityLog"]
