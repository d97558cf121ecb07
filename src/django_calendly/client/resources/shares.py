"""``shares.*``: "customize once and share" variants of a one-on-one event type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .. import validation as v
from .base import Params, Resource, ResourceGroup


def _date(value: Any, name: str) -> str:
    """A calendar date, ``YYYY-MM-DD``."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise v.InvalidArgument(f"{name} must be a date (YYYY-MM-DD).", name)


def share_settings(
    *,
    name: str | None = None,
    duration: int | None = None,
    duration_options: Iterable[int] | None = None,
    period_type: str | None = None,
    start_date: date | str | None = None,
    end_date: date | str | None = None,
    max_booking_time: int | None = None,
    hide_location: bool | None = None,
    location_configurations: Iterable[dict[str, Any]] | None = None,
    availability_rule: dict[str, Any] | None = None,
) -> Params:
    """The share fields given, each checked (the rules of ``Shares.create``). Public so the
    REST serializers apply the same rules before any call."""
    body: Params = {}
    if name is not None:
        body["name"] = v.validate_text(name, "name", v.MAX_SHARE_NAME)
    if duration is not None:
        body["duration"] = v.validate_duration(duration)
    if duration_options is not None:
        body["duration_options"] = v.validate_duration_options(duration_options)
    if period_type is not None:
        body["period_type"] = v.validate_choice(
            period_type, v.SHARE_PERIOD_TYPES, "period_type"
        )
        if period_type == "fixed" and (start_date is None or end_date is None):
            raise v.InvalidArgument(
                "start_date and end_date are required when period_type is 'fixed'.",
                "start_date" if start_date is None else "end_date",
            )
        if period_type in ("moving", "available_moving") and max_booking_time is None:
            raise v.InvalidArgument(
                f"max_booking_time is required when period_type is '{period_type}'.",
                "max_booking_time",
            )
    if start_date is not None:
        body["start_date"] = _date(start_date, "start_date")
    if end_date is not None:
        body["end_date"] = _date(end_date, "end_date")
    if "start_date" in body and "end_date" in body and body["end_date"] < body["start_date"]:
        raise v.InvalidArgument("end_date must not be before start_date.", "end_date")
    if max_booking_time is not None:
        if isinstance(max_booking_time, bool) or not isinstance(max_booking_time, int) or (
            max_booking_time < 1
        ):
            raise v.InvalidArgument(
                "max_booking_time must be a positive integer.", "max_booking_time"
            )
        body["max_booking_time"] = max_booking_time
    if hide_location is not None:
        body["hide_location"] = v.validate_bool(hide_location, "hide_location")
    if location_configurations is not None:
        body["location_configurations"] = _location_configurations(location_configurations)
    if availability_rule is not None:
        body["availability_rule"] = _availability_rule(availability_rule)
    return body


class Shares(ResourceGroup):
    """``POST /shares`` (REFERENCE.md sections 7 and 9; fields from openapi.yaml ``/shares``)."""

    def create(
        self,
        event_type: str,
        *,
        name: str | None = None,
        duration: int | None = None,
        duration_options: Iterable[int] | None = None,
        period_type: str | None = None,
        start_date: date | str | None = None,
        end_date: date | str | None = None,
        max_booking_time: int | None = None,
        hide_location: bool | None = None,
        location_configurations: Iterable[dict[str, Any]] | None = None,
        availability_rule: dict[str, Any] | None = None,
    ) -> Resource:
        """``POST /shares`` (201) for a one-on-one ``event_type`` URI.
        Scope ``shares:write``.

        ``name`` is at most 55 characters, ``duration`` 1-720 minutes and
        ``duration_options`` at most 4 unique ones;
        ``start_date``/``end_date`` are required with ``period_type`` ``fixed`` and
        ``max_booking_time`` with ``moving``/``available_moving``.
        """
        body: Params = {"event_type": self._uri(event_type, "event_type", "event_type")}
        body.update(share_settings(
            name=name, duration=duration, duration_options=duration_options,
            period_type=period_type, start_date=start_date, end_date=end_date,
            max_booking_time=max_booking_time, hide_location=hide_location,
            location_configurations=location_configurations,
            availability_rule=availability_rule,
        ))
        return self._post("/shares", body)


def _location_configurations(values: Any) -> list[dict[str, Any]]:
    """Location objects; ``location`` and ``additional_info``, when given, are strings of
    at most 255 characters (openapi.yaml ``/shares``)."""
    items = v.validate_objects(values, "location_configurations")
    for index, item in enumerate(items):
        for key in ("location", "additional_info"):
            if item.get(key) is None:
                continue
            name = f"location_configurations[{index}].{key}"
            if not isinstance(item[key], str) or len(item[key]) > v.MAX_LOCATION_TEXT:
                raise v.InvalidArgument(
                    f"{name} must be a string of at most {v.MAX_LOCATION_TEXT} characters.",
                    name,
                )
    return items


def _availability_rule(value: Any, name: str = "availability_rule") -> dict[str, Any]:
    """``{timezone, rules[]}``: both required when a rule is given (openapi.yaml)."""
    rule = v.validate_object(value, name)
    if not isinstance(rule.get("timezone"), str) or not rule["timezone"]:
        raise v.InvalidArgument(f"{name}.timezone is required.", f"{name}.timezone")
    v.validate_objects(rule.get("rules"), f"{name}.rules")
    return rule


__all__ = ["Shares", "share_settings"]
