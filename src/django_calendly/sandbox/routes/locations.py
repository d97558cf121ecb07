"""A user's configured meeting locations."""

from __future__ import annotations

from .common import Call, Handler, Result, list_small, user_in_org


def list_locations(call: Call) -> Result:
    user = user_in_org(call, "user", call.require("user"))
    items = call.store.locations.get(user, [])
    return 200, list_small(call, items, ("position",), "position:asc", tie="kind")


HANDLERS: dict[str, Handler] = {
    "locations.list": list_locations,
}
