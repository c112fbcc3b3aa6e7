"""Mastodon entities as Linkwell serves them: built here, never on the models."""

from datetime import UTC, datetime

from django.conf import settings


def iso(moment: datetime | None) -> str | None:
    """Mastodon's datetime form: UTC with milliseconds and a Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def absolute(path: str) -> str:
    """A media or page address as Mastodon clients want it: with the site's origin, unless a
    storage already gave a whole URL."""
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"
