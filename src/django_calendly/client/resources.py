"""Resource groups of ``CalendlyClient``: one class per Calendly collection.

Each method validates its arguments (``validation``) before anything is sent, then maps
to exactly one Calendly operation (REFERENCE.md section 8 and the extra reads listed in
docs/client.md). Where a uuid is expected, the full resource URI is accepted as well.
``iter*`` methods validate at call time and return a lazy iterator over every item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import validation as v
from .errors import InvalidResponse
from .pagination import Page, collection, iter_items, page_from

if TYPE_CHECKING:
    from .client import CalendlyClient

Resource = dict[str, Any]
Items = list[dict[str, Any]]
DateTime = datetime | str
Params = dict[str, Any]

ITER_PAGE_SIZE = 100


class ResourceGroup:
    """Shared plumbing of the resource groups."""

    def __init__(self, client: CalendlyClient) -> None:
        self._client = client

    @property
    def _base(self) -> str:
        return self._client.base_url

    def _uuid(self, value: Any, kind: str, name: str = "uuid", allow_me: bool = False) -> str:
        return v.uuid_or_uri(value, kind, self._base, name=name, allow_me=allow_me)

    def _uri(self, value: Any, kind: str) -> str:
        return v.validate_uri(value, kind, self._base)

    def _paging(
        self,
        params: Params,
        *,
        sort: str | None = None,
        sort_endpoint: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Params:
        if sort is not None and sort_endpoint is not None:
            params["sort"] = v.validate_sort(sort, sort_endpoint)
        if count is not None:
            params["count"] = v.validate_count(count)
        if page_token is not None:
            params["page_token"] = v.validate_page_token(page_token)
        return params

    def _resource(self, body: Any) -> Resource:
        resource = body.get("resource") if isinstance(body, dict) else None
        if not isinstance(resource, dict):
            raise InvalidResponse("The response has no 'resource' object.")
        return resource

    def _get(self, path: str, params: Params | None = None) -> Resource:
        return self._resource(self._client.request("GET", path, params=params))

    def _post(self, path: str, json: Any) -> Resource:
        return self._resource(self._client.request("POST", path, json=json))

    def _delete(self, path: str) -> None:
        self._client.request("DELETE", path)

    def _page(self, path: str, params: Params) -> Page:
        return page_from(self._client.request("GET", path, params=params))

    def _iter(self, path: str, params: Params) -> Iterator[Resource]:
        params.setdefault("count", ITER_PAGE_SIZE)
        first_token = params.pop("page_token", None)

        def fetch(token: str | None) -> Page:
            query = dict(params)
            if token is not None:
                query["page_token"] = token
            return self._page(path, query)

        return iter_items(fetch, first_token)

    def _collection(self, path: str, params: Params) -> Items:
        return collection(self._client.request("GET", path, params=params))


class Users(ResourceGroup):
    """``/users``."""

    def get(self, uuid: str = "me") -> Resource:
        """``GET /users/{uuid}``; ``me`` is the token's user."""
        return self._get(f"/users/{self._uuid(uuid, 'user', allow_me=True)}")

    def me(self) -> Resource:
        """``GET /users/me``."""
        return self.get("me")


class Organizations(ResourceGroup):
    """``/organizations/{uuid}`` and its invitations."""

    def get(self, uuid: str) -> Resource:
        """``GET /organizations/{uuid}``."""
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
        """``GET /organizations/{uuid}/invitations`` (one page)."""
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
        """``POST /organizations/{uuid}/invitations`` (201)."""
        org = self._uuid(org_uuid, "organization", "org_uuid")
        return self._post(f"/organizations/{org}/invitations", {"email": v.validate_email(email)})

    def _invitation_path(self, org_uuid: str, uuid: str) -> str:
        if isinstance(uuid, str) and uuid.startswith(("http://", "https://")):
            parts = v.parse_uri(uuid, "invitation", self._base)
            return f"/organizations/{parts['org_uuid']}/invitations/{parts['uuid']}"
        org = self._uuid(org_uuid, "organization", "org_uuid")
        return f"/organizations/{org}/invitations/{v.validate_uuid(uuid)}"

    def get_invitation(self, org_uuid: str, uuid: str) -> Resource:
        """``GET /organizations/{org_uuid}/invitations/{uuid}``."""
        return self._get(self._invitation_path(org_uuid, uuid))

    def revoke_invitation(self, org_uuid: str, uuid: str) -> None:
        """``DELETE /organizations/{org_uuid}/invitations/{uuid}`` (204)."""
        self._delete(self._invitation_path(org_uuid, uuid))


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
            raise ValueError("Give organization, user, or both.")
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
        """``GET /organization_memberships`` (one page)."""
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
        """``GET /organization_memberships/{uuid}``."""
        return self._get(f"/organization_memberships/{self._uuid(uuid, 'organization_membership')}")

    def delete(self, uuid: str) -> None:
        """``DELETE /organization_memberships/{uuid}`` (204)."""
        self._delete(f"/organization_memberships/{self._uuid(uuid, 'organization_membership')}")


