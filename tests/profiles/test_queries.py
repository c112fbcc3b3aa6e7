"""What a reader sees of a member's profile (S1's public card or the whole profile), and the
profile's own reads. Who may see whom (B1) is network's: tests/network/test_visible_member.py.
"""

import datetime

import pytest

from network.queries import visible_member
from profiles.queries import current_position, initials, with_details
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


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
    return with_details(visible_member(None, handle="alice").member)  # as the page loads it


def test_s1_signed_out_reader_gets_the_public_card(described):
    card = visible_member(None, member=described)
    assert not card.full
    assert (card.headline, card.about, card.industry) == ("Engineer", "", "")
    assert (card.position.title, card.position.company) == ("Now", "Acme")
    assert [(p.title, p.started_on) for p in card.positions] == [("Now", None)]
    assert card.education == [] and card.skills == []


def test_s1_signed_in_member_and_owner_get_the_whole_profile(described, other_member):
    for viewer in (other_member, described):
        seen = visible_member(viewer, member=described)
        assert seen.full and (seen.about, seen.industry) == ("Hi", "Software")
        assert sorted(p.title for p in seen.positions) == ["Before", "Now"]
