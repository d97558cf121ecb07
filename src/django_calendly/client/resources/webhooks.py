"""``webhooks.*``: webhook subscriptions and sample webhook data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import validation as v
from ..errors import InvalidResponse
from ..pagination import Page
from .base import Params, Resource, ResourceGroup


class Webhooks(ResourceGroup):
    """``/webhook_subscriptions`` and ``/sample_webhook_data``."""

    def create(
        self,
        *,
        url: str,
        events: Iterable[str],
        organization: str,
        scope: str,
        user: str | None = None,
        group: str | None = None,
        signing_key: str | None = None,
    ) -> Resource:
        """``POST /webhook_subscriptions`` (201; 409 ``Conflict`` if the URL exists).

        Scope ``webhooks:write``.
        """
        scoping = v.validate_webhook_scope(scope, user, group, self._base)
        body: Params = {
            "url": v.validate_url(url),
            "events": v.validate_events(events, scope),
            "organization": self._uri(organization, "organization"),
        }
        body.update(scoping)
        if signing_key is not None:
            if not isinstance(signing_key, str) or not signing_key:
                raise v.InvalidArgument("signing_key must be a non-empty string.", "signing_key")
            body["signing_key"] = signing_key
        return self._post("/webhook_subscriptions", body)

    def _query(
        self,
        organization: str,
        scope: str,
        user: str | None,
        group: str | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
    ) -> Params:
        params: Params = {"organization": self._uri(organization, "organization")}
        params.update(v.validate_webhook_scope(scope, user, group, self._base))
        return self._paging(
            params, sort=sort, sort_endpoint="webhook_subscriptions", count=count,
            page_token=page_token,
        )

    def list(
        self,
        *,
        organization: str,
        scope: str,
        user: str | None = None,
        group: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /webhook_subscriptions`` (one page). Scope ``webhooks:read``."""
        return self._page(
            "/webhook_subscriptions",
            self._query(organization, scope, user, group, sort, count, page_token),
        )

    def iter(
        self,
        *,
        organization: str,
        scope: str,
        user: str | None = None,
        group: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every subscription, across pages."""
        return self._iter(
            "/webhook_subscriptions",
            self._query(organization, scope, user, group, sort, count, page_token),
        )

    def get(self, uuid: str) -> Resource:
        """``GET /webhook_subscriptions/{uuid}``. Scope ``webhooks:read``."""
        return self._get(f"/webhook_subscriptions/{self._uuid(uuid, 'webhook_subscription')}")

    def delete(self, uuid: str) -> None:
        """``DELETE /webhook_subscriptions/{uuid}`` (204). Scope ``webhooks:write``."""
        self._delete(f"/webhook_subscriptions/{self._uuid(uuid, 'webhook_subscription')}")

    def sample(
        self,
        event: str,
        organization: str,
        scope: str,
        user: str | None = None,
        group: str | None = None,
    ) -> dict[str, Any]:
        """``GET /sample_webhook_data``: a sample delivery envelope for ``event``.

        Scope ``webhooks:read``.
        """
        scoping = v.validate_webhook_scope(scope, user, group, self._base)
        params: Params = {
            "event": v.validate_events([event], scope)[0],
            "organization": self._uri(organization, "organization"),
        }
        params.update(scoping)
        body = self._client.request("GET", "/sample_webhook_data", params=params)
        if not isinstance(body, dict):
            raise InvalidResponse("The sample webhook data is not an object.")
        resource = body.get("resource")
        return resource if isinstance(resource, dict) and "event" not in body else body


__all__ = ["Webhooks"]
