"""Issue 8's leaks through the API: S5 through follow lists, D3 naming, and every response
that embeds an account going through the same visibility read (B1, S1)."""

import pytest

from network import services
from network.models import Report
from profiles import services as profile_services
from tests.factories import make_member
from tests.network.factories import connect, set_profile
from tests.network.test_api import Caller

pytestmark = pytest.mark.django_db

SETTINGS = ["connections", "only_me"]
NOT_FOUND = {"error": "Record not found"}


@pytest.fixture
def api(cast):
    return {name: Caller(member) for name, member in cast.items()}


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(int(a["id"]) for a in response.json())


def with_about(member, about="Private about text", industry="Secret industry"):
    profile_services.update_profile(member=member, about=about, industry=industry)
    return member


# --- S5 through followers and following -----------------------------------------------


@pytest.fixture
def follows(cast):
    """Ann is connected to Ben and Cat; Dan to Cat; Eve follows Ann; Ann follows Pat."""
    ann, ben, cat, dan, eve = (cast[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    pat = make_member(handle="pat", display_name="Pat")
    connect(ann, ben)
    connect(ann, cat)
    connect(dan, cat)
    services.follow(follower=eve, followee=ann)
    services.follow(follower=ann, followee=pat)
    return {**cast, "pat": pat}


@pytest.mark.parametrize("viewer", ["ben", "dan", "eve"])
def test_s5_hide_collections_member_shows_empty_follow_lists_to_others(api, follows, viewer):
    ann = follows["ann"]
    set_profile(ann, connections_visible_to="only_me")
    account = api[viewer].get(f"/accounts/{ann.pk}").json()
    assert account["hide_collections"] is True
    assert ids(api[viewer].get(f"/accounts/{ann.pk}/followers")) == []
    assert ids(api[viewer].get(f"/accounts/{ann.pk}/following")) == []


def test_s5_hide_collections_member_sees_their_own_follow_lists(api, follows):
    ann = follows["ann"]
    set_profile(ann, connections_visible_to="only_me")
    expected = sorted(follows[n].pk for n in ("ben", "cat", "eve"))
    assert ids(api["ann"].get(f"/accounts/{ann.pk}/followers")) == expected
    expected = sorted(follows[n].pk for n in ("ben", "cat", "pat"))
    assert ids(api["ann"].get(f"/accounts/{ann.pk}/following")) == expected


def test_s5_follow_lists_show_others_only_pure_follows_and_shared_connections(api, follows):
    ann = follows["ann"]
    pk = {n: m.pk for n, m in follows.items()}
    assert ids(api["ben"].get(f"/accounts/{ann.pk}/followers")) == sorted(
        [pk["ben"], pk["cat"], pk["eve"]]
    )
    assert ids(api["dan"].get(f"/accounts/{ann.pk}/followers")) == sorted([pk["cat"], pk["eve"]])
    assert ids(api["dan"].get(f"/accounts/{ann.pk}/following")) == sorted([pk["cat"], pk["pat"]])
    assert ids(api["eve"].get(f"/accounts/{ann.pk}/followers")) == [pk["eve"]]
    assert ids(api["eve"].get(f"/accounts/{ann.pk}/following")) == [pk["pat"]]


# --- S1 and B1: the public card, and 404 across a block --------------------------------


def test_b1_blocks_list_shows_blocked_members_as_the_public_card(api, cast):
    ben = with_about(cast["ben"])
    services.block(blocker=cast["ann"], blocked=ben)
    [account] = api["ann"].get("/blocks").json()
    assert account["id"] == str(ben.pk) and account["display_name"] == "Ben"
    assert account["note"] == "" and account["industry"] == ""


def test_b1_report_about_a_member_who_blocked_you_is_404(api, cast):
    services.block(blocker=cast["ben"], blocked=cast["ann"])
    response = api["ann"].post("/reports", {"account_id": str(cast["ben"].pk), "category": "spam"})
    assert response.status_code == 404 and response.json() == NOT_FOUND
    unknown = api["ann"].post("/reports", {"account_id": "999999", "category": "spam"})
    assert unknown.status_code == 404 and unknown.json() == response.json()
    assert not Report.objects.exists()


def test_b1_b3_report_about_a_member_you_blocked_returns_only_their_public_card(api, cast):
    ben = with_about(cast["ben"])
    services.block(blocker=cast["ann"], blocked=ben)
    response = api["ann"].post("/reports", {"account_id": str(ben.pk), "category": "spam"})
    assert response.status_code == 200
    target = response.json()["target_account"]
    assert target["id"] == str(ben.pk) and target["note"] == "" and target["industry"] == ""
    assert Report.objects.get().member == ben


def test_b3_report_about_anyone_else_returns_their_whole_account(api, cast):
    ben = with_about(cast["ben"])
    response = api["ann"].post("/reports", {"account_id": str(ben.pk), "category": "spam"})
    assert "Private about text" in response.json()["target_account"]["note"]


def _answered(cast, answer):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    by = "ann" if answer == "withdraw" else "ben"
    getattr(services, answer)(invitation_id=invitation.pk, by=cast[by])
    return invitation, by


@pytest.mark.parametrize("answer", ["accept", "dont_know", "withdraw"])
@pytest.mark.parametrize("blocker", ["ann", "ben"])
def test_b1_resending_an_answer_after_a_block_is_404(api, cast, answer, blocker):
    invitation, by = _answered(cast, answer)
    other = "ben" if blocker == "ann" else "ann"
    services.block(blocker=cast[blocker], blocked=cast[other])
    response = api[by].post(f"/invitations/{invitation.pk}/{answer}")
    assert response.status_code == 404
    assert response.json() == {"error": services.INVITATION_NOT_FOUND}


@pytest.mark.parametrize("blocker", ["ann", "ben"])
def test_b1_ignoring_again_after_a_block_is_404(api, cast, blocker):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.ignore(invitation_id=invitation.pk, by=cast["ben"])
    other = "ben" if blocker == "ann" else "ann"
    services.block(blocker=cast[blocker], blocked=cast[other])
    assert api["ben"].post(f"/invitations/{invitation.pk}/ignore").status_code == 404


@pytest.mark.parametrize("direction", ["received", "sent"])
def test_b1_invitation_lists_never_embed_a_member_across_a_block(api, cast, direction):
    services.invite(sender=cast["ben"], recipient=cast["ann"])
    services.invite(sender=cast["ann"], recipient=cast["cat"])
    services.block(blocker=cast["ben"], blocked=cast["ann"])
    services.block(blocker=cast["ann"], blocked=cast["cat"])
    assert api["ann"].get("/invitations", direction=direction).json() == []


def test_d4_lists_about_a_third_member_never_embed_a_member_across_a_block(api, cast):
    """Followers, following, connections, mutual connections and paths of Cat, seen by Ann,
    never show Ben, who blocked Ann."""
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, cat)
    connect(ben, cat)
    connect(ben, dan)
    connect(cat, dan)
    services.block(blocker=ben, blocked=ann)
    caller = api["ann"]
    for path in ("followers", "following", "connections"):
        assert ben.pk not in ids(caller.get(f"/accounts/{cat.pk}/{path}")), path
    assert ben.pk not in ids(caller.get(f"/accounts/{dan.pk}/mutual_connections"))
    steps = [s["account"] for p in caller.get(f"/accounts/{dan.pk}/paths").json() for s in p]
    assert str(ben.pk) not in {a["id"] for a in steps if a}


# --- D3 through the API -------------------------------------------------------------------


@pytest.mark.parametrize("ben_setting", SETTINGS)
@pytest.mark.parametrize("cat_setting", SETTINGS)
def test_d3_api_path_hides_the_step_next_to_the_target(api, cast, ben_setting, cat_setting):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    set_profile(ben, connections_visible_to=ben_setting)
    set_profile(cat, connections_visible_to=cat_setting)
    [path] = api["ann"].get(f"/accounts/{dan.pk}/paths").json()
    assert [s["label"] for s in path] == ["Ann", "Ben", "a connection of Ben", "Dan"]
    assert [s["account"] and s["account"]["id"] for s in path] == [
        str(ann.pk),
        str(ben.pk),
        None,
        str(dan.pk),
    ]
    assert "Cat" not in str(path)


@pytest.mark.parametrize("ben_setting", SETTINGS)
@pytest.mark.parametrize("cat_setting", SETTINGS)
def test_d3_api_two_hop_path_names_the_shared_connection(api, cast, ben_setting, cat_setting):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ben, cat)
    set_profile(ben, connections_visible_to=ben_setting)
    set_profile(cat, connections_visible_to=cat_setting)
    [path] = api["ann"].get(f"/accounts/{cat.pk}/paths").json()
    assert [s["label"] for s in path] == ["Ann", "Ben", "Cat"]
    assert path[1]["account"]["id"] == str(ben.pk)
