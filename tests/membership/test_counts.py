"""Kept counts (issue 10): after any sequence of follow, unfollow, connect, disconnect, block,
unblock, S3's purge, post, repost, delete and U4's deletion, every member's kept counts equal
the rows they count; `linkwell recount` repairs counts that rows loaded past the services
left behind; a member without a counter row is counted from the rows when first read."""

import itertools
from contextlib import suppress

import pytest
from django.core.management import call_command
from django.db.models import Max, Q
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.models import User
from core.errors import NotFound, Refused
from feed import services as feed
from feed.models import Post
from membership import queries
from membership.services import delete_member, recount, update_settings
from network import loader
from network import services as network
from network.models import Block, Connection, Follow, Invitation, Unblock
from profiles.models import MemberCounts
from tests.factories import make_member
from tests.network.factories import connect

pytestmark = pytest.mark.django_db

PEOPLE = st.integers(min_value=0, max_value=4)
_handles = itertools.count()


def counted_from_rows(member_id: int) -> dict:
    posts = Post.objects.filter(author_id=member_id)
    return {
        "followers": Follow.objects.filter(followee_id=member_id).count(),
        "following": Follow.objects.filter(follower_id=member_id).count(),
        "connections": Connection.objects.filter(
            Q(member_a_id=member_id) | Q(member_b_id=member_id)
        ).count(),
        "posts": posts.count(),
        "last_post_at": posts.aggregate(last=Max("created_at"))["last"],
    }


def kept(member_id: int) -> dict:
    row = MemberCounts.objects.get(pk=member_id)
    return {
        "followers": row.followers,
        "following": row.following,
        "connections": row.connections,
        "posts": row.posts,
        "last_post_at": row.last_post_at,
    }


class CountsMachine(RuleBasedStateMachine):
    members: list = []

    def __init__(self):
        super().__init__()
        for model in (Post, Invitation, Connection, Follow, Block, Unblock):
            model.objects.all().delete()
        recount()
        loader.reset()

    def _try(self, action, **kwargs):
        with suppress(Refused, NotFound):  # a refusal changes no row, so no count either
            action(**kwargs)

    def _pair(self, a, b):
        return self.members[a], self.members[b]

    @rule(a=PEOPLE, b=PEOPLE)
    def follow(self, a, b):
        x, y = self._pair(a, b)
        self._try(network.follow, follower=x, followee=y)

    @rule(a=PEOPLE, b=PEOPLE)
    def unfollow(self, a, b):
        x, y = self._pair(a, b)
        self._try(network.unfollow, follower=x, followee=y)

    @rule(a=PEOPLE, b=PEOPLE)
    def remove_follower(self, a, b):
        x, y = self._pair(a, b)
        self._try(network.remove_from_followers, by=x, follower=y)

    @rule(a=PEOPLE, b=PEOPLE)
    def connect(self, a, b):
        x, y = self._pair(a, b)
        if a != b:
            with suppress(Refused, NotFound):
                connect(x, y)

    @rule(a=PEOPLE, b=PEOPLE)
    def disconnect(self, a, b):
        x, y = self._pair(a, b)
        if a != b:
            self._try(network.disconnect, by=x, member=y)

    @rule(a=PEOPLE, b=PEOPLE)
    def block(self, a, b):
        x, y = self._pair(a, b)
        self._try(network.block, blocker=x, blocked=y)

    @rule(a=PEOPLE, b=PEOPLE)
    def unblock(self, a, b):
        x, y = self._pair(a, b)
        self._try(network.unblock, blocker=x, blocked=y)

    @rule(a=PEOPLE, only_connections=st.booleans())
    def followers_allowed(self, a, only_connections):  # S3's purge
        choice = "connections" if only_connections else "everyone"
        update_settings(member=self.members[a], followers_allowed=choice)

    @rule(a=PEOPLE)
    def publish(self, a):
        feed.publish(author=self.members[a], text="Hello")

    def _newest_post(self, b):
        found = Post.objects.filter(author=self.members[b], kind="post").order_by("-pk").first()
        return found or feed.publish(author=self.members[b], text="Hello")

    @rule(a=PEOPLE, b=PEOPLE, comment=st.booleans())
    def respond(self, a, b, comment):  # a comment on, or a plain repost of, b's newest post
        target = self._newest_post(b)
        if comment:
            self._try(feed.comment, author=self.members[a], on=target.pk, text="Yes")
        else:
            self._try(feed.repost, author=self.members[a], original=target.pk)

    @rule(a=PEOPLE, b=PEOPLE)
    def undo_repost(self, a, b):
        self._try(feed.undo_repost, author=self.members[a], original=self._newest_post(b).pk)

    @rule(a=PEOPLE, kind=st.sampled_from(["post", "comment", "repost"]))
    def delete_post(self, a, kind):  # a post goes with its comments and plain reposts
        mine = Post.objects.filter(author=self.members[a], kind=kind)
        post = mine.order_by("-reposts_count", "-comments_count", "-pk").first()
        if post is not None:
            self._try(feed.delete, by=self.members[a], post_id=post.pk)

    @rule(a=PEOPLE)
    def leave(self, a):  # U4; someone new takes the place
        delete_member(member=self.members[a])
        self.members[a] = make_member(handle=f"newcomer{next(_handles)}")

    @invariant()
    def kept_counts_equal_the_rows(self):
        for member_id in User.objects.values_list("pk", flat=True):
            assert kept(member_id) == counted_from_rows(member_id), member_id


