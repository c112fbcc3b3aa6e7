"""Writes of the network: N1–N10, F1, B1–B3, one transaction each, idempotent.

Two writers touching the same pair serialise on the two member rows (locked lower id first
on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), and the database
constraints plus a savepoint retry catch anything that slips past, so a race ends in one
consistent state (N2).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from accounts.services import lock_members
from core import clock
from core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, Refused
from core.eventlog import prune_log
from core.i18n import moment
from core.tasks import enqueue_after_commit
from network import loader, notices, queries
from network.models import (
    Block,
    Connection,
    ConnectionEvent,
    Follow,
    Invitation,
    InvitationReason,
    InvitationStatus,
    Report,
    ReportKind,
    ReportReason,
    Unblock,
)
from profiles import services as profiles
from profiles.models import FollowersAllowed, InvitationsFrom, PrimaryAction

PENDING = InvitationStatus.PENDING

NOTE_TOO_LONG = _("An invitation note is at most {max} characters.")
UNKNOWN_REASON = _("The reason must be one of: {choices}.")
CANNOT_INVITE_SELF = _("You can't invite yourself.")
ALREADY_CONNECTED = _("You are already connected.")
INVITE_BLOCKED = _("You can't invite a member you blocked or who blocked you.")
INVITE_NEEDS_EMAIL = _(
    "This member accepts invitations only from people who know their e-mail address; "
    "type it correctly."
)
SENDER_NEEDS_EMAIL = _(
    "{limit} members answered that they don't know you, so you may only invite people whose "
    "e-mail address you know; type it correctly."
)
DONT_KNOW_REINVITE = _("This member said they don't know you, so you can't invite them again.")
# {until} is core.i18n.moment(until): the date and time as the member's language writes them.
WITHDRAWN_REINVITE = _(
    "You withdrew an invitation to this member; you can invite them again after {until} UTC "
    "(21 days)."
)
WEEKLY_QUOTA = _(
    "You sent {limit} invitations in the last 7 days; you can invite again after {until} UTC."
)
TOO_MANY_CONNECTIONS = _("{who} reached the limit of {max} connections; you can follow instead.")
INVITATION_NOT_FOUND = _("No such invitation.")
INVITATION_ANSWERED = _("This invitation was already {status}.")
# The word INVITATION_ANSWERED fills in, per status, so a language can decline it.
ANSWERED_AS = {
    InvitationStatus.ACCEPTED: _("accepted"),
    InvitationStatus.WITHDRAWN: _("withdrawn"),
    InvitationStatus.DONT_KNOW: _("declined"),
}
CANNOT_FOLLOW_SELF = _("You can't follow yourself.")
FOLLOW_BLOCKED = _("You can't follow a member you blocked or who blocked you.")
FOLLOW_CONNECTIONS_ONLY = _("This member accepts followers only from their connections.")
CANNOT_BLOCK_SELF = _("You can't block yourself.")
REBLOCK_TOO_SOON = _(
    "You unblocked this member less than 48 hours ago; you can block them again after {until} UTC."
)
CANNOT_REPORT_SELF = _("You can't report yourself.")
UNKNOWN_REPORT_REASON = _("The reason must be one of: {choices}.")
UNKNOWN_REPORT_KIND = _("You can report a {choices}.")
REPORT_COMMENT_TOO_LONG = _("A report's comment is at most 1000 characters.")
CONNECTION_NOTE_TOO_LONG = _("Why you connected is at most {max} characters.")
NOT_CONNECTED = _("You are not connected to this member.")


# --- Invitations and connections -------------------------------------------------------


def invite(
    *, sender: User, recipient: User, note: str = "", reason: str = "", email: str = ""
) -> Invitation:
    """N1–N7, N10: a pending invitation, or the connection when the recipient already asked."""
    note = (note or "").strip()
    if len(note) > settings.LINKWELL_INVITATION_NOTE_MAX:
        raise Invalid(NOTE_TOO_LONG.format(max=settings.LINKWELL_INVITATION_NOTE_MAX), rule="N1")
    if reason and reason not in InvitationReason.values:
        raise Invalid(UNKNOWN_REASON.format(choices=", ".join(InvitationReason.values)), rule="N1")
    if sender.pk == recipient.pk:
        raise Invalid(CANNOT_INVITE_SELF, rule="N6")
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _invite_locked(sender, recipient, note, reason or "", email or "")
        except IntegrityError:  # a concurrent writer made the row first: look again (N2)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _invite_locked(sender, recipient, note, reason, email) -> Invitation:
    lock_members(sender.pk, recipient.pk)
    now = clock.now()
    if queries.is_blocked_between(sender.pk, recipient.pk):
        raise Forbidden(INVITE_BLOCKED, rule="N6")
    if queries.is_connected(sender.pk, recipient.pk):
        raise Conflict(ALREADY_CONNECTED, rule="N6")
    pending = _pending_between(sender.pk, recipient.pk)
    if pending is not None and pending.sender_id == sender.pk:
        return pending  # a repeated click changes nothing
    _check_connection_limit(sender, recipient)
    if pending is not None:  # N2: both wanted it
        _accept(pending, now)
        return pending
    _check_may_invite(sender, recipient, email, now)
    invitation = Invitation.objects.create(
        sender=sender, recipient=recipient, note=note, reason=reason, created_at=now
    )
    notices.invitation_received(invitation)  # P5
    follow_first = recipient.profile.primary_action == PrimaryAction.FOLLOW
    if follow_first and _may_follow(sender.pk, recipient):  # N10
        _follow(sender.pk, recipient.pk, now)
    return invitation


def _check_may_invite(sender, recipient, email, now) -> None:
    """N3, N4, N5 and S4: who may invite whom, and how often."""
    earlier = Invitation.objects.filter(sender=sender, recipient=recipient)
    if earlier.filter(status=InvitationStatus.DONT_KNOW).exists():
        raise Forbidden(DONT_KNOW_REINVITE, rule="N3")
    reinvite_window = timedelta(days=settings.LINKWELL_REINVITE_AFTER_WITHDRAW_DAYS)
    withdrawn = (
        earlier.filter(status=InvitationStatus.WITHDRAWN, answered_at__gt=now - reinvite_window)
        .order_by("-answered_at")
        .values_list("answered_at", flat=True)
        .first()
    )
    if withdrawn is not None:
        until = withdrawn + reinvite_window
        raise Forbidden(WITHDRAWN_REINVITE.format(until=moment(until)), rule="N4", until=until)
    email_matches = bool(email) and email.strip().lower() == recipient.email.lower()
    if recipient.profile.invitations_from == InvitationsFrom.EMAIL and not email_matches:
        raise Forbidden(INVITE_NEEDS_EMAIL, rule="S4")
    limit = settings.LINKWELL_DONT_KNOW_LIMIT
    if not email_matches:
        answers = Invitation.objects.filter(sender=sender, status=InvitationStatus.DONT_KNOW)
        if answers.count() >= limit:
            raise Forbidden(SENDER_NEEDS_EMAIL.format(limit=limit), rule="N3")
    until = quota_lapses_at(sender=sender, now=now)
    if until is not None:
        per_week = settings.LINKWELL_INVITATIONS_PER_WEEK
        raise RateLimited(
            WEEKLY_QUOTA.format(limit=per_week, until=moment(until)), rule="N5", until=until
        )


def quota_lapses_at(*, sender: User, now: datetime) -> datetime | None:
    """N5: None while the sender may invite; else when the rolling 7 days free one slot."""
    limit = settings.LINKWELL_INVITATIONS_PER_WEEK
    window = timedelta(days=7)
    sent = list(
        Invitation.objects.filter(sender=sender, created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(sent) < limit:
        return None
    return sent[-1] + window


def _check_connection_limit(*members: User) -> None:
    """N7: past the limit others can only follow."""
    maximum = settings.LINKWELL_MAX_CONNECTIONS
    for member in members:
        if queries.connection_count(member) >= maximum:
            raise Refused(TOO_MANY_CONNECTIONS.format(who=member.name, max=maximum), rule="N7")


@transaction.atomic
def accept(*, invitation_id: int, by: User) -> Invitation:
    """N8: the recipient accepts; accepting twice changes nothing more."""
    invitation = _received(invitation_id, by)
    if _already_answered(invitation, InvitationStatus.ACCEPTED):
        return invitation
    _check_connection_limit(invitation.sender, invitation.recipient)
    _accept(invitation, clock.now())
    return invitation


@transaction.atomic
def ignore(*, invitation_id: int, by: User) -> Invitation:
    """N3: silent; the sender still sees the invitation as pending."""
    invitation = _received(invitation_id, by)
    if invitation.status == PENDING and invitation.ignored_at is None:
        invitation.ignored_at = clock.now()
        invitation.save(update_fields=["ignored_at"])
    return invitation


@transaction.atomic
def dont_know(*, invitation_id: int, by: User) -> Invitation:
    """N3: "I don't know this person" stops this sender from inviting the recipient again."""
    invitation = _received(invitation_id, by)
    if not _already_answered(invitation, InvitationStatus.DONT_KNOW):
        _close(invitation, InvitationStatus.DONT_KNOW)
    return invitation


@transaction.atomic
def withdraw(*, invitation_id: int, by: User) -> Invitation:
    """N4: the recipient is not told; the sender can't invite them again for 21 days."""
    invitation = _unless_blocked(_answering(Invitation.objects.filter(pk=invitation_id, sender=by)))
    if not _already_answered(invitation, InvitationStatus.WITHDRAWN):
        _close(invitation, InvitationStatus.WITHDRAWN)
        notices.invitation_withdrawn(invitation)  # N4: silently, the recipient's goes too
    return invitation


