"""Writes that span areas, one transaction each: sign-up (U1, U2), S3's settings, deletion (U4).

The web pages and the API call these, so both doors behave alike.
"""

from django.conf import settings as conf
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import services as accounts
from accounts.models import User
from core.errors import Invalid
from feed import services as feed
from messaging import services as messaging
from network import services as network
from profiles import services as profiles
from profiles.models import FollowersAllowed, Profile

WRONG_PASSWORD = _("That password is not right; your account was not deleted.")


@transaction.atomic
def create_member(
    *,
    handle: str,
    email: str,
    password: str | None,
    display_name: str = "",
    email_confirmed: bool = False,
    validate: bool = True,
) -> User:
    """A member: the account (U1's checks unless `validate` is off, as for operators' and
    tests' members) and their empty profile (S1), together or not at all."""
    member = accounts.create_account(
        handle=handle,
        email=email,
        password=password,
        display_name=display_name,
        email_confirmed=email_confirmed,
        validate=validate,
    )
    profiles.create_profile(member=member)
    return member


def sign_up(
    *, handle: str, email: str, password: str, display_name: str = "", base_url: str
) -> User:
    """U1, U2, the same for the web's sign-up form and the API's registration. The address
    starts unconfirmed whatever the operator chose: `email_confirmed` says that the member
    opened a link we sent, and the link goes only when confirmation is required (once the
    member is committed: a mail that fails leaves a member who can ask for the link again).
    So switching confirmation on later asks every member who never confirmed, whichever door
    they came in by (docs/accounts.md)."""
    member = create_member(handle=handle, email=email, password=password, display_name=display_name)
    if conf.LINKWELL_REQUIRE_EMAIL_CONFIRMATION:
        accounts.send_confirmation(member=member, base_url=base_url)
    return member


# --- Settings whose effect is the network's (S3) -----------------------------------------


def _followers_allowed_applied(member: User, profile: Profile) -> Profile:
    """S3: under `connections` the member's non-connection followers go (network's follows)."""
    if profile.followers_allowed == FollowersAllowed.CONNECTIONS:
        network.remove_non_connection_followers(member=member)
    return profile


@transaction.atomic
def update_settings(*, member: User, **settings) -> Profile:
    """S2–S7, and S3's follower purge in the same transaction."""
    return _followers_allowed_applied(member, profiles.update_settings(member=member, **settings))


def update_profile_and_settings(
    *, member: User, fields: dict, settings: dict, avatar=None
) -> Profile:
    """Everything or nothing (Mastodon's update_credentials): one refused value leaves the
    profile, the settings and the photo as they were; S3 applies as in `update_settings`."""
    with transaction.atomic():
        profile = profiles.update_profile_and_settings(
            member=member, fields=fields, settings=settings, avatar=avatar
        )
        return _followers_allowed_applied(member, profile)


# --- Leaving (U4) -------------------------------------------------------------------------


@transaction.atomic
def delete_member(*, member: User, password: str | None = None) -> None:
    """U4: every area removes what is the member's, then the account goes (cascades take the
    rest). A member deleting their own account confirms with `password`; an operator's call
    passes none. Network logs a disconnect per connection, so every graph index drops the
    member's edges past its snapshot; feed puts back the counters of others' posts."""
    if password is not None and not member.check_password(password):
        raise Invalid(WRONG_PASSWORD, rule="U4")
    network.forget_member(member=member)
    messaging.forget_member(member=member)
    feed.forget_member(member=member)
    profiles.forget_member(member=member)
    accounts.delete_account(member=member)
