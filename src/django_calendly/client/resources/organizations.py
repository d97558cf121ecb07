"""``organizations.*``: an organization and its invitations."""

from __future__ import annotations

from collections.abc import Iterator

from .. import validation as v
from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class Organizations(ResourceGroup):
    """``/organizations/{uuid}`` and its invitations."""

    def get(self, uuid: str) -> Resource:
        """``GET /organizations/{uuid}``. Scope ``organizations:read``."""
        return self._get(f"/organizations/{self._uuid(uuid, 'organization')}")

    def _invitation_query(
        self,
        org_uuid: str,
        email: str | None,
        status: str | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
    ) -> tuple[str, Params]:
        path = f"/organizations/{self._uuid(org_uuid, 'organization', 'org_uuid')}/invitations"
        params: Params = {}
        if email is not None:
            params["email"] = v.validate_email(email)
        if status is not None:
            params["status"] = v.validate_choice(status, v.INVITATION_STATUSES, "status")
        return path, self._paging(
            params, sort=sort, sort_endpoint="invitations", count=count, page_token=page_token
        )

    def list_invitations(
        self,
        org_uuid: str,
        *,
        email: str | None = None,
        status: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /organizations/{uuid}/invitations`` (one page). Scope ``organizations:read``."""
        return self._page(
            *self._invitation_query(org_uuid, email, status, sort, count, page_token)
        )

    def iter_invitations(
        self,
        org_uuid: str,
        *,
        email: str | None = None,
        status: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every invitation, across pages."""
        return self._iter(
            *self._invitation_query(org_uuid, email, status, sort, count, page_token)
        )

    def invite(self, org_uuid: str, email: str) -> Resource:
        """``POST /organizations/{uuid}/invitations`` (201). Scope ``organizations:write``."""
        org = self._uuid(org_uuid, "organization", "org_uuid")
        return self._post(f"/organizations/{org}/invitations", {"email": v.validate_email(email)})

    def _invitation_path(self, org_uuid: str, uuid: str) -> str:
        if isinstance(uuid, str) and uuid.startswith(("http://", "https://")):
            parts = v.parse_uri(uuid, "invitation", self._base)
            return f"/organizations/{parts['org_uuid']}/invitations/{parts['uuid']}"
        org = self._uuid(org_uuid, "organization", "org_uuid")
        return f"/organizations/{org}/invitations/{v.validate_uuid(uuid)}"

    def get_invitation(self, org_uuid: str, uuid: str) -> Resource:
        """``GET /organizations/{org_uuid}/invitations/{uuid}``. Scope ``organizations:read``."""
        return self._get(self._invitation_path(org_uuid, uuid))

    def revoke_invitation(self, org_uuid: str, uuid: str) -> None:
        """``DELETE /organizations/{org_uuid}/invitations/{uuid}`` (204).

        Scope ``organizations:write``.
        """
        self._delete(self._invitation_path(org_uuid, uuid))


__all__ = ["Organizations"]
