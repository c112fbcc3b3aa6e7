"""Reads of OAuth: the token behind a request, personal tokens and the apps a member
authorised (U5)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import router
from django.db.models import F
from oauth2_provider.models import AccessToken

from core.compiled import CompiledRead


def bearer_token(raw: str) -> AccessToken | None:
    """The live token a request presents (stored as its SHA-256), with its member (and their
    `interface_language`, "" unset) and app; None when unknown, expired, or its member is
    deactivated. One statement compiled once: it runs before every API call."""
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    found = _BEARER.objects(router.db_for_read(AccessToken), checksum)
    token = found[0] if found else None
    if token is None or token.is_expired():
        return None
    if token.user_id is not None and not token.user.is_active:
        return None
    if token.user_id is not None:
        token.user.interface_language = token.owner_language or ""
    return token


_BEARER = CompiledRead(
    # the owner's interface language, by the profile's one-to-one name: oauth imports
    # nothing of profiles (as accounts' signed-in read)
    lambda checksum: (
        AccessToken.objects.filter(token_checksum=checksum)
        .select_related("user", "application")
        .annotate(owner_language=F("user__profile__language"))[:1]
    ),
    "\x00checksum",
)


def personal_tokens(member):
    """The member's personal access tokens, newest first."""
    return AccessToken.objects.filter(
        user=member, application__registration__personal=True
    ).order_by("-created", "-id")


@dataclass(frozen=True)
class AuthorisedApp:
    """An app that holds at least one access token of the member's."""

    id: int
    name: str
    website: str
    scopes: list[str]
    authorised_at: datetime  # the newest of its tokens: when the member last said yes


def authorised_apps(member) -> list[AuthorisedApp]:
    """U5, in one query: every app with a token of the member's but the personal-token app,
    most recently authorised first. Token use is not recorded (it would be a write on every
    API call), so there is no "last used"."""
    rows = (
        AccessToken.objects.filter(user=member, application__isnull=False)
        .exclude(application__registration__personal=True)
        .order_by("created", "id")
        .values_list(
            "application_id",
            "application__name",
            "application__registration__website",
            "scope",
            "created",
        )
    )
    apps: dict[int, dict] = {}
    for app_id, name, website, scope, created in rows:
        app = apps.setdefault(
            app_id, {"id": app_id, "name": name, "website": website or "", "scopes": []}
        )
        app["scopes"] += [s for s in scope.split() if s not in app["scopes"]]
        app["authorised_at"] = created
    found = [AuthorisedApp(**app) for app in apps.values()]
    return sorted(found, key=lambda app: (app.authorised_at, app.id), reverse=True)
