"""``memberships.*``: organization memberships."""

from __future__ import annotations

from collections.abc import Iterator

from .. import validation as v
from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class Memberships(ResourceGroup):
    """``/organization_memberships``."""

    def _query(
        self,
        organization: str | None,
        user: str | None,
        email: str | None,
        role: str | None,
        count: int | None,
        page_token: str | None,
    ) -> Params:
        if organization is None and user is None:
            raise v.InvalidArgument("Give organization, user, or both.", "organization")
        params: Params = {}
        if organization is not None:
            params["organization"] = self._uri(organization, "organization")
        if user is not None:
            params["user"] = self._uri(user, "user")
        if email is not None:
            params["email"] = v.validate_email(email)
        if role is not None:
            params["role"] = v.validate_choice(role, v.MEMBERSHIP_ROLES, "role")
        return self._paging(params, count=count, page_token=page_token)

    def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        email: str | None = None,
        role: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /organization_memberships`` (one page). Scope ``organizations:read``."""
        return self._page(
            "/organization_memberships",
            self._query(organization, user, email, role, count, page_token),
        )

    def iter(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        email: str | None = None,
        role: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every membership, across pages."""
        return self._iter(
            "/organization_memberships",
            self._query(organization, user, email, role, count, page_token),
        )

    def get(self, uuid: str) -> Resource:
        """``GET /organization_memberships/{uuid}``. Scope ``organizations:read``."""
        return self._get(f"/organization_memberships/{self._uuid(uuid, 'organization_membership')}")

    def delete(self, uuid: str) -> None:
        """``DELETE /organization_memberships/{uuid}`` (204). Scope ``organizations:write``."""
        self._delete(f"/organization_memberships/{self._uuid(uuid, 'organization_membership')}")


__all__ = ["Memberships"]
