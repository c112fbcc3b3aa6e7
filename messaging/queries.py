"""Reads of messaging: who may write to whom (M1–M6, `can_message`), InMail credits (M3), and
the one door to a conversation and its messages (`conversation_for`).

Private by construction: a conversation is read only through `conversation_for` /
`conversations`, which answer only its two participants, and never while either blocks the
other (B1): an unknown, someone else's and a blocked conversation are the same NotFound.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import router
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from core import clock
from core.compiled import CompiledRead
from core.errors import Forbidden, Invalid, NotFound, Refused
from core.i18n import moment
from core.lookups import Ids
from feed import images
from messaging.models import (
    Attachment,
    Conversation,
    CreditSpend,
    Message,
    MessageRequest,
    MessagingSettings,
    Participant,
    RequestStatus,
    Route,
)
from network import queries as network
from pages.queries import current_page_ids

CONVERSATION_NOT_FOUND = _("Record not found")
CANNOT_MESSAGE_SELF = _("You can't send a message to yourself.")
REQUEST_PENDING = _(
    "Your message request to %(name)s is waiting for their answer; you can write again once "
    "they accept it."
)
REQUEST_DECLINED = _(
    "%(name)s declined your message request; you can send another after %(until)s UTC."
)
INMAIL_REFUSED = _(
    "%(name)s accepts messages only from their connections; connect with them to message them."
)
FOLLOWING_GIVES_NOTHING = _(
    "Following %(name)s doesn't let you message them; connect with them to message them."
)
NO_CREDITS = _(
    "Connect with %(name)s to message them; you have no InMail credits left until %(until)s UTC."
)
GROUP_CONNECTIONS_ONLY = _(
    "A group conversation is with your connections; connect with %(name)s to add them."
)
GROUP_TOO_LARGE = _("A group conversation has at most %(max)s members besides its creator.")
INMAIL_HINT = _(
    "Connect with %(name)s to message them for free, or use one of your %(count)s InMail credits."
)

# The routes a message can take; the first three are free and open the conversation.
CONNECTION = "connection"  # M1
OPENED = "opened"  # M4: a request was accepted, the thread is open both ways
REPLY = "reply"  # answering a request opens it (M4)


@dataclass
class MessageRoute:
    """How `sender` may write to one member now: `route` (None when refused), whether it
    lands as a message request, what it costs, and the refusal to raise otherwise."""

    member_id: int
    route: str | None = None
    request: bool = False
    costs_credit: bool = False
    credits: int = 0
    refusal: Refused | None = None
    conversation_id: int | None = None

    @property
    def allowed(self) -> bool:
        return self.route is not None

    def check(self) -> MessageRoute:
        if self.refusal is not None:
            raise self.refusal
        return self


# --- InMail credits (M3) ------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    granted_at: datetime
    expires_at: datetime


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment: datetime) -> datetime:
    days = calendar.monthrange(moment.year, moment.month)[1]
    return _month_start(moment) + timedelta(days=days)


def grants(member: User, now: datetime) -> list[datetime]:
    """When the member's live grants were made, oldest first: the first of each month since
    the month they joined, within the last `LINKWELL_INMAIL_CREDIT_DAYS`."""
    lifetime = timedelta(days=settings.LINKWELL_INMAIL_CREDIT_DAYS)
    month = _month_start(max(member.date_joined, now - lifetime))
    found = []
    while month <= now:
        if month + lifetime > now:
            found.append(month)
        month = _next_month(month)
    return found


def credit_slots(member: User, now: datetime | None = None) -> list[tuple[datetime, int]]:
    """The free (grant, slot) pairs, oldest grant first: what a spend may take."""
    now = now or clock.now()
    live = grants(member, now)
    if not live:
        return []
    spent = set(
        CreditSpend.objects.filter(
            member=member,
            granted_on__in=[g.date().replace(day=1) for g in live],
            refunded_at__isnull=True,
        ).values_list("granted_on", "slot")
    )
    allowance = settings.LINKWELL_INMAIL_CREDITS_PER_MONTH
    return [
        (granted_at, slot)
        for granted_at in live
        for slot in range(1, allowance + 1)
        if (granted_at.date().replace(day=1), slot) not in spent
    ]


def credits(member: User, now: datetime | None = None) -> list[Credit]:
    """M3: the member's unspent, unexpired credits, soonest to expire first."""
    lifetime = timedelta(days=settings.LINKWELL_INMAIL_CREDIT_DAYS)
    return [Credit(g, g + lifetime) for g, _slot in credit_slots(member, now)]


