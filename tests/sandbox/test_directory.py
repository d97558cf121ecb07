"""Organization, groups, group relationships, teams and locations over HTTP."""

from __future__ import annotations

import httpx

from django_calendly.sandbox import Sandbox


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def test_organization(sb: Sandbox, api: httpx.Client) -> None:
    org = api.get(f"/organizations/{uuid(sb.organization_uri)}").json()["resource"]
    assert org["uri"] == sb.organization_uri and org["plan"] == "enterprise"
    assert api.get("/organizations/nope").status_code == 404


def test_groups_and_relationships(sb: Sandbox, api: httpx.Client) -> None:
    groups = api.get("/groups", params={"organization": sb.organization_uri}).json()
    names = {g["name"]: g for g in groups["collection"]}
    assert set(names) == {"Sales", "Support"} and names["Sales"]["member_count"] == 2
    sales = names["Sales"]
    assert api.get(f"/groups/{uuid(sales['uri'])}").json()["resource"] == sales
    assert api.get("/groups/nope").status_code == 404
    assert api.get("/groups").json()["details"][0]["parameter"] == "organization"
    other_org = sb.organization_uri.rsplit("/", 1)[0] + "/OTHER"
    assert api.get("/groups", params={"organization": other_org}).status_code == 403
    rels = api.get("/group_relationships", params={"group": sales["uri"]}).json()["collection"]
    assert {r["owner"]: r["role"] for r in rels} == {sb.user_uri: "admin",
                                                     sb.store.member_uri: "member"}
    mine = api.get("/group_relationships", params={"owner": sb.user_uri}).json()["collection"]
    assert [r["group"] for r in mine] == [sales["uri"]]
    every = api.get("/group_relationships",
                    params={"organization": sb.organization_uri}).json()["collection"]
    assert len(every) == 4
    one = api.get(f"/group_relationships/{uuid(rels[0]['uri'])}").json()["resource"]
    assert one == rels[0]
    assert api.get("/group_relationships").status_code == 400
    missing_group = sales["uri"].rsplit("/", 1)[0] + "/nope"
    assert api.get("/group_relationships", params={"group": missing_group}).status_code == 404


def test_teams(sb: Sandbox, api: httpx.Client) -> None:
    teams = api.get("/teams").json()
    assert len(teams["collection"]) == 2 and "pagination" in teams
    mine = api.get("/teams", params={"user": sb.store.admin_uri}).json()["collection"]
    assert [t["name"] for t in mine] == ["Onboarding"]
    assert api.get(f"/teams/{uuid(mine[0]['uri'])}").json()["resource"] == mine[0]
    assert api.get("/teams/nope").status_code == 404
    assert api.get("/teams", params={"user": "x"}).status_code == 400


def test_locations(sb: Sandbox, api: httpx.Client) -> None:
    body = api.get("/locations", params={"user": sb.user_uri, "count": 2}).json()
    assert [loc["kind"] for loc in body["collection"]] == ["google_conference",
                                                          "zoom_conference"]
    rest = api.get("/locations", params={"user": sb.user_uri,
                                         "page_token": body["pagination"]["next_page_token"]})
    assert [loc["kind"] for loc in rest.json()["collection"]] == ["physical"]
    assert api.get("/locations").json()["details"][0]["parameter"] == "user"
