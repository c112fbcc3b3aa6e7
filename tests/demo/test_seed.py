"""`linkwell seed`: the demo network is deterministic, valid, and safe to run every time."""

import re

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, F, OuterRef, Q

from accounts.models import HANDLE_PATTERN, User
from accounts.services import authenticate_member
from demo.services import (
    DEMO_HANDLE,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    NOT_EMPTY,
    TOO_FEW,
    cap_degrees,
)
from feed.models import Post
from network.models import Connection, ConnectionEvent, Follow, Invitation, InvitationStatus
from profiles.models import Education, Position, Profile, Skill
from tests.factories import make_member

pytestmark = pytest.mark.django_db
MEMBERS = 300


def seed(**options):
    call_command("seed", members=MEMBERS, seed=7, verbosity=0, **options)


def snapshot():
    handle = dict(User.objects.values_list("id", "username"))
    pairs = sorted(
        (handle[a], handle[b]) for a, b in Connection.objects.values_list("member_a", "member_b")
    )
    follows = sorted(
        (handle[a], handle[b]) for a, b in Follow.objects.values_list("follower", "followee")
    )
    profiles = sorted(
        Profile.objects.values_list(
            "member__username", "headline", "location", "industry", "about", "primary_action"
        )
    )
    positions = sorted(
        Position.objects.values_list("member__username", "title", "company", "started_on")
    )
    posts = sorted(Post.objects.values_list("author__username", "text"))
    return {
        "handles": sorted(handle.values()),
        "names": sorted(User.objects.values_list("username", "display_name", "email")),
        "pairs": pairs,
        "follows": follows,
        "profiles": profiles,
        "positions": positions,
        "posts": posts,
    }


@pytest.fixture
def seeded():
    seed()


def degrees() -> dict[int, int]:
    counts: dict[int, int] = {}
    for a, b in Connection.objects.values_list("member_a", "member_b"):
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    return counts


def test_same_members_and_seed_give_the_same_network():
    seed()
    first = snapshot()
    User.objects.all().delete()
    seed()
    second = snapshot()
    assert len(first["handles"]) == MEMBERS
    assert len(first["pairs"]) > MEMBERS
    for key in first:
        assert first[key] == second[key], key


def test_another_seed_gives_another_network():
    seed()
    first = snapshot()
    User.objects.all().delete()
    call_command("seed", members=MEMBERS, seed=8, verbosity=0)
    assert snapshot()["pairs"] != first["pairs"]


def test_seeded_members_are_valid_confirmed_and_complete(seeded):
    members = list(User.objects.all())
    assert len(members) == MEMBERS
    assert all(re.fullmatch(HANDLE_PATTERN, m.username) for m in members)
    assert len({m.username.lower() for m in members}) == MEMBERS
    assert all(m.email == f"{m.username}@{EMAIL_DOMAIN}" for m in members)
    assert all(m.email_confirmed and m.is_active for m in members)
    assert Profile.objects.count() == MEMBERS
    assert not Profile.objects.filter(Q(headline="") | Q(location="") | Q(industry="")).exists()
    current = Position.objects.filter(ended_on__isnull=True)
    assert current.values("member").distinct().count() == MEMBERS
    assert not Position.objects.filter(ended_on__lt=F("started_on")).exists()
    assert Education.objects.values("member").distinct().count() == MEMBERS
    assert Skill.objects.values("member").distinct().count() == MEMBERS
    assert Post.objects.filter(text__contains="#").count() == Post.objects.count() > MEMBERS


def test_n8_every_seeded_connection_has_both_follows(seeded):
    connections = Connection.objects.annotate(
        a_follows_b=Exists(
            Follow.objects.filter(follower=OuterRef("member_a"), followee=OuterRef("member_b"))
        ),
        b_follows_a=Exists(
            Follow.objects.filter(follower=OuterRef("member_b"), followee=OuterRef("member_a"))
        ),
    )
    assert connections.count() > 0
    assert not connections.filter(Q(a_follows_b=False) | Q(b_follows_a=False)).exists()
    assert not Connection.objects.filter(member_a__gte=F("member_b")).exists()
    assert not ConnectionEvent.objects.exists()  # the Connection table is the snapshot


