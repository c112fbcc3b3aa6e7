"""Reads of members as accounts: who a handle, an address or an id names.

No visibility here: whether a viewer may see a member (B1, S1) is network's question
(`network.queries.visible_member`), which starts from these look-ups.
"""

from django.db import router
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import User, email_is, handle_is
from core.compiled import CompiledRead
from core.errors import NotFound
from core.lookups import Ids

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


def active_member(
    *, handle: str | None = None, pk: int | None = None, related: tuple[str, ...] = ()
) -> User:
    """The active member with this handle (any case) or id, with their profile and any
    `related` one-to-one rows in the same statement, compiled once per shape (the profile
    page and every API call on an account run it); NotFound."""
    if handle is not None and "\x00" not in handle:
        by, value = "handle", handle
    elif pk is not None and handle is None:
        by, value = "pk", int(pk)
    else:
        raise NotFound(MEMBER_NOT_FOUND)
    read = _ACTIVE_MEMBER.get((by, related))
    if read is None:
        read = _ACTIVE_MEMBER[(by, related)] = CompiledRead(
            lambda v: (
                (with_handle(v) if by == "handle" else User.objects.filter(pk=v))
                .filter(is_active=True)
                .select_related("profile", *related)[:1]
            ),
            "\x01handle" if by == "handle" else -1,
            constants=True,
        )
    found = read.objects(router.db_for_read(User), value)
    if not found:
        raise NotFound(MEMBER_NOT_FOUND)
    return found[0]


_ACTIVE_MEMBER: dict[tuple, CompiledRead] = {}


# Behind every list of members a viewer sees (`network.queries.visible_members`): compiled
# once per database, the ids one parameter; the ORM built and compiled this join on every
# call, a third of the read's CPU (docs/benchmarks.md, "search-cpu").
_ACTIVE_MEMBERS = CompiledRead(
    lambda ids: User.objects.filter(pk__among=ids, is_active=True).select_related("profile"),
    Ids("member_ids"),
    constants=True,
)


def active_members(ids) -> dict[int, User]:
    """The active members among `ids`, with their profiles, in one query."""
    ids = list(ids)
    if not ids:
        return {}
    found = _ACTIVE_MEMBERS.objects(router.db_for_read(User), ids)
    return {member.pk: member for member in found}


def members_by_id(ids) -> dict[int, User]:
    """Members by id with their profiles, in one query (names and faces on a page),
    compiled once: the profile page asks it for its mutual connections and paths."""
    ids = list(ids)
    if not ids:
        return {}
    found = _MEMBERS_BY_ID.objects(router.db_for_read(User), ids)
    return {member.pk: member for member in found}


_MEMBERS_BY_ID = CompiledRead(
    lambda ids: User.objects.filter(pk__among=ids).select_related("profile"), Ids("member_ids")
)


_ACTIVE_NAMES = CompiledRead(
    lambda ids: User.objects.filter(pk__among=ids, is_active=True).values_list(
        "pk", "display_name", "username"
    ),
    Ids("member_ids"),
    constants=True,
)


def active_names(ids) -> dict[int, str]:
    """Id → name of the active members among `ids`, as plain rows in one query: for a list
    that names people (mutual connections) and needs no User objects."""
    ids = list(ids)
    rows = _ACTIVE_NAMES.rows(router.db_for_read(User), ids) if ids else []
    return {pk: display_name or username for pk, display_name, username in rows}


def active_ids(ids) -> set[int]:
    """Which of `ids` are active members (Mastodon leaves unknown ids out of a list)."""
    return set(User.objects.filter(pk__in=list(ids), is_active=True).values_list("pk", flat=True))


def member_count() -> int:
    return User.objects.filter(is_active=True).count()


def signed_in_since(moment) -> int:
    """Active members who signed in since `moment` (the instance's monthly users)."""
    return User.objects.filter(is_active=True, last_login__gte=moment).count()


ADDRESS_BATCH = 500


def confirmed_with_addresses(addresses) -> dict[str, int]:
    """Lower-cased address → member id, for confirmed active members only (issue 17's import
    matching), by the `user_email_ci_unique` index, 500 addresses a statement. The caller
    shows the member, never the address (X1)."""
    wanted = sorted({a.strip().lower() for a in addresses if a and "\x00" not in a})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), ADDRESS_BATCH):
        batch = wanted[start : start + ADDRESS_BATCH]
        rows = (
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=batch, email_confirmed=True, is_active=True)
            .values_list("address", "pk")
        )
        found.update(rows)
    return found


NAME_BATCH = 10_000  # parameters a statement: under SQLite's 32,766 and PostgreSQL's 65,535


def ids_named(names) -> dict[str, list[int]]:
    """Display name (exactly as written) → active member ids, for issue 17's weaker "same
    name and company" match: index look-ups (`user_display_name`), 10,000 names a statement
    (docs/benchmarks.md, "LinkedIn import")."""
    wanted = sorted({n for n in names if n and "\x00" not in n})
    found: dict[str, list[int]] = {}
    for start in range(0, len(wanted), NAME_BATCH):
        batch = wanted[start : start + NAME_BATCH]
        rows = User.objects.filter(display_name__in=batch, is_active=True).values_list(
            "display_name", "pk"
        )
        for name, pk in rows:
            found.setdefault(name, []).append(pk)
    return found


# The member a session names, with their interface language ("" when they follow the
# browser; docs/i18n.md) from the profile's row, so a signed-in page reads both in one
# statement; the ORM compiles it once per database (core/compiled.py). The join names
# profiles' column by the one-to-one's related name: accounts imports nothing of profiles.
_SIGNED_IN = CompiledRead(
    lambda pk: User.objects.annotate(interface_language=F("profile__language")).filter(pk=pk), 0
)


def signed_in_member(pk: int) -> User | None:
    """The member by id, any state, with `interface_language` set ("" when none is chosen)."""
    alias = router.db_for_read(User)
    sql, params = _SIGNED_IN.sql(alias, pk)
    found = list(User.objects.raw(sql, params, using=alias))
    if not found:
        return None
    member = found[0]
    member.interface_language = member.interface_language or ""
    return member
