"""``outgoing_communications.*``: SMS and email Calendly sent (Enterprise)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import validation as v
from ..pagination import Page
from .base import DateTime, Params, Resource, ResourceGroup


class OutgoingCommunications(ResourceGroup):
    """``GET /outgoing_communications?organization=`` (REFERENCE.md section 9)."""

    def _query(
        self, organization: str, min_created_at: DateTime | None,
        max_created_at: DateTime | None, count: int | None, page_token: str | None,
    ) -> Params:
        params: Params = {"organization": self._uri(organization, "organization")}
        if min_created_at is not None:
            params["min_created_at"] = v.validate_datetime(min_created_at, "min_created_at")
        if max_created_at is not None:
            params["max_created_at"] = v.validate_datetime(max_created_at, "max_created_at")
        if "min_created_at" in params and "max_created_at" in params and (
            params["max_created_at"] < params["min_created_at"]
        ):
            raise v.InvalidArgument(
                "max_created_at must not be before min_created_at.", "max_created_at"
            )
        return self._paging(params, count=count, page_token=page_token)

    def list(
        self, *, organization: str, min_created_at: DateTime | None = None,
        max_created_at: DateTime | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /outgoing_communications`` (one page).
        Scope ``outgoing_communications:read``."""
        return self._page("/outgoing_communications", self._query(
            organization, min_created_at, max_created_at, count, page_token
        ))

    def iter(
        self, *, organization: str, min_created_at: DateTime | None = None,
        max_created_at: DateTime | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every communication, across pages (scope ``outgoing_communications:read``)."""
        return self._iter("/outgoing_communications", self._query(
            organization, min_created_at, max_created_at, count, page_token
        ))


__all__ = ["OutgoingCommunications"]
