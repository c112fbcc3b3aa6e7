"""Issue 8's leaks at the query and service level: S5 through follow lists, D3 naming a
hidden connection, and B1 through reports and re-sent invitation answers."""

import pytest

from core.errors import NotFound
from network import queries, services
from network.models import Report
from tests.factories import make_member
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db

SETTINGS = ["connections", "only_me"]


def names(members):
    return sorted(m.username for m in members)


# --- S5 through followers and following -----------------------------------------------


@pytest.fixture
def follows(cast):
    """Ann is connected to Ben and Cat; Dan is connected to Cat (so Cat is shared by Ann and
    Dan); Eve follows Ann and Ann follows Pat, with no connection (pure follows)."""
    ann, ben, cat, dan, eve = (cast[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    pat = make_member(handle="pat", display_name="Pat")
    connect(ann, ben)
    connect(ann, cat)
    connect(dan, cat)
    services.follow(follower=eve, followee=ann)
    services.follow(follower=ann, followee=pat)
    return {**cast, "pat": pat}


def test_s5_owner_sees_every_follower_and_followee(follows):
    ann = follows["ann"]
    set_profile(ann, connections_visible_to="only_me")
    assert names(queries.follow_list(ann, ann, direction="followers")) == ["ben", "cat", "eve"]
    assert names(queries.follow_list(ann, ann, direction="following")) == ["ben", "cat", "pat"]


@pytest.mark.parametrize("viewer", ["ben", "dan", "eve", "pat"])
@pytest.mark.parametrize("direction", ["followers", "following"])
def test_s5_only_me_member_shows_no_followers_or_following_to_others(follows, viewer, direction):
    ann = follows["ann"]
    set_profile(ann, connections_visible_to="only_me")
    assert list(queries.follow_list(ann, follows[viewer], direction=direction)) == []


def test_s5_connection_of_a_default_member_sees_the_whole_follow_lists(follows):
    ann, ben = follows["ann"], follows["ben"]
    assert names(queries.follow_list(ann, ben, direction="followers")) == ["ben", "cat", "eve"]
    assert names(queries.follow_list(ann, ben, direction="following")) == ["ben", "cat", "pat"]


def test_s5_others_see_pure_follows_and_the_connections_they_share(follows):
    ann, dan, eve = follows["ann"], follows["dan"], follows["eve"]
    assert names(queries.follow_list(ann, dan, direction="followers")) == ["cat", "eve"]
    assert names(queries.follow_list(ann, dan, direction="following")) == ["cat", "pat"]
    assert names(queries.follow_list(ann, eve, direction="followers")) == ["eve"]
    assert names(queries.follow_list(ann, eve, direction="following")) == ["pat"]


def test_s5_follow_lists_still_leave_out_members_blocked_either_way(follows):
    ann, ben, eve = follows["ann"], follows["ben"], follows["eve"]
    services.block(blocker=eve, blocked=ben)
    assert names(queries.follow_list(ann, ben, direction="followers")) == ["ben", "cat"]


# --- D3: a step is named only where the viewer may see both connections beside it --------


@pytest.mark.parametrize("ben_setting", SETTINGS)
@pytest.mark.parametrize("cat_setting", SETTINGS)
def test_d3_three_hop_path_never_names_the_step_next_to_the_target(cast, ben_setting, cat_setting):
    """Ann → Ben → Cat → Dan: naming Cat would tell Ann that Cat is connected to Dan, a
    connection Ann may not see whatever Ben's and Cat's S5 settings are."""
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    set_profile(ben, connections_visible_to=ben_setting)
    set_profile(cat, connections_visible_to=cat_setting)
    paths = queries.paths_for(ann, dan)
    assert [[s.label for s in p] for p in paths] == [["Ann", "Ben", "a connection of Ben", "Dan"]]
    assert [s.member for s in paths[0]] == [ann, ben, None, dan]


@pytest.mark.parametrize("ben_setting", SETTINGS)
@pytest.mark.parametrize("cat_setting", SETTINGS)
def test_d3_two_hop_path_names_the_shared_connection(cast, ben_setting, cat_setting):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ben, cat)
    set_profile(ben, connections_visible_to=ben_setting)
    set_profile(cat, connections_visible_to=cat_setting)
    paths = queries.paths_for(ann, cat)
    assert [[s.label for s in p] for p in paths] == [["Ann", "Ben", "Cat"]]
    assert paths[0][1].member == ben


def test_d3_every_three_hop_path_hides_its_third_step(cast):
    ann, ben, cat, dan, eve = (cast[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    connect(ann, ben)
    connect(ann, eve)
    connect(ben, cat)
    connect(eve, cat)
    connect(cat, dan)
    labels = sorted([s.label for s in p] for p in queries.paths_for(ann, dan))
    assert labels == [
        ["Ann", "Ben", "a connection of Ben", "Dan"],
        ["Ann", "Eve", "a connection of Eve", "Dan"],
    ]


@pytest.mark.parametrize("ben_setting", SETTINGS)
@pytest.mark.parametrize("cat_setting", SETTINGS)
def test_d3_s5_may_see_connection_whatever_the_settings(cast, ben_setting, cat_setting):
    """Ann–Ben, Ben–Cat, Cat–Dan. Ann may see a connection she is part of, and one beside
    her own connection (that one is shared, so S5 shows it in the other's list); not Cat–Dan."""
    ann, ben, cat, dan, eve = (cast[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    set_profile(ben, connections_visible_to=ben_setting)
    set_profile(cat, connections_visible_to=cat_setting)
    assert queries.may_see_connection(ann, ann, ben)
    assert queries.may_see_connection(ann, ben, cat) and queries.may_see_connection(ann, cat, ben)
    assert not queries.may_see_connection(ann, cat, dan)
    assert queries.may_see_connection(cat, cat, dan) and queries.may_see_connection(dan, cat, dan)
    assert queries.may_see_connection(dan, ben, cat)
    assert not queries.may_see_connection(eve, ben, cat)
    assert not queries.may_see_connection(None, ann, ben)


def test_d3_d4_no_connection_is_seen_through_a_block(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ben, cat)
    services.block(blocker=cat, blocked=ann)
    assert not queries.may_see_connection(ann, ben, cat)


# --- B1 through side doors ----------------------------------------------------------------


def test_b1_reporting_a_member_who_blocked_you_is_not_found(cast):
    services.block(blocker=cast["ben"], blocked=cast["ann"])
    with pytest.raises(NotFound):
        services.report(reporter=cast["ann"], member=cast["ben"], reason="spam")
    assert not Report.objects.exists()


def test_b1_b3_a_member_may_report_someone_they_blocked(cast):
    services.block(blocker=cast["ann"], blocked=cast["ben"])
    made = services.report(reporter=cast["ann"], member=cast["ben"], reason="spam")
    assert made.member == cast["ben"]


def _answered(cast, answer):
    """An invitation from Ann to Ben, answered with `answer` by the side allowed to."""
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    by = cast["ann"] if answer == "withdraw" else cast["ben"]
    getattr(services, answer)(invitation_id=invitation.pk, by=by)
    return invitation, by


@pytest.mark.parametrize("answer", ["accept", "dont_know", "withdraw"])
@pytest.mark.parametrize("blocker", ["ann", "ben"])
def test_b1_resending_an_answer_after_a_block_is_not_found(cast, answer, blocker):
    invitation, by = _answered(cast, answer)
    other = "ben" if blocker == "ann" else "ann"
    services.block(blocker=cast[blocker], blocked=cast[other])
    with pytest.raises(NotFound) as refused:
        getattr(services, answer)(invitation_id=invitation.pk, by=by)
    assert refused.value.message == services.INVITATION_NOT_FOUND


@pytest.mark.parametrize("answer", ["accept", "dont_know", "withdraw"])
def test_b1_resending_an_answer_without_a_block_still_returns_the_invitation(cast, answer):
    invitation, by = _answered(cast, answer)
    assert getattr(services, answer)(invitation_id=invitation.pk, by=by).pk == invitation.pk