def next_grant_at(now: datetime) -> datetime:
    return _next_month(now)


# --- Who may write to whom (M1–M6, B1) ------------------------------------------------------


def pair(a: int, b: int) -> tuple[int, int]:
    """A conversation's members as stored: lower id first."""
    return (a, b) if a < b else (b, a)


class _Conversation(NamedTuple):
    """What `routes_for` reads of a 1:1 conversation."""

    pk: int
    opened_at: datetime | None


def _conversation_part(mine: str, theirs: str):
    def part(member_id, member_ids):
        return network.fact_rows(
            Conversation.objects.filter(
                **{mine: member_id, f"{theirs}__among": member_ids}, is_group=False
            ),
            "conversation",
            a=mine,
            b=theirs,
            n="pk",
            at="opened_at",
        )

    return part


# The sender's 1:1 conversations with the members asked of `network.queries.relationships`,
# read in its one statement (a pair is stored in id order, so one part per side); `routes_for`
# takes them with `known=` and `conversations_known=True`.
ROUTE_PARTS = (
    _conversation_part("member_a_id", "member_b_id"),
    _conversation_part("member_b_id", "member_a_id"),
)


# Every route read without the Relationship's facts (the profile page's Message button, the
# composer, groups) asks it: compiled once per database.
_CONVERSATIONS_WITH = CompiledRead(
    lambda me, ids: Conversation.objects.filter(
        Q(member_a_id=me, member_b_id__among=ids) | Q(member_b_id=me, member_a_id__among=ids),
        is_group=False,
    ),
    -1,
    Ids("member_ids"),
    constants=True,
)


