"""B1, S1: `network.queries.visible_member(s)`, the one read behind every page and entity that
shows a member: unknown, deactivated and blocked-either-way members are the same NotFound."""

import pytest

from accounts.queries import MEMBER_NOT_FOUND
from core.errors import NotFound
from network import queries, services
from network.queries import visible_member, visible_members
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def deactivate(member):
    """No service deactivates a member yet (operators do it in the admin): the flag as set."""
    member.is_active = False
    member.save(update_fields=["is_active"])


def test_s1_a_member_is_found_by_handle_in_any_case_and_by_id(cast):
    ann, ben = cast["ann"], cast["ben"]
    assert visible_member(ann, handle="BEN").member == ben
    assert visible_member(ann, handle="Ben").member == ben
    assert visible_member(None, pk=ben.pk).member == ben
    assert visible_member(ann, pk=ben.pk).full
    assert not visible_member(None, pk=ben.pk).full  # signed out: the public card


@pytest.mark.parametrize("how", ["unknown", "deactivated", "blocked", "blocking", "nul"])
def test_b1_unknown_deactivated_and_blocked_members_are_the_same_not_found(cast, how):
    ann, ben = cast["ann"], cast["ben"]
    handle = "ben"
    if how == "unknown":
        handle = "nobody"
    elif how == "deactivated":
        deactivate(ben)
    elif how == "blocked":
        services.block(blocker=ann, blocked=ben)
    elif how == "blocking":
        services.block(blocker=ben, blocked=ann)
    else:
        handle = "b\x00en"
    with pytest.raises(NotFound) as refused:
        visible_member(ann, handle=handle)
    assert refused.value.message == MEMBER_NOT_FOUND
    assert refused.value.rule is None  # says nothing of why


def test_b1_the_blocker_may_see_the_card_where_they_act_on_the_block(cast):
    ann, ben = cast["ann"], cast["ben"]
    services.block(blocker=ann, blocked=ben)
    card = visible_member(ann, handle="ben", blocked_as_card=True)
    assert card.member == ben and not card.full
    with pytest.raises(NotFound):
        visible_member(ben, handle="ann", blocked_as_card=True)


def test_b1_b2_a_member_who_blocked_you_can_still_be_blocked_back(cast):
    """`member_to_block` finds any active member: a block of one's own holds later too."""
    ann, ben = cast["ann"], cast["ben"]
    services.block(blocker=ben, blocked=ann)
    assert queries.member_to_block(handle="BEN") == ben
    deactivate(ben)
    with pytest.raises(NotFound):
        queries.member_to_block(handle="ben")


def test_b1_visible_members_keeps_order_and_leaves_out_hidden_and_inactive(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    services.block(blocker=cat, blocked=ann)
    deactivate(dan)
    seen = visible_members(ann, [dan, ben, cat, ann])
    assert [v.member for v in seen] == [ben, ann]
    by_id = visible_members(ann, [dan.pk, ben.pk, cat.pk, ann.pk, 10**9])
    assert [v.member for v in by_id] == [ben, ann]


def test_visible_members_reads_the_requests_blocks_instead_of_asking_again(
    cast, django_assert_num_queries
):
    ann = cast["ann"]
    view = queries.Viewpoint(ann)
    view.blocks  # noqa: B018 - fetched once for the request
    others = [make_member(handle=f"pal{i}") for i in range(5)]
    with django_assert_num_queries(0):
        assert len(visible_members(ann, others, view=view)) == 5
    with django_assert_num_queries(1):  # no Viewpoint: one query for the blocks
        assert len(visible_members(ann, others)) == 5
