"""Routing forms and their submissions (read-only over the API; people submit forms, see
:meth:`Sandbox.submit_routing_form`)."""

from __future__ import annotations

from .common import Call, Handler, Result, check_org, list_small, one, uuid_of


def list_forms(call: Call) -> Result:
    check_org(call, "organization", call.require("organization"))
    return 200, list_small(call, list(call.store.routing_forms.values()), ("created_at",),
                           "created_at:asc")


def get_form(call: Call) -> Result:
    return 200, {"resource": one(call.store.routing_forms, call.args[0])}


def list_submissions(call: Call) -> Result:
    store = call.store
    form = call.require("form")
    one(store.routing_forms, uuid_of(store, "form", form, "routing_forms"))
    items = [s for s in store.routing_submissions.values() if s["routing_form"] == form]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_submission(call: Call) -> Result:
    return 200, {"resource": one(call.store.routing_submissions, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "routing_forms.list": list_forms,
    "routing_forms.get": get_form,
    "routing_forms.list_submissions": list_submissions,
    "routing_forms.get_submission": get_submission,
}