def withdraw_to(*, sender: User, recipient: User) -> None:
    """N4 from a profile page: withdraw whatever the sender has pending to this member."""
    pending = Invitation.objects.filter(sender=sender, recipient=recipient, status=PENDING).first()
    if pending is not None:
        withdraw(invitation_id=pending.pk, by=sender)


@transaction.atomic
def disconnect(*, by: User, member: User) -> None:
    """N9: either side removes the connection, silently; both follows end with it."""
    lock_members(by.pk, member.pk)
    _disconnect(by.pk, member.pk, clock.now())


@transaction.atomic
def describe_connection(*, by: User, member: User, reason: str, note: str) -> Connection:
    """A1: either member changes their own side of why they connected: the inviter the
    invitation's reason and note, the other member their own; both see both."""
    if reason and reason not in InvitationReason.values:
        raise Invalid(UNKNOWN_REASON.format(choices=", ".join(InvitationReason.values)), rule="N1")
    note = (note or "").strip()
    maximum = settings.LINKWELL_INVITATION_NOTE_MAX
    if len(note) > maximum:
        raise Invalid(CONNECTION_NOTE_TOO_LONG.format(max=maximum), rule="N1")
    a, b = sorted((by.pk, member.pk))
    connection = Connection.objects.select_for_update().filter(member_a_id=a, member_b_id=b).first()
    if connection is None or queries.is_blocked_between(by.pk, member.pk):
        raise NotFound(NOT_CONNECTED, rule="A1")
    if connection.invited_by_id == by.pk:
        connection.reason, connection.note = reason, note
    else:
        connection.recipient_reason, connection.recipient_note = reason, note
    connection.save(update_fields=["reason", "note", "recipient_reason", "recipient_note"])
    return connection