def routes_for(
    sender: User, recipients: list[User], *, known=None, conversations_known: bool = False
) -> list[MessageRoute]:
    """M1–M6 for a list of members, in order, in a constant number of queries: blocks,
    connections, follows, conversations, requests, current pages (M5), credits. A member
    blocked either way (B1) is refused with the same NotFound as an unknown one. `known`:
    the viewer's `network.queries.Relationship`s with them, already read (the profile page),
    whose blocks, connection and follow are then not read again; `conversations_known`: they
    were read with `ROUTE_PARTS`, so the conversations aren't either."""
    me = sender.pk
    ids = [r.pk for r in recipients]
    result = [MessageRoute(member_id=i) for i in ids]
    others = [i for i in ids if i != me]
    if not others:
        for route in result:
            route.refusal = Invalid(CANNOT_MESSAGE_SELF, rule="M1")
        return result
    if known is not None:
        rels = [known[i] for i in others]
        hidden = {r.id for r in rels if r.blocking or r.blocked_by}
        connected = {r.id for r in rels if r.connected}
        following = {r.id for r in rels if r.following}
    else:
        hidden = {b if a == me else a for a, b in network.blocks_involving(me, others)}
        connected = network.connected_among(sender, others)
        following = network.followed_among(sender, others)
    if known is not None and conversations_known:
        conversations = {
            i: _Conversation(row.n, row.at)
            for i in others
            if (row := known[i].facts.get("conversation")) is not None
        }
    else:
        found = _CONVERSATIONS_WITH.objects(router.db_for_read(Conversation), me, others)
        conversations = {c.other(me): _Conversation(c.pk, c.opened_at) for c in found}
    requests = {}
    if conversations:
        for row in MessageRequest.objects.filter(
            conversation_id__in=[c.pk for c in conversations.values()]
        ).order_by("created_at", "pk"):
            requests.setdefault(row.conversation_id, []).append(row)
    workplaces = None  # M5's current pages, read only when a route gets that far
    now = clock.now()
    cooldown = timedelta(days=settings.LINKWELL_MESSAGE_REQUEST_COOLDOWN_DAYS)
    available = None
    by_id = {r.pk: r for r in recipients}
    for route in result:
        other = route.member_id
        member = by_id[other]
        name = member.name
        if other == me:
            route.refusal = Invalid(CANNOT_MESSAGE_SELF, rule="M1")
            continue
        if other in hidden or not member.is_active:
            route.refusal = NotFound(MEMBER_NOT_FOUND, rule="B1")
            continue
        conversation = conversations.get(other)
        route.conversation_id = conversation.pk if conversation else None
        if other in connected:
            route.route = CONNECTION
            continue
        if conversation is not None and conversation.opened_at is not None:
            route.route = OPENED
            continue
        history = requests.get(conversation.pk, []) if conversation else []
        pending = [r for r in history if r.status == RequestStatus.PENDING]
        if pending and pending[0].recipient_id == me:
            route.route = REPLY
            continue
        if pending:
            route.refusal = Forbidden(REQUEST_PENDING % {"name": name}, rule="M4")
            continue
        declined = [
            r.answered_at
            for r in history
            if r.status == RequestStatus.DECLINED
            and r.sender_id == me
            and r.answered_at is not None
            and r.answered_at + cooldown > now
        ]
        if declined:
            until = max(declined) + cooldown
            route.refusal = Forbidden(
                REQUEST_DECLINED % {"name": name, "until": moment(until)},
                rule="M4",
                until=until,
            )
            continue
        route.request = True
        profile = member.profile
        if profile.open_profile:
            route.route = Route.OPEN_PROFILE  # M2
            continue
        if workplaces is None:
            workplaces = current_page_ids([me, *others])
        if workplaces.get(me, set()) & workplaces.get(other, set()):
            route.route = Route.COWORKER  # M5
            continue
        follows = other in following
        if profile.refuse_inmail:
            sentence = FOLLOWING_GIVES_NOTHING if follows else INMAIL_REFUSED
            route.refusal = Forbidden(sentence % {"name": name}, rule="M6" if follows else "M3")
            continue
        if available is None:
            available = len(credit_slots(sender, now))
        route.credits = available
        if available == 0:
            until = next_grant_at(now)
            route.refusal = Forbidden(
                NO_CREDITS % {"name": name, "until": moment(until)},
                rule="M6" if follows else "M3",
                until=until,
            )
            continue
        route.route = Route.INMAIL  # M3
        route.costs_credit = True
    return result


def can_message(sender: User, recipient: User, *, relationship=None) -> MessageRoute:
    """The one answer to "may sender write to recipient, and how": the profile's Message
    button, the web composer and the API all ask it (M1–M6, B1)."""
    known = {recipient.pk: relationship} if relationship is not None else None
    return routes_for(sender, [recipient], known=known)[0]


def check_group_members(adder: User, members: list[User]) -> None:
    """Groups (M1): everyone `adder` puts in a group must be their connection, asked of
    `routes_for` member by member, so a block (B1) is the same NotFound as an unknown member
    and a follower is refused as a follower is everywhere (M6 says following gives nothing)."""
    for route, member in zip(routes_for(adder, members), members, strict=True):
        if route.refusal is not None and not isinstance(route.refusal, Forbidden):
            raise route.refusal
        if route.route != CONNECTION:
            raise Forbidden(GROUP_CONNECTIONS_ONLY % {"name": member.name}, rule="M1")


def inmail_hint(route: MessageRoute, name: str) -> str:
    return str(INMAIL_HINT % {"name": name, "count": route.credits})


# --- The one door to conversations ----------------------------------------------------------


