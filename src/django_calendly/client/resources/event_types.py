"""``event_types.*``: event types, one-off event types, hosts and availability rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .. import validation as v
from ..pagination import Page
from .base import Items, Params, Resource, ResourceGroup

MAX_NAME = v.MAX_EVENT_TYPE_NAME
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: ``availability_setting`` of ``PATCH /event_type_availability_schedules`` (section 9).
AVAILABILITY_SETTINGS = ("host",)


def _color(value: Any) -> str:
    if not isinstance(value, str) or not _COLOR.fullmatch(value):
        raise v.InvalidArgument("color must be a hex colour such as #1a2b3c.", "color")
    return value


def event_type_settings(
    name: str | None, duration: int | None, duration_options: Iterable[int] | None,
    locations: Iterable[dict[str, Any]] | None, color: str | None, locale: str | None,
    active: bool | None, description: str | None,
) -> Params:
    """The event-type fields given, each checked (duration 1-720, <= 4 unique options).

    Public so the REST serializers apply the same rules before any call."""
    body: Params = {}
    if name is not None:
        body["name"] = v.validate_text(name, "name", MAX_NAME)
    if duration is not None:
        body["duration"] = v.validate_duration(duration)
    if duration_options is not None:
        body["duration_options"] = v.validate_duration_options(duration_options)
        if duration is not None and duration not in body["duration_options"]:
            raise v.InvalidArgument(
                "duration must be one of duration_options when both are given.", "duration"
            )
    if locations is not None:
        body["locations"] = v.validate_objects(locations, "locations")
    if color is not None:
        body["color"] = _color(color)
    if locale is not None:
        body["locale"] = v.validate_text(locale, "locale", 20)
    if active is not None:
        body["active"] = v.validate_bool(active, "active")
    if description is not None:
        if not isinstance(description, str) or len(description) > 10_000:
            raise v.InvalidArgument(
                "description must be a string of at most 10000 characters.", "description"
            )
        body["description"] = description
    return body


def check_availability_rule(value: Any) -> dict[str, Any]:
    """``availability_rule``: ``timezone`` and ``rules[]`` required, ``user`` optional."""
    rule = v.validate_object(value, "availability_rule")
    v.validate_text(rule.get("timezone"), "availability_rule.timezone", 100)
    v.validate_objects(rule.get("rules"), "availability_rule.rules")
    return rule


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
            raise v.InvalidArgument("Give exactly one of organization or user.", "organization")
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
        """``GET /event_types`` (one page); exactly one of ``organization``/``user``.

        Scope ``event_types:read``.
        """
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
        """``GET /event_types/{uuid}``. Scope ``event_types:read``."""
        return self._get(f"/event_types/{self._uuid(uuid, 'event_type')}")

    def create(
        self,
        *,
        owner: str,
        name: str,
        duration: int | None = None,
        duration_options: Iterable[int] | None = None,
        locations: Iterable[dict[str, Any]] | None = None,
        color: str | None = None,
        locale: str | None = None,
        active: bool | None = None,
        description: str | None = None,
    ) -> Resource:
        """``POST /event_types`` (201): a one-on-one event type owned by ``owner`` (a user
        URI). Scope ``event_types:write``.

        ``duration`` is 1-720 minutes; ``duration_options`` at most 4 unique durations.
        """
        body: Params = {
            "owner": self._uri(owner, "user", "owner"),
            "name": v.validate_text(name, "name", MAX_NAME),
        }
        body.update(event_type_settings(
            None, duration, duration_options, locations, color, locale, active, description
        ))
        return self._post("/event_types", body)

    def update(
        self,
        uuid: str,
        *,
        name: str | None = None,
        duration: int | None = None,
        duration_options: Iterable[int] | None = None,
        locations: Iterable[dict[str, Any]] | None = None,
        color: str | None = None,
        locale: str | None = None,
        active: bool | None = None,
        description: str | None = None,
    ) -> Resource:
        """``PATCH /event_types/{uuid}``: change a one-on-one event type (at least one
        field). Scope ``event_types:write``."""
        path = f"/event_types/{self._uuid(uuid, 'event_type')}"
        self._changes(
            {"name": name, "duration": duration, "duration_options": duration_options,
             "locations": locations, "color": color, "locale": locale, "active": active,
             "description": description},
            "event type",
        )
        body = event_type_settings(
            name, duration, duration_options, locations, color, locale, active, description
        )
        return self._patch(path, body)

    def create_one_off(
        self,
        *,
        name: str,
        host: str,
        duration: int,
        date_setting: dict[str, Any],
        co_hosts: Iterable[str] | None = None,
        timezone: str | None = None,
        location: dict[str, Any] | None = None,
    ) -> Resource:
        """``POST /one_off_event_types`` (201): a one-off meeting type hosted by ``host``
        (a user URI). Scope ``event_types:write``.

        ``name`` (at most 55 characters), ``host``, ``duration`` (1-720) and
        ``date_setting`` are required.
        """
        body: Params = {
            "name": v.validate_text(name, "name", v.MAX_ONE_OFF_NAME),
            "host": self._uri(host, "user", "host"),
            "duration": v.validate_duration(duration),
            "date_setting": v.validate_object(date_setting, "date_setting"),
        }
        if co_hosts is not None:
            body["co_hosts"] = self._uris(co_hosts, "user", "co_hosts")
        if timezone is not None:
            body["timezone"] = v.validate_text(timezone, "timezone", 100)
        if location is not None:
            body["location"] = v.validate_object(location, "location")
        return self._post("/one_off_event_types", body)

    def _membership_query(
        self, event_type: str, count: int | None, page_token: str | None
    ) -> Params:
        params: Params = {"event_type": self._uri(event_type, "event_type", "event_type")}
        return self._paging(params, count=count, page_token=page_token)

    def list_memberships(
        self, *, event_type: str, count: int | None = None, page_token: str | None = None
    ) -> Page:
        """``GET /event_type_memberships?event_type=`` (one page): the event type's hosts.
        Scope ``event_types:read``."""
        return self._page(
            "/event_type_memberships", self._membership_query(event_type, count, page_token)
        )

    def iter_memberships(
        self, *, event_type: str, count: int | None = None, page_token: str | None = None
    ) -> Iterator[Resource]:
        """Every host of the event type, across pages (scope ``event_types:read``)."""
        return self._iter(
            "/event_type_memberships", self._membership_query(event_type, count, page_token)
        )

    def get_availability_schedules(self, event_type: str) -> Items:
        """``GET /event_type_availability_schedules?event_type=``: the availability rules
        the event type uses (not paged). Scope ``availability:read``."""
        params = {"event_type": self._uri(event_type, "event_type", "event_type")}
        return self._collection("/event_type_availability_schedules", params)

    def update_availability_schedules(
        self,
        event_type: str,
        availability_rule: dict[str, Any],
        availability_setting: str = "host",
    ) -> dict[str, Any]:
        """``PATCH /event_type_availability_schedules?event_type=``: replace the event
        type's availability rules. Scope ``availability:write``.

        ``availability_rule`` is ``{timezone, rules[], user?}``; ``availability_setting``
        is ``host`` (the only value documented).
        """
        params = {"event_type": self._uri(event_type, "event_type", "event_type")}
        body = {
            "availability_rule": check_availability_rule(availability_rule),
            "availability_setting": v.validate_choice(
                availability_setting, AVAILABILITY_SETTINGS, "availability_setting"
            ),
        }
        return self._object(self._client.request(
            "PATCH", "/event_type_availability_schedules", params=params, json=body
        ))


__all__ = ["EventTypes", "check_availability_rule", "event_type_settings"]
