"""The local read API: served from the mirror, filtered, paged, scoped, authenticated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from django_calendly.models import SyncState
from django_calendly.services import mirror

pytestmark = pytest.mark.django_db

BASE = "https://api.calendly.com"
ORG = f"{BASE}/organizations/ORG1"
OTHER_ORG = f"{BASE}/organizations/ORG2"
ET_A = f"{BASE}/event_types/ETA"
ET_B = f"{BASE}/event_types/ETB"
T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
URL = "/modules/calendly/local/scheduled-events/"


def event(n: int, *, org: str = ORG, status: str = "active", event_type: str = ET_A):
    start = T0 + timedelta(hours=n)
    return {
        "uri": f"{BASE}/scheduled_events/EV{n:04d}",
        "name": f"Meeting {n}",
        "status": status,
        "start_time": start.isoformat(),
        "end_time": (start + timedelta(minutes=30)).isoformat(),
        "event_type": event_type,
        "invitees_counter": {"total": 1, "active": 1 if status == "active" else 0},
        "created_at": "2029-12-01T00:00:00Z",
        "updated_at": "2029-12-01T00:00:00Z",
        "event_memberships": [{"user": f"{BASE}/users/HOST"}],
    }, org


def invitee(n: int, email: str):
    return {
        "uri": f"{BASE}/scheduled_events/EV{n:04d}/invitees/IN{n:04d}",
        "event": f"{BASE}/scheduled_events/EV{n:04d}",
        "email": email,
        "name": "Ada",
        "status": "active",
        "created_at": "2029-12-01T00:00:00Z",
        "updated_at": "2029-12-01T00:00:00Z",
    }


@pytest.fixture
def mirror_data(settings):
    settings.CALENDLY_ORGANIZATION = ORG
    for n in range(30):
        data, org = event(n, status="canceled" if n % 5 == 0 else "active",
                          event_type=ET_B if n % 2 else ET_A)
        mirror.upsert_scheduled_events([data], organization=org)
    for n in range(30, 35):
        data, org = event(n, org=OTHER_ORG)
        mirror.upsert_scheduled_events([data], organization=org)
    mirror.upsert_invitees([invitee(n, f"guest{n}@example.com") for n in range(35)])
    mirror.upsert_event_types([
        {"uri": ET_A, "name": "Alpha", "organization": ORG, "active": True, "duration": 30},
        {"uri": ET_B, "name": "Beta", "organization": ORG, "active": False, "duration": 60},
        {"uri": f"{BASE}/event_types/ETX", "name": "Other", "organization": OTHER_ORG},
    ])


@pytest.fixture
def api():
    """Staff: they read the app's whole organization (see test_visibility.py for others)."""
    user = get_user_model().objects.create_user("reader", password="pw", is_staff=True)
    client = APIClient()
    client.force_authenticate(user)
    return client


def uris(response):
    return [item["uri"] for item in response.json()["results"]]


def test_list_is_scoped_ordered_and_paged(api, mirror_data, django_assert_max_num_queries):
    seen = []
    url = URL + "?page_size=7"
    for _ in range(10):
        with django_assert_max_num_queries(3):
            response = api.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += uris(response)
        if not body["next"]:
            break
        url = body["next"]
    assert len(seen) == 30 == len(set(seen))
    assert all(not u.endswith(("EV0030", "EV0031")) for u in seen)  # other organization
    assert seen == sorted(seen)  # start_time order == number order here
    first = api.get(URL).json()["results"][0]
    assert first["invitees_counter"] == {"total": 1, "active": 0}
    assert first["start_time"].startswith("2030-01-01T09:00:00")


def test_filters(api, mirror_data):
    canceled = api.get(URL, {"status": "canceled", "page_size": 100})
    assert len(uris(canceled)) == 6
    window = api.get(URL, {
        "min_start_time": (T0 + timedelta(hours=10)).isoformat(),
        "max_start_time": (T0 + timedelta(hours=15)).isoformat(),
    })
    assert [u[-2:] for u in uris(window)] == ["10", "11", "12", "13", "14"]
    by_type = api.get(URL, {"event_type": ET_B, "page_size": 100})
    assert len(uris(by_type)) == 15
    by_email = api.get(URL, {"invitee_email": "GUEST7@example.com"})
    assert [u[-6:] for u in uris(by_email)] == ["EV0007"]
    other_org_email = api.get(URL, {"invitee_email": "guest31@example.com"})
    assert uris(other_org_email) == []


def test_bad_filters_use_the_error_shape(api, mirror_data):
    response = api.get(URL, {"status": "nope", "min_start_time": "yesterday"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert {d["parameter"] for d in body["details"]} == {"status", "min_start_time"}
    assert set(body) == {"code", "title", "message", "details"}


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        (URL, {"status": "nope"}, "status"),
        (URL, {"page_size": "100000000000"}, "page_size"),
        ("/modules/calendly/local/event-types/", {"active": "maybe"}, "active"),
        ("/modules/calendly/local/event-types/", {"page_size": "0"}, "page_size"),
    ],
)
def test_bad_filters_are_refused_even_with_nothing_to_list(api, settings, url, params, parameter):
    # No organization known yet (nothing synced): still a 400, not an empty 200.
    settings.CALENDLY_ORGANIZATION = ""
    response = api.get(url, params)
    assert response.status_code == 400, response.content
    assert [d["parameter"] for d in response.json()["details"]] == [parameter]