def _received(invitation_id: int, by: User) -> Invitation:
    return _unless_blocked(_answering(Invitation.objects.filter(pk=invitation_id, recipient=by)))


def _answering(invitations) -> Invitation | None:
    """The invitation, its row locked until the answer commits: a double click's second
    answer waits and then finds it answered (unlocked, the two once deadlocked on
    PostgreSQL over the members' key-share locks their inserts take)."""
    return invitations.select_for_update(of=("self",)).first()


def _unless_blocked(invitation: Invitation | None) -> Invitation:
    """B1: a block deletes pending invitations; one answered before it is gone for both, so
    answering it again (a retry) can't bring back the other member."""
    if invitation is None or queries.is_blocked_between(
        invitation.sender_id, invitation.recipient_id
    ):
        raise NotFound(INVITATION_NOT_FOUND)
    return invitation


def _already_answered(invitation: Invitation, answer: str) -> bool:
    """Lock the pair and re-read: True when this answer was already given (a retry);
    a different earlier answer is refused."""
    lock_members(invitation.sender_id, invitation.recipient_id)
    invitation.refresh_from_db()
    if invitation.status == answer:
        return True
    if invitation.status != PENDING:
        raise Conflict(
            INVITATION_ANSWERED.format(status=ANSWERED_AS.get(invitation.status, invitation.status))
        )
    return False


