"""``locations.*``: a user's configured meeting locations (``locations:read``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class Locations(ResourceGroup):
    """``/locations?user=`` (REFERENCE.md section 9)."""

    def _query(self, user: str, count: int | None, page_token: str | None) -> Params:
        return self._paging({"user": self._uri(user, "user")}, count=count, page_token=page_token)

    def list(self, *, user: str, count: int | None = None, page_token: str | None = None) -> Page:
        """``GET /locations?user=`` (one page). Scope ``locations:read``."""
        return self._page("/locations", self._query(user, count, page_token))

    def iter(
        self, *, user: str, count: int | None = None, page_token: str | None = None
    ) -> Iterator[Resource]:
        """Every location of the user, across pages (scope ``locations:read``)."""
        return self._iter("/locations", self._query(user, count, page_token))


__all__ = ["Locations"]
