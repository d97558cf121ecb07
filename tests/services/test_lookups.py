"""RowLookup: the ORM's answer, in one query whose SQL is compiled once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_calendly.models import CalendlyConnection
from django_calendly.services.connections import connection_for
from django_calendly.services.lookups import RowLookup

pytestmark = pytest.mark.django_db


def connect(user: Any, owner: str = "https://api.calendly.com/users/U1") -> CalendlyConnection:
    return CalendlyConnection.objects.create(
        user=user, owner=owner, organization="https://api.calendly.com/organizations/O1",
        access_token="access-secret", refresh_token="refresh-secret",
        expires_at=timezone.now() + timedelta(hours=2),
    )


def test_it_returns_what_the_orm_returns(django_user_model: Any) -> None:
    alice = django_user_model.objects.create_user("alice")
    bob = django_user_model.objects.create_user("bob")
    connect(alice)
    lookup = RowLookup(CalendlyConnection, "user")
    found = lookup.get(alice.pk)
    assert found is not None
    expected = CalendlyConnection.objects.get(user=alice)
    assert found.pk == expected.pk
    assert model_to_dict(found) == model_to_dict(expected)
    assert found.access_token == "access-secret"  # decrypted, as by the ORM
    assert found.expires_at == expected.expires_at and found.expires_at.tzinfo is not None
    assert found._state.adding is False and found._state.db == "default"
    assert lookup.get(bob.pk) is None


def test_one_query_whose_sql_is_compiled_once(django_user_model: Any) -> None:
    users = [django_user_model.objects.create_user(f"u{i}") for i in range(3)]
    connect(users[1])
    lookup = RowLookup(CalendlyConnection, "user")
    with CaptureQueriesContext(connection) as queries:
        answers = [lookup.get(user.pk) for user in users]
    assert [a is not None for a in answers] == [False, True, False]
    assert len(queries) == 3
    assert len({q["sql"].split(" WHERE ")[0] for q in queries}) == 1
    assert list(lookup._plans) == ["default"]


def test_the_value_is_a_parameter_never_sql(django_user_model: Any) -> None:
    connect(django_user_model.objects.create_user("carol"))
    lookup = RowLookup(CalendlyConnection, "owner")
    assert lookup.get("https://api.calendly.com/users/U1") is not None
    assert lookup.get("x' OR '1'='1") is None
    assert lookup.get("https://api.calendly.com/users/U2") is None


def test_connection_for_is_one_query(
    django_user_model: Any, django_assert_num_queries: Any
) -> None:
    dave = django_user_model.objects.create_user("dave")
    with django_assert_num_queries(1):
        assert connection_for(dave) is None
    made = connect(dave)
    with django_assert_num_queries(1):
        found = connection_for(dave)
    assert found is not None and found.pk == made.pk
    with django_assert_num_queries(0):
        assert connection_for(None) is None


def test_its_fallbacks_give_the_same_answer(django_user_model: Any) -> None:
    """Should a Django version lay out the compiled query differently, ``Manager.raw()``
    (columns unknown) or the ORM (parameters unexpected) answers instead."""
    from django_calendly.services.lookups import _Plan

    erin = django_user_model.objects.create_user("erin")
    made = connect(erin)
    lookup = RowLookup(CalendlyConnection, "user")
    fast = lookup.get(erin.pk)
    plan = lookup._plans["default"]
    assert plan is not None and plan.columns is not None  # the cursor path is the one used
    lookup._plans["default"] = _Plan(plan.sql, None, plan.attnames)
    by_raw = lookup.get(erin.pk)
    lookup._plans["default"] = None
    by_orm = lookup.get(erin.pk)
    assert fast is not None and by_raw is not None and by_orm is not None
    assert model_to_dict(fast) == model_to_dict(by_raw) == model_to_dict(by_orm)
    assert fast.pk == by_raw.pk == by_orm.pk == made.pk
    assert lookup.get(erin.pk + 1000) is None
