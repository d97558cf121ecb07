"""The routing form endpoints end to end against the sandbox (issue 12)."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db


def test_forms_and_their_submissions(sb: Sandbox, api: APIClient) -> None:
    forms = api.get(f"{BASE}routing-forms/", {"organization": sb.organization_uri,
                                              "sort": "created_at:desc"})
    assert forms.status_code == 200, forms.content
    listed = forms.json()["collection"]
    for form in listed:
        got = api.get(f"{BASE}routing-forms/{form['uri'].rsplit('/', 1)[1]}/").json()
        assert got["resource"] == form
    form, submissions = next(
        (f, page) for f in listed
        if (page := api.get(f"{BASE}routing-form-submissions/", {"form": f["uri"]}).json())[
            "collection"]
    )
    assert {s["routing_form"] for s in submissions["collection"]} == {form["uri"]}
    first = submissions["collection"][0]
    one = api.get(f"{BASE}routing-form-submissions/{first['uri'].rsplit('/', 1)[1]}/")
    assert one.json()["resource"] == first


def test_paging_links_point_at_our_endpoint(sb: Sandbox, api: APIClient) -> None:
    form = api.get(f"{BASE}routing-forms/", {"organization": sb.organization_uri}).json()[
        "collection"][0]
    page = api.get(f"{BASE}routing-form-submissions/", {"form": form["uri"], "count": 1}).json()
    pagination = page["pagination"]
    if pagination["next_page_token"]:
        assert pagination["next_page"].startswith(
            "http://testserver/modules/calendly/routing-form-submissions/?")


def test_required_filters_and_unknown_forms(sb: Sandbox, api: APIClient) -> None:
    assert_error(api.get(f"{BASE}routing-forms/"), 400, "invalid_input", "organization")
    assert_error(api.get(f"{BASE}routing-form-submissions/"), 400, "invalid_input", "form")
    assert_error(api.get(f"{BASE}routing-forms/", {"organization": sb.organization_uri,
                                                   "sort": "name:asc"}),
                 400, "invalid_input", "sort")
    assert upstream_calls(sb) == 0
    assert_error(api.get(f"{BASE}routing-forms/{uuid.uuid4()}/"), 404, "not_found")