@pytest.mark.parametrize("url", [URL, "/modules/calendly/local/event-types/"])
def test_a_bad_cursor_is_a_400_naming_it(api, mirror_data, url):
    response = api.get(url, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [d["parameter"] for d in body["details"]] == ["cursor"]
    # A real cursor from a next link still works.
    next_url = api.get(url, {"page_size": 1}).json()["next"]
    assert api.get(next_url).status_code == 200


def test_max_start_time_before_min_start_time_is_refused(api, mirror_data):
    response = api.get(URL, {"min_start_time": "2030-01-02T00:00:00Z",
                             "max_start_time": "2030-01-01T23:59:59+00:00"})
    assert response.status_code == 400
    assert [d["parameter"] for d in response.json()["details"]] == ["max_start_time"]
    same = api.get(URL, {"min_start_time": "2030-01-01T10:00:00Z",
                         "max_start_time": "2030-01-01T11:00:00+01:00"})
    assert same.status_code == 200


def test_detail_with_invitees(api, mirror_data):
    response = api.get(URL + "EV0007/")
    assert response.status_code == 200
    body = response.json()
    assert body["uuid"] == "EV0007"
    assert [i["email"] for i in body["invitees"]] == ["guest7@example.com"]
    assert body["calendly"]["name"] == "Meeting 7"


def test_detail_of_another_organization_is_not_found(api, mirror_data):
    response = api.get(URL + "EV0031/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert api.get(URL + "NOPE/").status_code == 404


def test_event_types(api, mirror_data):
    response = api.get("/modules/calendly/local/event-types/")
    assert response.status_code == 200
    assert [i["name"] for i in response.json()["results"]] == ["Alpha", "Beta"]
    inactive = api.get("/modules/calendly/local/event-types/", {"active": "false"})
    assert [i["name"] for i in inactive.json()["results"]] == ["Beta"]


def test_anonymous_is_refused(mirror_data):
    response = APIClient().get(URL)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_permission_classes_come_from_settings(api, mirror_data, settings):
    settings.CALENDLY_READ_PERMISSION_CLASSES = ["rest_framework.permissions.IsAdminUser"]
    member = APIClient()
    member.force_authenticate(get_user_model().objects.create_user("member"))
    assert member.get(URL).status_code == 403
    assert api.get(URL).status_code == 200


def test_organization_of_the_last_sync_when_none_is_configured(api, mirror_data, settings):
    del settings.CALENDLY_ORGANIZATION
    assert uris(api.get(URL)) == []  # nothing synced yet: nothing to show
    SyncState.objects.create(
        scope="organization", scope_uri=OTHER_ORG, last_started_at=datetime.now(UTC)
    )
    assert len(uris(api.get(URL))) == 5


def test_the_app_organization_is_cached_per_process(api, mirror_data, settings):
    from django_calendly.services.sync import invalidate_app_organization

    del settings.CALENDLY_ORGANIZATION
    SyncState.objects.create(
        scope="organization", scope_uri=OTHER_ORG, last_started_at=datetime.now(UTC)
    )
    assert len(uris(api.get(URL))) == 5
    # A change this process did not make (``update`` sends no signal, like another
    # process's write) is seen once the cached value expires or is invalidated.
    SyncState.objects.update(scope_uri=ORG)
    assert len(uris(api.get(URL))) == 5
    invalidate_app_organization()
    assert f"{BASE}/scheduled_events/EV0001" in uris(api.get(URL))


def test_no_upstream_call(api, mirror_data, settings):
    settings.CALENDLY_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.CALENDLY_ACCESS_TOKEN = ""
    assert api.get(URL).status_code == 200
    assert api.get(URL + "EV0001/").status_code == 200


def test_in_the_openapi_schema(api):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/modules/calendly/local/scheduled-events/" in paths
    assert "/modules/calendly/local/scheduled-events/{uuid}/" in paths
    assert "/modules/calendly/local/event-types/" in paths
    params = {p["name"] for p in paths["/modules/calendly/local/scheduled-events/"]["get"][
        "parameters"]}
    assert {"status", "min_start_time", "max_start_time", "invitee_email", "event_type",
            "cursor"} <= params


def test_a_connected_user_reads_what_they_host_in_their_organization(mirror_data, settings):
    from django.utils import timezone

    from django_calendly.models import CalendlyConnection

    settings.CALENDLY_CLIENT_ID = "cid"
    settings.CALENDLY_CLIENT_SECRET = "secret"
    user = get_user_model().objects.create_user("connected", password="pw")
    CalendlyConnection.objects.create(
        user=user, owner=f"{BASE}/users/HOST", organization=OTHER_ORG, access_token="a",
        refresh_token="r", expires_at=timezone.now() + timedelta(hours=2),
    )
    client = APIClient()
    client.force_authenticate(user)
    seen = uris(client.get(URL))
    assert sorted(seen) == [f"{BASE}/scheduled_events/EV{n:04d}" for n in range(30, 35)]
    assert client.get(URL + "EV0001/").status_code == 404  # the app's organization's


def test_organization_of_a_webhook_subscription_when_nothing_else_says(api, settings):
    from django_calendly.models import WebhookSubscription

    settings.CALENDLY_ORGANIZATION = ""
    data, _ = event(1)
    mirror.upsert_scheduled_events([data], organization=OTHER_ORG)
    assert api.get(URL).json()["results"] == []
    WebhookSubscription.objects.create(
        uri=f"{BASE}/webhook_subscriptions/W1", callback_url="https://example.com/hook",
        scope="organization", organization=OTHER_ORG,
    )
    assert uris(api.get(URL)) == [data["uri"]]
