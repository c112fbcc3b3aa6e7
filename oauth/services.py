"""Writes for OAuth clients: registering an app, personal access tokens, sign-up tokens,
and a member revoking an app they authorised (U5).

Client secrets are stored hashed (django-oauth-toolkit's default); the plain secret
exists only in the answer to the registration.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import (
    AccessToken,
    Application,
    Grant,
    IDToken,
    RefreshToken,
    set_token_value,
)
from oauth2_provider.settings import oauth2_settings

from accounts.models import User
from core import clock
from core.errors import Invalid, NotFound
from oauth import scopes as scope_rules
from oauth.models import RedeemedCode, Registration

OOB = "urn:ietf:wg:oauth:2.0:oob"
PERSONAL_APP_NAME = "Personal access tokens"
NAME_REQUIRED = _("Validation failed: Application name can't be blank")
NAME_TOO_LONG = _("Validation failed: Application name is too long (at most 60 characters)")
REDIRECT_REQUIRED = _("Validation failed: Redirect URI can't be blank")
REDIRECT_INVALID = _("Validation failed: Redirect URI must be an absolute URI: {uri}")
REDIRECT_SCHEME_REFUSED = _(
    "Validation failed: Redirect URI can't use the {scheme}: scheme; use https, a loopback "
    "http address or your app's own scheme: {uri}"
)
# Schemes a browser runs, reads from disk or renders in place instead of handing to an app:
# a code sent to one of them goes to a script or a file, never to the client.
REFUSED_REDIRECT_SCHEMES = frozenset(
    {"javascript", "vbscript", "livescript", "data", "file", "blob", "filesystem", "about"}
    | {"view-source", "chrome", "chrome-extension", "resource", "jar", "ms-its", "mhtml"}
)
SCOPES_UNKNOWN = _("Validation failed: Scopes are not known to this server: {scopes}")
WEBSITE_INVALID = _("Validation failed: Website must be an http or https URL")
TOKEN_NOT_FOUND = _("No such personal access token.")
SCOPES_REQUIRED = _("Choose at least one scope for the token.")


def _redirect_uris(redirect_uris: list[str]) -> list[str]:
    uris = [uri.strip() for uri in redirect_uris if uri and uri.strip()]
    if not uris:
        raise Invalid(REDIRECT_REQUIRED)
    for uri in uris:
        if uri == OOB:
            continue
        parts = urlsplit(uri)
        if parts.scheme.lower() in REFUSED_REDIRECT_SCHEMES:
            scheme = parts.scheme.lower()
            raise Invalid(REDIRECT_SCHEME_REFUSED.format(scheme=scheme, uri=uri))
        if not parts.scheme or (parts.scheme in ("http", "https") and not parts.netloc):
            raise Invalid(REDIRECT_INVALID.format(uri=uri))
        if parts.fragment:
            raise Invalid(REDIRECT_INVALID.format(uri=uri))
    return uris


def redirect_schemes(application: Application) -> list[str]:
    """Where the consent page may send the code: the toolkit's schemes, and the app's own."""
    registered = {urlsplit(uri).scheme.lower() for uri in application.redirect_uris.split()}
    own = sorted(registered - REFUSED_REDIRECT_SCHEMES - {""})
    return list(dict.fromkeys([*application.get_allowed_schemes(), *own]))


def _scopes(scopes: list[str]) -> list[str]:
    scopes = scopes or list(scope_rules.DEFAULT_SCOPES)
    unknown = scope_rules.unknown(scopes)
    if unknown:
        raise Invalid(SCOPES_UNKNOWN.format(scopes=" ".join(unknown)))
    return scopes


@transaction.atomic
def register_app(
    *, name: str, redirect_uris: list[str], scopes: list[str], website: str = ""
) -> tuple[Application, str]:
    """A confidential client, as Mastodon makes them; returns the app and its plain secret."""
    name = (name or "").strip()
    if not name:
        raise Invalid(NAME_REQUIRED)
    if len(name) > 60:
        raise Invalid(NAME_TOO_LONG)
    uris = _redirect_uris(redirect_uris)
    scopes = _scopes(scopes)
    website = (website or "").strip()
    if website and urlsplit(website).scheme not in ("http", "https"):
        raise Invalid(WEBSITE_INVALID)
    secret = secrets.token_urlsafe(32)
    application = Application(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(uris),
        client_secret=secret,
        algorithm="",
    )
    application.save()
    Registration.objects.create(
        application=application,
        scopes=" ".join(scopes),
        website=website,
        created_at=clock.now(),
    )
    return application, secret


def _expiry():
    return clock.now() + timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)


def _new_token(*, application: Application, member: User | None, scopes: list[str]):
    raw = secrets.token_urlsafe(32)
    token = AccessToken(
        user=member, application=application, expires=_expiry(), scope=" ".join(scopes)
    )
    set_token_value(token, raw)
    token.save()
    return token, raw


@transaction.atomic
def issue_token(
    *, application: Application, member: User, scopes: list[str]
) -> tuple[AccessToken, str]:
    """A member token for the app that signed them up (Mastodon's POST /api/v1/accounts)."""
    return _new_token(application=application, member=member, scopes=scopes)


@transaction.atomic
def personal_app(*, member: User) -> Application:
    """The member's own app that holds their personal access tokens, made on first use."""
    User.objects.select_for_update(no_key=True).filter(pk=member.pk).first()  # one at a time
    existing = Application.objects.filter(user=member, registration__personal=True).first()
    if existing is not None:
        return existing
    application = Application.objects.create(
        user=member,
        name=PERSONAL_APP_NAME,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        redirect_uris="",
        client_secret=secrets.token_urlsafe(32),
        algorithm="",
    )
    Registration.objects.create(
        application=application,
        scopes=" ".join(scope_rules.UMBRELLAS),
        personal=True,
        created_at=clock.now(),
    )
    return application


@transaction.atomic
def create_personal_token(*, member: User, scopes: list[str]) -> tuple[AccessToken, str]:
    """A bearer token the member copies once; the settings page never shows it again."""
    scopes = scope_rules.parse(scopes)
    if not scopes:
        raise Invalid(SCOPES_REQUIRED)
    unknown = scope_rules.unknown(scopes)
    if unknown:
        raise Invalid(SCOPES_UNKNOWN.format(scopes=" ".join(unknown)))
    return _new_token(application=personal_app(member=member), member=member, scopes=scopes)


@transaction.atomic
def revoke_personal_token(*, member: User, token_id: int) -> None:
    """Revoking twice is fine; someone else's token is not found."""
    deleted, _ = AccessToken.objects.filter(
        pk=token_id, user=member, application__registration__personal=True
    ).delete()
    if not deleted and AccessToken.objects.filter(pk=token_id).exclude(user=member).exists():
        raise NotFound(TOKEN_NOT_FOUND)


@transaction.atomic
def revoke_app(*, member: User, application_id: int) -> int:
    """U5: the app loses every way into the member's account (access and refresh tokens, codes
    not yet exchanged, ID tokens); other members' tokens for it stay. Returns the number of
    access tokens ended: 0 for a second click, for an app the member never authorised, and
    for the personal-token app, whose tokens are revoked one by one."""
    held = {"user": member, "application_id": application_id}
    if Application.objects.filter(pk=application_id, registration__personal=True).exists():
        return 0
    RefreshToken.objects.filter(**held).delete()
    _, ended = AccessToken.objects.filter(**held).delete()
    IDToken.objects.filter(**held).delete()
    Grant.objects.filter(**held).delete()
    return ended.get(AccessToken._meta.label, 0)


# --- Authorization codes used twice (RFC 6749 §4.1.2) --------------------------------------


def _code_checksum(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@transaction.atomic
def record_redeemed_code(*, code: str, application: Application, access_token: str) -> None:
    """Called as the code is exchanged, so a later replay knows which tokens to revoke."""
    token = AccessToken.objects.filter(
        token_checksum=hashlib.sha256(access_token.encode()).hexdigest()
    ).first()
    refresh = RefreshToken.objects.filter(access_token=token).first() if token else None
    RedeemedCode.objects.update_or_create(
        code_checksum=_code_checksum(code),
        defaults={
            "application": application,
            "access_token": token,
            "token_family": refresh.token_family if refresh else None,
            "redeemed_at": clock.now(),
        },
    )


@transaction.atomic
def revoke_tokens_from_code(*, code: str, application: Application) -> bool:
    """A code presented again: the tokens it bought are revoked, refreshed ones included."""
    redeemed = RedeemedCode.objects.filter(
        code_checksum=_code_checksum(code), application=application
    ).first()
    if redeemed is None:
        return False
    if redeemed.token_family is not None:
        RefreshToken.revoke_family(redeemed.token_family)
    if redeemed.access_token_id is not None:
        AccessToken.objects.filter(pk=redeemed.access_token_id).delete()
    return True
