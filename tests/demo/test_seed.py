"""`linkwell seed`: the demo network is deterministic, valid, and safe to run every time."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q

from accounts.models import HANDLE_PATTERN, User
from accounts.services import authenticate_member
from bench.synthetic import linkedin_like_graph
from demo.seeder import (
    DEFAULT_AVG_CONNECTIONS,
    DEMO_HANDLE,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    NOT_EMPTY,
    TOO_FEW,
    fan_out_seeded_posts,
    seed_network,
)
from feed import home, news
from feed.models import FeedAuthor, News, Post, PostKind, TimelineEntry, Visibility
from network.models import (
    Block,
    Connection,
    ConnectionEvent,
    Follow,
    Invitation,
    InvitationReason,
    InvitationStatus,
)
from profiles.models import Education, Position, PrimaryAction, Profile, Skill
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


def test_same_members_and_seed_give_the_same_network(frozen_now):
    """Dates are offsets from now (in minutes, then days): the clock stands still between the
    two seeds, or a minute's tick can move a start date across midnight."""
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
    written = Post.objects.exclude(kind="news")
    assert written.filter(text__contains="#").count() == written.count() > MEMBERS


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
    leaders = list(
        Profile.objects.filter(primary_action=PrimaryAction.FOLLOW).values_list("member", flat=True)
    )
    assert len(leaders) >= 3
    degree = degrees()
    demo = User.objects.get(username=DEMO_HANDLE)
    for leader in leaders:
        followers = Follow.objects.filter(followee=leader).count()
        assert followers > degree.get(leader, 0)  # more followers than connections
        assert Follow.objects.filter(follower=demo, followee=leader).exists()


def test_n7_seeded_network_respects_the_generators_cap(settings):
    uncapped = linkedin_like_graph(MEMBERS, avg_connections=DEFAULT_AVG_CONNECTIONS, seed=7)
    assert uncapped.degrees().max() > 12  # without the cap some member would be over it
    settings.LINKWELL_MAX_CONNECTIONS = 12
    seed()
    assert max(degrees().values()) <= 12
    assert Connection.objects.count() > MEMBERS  # the cap trimmed, it did not empty


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
    with pytest.raises(CommandError, match=re.escape(str(NOT_EMPTY))):
        seed()
    assert User.objects.count() == 1


def test_seeding_twice_with_if_empty_keeps_the_first_network(seeded):
    before = User.objects.count(), Connection.objects.count(), Follow.objects.count()
    seed(if_empty=True)
    assert (User.objects.count(), Connection.objects.count(), Follow.objects.count()) == before


def test_posts_per_member_zero_seeds_posts_only_for_the_leaders_and_demo():
    seed(posts_per_member=0)
    written = Post.objects.exclude(kind="news")  # news is what members' profiles said (S7)
    authors = {row["author"] for row in written.values("author").annotate(n=Count("id"))}
    leaders = set(
        Profile.objects.filter(primary_action=PrimaryAction.FOLLOW).values_list("member", flat=True)
    )
    demo = User.objects.get(username=DEMO_HANDLE).id
    assert leaders and authors == leaders | {demo}  # an empty feed would fail here


def test_seed_refuses_fewer_than_ten_members():
    with pytest.raises(CommandError, match=re.escape(str(TOO_FEW))):
        call_command("seed", members=5, seed=1, verbosity=0)
    assert not User.objects.exists()


def test_seed_network_refuses_a_populated_database():
    from core.errors import Conflict

    make_member(handle="alice")
    with pytest.raises(Conflict, match=re.escape(str(NOT_EMPTY))):
        seed_network(members=MEMBERS, seed=1)


