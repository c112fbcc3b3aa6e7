"""Reads of profiles: who may see which member, and what a signed-out visitor sees (S1)."""

from django.db.models import Prefetch, Q

from accounts.models import User
from network.models import Block
from profiles.models import Position


def blocked_between(viewer, member) -> bool:
    """B1: either side's block hides each profile from the other."""
    if viewer is None or not viewer.is_authenticated or viewer.pk == member.pk:
        return False
    return Block.objects.filter(
        Q(blocker=viewer, blocked=member) | Q(blocker=member, blocked=viewer)
    ).exists()


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
    if member is None or blocked_between(viewer, member):
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
