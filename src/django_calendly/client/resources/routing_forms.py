"""``routing_forms.*``: routing forms and their submissions (``routing_forms:read``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class RoutingForms(ResourceGroup):
    """``/routing_forms?organization=`` and ``/routing_form_submissions?form=``."""

    def _query(
        self, organization: str, sort: str | None, count: int | None, page_token: str | None
    ) -> Params:
        params: Params = {"organization": self._uri(organization, "organization")}
        return self._paging(
            params, sort=sort, sort_endpoint="routing_forms", count=count, page_token=page_token
        )

    def list(
        self, *, organization: str, sort: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /routing_forms`` (one page; sort ``created_at:asc|desc``).
        Scope ``routing_forms:read``."""
        return self._page("/routing_forms", self._query(organization, sort, count, page_token))

    def iter(
        self, *, organization: str, sort: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every routing form, across pages (scope ``routing_forms:read``)."""
        return self._iter("/routing_forms", self._query(organization, sort, count, page_token))

    def get(self, uuid: str) -> Resource:
        """``GET /routing_forms/{uuid}``. Scope ``routing_forms:read``."""
        return self._get(f"/routing_forms/{self._uuid(uuid, 'routing_form')}")

    def _submission_query(
        self, form: str, sort: str | None, count: int | None, page_token: str | None
    ) -> Params:
        params: Params = {"form": self._uri(form, "routing_form", "form")}
        return self._paging(
            params, sort=sort, sort_endpoint="routing_form_submissions", count=count,
            page_token=page_token,
        )

    def list_submissions(
        self, *, form: str, sort: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /routing_form_submissions?form=`` (one page; sort ``created_at``).
        Scope ``routing_forms:read``."""
        return self._page(
            "/routing_form_submissions", self._submission_query(form, sort, count, page_token)
        )

    def iter_submissions(
        self, *, form: str, sort: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every submission of the form, across pages (scope ``routing_forms:read``)."""
        return self._iter(
            "/routing_form_submissions", self._submission_query(form, sort, count, page_token)
        )

    def get_submission(self, uuid: str) -> Resource:
        """``GET /routing_form_submissions/{uuid}``. Scope ``routing_forms:read``."""
        uuid = self._uuid(uuid, "routing_form_submission")
        return self._get(f"/routing_form_submissions/{uuid}")


__all__ = ["RoutingForms"]