def _close(invitation: Invitation, status: str, now: datetime | None = None) -> None:
    invitation.status = status
    invitation.answered_at = now or clock.now()
    invitation.save(update_fields=["status", "answered_at"])


def _accept(invitation: Invitation, now: datetime) -> None:
    _close(invitation, InvitationStatus.ACCEPTED, now)
    notices.invitation_accepted(invitation)  # P5
    _connect(invitation.sender_id, invitation.recipient_id, now, invitation)


def _connect(x: int, y: int, now: datetime, invitation: Invitation | None) -> None:
    """N8: the connection, each following the other, and an event the graph index replays."""
    a, b = sorted((x, y))
    said = {  # A1: the invitation's words stay on the connection
        "reason": invitation.reason if invitation else "",
        "note": invitation.note if invitation else "",
        "invited_by_id": invitation.sender_id if invitation else None,
    }
    with transaction.atomic():  # savepoint: a concurrent duplicate raises here, not later
        _, created = Connection.objects.get_or_create(
            member_a_id=a,
            member_b_id=b,
            defaults={"created_at": now, "invitation": invitation, **said},
        )
    if created:
        changes = {a: {"connections": 1}, b: {"connections": 1}}
        for follower, followee in ((a, b), (b, a)):
            if _follow(follower, followee, now, count=False):
                _add(changes, follower, "following", 1)
                _add(changes, followee, "followers", 1)
        profiles.adjust_counts(changes)
        ConnectionEvent.objects.create(member_a=a, member_b=b, connected=True, at=now)
        # S7: feed sits above network, so its news job is named, not imported
        enqueue_after_commit("jobs.feed.announce_connection", a, b)


def _disconnect(x: int, y: int, now: datetime) -> None:
    a, b = sorted((x, y))
    deleted, _ = Connection.objects.filter(member_a_id=a, member_b_id=b).delete()
    if deleted:
        changes = _end_follows(Q(follower_id=a, followee_id=b) | Q(follower_id=b, followee_id=a))
        _add(changes, a, "connections", -1)
        _add(changes, b, "connections", -1)
        profiles.adjust_counts(changes)
        ConnectionEvent.objects.create(member_a=a, member_b=b, connected=False, at=now)


def _end_follows(which: Q) -> dict[int, dict[str, int]]:
    """Deletes the follows `which` names (a pair's, at most two) and returns the counts'
    changes for the caller to apply with its own."""
    changes: dict[int, dict[str, int]] = {}
    found = list(Follow.objects.filter(which).values_list("pk", "follower_id", "followee_id"))
    if found:
        Follow.objects.filter(pk__in=[pk for pk, _follower, _followee in found]).delete()
    for _pk, follower, followee in found:
        _add(changes, follower, "following", -1)
        _add(changes, followee, "followers", -1)
    return changes


def _add(changes: dict[int, dict[str, int]], member_id: int, field: str, delta: int) -> None:
    counts = changes.setdefault(member_id, {})
    counts[field] = counts.get(field, 0) + delta


# --- Following --------------------------------------------------------------------------


