"""Reads of profiles: who may see which member, and how much of them (S1, B1).

`visible_profiles` is the one answer to "what may this reader see of these members": the
profile page at /in/<handle>/ and the API's Account entity (and every API answer that
embeds one) both render the ProfileView it returns, so the public card can't say more
through one door than through the other. docs/security.md, "What each reader sees".
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import NotFound
from network.queries import blocks_involving
from profiles.models import Position

# Mastodon's words, and no rule id: an unknown member and a hidden one get the very same
# 404, so the answer tells nothing.
MEMBER_NOT_FOUND = _("Record not found")


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


def visible_profiles(
    viewer, members, *, blocked_as_card: bool = False, blocks=None
) -> list[ProfileView]:
    """S1 and B1 for a list, in its order, in at most one query: a member blocked either way
    is left out, as are deactivated members; a signed-out reader (or an app without a
    member) gets the public card; any other signed-in member the whole profile.

    `blocked_as_card`: where the viewer acts on their own block (their block list, a report
    about a member they blocked), members the viewer blocked come as the public card; those
    who blocked the viewer stay out. `blocks`: the viewer's (blocker, blocked) pairs when
    the caller already has them (a request's Viewpoint), so no query is made."""
    members = [m for m in members if m is not None and m.is_active]
    if viewer is None or not viewer.is_authenticated:
        return [ProfileView(m, full=False) for m in members]
    me = viewer.pk
    others = [m.pk for m in members if m.pk != me]
    if blocks is None:
        blocks = blocks_involving(me, others) if others else []
    viewer_blocked = {blocked for blocker, blocked in blocks if blocker == me}
    blocked_viewer = {blocker for blocker, blocked in blocks if blocked == me}
    seen = []
    for member in members:
        if member.pk in viewer_blocked:
            if blocked_as_card:
                seen.append(ProfileView(member, full=False))
        elif member.pk not in blocked_viewer:
            seen.append(ProfileView(member, full=True))
    return seen


def visible_profile(viewer, member, **options) -> ProfileView:
    """One member; NotFound when unknown or hidden, which every surface answers as a 404."""
    found = visible_profiles(viewer, [member], **options)
    if not found:
        raise NotFound(MEMBER_NOT_FOUND)
    return found[0]


def member_for_profile(*, handle: str, viewer=None) -> User | None:
    """The member at /in/<handle>/ (any case) with their profile, or None if unknown or
    hidden from `viewer` (B1); with no viewer, no block is looked at."""
    member = (
        User.objects.filter(username__iexact=handle, is_active=True)
        .select_related("profile")
        .prefetch_related(
            Prefetch("positions", queryset=Position.objects.order_by("-started_on", "-id")),
            "education",
            "skills",
        )
        .first()
    )
    if member is None or viewer is None:
        return member
    try:
        return visible_profile(viewer, member).member
    except NotFound:
        return None


def current_position(member) -> Position | None:
    """The latest open position, else the latest one; uses prefetched positions when present."""
    positions = list(member.positions.all())
    current = [p for p in positions if p.ended_on is None]
    pool = current or positions
    return max(pool, key=lambda p: (p.started_on, p.pk)) if pool else None


def initials(member) -> str:
    words = [w for w in member.name.replace("_", " ").split() if w[:1].isalnum()]
    return ("".join(w[0] for w in words[:2]) or member.username[:1]).upper()
