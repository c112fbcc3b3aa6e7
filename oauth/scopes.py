"""Mastodon's scopes: four umbrellas (read, write, follow, push), their `read:x` parts, profile.

A token holding an umbrella holds every part under it; `follow` is Mastodon's legacy
umbrella for follows, blocks and mutes.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

# What the consent page shows for each scope, in the member's language.
UMBRELLAS = {
    "read": _("Read your account and network"),
    "write": _("Change your account and network"),
    "follow": _("Follow, connect and block"),
    "push": _("Receive push notifications"),
    "profile": _("Read only your own account"),
}
READ_PARTS = (
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
)
WRITE_PARTS = (
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
)
FOLLOW_PARTS = ("read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes")
FOLLOW_PARTS += ("write:mutes",)

ALL_SCOPES: dict[str, str] = dict(UMBRELLAS)
PART_NAMES = {
    "accounts": _("accounts"),
    "blocks": _("blocks"),
    "bookmarks": _("bookmarks"),
    "conversations": _("conversations"),
    "favourites": _("favourites"),
    "filters": _("filters"),
    "follows": _("follows"),
    "lists": _("lists"),
    "media": _("media"),
    "mutes": _("mutes"),
    "notifications": _("notifications"),
    "reports": _("reports"),
    "search": _("search"),
    "statuses": _("statuses"),
}
READ_PART = _("Read your {part}")
WRITE_PART = _("Change your {part}")
ALL_SCOPES.update(
    {f"read:{part}": format_lazy(READ_PART, part=PART_NAMES[part]) for part in READ_PARTS}
)
ALL_SCOPES.update(
    {f"write:{part}": format_lazy(WRITE_PART, part=PART_NAMES[part]) for part in WRITE_PARTS}
)
DEFAULT_SCOPES = ["read"]


def parse(scopes: str | list[str] | None) -> list[str]:
    """Space- or plus-separated (some clients send `read+write`), order kept, duplicates dropped."""
    if scopes is None:
        return []
    if isinstance(scopes, str):
        scopes = scopes.replace("+", " ").split()
    seen: list[str] = []
    for scope in scopes:
        if scope and scope not in seen:
            seen.append(scope)
    return seen


def unknown(scopes: list[str]) -> list[str]:
    return [scope for scope in scopes if scope not in ALL_SCOPES]


def covered(granted: list[str] | set[str]) -> set[str]:
    """Every scope that the granted ones imply."""
    result = set(granted)
    for scope in granted:
        if scope in ("read", "write"):
            parts = READ_PARTS if scope == "read" else WRITE_PARTS
            result.update(f"{scope}:{part}" for part in parts)
        elif scope == "follow":
            result.update(FOLLOW_PARTS)
    return result


def allows(granted: list[str] | set[str], wanted: str) -> bool:
    return wanted in covered(granted)


class MastodonScopes(BaseScopes):
    """What an application may ask for: the scopes it registered with, and their parts."""

    def get_all_scopes(self):
        return ALL_SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        registered = _registered_scopes(application)
        if registered is None:
            return list(ALL_SCOPES)
        return sorted(covered(registered))

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        registered = _registered_scopes(application)
        if registered is None or "read" in registered:
            return list(DEFAULT_SCOPES)
        return registered


def _registered_scopes(application) -> list[str] | None:
    if application is None:
        return None
    registration = getattr(application, "registration", None)
    if registration is None:
        return None
    return parse(registration.scopes)
