"""The event-type endpoints in resource-oriented form: ``event-types/`` (list, create),
``event-types/<uuid>/`` (get, change), its ``hosts/``, ``availability/`` and
``available-times/``, and ``one-off-event-types/``. The original module's paths
(``event/types/``, ``single/event/types/<uuid>/``, ``event/type/available-times/``) stay in
``event_types.py`` and ``availability.py``.

Writes follow ``ownership``: your own event types with the read permission, anyone's with
the write permission.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import event_types as service
from .. import serializers as s
from .. import serializers_event_types as es
from ..responses import collection_response, paged_response, resource_response
from ..schema import document, path_uuid
from .base import COLLECTION, CREATED, PAGED, RESOURCE
from .ownership import OWN_OR_WRITE, OwnOrWriteView, event_type_uri

EVENT_TYPE_UUID = path_uuid("uuid", "Event type uuid (last segment of its URI).")
_ET = "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA"
_USER = "https://api.calendly.com/users/BBBBBBBBBBBBBBBB"
_EVENT_TYPE = {
    "uri": _ET, "name": "Intro call", "active": True, "kind": "solo", "duration": 30,
    "duration_options": [15, 30], "color": "#0069ff", "locale": "en",
    "profile": {"type": "User", "name": "Ada", "owner": _USER},
    "scheduling_url": "https://calendly.com/ada/intro-call",
}


def _example(name: str, value: object, *, request: bool = False) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=request, response_only=not request)


class EventTypeCollectionView(OwnOrWriteView):
    @document(
        "calendly_event_types_v2_list",
        "List event types of an organization or a user",
        description="Exactly one of `organization` or `user` is required; `admin_managed` and "
        "`user_availability_schedule` filter further.",
        query=es.EventTypeListQuery,
        success=PAGED,
    )
    def get(self, request: Request) -> Response:
        filters = self.query(es.EventTypeListQuery)
        return paged_response(request, service.list_event_types(request.user, **filters))

    @document(
        "calendly_event_type_create",
        "Create a one-on-one event type",
        description="`owner` and `name` required; `duration` 1-720 minutes, "
        "`duration_options` at most 4 unique ones (containing `duration` when both are "
        "given). The event type is written to the local mirror at once (`local/event-types/`)."
        f"\n\n{OWN_OR_WRITE}",
        request=es.EventTypeCreateBody,
        success=CREATED,
        extra_errors=(422,),
        examples=[
            _example("Create", {"owner": _USER, "name": "Intro call", "duration": 30,
                                "duration_options": [15, 30], "color": "#0069ff",
                                "locations": [{"kind": "zoom_conference"}]}, request=True),
            _example("Created", {"resource": _EVENT_TYPE}),
        ],
    )
    def post(self, request: Request) -> Response:
        body = self.body(es.EventTypeCreateBody)
        self.require_own_user(body["owner"], "create event types")
        return resource_response(
            service.create_event_type(request.user, **body), status.HTTP_201_CREATED
        )


class EventTypeResourceView(OwnOrWriteView):
    @document(
        "calendly_event_type_v2_get",
        "Get an event type",
        path=[EVENT_TYPE_UUID],
        success=RESOURCE,
        examples=[_example("Event type", {"resource": _EVENT_TYPE})],
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_event_type(request.user, uuid))

    @document(
        "calendly_event_type_update",
        "Change a one-on-one event type",
        description="At least one field. Only one-on-one (solo) event types can be changed "
        "(Calendly answers 400 otherwise). The mirror row is updated at once."
        f"\n\n{OWN_OR_WRITE}",
        path=[EVENT_TYPE_UUID],
        request=es.EventTypeUpdateBody,
        success=RESOURCE,
        examples=[
            _example("Rename", {"name": "Intro call (30 min)", "active": False}, request=True),
            _example("Changed", {"resource": {**_EVENT_TYPE, "name": "Intro call (30 min)",
                                              "active": False}}),
        ],
    )
    def patch(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(es.EventTypeUpdateBody)
        self.require_event_type_owner(uuid, "change event types")
        return resource_response(service.update_event_type(request.user, uuid, **body))


class EventTypeHostsView(OwnOrWriteView):
    @document(
        "calendly_event_type_hosts",
        "List the hosts of an event type (event type memberships)",
        path=[EVENT_TYPE_UUID],
        query=s.PagingQuery,
        success=PAGED,
        examples=[_example("Hosts", {
            "collection": [{"event_type": _ET, "member": {"user": _USER}}],
            "pagination": {"count": 1, "next_page": None, "previous_page": None,
                           "next_page_token": None, "previous_page_token": None},
        })],
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        paging = self.query(s.PagingQuery)
        return paged_response(
            request, service.list_hosts(request.user, event_type_uri(uuid), **paging)
        )


_RULE = {
    "timezone": "Europe/Paris",
    "rules": [{"type": "wday", "wday": "monday",
               "intervals": [{"from": "09:00", "to": "12:00"}]}],
}


class EventTypeAvailabilityView(OwnOrWriteView):
    @document(
        "calendly_event_type_availability_get",
        "The availability schedules an event type uses",
        description="Not paginated.",
        path=[EVENT_TYPE_UUID],
        success=COLLECTION,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return collection_response(service.get_availability(request.user, event_type_uri(uuid)))

    @document(
        "calendly_event_type_availability_update",
        "Replace the availability rules of an event type",
        description="`availability_rule` (`timezone`, `rules[]`, optional `user`) replaces "
        "the event type's rules; `availability_setting` is `host` (the only value "
        f"documented). Answers the schedules now in use, as the GET does."
        f"\n\n{OWN_OR_WRITE}",
        path=[EVENT_TYPE_UUID],
        request=es.AvailabilityPatchBody,
        success=COLLECTION,
        examples=[_example("Mornings", {"availability_rule": _RULE}, request=True)],
    )
    def patch(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(es.AvailabilityPatchBody)
        self.require_event_type_owner(uuid, "change the availability of event types")
        answer = service.update_availability(
            request.user, event_type_uri(uuid), body["availability_rule"],
            body.get("availability_setting") or "host",
        )
        collection = answer.get("collection")
        if isinstance(collection, list):  # what Calendly answers: the schedules now in use
            return collection_response(collection)
        return resource_response(answer)


class EventTypeOpenSlotsView(OwnOrWriteView):
    @document(
        "calendly_event_type_open_slots",
        "Available times of an event type",
        description="`start_time` not in the past; range at most 31 days. Not paginated. "
        "The same Calendly operation as `event/type/available-times/`.",
        path=[EVENT_TYPE_UUID],
        query=es.TimeRangeQuery,
        success=COLLECTION,
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        q = self.query(es.TimeRangeQuery)
        return collection_response(service.available_times(
            request.user, event_type_uri(uuid),
            start_time=q["start_time"], end_time=q["end_time"],
        ))


class OneOffEventTypesView(OwnOrWriteView):
    @document(
        "calendly_one_off_event_type_create",
        "Create a one-off meeting type",
        description="`name`, `host`, `duration` (1-720) and `date_setting` required; "
        f"`co_hosts`, `timezone`, `location` optional.\n\n{OWN_OR_WRITE} (The rule "
        "applies to `host`.)",
        request=es.OneOffEventTypeBody,
        success=CREATED,
        extra_errors=(422,),
        examples=[_example("One-off", {
            "name": "Contract review", "host": _USER, "duration": 45,
            "timezone": "Europe/Paris",
            "date_setting": {"type": "date_range", "start_date": "2027-01-04",
                             "end_date": "2027-01-08"},
            "location": {"kind": "physical", "location": "Main office"},
        }, request=True)],
    )
    def post(self, request: Request) -> Response:
        body = self.body(es.OneOffEventTypeBody)
        self.require_own_user(body["host"], "create one-off event types")
        return resource_response(
            service.create_one_off_event_type(request.user, **body), status.HTTP_201_CREATED
        )
