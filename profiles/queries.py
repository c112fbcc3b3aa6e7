"""Reads of profiles: how much of a member a reader sees (S1), and the profile's details.

Whether the reader may see the member at all (B1) and whether they get the whole profile or
the public card is answered once, by `network.queries.visible_member(s)`, which returns the
ProfileView defined here: the profile page at /in/<handle>/ and the API's Account entity
(and every API answer that embeds one) both render it, so the public card can't say more
through one door than through the other. docs/security.md, "What each reader sees".
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, prefetch_related_objects

from accounts.models import User
from profiles.models import Position, Profile


@dataclass(frozen=True)
class PositionLine:
    """The one line of experience the public card shows ("Title at Company"): no dates."""

    title: str
    company: str
    started_on: date | None = None
    ended_on: date | None = None
    description: str = ""


@dataclass(frozen=True)
class ProfileView:
    """What one reader may see of one member: the whole profile (`full`), or S1's public card,
    which is what the signed-out page shows: name, photo, handle, headline, location and the
    current position's title and company; no about, industry, experience, education,
    skills, counts or network. Reads the member's prefetched positions, education, skills."""

    member: User
    full: bool

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


def current_first_positions() -> Prefetch:
    """Positions current ones first, then by start: the order the API's Account lists them."""
    return Prefetch(
        "positions",
        queryset=Position.objects.order_by(
            F("ended_on").desc(nulls_first=True), "-started_on", "-id"
        ),
    )


def current_position(member) -> Position | None:
    """The latest open position, else the latest one; uses prefetched positions when present."""
    positions = list(member.positions.all())
    current = [p for p in positions if p.ended_on is None]
    pool = current or positions
    return max(pool, key=lambda p: (p.started_on, p.pk)) if pool else None


def initials(member) -> str:
    words = [w for w in member.name.replace("_", " ").split() if w[:1].isalnum()]
    return ("".join(w[0] for w in words[:2]) or member.username[:1]).upper()


def current_companies(member_ids) -> dict[int, set[str]]:
    """The companies each member works at now (open positions), lower-cased, in one query:
    M5's "current coworkers" compares them."""
    found: dict[int, set[str]] = {}
    rows = Position.objects.filter(member_id__in=list(member_ids), ended_on__isnull=True)
    for member_id, company in rows.values_list("member_id", "company"):
        name = " ".join(company.split()).lower()
        if name:
            found.setdefault(member_id, set()).add(name)
    return found


def language_of(member: User) -> str:
    """The member's chosen interface language, or "" when they follow their browser."""
    found = Profile.objects.filter(member_id=member.pk).values_list("language", flat=True).first()
    return found or ""
