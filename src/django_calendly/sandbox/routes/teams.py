"""Teams: list (optionally the teams a user belongs to) and get."""

from __future__ import annotations

from .common import Call, Handler, Result, list_small, one, user_in_org


def list_teams(call: Call) -> Result:
    user = call.param("user")
    if user is not None:
        user_in_org(call, "user", user)
    store = call.store
    items = [t for t in store.teams.values()
             if user is None or user in store.team_members.get(t["uri"], set())]
    return 200, list_small(call, items, ("created_at", "name"), "created_at:asc")


def get_team(call: Call) -> Result:
    return 200, {"resource": one(call.store.teams, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "teams.list": list_teams,
    "teams.get": get_team,
}
