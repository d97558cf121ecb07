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
    # [S26] GroupRelationship.owner: the membership object itself, typed.
    assert {r["owner"]["user"]["uri"]: r["role"] for r in rels} == {
        sb.user_uri: "admin", sb.store.member_uri: "member"}
    assert {r["owner"]["type"] for r in rels} == {"OrganizationMembership"}
    my_membership = next(m for m in sb.store.memberships.values()
                         if m["user"]["uri"] == sb.user_uri)
    assert next(r for r in rels if r["role"] == "admin")["owner"] == {
        **my_membership, "type": "OrganizationMembership"}
    mine = api.get("/group_relationships",
                   params={"owner": my_membership["uri"]}).json()["collection"]
    assert [r["group"] for r in mine] == [sales["uri"]]
    every = api.get("/group_relationships",
                    params={"organization": sb.organization_uri}).json()["collection"]
    assert len(every) == 5
    invited = [r for r in every if r["owner"]["type"] == "OrganizationInvitation"]
    assert len(invited) == 1 and invited[0]["role"] == "member"
    assert invited[0]["owner"]["status"] == "pending" and "email" in invited[0]["owner"]
    by_invitation = api.get("/group_relationships",
                            params={"owner": invited[0]["owner"]["uri"]}).json()["collection"]
    assert by_invitation == invited
    one = api.get(f"/group_relationships/{uuid(rels[0]['uri'])}").json()["resource"]
    assert one == rels[0]
    assert api.get("/group_relationships").status_code == 400
    missing_group = sales["uri"].rsplit("/", 1)[0] + "/nope"
    assert api.get("/group_relationships", params={"group": missing_group}).status_code == 404


def test_relationship_owner_filter_takes_a_membership_or_an_invitation(
    sb: Sandbox, api: httpx.Client
) -> None:
    def owner(value: str) -> httpx.Response:
        return api.get("/group_relationships", params={"owner": value})

    refused = owner(sb.user_uri)  # a user URI is not an owner
    assert refused.status_code == 400
    assert refused.json() == {
        "title": "Invalid Argument", "message": "The supplied parameters are invalid.",
        "details": [{"parameter": "owner", "message": "must be a valid organization "
                     "membership or organization invitation URI"}]}
    assert owner(f"{sb.url}/organization_memberships/nope").status_code == 404
    org_uuid = uuid(sb.organization_uri)
    assert owner(f"{sb.url}/organizations/{org_uuid}/invitations/nope").status_code == 404
    other = owner(f"{sb.url}/organizations/OTHER/invitations/x")
    assert other.status_code == 403
    assert other.json()["message"] == "This user is not in your organization"


def test_removed_members_and_revoked_invitations_leave_their_groups(
    sb: Sandbox, api: httpx.Client
) -> None:
    org = sb.organization_uri
    every = api.get("/group_relationships", params={"organization": org}).json()["collection"]
    mia = next(r["owner"] for r in every if r["owner"].get("user", {}).get("uri")
               == sb.store.member_uri)
    invitation = next(r["owner"] for r in every if r["owner"]["type"] == "OrganizationInvitation")
    assert api.delete(f"/organization_memberships/{uuid(mia['uri'])}").status_code == 204
    invitation_path = invitation["uri"][len(sb.url):]
    assert api.delete(invitation_path).status_code == 204
    left = api.get("/group_relationships", params={"organization": org}).json()["collection"]
    assert {r["owner"]["uri"] for r in left} == {r["owner"]["uri"] for r in every} - {
        mia["uri"], invitation["uri"]}
    groups = api.get("/groups", params={"organization": org}).json()["collection"]
    assert next(g for g in groups if g["name"] == "Sales")["member_count"] == 1


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
