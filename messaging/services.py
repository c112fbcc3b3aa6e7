"""Writes of messaging: M1–M6, one transaction each, idempotent.

Who may write is `queries.can_message`, asked inside the send's transaction with both member
rows locked (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers already). A
client's idempotency key makes a retried send return the first message, and the constraints
(one conversation per pair, one pending request, one spend per credit slot) turn a race into
a retry that finds the state already reached. Notifications and live events go after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import clock, live
from core.errors import Invalid
from feed import text as texts
from messaging import queries
from messaging.models import (
    Conversation,
    CreditSpend,
    Message,
    MessageRequest,
    Participant,
    RequestStatus,
    Route,
)
from notifications import services as notices
from notifications.models import Kind
from relationships import services as relationships

EMPTY_MESSAGE = _("A message needs some text.")
MESSAGE_TOO_LONG = _("A message is at most %(max)s characters.")
INMAIL_TOO_LONG = _("An InMail is at most %(max)s characters.")
SUBJECT_TOO_LONG = _("A subject is at most %(max)s characters.")
NO_CREDIT_LEFT = _("You have no InMail credits left.")


def _clean(text_in: str, subject_in: str, *, inmail: bool) -> tuple[str, str]:
    text = texts.clean_text(text_in)
    subject = " ".join(texts.clean_text(subject_in).split())
    if not text:
        raise Invalid(EMPTY_MESSAGE, rule="M1")
    maximum = settings.LINKWELL_MESSAGE_MAX_CHARACTERS
    if inmail:
        maximum = min(maximum, settings.LINKWELL_INMAIL_MAX_CHARACTERS)
        if len(text) > maximum:
            raise Invalid(INMAIL_TOO_LONG % {"max": maximum}, rule="M3")
    if len(text) > maximum:
        raise Invalid(MESSAGE_TOO_LONG % {"max": maximum}, rule="M1")
    if len(subject) > settings.LINKWELL_INMAIL_SUBJECT_MAX:
        raise Invalid(SUBJECT_TOO_LONG % {"max": settings.LINKWELL_INMAIL_SUBJECT_MAX}, rule="M3")
    return text, subject


def _lock_pair(x: int, y: int) -> None:
    if connection.vendor == "postgresql":
        list(User.objects.select_for_update().filter(pk__in=(x, y)).order_by("pk").values("pk"))


def _already_sent(sender: User, key: str) -> Message | None:
    if not key:
        return None
    return Message.objects.filter(sender=sender, idempotency_key=key).first()


def send(
    *, sender: User, recipient: User, text: str, subject: str = "", idempotency_key: str = ""
) -> Message:
    """M1–M6: a message to `recipient` by the route `can_message` allows, a message request
    for a first message from a non-connection (M4), an InMail credit spent where it costs
    one (M3). The same `idempotency_key` again returns the first message."""
    key = (idempotency_key or "")[:100]
    found = _already_sent(sender, key)
    if found is not None:
        return found
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _send_locked(sender, recipient, text, subject, key)
        except IntegrityError:  # a concurrent writer got there first: look again
            found = _already_sent(sender, key)
            if found is not None:
                return found
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def reply(*, sender: User, conversation_id: int, text: str, idempotency_key: str = "") -> Message:
    """A message in a conversation the sender reads (`conversation_for`), under the same
    rules as `send`: removing a connection leaves the history but needs the rules again."""
    thread = queries.conversation_for(sender, conversation_id)
    return send(sender=sender, recipient=thread.other, text=text, idempotency_key=idempotency_key)


def _send_locked(sender, recipient, text_in, subject_in, key) -> Message:
    _lock_pair(sender.pk, recipient.pk)
    route = queries.can_message(sender, recipient).check()
    text, subject = _clean(text_in, subject_in, inmail=route.route == Route.INMAIL)
    now = clock.now()
    conversation = _conversation(sender.pk, recipient.pk, now)
    request = None
    if route.request:
        request = MessageRequest.objects.create(
            conversation=conversation,
            sender=sender,
            recipient=recipient,
            route=route.route,
            created_at=now,
        )
        if route.costs_credit:
            _spend_credit(sender, request, now)
    elif route.route == queries.REPLY:
        _accept(conversation, by=sender, now=now)
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        subject=subject if request is not None else "",
        text=text,
        html=texts.render(text).html,
        idempotency_key=key,
        created_at=now,
    )
    if request is not None:
        request.first_message_id = message.pk
        request.save(update_fields=["first_message_id"])
    _refund_on_reply(conversation, sender, now)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_id=message.pk, last_message_at=now
    )
    Participant.objects.filter(conversation=conversation, member=sender).update(
        last_read_id=message.pk
    )
    kind = Kind.MESSAGE_REQUEST if request is not None else Kind.MESSAGE
    transaction.on_commit(
        lambda: notices.notify(
            recipient_id=recipient.pk, actor_id=sender.pk, kind=kind, subject_id=message.pk
        )
    )
    _publish(conversation, message)
    transaction.on_commit(  # A4: relationships sits below messaging
        lambda: relationships.record_interaction(
            actor_id=sender.pk, other_id=recipient.pk, kind="messages"
        )
    )
    return message


def _conversation(x: int, y: int, now) -> Conversation:
    a, b = queries.pair(x, y)
    conversation, _ = Conversation.objects.get_or_create(
        member_a_id=a, member_b_id=b, defaults={"created_at": now}
    )
    for member_id in (a, b):
        Participant.objects.get_or_create(conversation=conversation, member_id=member_id)
    return conversation


def _spend_credit(sender: User, request: MessageRequest, now) -> None:
    slots = queries.credit_slots(sender, now)
    if not slots:  # can_message saw one a moment ago; a concurrent spend took it
        raise Invalid(NO_CREDIT_LEFT, rule="M3")
    granted_at, slot = slots[0]
    CreditSpend.objects.create(
        member=sender,
        granted_on=granted_at.date().replace(day=1),
        slot=slot,
        request=request,
        spent_at=now,
    )


def _refund_on_reply(conversation: Conversation, sender: User, now) -> None:
    """M3: the recipient of an InMail answered, so its credit comes back."""
    CreditSpend.objects.filter(
        request__conversation=conversation,
        request__recipient=sender,
        refunded_at__isnull=True,
    ).update(refunded_at=now)


def _accept(conversation: Conversation, *, by: User, now) -> None:
    MessageRequest.objects.filter(
        conversation=conversation, recipient=by, status=RequestStatus.PENDING
    ).update(status=RequestStatus.ACCEPTED, answered_at=now)
    if conversation.opened_at is None:
        conversation.opened_at = now
        Conversation.objects.filter(pk=conversation.pk).update(opened_at=now)


@transaction.atomic
def accept_request(*, member: User, request_id: int) -> MessageRequest:
    """M4: the conversation opens both ways. Accepting twice changes nothing more."""
    found = MessageRequest.objects.filter(pk=request_id, recipient=member).first()
    if found is not None and found.status == RequestStatus.ACCEPTED:
        queries.conversation_for(member, found.conversation_id)
        return found
    request = queries.pending_request(member, request_id)
    _accept(request.conversation, by=member, now=clock.now())
    request.refresh_from_db()
    return request


@transaction.atomic
def decline_request(*, member: User, request_id: int) -> MessageRequest:
    """M4: the request leaves the recipient's inbox, and its sender can't send another for
    `LINKWELL_MESSAGE_REQUEST_COOLDOWN_DAYS`. The sender is not told. Declining twice
    changes nothing more."""
    found = MessageRequest.objects.filter(pk=request_id, recipient=member).first()
    if found is not None and found.status == RequestStatus.DECLINED:
        return found
    request = queries.pending_request(member, request_id)
    now = clock.now()
    request.status = RequestStatus.DECLINED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at"])
    conversation = request.conversation
    Participant.objects.filter(conversation=conversation, member=member).update(
        cleared_up_to=conversation.last_message_id, last_read_id=conversation.last_message_id
    )
    return request


@transaction.atomic
def mark_read(*, member: User, conversation_id: int) -> queries.Thread:
    """Everything in the conversation is read, up to its newest message."""
    thread = queries.conversation_for(member, conversation_id)
    newest = thread.conversation.last_message_id
    if thread.me.last_read_id < newest:
        Participant.objects.filter(pk=thread.me.pk).update(last_read_id=newest)
        thread.me.last_read_id = newest
        thread.unread = False
    return thread


@transaction.atomic
def delete_for_me(*, member: User, conversation_id: int) -> None:
    """Delete-for-me (Mastodon's DELETE /conversations/:id): the thread leaves the member's
    inbox with its messages; the other member keeps theirs; a new message starts afresh."""
    thread = queries.conversation_for(member, conversation_id)
    newest = thread.conversation.last_message_id
    Participant.objects.filter(pk=thread.me.pk).update(cleared_up_to=newest, last_read_id=newest)


def forget_member(*, member: User) -> None:
    """U4, messaging's part: the messages the member sent go, and with them their 1:1
    conversations (the other member's side of a thread with no one left in it)."""
    Message.objects.filter(sender=member).delete()
    Conversation.objects.filter(Q(member_a=member) | Q(member_b=member)).delete()
    CreditSpend.objects.filter(member=member).delete()


def _publish(conversation: Conversation, message: Message) -> None:
    """After commit: both members' open streams hear of the conversation (`conversation`)."""
    for member_id in (conversation.member_a_id, conversation.member_b_id):
        live.publish_after_commit(
            member_id,
            "conversation",
            {
                "conversation_id": conversation.pk,
                "message": message.pk,
                "sender": message.sender_id,
            },
        )