class EventTypes(ResourceGroup):
    """``/event_types``."""

    def _query(
        self,
        organization: str | None,
        user: str | None,
        active: bool | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
        user_availability_schedule: str | None,
        admin_managed: bool | None,
    ) -> Params:
        if (organization is None) == (user is None):
            raise ValueError("Give exactly one of organization or user.")
        params: Params = {}
        if organization is not None:
            params["organization"] = self._uri(organization, "organization")
        if user is not None:
            params["user"] = self._uri(user, "user")
        if active is not None:
            params["active"] = "true" if v.validate_bool(active, "active") else "false"
        if user_availability_schedule is not None:
            params["user_availability_schedule"] = self._uri(
                user_availability_schedule, "availability_schedule"
            )
        if admin_managed is not None:
            params["admin_managed"] = (
                "true" if v.validate_bool(admin_managed, "admin_managed") else "false"
            )
        return self._paging(
            params, sort=sort, sort_endpoint="event_types", count=count, page_token=page_token
        )

    def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        active: bool | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
        user_availability_schedule: str | None = None,
        admin_managed: bool | None = None,
    ) -> Page:
        """``GET /event_types`` (one page); exactly one of ``organization``/``user``."""
        return self._page(
            "/event_types",
            self._query(
                organization, user, active, sort, count, page_token,
                user_availability_schedule, admin_managed,
            ),
        )

    def iter(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        active: bool | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
        user_availability_schedule: str | None = None,
        admin_managed: bool | None = None,
    ) -> Iterator[Resource]:
        """Every event type, across pages."""
        return self._iter(
            "/event_types",
            self._query(
                organization, user, active, sort, count, page_token,
                user_availability_schedule, admin_managed,
            ),
        )

    def get(self, uuid: str) -> Resource:
        """``GET /event_types/{uuid}``."""
        return self._get(f"/event_types/{self._uuid(uuid, 'event_type')}")


class Availability(ResourceGroup):
    """Available times, busy times and availability schedules (unpaged lists)."""

    def event_type_available_times(
        self, event_type: str, start_time: DateTime, end_time: DateTime
    ) -> Items:
        """``GET /event_type_available_times`` (range at most 31 days)."""
        start, end = v.validate_time_range(start_time, end_time, v.AVAILABLE_TIMES_MAX_RANGE)
        params = {
            "event_type": self._uri(event_type, "event_type"),
            "start_time": start,
            "end_time": end,
        }
        return self._collection("/event_type_available_times", params)

    def user_busy_times(self, user: str, start_time: DateTime, end_time: DateTime) -> Items:
        """``GET /user_busy_times`` (range at most 7 days)."""
        start, end = v.validate_time_range(start_time, end_time, v.BUSY_TIMES_MAX_RANGE)
        params = {"user": self._uri(user, "user"), "start_time": start, "end_time": end}
        return self._collection("/user_busy_times", params)

    def list_schedules(self, user: str) -> Items:
        """``GET /user_availability_schedules?user=``."""
        return self._collection("/user_availability_schedules", {"user": self._uri(user, "user")})

    def get_schedule(self, uuid: str) -> Resource:
        """``GET /user_availability_schedules/{uuid}``."""
        uuid = self._uuid(uuid, "availability_schedule")
        return self._get(f"/user_availability_schedules/{uuid}")


class ScheduledEvents(ResourceGroup):
    """``/scheduled_events``."""

    def _query(
        self,
        organization: str | None,
        user: str | None,
        group: str | None,
        invitee_email: str | None,
        status: str | None,
        min_start_time: DateTime | None,
        max_start_time: DateTime | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
    ) -> Params:
        if organization is None and user is None and group is None:
            raise ValueError("Give organization, user or group (see Calendly's scope rules).")
        params: Params = {}
        if organization is not None:
            params["organization"] = self._uri(organization, "organization")
        if user is not None:
            params["user"] = self._uri(user, "user")
        if group is not None:
            params["group"] = self._uri(group, "group")
        if invitee_email is not None:
            params["invitee_email"] = v.validate_email(invitee_email, "invitee_email")
        if status is not None:
            params["status"] = v.validate_choice(status, v.EVENT_STATUSES, "status")
        if min_start_time is not None:
            params["min_start_time"] = v.validate_datetime(min_start_time, "min_start_time")
        if max_start_time is not None:
            params["max_start_time"] = v.validate_datetime(max_start_time, "max_start_time")
        v.validate_start_time_bounds(params.get("min_start_time"), params.get("max_start_time"))
        return self._paging(
            params, sort=sort, sort_endpoint="scheduled_events", count=count,
            page_token=page_token,
        )

    def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: str | None = None,
        min_start_time: DateTime | None = None,
        max_start_time: DateTime | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /scheduled_events`` (one page)."""
        return self._page(
            "/scheduled_events",
            self._query(
                organization, user, group, invitee_email, status, min_start_time,
                max_start_time, sort, count, page_token,
            ),
        )

    def iter(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: str | None = None,
        min_start_time: DateTime | None = None,
        max_start_time: DateTime | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every scheduled event, across pages."""
        return self._iter(
            "/scheduled_events",
            self._query(
                organization, user, group, invitee_email, status, min_start_time,
                max_start_time, sort, count, page_token,
            ),
        )

    def get(self, uuid: str) -> Resource:
        """``GET /scheduled_events/{uuid}``."""
        return self._get(f"/scheduled_events/{self._uuid(uuid, 'scheduled_event')}")

    def cancel(self, uuid: str, reason: str | None = None) -> Resource:
        """``POST /scheduled_events/{uuid}/cancellation`` (201); returns the cancellation."""
        body: Params = {}
        if reason is not None:
            body["reason"] = v.validate_reason(reason)
        return self._post(
            f"/scheduled_events/{self._uuid(uuid, 'scheduled_event')}/cancellation", body
        )


