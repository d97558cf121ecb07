"""Routing forms, submissions filtered by form, and routing_form_submission.created
(organization subscriptions only)."""

from __future__ import annotations

import httpx

from django_calendly.sandbox import Sandbox

from .conftest import Receiver
from .test_webhooks import envelopes, subscribe


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def test_forms_and_submissions(sb: Sandbox, api: httpx.Client) -> None:
    forms = api.get("/routing_forms", params={"organization": sb.organization_uri}).json()
    # both are seeded at the same moment: their order is the uri tie-break, any of the two
    by_status = {f["status"]: f for f in forms["collection"]}
    assert sorted(by_status) == ["draft", "published"]
    form = by_status["published"]
    assert api.get(f"/routing_forms/{uuid(form['uri'])}").json()["resource"] == form
    subs = api.get("/routing_form_submissions", params={"form": form["uri"]}).json()
    assert len(subs["collection"]) == 3
    assert all(s["routing_form"] == form["uri"] for s in subs["collection"])
    other = by_status["draft"]
    assert api.get("/routing_form_submissions",
                   params={"form": other["uri"]}).json()["collection"] == []
    one = subs["collection"][0]
    assert api.get(f"/routing_form_submissions/{uuid(one['uri'])}").json()["resource"] == one
    assert api.get("/routing_form_submissions").json()["details"][0]["parameter"] == "form"
    assert api.get("/routing_forms").json()["details"][0]["parameter"] == "organization"
    missing = form["uri"].rsplit("/", 1)[0] + "/nope"
    assert api.get("/routing_form_submissions", params={"form": missing}).status_code == 404


def test_submission_webhook_is_organization_scope_only(sb: Sandbox, api: httpx.Client,
                                                       receiver: Receiver) -> None:
    bad = api.post("/webhook_subscriptions", json={
        "url": receiver.url, "events": ["routing_form_submission.created"],
        "organization": sb.organization_uri, "scope": "user", "user": sb.user_uri})
    assert bad.status_code == 400
    subscribe(api, sb, receiver.url, ["routing_form_submission.created"])
    submission = sb.submit_routing_form(answers={"Email": "lead@new.example"})
    got = envelopes(receiver, sb.default_signing_key)
    assert [e["event"] for e in got] == ["routing_form_submission.created"]
    assert got[0]["payload"] == submission
    answers = {qa["question"]: qa["answer"] for qa in submission["questions_and_answers"]}
    assert answers["Email"] == "lead@new.example"
    form = submission["routing_form"]
    listed = api.get("/routing_form_submissions", params={"form": form}).json()["collection"]
    assert submission["uri"] in [s["uri"] for s in listed]