@dataclass
class Thread:
    """A conversation as one participant sees it. `other`: the other member of a 1:1
    conversation (None in a group); `members`: the other participants the viewer may see
    (a group leaves out those blocked either way with the viewer, B1); `hidden`: those."""

    conversation: Conversation
    me: Participant
    other: User | None
    last_message: Message | None = None
    request: MessageRequest | None = None  # the pending request, when there is one
    unread: bool = False
    messages: list[Message] = field(default_factory=list)
    members: list[User] = field(default_factory=list)
    hidden: frozenset[int] = frozenset()

    @property
    def pk(self) -> int:
        return self.conversation.pk

    @property
    def is_group(self) -> bool:
        return self.conversation.is_group

    @property
    def title(self) -> str:
        """A group's name, or its members' names as LinkedIn shows an unnamed group."""
        if self.conversation.title:
            return self.conversation.title
        if self.other is not None:
            return self.other.name
        return ", ".join(m.name for m in self.members)

    @property
    def is_request_for_me(self) -> bool:
        return self.request is not None and self.request.recipient_id == self.me.member_id


def _threads(viewer: User, participants: list[Participant]) -> list[Thread]:
    """Participants (with their conversation) to Threads, leaving out blocked and deleted
    members; a constant number of queries."""
    if not participants:
        return []
    me = viewer.pk
    group_ids = [p.conversation_id for p in participants if p.conversation.is_group]
    in_group: dict[int, list[int]] = {}
    for conversation_id, member_id in (
        Participant.objects.filter(conversation_id__in=group_ids)
        .exclude(member_id=me)
        .order_by("pk")
        .values_list("conversation_id", "member_id")
    ):
        in_group.setdefault(conversation_id, []).append(member_id)
    other_ids = [p.conversation.other(me) for p in participants if not p.conversation.is_group]
    other_ids += [m for ids in in_group.values() for m in ids]
    hidden = {b if a == me else a for a, b in network.blocks_involving(me, other_ids)}
    people = {
        m.pk: m
        for m in User.objects.filter(pk__in=other_ids, is_active=True).select_related("profile")
    }
    last_ids = [p.conversation.last_message_id for p in participants]
    last = Message.objects.select_related("sender").in_bulk(last_ids)
    pending = {
        r.conversation_id: r
        for r in MessageRequest.objects.filter(
            conversation_id__in=[p.conversation_id for p in participants],
            status=RequestStatus.PENDING,
        )
    }
    threads = []
    for participant in participants:
        conversation = participant.conversation
        if conversation.is_group:
            ids = in_group.get(conversation.pk, [])
            other = None
            members = [people[i] for i in ids if i in people and i not in hidden]
            gone = frozenset(i for i in ids if i in hidden)
        else:
            other_id = conversation.other(me)
            if other_id in hidden or other_id not in people:
                continue
            other = people[other_id]
            members, gone = [other], frozenset()
        message = last.get(conversation.last_message_id)
        if message is not None and (
            message.pk <= participant.cleared_up_to or message.sender_id in gone
        ):
            message = None
        threads.append(
            Thread(
                conversation=conversation,
                me=participant,
                other=other,
                last_message=message,
                request=pending.get(conversation.pk),
                unread=bool(
                    message is not None
                    and message.sender_id != me
                    and message.pk > participant.last_read_id
                ),
                members=members,
                hidden=gone,
            )
        )
    return threads


def _mine(viewer: User) -> QuerySet:
    """The viewer's participant rows of conversations that still show something to them."""
    return (
        Participant.objects.filter(member=viewer)
        .filter(conversation__last_message_id__gt=F("cleared_up_to"))
        .select_related("conversation")
    )


def conversations(
    viewer: User, *, requests: bool = False, max_id: int | None = None, limit: int = 20
) -> tuple[list[Thread], int | None]:
    """The viewer's inbox newest first, or (`requests`) the message requests waiting for
    their answer (M4); keyset paging on the last message id: (threads, next max_id)."""
    rows = _mine(viewer)
    waiting = MessageRequest.objects.filter(recipient=viewer, status=RequestStatus.PENDING)
    if requests:
        rows = rows.filter(conversation__in=waiting.values("conversation_id"))
    else:
        rows = rows.exclude(conversation__in=waiting.values("conversation_id"))
    if max_id is not None:
        rows = rows.filter(conversation__last_message_id__lt=max_id)
    batch = list(rows.order_by("-conversation__last_message_id")[: limit + 1])
    below = batch[limit - 1].conversation.last_message_id if len(batch) > limit else None
    return _threads(viewer, batch[:limit]), below


