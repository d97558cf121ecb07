"""The OAuth state: a forged or stray callback never spends another flow's state."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from django_calendly.models import CalendlyConnection

from .test_connect import approve_in_sandbox

pytestmark = pytest.mark.django_db

CONNECT = "/modules/calendly/oauth/connect/"
CALLBACK = "/modules/calendly/oauth/callback/"


@pytest.fixture
def browser(client):
    client.force_login(get_user_model().objects.create_user("victim", password="pw"))
    return client


def test_a_forged_callback_leaves_the_real_flow_usable(browser, calendly_sandbox):
    start = browser.get(CONNECT)
    back = urlsplit(approve_in_sandbox(start["Location"]))
    real = parse_qs(back.query)

    # An attacker gets the victim's browser to open a callback with a state of their own.
    forged = browser.get(CALLBACK, {"code": "attacker-code", "state": "attacker-state"})
    assert forged.status_code == 400
    assert forged["X-Calendly-Error"] == "invalid_state"
    stray = browser.get(CALLBACK, {"error": "access_denied", "state": "attacker-state"})
    assert stray["X-Calendly-Error"] == "oauth_denied"
    assert not CalendlyConnection.objects.exists()

    done = browser.get(CALLBACK, {"code": real["code"][0], "state": real["state"][0]})
    assert done.status_code == 302, done.content
    assert CalendlyConnection.objects.get().owner == calendly_sandbox.user_uri


def test_two_tabs_can_each_finish_their_flow_once(browser, calendly_sandbox):
    first = urlsplit(approve_in_sandbox(browser.get(CONNECT)["Location"]))
    second = urlsplit(approve_in_sandbox(browser.get(CONNECT)["Location"]))
    assert browser.get(f"{CALLBACK}?{second.query}").status_code == 302
    assert browser.get(f"{CALLBACK}?{first.query}").status_code == 302
    again = browser.get(f"{CALLBACK}?{first.query}")
    assert again["X-Calendly-Error"] == "invalid_state"


def test_denial_of_a_flow_spends_its_state(browser, calendly_sandbox):
    start = browser.get(CONNECT)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    back = urlsplit(approve_in_sandbox(start["Location"]))
    browser.get(CALLBACK, {"error": "access_denied", "state": state})
    answer = browser.get(f"{CALLBACK}?{back.query}")
    assert answer["X-Calendly-Error"] == "invalid_state"
