"""Reads of profiles: who may see which member, and what a signed-out visitor sees (S1)."""

from django.db.models import Prefetch

from accounts.models import User
from network.queries import is_blocked_between
from profiles.models import Position


def member_for_profile(*, handle: str, viewer=None) -> User | None:
    """The member at /in/<handle>/ (any case) with their profile, or None if hidden or unknown."""
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
    if member is None or is_blocked_between(viewer, member):
        return None
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
