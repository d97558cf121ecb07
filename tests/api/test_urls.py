"""URL names are stable: ``calendly:<name>`` reverses to the original module's paths."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import resolve, reverse

from .world import BASE, ENDPOINTS, Endpoint, World

FAKE = World(**{
    f.name: ("https://api.calendly.com/x/" if f.name.endswith("_uri") else "") + "U" * 16
    for f in dataclasses.fields(World)
})


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_names_reverse_to_the_original_paths(endpoint: Endpoint) -> None:
    path = BASE + endpoint.call(FAKE)[0]
    match = resolve(path)
    assert match.view_name == f"calendly:{endpoint.name}"
    assert reverse(match.view_name, kwargs=match.kwargs) == path
    assert resolve(path.rstrip("/")).func.view_class is match.func.view_class


def test_schema_and_docs_names() -> None:
    assert reverse("calendly:schema") == BASE + "schema/"
    assert reverse("calendly:docs") == BASE + "docs/"
