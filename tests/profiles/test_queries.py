import datetime

import pytest

from core import clock
from network.models import Block
from profiles.queries import current_position, initials, member_for_profile
from tests.factories import PositionFactory

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
