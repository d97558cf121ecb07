"""The event-type and sharing endpoints (issue 12) against the sandbox over real HTTP:
event-types/ (list, create), event-types/<uuid>/ (get, change), hosts/, availability/,
available-times/, one-off-event-types/, scheduling-links/, shares/, locations/.

Each endpoint: a valid call (and the Calendly operations it really sent are in its row of
``endpoint_operations``), invalid input refused before any upstream call, and the
permission model: anonymous refused, a user without a connection refused, a connected user
acting on their own event types only, staff on anyone's.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from django_calendly.api.endpoint_operations import ENDPOINT_OPERATIONS
from django_calendly.client import CalendlyClient
from django_calendly.client.operations import BY_ROUTE
from django_calendly.models import CalendlyConnection, EventType
from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls
from .world import last

pytestmark = pytest.mark.django_db

RULE = {
    "timezone": "Europe/Paris",
    "rules": [{"type": "wday", "wday": "monday",
               "intervals": [{"from": "09:00", "to": "12:00"}]}],
}


@dataclass
class Setup:
    org: str
    admin: str  # the app token's user (an organization admin)
    member: str  # a plain member, whose token the connected user has
    event_type: str  # a fresh one-on-one event type of ``admin``
    member_event_type: str  # a fresh one-on-one event type of ``member``
    member_token: str

    @property
    def et_uuid(self) -> str:
        return last(self.event_type)


def _fresh_type(client: CalendlyClient, owner: str) -> str:
    name = f"T {uuid_module.uuid4().hex[:8]}"
    return str(client.event_types.create(owner=owner, name=name, duration=30)["uri"])


@pytest.fixture
def setup(sb: Sandbox, direct: CalendlyClient, settings: Any) -> Setup:
    settings.CALENDLY_ORGANIZATION = sb.organization_uri
    token, member = sb.add_token(role="user")
    with CalendlyClient(token=token, base_url=sb.url, max_retries=0) as as_member:
        member_type = _fresh_type(as_member, member)
    out = Setup(
        org=sb.organization_uri, admin=sb.user_uri, member=member,
        event_type=_fresh_type(direct, sb.user_uri), member_event_type=member_type,
        member_token=token,
    )
    sb.reset_stats()
    return out


def _range(days: float = 3) -> dict[str, str]:
    start = datetime.now(UTC) + timedelta(hours=1)
    return {"start_time": start.isoformat(), "end_time": (start + timedelta(days=days)).isoformat()}


@dataclass(frozen=True)
class Call:
    name: str  # URL name (row of ENDPOINT_OPERATIONS)
    method: str
    status: int
    request: Callable[[Setup], tuple[str, dict[str, Any]]]
    write: bool = False

    def __str__(self) -> str:
        return f"{self.method}-{self.name}"


def _new_type(s: Setup) -> dict[str, Any]:
    return {"owner": s.admin, "name": f"New {uuid_module.uuid4().hex[:8]}", "duration": 45,
            "duration_options": [30, 45], "color": "#1a2b3c", "active": True,
            "locations": [{"kind": "zoom_conference"}]}


def _one_off(host: str) -> dict[str, Any]:
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    return {"name": "Contract review", "host": host, "duration": 45,
            "timezone": "Europe/Paris",
            "date_setting": {"type": "date_range", "start_date": day.isoformat(),
                             "end_date": (day + timedelta(days=4)).isoformat()}}


CALLS = [
    Call("event-type-collection", "get", 200, lambda s: ("event-types/", {"organization": s.org})),
    Call("event-type-collection", "post", 201, lambda s: ("event-types/", _new_type(s)), True),
    Call("event-type-resource", "get", 200, lambda s: (f"event-types/{s.et_uuid}/", {})),
    Call("event-type-resource", "patch", 200,
         lambda s: (f"event-types/{s.et_uuid}/", {"name": "Renamed", "duration": 60}), True),
    Call("event-type-hosts", "get", 200, lambda s: (f"event-types/{s.et_uuid}/hosts/", {})),
    Call("event-type-availability", "get", 200,
         lambda s: (f"event-types/{s.et_uuid}/availability/", {})),
    Call("event-type-availability", "patch", 200,
         lambda s: (f"event-types/{s.et_uuid}/availability/", {"availability_rule": RULE}),
         True),
    Call("event-type-open-slots", "get", 200,
         lambda s: (f"event-types/{s.et_uuid}/available-times/", _range())),
    Call("one-off-event-types", "post", 201,
         lambda s: ("one-off-event-types/", _one_off(s.admin)), True),
    Call("scheduling-links", "post", 201,
         lambda s: ("scheduling-links/", {"owner": s.event_type}), True),
    Call("shares", "post", 201,
         lambda s: ("shares/", {"event_type": s.event_type, "name": "For ACME",
                                "duration": 45, "period_type": "fixed",
                                "start_date": "2027-01-04", "end_date": "2027-01-15"}), True),
    Call("locations", "get", 200, lambda s: ("locations/", {"user": s.admin})),
]


def send(client: APIClient, call: Call, s: Setup) -> Any:
    path, data = call.request(s)
    method = getattr(client, call.method)
    if call.method == "get":
        return method(BASE + path, data)
    return method(BASE + path, data, format="json")


def called_operations(sb: Sandbox) -> set[str]:
    return {
        BY_ROUTE[tuple(key.split(" ", 1))].name  # type: ignore[index]
        for key, count in sb.stats()["requests"].items()
        if count
    }


def test_every_route_is_called_here() -> None:
    names = {"event-type-collection", "event-type-resource", "event-type-hosts",
             "event-type-availability", "event-type-open-slots", "one-off-event-types",
             "scheduling-links", "shares", "locations"}
    assert {c.name for c in CALLS} == names
    assert names <= set(ENDPOINT_OPERATIONS)


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_staff_call_each_endpoint_and_only_its_operations(
    call: Call, sb: Sandbox, setup: Setup, api: APIClient
) -> None:
    response = send(api, call, setup)
    assert response.status_code == call.status, response.content[:500]
    body = response.json()
    assert "resource" in body or "collection" in body
    called = called_operations(sb)
    assert called, "the endpoint called Calendly"
    assert called <= set(ENDPOINT_OPERATIONS[call.name])


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_anonymous_is_refused_without_upstream_call(
    call: Call, sb: Sandbox, setup: Setup, anon: APIClient
) -> None:
    assert_error(send(anon, call, setup), 403, "not_authenticated")
    assert upstream_calls(sb) == 0


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_a_user_without_a_connection_is_refused_without_upstream_call(
    call: Call, sb: Sandbox, setup: Setup, member_api: APIClient
) -> None:
    assert_error(send(member_api, call, setup), 403, "calendly_connection_required")
    assert upstream_calls(sb) == 0


# -- the data that comes back, and the mirror -------------------------------------------


def test_create_returns_calendlys_event_type_and_mirrors_it_at_once(
    sb: Sandbox, setup: Setup, api: APIClient
) -> None:
    body = _new_type(setup)
    response = api.post(BASE + "event-types/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()["resource"]
    assert created["name"] == body["name"]
    assert created["duration"] == 45 and created["duration_options"] == [30, 45]
    assert created["profile"]["owner"] == setup.admin
    assert last(created["uri"]) in sb.store.event_types  # really created at Calendly
    row = EventType.objects.get(uri=created["uri"])
    assert (row.name, row.owner, row.duration, row.organization) == (
        body["name"], setup.admin, 45, setup.org
    )
    local = api.get(BASE + "local/event-types/", {"page_size": 100})
    assert local.status_code == 200
    assert created["uri"] in {item["uri"] for item in local.json()["results"]}


def test_update_changes_calendly_and_the_mirror(
    sb: Sandbox, setup: Setup, api: APIClient, direct: CalendlyClient
) -> None:
    response = api.patch(BASE + f"event-types/{setup.et_uuid}/",
                         {"name": "Renamed call", "active": False}, format="json")
    assert response.status_code == 200, response.content
    assert direct.event_types.get(setup.et_uuid)["name"] == "Renamed call"
    row = EventType.objects.get(uri=setup.event_type)
    assert row.name == "Renamed call" and row.active is False
    # The webhook that follows carries the same resource: it converges on the same row.
    from django_calendly.services import mirror

    mirror.upsert_event_types([direct.event_types.get(setup.et_uuid)])
    assert EventType.objects.filter(uri=setup.event_type).count() == 1
    assert EventType.objects.get(uri=setup.event_type).organization == setup.org


def test_availability_patch_replaces_the_rules(
    setup: Setup, api: APIClient
) -> None:
    url = BASE + f"event-types/{setup.et_uuid}/availability/"
    answer = api.patch(url, {"availability_rule": RULE}, format="json")
    assert answer.status_code == 200, answer.content
    rules = api.get(url).json()["collection"][0]["availability_rule"]
    assert rules["timezone"] == "Europe/Paris"
    assert rules["rules"] == RULE["rules"]


def test_hosts_and_links(setup: Setup, api: APIClient) -> None:
    hosts = api.get(BASE + f"event-types/{setup.et_uuid}/hosts/").json()["collection"]
    assert [h["member"]["uri"] for h in hosts] == [setup.admin]
    link = api.post(BASE + "scheduling-links/", {"owner": setup.event_type}, format="json")
    assert link.status_code == 201
    assert link.json()["resource"]["owner"] == setup.event_type
    assert link.json()["resource"]["booking_url"].startswith("http")


def test_available_times_match_the_original_endpoint(setup: Setup, api: APIClient) -> None:
    times = _range(2)
    new = api.get(BASE + f"event-types/{setup.et_uuid}/available-times/", times)
    old = api.get(BASE + "event/type/available-times/", {"event_type": setup.event_type, **times})
    assert new.status_code == old.status_code == 200
    assert new.json() == old.json()


# -- invalid input: 400 naming the field, nothing sent -----------------------------------


def _bad(s: Setup, **changes: Any) -> dict[str, Any]:
    body = _new_type(s)
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


INVALID: list[tuple[str, str, Callable[[Setup], tuple[str, Any]], str]] = [
    ("duration-0", "post", lambda s: ("event-types/", _bad(s, duration=0,
                                                           duration_options=...)), "duration"),
    ("duration-721", "post", lambda s: ("event-types/", _bad(s, duration=721,
                                                             duration_options=...)),
     "duration"),
    ("duration-text", "post", lambda s: ("event-types/", _bad(s, duration="30")), "duration"),
    ("five-options", "post",
     lambda s: ("event-types/", _bad(s, duration=10, duration_options=[10, 20, 30, 40, 50])),
     "duration_options"),
    ("repeated-options", "post",
     lambda s: ("event-types/", _bad(s, duration=10, duration_options=[10, 10])),
     "duration_options"),
    ("duration-not-an-option", "post",
     lambda s: ("event-types/", _bad(s, duration=60, duration_options=[15, 30])), "duration"),
    ("bad-color", "post", lambda s: ("event-types/", _bad(s, color="blue")), "color"),
    ("no-name", "post", lambda s: ("event-types/", _bad(s, name=...)), "name"),
    ("no-owner", "post", lambda s: ("event-types/", _bad(s, owner=...)), "owner"),
    ("owner-not-a-user", "post", lambda s: ("event-types/", _bad(s, owner=s.event_type)),
     "owner"),
    ("active-text", "post", lambda s: ("event-types/", _bad(s, active="yes")), "active"),
    ("locations-not-objects", "post",
     lambda s: ("event-types/", _bad(s, locations=["zoom"])), "locations[0]"),
    ("list-neither", "get", lambda s: ("event-types/", {}), "organization"),
    ("list-schedule-not-a-schedule", "get",
     lambda s: ("event-types/", {"organization": s.org, "user_availability_schedule": s.admin}),
     "user_availability_schedule"),
    ("list-admin-managed-text", "get",
     lambda s: ("event-types/", {"organization": s.org, "admin_managed": "maybe"}),
     "admin_managed"),
    ("patch-empty", "patch", lambda s: (f"event-types/{s.et_uuid}/", {}), "name"),
    ("patch-bad-uuid", "patch", lambda s: ("event-types/bad.uuid/", {"name": "x"}), "uuid"),
    ("patch-null-name", "patch", lambda s: (f"event-types/{s.et_uuid}/", {"name": None}),
     "name"),
    ("hosts-bad-count", "get", lambda s: (f"event-types/{s.et_uuid}/hosts/", {"count": 101}),
     "count"),
    ("rule-without-timezone", "patch",
     lambda s: (f"event-types/{s.et_uuid}/availability/",
                {"availability_rule": {"rules": []}}), "availability_rule.timezone"),
    ("rule-setting", "patch",
     lambda s: (f"event-types/{s.et_uuid}/availability/",
                {"availability_rule": RULE, "availability_setting": "team"}),
     "availability_setting"),
    ("times-too-long", "get",
     lambda s: (f"event-types/{s.et_uuid}/available-times/", _range(32)), "end_time"),
    ("times-missing", "get",
     lambda s: (f"event-types/{s.et_uuid}/available-times/", {}), "start_time"),
    ("one-off-no-date-setting", "post",
     lambda s: ("one-off-event-types/", {**_one_off(s.admin), "date_setting": None}),
     "date_setting"),
    ("one-off-duration", "post",
     lambda s: ("one-off-event-types/", {**_one_off(s.admin), "duration": 0}), "duration"),
    ("one-off-co-host", "post",
     lambda s: ("one-off-event-types/", {**_one_off(s.admin), "co_hosts": ["x"]}),
     "co_hosts[0]"),
    ("one-off-name-56", "post",
     lambda s: ("one-off-event-types/", {**_one_off(s.admin), "name": "o" * 56}), "name"),
    ("event-type-name-256", "post",
     lambda s: ("event-types/", {"owner": s.admin, "name": "e" * 256}), "name"),
    ("share-name-56", "post",
     lambda s: ("shares/", {"event_type": s.event_type, "name": "s" * 56}), "name"),
    ("share-location-256", "post",
     lambda s: ("shares/", {"event_type": s.event_type, "location_configurations": [
         {"kind": "physical", "location": "l" * 256}]}), "location_configurations[0].location"),
    ("link-owner-kind", "post", lambda s: ("scheduling-links/", {"owner": s.admin}), "owner"),
    ("share-fixed-without-dates", "post",
     lambda s: ("shares/", {"event_type": s.event_type, "period_type": "fixed"}),
     "start_date"),
    ("share-dates-reversed", "post",
     lambda s: ("shares/", {"event_type": s.event_type, "start_date": "2027-02-02",
                            "end_date": "2027-01-01"}), "end_date"),
    ("share-moving", "post",
     lambda s: ("shares/", {"event_type": s.event_type, "period_type": "moving"}),
     "max_booking_time"),
    ("share-bad-date", "post",
     lambda s: ("shares/", {"event_type": s.event_type, "start_date": "tomorrow"}),
     "start_date"),
    ("locations-no-user", "get", lambda s: ("locations/", {}), "user"),
]


@pytest.mark.parametrize(("case", "method", "request_of", "field"), INVALID,
                         ids=[case[0] for case in INVALID])
def test_invalid_input_is_a_400_naming_the_field_before_any_call(
    case: str, method: str, request_of: Callable[[Setup], tuple[str, Any]], field: str,
    sb: Sandbox, setup: Setup, api: APIClient,
) -> None:
    path, data = request_of(setup)
    send_method = getattr(api, method)
    if method == "get":
        response = send_method(BASE + path, data)
    else:
        response = send_method(BASE + path, data, format="json")
    assert_error(response, 400, "invalid_input", field)
    assert upstream_calls(sb) == 0


# -- a connected user: their own event types, nobody else's ------------------------------


@pytest.fixture
def connected(setup: Setup) -> APIClient:
    user = get_user_model().objects.create_user("connected")
    CalendlyConnection.objects.create(
        user=user, owner=setup.member, organization=setup.org,
        access_token=setup.member_token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_connected_user_creates_and_changes_their_own_event_types(
    sb: Sandbox, setup: Setup, connected: APIClient
) -> None:
    created = connected.post(BASE + "event-types/", {**_new_type(setup), "owner": setup.member},
                             format="json")
    assert created.status_code == 201, created.content
    uri = created.json()["resource"]["uri"]
    assert EventType.objects.get(uri=uri).owner == setup.member
    changed = connected.patch(BASE + f"event-types/{last(uri)}/", {"name": "Mine"},
                              format="json")
    assert changed.status_code == 200, changed.content
    assert EventType.objects.get(uri=uri).name == "Mine"
    url = BASE + f"event-types/{last(setup.member_event_type)}/availability/"
    assert connected.patch(url, {"availability_rule": RULE}, format="json").status_code == 200
    share = connected.post(BASE + "shares/", {"event_type": setup.member_event_type},
                           format="json")
    assert share.status_code == 201, share.content
    link = connected.post(BASE + "scheduling-links/", {"owner": setup.member_event_type},
                          format="json")
    assert link.status_code == 201, link.content
    one_off = connected.post(BASE + "one-off-event-types/", _one_off(setup.member),
                             format="json")
    assert one_off.status_code == 201, one_off.content
    # The local API shows the connected user their own new event type.
    local = connected.get(BASE + "local/event-types/", {"page_size": 100})
    assert uri in {item["uri"] for item in local.json()["results"]}


def test_a_connected_user_may_not_create_for_another_owner(
    sb: Sandbox, setup: Setup, connected: APIClient
) -> None:
    body = _new_type(setup)  # owner: the admin
    response = connected.post(BASE + "event-types/", body, format="json")
    body_ = assert_error(response, 403, "permission_denied")
    assert "write permission" in body_["message"]
    assert upstream_calls(sb) == 0
    one_off = connected.post(BASE + "one-off-event-types/", _one_off(setup.admin),
                             format="json")
    assert_error(one_off, 403, "permission_denied")
    assert upstream_calls(sb) == 0
    assert not EventType.objects.filter(name=body["name"]).exists()


@pytest.mark.parametrize(("method", "path", "data"), [
    ("patch", "event-types/{uuid}/", {"name": "Not mine"}),
    ("patch", "event-types/{uuid}/availability/", {"availability_rule": RULE}),
    ("post", "scheduling-links/", {"owner": "{uri}"}),
    ("post", "shares/", {"event_type": "{uri}"}),
])
def test_a_connected_user_may_not_act_on_another_owners_event_type(
    method: str, path: str, data: dict[str, Any], sb: Sandbox, setup: Setup,
    connected: APIClient, direct: CalendlyClient,
) -> None:
    before = direct.event_types.get(setup.et_uuid)
    sb.reset_stats()
    body = {k: (v.format(uri=setup.event_type) if isinstance(v, str) else v)
            for k, v in data.items()}
    response = getattr(connected, method)(
        BASE + path.format(uuid=setup.et_uuid), body, format="json"
    )
    assert_error(response, 403, "permission_denied")
    # One read to learn the owner, nothing written.
    assert called_operations(sb) == {"event_types.get"}
    assert direct.event_types.get(setup.et_uuid)["name"] == before["name"]


def test_the_write_permission_setting_decides_for_other_owners(
    sb: Sandbox, setup: Setup, connected: APIClient, settings: Any
) -> None:
    settings.CALENDLY_WRITE_PERMISSION_CLASSES = ["rest_framework.permissions.IsAuthenticated"]
    # Allowed here; Calendly still decides with the member's own token (a member may not
    # create for the admin), and its refusal comes back as such.
    response = connected.post(BASE + "event-types/", _new_type(setup), format="json")
    assert_error(response, 403, "upstream_permission_denied")


def test_staff_create_for_another_owner(setup: Setup, api: APIClient) -> None:
    response = api.post(BASE + "event-types/", {**_new_type(setup), "owner": setup.member},
                        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["resource"]["profile"]["owner"] == setup.member


def test_locations_of_a_user(setup: Setup, api: APIClient, connected: APIClient) -> None:
    response = api.get(BASE + "locations/", {"user": setup.admin})
    assert response.status_code == 200
    assert isinstance(response.json()["collection"], list)
    assert "pagination" in response.json()
    assert connected.get(BASE + "locations/", {"user": setup.member}).status_code == 200


def test_the_app_token_for_everyone_still_keeps_writes_to_staff(
    sb: Sandbox, setup: Setup, member_api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    # Reads through the app's token are allowed to everyone now...
    assert member_api.get(BASE + "event-types/", {"organization": setup.org}).status_code == 200
    sb.reset_stats()
    # ...but that token reaches every owner, so writes still need the write permission.
    body = {**_new_type(setup), "owner": setup.member}
    body_ = assert_error(member_api.post(BASE + "event-types/", body, format="json"), 403,
                         "permission_denied")
    assert "connection of your own" in body_["message"]
    patch = member_api.patch(BASE + f"event-types/{setup.et_uuid}/", {"name": "x"},
                             format="json")
    assert_error(patch, 403, "permission_denied")
    assert upstream_calls(sb) == 0


def test_the_schema_documents_the_endpoints_with_examples(api: APIClient) -> None:
    schema = api.get(BASE + "schema/", {"format": "json"}).json()
    create = schema["paths"]["/modules/calendly/event-types/"]["post"]
    assert create["operationId"] == "calendly_event_type_create"
    body = create["requestBody"]["content"]["application/json"]
    assert body["examples"]["Create"]["value"]["name"] == "Intro call"
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    created = create["responses"]["201"]["content"]["application/json"]
    assert "resource" in created["examples"]["Created"]["value"]
    assert "their own connection" in create["description"]
    patch = schema["paths"]["/modules/calendly/event-types/{uuid}/"]["patch"]
    assert patch["operationId"] == "calendly_event_type_update"
    assert "CALENDLY_WRITE_PERMISSION_CLASSES" in patch["description"]


def test_the_list_filters(setup: Setup, api: APIClient, direct: CalendlyClient) -> None:
    schedule = direct.availability.list_schedules(setup.admin)[0]["uri"]
    for extra in ({"admin_managed": "false"}, {"user_availability_schedule": schedule},
                  {"active": "true", "count": 2}):
        response = api.get(BASE + "event-types/", {"user": setup.admin, **extra})
        assert response.status_code == 200, (extra, response.content[:300])
        assert all(et["profile"]["owner"] == setup.admin
                   for et in response.json()["collection"])
    two = api.get(BASE + "event-types/", {"user": setup.admin, "count": 1})
    assert len(two.json()["collection"]) == 1  # the admin has at least two event types
    assert two.json()["pagination"]["next_page_token"]
