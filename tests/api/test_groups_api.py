"""The group and group relationship endpoints end to end against the sandbox (issue 12)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db


def test_groups_and_who_belongs_to_them(sb: Sandbox, api: APIClient) -> None:
    groups = api.get(f"{BASE}groups/", {"organization": sb.organization_uri}).json()
    sales = next(g for g in groups["collection"] if g["name"] == "Sales")
    assert api.get(f"{BASE}groups/{sales['uri'].rsplit('/', 1)[1]}/").json()[
        "resource"] == sales
    relationships = api.get(f"{BASE}group-relationships/", {"group": sales["uri"]}).json()
    assert relationships["collection"]
    assert {r["group"] for r in relationships["collection"]} == {sales["uri"]}
    first = relationships["collection"][0]
    one = api.get(f"{BASE}group-relationships/{first['uri'].rsplit('/', 1)[1]}/")
    assert one.json()["resource"] == first


def test_relationships_of_an_owner(sb: Sandbox, api: APIClient) -> None:
    membership = next(m for m in sb.store.memberships.values()
                      if m["user"]["uri"] == sb.user_uri)
    mine = api.get(f"{BASE}group-relationships/", {"owner": membership["uri"]})
    assert mine.status_code == 200, mine.content
    assert mine.json()["collection"]
    assert {r["owner"]["uri"] for r in mine.json()["collection"]} == {membership["uri"]}
    invitation = next(iter(sb.store.invitations.values()))
    theirs = api.get(f"{BASE}group-relationships/", {"owner": invitation["uri"]})
    assert theirs.status_code == 200, theirs.content


def test_bad_filters(sb: Sandbox, api: APIClient) -> None:
    assert_error(api.get(f"{BASE}groups/"), 400, "invalid_input", "organization")
    assert_error(api.get(f"{BASE}group-relationships/"), 400, "invalid_input", "group")
    for not_an_owner in (sb.organization_uri, sb.user_uri):
        assert_error(api.get(f"{BASE}group-relationships/", {"owner": not_an_owner}),
                     400, "invalid_input", "owner")
    assert upstream_calls(sb) == 0