def conversation_for(viewer: User, conversation_id: int) -> Thread:
    """One conversation as a participant sees it; NotFound for anyone else, for an unknown
    id, and while either member blocks the other (B1)."""
    if viewer is None or not viewer.is_authenticated:
        raise NotFound(CONVERSATION_NOT_FOUND)
    participant = (
        Participant.objects.filter(member=viewer, conversation_id=conversation_id)
        .select_related("conversation")
        .first()
    )
    found = _threads(viewer, [participant]) if participant is not None else []
    if not found:
        raise NotFound(CONVERSATION_NOT_FOUND)
    return found[0]


def conversation_with(viewer: User, other: User) -> Thread | None:
    """The viewer's conversation with `other`, if there is one they may read."""
    a, b = pair(viewer.pk, other.pk)
    found = Conversation.objects.filter(member_a_id=a, member_b_id=b, is_group=False).values_list(
        "pk", flat=True
    )
    for pk in found:
        try:
            return conversation_for(viewer, pk)
        except NotFound:
            return None
    return None


def messages_of(
    thread: Thread,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    limit: int = 30,
) -> tuple[list[Message], int | None]:
    """A thread's messages (from `conversation_for`), oldest first on the page, without those
    the viewer cleared; (messages, the id to load older ones below, or None)."""
    rows = (
        Message.objects.filter(conversation_id=thread.pk, pk__gt=thread.me.cleared_up_to)
        .exclude(sender_id__in=thread.hidden)
        .select_related("sender__profile")
        .prefetch_related("attachments")
    )
    if max_id is not None:
        rows = rows.filter(pk__lt=max_id)
    if since_id is not None:
        rows = rows.filter(pk__gt=since_id)
    batch = list(rows.order_by("-pk")[: limit + 1])
    below = batch[limit - 1].pk if len(batch) > limit else None
    page = batch[:limit]
    page.reverse()
    return page, below


def unread_count(viewer: User) -> int:
    """The top bar's badge: conversations whose newest message, from the other member, the
    viewer hasn't read (requests included), blocked members left out."""
    if viewer is None or not viewer.is_authenticated:
        return 0
    rows = (
        _mine(viewer)
        .filter(conversation__last_message_id__gt=F("last_read_id"))
        .order_by("-conversation__last_message_id")[:100]
    )
    return sum(1 for thread in _threads(viewer, list(rows)) if thread.unread)


def pending_request(viewer: User, request_id: int) -> MessageRequest:
    """A pending request sent to the viewer; NotFound otherwise (or when blocked)."""
    found = MessageRequest.objects.filter(
        pk=request_id, recipient=viewer, status=RequestStatus.PENDING
    ).first()
    if found is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    conversation_for(viewer, found.conversation_id)  # B1: a blocked sender's request is gone
    return found


def messageable(
    sender: User, member_ids, *, members=None, known=None, conversations_known: bool = False
) -> set[int]:
    """Which of `member_ids` the sender may write to now, by any route (the API's
    Relationship `can_message`), in a constant number of queries. `members`: those members
    by id, already read; `known`, `conversations_known`: their Relationships, as `routes_for`
    takes them."""
    from accounts.queries import active_members

    found = (
        active_members([i for i in member_ids if i != sender.pk]) if members is None else members
    )
    chosen = [found[i] for i in member_ids if i in found]
    routes = routes_for(sender, chosen, known=known, conversations_known=conversations_known)
    return {route.member_id for route in routes if route.allowed}