@transaction.atomic
def follow(*, follower: User, followee: User) -> None:
    """F1: no approval needed unless the followee takes followers only from connections."""
    if follower.pk == followee.pk:
        raise Invalid(CANNOT_FOLLOW_SELF, rule="F1")
    if queries.is_blocked_between(follower.pk, followee.pk):
        raise Forbidden(FOLLOW_BLOCKED, rule="B1")
    if not _may_follow(follower.pk, followee):
        raise Forbidden(FOLLOW_CONNECTIONS_ONLY, rule="S3")
    if _follow(follower.pk, followee.pk, clock.now()):
        notices.new_follower(follower.pk, followee.pk)  # P5


@transaction.atomic
def unfollow(*, follower: User, followee: User) -> None:
    """N8: unfollowing a connection keeps the connection."""
    if Follow.objects.filter(follower=follower, followee=followee).delete()[0]:
        _count_follow(follower.pk, followee.pk, -1)
        notices.follower_gone(follower.pk, followee.pk)


@transaction.atomic
def remove_from_followers(*, by: User, follower: User) -> None:
    if Follow.objects.filter(follower=follower, followee=by).delete()[0]:
        _count_follow(follower.pk, by.pk, -1)


@transaction.atomic
def remove_non_connection_followers(*, member: User) -> int:
    """S3: a member who takes followers only from connections keeps only those; called in
    the settings change's transaction (membership.services.update_settings). Silent, as
    removing a follower is; returns how many follows ended. In batches, with the counts of
    each batch, so a leader's hundreds of thousands of followers never make one statement."""
    doomed = (
        Follow.objects.filter(followee=member)
        .exclude(follower__in=Connection.objects.filter(member_a=member).values("member_b"))
        .exclude(follower__in=Connection.objects.filter(member_b=member).values("member_a"))
    )
    ended = 0
    while rows := list(doomed.order_by("pk").values_list("pk", "follower_id")[: profiles.BATCH]):
        Follow.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        changes = {follower: {"following": -1} for _, follower in rows}
        changes[member.pk] = {"followers": -len(rows)}
        profiles.adjust_counts(changes)
        ended += len(rows)
    return ended


def _may_follow(follower_id: int, followee: User) -> bool:
    if followee.profile.followers_allowed == FollowersAllowed.EVERYONE:
        return True
    return queries.is_connected(follower_id, followee.pk)


def _follow(follower_id: int, followee_id: int, now: datetime, *, count: bool = True) -> bool:
    """True when the follow is new; its counts then change too, unless the caller
    (`_connect`) applies them together with its own."""
    with transaction.atomic():
        _, created = Follow.objects.get_or_create(
            follower_id=follower_id, followee_id=followee_id, defaults={"created_at": now}
        )
    if created and count:
        _count_follow(follower_id, followee_id, 1)
    return created


def _count_follow(follower_id: int, followee_id: int, delta: int) -> None:
    profiles.adjust_counts({follower_id: {"following": delta}, followee_id: {"followers": delta}})


# --- Blocking and reporting --------------------------------------------------------------


