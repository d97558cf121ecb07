"""The app included at ``""``: its JSON 404 catch-all leaves the host's own routes alone.

The catch-all then answers only paths under the app's own first segments; a host route after
the include that starts with one of them is reported by ``calendly.W004``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from django_calendly.checks import check_mount

from .conftest import BASE, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_mount(settings: Any) -> Client:
    settings.ROOT_URLCONF = "tests.api.root_mount_urls"
    return Client()


def test_the_hosts_routes_after_the_include_are_reached(root_mount: Client) -> None:
    assert root_mount.get("/pricing/").content == b"host pricing"
    assert root_mount.get("/blog/hello/").content == b"host hello"
    assert root_mount.get("/").content == b"host home"


def test_an_unknown_host_path_gets_the_hosts_404_not_ours(root_mount: Client) -> None:
    response = root_mount.get("/no-such-page/")
    assert response.status_code == 404
    assert not response.get("Content-Type", "").startswith("application/json")


def test_unknown_paths_under_the_apps_segments_keep_the_json_404(root_mount: Client) -> None:
    assert_error(root_mount.get("/user/no-such-thing/"), 404, "not_found")
    assert_error(root_mount.post("/local/nope/", {}), 404, "not_found")


def test_the_apps_routes_and_slash_redirect_work_at_the_root(
    root_mount: Client, django_user_model: Any
) -> None:
    response = root_mount.get("/oauth/status")
    assert response.status_code == 301 and response["Location"] == "/oauth/status/"
    root_mount.force_login(django_user_model.objects.create_user("ada", password="pw"))
    assert root_mount.get("/oauth/status/").status_code == 200


def test_mounted_under_a_prefix_every_unknown_path_is_ours(client: Client) -> None:
    assert_error(client.get(BASE + "no-such-thing/"), 404, "not_found")


def test_no_warning_for_a_prefix_or_a_root_mount_without_shadowed_routes(
    settings: Any,
) -> None:
    assert check_mount() == []
    settings.ROOT_URLCONF = "tests.api.root_mount_urls"
    assert check_mount() == []


def test_host_routes_shadowed_by_the_root_mount_are_warned_about(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.api.root_mount_shadowed_urls"
    (warning,) = check_mount()
    assert warning.id == "calendly.W004"
    assert "docs/" in warning.msg and "user/profile/" in warning.msg
    assert "pricing/" not in warning.msg
    assert_error(Client().get("/user/profile/"), 404, "not_found")  # what it warns about
