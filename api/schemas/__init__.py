"""Mastodon entities as Linkwell serves them: built here, never on the models."""

from datetime import UTC, datetime


def iso(moment: datetime | None) -> str | None:
    """Mastodon's datetime form: UTC with milliseconds and a Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