class Invitees(ResourceGroup):
    """``/scheduled_events/{uuid}/invitees``."""

    def _query(
        self,
        event_uuid: str,
        status: str | None,
        email: str | None,
        sort: str | None,
        count: int | None,
        page_token: str | None,
    ) -> tuple[str, Params]:
        path = (
            f"/scheduled_events/{self._uuid(event_uuid, 'scheduled_event', 'event_uuid')}"
            "/invitees"
        )
        params: Params = {}
        if status is not None:
            params["status"] = v.validate_choice(status, v.INVITEE_STATUSES, "status")
        if email is not None:
            params["email"] = v.validate_email(email)
        return path, self._paging(
            params, sort=sort, sort_endpoint="invitees", count=count, page_token=page_token
        )

    def list(
        self,
        event_uuid: str,
        *,
        status: str | None = None,
        email: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /scheduled_events/{uuid}/invitees`` (one page)."""
        return self._page(*self._query(event_uuid, status, email, sort, count, page_token))

    def iter(
        self,
        event_uuid: str,
        *,
        status: str | None = None,
        email: str | None = None,
        sort: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every invitee of the event, across pages."""
        return self._iter(*self._query(event_uuid, status, email, sort, count, page_token))

    def get(self, event_uuid: str, invitee_uuid: str | None = None) -> Resource:
        """``GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}``.

        ``get(invitee_uri)`` with the invitee's full URI works too.
        """
        if invitee_uuid is None:
            parts = v.parse_uri(event_uuid, "invitee", self._base)
            event, invitee = parts["event_uuid"], parts["uuid"]
        else:
            event = self._uuid(event_uuid, "scheduled_event", "event_uuid")
            invitee = self._uuid(invitee_uuid, "invitee", "invitee_uuid")
        return self._get(f"/scheduled_events/{event}/invitees/{invitee}")


class NoShows(ResourceGroup):
    """``/invitee_no_shows``."""

    def create(self, invitee_uri: str) -> Resource:
        """``POST /invitee_no_shows`` (201) for an invitee URI."""
        return self._post("/invitee_no_shows", {"invitee": self._uri(invitee_uri, "invitee")})

    def get(self, uuid: str) -> Resource:
        """``GET /invitee_no_shows/{uuid}``."""
        return self._get(f"/invitee_no_shows/{self._uuid(uuid, 'invitee_no_show')}")

    def delete(self, uuid: str) -> None:
        """``DELETE /invitee_no_shows/{uuid}`` (204)."""
        self._delete(f"/invitee_no_shows/{self._uuid(uuid, 'invitee_no_show')}")


class DataCompliance(ResourceGroup):
    """``/data_compliance`` (Enterprise plans)."""

    def delete_invitee_data(self, emails: Iterable[str]) -> dict[str, Any]:
        """``POST /data_compliance/deletion/invitees`` (202, asynchronous)."""
        body = self._client.request(
            "POST", "/data_compliance/deletion/invitees", json={"emails": v.validate_emails(emails)}
        )
        return body if isinstance(body, dict) else {}


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
        """``POST /webhook_subscriptions`` (201; 409 ``Conflict`` if the URL exists)."""
        scoping = v.validate_webhook_scope(scope, user, group, self._base)
        body: Params = {
            "url": v.validate_url(url),
            "events": v.validate_events(events, scope),
            "organization": self._uri(organization, "organization"),
        }
        body.update(scoping)
        if signing_key is not None:
            if not isinstance(signing_key, str) or not signing_key:
                raise ValueError("signing_key must be a non-empty string.")
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
        """``GET /webhook_subscriptions`` (one page)."""
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
        """``GET /webhook_subscriptions/{uuid}``."""
        return self._get(f"/webhook_subscriptions/{self._uuid(uuid, 'webhook_subscription')}")

    def delete(self, uuid: str) -> None:
        """``DELETE /webhook_subscriptions/{uuid}`` (204)."""
        self._delete(f"/webhook_subscriptions/{self._uuid(uuid, 'webhook_subscription')}")

    def sample(
        self,
        event: str,
        organization: str,
        scope: str,
        user: str | None = None,
        group: str | None = None,
    ) -> dict[str, Any]:
        """``GET /sample_webhook_data``: a sample delivery envelope for ``event``."""
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


__all__ = [
    "Availability",
    "DataCompliance",
    "EventTypes",
    "Invitees",
    "Memberships",
    "NoShows",
    "Organizations",
    "ScheduledEvents",
    "Users",
    "Webhooks",
]
