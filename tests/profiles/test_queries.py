import datetime

import pytest

from core import clock
from network.models import Block
from profiles.queries import current_position, initials, member_for_profile
from tests.factories import PositionFactory, make_member

pytestmark = pytest.mark.django_db


def test_s1_profile_found_by_handle_in_any_case(member):
    assert member_for_profile(handle="ALICE") == member
    assert member_for_profile(handle="nobody") is None


def test_b1_blocked_members_do_not_see_each_others_profile(member, other_member):
    Block.objects.create(blocker=member, blocked=other_member, created_at=clock.now())
    assert member_for_profile(handle="alice", viewer=other_member) is None
    assert member_for_profile(handle="bob", viewer=member) is None
    assert member_for_profile(handle="alice", viewer=None) == member


def test_current_position_prefers_the_open_one(member):
    PositionFactory(member=member, title="Old", started_on=datetime.date(2015, 1, 1))
    PositionFactory(
        member=member,
        title="Past",
        started_on=datetime.date(2022, 1, 1),
        ended_on=datetime.date(2023, 1, 1),
    )
    assert current_position(member).title == "Old"


def test_initials_from_the_name(member):
    assert initials(member) == "AA"


# --- What a viewer may see of a member (S1, B1): one read for the web and the API ------


@pytest.fixture
def described(member):
    """Alice with an about text, an industry, a current and a past position."""
    from profiles import services

    services.update_profile(member=member, headline="Engineer", about="Hi", industry="Software")
    PositionFactory(
        member=member, title="Now", company="Acme", started_on=datetime.date(2021, 1, 1)
    )
    PositionFactory(
        member=member,
        title="Before",
        company="Beta",
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2016, 1, 1),
    )
    return member_for_profile(handle="alice")  # loaded as the page loads it


def test_s1_signed_out_reader_gets_the_public_card(described):
    from profiles.queries import visible_profile

    card = visible_profile(None, described)
    assert not card.full
    assert (card.headline, card.about, card.industry) == ("Engineer", "", "")
    assert (card.position.title, card.position.company) == ("Now", "Acme")
    assert [(p.title, p.started_on) for p in card.positions] == [("Now", None)]
    assert card.education == [] and card.skills == []


def test_s1_signed_in_member_and_owner_get_the_whole_profile(described, other_member):
    from profiles.queries import visible_profile

    for viewer in (other_member, described):
        seen = visible_profile(viewer, described)
        assert seen.full and (seen.about, seen.industry) == ("Hi", "Software")
        assert sorted(p.title for p in seen.positions) == ["Before", "Now"]


def test_b1_a_block_either_way_is_not_found_for_the_other(member, other_member):
    from core.errors import NotFound
    from profiles.queries import visible_profile

    Block.objects.create(blocker=member, blocked=other_member, created_at=clock.now())
    for viewer, seen in ((member, other_member), (other_member, member)):
        with pytest.raises(NotFound):
            visible_profile(viewer, seen)
    assert not visible_profile(None, member).full


def test_b1_the_blocker_may_see_the_card_where_they_act_on_the_block(member, other_member):
    from core.errors import NotFound
    from profiles.queries import visible_profile

    Block.objects.create(blocker=member, blocked=other_member, created_at=clock.now())
    card = visible_profile(member, other_member, blocked_as_card=True)
    assert card.member == other_member and not card.full
    with pytest.raises(NotFound):
        visible_profile(other_member, member, blocked_as_card=True)


def test_b1_visible_profiles_keeps_order_and_leaves_out_hidden_and_inactive(member, other_member):
    from profiles.queries import visible_profiles

    carol, dave = make_member(handle="carol"), make_member(handle="dave")
    Block.objects.create(blocker=carol, blocked=member, created_at=clock.now())
    dave.is_active = False
    dave.save(update_fields=["is_active"])
    seen = visible_profiles(member, [dave, other_member, carol, member])
    assert [v.member for v in seen] == [other_member, member]


def test_unknown_member_is_not_found():
    from core.errors import NotFound
    from profiles.queries import visible_profile

    with pytest.raises(NotFound):
        visible_profile(None, None)