def test_seeded_network_keeps_the_invariants_the_services_keep(settings):
    """The seeder bypasses the services, so its rows must be ones the services could reach."""
    report = seed_network(members=MEMBERS, seed=7)
    members = set(User.objects.values_list("id", flat=True))
    rows = list(Connection.objects.values_list("member_a", "member_b", "reason"))
    connected = {(a, b) for a, b, _ in rows}
    follows = set(Follow.objects.values_list("follower", "followee"))
    leaders = set(
        Profile.objects.filter(primary_action=PrimaryAction.FOLLOW).values_list("member", flat=True)
    )

    # N2: each pair once, stored member_a < member_b, between existing members; A1's reasons.
    assert len(connected) == len(rows) == report.connections > MEMBERS
    assert all(a < b and a in members and b in members for a, b in connected)
    reasons = {reason for _, _, reason in rows}
    assert reasons <= {"", *InvitationReason.values}
    assert {InvitationReason.COLLEAGUE, InvitationReason.CLASSMATE} <= reasons
    # N7: nobody over the cap.
    assert max(degrees().values()) <= settings.LINKWELL_MAX_CONNECTIONS
    # N8: both follows on every connection (the seed unfollows nobody).
    assert all((a, b) in follows and (b, a) in follows for a, b in connected)
    # S2/F1: every other follow is one-way, towards a thought leader; nobody follows themself.
    one_way = {(f, t) for f, t in follows if (min(f, t), max(f, t)) not in connected}
    assert one_way and {followee for _, followee in one_way} <= leaders
    assert all(follower != followee for follower, followee in follows)
    assert len(follows) == report.follows == 2 * len(connected) + len(one_way)
    # N2/N6/N10: pending invitations only, one per pair, none between connected members, none
    # with a thought leader (N10 would have made the sender a follower).
    invitations = list(Invitation.objects.values_list("sender", "recipient", "status", "reason"))
    assert len(invitations) == report.invitations > 0
    assert {status for _, _, status, _ in invitations} == {InvitationStatus.PENDING}
    assert {reason for *_, reason in invitations} <= {"", *InvitationReason.values}
    pairs = [(min(s, r), max(s, r)) for s, r, _, _ in invitations]
    assert len(set(pairs)) == len(pairs)
    assert all(s != r for s, r, _, _ in invitations)
    assert not set(pairs) & connected
    assert not {s for s, *_ in invitations} & leaders
    assert not {r for _, r, *_ in invitations} & leaders
    # B1: the seed blocks nobody, so nothing may cross a block.
    blocked = {(min(a, b), max(a, b)) for a, b in Block.objects.values_list("blocker", "blocked")}
    assert not blocked and not blocked & connected
    # One profile per member; posts only with P1's visibilities; no replayable event.
    assert Profile.objects.count() == len(members) == report.members
    assert Post.objects.exclude(kind="news").count() == report.posts
    assert set(Post.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert not ConnectionEvent.objects.exists()


SEEDED_TABLES = [
    model._meta.db_table
    for model in (
        User,
        Profile,
        Position,
        Education,
        Skill,
        Post,
        Connection,
        Follow,
        Invitation,
        FeedAuthor,
        TimelineEntry,
    )
]


def test_s7_the_seed_has_news_of_new_positions_the_members_chose_to_share(settings):
    """S7: "X has a new position" as announce_position writes it: current positions begun in
    the last 90 days of members who kept share_profile_updates, one item per member and day,
    some of them in the demo member's feed."""
    settings.LINKWELL_MAX_CONNECTIONS = 30_000
    report = seed_network(members=MEMBERS, seed=3)
    items = News.objects.select_related("member__profile")
    assert report.news == items.count() == Post.objects.filter(kind="news").count() > 0
    for item in items:
        [subject] = item.subjects.select_related("position")
        assert news.is_news(subject.position) and item.member.profile.share_profile_updates
        assert item.kind == "position" and subject.position.member_id == item.member_id
    demo = User.objects.get(username=DEMO_HANDLE)
    shown = [i for i in home.home(demo, order="recent", limit=40).items if i.post.kind == "news"]
    assert shown and all("has a new position" in i.post.html for i in shown)


def manual_analyze_counts() -> dict[str, int]:
    """PostgreSQL's count of explicit ANALYZE runs per table (kept outside transactions)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [SEEDED_TABLES],
        )
        return dict(cursor.fetchall())


def sqlite_row_estimates() -> dict[str, int]:
    """The row counts SQLite's planner reads from sqlite_stat1 (none before an ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return {}
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1")
        estimates: dict[str, int] = {}
        for table, stat in cursor.fetchall():
            estimates[table] = max(estimates.get(table, 0), int(stat.split()[0]))
        return estimates


def test_seed_analyzes_every_table_it_wrote_so_the_planner_knows_their_size():
    if connection.vendor == "postgresql":
        before = manual_analyze_counts()
        seed()
        after = manual_analyze_counts()
        assert set(after) == set(SEEDED_TABLES)
        assert all(after[table] > before.get(table, 0) for table in SEEDED_TABLES)
    else:
        assert not set(sqlite_row_estimates()) & set(SEEDED_TABLES)
        seed()
        estimates = sqlite_row_estimates()
        assert set(estimates) >= set(SEEDED_TABLES)
        assert estimates[Follow._meta.db_table] == Follow.objects.count()
        assert estimates[User._meta.db_table] == MEMBERS


def test_p1_seeded_timelines_hold_what_the_fan_out_would_have_written(settings):
    """The seed's one SQL fan-out equals feed.fanout's rule: the author and every follower
    (a `connections` post only for connected followers, P1/F2), a read-time author only
    their own row. S7 news is written with its own rows by the news seeding, not fanned."""
    settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = 60
    seed()
    read_time = set(FeedAuthor.objects.filter(read_time=True).values_list("member_id", flat=True))
    assert read_time and FeedAuthor.objects.filter(read_time=False).exists()
    followers: dict[int, set[int]] = {}
    for follower, followee in Follow.objects.values_list("follower_id", "followee_id"):
        followers.setdefault(followee, set()).add(follower)
    pairs = set(Connection.objects.values_list("member_a_id", "member_b_id"))
    expected = set()
    for post, author, visibility in Post.objects.exclude(
        kind__in=[PostKind.COMMENT, PostKind.NEWS]
    ).values_list("id", "author_id", "visibility"):
        expected.add((author, post))
        if author in read_time:
            continue
        for reader in followers.get(author, ()):
            if (
                visibility == Visibility.ANYONE
                or (min(reader, author), max(reader, author)) in pairs
            ):
                expected.add((reader, post))
    fanned = TimelineEntry.objects.exclude(post__kind=PostKind.NEWS)
    assert set(fanned.values_list("member_id", "post_id")) == expected
    readers = sorted({member for member, _ in expected})[:3]
    TimelineEntry.objects.all().delete()
    fan_out_seeded_posts(0, readers=readers)
    assert set(TimelineEntry.objects.values_list("member_id", "post_id")) == {
        (member, post) for member, post in expected if member in readers
    }
    assert any(
        v == Visibility.CONNECTIONS for v in Post.objects.values_list("visibility", flat=True)
    )


def test_g3_the_seed_links_every_position_and_school_to_a_page_with_an_initials_logo(seeded):
    """Issue 16: the demo seed makes a page for every company and school it names, with a
    logo drawn from the initials, links every position and school entry to its page (G3's
    people and alumni come from those links), has members follow their current company's
    page, and makes the demo member an admin of their current company's and school's pages."""
    from PIL import Image

    from pages.models import EducationPage, Page, PageAdmin, PageFollow, PageKind, PositionPage

    positions, entries = Position.objects.count(), Education.objects.count()
    assert positions and entries
    assert PositionPage.objects.count() == positions
    assert EducationPage.objects.count() == entries
    assert not PositionPage.objects.exclude(page__kind=PageKind.COMPANY).exists()
    assert not EducationPage.objects.exclude(page__kind=PageKind.SCHOOL).exists()
    for link in PositionPage.objects.select_related("page", "position")[:200]:
        assert (link.page.name, link.member_id) == (link.position.company, link.position.member_id)
    for link in EducationPage.objects.select_related("page", "education")[:200]:
        assert (link.page.name, link.member_id) == (link.education.school, link.education.member_id)
    named = set(Position.objects.values_list("company", flat=True)) | set(
        Education.objects.values_list("school", flat=True)
    )
    assert set(Page.objects.values_list("name", flat=True)) == named
    for page in Page.objects.all():
        with page.logo.open("rb") as stored, Image.open(stored) as logo:
            assert logo.width == logo.height > 0
    current = set(
        PositionPage.objects.filter(position__ended_on__isnull=True).values_list("page", "member")
    )
    assert current <= set(PageFollow.objects.values_list("page", "member"))
    demo = User.objects.get(username=DEMO_HANDLE)
    runs = set(PageAdmin.objects.filter(member=demo).values_list("page__kind", flat=True))
    assert runs == {PageKind.COMPANY, PageKind.SCHOOL}
