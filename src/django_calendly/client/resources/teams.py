"""``teams.*``: the organization's teams (``organizations:read``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class Teams(ResourceGroup):
    """``/teams`` (REFERENCE.md section 9: list, filter ``user``; get)."""

    def _query(self, user: str | None, count: int | None, page_token: str | None) -> Params:
        params: Params = {}
        if user is not None:
            params["user"] = self._uri(user, "user")
        return self._paging(params, count=count, page_token=page_token)

    def list(
        self, *, user: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /teams`` (one page), optionally the teams of ``user``.

        Scope ``organizations:read``.
        """
        return self._page("/teams", self._query(user, count, page_token))

    def iter(
        self, *, user: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every team, across pages (``GET /teams``; scope ``organizations:read``)."""
        return self._iter("/teams", self._query(user, count, page_token))

    def get(self, uuid: str) -> Resource:
        """``GET /teams/{uuid}``. Scope ``organizations:read``."""
        return self._get(f"/teams/{self._uuid(uuid, 'team')}")


__all__ = ["Teams"]
