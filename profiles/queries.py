"""Reads of profiles: how much of a member a reader sees (S1), and the profile's details.

Whether the reader may see the member at all (B1) and whether they get the whole profile or
the public card is answered once, by `network.queries.visible_member(s)`, which returns the
ProfileView defined here: the profile page at /in/<handle>/ and the API's Account entity
(and every API answer that embeds one) both render it, so the public card can't say more
through one door than through the other. docs/security.md, "What each reader sees".
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, prefetch_related_objects

from accounts.models import User
from core.text import fold_label
from profiles.models import ConnectionsVisibleTo, MemberCounts, Position, Profile


@dataclass(frozen=True)
class Counts:
    """A member's counts as one reader may see them: the kept counters (never counted at
    read), with S1's public card showing none and S5's `only_me` showing others no network
    numbers (docs/security.md, "Counts")."""

    followers: int = 0
    following: int = 0
    connections: int = 0
    posts: int = 0
    last_post_at: datetime | None = None
    shown: bool = False  # False: the public card, which shows no number at all
    network_hidden: bool = False  # S5 `only_me`, seen by someone else: 0 for the three


NO_COUNTS = Counts()


def kept_counts(member) -> MemberCounts | None:
    """The member's counter row, loaded with them (`select_related("counts")`) or read now;
    None when the row is missing (membership's reads create it from the rows)."""
    try:
        return member.counts
    except MemberCounts.DoesNotExist:
        return None


def fresh_counts(member_id: int) -> MemberCounts | None:
    """The counter row as stored now (a write's check, such as N7's limit), never a copy
    cached on a User loaded earlier."""
    return MemberCounts.objects.filter(pk=member_id).first()


@dataclass(frozen=True)
class PositionLine:
    """The one line of experience the public card shows ("Title at Company"): no dates."""

    title: str
    company: str
    started_on: date | None = None
    ended_on: date | None = None
    description: str = ""
    pk: int = 0  # the position's id, when read from its row (the latest-first tie-break)


@dataclass(frozen=True)
class ProfileView:
    """What one reader may see of one member: the whole profile (`full`), or S1's public card,
    which is what the signed-out page shows: name, photo, handle, headline, location and the
    current position's title and company; no about, industry, experience, education,
    skills, counts or network. Reads the member's prefetched positions, education, skills."""

    member: User
    full: bool
    own: bool = False  # the reader is the member

    @property
    def headline(self) -> str:
        return self.member.profile.headline

    @property
    def location(self) -> str:
        return self.member.profile.location

    @property
    def industry(self) -> str:
        return self.member.profile.industry if self.full else ""

    @property
    def about(self) -> str:
        return self.member.profile.about if self.full else ""

    @property
    def position(self) -> Position | PositionLine | None:
        current = current_position(self.member)
        if current is None or self.full:
            return current
        return PositionLine(title=current.title, company=current.company)

    @property
    def positions(self) -> list:
        if self.full:
            return list(self.member.positions.all())
        return [self.position] if self.position is not None else []

    @property
    def education(self) -> list:
        return list(self.member.education.all()) if self.full else []

    @property
    def skills(self) -> list:
        return list(self.member.skills.all()) if self.full else []

    @property
    def shows_counts(self) -> bool:
        """Followers, following, posts and connections counts: not on the public card."""
        return self.full

    @property
    def counts(self) -> Counts:
        """The one read of a member's counts for every page and entity. S5: a list hidden
        from this reader (`only_me`: followers and following are empty, connections cut to
        the shared ones) shows 0, not the size of what it hides."""
        kept = kept_counts(self.member) or MemberCounts()
        # The setting matters only to others: a member's own page doesn't load it for this.
        hiding = "" if self.own or not self.full else self.member.profile.connections_visible_to
        return counts_seen(kept, hiding, full=self.full, own=self.own)


def counts_seen(kept, connections_visible_to: str, *, full: bool, own: bool) -> Counts:
    """`kept` (a counter row, or anything with its five fields) as one reader sees it: none
    on the public card (S1); S5's `only_me` shows others 0 for the network's three."""
    if not full:
        return NO_COUNTS
    hidden = not own and connections_visible_to == ConnectionsVisibleTo.ONLY_ME
    return Counts(
        followers=0 if hidden else kept.followers,
        following=0 if hidden else kept.following,
        connections=0 if hidden else kept.connections,
        posts=kept.posts,
        last_post_at=kept.last_post_at,
        shown=True,
        network_hidden=hidden,
    )


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """One member as one reader may see them, built from plain columns (no model objects):
    what a ProfileView answers, for pages of API accounts (40 per page, each built in
    microseconds). `of` applies S1's public card exactly as ProfileView does."""

    id: int
    username: str
    display_name: str
    date_joined: datetime
    avatar: str  # the stored file's name, "" for none
    headline: str
    location: str
    industry: str
    about: str
    followers_allowed: str
    primary_action: str
    connections_visible_to: str
    language: str
    discoverable: bool
    positions: tuple[PositionLine, ...]
    counts: Counts
    full: bool
    own: bool

    @classmethod
    def of(cls, row: dict, positions: list[PositionLine], kept, *, full: bool, own: bool):
        """`row`: the member's and profile's columns; `positions` current ones first, as
        membership.queries orders them; `kept`: the counter row's five fields."""
        if not full:  # S1: the current position's title and company, no dates
            current = _current_line(positions)
            positions = [PositionLine(current.title, current.company)] if current else []
            row = {**row, "industry": "", "about": ""}
        return cls(
            **row,
            positions=tuple(positions),
            counts=counts_seen(kept, row["connections_visible_to"], full=full, own=own),
            full=full,
            own=own,
        )


def _current_line(positions: list[PositionLine]) -> PositionLine | None:
    """As `current_position`: the latest open position, else the latest one."""
    pool = [p for p in positions if p.ended_on is None] or positions
    return max(pool, key=lambda p: (p.started_on or date.min, p.pk)) if pool else None


def with_details(member):
    """The member with their experience, education and skills loaded, as the profile page and
    its edit page show them (three queries), so a ProfileView reads them without more."""
    prefetch_related_objects(
        [member],
        Prefetch("positions", queryset=Position.objects.order_by("-started_on", "-id")),
        "education",
        "skills",
    )
    return member


def current_position(member) -> Position | None:
    """The latest open position, else the latest one; uses prefetched positions when present."""
    positions = list(member.positions.all())
    current = [p for p in positions if p.ended_on is None]
    pool = current or positions
    return max(pool, key=lambda p: (p.started_on, p.pk)) if pool else None


def initials(member) -> str:
    words = [w for w in member.name.replace("_", " ").split() if w[:1].isalnum()]
    return ("".join(w[0] for w in words[:2]) or member.username[:1]).upper()


def current_companies(member_ids) -> dict[int, dict[str, str]]:
    """The companies each member works at now (open positions), in one query: {member:
    {name lower-cased, spaces collapsed: the name as the latest position spells it}}. The
    say-hello message names a shared one (A2); M5 compares pages, not these names."""
    found: dict[int, dict[str, str]] = {}
    rows = Position.objects.filter(member_id__in=list(member_ids), ended_on__isnull=True)
    for member_id, company in rows.order_by("-started_on", "-id").values_list(
        "member_id", "company"
    ):
        name = " ".join(company.split()).lower()
        if name:
            found.setdefault(member_id, {}).setdefault(name, company)
    return found


def city_of(location: str) -> str:
    """The city a profile's location names, as one matching key: profiles keep one free-text
    location ("Lisbon", "Lisboa, Portugal"), so the whole of it is the city, folded as search's
    location facet folds it (accents, case, spaces): "São  Paulo" and "sao paulo" meet,
    "Lisbon" and "Lisbon, Portugal" do not. A3's "moved to your city" compares these."""
    return fold_label(location)[:100]


def language_of(member: User) -> str:
    """The member's chosen interface language, or "" when they follow their browser."""
    found = Profile.objects.filter(member_id=member.pk).values_list("language", flat=True).first()
    return found or ""