def message_for(viewer: User, message_id: int) -> tuple[Thread, Message]:
    """One message, through its conversation's door: NotFound unless the viewer is a
    participant who still sees it (not cleared, not blocked)."""
    found = Message.objects.filter(pk=message_id).values_list("conversation_id", flat=True)
    conversation_id = next(iter(found), None)
    if conversation_id is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    thread = conversation_for(viewer, conversation_id)
    message = (
        Message.objects.filter(pk=message_id, pk__gt=thread.me.cleared_up_to)
        .exclude(sender_id__in=thread.hidden)
        .select_related("sender__profile")
        .prefetch_related("attachments")
        .first()
    )
    if message is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    return thread, message


# --- Attachments ----------------------------------------------------------------------------


def attachment_for(viewer, attachment_id: int) -> Attachment:
    """An attachment through its message's door (`message_for`): the conversation's current
    participants who still see the message; before it is sent, its uploader only. Anyone
    else, a removed participant and an anonymous reader: the same NotFound as an unknown id."""
    if viewer is None or not viewer.is_authenticated:
        raise NotFound(CONVERSATION_NOT_FOUND)
    found = Attachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    if found.message_id is None:
        if found.uploader_id != viewer.pk:
            raise NotFound(CONVERSATION_NOT_FOUND)
        return found
    message_for(viewer, found.message_id)
    return found


ATTACHMENT_SIZES = ("full", "preview")


def attachment_path(attachment: Attachment, size: str = "full", *, viewer_id=None) -> str:
    """Where an attachment is served (web.messaging.views.attachment). An API client fetches
    it without its token, so its address carries the viewer, signed (as a post's image
    does); the view still asks `attachment_for` for that viewer, now."""
    path = f"/messaging/attachments/{attachment.pk}/{size}/"
    if viewer_id:
        path += "?v=" + images.viewer_token(attachment.pk, viewer_id, kind="message-file")
    return path


def attachment_viewer(attachment_id: int, token: str) -> int | None:
    return images.viewer_in(attachment_id, token, kind="message-file")


def unsent_attachments(uploader: User, ids) -> list[Attachment]:
    """The uploader's attachments not yet on a message, in the order asked."""
    rows = Attachment.objects.filter(pk__in=ids, uploader=uploader, message__isnull=True)
    by_id = {a.pk: a for a in rows}
    return [by_id[i] for i in ids if i in by_id]


# --- "Seen" receipts ------------------------------------------------------------------------


def read_receipts_on(member) -> bool:
    """The member's setting (default on); a member or their id."""
    member_id = getattr(member, "pk", member)
    found = MessagingSettings.objects.filter(member_id=member_id).values_list(
        "read_receipts", flat=True
    )
    return next(iter(found), True)


def read_marks(thread: Thread) -> dict[int, int]:
    """Who has read how far, for the "Seen" receipts the viewer may see: {member id: last
    read message id} of the other participants who send receipts, none at all when the
    viewer turned receipts off (a member neither sends nor sees them, as on LinkedIn)."""
    viewer_id = thread.me.member_id
    shown = {m.pk for m in thread.members}
    if not shown or not read_receipts_on(viewer_id):
        return {}
    quiet = set(
        MessagingSettings.objects.filter(member_id__in=shown, read_receipts=False).values_list(
            "member_id", flat=True
        )
    )
    return dict(
        Participant.objects.filter(conversation_id=thread.pk, member_id__in=shown - quiet)
        .exclude(member_id=viewer_id)
        .values_list("member_id", "last_read_id")
    )


def seen_by(marks: dict[int, int], message: Message) -> list[int]:
    """The members (from `read_marks`) who have read up to this message, its sender aside."""
    return sorted(m for m, last in marks.items() if last >= message.pk and m != message.sender_id)


def own_threads(member: User) -> list[tuple[Thread, list[Message]]]:
    """Every conversation the member can still read, with the messages they haven't
    cleared, oldest first (issue 17's export): what the inbox shows them, no more (B1)."""
    participants = list(
        Participant.objects.filter(member=member).select_related("conversation").order_by("pk")
    )
    threads = _threads(member, participants)
    result = []
    for thread in threads:
        rows = Message.objects.filter(
            conversation_id=thread.pk, pk__gt=thread.me.cleared_up_to
        ).order_by("pk")
        result.append((thread, list(rows.select_related("sender"))))
    return result