@transaction.atomic
def block(*, blocker: User, blocked: User) -> None:
    """B1: ends the connection, both follows and pending invitations both ways."""
    if blocker.pk == blocked.pk:
        raise Invalid(CANNOT_BLOCK_SELF, rule="B1")
    lock_members(blocker.pk, blocked.pk)
    if queries.blocked_by(blocker, blocked):
        return
    now = clock.now()
    window = timedelta(hours=settings.LINKWELL_REBLOCK_AFTER_HOURS)
    lifted = (
        Unblock.objects.filter(blocker=blocker, blocked=blocked, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if lifted is not None:
        until = lifted + window
        raise Refused(REBLOCK_TOO_SOON.format(until=moment(until)), rule="B2", until=until)
    _disconnect(blocker.pk, blocked.pk, now)
    profiles.adjust_counts(
        _end_follows(Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker))
    )
    Invitation.objects.filter(
        Q(sender=blocker, recipient=blocked) | Q(sender=blocked, recipient=blocker),
        status=PENDING,
    ).delete()
    with transaction.atomic():
        Block.objects.get_or_create(blocker=blocker, blocked=blocked, defaults={"created_at": now})


@transaction.atomic
def unblock(*, blocker: User, blocked: User) -> None:
    """B2: restores nothing, and starts the 48 hours before the same block is allowed again."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        Unblock.objects.create(blocker=blocker, blocked=blocked, at=clock.now())


@transaction.atomic
def report(
    *,
    reporter: User,
    member: User,
    reason: str,
    kind: str = ReportKind.MEMBER,
    target_id: int | None = None,
    comment: str = "",
) -> Report:
    """B3: a report lands in the administrators' moderation queue. A member may report
    someone they blocked; a member who blocked the reporter doesn't exist for them (B1)."""
    if reporter.pk == member.pk:
        raise Invalid(CANNOT_REPORT_SELF, rule="B3")
    if queries.blocked_by(member, reporter):
        raise NotFound(MEMBER_NOT_FOUND)  # B1: they don't exist for the reporter
    if reason not in ReportReason.values:
        raise Invalid(
            UNKNOWN_REPORT_REASON.format(choices=", ".join(ReportReason.values)), rule="B3"
        )
    if kind not in ReportKind.values:
        raise Invalid(UNKNOWN_REPORT_KIND.format(choices=", ".join(ReportKind.values)), rule="B3")
    if len(comment or "") > 1000:
        raise Invalid(REPORT_COMMENT_TOO_LONG, rule="B3")
    return Report.objects.create(
        reporter=reporter,
        member=member,
        kind=kind,
        target_id=target_id,
        reason=reason,
        comment=comment or "",
        created_at=clock.now(),
    )


@transaction.atomic
def resolve_reports(*, report_ids: list[int], by: User) -> int:
    """B3: an administrator closes reports from the moderation queue."""
    return Report.objects.filter(pk__in=report_ids, resolved_at__isnull=True).update(
        resolved_at=clock.now(), resolved_by=by
    )


# --- Leaving (U4) -------------------------------------------------------------------------


@transaction.atomic
def forget_member(*, member: User) -> None:
    """U4, network's part: a disconnect event per connection, so every graph index drops the
    member's edges past its snapshot (only network writes ConnectionEvent; the log keeps bare
    ids). The member's connections, follows, invitations, blocks and reports go by cascade
    with the account right after, in the same transaction; the kept counts of everyone on
    the other end go down here."""
    if connection.vendor == "postgresql":  # FOR UPDATE, not lock_members: no connect slips in
        list(User.objects.select_for_update().filter(pk=member.pk).values("pk"))
    now = clock.now()
    pk = member.pk
    pairs = list(
        Connection.objects.filter(Q(member_a=member) | Q(member_b=member)).values_list(
            "member_a_id", "member_b_id"
        )
    )
    ConnectionEvent.objects.bulk_create(
        [ConnectionEvent(member_a=a, member_b=b, connected=False, at=now) for a, b in pairs]
    )
    changes: dict[int, dict[str, int]] = {}
    for a, b in pairs:
        _add(changes, b if a == pk else a, "connections", -1)
    for follower in Follow.objects.filter(followee=member).values_list("follower_id", flat=True):
        _add(changes, follower, "following", -1)
    for followee in Follow.objects.filter(follower=member).values_list("followee_id", flat=True):
        _add(changes, followee, "followers", -1)
    profiles.adjust_counts(changes)


# --- Helpers ----------------------------------------------------------------------------


def _pending_between(x: int, y: int) -> Invitation | None:
    return Invitation.objects.filter(
        Q(sender_id=x, recipient_id=y) | Q(sender_id=y, recipient_id=x), status=PENDING
    ).first()


def prune_connection_events(*, before: datetime) -> int:
    """Old connection events go (`linkwell prune_events`); the published graph snapshot's
    generation and everything after it stay, so workers keep mapping it."""
    return prune_log(ConnectionEvent, before=before, keep_from=loader.published_generation())
