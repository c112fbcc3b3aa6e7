"""Reads of members as accounts: who a handle, an address or an id names.

No visibility here: whether a viewer may see a member (B1, S1) is network's question
(`network.queries.visible_member`), which starts from these look-ups.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User, email_is, handle_is
from core.errors import NotFound

# Mastodon's words, and no rule id: an unknown member and a hidden one get the very same
# 404, so the answer tells nothing.
MEMBER_NOT_FOUND = _("Record not found")


def with_handle(handle: str) -> QuerySet:
    """Members whose handle is `handle` in any case (at most one, U1), by index."""
    if "\x00" in handle:  # no handle holds one, and PostgreSQL can't take it as a value
        return User.objects.none()
    return User.objects.filter(handle_is(handle))


def with_email(email: str) -> QuerySet:
    if "\x00" in email:
        return User.objects.none()
    return User.objects.filter(email_is(email))


def id_with_handle(handle: str) -> int | None:
    """The id of the member with this handle (any case), or None: one indexed look-up."""
    return with_handle(handle).values_list("pk", flat=True).first()


def by_identifier(identifier: str) -> User | None:
    """A handle or an e-mail address, ignoring case (signing in, resending a link)."""
    identifier = identifier.strip()
    found = with_email(identifier) if "@" in identifier else with_handle(identifier)
    return found.first()


def active_member(*, handle: str | None = None, pk: int | None = None) -> User:
    """The active member with this handle (any case) or id, with their profile; NotFound."""
    if handle is not None:
        found = with_handle(handle)
    elif pk is not None:
        found = User.objects.filter(pk=pk)
    else:
        found = User.objects.none()
    member = found.filter(is_active=True).select_related("profile").first()
    if member is None:
        raise NotFound(MEMBER_NOT_FOUND)
    return member


def active_members(ids) -> dict[int, User]:
    """The active members among `ids`, with their profiles, in one query."""
    found = User.objects.filter(pk__in=list(ids), is_active=True).select_related("profile")
    return {member.pk: member for member in found}


def members_by_id(ids) -> dict[int, User]:
    """Members by id with their profiles, in one query (names and faces on a page)."""
    found = User.objects.filter(pk__in=list(ids)).select_related("profile")
    return {member.pk: member for member in found}


def active_ids(ids) -> set[int]:
    """Which of `ids` are active members (Mastodon leaves unknown ids out of a list)."""
    return set(User.objects.filter(pk__in=list(ids), is_active=True).values_list("pk", flat=True))


def member_count() -> int:
    return User.objects.filter(is_active=True).count()


def signed_in_since(moment) -> int:
    """Active members who signed in since `moment` (the instance's monthly users)."""
    return User.objects.filter(is_active=True, last_login__gte=moment).count()
