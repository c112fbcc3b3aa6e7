"""Writes that span areas, one transaction each: sign-up (U1, U2), S3's settings, deletion (U4),
and the recount of the kept counts from network's and feed's rows.

The web pages and the API call these, so both doors behave alike.
"""

from django.conf import settings as conf
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import services as accounts
from accounts.models import User
from core.errors import Invalid
from feed import queries as feed_queries
from feed import services as feed
from messaging import services as messaging
from network import queries as network_queries
from network import services as network
from pages import services as pages
from profiles import services as profiles
from profiles.models import FollowersAllowed, MemberCounts, Profile

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
    profiles.create_counts(member=member)
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
    pages.forget_member(member=member)
    profiles.forget_member(member=member)
    accounts.delete_account(member=member)


# --- Kept counts, counted again from the rows --------------------------------------------

RECOUNT_RANGE = 10_000  # member ids per transaction: five grouped statements and one upsert


def recount(*, member_ids=None, span: int = RECOUNT_RANGE, progress=None) -> int:
    """Every member's (or these members') followers, following, connections and posts
    counted from the rows and written over the kept counts: for repair and after bulk loads
    (`linkwell recount`, the demo seed, the benchmarks' seeding). One transaction per range
    of ids, the counter rows locked first (`profiles.services.lock_counts`), so writes
    running meanwhile are neither lost nor counted twice. Returns how many were counted."""
    if member_ids is None:
        ids = User.objects.order_by("pk").values_list("pk", flat=True)
        first, last = ids.first(), ids.last()
        ranges = [] if first is None else [(lo, lo + span) for lo in range(first, last + 1, span)]
        wanted = None
    else:
        wanted = sorted(set(member_ids))
        ranges = []
        for member_id in wanted:
            if not ranges or member_id >= ranges[-1][0] + span:
                ranges.append((member_id, member_id + 1))
            else:
                ranges[-1] = (ranges[-1][0], member_id + 1)
    counted = 0
    for done, (lo, hi) in enumerate(ranges, 1):
        counted += _recount_range(lo, hi, wanted)
        if progress is not None:
            progress(done, len(ranges))
    return counted


@transaction.atomic
def _recount_range(lo: int, hi: int, wanted: list[int] | None) -> int:
    members = User.objects.filter(pk__gte=lo, pk__lt=hi)
    if wanted is not None:
        members = members.filter(pk__in=[m for m in wanted if lo <= m < hi])
    ids = list(members.values_list("pk", flat=True))
    if not ids:
        return 0
    profiles.lock_counts(ids)
    network_counts = network_queries.counted_in_range(lo, hi)
    post_counts = feed_queries.posts_counted_in_range(lo, hi)
    rows = []
    for member_id in ids:
        net = network_counts.get(member_id, {})
        posts, last = post_counts.get(member_id, (0, None))
        rows.append(
            MemberCounts(
                member_id=member_id,
                followers=net.get("followers", 0),
                following=net.get("following", 0),
                connections=net.get("connections", 0),
                posts=posts,
                last_post_at=last,
            )
        )
    profiles.store_counts(rows)
    return len(rows)


# --- Positions and schools with their pages (G3) ---------------------------------------------


@transaction.atomic
def add_position(*, member: User, page_id=None, **fields):
    """A position (profiles) and its page (pages) together: the page chosen while editing,
    or the one its company names (a stub when nobody created it)."""
    position = profiles.add_position(member=member, **fields)
    pages.link_position(position=position, page_id=page_id)
    return position


@transaction.atomic
def add_education(*, member: User, page_id=None, **fields):
    """A school entry and its page together, like `add_position`."""
    education = profiles.add_education(member=member, **fields)
    pages.link_education(education=education, page_id=page_id)
    return education
