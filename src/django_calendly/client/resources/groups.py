"""``groups.*``: the organization's groups (``groups:read``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class Groups(ResourceGroup):
    """``/groups`` (REFERENCE.md section 9: list by ``organization``; get)."""

    def _query(self, organization: str, count: int | None, page_token: str | None) -> Params:
        params: Params = {"organization": self._uri(organization, "organization")}
        return self._paging(params, count=count, page_token=page_token)

    def list(
        self, *, organization: str, count: int | None = None, page_token: str | None = None
    ) -> Page:
        """``GET /groups?organization=`` (one page). Scope ``groups:read``."""
        return self._page("/groups", self._query(organization, count, page_token))

    def iter(
        self, *, organization: str, count: int | None = None, page_token: str | None = None
    ) -> Iterator[Resource]:
        """Every group of the organization, across pages (scope ``groups:read``)."""
        return self._iter("/groups", self._query(organization, count, page_token))

    def get(self, uuid: str) -> Resource:
        """``GET /groups/{uuid}``. Scope ``groups:read``."""
        return self._get(f"/groups/{self._uuid(uuid, 'group')}")


__all__ = ["Groups"]