def test_s2_thought_leaders_make_follow_primary_and_have_one_way_followers(seeded):
    leaders = list(Profile.objects.filter(primary_action="follow").values_list("member", flat=True))
    assert len(leaders) >= 3
    degree = degrees()
    demo = User.objects.get(username=DEMO_HANDLE)
    for leader in leaders:
        followers = Follow.objects.filter(followee=leader).count()
        assert followers > degree.get(leader, 0)  # more followers than connections
        assert Follow.objects.filter(follower=demo, followee=leader).exists()


def test_n7_seeded_degrees_stay_under_the_cap(settings):
    settings.LINKWELL_MAX_CONNECTIONS = 12
    seed()
    assert max(degrees().values()) <= 12
    assert Connection.objects.count() > MEMBERS  # the cap trimmed, it did not empty


def test_n7_cap_degrees_trims_members_over_the_cap_and_spares_the_rest():
    rng = np.random.default_rng(3)
    a = rng.integers(3, 200, 600)
    b = rng.integers(3, 200, 600)
    hubs_a = np.repeat([0, 1, 2], 197)
    hubs_b = np.tile(np.arange(3, 200), 3)
    lo = np.concatenate([np.minimum(a, b), hubs_a])
    hi = np.concatenate([np.maximum(a, b), hubs_b])
    keys = np.unique(lo * 200 + hi)
    keys = keys[keys // 200 != keys % 200]
    capped_a, capped_b = cap_degrees(keys // 200, keys % 200, 200, 20, seed=1)
    degree = np.bincount(capped_a, minlength=200) + np.bincount(capped_b, minlength=200)
    assert degree.max() <= 20
    assert list(degree[:3]) == [20, 20, 20]
    between_others = capped_a >= 3
    assert between_others.sum() == (keys // 200 >= 3).sum()


def test_demo_member_signs_in_and_has_a_living_network(seeded, client, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    demo = User.objects.get(username=DEMO_HANDLE)
    assert demo.display_name == "Demo Member"
    assert demo.email_confirmed
    assert degrees()[demo.id] >= 20
    assert demo.positions.count() >= 3
    assert demo.skills.count() >= 5
    pending = Invitation.objects.filter(status=InvitationStatus.PENDING)
    assert pending.filter(recipient=demo).count() >= 3
    assert pending.filter(sender=demo).count() >= 3
    connected = Connection.objects.filter(Q(member_a=demo) | Q(member_b=demo))
    partners = {a for a, b in connected.values_list("member_a", "member_b")} | {
        b for a, b in connected.values_list("member_a", "member_b")
    }
    invited = set(pending.values_list("sender", flat=True)) | set(
        pending.values_list("recipient", flat=True)
    )
    assert not (invited - {demo.id}) & partners  # no invitation to an existing connection
    assert client.login(username=DEMO_HANDLE, password=DEMO_PASSWORD)
    member = authenticate_member(request=None, identifier=DEMO_HANDLE, password=DEMO_PASSWORD)
    assert member == demo


def test_if_empty_does_nothing_on_a_populated_database():
    make_member(handle="alice")
    seed(if_empty=True)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert not Connection.objects.exists()


def test_seed_refuses_a_populated_database_without_if_empty():
    make_member(handle="alice")
    with pytest.raises(CommandError, match=re.escape(NOT_EMPTY)):
        seed()
    assert User.objects.count() == 1


def test_seeding_twice_with_if_empty_keeps_the_first_network(seeded):
    before = User.objects.count(), Connection.objects.count(), Follow.objects.count()
    seed(if_empty=True)
    assert (User.objects.count(), Connection.objects.count(), Follow.objects.count()) == before


def test_posts_per_member_zero_seeds_no_posts_but_the_leaders_and_demo():
    seed(posts_per_member=0)
    authors = Post.objects.values("author").annotate(n=Count("id"))
    leaders = set(Profile.objects.filter(primary_action="follow").values_list("member", flat=True))
    demo = User.objects.get(username=DEMO_HANDLE).id
    assert {row["author"] for row in authors} <= leaders | {demo}


def test_seed_refuses_fewer_than_ten_members():
    with pytest.raises(CommandError, match=re.escape(TOO_FEW)):
        call_command("seed", members=5, seed=1, verbosity=0)
    assert not User.objects.exists()


def test_seed_network_service_refuses_a_populated_database():
    from core.errors import Conflict
    from demo.services import seed_network

    make_member(handle="alice")
    with pytest.raises(Conflict, match=re.escape(NOT_EMPTY)):
        seed_network(members=MEMBERS, seed=1)
