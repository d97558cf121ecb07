"""``group_relationships.*``: who is a member or admin of which group (``groups:read``)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import validation as v
from ..pagination import Page
from .base import Params, Resource, ResourceGroup

#: What a relationship's ``owner`` may be ([S26] ``owner`` filter, "One Of"): an
#: organization membership or an organization invitation URI. In the answer, ``owner`` is
#: that membership or invitation object, with ``type`` ``OrganizationMembership`` or
#: ``OrganizationInvitation``.
OWNER_KINDS = ("organization_membership", "invitation")


class GroupRelationships(ResourceGroup):
    """``/group_relationships`` (REFERENCE.md section 9: filters organization, owner, group)."""

    def _owner(self, owner: str) -> str:
        for kind in OWNER_KINDS:
            try:
                return self._uri(owner, kind, "owner")
            except ValueError:
                continue
        raise v.InvalidArgument(
            f"owner {owner!r:.60} is not a Calendly organization membership or "
            "organization invitation URI.",
            "owner",
        )

    def _query(
        self, organization: str | None, owner: str | None, group: str | None,
        count: int | None, page_token: str | None,
    ) -> Params:
        if organization is None and owner is None and group is None:
            raise v.InvalidArgument("Give organization, owner or group.", "organization")
        params: Params = {}
        if organization is not None:
            params["organization"] = self._uri(organization, "organization")
        if owner is not None:
            params["owner"] = self._owner(owner)
        if group is not None:
            params["group"] = self._uri(group, "group")
        return self._paging(params, count=count, page_token=page_token)

    def list(
        self, *, organization: str | None = None, owner: str | None = None,
        group: str | None = None, count: int | None = None, page_token: str | None = None,
    ) -> Page:
        """``GET /group_relationships`` (one page). Scope ``groups:read``."""
        return self._page(
            "/group_relationships", self._query(organization, owner, group, count, page_token)
        )

    def iter(
        self, *, organization: str | None = None, owner: str | None = None,
        group: str | None = None, count: int | None = None, page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every group relationship, across pages (scope ``groups:read``)."""
        return self._iter(
            "/group_relationships", self._query(organization, owner, group, count, page_token)
        )

    def get(self, uuid: str) -> Resource:
        """``GET /group_relationships/{uuid}``. Scope ``groups:read``."""
        return self._get(f"/group_relationships/{self._uuid(uuid, 'group_relationship')}")


__all__ = ["GroupRelationships"]