def test_kept_counts_always_equal_the_rows_under_random_steps(cast):
    CountsMachine.members = list(cast.values())
    run_state_machine_as_test(
        CountsMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


def test_sign_up_makes_a_counter_row_of_zeros(db):
    member = make_member(handle="newbie")
    assert kept(member.pk) == counted_from_rows(member.pk)
    assert MemberCounts.objects.filter(pk=member.pk).exists()


def test_recount_repairs_counts_that_a_bulk_load_left_behind(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    Follow.objects.bulk_create(
        [
            Follow(follower=ben, followee=ann, created_at=ann.date_joined),
            Follow(follower=cat, followee=ann, created_at=ann.date_joined),
        ]
    )
    MemberCounts.objects.filter(pk=cat.pk).update(connections=7)
    assert kept(ann.pk)["followers"] == 0
    call_command("recount", span=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for member in cast.values():
        assert kept(member.pk) == counted_from_rows(member.pk)


def test_a_member_without_a_counter_row_is_counted_from_the_rows_when_read(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    feed.publish(author=ben, text="Hi")
    MemberCounts.objects.filter(pk=ben.pk).delete()
    network.unfollow(follower=ann, followee=ben)  # finds no row: counted after commit instead
    MemberCounts.objects.filter(pk=ben.pk).delete()
    seen = queries.visible_account(ann, ben.pk).counts
    assert (seen.followers, seen.following, seen.connections, seen.posts) == (0, 1, 1, 1)
    assert kept(ben.pk) == counted_from_rows(ben.pk)


def test_a_write_that_finds_no_counter_row_counts_the_member_after_commit(
    cast, django_capture_on_commit_callbacks
):
    ann, ben = cast["ann"], cast["ben"]
    MemberCounts.objects.filter(pk=ben.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        network.follow(follower=ann, followee=ben)
    assert kept(ben.pk) == counted_from_rows(ben.pk)
    assert kept(ben.pk)["followers"] == 1


# --- S5 and B1: a count never says what the list hides -----------------------------------

COUNT_FIELDS = ("followers_count", "following_count", "connections_count")


def _counts(entity: dict) -> tuple:
    return tuple(entity[field] for field in (*COUNT_FIELDS, "statuses_count"))


@pytest.mark.parametrize("setting", ["connections", "only_me"])
def test_s5_counts_show_through_the_api_only_what_the_lists_show(cast, setting):
    """Under `connections` the numbers are totals (who stays hidden, as on LinkedIn); under
    `only_me` the lists are empty for everyone else, and so are the three counts."""
    from tests.network.factories import set_profile
    from tests.network.test_api import Caller

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    network.follow(follower=cat, followee=ben)
    feed.publish(author=ben, text="Hi")
    set_profile(ben, connections_visible_to=setting)
    stranger = Caller(cast["dan"]).get(f"/accounts/{ben.pk}").json()
    connection = Caller(ann).get(f"/accounts/{ben.pk}").json()
    own = Caller(ben).get("/accounts/verify_credentials").json()
    assert _counts(own) == (2, 1, 1, 1)
    if setting == "only_me":
        assert _counts(stranger) == _counts(connection) == (0, 0, 0, 1)
        assert stranger["hide_collections"] is True
        assert Caller(cast["dan"]).get(f"/accounts/{ben.pk}/followers").json() == []
    else:
        assert _counts(stranger) == _counts(connection) == (2, 1, 1, 1)


def test_b1_a_block_takes_the_follows_out_of_both_counts_and_hides_the_member(cast):
    from tests.network.test_api import Caller

    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    network.block(blocker=ann, blocked=ben)
    assert Caller(ben).get(f"/accounts/{ann.pk}").status_code == 404
    seen = Caller(cast["cat"]).get(f"/accounts/{ann.pk}").json()
    assert _counts(seen) == (0, 0, 0, 0)
    assert kept(ben.pk) == counted_from_rows(ben.pk)
